//! The moderation console at `/admin`: server-rendered pages for the staff (sign-in,
//! queue with keyboard shortcuts, a comment in its context, rules and modes, domain
//! policies, reports, audit log), behind the session layer of `session`.

mod logs;
mod queue;
mod session;
mod settings;

use crate::http::responses::esc;
use crate::{services::staff::Staff, state::AppState};
use axum::{
    http::{header, HeaderValue},
    middleware::from_fn_with_state,
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};
use std::fmt::Write;
use utoipa_axum::router::OpenApiRouter;

const SCRIPT: &str = include_str!("../../../assets/console.js");

const STYLE: &str = "body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;background:#f6f6f6}header.top{background:#1b1b1b;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}\
header.top a{color:#fff}main{max-width:64rem;margin:0 auto;padding:1rem}.card{background:#fff;border:1px solid #d0d0d0;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}\
.card:focus{outline:3px solid #0b57d0}.meta{color:#595959;font-size:.9em}.hit{display:inline-block;background:#eee;border-radius:.25rem;padding:0 .3rem;margin:.1rem;font-size:.85em}\
form.inline{display:inline-flex;gap:.3rem;align-items:center;margin:.2rem .4rem .2rem 0}button{font:inherit;cursor:pointer}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}\
nav.tabs a{margin-right:.8rem}.error{color:#a00000}";

/// The console's pages and forms behind the session layer; the script and signing in
/// and out outside it.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let signed_in = OpenApiRouter::new()
        .route("/admin", get(queue::queue))
        .route("/admin/comments/{id}", get(queue::comment))
        .route("/admin/comments/{id}/{action}", post(queue::act))
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
        .route("/admin/blocklists", get(logs::blocklists))
        .route_layer(from_fn_with_state(state.clone(), session::sessions));
    OpenApiRouter::new()
        .route("/admin/console.js", get(script))
        .route("/admin/login", post(session::login))
        .route("/admin/logout", post(session::logout))
        .merge(signed_in)
}

/// A console page: the navigation for signed-in staff, and headers that keep it
/// unframed, uncached and running our script only.
fn page(title: &str, staff: Option<&Staff>, body: &str) -> Response {
    let mut out = format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{} — Tribune</title><style>{STYLE}</style></head><body>",
        esc(title)
    );
    if let Some(staff) = staff {
        let _ = write!(
            out,
            "<header class=\"top\"><strong>Tribune</strong><nav aria-label=\"Console\"><a href=\"/admin\">File d'attente</a> <a href=\"/admin/rules\">Règles et modes</a> <a href=\"/admin/domains\">Domaines</a> <a href=\"/admin/reports\">Signalements</a> <a href=\"/admin/audit\">Journal</a> <a href=\"/admin/blocklists\">Listes de blocage</a></nav><span>{} ({})</span><form method=\"post\" action=\"/admin/logout\" class=\"inline\"><button type=\"submit\">Se déconnecter</button></form></header>",
            esc(&staff.display_name),
            staff.role.as_str()
        );
    }
    let _ = write!(
        out,
        "<main><h1>{}</h1>{body}</main><script src=\"/admin/console.js\"></script></body></html>",
        esc(title)
    );
    let mut response = Html(out).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
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
