//! `POST /api/v1/admin/imports`: another comment system's export imported for a site
//! (admin role), sent as multipart (`file` part) or as the raw body, written to a
//! temporary file as it arrives (up to `imports.max_upload_bytes`), then imported as
//! `tribune import` does. Answers the import's report.

use crate::http::auth::Admin;
use crate::http::extract::Query;
use crate::{
    error::{Error, Result},
    services::imports::{self, Format, ImportReport},
    state::AppState,
};
use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderMap},
    Json,
};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// disqus, wxr, isso, remark42 or tribune (or a multipart field).
    #[serde(default)]
    pub format: Option<String>,
    /// Slug of a configured site (or a multipart field).
    #[serde(default)]
    pub site: Option<String>,
    /// `true`: report what would change, writing nothing.
    #[serde(default)]
    pub dry_run: Option<String>,
}

/// Import an export file (Disqus XML, WordPress WXR, Isso database, Remark42 backup,
/// Tribune's site export): multipart with a `file` part, or the file as the body.
/// Nothing is federated; importing the same file again changes nothing.
#[utoipa::path(post, path = "/api/v1/admin/imports", params(ImportQuery),
    request_body(content = String, description = "The export file, raw or as the `file` part of multipart/form-data"),
    security(("bearer" = [])),
    responses((status = 200, body = ImportReport), (status = 400), (status = 401), (status = 403),
        (status = 413), (status = 422)))]
pub async fn import(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ImportReport>> {
    let max = state.settings.imports.max_upload_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(Error::PayloadTooLarge);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let (file, fields) =
        imports::upload::receive(body.into_data_stream(), content_type, max).await?;
    let format_name = q.format.or(fields.format).ok_or_else(|| {
        Error::Unprocessable("format: missing (disqus, wxr, isso, remark42, tribune)".into())
    })?;
    let format = Format::parse(&format_name).ok_or_else(|| {
        Error::Unprocessable(format!(
            "format: unknown format {format_name:?} (disqus, wxr, isso, remark42, tribune)"
        ))
    })?;
    let site = q
        .site
        .or(fields.site)
        .ok_or_else(|| Error::Unprocessable("site: missing".into()))?;
    let dry_run = matches!(
        q.dry_run.or(fields.dry_run).as_deref(),
        Some("true" | "1" | "yes" | "on")
    );
    let report = imports::run(&state, &site, format, file.path(), dry_run, None).await?;
    Ok(Json(report))
}
