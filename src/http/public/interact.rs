//! `GET /interact?uri=…&handle=…`: send a reader to their own server's page for
//! answering one of our articles or comments (303), or say where as JSON.

use crate::http::responses::json_wanted;
use crate::{error::Result, services, state::AppState};
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    Json,
};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InteractQuery {
    /// The ActivityPub id of the article or comment to answer.
    pub uri: String,
    /// The reader's handle (`name@server`) or server.
    pub handle: String,
}

/// Where to reply from the reader's own server.
#[utoipa::path(get, path = "/interact", params(InteractQuery),
    responses((status = 303, description = "Redirect to the reader's server"),
               (status = 200, description = "With `Accept: application/json`: `{\"url\": …}`"),
               (status = 404, description = "Not one of our objects"), (status = 422, description = "Not a handle")))]
pub async fn interact(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<InteractQuery>,
) -> Result<Response> {
    let url = services::threads::interact::interaction_url(&state, q.uri.trim(), &q.handle).await?;
    if json_wanted(&headers) {
        return Ok(Json(serde_json::json!({ "url": url })).into_response());
    }
    Ok(Redirect::to(url.as_str()).into_response())
}
