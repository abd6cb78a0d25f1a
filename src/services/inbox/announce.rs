//! `Announce` (boost) of an article or a comment: a count in the thread API. Announces
//! of anything else (relays, Lemmy's wrapped activities) are ignored.

use super::{react, Outcome};
use crate::{services::threads::comments::CommentError, state::AppState};
use serde_json::Value;
use url::Url;

pub async fn handle(
    state: &AppState,
    activity: &Value,
    actor: &Url,
) -> Result<Outcome, CommentError> {
    react(state, "announce", activity, actor).await
}
