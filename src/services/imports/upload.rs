//! An export sent over HTTP (`POST /api/v1/admin/imports`): the body written to a
//! temporary file as it arrives (never held whole in memory, refused past the size
//! limit), or, when it is `multipart/form-data`, its `file` part written so as it arrives
//! and its small text fields (`format`, `site`, `dry_run`) read.

use crate::error::{Error, Result};
use futures::{Stream, StreamExt};
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

    /// Creates the file, readable by this server's user only (an upload holds readers'
    /// addresses), and never one that already exists (a link planted at the name).
    async fn create(&self) -> std::io::Result<tokio::fs::File> {
        tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&self.0)
            .await
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

/// The longest text field read.
const MAX_FIELD: u64 = 8 * 1024;

fn temp_error(e: std::io::Error) -> Error {
    Error::Internal(anyhow::anyhow!("temporary file: {e}"))
}

/// Writes `body` to a temporary file (`Error::PayloadTooLarge` past `max` bytes); a
/// `multipart/form-data` body gives its `file` part (parsed as it arrives by `multer`,
/// axum's own multipart parser) and its fields.
pub async fn receive<S, E>(
    body: S,
    content_type: Option<&str>,
    max: u64,
) -> Result<(TempFile, Fields)>
where
    S: Stream<Item = std::result::Result<bytes::Bytes, E>> + Send + Unpin + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    match content_type.and_then(|t| multer::parse_boundary(t).ok()) {
        Some(boundary) => multipart(body, boundary, max).await,
        None => {
            let file = TempFile::new();
            let mut out = file.create().await.map_err(temp_error)?;
            let mut body = body;
            let mut written = 0u64;
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| {
                    Error::BadRequest(format!("could not read the body: {}", e.into()))
                })?;
                written += chunk.len() as u64;
                if written > max {
                    return Err(Error::PayloadTooLarge);
                }
                out.write_all(&chunk).await.map_err(temp_error)?;
            }
            out.flush().await.map_err(temp_error)?;
            Ok((file, Fields::default()))
        }
    }
}

async fn multipart<S, E>(body: S, boundary: String, max: u64) -> Result<(TempFile, Fields)>
where
    S: Stream<Item = std::result::Result<bytes::Bytes, E>> + Send + Unpin + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    let limits = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(max)
            .for_field("format", MAX_FIELD)
            .for_field("site", MAX_FIELD)
            .for_field("dry_run", MAX_FIELD),
    );
    let mut parts = multer::Multipart::with_constraints(body, boundary, limits);
    let refused = |e: multer::Error| match e {
        multer::Error::StreamSizeExceeded { .. } => Error::PayloadTooLarge,
        e => Error::BadRequest(format!("malformed multipart body: {e}")),
    };
    let mut fields = Fields::default();
    let mut file: Option<TempFile> = None;
    while let Some(mut part) = parts.next_field().await.map_err(refused)? {
        match part.name() {
            Some("file") if file.is_none() => {
                let f = TempFile::new();
                let mut out = f.create().await.map_err(temp_error)?;
                while let Some(chunk) = part.chunk().await.map_err(refused)? {
                    out.write_all(&chunk).await.map_err(temp_error)?;
                }
                out.flush().await.map_err(temp_error)?;
                file = Some(f);
            }
            Some(name @ ("format" | "site" | "dry_run")) => {
                let name = name.to_string();
                let value = part.text().await.map_err(refused)?.trim().to_string();
                match name.as_str() {
                    "format" => fields.format = Some(value),
                    "site" => fields.site = Some(value),
                    _ => fields.dry_run = Some(value),
                }
            }
            // Other parts are read past, unkept (they still count against `max`).
            _ => while part.chunk().await.map_err(refused)?.is_some() {},
        }
    }
    let file = file.ok_or_else(|| {
        Error::BadRequest("malformed multipart body: no part named \"file\"".into())
    })?;
    Ok((file, fields))
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

    #[tokio::test]
    async fn a_temporary_file_is_the_servers_own_and_always_new() {
        use std::os::unix::fs::PermissionsExt;
        let file = TempFile::new();
        drop(file.create().await.unwrap());
        let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(file.create().await.is_err(), "never one that exists");
    }
}
