//! `GET /`: what this server is, for a publisher or a curious visitor who types its
//! address: its sites (from the configuration), the console, the API document, and the
//! few lines that put the comments on a page. In the visitor's `Accept-Language`.

use crate::{error::Result, http::views, i18n::Lang, state::AppState};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use serde_json::json;

pub async fn landing(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let lang = Lang::negotiate(
        None,
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
        Lang::english(),
    );
    let public = &state.settings.server.public_url;
    let authority = match public.port() {
        Some(port) => format!("{}:{port}", public.host_str().unwrap_or("")),
        None => public.host_str().unwrap_or("").to_string(),
    };
    let mut sites: Vec<_> = state.sites.values().collect();
    sites.sort_by(|a, b| a.name.cmp(&b.name));
    let example = sites
        .first()
        .and_then(|s| s.origin.join("2026/11/story").ok())
        .map(|u| u.to_string())
        .unwrap_or_else(|| "https://news.example/2026/11/story".into());
    let base = state.urls.base();
    let html = views::render(
        "landing.html",
        lang,
        json!({
            "base": base,
            "sites": sites.iter().map(|s| json!({
                "name": s.name,
                "summary": s.summary,
                "origin": s.origin.origin().ascii_serialization(),
                "handle": format!("@{}@{authority}", s.slug),
                "actor": state.urls.site_actor(&s.slug),
                "charter": s.charter_url.as_ref().map(|u| u.to_string()),
            })).collect::<Vec<_>>(),
            "embed": format!(
                "<div data-tribune-thread=\"{example}\"></div>\n<script src=\"{base}/embed.js\" async></script>"
            ),
            "alternate": format!(
                "<link rel=\"alternate\" type=\"application/activity+json\"\n  href=\"{}\">",
                state.urls.article_by_url(&example)
            ),
            "nojs": format!("{base}/threads?url={}", url::form_urlencoded::byte_serialize(example.as_bytes()).collect::<String>()),
        }),
    )?;
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    response.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    Ok(response)
}
