//! WordPress's export (WXR: an RSS `<channel>` with an `<item>` per post, page or
//! attachment, its `<wp:comment>`s inside), read as a stream. An item with no comment
//! registers nothing. Pingbacks and trackbacks (`wp:comment_type`) are not
//! conversation: they are left out, not imported.

use super::model::{Body, ImportError, ImportedAuthor, ImportedComment, ImportedStatus};
use super::model::{ImportedThread, Record, Records};
use super::xml::{filled, spawn, Item, Pull};
use std::io::BufRead;

/// Reads a WXR file on a blocking thread.
pub fn read(file: std::fs::File) -> Records {
    spawn(move |send| parse(std::io::BufReader::with_capacity(64 * 1024, file), send))
}

#[derive(Default)]
struct Post {
    key: Option<String>,
    link: Option<String>,
    title: Option<String>,
    /// Its `Record::Thread` is sent before its first comment.
    announced: bool,
}

#[derive(Default)]
struct Comment {
    key: Option<String>,
    author: Option<String>,
    email: Option<String>,
    url: Option<String>,
    date_gmt: Option<String>,
    date: Option<String>,
    content: String,
    approved: String,
    parent: Option<String>,
    kind: Option<String>,
}

/// `2026-11-30 08:15:00`; WordPress writes `0000-00-00 00:00:00` when it has none.
fn time(text: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

pub fn parse<R: BufRead>(
    input: R,
    send: &mut dyn FnMut(Record) -> bool,
) -> Result<(), ImportError> {
    let mut pull = Pull::new(input, "WordPress export (WXR)");
    let mut depth = 0usize;
    let mut post: Option<Post> = None;
    let mut comment: Option<Comment> = None;
    let mut seen_root = false;
    loop {
        match pull.next()? {
            Item::End => break,
            Item::Open { name, .. } => {
                depth += 1;
                match (depth, name.as_str()) {
                    (1, "rss") => seen_root = true,
                    (1, other) => {
                        return Err(ImportError::new(format!(
                            "not a WordPress export: the file starts with <{other}>, not <rss>"
                        )))
                    }
                    (3, "item") => post = Some(Post::default()),
                    (4, "wp:comment") if post.is_some() => comment = Some(Comment::default()),
                    _ => {}
                }
            }
            Item::Close { name, text } => {
                match (depth, name.as_str(), post.as_mut(), comment.as_mut()) {
                    (4, "link", Some(p), _) => p.link = filled(text),
                    (4, "title", Some(p), _) => p.title = filled(text),
                    (4, "wp:post_id", Some(p), _) => p.key = filled(text),
                    (5, "wp:comment_id", _, Some(c)) => c.key = filled(text),
                    (5, "wp:comment_author", _, Some(c)) => c.author = filled(text),
                    (5, "wp:comment_author_email", _, Some(c)) => c.email = filled(text),
                    (5, "wp:comment_author_url", _, Some(c)) => c.url = filled(text),
                    (5, "wp:comment_date_gmt", _, Some(c)) => c.date_gmt = filled(text),
                    (5, "wp:comment_date", _, Some(c)) => c.date = filled(text),
                    (5, "wp:comment_content", _, Some(c)) => c.content = text,
                    (5, "wp:comment_approved", _, Some(c)) => c.approved = text.trim().into(),
                    (5, "wp:comment_parent", _, Some(c)) => {
                        c.parent = filled(text).filter(|p| p != "0")
                    }
                    (5, "wp:comment_type", _, Some(c)) => c.kind = filled(text),
                    (4, "wp:comment", Some(p), Some(_)) => {
                        let c = comment.take().unwrap_or_default();
                        if matches!(c.kind.as_deref(), Some("pingback" | "trackback")) {
                            depth -= 1;
                            continue;
                        }
                        let thread_key = p
                            .key
                            .clone()
                            .or_else(|| p.link.clone())
                            .ok_or_else(|| ImportError::new("an <item> has no wp:post_id"))?;
                        if !p.announced {
                            p.announced = true;
                            let url = p.link.clone().ok_or_else(|| {
                                ImportError::new(format!("post {thread_key} has no <link>"))
                            })?;
                            let thread = ImportedThread {
                                key: thread_key.clone(),
                                url,
                                title: p.title.clone(),
                            };
                            if !send(Record::Thread(thread)) {
                                return Ok(());
                            }
                        }
                        if !send(Record::Comment(imported(c, thread_key)?)) {
                            return Ok(());
                        }
                    }
                    (3, "item", _, _) => post = None,
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
        }
    }
    if !seen_root {
        return Err(ImportError::new(
            "not a WordPress export: the file is empty",
        ));
    }
    Ok(())
}

fn imported(c: Comment, thread_key: String) -> Result<ImportedComment, ImportError> {
    let key = c
        .key
        .ok_or_else(|| ImportError::new("a <wp:comment> has no wp:comment_id"))?;
    let published = c
        .date_gmt
        .as_deref()
        .and_then(time)
        .or_else(|| c.date.as_deref().and_then(time))
        .ok_or_else(|| ImportError::new(format!("comment {key} has no readable date")))?;
    let status = match c.approved.as_str() {
        "1" | "approve" => ImportedStatus::Published,
        "spam" => ImportedStatus::Spam,
        "trash" | "post-trashed" => ImportedStatus::Deleted,
        _ => ImportedStatus::Held,
    };
    Ok(ImportedComment {
        key,
        thread_key,
        parent_key: c.parent,
        author: ImportedAuthor {
            name: c.author,
            email: c.email,
            website: c.url,
        },
        body: Body::Html(autop(&c.content)),
        published,
        edited: None,
        status,
    })
}

/// WordPress stores a comment as typed, with a little HTML, and makes paragraphs of its
/// blank lines and line breaks of its newlines when it shows it (`wpautop`): so do we.
fn autop(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let text = text.trim();
    if text.starts_with("<p") {
        return text.to_string();
    }
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>\n")))
        .collect()
}
