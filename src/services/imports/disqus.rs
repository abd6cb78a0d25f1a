//! Disqus's XML export (`<disqus>`: `<category>`s, then `<thread dsq:id>`s with their
//! `<link>` and `<title>`, then `<post dsq:id>`s, each naming its `<thread dsq:id/>` and
//! any `<parent dsq:id/>`), read as a stream. Posts are not in thread order: a reply may
//! come before the post it answers, which the writer resolves at the end.

use super::model::{Body, ImportError, ImportedAuthor, ImportedComment, ImportedStatus};
use super::model::{ImportedThread, Record, Records};
use super::xml::{attribute, filled, spawn, Item, Pull};
use std::io::BufRead;

/// Reads a Disqus export on a blocking thread.
pub fn read(file: std::fs::File) -> Records {
    spawn(move |send| parse(std::io::BufReader::with_capacity(64 * 1024, file), send))
}

#[derive(Default)]
struct Post {
    key: String,
    thread: Option<String>,
    parent: Option<String>,
    message: String,
    created: Option<String>,
    deleted: bool,
    spam: bool,
    approved: bool,
    name: Option<String>,
    username: Option<String>,
    email: Option<String>,
    link: Option<String>,
}

#[derive(Default)]
struct Thread {
    key: String,
    link: Option<String>,
    title: Option<String>,
}

enum Inside {
    Nothing,
    Thread(Thread),
    Post(Box<Post>),
}

fn truth(text: &str) -> bool {
    matches!(text.trim(), "true" | "1")
}

/// Disqus writes `2013-03-25T10:23:37Z`; older exports drop the `Z`.
pub(super) fn time(text: &str) -> Option<i64> {
    let text = text.trim();
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                .map(|t| t.and_utc().timestamp_millis())
        })
        .ok()
}

pub fn parse<R: BufRead>(
    input: R,
    send: &mut dyn FnMut(Record) -> bool,
) -> Result<(), ImportError> {
    let mut pull = Pull::new(input, "Disqus export");
    let mut depth = 0usize;
    let mut inside = Inside::Nothing;
    let mut seen_root = false;
    loop {
        match pull.next()? {
            Item::End => break,
            Item::Open { name, attributes } => {
                depth += 1;
                if depth == 1 {
                    if name != "disqus" {
                        return Err(ImportError::new(format!(
                            "not a Disqus export: the file starts with <{name}>, not <disqus>"
                        )));
                    }
                    seen_root = true;
                    continue;
                }
                let id = attribute(&attributes, "dsq:id").map(str::to_string);
                match (depth, name.as_str(), &mut inside) {
                    (2, "thread", _) => {
                        inside = Inside::Thread(Thread {
                            key: id.ok_or_else(|| ImportError::new("a <thread> has no dsq:id"))?,
                            ..Thread::default()
                        })
                    }
                    (2, "post", _) => {
                        inside = Inside::Post(Box::new(Post {
                            key: id.ok_or_else(|| ImportError::new("a <post> has no dsq:id"))?,
                            approved: true,
                            ..Post::default()
                        }))
                    }
                    (3, "thread", Inside::Post(p)) => p.thread = id,
                    (3, "parent", Inside::Post(p)) => p.parent = id,
                    _ => {}
                }
            }
            Item::Close { name, text } => {
                match (depth, name.as_str(), &mut inside) {
                    (3, "link", Inside::Thread(t)) => t.link = filled(text),
                    (3, "title", Inside::Thread(t)) => t.title = filled(text),
                    (3, "message", Inside::Post(p)) => p.message = text,
                    (3, "createdAt", Inside::Post(p)) => p.created = filled(text),
                    (3, "isDeleted", Inside::Post(p)) => p.deleted = truth(&text),
                    (3, "isSpam", Inside::Post(p)) => p.spam = truth(&text),
                    (3, "isApproved", Inside::Post(p)) => p.approved = truth(&text),
                    (4, "name", Inside::Post(p)) => p.name = filled(text),
                    (4, "username", Inside::Post(p)) => p.username = filled(text),
                    (4, "email", Inside::Post(p)) => p.email = filled(text),
                    (4, "link", Inside::Post(p)) => p.link = filled(text),
                    (2, "thread", Inside::Thread(_)) => {
                        let Inside::Thread(t) = std::mem::replace(&mut inside, Inside::Nothing)
                        else {
                            unreachable!()
                        };
                        let url = t.link.ok_or_else(|| {
                            ImportError::new(format!("thread {} has no <link>", t.key))
                        })?;
                        if !send(Record::Thread(ImportedThread {
                            key: t.key,
                            url,
                            title: t.title,
                        })) {
                            return Ok(());
                        }
                    }
                    (2, "post", Inside::Post(_)) => {
                        let Inside::Post(p) = std::mem::replace(&mut inside, Inside::Nothing)
                        else {
                            unreachable!()
                        };
                        if !send(Record::Comment(comment(*p)?)) {
                            return Ok(());
                        }
                    }
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
        }
    }
    if !seen_root {
        return Err(ImportError::new("not a Disqus export: the file is empty"));
    }
    Ok(())
}

fn comment(p: Post) -> Result<ImportedComment, ImportError> {
    let thread_key = p
        .thread
        .ok_or_else(|| ImportError::new(format!("post {} names no <thread>", p.key)))?;
    let published =
        p.created.as_deref().and_then(time).ok_or_else(|| {
            ImportError::new(format!("post {} has no readable <createdAt>", p.key))
        })?;
    let status = if p.deleted {
        ImportedStatus::Deleted
    } else if p.spam {
        ImportedStatus::Spam
    } else if !p.approved {
        ImportedStatus::Held
    } else {
        ImportedStatus::Published
    };
    Ok(ImportedComment {
        key: p.key,
        thread_key,
        parent_key: p.parent,
        author: ImportedAuthor {
            name: p.name.or(p.username),
            email: p.email,
            website: p.link,
        },
        body: Body::Html(p.message),
        published,
        edited: None,
        status,
    })
}
