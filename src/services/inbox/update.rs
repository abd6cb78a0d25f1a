//! `Update`: an edited comment (the old version is kept) or a refreshed actor profile.

use super::{create, trusted_object, Outcome};
use crate::{
    federation::protocol::{actor::ACTOR_TYPES, note::NoteDoc, type_of},
    services::{
        actors,
        comments::{self, CommentError},
    },
    state::AppState,
    storage,
};
use serde_json::Value;
use url::Url;

pub async fn handle(
    state: &AppState,
    activity: &Value,
    actor: &Url,
) -> Result<Outcome, CommentError> {
    let object = trusted_object(state, activity, actor).await?;
    if type_of(&object).is_some_and(|t| ACTOR_TYPES.contains(&t)) {
        if object.get("id").and_then(Value::as_str) != Some(actor.as_str()) {
            return Err(CommentError::Invalid("actor updates someone else".into()));
        }
        actors::store_doc(state, &object).await?;
        return Ok(Outcome::Done);
    }
    let note = match NoteDoc::parse(&object) {
        Ok(note) => note,
        Err(crate::federation::protocol::ProtocolError::Type(t)) => {
            return Ok(Outcome::Ignored(format!("Update of {t}")))
        }
        Err(e) => return Err(CommentError::Invalid(e.to_string())),
    };
    let Some(current) = storage::comments::find_by_ap_id(&state.db, note.id.as_str()).await? else {
        // An edit of a reply we never received: take it as the reply itself.
        return create::land(state, &note, actor).await;
    };
    let author = match current.author_id {
        Some(id) => storage::actors::find_many(&state.db, vec![id]).await?.pop(),
        None => None,
    };
    if author.map(|a| a.ap_id) != Some(actor.to_string()) || note.attributed_to != *actor {
        return Err(CommentError::Invalid(
            "only the author may edit a comment".into(),
        ));
    }
    if current.deleted_at.is_some() {
        return Ok(Outcome::Ignored("comment was deleted".into()));
    }
    comments::edit(state, current, &note).await?;
    Ok(Outcome::Done)
}
