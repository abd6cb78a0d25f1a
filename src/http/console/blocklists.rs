//! The console's blocklists page: subscriptions (state, last read, entries), draft
//! entries to accept or reject one by one, whole drafts to approve or refuse, and our
//! published list with the servers following it (admins decide those).

use super::{
    screen,
    selection::{lang_of, problem},
    session::{Session, SignedForm},
};
use crate::{
    error::{Error, Result},
    services::blocklists::{overview, published, subscriptions},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

pub async fn page(State(state): State<AppState>, headers: HeaderMap, session: Session) -> Response {
    let lang = lang_of(&headers);
    let staff = &session.staff;
    let result = async {
        let view = overview::overview(&state, staff).await?;
        screen(
            "console/blocklists.html",
            lang,
            Some(staff),
            minijinja::context! {
                view,
                csrf => session.csrf(),
                actor => state.urls.blocklist_actor(),
            },
        )
    }
    .await;
    result.unwrap_or_else(|e| problem(lang, staff, e))
}

/// A draft entry's domain.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EntryForm {
    domain: String,
}

/// What a form does to a subscription: `approve` (the whole draft), `refuse`
/// (unsubscribe), `refresh`, `accept` or `reject` (one entry).
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    SignedForm { staff, form }: SignedForm<EntryForm>,
) -> Response {
    let result: Result<()> = async {
        match action.as_str() {
            "approve" => subscriptions::approve(&state, &staff, id).await.map(|_| ()),
            "refuse" => subscriptions::delete(&state, &staff, id).await.map(|_| ()),
            "refresh" => subscriptions::refresh(&state, &staff, id).await.map(|_| ()),
            "accept" => overview::accept_entry(&state, &staff, id, &form.domain).await,
            "reject" => overview::reject_entry(&state, &staff, id, &form.domain).await,
            _ => Err(Error::NotFound("action")),
        }
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/admin/blocklists").into_response(),
        Err(e) => problem(lang_of(&headers), &staff, e),
    }
}

/// An admin approves or rejects a server following our list.
pub async fn follower(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, decision)): Path<(i64, String)>,
    SignedForm { staff, .. }: SignedForm,
) -> Response {
    let result = match decision.as_str() {
        "approve" => published::decide(&state, &staff, id, true)
            .await
            .map(|_| ()),
        "reject" => published::decide(&state, &staff, id, false)
            .await
            .map(|_| ()),
        _ => Err(Error::NotFound("decision")),
    };
    match result {
        Ok(()) => Redirect::to("/admin/blocklists#followers").into_response(),
        Err(e) => problem(lang_of(&headers), &staff, e),
    }
}
