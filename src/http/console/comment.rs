//! A comment in its context: its author's card, its parent and replies, every action
//! that fits; and the confirmation step of an action that cannot be undone (a page for
//! browsers without script; the script shows the same form in a dialog).

use super::{
    queue::{needs_confirmation, views},
    screen,
    session::Session,
};
use crate::{
    error::{Error, Result},
    services::moderators::{self, detail},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    response::Response,
};

pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
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
        },
    )
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
