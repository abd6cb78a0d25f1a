//! `/.well-known/webfinger` (RFC 7033) and NodeInfo 2.1.

use crate::{
    error::{Error, Result},
    services,
    state::AppState,
};
use activitypub_federation::fetch::webfinger::build_webfinger_response_with_type;
use axum::{
    extract::{Query, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;
use url::Url;

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: String,
}

/// `acct:<site>@<host>` (or the actor URL) → the site actor; `acct:<host>@<host>` → the
/// instance actor; `acct:<username>@<host>` → a journalist's actor. The server's own
/// actors come first: a staff member named like a site, `blocklist` or the host has no
/// actor (`services::newsroom::journalists`).
pub async fn webfinger(
    State(state): State<AppState>,
    Query(q): Query<WebfingerQuery>,
) -> Result<Response> {
    let host = state.settings.public_host();
    let resource = q.resource.trim();
    let (name, kind) = if let Some(acct) = resource.strip_prefix("acct:") {
        let acct = acct.trim_start_matches('@');
        let (name, at) = acct
            .rsplit_once('@')
            .ok_or_else(|| Error::BadRequest("resource must be acct:name@host".into()))?;
        if !at.eq_ignore_ascii_case(&host) {
            return Err(Error::NotFound("account"));
        }
        (name.to_string(), None)
    } else if let Some(slug) = state.urls.site_slug_of(resource) {
        (slug.to_string(), None)
    } else if resource == state.urls.instance_actor() {
        (host.clone(), Some("Application"))
    } else if resource == state.urls.blocklist_actor() {
        ("blocklist".to_string(), None)
    } else if let Some(username) = state.urls.staff_username_of(resource) {
        (username.to_string(), None)
    } else {
        return Err(Error::NotFound("account"));
    };
    let (actor, kind) = if name == host || kind.is_some() {
        (state.urls.instance_actor(), "Application")
    } else if name == "blocklist" {
        (state.urls.blocklist_actor(), "Service")
    } else if state.site(&name).is_some() {
        (state.urls.site_actor(&name), "Person")
    } else if let Some(actor) = services::newsroom::journalists::webfinger(&state, &name).await? {
        (actor, "Person")
    } else {
        return Err(Error::NotFound("account"));
    };
    let url = Url::parse(&actor).map_err(|e| Error::Internal(e.into()))?;
    let mut response = build_webfinger_response_with_type(
        format!("acct:{name}@{host}"),
        vec![(url.clone(), Some(kind))],
    );
    response.aliases.push(url);
    let mut http = Json(response).into_response();
    http.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jrd+json; charset=utf-8"),
    );
    Ok(http)
}

pub async fn nodeinfo_links(State(state): State<AppState>) -> impl IntoResponse {
    Json(json!({
        "links": [{
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": format!("{}/nodeinfo/2.1", state.urls.base()),
        }]
    }))
}

/// NodeInfo 2.1: software, protocols, usage (sites count as users, articles as posts).
pub async fn nodeinfo(State(state): State<AppState>) -> Result<Response> {
    let (users, posts) = services::articles::usage(&state).await?;
    let body = json!({
        "version": "2.1",
        "software": {
            "name": "tribune",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": false,
        "usage": {
            "users": {"total": users, "activeMonth": users, "activeHalfyear": users},
            "localPosts": posts,
        },
        "metadata": {"nodeName": format!("Tribune at {}", state.settings.public_host())},
    });
    let mut response = Json(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
        ),
    );
    Ok(response)
}
