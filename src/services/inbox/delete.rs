//! `Delete`: of a comment (soft: a placeholder keeps its replies in place) or of the
//! actor itself (`Delete(Person)`: the account is gone, its comments are hidden).

use super::Outcome;
use crate::{
    domain::now_millis, federation::protocol::inbound::Delete,
    services::threads::comments::CommentError, state::AppState, storage,
};

pub async fn handle(state: &AppState, delete: &Delete) -> Result<Outcome, CommentError> {
    let actor = &delete.actor;
    let object = delete
        .object
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("Delete without object".into()))?;
    let now = now_millis();
    if object == actor {
        let Some(account) = storage::actors::find_by_ap_id(&state.db, actor.as_str()).await? else {
            return Ok(Outcome::Ignored("unknown actor deleted".into()));
        };
        storage::actors::mark_deleted(&state.db, account.id, now).await?;
        let hidden = storage::comments::soft_delete_by_author(&state.db, account.id, now).await?;
        tracing::info!(actor = %actor, hidden, "actor deleted");
        return Ok(Outcome::Done);
    }
    let Some(comment) = storage::comments::find_by_ap_id(&state.db, object.as_str()).await? else {
        return Ok(Outcome::Ignored("unknown object deleted".into()));
    };
    let author = storage::actors::find_by_ap_id(&state.db, actor.as_str()).await?;
    if author.is_none() || comment.author_id != author.map(|a| a.id) {
        return Err(CommentError::Invalid(
            "only the author may delete a comment".into(),
        ));
    }
    storage::comments::soft_delete(&state.db, comment.id, now).await?;
    Ok(Outcome::Done)
}
