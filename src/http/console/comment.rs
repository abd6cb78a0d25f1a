//! A comment in its context: its author's card (with their level: trusted, watched or
//! normal, and the form that sets it), its parent and replies, every action that fits;
//! and the confirmation step of an action that cannot be undone (a page for
//! browsers without script; the script shows the same form in a dialog).

use super::{
    queue::{needs_confirmation, views},
    screen,
    session::{Session, SignedForm},
};
use crate::http::extract::Query;
use crate::{
    domain::TrustLevel,
    error::{Error, Result},
    services::moderators::{self, detail},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

/// What the last "forward to their server" did, shown once on the comment's page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flash {
    forwarded: Option<String>,
}

/// The outcomes the page has words for.
const FORWARD_OUTCOMES: [&str; 5] = [
    "queued",
    "already_sent",
    "not_this_site",
    "too_soon",
    "not_remote",
];

pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
    session: Session,
) -> Result<Response> {
    let staff = &session.staff;
    let view = detail::comment_view(&state, staff, id).await?;
    let rules = moderators::rules(&state, staff).await?;
    let lang = session.lang;
    let one = std::slice::from_ref(&view.comment);
    let items = views(lang, one, &rules);
    let parent = view.parent.as_slice();
    let parent = views(lang, parent, &rules);
    let replies = views(lang, &view.replies, &rules);
    screen(
        "console/comment.html",
        lang,
        Some(staff),
        minijinja::context! {
            item => items.first(), parent => parent.first(), replies,
            article => &view.article, author => &view.author,
            csrf => session.csrf(),
            reasons => moderators::Reason::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            forwarded => flash.forwarded.filter(|f| FORWARD_OUTCOMES.contains(&f.as_str())),
        },
    )
}

/// "Forward to their server": one report (`report`, its id) or, without it, the
/// decision on the comment.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForwardForm {
    report: Option<String>,
}

pub async fn forward(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedForm { staff, form }: SignedForm<ForwardForm>,
) -> Result<Response> {
    let report = match form.report.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(
            r.parse::<i64>()
                .map_err(|_| Error::Unprocessable("report: a report's number".into()))?,
        ),
        None => None,
    };
    let outcome = moderators::forward::forward(&state, &staff, id, report).await?;
    let outcome = serde_json::to_value(outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Ok(Redirect::to(&format!("/admin/comments/{id}?forwarded={outcome}")).into_response())
}

/// The author card's "trust", "watch" and "back to normal" buttons, with a reason.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrustForm {
    level: String,
    reason: Option<String>,
}

pub async fn trust(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedForm { staff, form }: SignedForm<TrustForm>,
) -> Result<Response> {
    let level = TrustLevel::parse(&form.level)
        .ok_or_else(|| Error::Unprocessable("level: trusted, watched or normal".into()))?;
    moderators::set_trust_of_author(&state, &staff, id, level, form.reason).await?;
    Ok(Redirect::to(&format!("/admin/comments/{id}")).into_response())
}

/// "Delete this comment?" with the form that does it.
pub async fn confirm(
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
    session: Session,
) -> Result<Response> {
    if !needs_confirmation(&action) {
        return Err(Error::NotFound("action"));
    }
    let view = detail::comment_view(&state, &session.staff, id).await?;
    let rules = moderators::rules(&state, &session.staff).await?;
    let items = views(session.lang, std::slice::from_ref(&view.comment), &rules);
    screen(
        "console/confirm.html",
        session.lang,
        Some(&session.staff),
        minijinja::context! { item => items.first(), action, csrf => session.csrf() },
    )
}
