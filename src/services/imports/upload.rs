//! An export sent over HTTP (`POST /api/v1/admin/imports`): the body written to a
//! temporary file as it arrives (never held whole in memory, refused past the size
//! limit), then, when it is `multipart/form-data`, its `file` part copied out to a file
//! of its own and its small text fields (`format`, `site`, `dry_run`) read.

use crate::error::{Error, Result};
use futures::{Stream, StreamExt};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// A temporary file, removed when dropped.
pub struct TempFile(PathBuf);

impl TempFile {
    fn new() -> TempFile {
        TempFile(std::env::temp_dir().join(format!("tribune-import-{}", uuid::Uuid::new_v4())))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The text fields of a multipart upload.
#[derive(Debug, Default, Clone)]
pub struct Fields {
    pub format: Option<String>,
    pub site: Option<String>,
    pub dry_run: Option<String>,
}

/// The longest text field or part header block read.
const MAX_FIELD: usize = 8 * 1024;

/// Writes `body` to a temporary file (`Error::PayloadTooLarge` past `max` bytes); a
/// multipart body gives its `file` part and its fields.
pub async fn receive<S, E>(
    mut body: S,
    content_type: Option<&str>,
    max: u64,
) -> Result<(TempFile, Fields)>
where
    S: Stream<Item = std::result::Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let raw = TempFile::new();
    let mut out = tokio::fs::File::create(raw.path())
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("temporary file: {e}")))?;
    let mut written = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            // The body limit of a layer, or the client going away.
            let text = e.to_string();
            if text.contains("length limit") {
                Error::PayloadTooLarge
            } else {
                Error::BadRequest(format!("could not read the body: {text}"))
            }
        })?;
        written += chunk.len() as u64;
        if written > max {
            return Err(Error::PayloadTooLarge);
        }
        out.write_all(&chunk)
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!("temporary file: {e}")))?;
    }
    out.flush()
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("temporary file: {e}")))?;
    drop(out);
    let Some(boundary) = content_type.and_then(boundary) else {
        return Ok((raw, Fields::default()));
    };
    tokio::task::spawn_blocking(move || split(&raw, &boundary))
        .await
        .map_err(|e| Error::Internal(e.into()))?
}

/// The boundary of a `multipart/form-data` content type.
fn boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    if !parts
        .next()?
        .trim()
        .eq_ignore_ascii_case("multipart/form-data")
    {
        return None;
    }
    parts.find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty() && b.len() <= 200)
    })
}

fn malformed(why: &str) -> Error {
    Error::BadRequest(format!("malformed multipart body: {why}"))
}

/// A reader over the raw body with its own buffer, so that what is read past a
/// boundary stays for the next part.
struct Scanner<R: Read> {
    input: R,
    buf: Vec<u8>,
}

impl<R: Read> Scanner<R> {
    /// Reads more into the buffer: `false` at the end of the input.
    fn fill(&mut self) -> Result<bool> {
        let mut chunk = [0u8; 64 * 1024];
        let n = self
            .input
            .read(&mut chunk)
            .map_err(|e| Error::Internal(anyhow::anyhow!("temporary file: {e}")))?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    /// One line without its end (`None` at the end of the input).
    fn line(&mut self) -> Result<Option<Vec<u8>>> {
        loop {
            if let Some(at) = self.buf.iter().position(|b| *b == b'\n') {
                let mut line: Vec<u8> = self.buf.drain(..=at).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(Some(line));
            }
            if self.buf.len() > MAX_FIELD {
                return Err(malformed("a line is too long"));
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Hands a part's content to `out` up to the next delimiter, then reads what
    /// follows it: `--` (the last part: `true`) or a line end (another part follows).
    fn copy_until(
        &mut self,
        delimiter: &[u8],
        mut out: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<bool> {
        loop {
            if let Some(at) = self
                .buf
                .windows(delimiter.len())
                .position(|w| w == delimiter)
            {
                out(&self.buf[..at])?;
                self.buf.drain(..at + delimiter.len());
                while self.buf.len() < 2 {
                    if !self.fill()? {
                        break;
                    }
                }
                if self.buf.starts_with(b"--") {
                    return Ok(true);
                }
                if !self.buf.starts_with(b"\r\n") {
                    return Err(malformed("a boundary is not followed by a line end"));
                }
                self.buf.drain(..2);
                return Ok(false);
            }
            let keep = delimiter.len().saturating_sub(1).min(self.buf.len());
            let flush = self.buf.len() - keep;
            out(&self.buf[..flush])?;
            self.buf.drain(..flush);
            if !self.fill()? {
                return Err(malformed("the last boundary is missing"));
            }
        }
    }
}

/// Copies the `file` part of a multipart body out, and reads its fields.
fn split(raw: &TempFile, boundary: &str) -> Result<(TempFile, Fields)> {
    let io = |e: std::io::Error| Error::Internal(anyhow::anyhow!("temporary file: {e}"));
    let mut input = Scanner {
        input: std::fs::File::open(raw.path()).map_err(io)?,
        buf: Vec::with_capacity(128 * 1024),
    };
    let first = format!("--{boundary}");
    let delimiter = format!("\r\n--{boundary}");
    // Up to the first boundary (a preamble is allowed).
    loop {
        match input.line()? {
            None => return Err(malformed("no boundary")),
            Some(line) if line == first.as_bytes() => break,
            Some(_) => {}
        }
    }
    let mut fields = Fields::default();
    let mut file: Option<TempFile> = None;
    loop {
        let name = part_name(&mut input)?;
        let mut sink: Box<dyn Write> = match name.as_deref() {
            Some("file") if file.is_none() => {
                let f = TempFile::new();
                let w = std::fs::File::create(f.path()).map_err(io)?;
                file = Some(f);
                Box::new(std::io::BufWriter::new(w))
            }
            _ => Box::new(std::io::sink()),
        };
        let mut small = Vec::new();
        let keep_small = matches!(name.as_deref(), Some("format" | "site" | "dry_run"));
        let last = input.copy_until(delimiter.as_bytes(), |bytes| {
            if keep_small {
                if small.len() + bytes.len() > MAX_FIELD {
                    return Err(malformed("a field is too long"));
                }
                small.extend_from_slice(bytes);
                Ok(())
            } else {
                sink.write_all(bytes).map_err(io)
            }
        })?;
        sink.flush().map_err(io)?;
        let value = String::from_utf8_lossy(&small).trim().to_string();
        match name.as_deref() {
            Some("format") => fields.format = Some(value),
            Some("site") => fields.site = Some(value),
            Some("dry_run") => fields.dry_run = Some(value),
            _ => {}
        }
        if last {
            break;
        }
    }
    let file = file.ok_or_else(|| malformed("no part named \"file\""))?;
    Ok((file, fields))
}

/// Reads a part's headers; its `name` from `Content-Disposition`.
fn part_name<R: Read>(input: &mut Scanner<R>) -> Result<Option<String>> {
    let mut name = None;
    for _ in 0..32 {
        let Some(line) = input.line()? else {
            return Err(malformed("a part's headers do not end"));
        };
        let text = String::from_utf8_lossy(&line).to_string();
        if text.is_empty() {
            return Ok(name);
        }
        if let Some((header, value)) = text.split_once(':') {
            if header.trim().eq_ignore_ascii_case("content-disposition") {
                name = value.split(';').find_map(|p| {
                    let (k, v) = p.trim().split_once('=')?;
                    (k.trim() == "name").then(|| v.trim().trim_matches('"').to_string())
                });
            }
        }
    }
    Err(malformed("a part has too many headers"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_multipart_body_gives_its_file_and_fields() {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"site\"\r\n\r\ndemo\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xml\"\r\nContent-Type: application/xml\r\n\r\n<disqus>\r\n--X</disqus>\r\n--XyZ--\r\n";
        let stream = futures::stream::iter(
            body.as_bytes()
                .chunks(7)
                .map(|c| Ok::<_, std::io::Error>(bytes::Bytes::copy_from_slice(c)))
                .collect::<Vec<_>>(),
        );
        let (file, fields) = receive(stream, Some("multipart/form-data; boundary=XyZ"), 1 << 20)
            .await
            .unwrap();
        assert_eq!(fields.site.as_deref(), Some("demo"));
        assert_eq!(
            std::fs::read_to_string(file.path()).unwrap(),
            "<disqus>\r\n--X</disqus>"
        );
        let too_big =
            futures::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from(vec![
                b'a';
                100
            ]))]);
        assert!(matches!(
            receive(too_big, None, 10).await,
            Err(Error::PayloadTooLarge)
        ));
    }
}
