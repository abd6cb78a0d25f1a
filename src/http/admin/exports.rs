//! The whole-site export as a download: the document is streamed as it is written
//! (a large site is never held in memory), admins only.

use crate::error::Result;
use crate::http::auth::Admin;
use crate::{services::imports::site, state::AppState};
use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use tokio::io::AsyncReadExt;

/// Bytes in flight between the export and the client.
const PIPE: usize = 64 * 1024;

/// Export a whole site (articles, comments with their history and moderation, remote
/// authors, highlights, reactions, reports, its rules) as one JSON document that
/// `tribune import tribune` reads back losslessly.
#[utoipa::path(get, path = "/api/v1/admin/sites/{slug}/export", params(("slug" = String, Path, description = "The site")),
    security(("bearer" = [])),
    responses((status = 200, content_type = "application/json", description = "The site's export, as an attachment"),
        (status = 401), (status = 403, description = "Admins only"), (status = 404, description = "No such site")))]
pub async fn export_site(
    State(state): State<AppState>,
    _admin: Admin,
    Path(slug): Path<String>,
) -> Result<Response> {
    site::check_site(&state, &slug)?;
    let (mut writer, reader) = tokio::io::duplex(PIPE);
    let name = slug.clone();
    let job = tokio::spawn(async move {
        let outcome = site::export(&state, &name, &mut writer).await;
        if let Err(e) = &outcome {
            tracing::error!(site = %name, error = ?e, "site export failed");
        }
        outcome.is_ok()
    });
    // A failed export ends the body with an error (the client sees a broken transfer),
    // never with a truncated document that looks whole.
    let stream = futures::stream::unfold((reader, Some(job)), |(mut reader, job)| async move {
        let mut buf = vec![0u8; 16 * 1024];
        match reader.read(&mut buf).await {
            Ok(0) => {
                let job = job?;
                match job.await {
                    Ok(true) => None,
                    _ => Some((Err(std::io::Error::other("export failed")), (reader, None))),
                }
            }
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), (reader, job)))
            }
            Err(e) => Some((Err(e), (reader, None))),
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tribune-{slug}.json\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
