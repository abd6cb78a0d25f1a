//! Remark42's backup (`backend/app/migrator/native.go`) as import records: a stream of
//! JSON values, first the meta record (`{"version":1,"users":[…],"posts":[…]}`), then
//! one `store.Comment` per line. Backups are usually gzipped: the magic bytes say so.
//! Parsed on a blocking thread, one comment at a time, through a bounded channel.
//! Remark42 has no e-mail or website for its users and no queue: a comment is
//! published or deleted.

use super::model::{
    Body, ImportError, ImportedAuthor, ImportedComment, ImportedStatus, ImportedThread, Record,
    Records,
};
use futures::{channel::mpsc, SinkExt, StreamExt};
use serde::Deserialize;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

/// Records waiting for the writer: the reader stays this far ahead at most.
const AHEAD: usize = 256;
/// The most a backup decompresses to: a few kilobytes of gzip can otherwise inflate
/// to terabytes (the reader knows no settings, so it is a constant).
const MAX_BYTES: u64 = 4 << 30;
/// The longest comment line (like the XML readers' longest text). The meta header is
/// skimmed (only its version is kept), so it is not bounded: what follows it is.
const MAX_LINE: u64 = 4 << 20;

#[derive(Deserialize)]
struct Meta {
    version: i64,
}

#[derive(Deserialize)]
struct Comment {
    id: String,
    #[serde(default)]
    pid: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    orig: String,
    #[serde(default)]
    user: User,
    locator: Locator,
    time: String,
    #[serde(default)]
    edit: Option<Edit>,
    #[serde(default)]
    delete: bool,
    #[serde(default)]
    title: String,
}

#[derive(Deserialize, Default)]
struct User {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct Locator {
    url: String,
}

#[derive(Deserialize)]
struct Edit {
    time: String,
}

/// Streams the records of a Remark42 backup, plain or gzipped.
pub fn read(file: std::fs::File) -> Records {
    let (tx, rx) = mpsc::channel::<Result<Record, ImportError>>(AHEAD);
    tokio::task::spawn_blocking(move || {
        let mut tx = tx;
        if let Err(e) = parse(file, &mut tx) {
            let _ = futures::executor::block_on(tx.send(Err(e)));
        }
    });
    rx.boxed()
}

fn parse(
    file: std::fs::File,
    tx: &mut mpsc::Sender<Result<Record, ImportError>>,
) -> Result<(), ImportError> {
    let mut buffered = BufReader::new(file);
    let head = buffered
        .fill_buf()
        .map_err(|e| ImportError::new(format!("cannot read the backup: {e}")))?;
    let reader: Box<dyn Read> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(
            buffered,
        )))
    } else {
        Box::new(buffered)
    };
    let header_read = std::rc::Rc::new(std::cell::Cell::new(false));
    let reader = Bounded::new(reader, header_read.clone());
    let mut de = serde_json::Deserializer::from_reader(reader);
    let meta = Meta::deserialize(&mut de).map_err(|e| {
        ImportError::new(format!(
            "not a Remark42 backup: the first record is not its meta header ({})",
            position(&e)
        ))
    })?;
    if meta.version != 0 && meta.version != 1 {
        return Err(ImportError::new(format!(
            "Remark42 backup version {} is not one Tribune reads (0 or 1)",
            meta.version
        )));
    }
    header_read.set(true);
    let mut threads = HashSet::new();
    for item in de.into_iter::<Comment>() {
        let c = item.map_err(|e| {
            ImportError::new(format!("Remark42 backup: bad comment ({})", position(&e)))
        })?;
        for record in records(c, &mut threads)? {
            if futures::executor::block_on(tx.send(Ok(record))).is_err() {
                return Ok(()); // the writer stopped listening
            }
        }
    }
    Ok(())
}

/// Where the parser stopped, for the person importing (not its internals).
fn position(e: &serde_json::Error) -> String {
    if e.is_io() {
        return e.to_string(); // a bound of `Bounded`, which names its line
    }
    if e.is_eof() {
        return "the file ends early".into();
    }
    format!("line {}, column {}", e.line(), e.column())
}

/// A comment, preceded by its thread the first time that thread's URL is seen.
fn records(c: Comment, threads: &mut HashSet<String>) -> Result<Vec<Record>, ImportError> {
    let published = time(&c.time, &c.id)?;
    let edited = match &c.edit {
        Some(e) => Some(time(&e.time, &c.id)?),
        None => None,
    };
    let mut out = Vec::with_capacity(2);
    if threads.insert(c.locator.url.clone()) {
        out.push(Record::Thread(ImportedThread {
            key: c.locator.url.clone(),
            url: c.locator.url.clone(),
            title: Some(c.title.clone()).filter(|t| !t.trim().is_empty()),
        }));
    }
    let body = if c.text.trim().is_empty() && !c.orig.trim().is_empty() {
        Body::Markdown(c.orig)
    } else {
        Body::Html(c.text)
    };
    out.push(Record::Comment(ImportedComment {
        key: c.id,
        thread_key: c.locator.url,
        parent_key: Some(c.pid).filter(|p| !p.is_empty()),
        author: ImportedAuthor {
            name: Some(c.user.name).filter(|n| !n.trim().is_empty()),
            email: None,
            website: None,
        },
        body,
        published,
        edited,
        status: if c.delete {
            ImportedStatus::Deleted
        } else {
            ImportedStatus::Published
        },
    }));
    Ok(out)
}

/// RFC 3339 (Go's `time.Time` in JSON) as milliseconds.
fn time(text: &str, id: &str) -> Result<i64, ImportError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .map_err(|_| ImportError::new(format!("Remark42 comment {id}: bad time {text:?}")))
}

/// The backup as the parser reads it: refused past `MAX_BYTES` in all, or as soon as a
/// line after the header passes `MAX_LINE`, before that line is held whole.
struct Bounded<R> {
    inner: R,
    /// Set once the header is read: from then on lines are bounded.
    header_read: std::rc::Rc<std::cell::Cell<bool>>,
    total: u64,
    line: u64,
    line_len: u64,
}

impl<R: Read> Bounded<R> {
    fn new(inner: R, header_read: std::rc::Rc<std::cell::Cell<bool>>) -> Self {
        Bounded {
            inner,
            header_read,
            total: 0,
            line: 1,
            line_len: 0,
        }
    }

    fn refuse(why: String) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, why)
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.total += n as u64;
        if self.total > MAX_BYTES {
            return Err(Self::refuse(format!(
                "the backup is larger than {} GiB uncompressed",
                MAX_BYTES >> 30
            )));
        }
        for &byte in &buf[..n] {
            if byte == b'\n' {
                self.line += 1;
                self.line_len = 0;
                continue;
            }
            if !self.header_read.get() {
                continue; // the header's line is counted from its end
            }
            self.line_len += 1;
            if self.line_len > MAX_LINE {
                return Err(Self::refuse(format!(
                    "line {} is longer than {} MiB",
                    self.line,
                    MAX_LINE >> 20
                )));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_times_keep_their_offset_and_fraction() {
        assert_eq!(
            time("2017-12-20T15:18:22-06:00", "a").unwrap(),
            1_513_804_702_000
        );
        assert_eq!(
            time("2026-12-01T10:00:00.123456789Z", "a").unwrap() % 1000,
            123
        );
        assert!(time("yesterday", "a").is_err());
    }

    #[test]
    fn a_long_line_is_refused_by_its_number() {
        let mut text = b"short\nshort\n".to_vec();
        text.extend(vec![b'y'; MAX_LINE as usize + 1]);
        let mut out = Vec::new();
        let header_read = std::rc::Rc::new(std::cell::Cell::new(true));
        let error = Bounded::new(&text[..], header_read)
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(error.to_string(), "line 3 is longer than 4 MiB");
    }
}
