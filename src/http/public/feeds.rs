//! Each site's highlighted comments as feeds (Atom and JSON Feed 1.1), for newsletters
//! and home pages.

use crate::{error::Result, services, state::AppState};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};

/// The site's highlighted comments as an Atom feed.
pub async fn atom(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let feed = services::newsroom::feeds::highlights(&state, &slug).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        feed.atom(),
    )
        .into_response())
}

/// The site's highlighted comments as a JSON Feed 1.1.
pub async fn json(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let feed = services::newsroom::feeds::highlights(&state, &slug).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/feed+json; charset=utf-8"),
        )],
        feed.json().to_string(),
    )
        .into_response())
}
