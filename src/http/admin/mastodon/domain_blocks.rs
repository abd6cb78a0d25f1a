//! `/api/v1/admin/domain_blocks` as Mastodon serves it: a list paged by `Link` headers
//! (`rel="next"` first, then `rel="prev"`, as FediBlockHole reads them), one block,
//! create (200, or 422 naming the block in the way), partial update, delete (200 `{}`).
//! Reading takes a moderator, writing an admin.

use super::{boolean, text, Answer, MastodonError, MastodonStaff, Params};
use crate::http::extract::Query;
use crate::{
    domain::Severity,
    error::Error,
    services::{
        moderators::domain_blocks::{self, BlockFields, Created, DomainBlockView, PageQuery},
        staff::Role,
    },
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

/// Mastodon's paging parameters (ids are strings there).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ListQuery {
    /// How many (default 100, at most 200).
    pub limit: Option<String>,
    /// Older than this id (the `next` link's).
    pub max_id: Option<String>,
    /// Newer than this id.
    pub since_id: Option<String>,
    /// Right after this id (the `prev` link's).
    pub min_id: Option<String>,
}

fn id_param(name: &str, value: &Option<String>) -> Result<Option<i64>, Error> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| Error::Unprocessable(format!("{name} must be an id"))),
    }
}

/// A path's id; an id that is not a number names no record.
fn record_id(raw: &str) -> Result<i64, MastodonError> {
    raw.parse()
        .map_err(|_| MastodonError(Error::NotFound("domain block")))
}

/// The fields a request gave.
fn fields(params: &Params) -> Result<BlockFields, Error> {
    let p = &params.0;
    let severity = match p.get("severity") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(Severity::parse(s.trim()).ok_or_else(|| {
            Error::Unprocessable(format!(
                "'{s}' is not a valid severity (silence, suspend or noop)"
            ))
        })?),
        Some(_) => return Err(Error::Unprocessable("severity must be text".into())),
    };
    Ok(BlockFields {
        domain: text(p, "domain")?.flatten(),
        severity,
        reject_media: boolean(p, "reject_media"),
        reject_reports: boolean(p, "reject_reports"),
        private_comment: text(p, "private_comment")?,
        public_comment: text(p, "public_comment")?,
        obfuscate: boolean(p, "obfuscate"),
    })
}

/// The blocks, newest first.
#[utoipa::path(get, path = "/api/v1/admin/domain_blocks", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, body = [DomainBlockView], description = "With a `Link` header: `rel=\"next\"` (older) when the page is full, `rel=\"prev\"` (newer) unless it is empty"),
              (status = 401), (status = 403), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    MastodonStaff(staff): MastodonStaff,
    Query(q): Query<ListQuery>,
) -> Answer<Response> {
    let limit = q
        .limit
        .as_deref()
        .and_then(|l| l.trim().parse::<i64>().ok())
        .map(i64::unsigned_abs);
    let page = domain_blocks::list(
        &state,
        &staff,
        PageQuery {
            limit,
            max_id: id_param("max_id", &q.max_id)?,
            since_id: id_param("since_id", &q.since_id)?,
            min_id: id_param("min_id", &q.min_id)?,
        },
    )
    .await?;
    let link = |key: &str, id: i64| {
        let mut url = state.settings.server.public_url.clone();
        url.set_path("/api/v1/admin/domain_blocks");
        url.set_query(None);
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(limit) = limit {
                pairs.append_pair("limit", &limit.to_string());
            }
            pairs.append_pair(key, &id.to_string());
        }
        format!(
            "<{url}>; rel=\"{}\"",
            if key == "max_id" { "next" } else { "prev" }
        )
    };
    let links: Vec<String> = [
        page.next_max_id.map(|id| link("max_id", id)),
        page.prev_min_id.map(|id| link("min_id", id)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut response = Json(page.blocks).into_response();
    if !links.is_empty() {
        if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    Ok(response)
}

/// One block.
#[utoipa::path(get, path = "/api/v1/admin/domain_blocks/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = DomainBlockView), (status = 401), (status = 403), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    MastodonStaff(staff): MastodonStaff,
    Path(id): Path<String>,
) -> Answer<Json<DomainBlockView>> {
    Ok(Json(
        domain_blocks::get(&state, &staff, record_id(&id)?).await?,
    ))
}

/// Block a domain: `domain` (required), `severity` (`silence` by default, `suspend`,
/// `noop`), `reject_media`, `reject_reports`, `private_comment`, `public_comment`,
/// `obfuscate`; as a form or JSON. It takes effect at once, as from the console.
#[utoipa::path(post, path = "/api/v1/admin/domain_blocks", security(("bearer" = [])),
    request_body(content((Object = "application/json"), (Object = "application/x-www-form-urlencoded"))),
    responses((status = 200, body = DomainBlockView),
              (status = 422, description = "`domain` missing or invalid, or a block in the way: `{\"error\": …, \"existing_domain_block\": {…}}`"),
              (status = 401), (status = 403)))]
pub async fn create(
    State(state): State<AppState>,
    MastodonStaff(staff): MastodonStaff,
    params: Result<Params, MastodonError>,
) -> Answer<Response> {
    // Who asks first, as Mastodon: a moderator's malformed body is still a 403.
    staff.require(Role::Admin)?;
    let fields = fields(&params?)?;
    Ok(match domain_blocks::create(&state, &staff, fields).await? {
        Created::Done(view) => Json(view).into_response(),
        Created::Exists(existing) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "error": format!("You have already imposed stricter limits on {}.", existing.domain),
                "existing_domain_block": existing,
            })),
        )
            .into_response(),
    })
}

/// Change a block: only the fields given (its domain stays).
#[utoipa::path(put, path = "/api/v1/admin/domain_blocks/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    request_body(content((Object = "application/json"), (Object = "application/x-www-form-urlencoded"))),
    responses((status = 200, body = DomainBlockView), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    MastodonStaff(staff): MastodonStaff,
    Path(id): Path<String>,
    params: Result<Params, MastodonError>,
) -> Answer<Json<DomainBlockView>> {
    staff.require(Role::Admin)?;
    let id = record_id(&id)?;
    let fields = fields(&params?)?;
    Ok(Json(
        domain_blocks::update(&state, &staff, id, fields).await?,
    ))
}

/// Lift a block.
#[utoipa::path(delete, path = "/api/v1/admin/domain_blocks/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "`{}`"), (status = 401), (status = 403), (status = 404)))]
pub async fn delete(
    State(state): State<AppState>,
    MastodonStaff(staff): MastodonStaff,
    Path(id): Path<String>,
) -> Answer<Json<Value>> {
    domain_blocks::delete(&state, &staff, record_id(&id)?).await?;
    Ok(Json(json!({})))
}
