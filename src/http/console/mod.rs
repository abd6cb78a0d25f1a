//! The moderation console at `/admin`: server-rendered pages for the staff (sign-in,
//! queue with keyboard shortcuts, a comment in its context, articles and their modes,
//! the editors' selection, rules and modes, domain policies, reports, audit log,
//! blocklists), behind the session layer of `session`; refusals and errors as
//! translated pages (`errors`), never JSON.

mod alerts;
mod articles;
mod blocklists;
mod comment;
mod errors;
mod hits;
mod logs;
mod queue;
mod selection;
mod session;
mod settings;

use crate::http::views;
use crate::{error::Result, i18n::Lang, services::staff::Staff, state::AppState};
use axum::{
    http::{header, HeaderValue},
    middleware::from_fn_with_state,
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};
use utoipa_axum::router::OpenApiRouter;

const SCRIPT: &str = include_str!("../../../assets/console.js");

const STYLE: &str = include_str!("../../../assets/console.css");

/// The console's pages and forms behind the session layer; the script and signing in
/// and out outside it.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let signed_in = OpenApiRouter::new()
        .route("/admin", get(queue::queue))
        .route("/admin/live", get(queue::live))
        .route("/admin/bulk", post(queue::bulk))
        .route("/admin/undo", post(queue::undo))
        .route("/admin/language", post(session::set_language))
        .route("/admin/comments/{id}", get(comment::comment))
        .route(
            "/admin/comments/{id}/confirm/{action}",
            get(comment::confirm),
        )
        .route("/admin/comments/{id}/forward", post(comment::forward))
        .route("/admin/comments/{id}/trust", post(comment::trust))
        .route("/admin/comments/{id}/{action}", post(queue::act))
        .route("/admin/articles", get(articles::articles))
        .route("/admin/articles/{id}/mode", post(articles::set_mode))
        .route(
            "/admin/rules",
            get(settings::rules).post(settings::rules_post),
        )
        .route("/admin/rules/{id}/delete", post(settings::rule_delete))
        .route("/admin/modes", post(settings::modes_post))
        .route(
            "/admin/domains",
            get(settings::domains).post(settings::domains_post),
        )
        .route("/admin/domains/delete", post(settings::domains_delete))
        .route("/admin/reports", get(logs::reports))
        .route("/admin/audit", get(logs::audit))
        .route("/admin/blocklists", get(blocklists::page))
        .route("/admin/blocklists/{id}/{action}", post(blocklists::act))
        .route(
            "/admin/blocklists/followers/{id}/{decision}",
            post(blocklists::follower),
        )
        // The editors' selection (console-editor).
        .route("/admin/selection", get(selection::articles))
        .route("/admin/selection/{id}", get(selection::article))
        .route("/admin/selection/{id}/{action}", post(selection::act))
        .route("/admin/profile", post(selection::signature))
        .route("/admin/alerts", get(alerts::page).post(alerts::save))
        // Inner: the error pages read the session the outer layer found.
        .route_layer(axum::middleware::from_fn(errors::pages))
        .route_layer(from_fn_with_state(state.clone(), session::sessions));
    OpenApiRouter::new()
        .route("/admin/console.js", get(script))
        .route("/admin/console.css", get(style))
        .route("/admin/login", post(session::login))
        .route("/admin/logout", post(session::logout))
        .merge(signed_in)
}

/// The staff member as the layout shows them.
#[derive(serde::Serialize)]
struct StaffHeader<'a> {
    display_name: &'a str,
    role: &'a str,
}

/// Where a form sends the browser back: the page it came from (ours only), with
/// `extra` query pairs replacing theirs (the undo flash), else the queue.
fn back(state: &AppState, headers: &axum::http::HeaderMap, extra: &[(&str, String)]) -> String {
    let base = state.urls.base();
    let from = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .filter(|r| r.starts_with(base))
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| u.path().starts_with("/admin"));
    let (path, pairs): (String, Vec<(String, String)>) = match &from {
        Some(u) => (
            u.path().to_string(),
            u.query_pairs()
                .filter(|(k, _)| k != "undo" && k != "done" && k != "n")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ),
        None => ("/admin".into(), Vec::new()),
    };
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        query.append_pair(k, v);
    }
    for (k, v) in extra {
        query.append_pair(k, v);
    }
    let query = query.finish();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// A console screen from its template (which extends `console/layout.html`), in `lang`,
/// with the navigation for `staff`, and headers that keep it unframed, uncached and
/// running our script and style only.
fn screen<S: serde::Serialize>(
    template: &str,
    lang: Lang,
    staff: Option<&Staff>,
    context: S,
) -> Result<Response> {
    let staff = staff.map(|s| StaffHeader {
        display_name: &s.display_name,
        role: s.role.as_str(),
    });
    let html = views::render(
        template,
        lang,
        minijinja::context! { staff, ..minijinja::Value::from_serialize(&context) },
    )?;
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}

async fn script() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/javascript; charset=utf-8",
        )],
        SCRIPT,
    )
}
