//! The articles: title (linked to the page), site, date, comments published and held,
//! and a per-article switch: the site's mode, open, pre-moderated or closed (the
//! switch is for moderators; editors see the list).

use super::{
    back, screen,
    session::{Session, SignedForm},
};
use crate::{
    error::{Error, Result},
    moderation::Mode,
    services::{
        moderators::{self, articles::ArticleFilter},
        staff::Role,
    },
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

pub async fn articles(
    State(state): State<AppState>,
    Query(filter): Query<ArticleFilter>,
    session: Session,
) -> Result<Response> {
    let staff = &session.staff;
    let page = moderators::articles::list(&state, staff, filter).await?;
    screen(
        "console/articles.html",
        session.lang,
        Some(staff),
        minijinja::context! {
            page, csrf => session.csrf(),
            can_switch => staff.role >= Role::Moderator,
            modes => ["post", "pre", "closed"],
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ModeForm {
    /// `post`, `pre`, `closed`, or `site` (the site's).
    mode: String,
}

pub async fn set_mode(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    SignedForm { staff, form }: SignedForm<ModeForm>,
) -> Result<Response> {
    let mode = match form.mode.as_str() {
        "site" => None,
        other => Some(
            Mode::parse(other)
                .ok_or_else(|| Error::Unprocessable("mode: site, post, pre or closed".into()))?,
        ),
    };
    moderators::set_article_mode(&state, &staff, id, mode).await?;
    let extra = [("done", "mode".to_string())];
    Ok(Redirect::to(&back(&state, &headers, &extra)).into_response())
}
