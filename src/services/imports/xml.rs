//! What the XML readers (`disqus.rs`, `wxr.rs`) share: a pull parser over a buffered
//! file that hands out element openings (with their attributes) and closings (with the
//! text they held, CDATA and entities resolved), one at a time, so that a reader keeps
//! only the record it is building; and the bounded channel from the blocking thread
//! that parses to the writer.

use super::model::{ImportError, Record, Records};
use quick_xml::events::Event;
use std::io::BufRead;

/// The most text one element may hold (a comment is never this long): past it the file
/// is refused rather than held in memory.
const MAX_TEXT: usize = 4 * 1024 * 1024;

/// Records waiting between the parser and the writer: enough for a batch, no more.
const CHANNEL: usize = 512;

pub enum Item {
    /// An element opens (`<post dsq:id="1">`, or an empty `<parent dsq:id="2"/>`, which
    /// is then closed at once).
    Open {
        name: String,
        attributes: Vec<(String, String)>,
    },
    /// An element closes, with its text.
    Close {
        name: String,
        text: String,
    },
    End,
}

enum Kind {
    Empty,
    Other,
}

pub struct Pull<R: BufRead> {
    reader: quick_xml::Reader<R>,
    buf: Vec<u8>,
    text: String,
    /// The closing of an empty element, handed out after its opening.
    pending: Option<String>,
    /// The format's name, for messages.
    what: &'static str,
}

impl<R: BufRead> Pull<R> {
    pub fn new(input: R, what: &'static str) -> Self {
        let mut reader = quick_xml::Reader::from_reader(input);
        reader.config_mut().check_end_names = true;
        Pull {
            reader,
            buf: Vec::with_capacity(8 * 1024),
            text: String::new(),
            pending: None,
            what,
        }
    }

    fn error(&self, why: impl std::fmt::Display) -> ImportError {
        ImportError::new(format!(
            "not a readable {} file: {why} (near byte {})",
            self.what,
            self.reader.error_position()
        ))
    }

    fn push(&mut self, text: &str) -> Result<(), ImportError> {
        if self.text.len() + text.len() > MAX_TEXT {
            return Err(self.error("an element holds more than 4 MiB of text"));
        }
        self.text.push_str(text);
        Ok(())
    }

    pub fn next(&mut self) -> Result<Item, ImportError> {
        if let Some(name) = self.pending.take() {
            return Ok(Item::Close {
                name,
                text: String::new(),
            });
        }
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e.into_owned(),
                Err(e) => return Err(self.error(e)),
            };
            let event_kind = match event {
                Event::Empty(_) => Kind::Empty,
                _ => Kind::Other,
            };
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(event_kind, Kind::Empty);
                    let name = e.name().0.to_string();
                    let mut attributes = Vec::new();
                    for a in e.attributes() {
                        let a = a.map_err(|err| self.error(err))?;
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|err| self.error(err))?;
                        attributes.push((a.key.0.to_string(), value.into_owned()));
                    }
                    self.text.clear();
                    if empty {
                        self.pending = Some(name.clone());
                    }
                    return Ok(Item::Open { name, attributes });
                }
                Event::End(e) => {
                    return Ok(Item::Close {
                        name: e.name().0.to_string(),
                        text: std::mem::take(&mut self.text),
                    })
                }
                Event::Text(t) => {
                    let t = t.xml10_content().into_owned();
                    self.push(&t)?;
                }
                Event::CData(t) => {
                    let t = t.into_inner().into_owned();
                    self.push(&t)?;
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match r.as_ref() {
                            "amp" => "&".into(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            // An HTML entity in an export (`&nbsp;`): left for the HTML
                            // sanitiser to read.
                            other => format!("&{other};"),
                        },
                        Err(e) => return Err(self.error(e)),
                    };
                    self.push(&resolved)?;
                }
                Event::Eof => return Ok(Item::End),
                _ => {}
            }
        }
    }
}

/// Runs `parse` on a blocking thread, its records sent through a bounded channel: the
/// parser waits while the writer is behind, so memory stays bounded whatever the file.
pub fn spawn<F>(parse: F) -> Records
where
    F: FnOnce(&mut dyn FnMut(Record) -> bool) -> Result<(), ImportError> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Record, ImportError>>(CHANNEL);
    tokio::task::spawn_blocking(move || {
        let mut send = |r: Record| tx.blocking_send(Ok(r)).is_ok();
        if let Err(e) = parse(&mut send) {
            let _ = tx.blocking_send(Err(e));
        }
    });
    Box::pin(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

/// An attribute's value by its name.
pub fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Text that says something (`None` for empty or blank).
pub fn filled(text: String) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}
