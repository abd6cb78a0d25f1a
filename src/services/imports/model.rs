//! What an import reads from another program's export, in one shape for every format:
//! each reader (`disqus.rs`, `wxr.rs`, `isso.rs`, `remark42.rs`, `site.rs`) turns its
//! file into a stream of [`Record`]s, and one writer stores them, so that matching
//! articles, threading, idempotence and the dry run are written once.

use futures::stream::BoxStream;

/// The programs Tribune imports from, as `tribune import <format>` and the admin API's
/// `format` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Disqus's XML export (`<disqus>`: `<category>`, `<thread>`, then `<post>`s).
    Disqus,
    /// WordPress's WXR (an RSS `<item>` per post, its `<wp:comment>`s inside).
    Wxr,
    /// Isso's SQLite database (`threads` and `comments` tables).
    Isso,
    /// Remark42's backup (JSON lines, often gzipped: a header, then one comment a line).
    Remark42,
    /// Tribune's own whole-site export, which imports back losslessly.
    Tribune,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Disqus,
        Format::Wxr,
        Format::Isso,
        Format::Remark42,
        Format::Tribune,
    ];

    /// The name on the command line, in the API and in the stored rows (`import_source`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Disqus => "disqus",
            Format::Wxr => "wxr",
            Format::Isso => "isso",
            Format::Remark42 => "remark42",
            Format::Tribune => "tribune",
        }
    }

    /// The program's name as readers know it ("imported from Disqus").
    pub const fn display_name(self) -> &'static str {
        match self {
            Format::Disqus => "Disqus",
            Format::Wxr => "WordPress",
            Format::Isso => "Isso",
            Format::Remark42 => "Remark42",
            Format::Tribune => "Tribune",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.as_str() == text)
    }
}

/// One item of an export, in the order the file gives them.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Thread(ImportedThread),
    Comment(ImportedComment),
}

/// An article as the other program knew it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedThread {
    /// The source's own id for the thread (Disqus's `dsq:id`, WordPress's post id,
    /// Isso's `threads.id`, Remark42's URL): comments name their thread by it.
    pub key: String,
    /// The article's address: absolute, or a path (Isso stores `/2026/12/article`),
    /// which the writer joins to the site's origin.
    pub url: String,
    pub title: Option<String>,
}

/// Who wrote an imported comment, as the other program kept it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportedAuthor {
    pub name: Option<String>,
    /// The address as exported: the writer keeps only [`email_hash`] of it, never the
    /// address, and never shows even the hash.
    pub email: Option<String>,
    pub website: Option<String>,
}

/// Where a comment stood in the other program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedStatus {
    /// Shown to readers.
    Published,
    /// Waiting for a moderator (Isso's mode 2, WordPress's `0`, Disqus's unapproved).
    Held,
    /// Marked spam (WordPress's `spam`, Disqus's `isSpam`).
    Spam,
    /// Removed, but kept as a placeholder where it had replies.
    Deleted,
}

/// How the other program stored the text, so the writer can render and sanitise it
/// once (`crate::sanitize`), like any other comment.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Html(String),
    /// Isso stores Markdown; Remark42 keeps its `orig` Markdown next to the HTML.
    Markdown(String),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedComment {
    /// The source's id for the comment, unique within that source: with the site and
    /// the format it makes a re-import find the row it stored the first time.
    pub key: String,
    /// The [`ImportedThread::key`] of its article. A reader may name a thread only by
    /// its URL (Remark42's `locator.url`): then key and URL are the same text, and the
    /// writer registers the article from it.
    pub thread_key: String,
    /// The key of the comment it answers; `None` answers the article. It may come
    /// later in the file than the reply (Disqus does not order posts).
    pub parent_key: Option<String>,
    pub author: ImportedAuthor,
    pub body: Body,
    /// Milliseconds since the epoch, UTC, like every stored time.
    pub published: i64,
    pub edited: Option<i64>,
    pub status: ImportedStatus,
}

/// What a reader hands the writer: records one at a time, so that a 100,000-comment
/// export is never held whole. Readers of files parse on a blocking thread and feed
/// the stream through a bounded channel.
pub type Records = BoxStream<'static, Result<Record, ImportError>>;

/// A file that cannot be read as the format it claims to be. The message is for the
/// person importing (it names the line or element), never a parser's internals.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ImportError {
    pub message: String,
}

impl ImportError {
    pub fn new(message: impl Into<String>) -> ImportError {
        ImportError {
            message: message.into(),
        }
    }
}

/// What an import did, or with `dry_run` would do: the same counts either way, so a
/// dry run is the report of the real import it previews. A second import of the same
/// file reports everything `unchanged`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub format: String,
    pub site: String,
    pub dry_run: bool,
    /// Threads (articles) the file names.
    pub threads: u64,
    pub articles_created: u64,
    pub articles_matched: u64,
    /// Comments the file holds.
    pub comments: u64,
    pub comments_created: u64,
    /// Already imported, changed since (an edit, a new status): updated in place.
    pub comments_updated: u64,
    pub comments_unchanged: u64,
    /// Records that could not be stored, each with why (the first 100; `skipped` counts
    /// them all).
    pub skipped: u64,
    pub problems: Vec<String>,
}

/// The stored stand-in for an e-mail address: SHA-256 of the trimmed, lower-cased
/// address, in hex. It lets a moderator see that two imported comments share an author
/// (and data-rights requests find them) without the address being kept.
pub fn email_hash(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return None;
    }
    Some(crate::domain::sha256_hex(email.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_back_their_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(*f));
        }
        assert_eq!(Format::parse("coral"), None);
    }

    #[test]
    fn an_email_hash_ignores_case_and_spaces_and_keeps_no_address() {
        let a = email_hash(" Camille@Example.FR ").unwrap();
        assert_eq!(a, email_hash("camille@example.fr").unwrap());
        assert_eq!(a.len(), 64);
        assert!(!a.contains("camille"));
        assert_eq!(email_hash("  "), None);
    }
}
