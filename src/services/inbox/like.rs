//! `Like` of an article or a comment (Misskey's `EmojiReact` counts as one): a count
//! in the thread API.

use super::{react, Outcome};
use crate::{services::threads::comments::CommentError, state::AppState};
use serde_json::Value;
use url::Url;

pub async fn handle(
    state: &AppState,
    activity: &Value,
    actor: &Url,
) -> Result<Outcome, CommentError> {
    react(state, "like", activity, actor).await
}
