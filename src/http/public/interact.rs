//! "Reply from your instance": `GET /interact?uri=…&handle=…` sends a reader to their
//! own server's page for answering one of our articles or comments (303), or says
//! where as JSON; `GET /interact/check?handle=…[&uri=…]` is what the embed asks first.
//! A refused handle is answered in the reader's language: JSON for scripts, a page
//! with the form again for browsers without JavaScript.

use super::super::limits;
use crate::http::extract::Query;
use crate::http::{responses::json_wanted, views};
use crate::services::threads::interact::{self, Checked, Refusal, Target};
use crate::{
    error::{Error, Result},
    i18n::{Arg, Lang},
    state::AppState,
};
use axum::{
    extract::{ConnectInfo, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InteractQuery {
    /// The ActivityPub id of the article or comment to answer.
    pub uri: String,
    /// The reader's handle (`name@server`) or server.
    pub handle: String,
    /// The language of the answer (else the site's, else `Accept-Language`).
    pub lang: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CheckQuery {
    /// What the reader typed: `name@server`, `@name@server` or a server.
    pub handle: String,
    /// The article or comment to answer: the answer then says where to go.
    pub uri: Option<String>,
    /// The language of the error message (else the site's, else `Accept-Language`).
    pub lang: Option<String>,
}

/// Why the reader cannot go on yet: a code and its message.
struct Problem {
    code: &'static str,
    message: String,
    status: StatusCode,
}

fn language(chosen: Option<&str>, target: Option<&Target>, headers: &HeaderMap) -> Lang {
    let site = target.and_then(|t| t.language.as_deref());
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(
        chosen.filter(|c| Lang::of(c).is_some()).or(site),
        accept,
        Lang::english(),
    )
}

fn refusal(lang: Lang, r: &Refusal) -> Problem {
    let args = [("host", Arg::Str(&r.host)), ("user", Arg::Str(&r.user))];
    Problem {
        code: r.problem.code(),
        message: lang.t_args(&format!("interact-error-{}", r.problem.code()), &args),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn simple(lang: Lang, code: &'static str, status: StatusCode) -> Problem {
    Problem {
        code,
        message: lang.t(&format!("interact-error-{code}")),
        status,
    }
}

/// A check for this reader, unless they made too many: `Err` is the answer to give.
async fn checked(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    uri: Option<&str>,
    typed: &str,
    lang: Lang,
) -> Result<std::result::Result<Checked, Problem>> {
    // A mistyped address costs nothing; only a check that asks another server counts.
    if let Err(r) = interact::parse_handle(typed) {
        if uri.is_none() || interact::target(state, uri.unwrap_or("")).await?.is_some() {
            return Ok(Err(refusal(lang, &r)));
        }
    }
    if limits::handle_check(state, peer, headers).is_err() {
        return Ok(Err(simple(lang, "too-many", StatusCode::TOO_MANY_REQUESTS)));
    }
    match interact::check(state, uri, typed).await {
        Ok(Checked::Refused(r)) => Ok(Err(refusal(lang, &r))),
        Ok(ok) => Ok(Ok(ok)),
        Err(Error::NotFound(_)) => Ok(Err(simple(lang, "unknown-object", StatusCode::NOT_FOUND))),
        Err(e) => Err(e),
    }
}

/// Where to reply from the reader's own server.
#[utoipa::path(get, path = "/interact", params(InteractQuery),
    responses((status = 303, description = "Redirect to the reader's server"),
               (status = 200, description = "With `Accept: application/json`: `{\"url\": …}`"),
               (status = 404, description = "Not one of our objects"),
               (status = 422, description = "Not a handle, or no server confirmed it: `{\"error\", \"error_code\"}`, or a page in the reader's language"),
               (status = 429, description = "Too many checks from this address")))]
pub async fn interact(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<InteractQuery>,
) -> Result<Response> {
    let uri = q.uri.trim();
    let target = interact::target(&state, uri).await?;
    let lang = language(q.lang.as_deref(), target.as_ref(), &headers);
    let problem = match checked(&state, peer, &headers, Some(uri), &q.handle, lang).await? {
        Ok(Checked::Confirmed { url: Some(url), .. }) => {
            if json_wanted(&headers) {
                return Ok(Json(json!({ "url": url })).into_response());
            }
            return Ok(Redirect::to(url.as_str()).into_response());
        }
        Ok(_) => simple(lang, "unknown-object", StatusCode::NOT_FOUND),
        Err(problem) => problem,
    };
    if json_wanted(&headers) {
        return Ok((
            problem.status,
            Json(json!({"error": problem.message, "error_code": problem.code})),
        )
            .into_response());
    }
    let target = target.unwrap_or_default();
    let page = views::render(
        "interact/error.html",
        lang,
        json!({
            "message": problem.message,
            "uri": (problem.code != "unknown-object").then_some(uri),
            "handle": q.handle.trim(),
            "article_url": target.article_url,
            "join_url": target.join_url.unwrap_or_else(|| crate::config::DEFAULT_JOIN_URL.into()),
        }),
    )?;
    let mut response = (
        problem.status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    Ok(response)
}

/// Checks a reader's handle before sending them anywhere: its form, then WebFinger on
/// their server. `{"ok": true, "handle", "url"?}` or `{"ok": false, "error_code",
/// "error"}` (the message in the reader's language).
#[utoipa::path(get, path = "/interact/check", params(CheckQuery),
    responses((status = 200, description = "`ok` says whether the handle can be used; `url` where to go when `uri` was given"),
               (status = 404, description = "`uri` is not one of our objects"),
               (status = 429, description = "Too many checks from this address")))]
pub async fn check(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<CheckQuery>,
) -> Result<Response> {
    let uri = q.uri.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let target = match uri {
        Some(uri) => interact::target(&state, uri).await?,
        None => None,
    };
    let lang = language(q.lang.as_deref(), target.as_ref(), &headers);
    let answer = match checked(&state, peer, &headers, uri, &q.handle, lang).await? {
        Ok(Checked::Confirmed { handle, url }) => (
            StatusCode::OK,
            Json(json!({"ok": true, "handle": handle, "url": url})),
        ),
        Ok(Checked::Refused(r)) => {
            let p = refusal(lang, &r);
            (
                p.status,
                Json(json!({"ok": false, "error_code": p.code, "error": p.message})),
            )
        }
        Err(p) => {
            // A refused handle is an answer, not a failed request; the others say so.
            let status = if p.status == StatusCode::UNPROCESSABLE_ENTITY {
                StatusCode::OK
            } else {
                p.status
            };
            (
                status,
                Json(json!({"ok": false, "error_code": p.code, "error": p.message})),
            )
        }
    };
    let mut response = answer.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
