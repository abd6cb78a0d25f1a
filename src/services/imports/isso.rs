//! Isso's SQLite database as import records: every thread (its `uri` is a path the
//! writer joins to the site's origin), then every comment in id order, so a reply
//! always comes after the comment it answers. Read-only, a page at a time.

use super::model::{
    Body, ImportError, ImportedAuthor, ImportedComment, ImportedStatus, ImportedThread, Record,
    Records,
};
use crate::storage::isso::{self, IssoComment};
use futures::{channel::mpsc, SinkExt, StreamExt};
use std::path::Path;

/// Rows read per query: a page in memory at a time, whatever the database's size.
const PAGE: u32 = 500;

/// The columns without which a file is not an Isso database.
const THREAD_COLUMNS: &[&str] = &["id", "uri", "title"];
const COMMENT_COLUMNS: &[&str] = &[
    "tid", "id", "parent", "created", "modified", "mode", "text", "author", "email", "website",
];

/// Opens an Isso database and streams its threads and comments.
pub async fn read(path: &Path) -> Result<Records, ImportError> {
    let not_isso = |why: String| {
        ImportError::new(format!(
            "{} is not an Isso database ({why})",
            path.display()
        ))
    };
    if !path.is_file() {
        return Err(ImportError::new(format!(
            "{}: no such file",
            path.display()
        )));
    }
    let db = isso::open(path)
        .await
        .map_err(|_| not_isso("SQLite cannot open it".into()))?;
    for (table, wanted) in [("threads", THREAD_COLUMNS), ("comments", COMMENT_COLUMNS)] {
        let kind = isso::kind(&db, table)
            .await
            .map_err(|_| not_isso("not an SQLite file".into()))?;
        if let Some(kind) = kind.filter(|k| k != "table") {
            return Err(not_isso(format!("{table} is a {kind}, not a table")));
        }
        let found = isso::columns(&db, table)
            .await
            .map_err(|_| not_isso("not an SQLite file".into()))?;
        if let Some(missing) = wanted.iter().find(|c| !found.iter().any(|f| f == *c)) {
            return Err(not_isso(format!("no {table}.{missing} column")));
        }
    }
    let (mut tx, rx) = mpsc::channel::<Result<Record, ImportError>>(PAGE as usize);
    tokio::spawn(async move {
        let outcome: Result<(), ImportError> = async {
            let failed =
                |e: sea_orm::DbErr| ImportError::new(format!("reading the Isso database: {e}"));
            let mut after = 0;
            loop {
                let page = isso::threads_after(&db, after, PAGE)
                    .await
                    .map_err(failed)?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for t in page {
                    let record = Record::Thread(ImportedThread {
                        key: t.id.to_string(),
                        url: t.uri,
                        title: t.title.filter(|t| !t.trim().is_empty()),
                    });
                    if tx.send(Ok(record)).await.is_err() {
                        return Ok(());
                    }
                }
            }
            let mut after = 0;
            loop {
                let page = isso::comments_after(&db, after, PAGE)
                    .await
                    .map_err(failed)?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for c in page {
                    if tx.send(Ok(Record::Comment(comment(c)))).await.is_err() {
                        return Ok(());
                    }
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = outcome {
            let _ = tx.send(Err(e)).await;
        }
        db.close().await.ok();
    });
    Ok(rx.boxed())
}

/// One Isso comment as a record.
fn comment(c: IssoComment) -> ImportedComment {
    let status = match c.mode {
        1 => ImportedStatus::Published,
        4 => ImportedStatus::Deleted,
        // 2 is pending; anything else Isso never wrote is not shown either.
        _ => ImportedStatus::Held,
    };
    let text = |v: Option<String>| v.map(|s| unescape(&s)).filter(|s| !s.trim().is_empty());
    ImportedComment {
        key: c.id.to_string(),
        thread_key: c.tid.to_string(),
        parent_key: c.parent.map(|p| p.to_string()),
        author: ImportedAuthor {
            name: text(c.author),
            email: text(c.email),
            website: text(c.website),
        },
        body: Body::Markdown(c.text),
        published: seconds_to_ms(c.created),
        edited: c.modified.map(seconds_to_ms),
        status,
    }
}

fn seconds_to_ms(seconds: f64) -> i64 {
    (seconds * 1000.0).round() as i64
}

/// Isso stores author, e-mail and website HTML-escaped (`html.escape`); the import
/// keeps the text as typed, escaped once where it is shown.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isso_times_are_seconds_and_its_fields_are_escaped_once() {
        assert_eq!(seconds_to_ms(1_764_800_000.123_4), 1_764_800_000_123);
        assert_eq!(unescape("Léa &amp; Max &lt;3"), "Léa & Max <3");
        assert_eq!(unescape("&amp;lt;"), "&lt;");
    }

    #[test]
    fn modes_become_statuses() {
        let row = |mode| IssoComment {
            id: 2,
            tid: 1,
            parent: Some(1),
            created: 1.5,
            modified: None,
            mode,
            text: String::new(),
            author: Some("  ".into()),
            email: None,
            website: None,
        };
        assert_eq!(comment(row(1)).status, ImportedStatus::Published);
        assert_eq!(comment(row(2)).status, ImportedStatus::Held);
        assert_eq!(comment(row(4)).status, ImportedStatus::Deleted);
        let c = comment(row(1));
        assert_eq!((c.published, c.parent_key.as_deref()), (1500, Some("1")));
        assert_eq!(c.author.name, None);
    }
}
