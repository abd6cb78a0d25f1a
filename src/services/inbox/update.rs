//! `Update`: an edited comment (the old version is kept) or a refreshed actor profile.
//!
//! Deliveries arrive in any order (retries, several workers), so an `Update` never
//! rolls a comment back: it applies only when its `updated` is newer than the version
//! stored, as Mastodon does (`ActivityPub::Activity::Update` compares `updated`). A
//! profile `Update` is taken as a cue to fetch the actor from its origin, which is
//! always the newest version, rather than storing the (maybe older) copy it carries.

use super::{create, trusted_object, Outcome};
use crate::{
    domain::millis,
    federation::protocol::{actor::ACTOR_TYPES, inbound::Update, note::NoteDoc, type_of},
    services::{
        remote::actors,
        threads::comments::{self, CommentError},
    },
    state::AppState,
    storage,
};

pub async fn handle(state: &AppState, update: &Update) -> Result<Outcome, CommentError> {
    let actor = &update.actor;
    // The actor's own profile: fetched from its id, never taken from the activity, so
    // a stale Update delivered late cannot restore an old name, avatar or key.
    if update.object_id() == Some(actor) {
        actors::fetch_and_store(state, actor).await?;
        return Ok(Outcome::Done);
    }
    let object = trusted_object(state, update.object.as_ref(), actor).await?;
    if type_of(&object).is_some_and(|t| ACTOR_TYPES.contains(&t)) {
        return Err(CommentError::Invalid("actor updates someone else".into()));
    }
    let note = match NoteDoc::parse(&object) {
        Ok(note) => note,
        Err(crate::federation::protocol::ProtocolError::Type(t)) => {
            return Ok(Outcome::Ignored(format!("Update of {t}")))
        }
        Err(e) => return Err(CommentError::Invalid(e.to_string())),
    };
    // A quote stays a quote of what it first quoted (FEP-044f).
    match crate::services::threads::quotes::from_post(state, &object, &note, actor, true).await? {
        crate::services::threads::quotes::Landing::NotAQuote => {}
        landing => return Ok(super::quote_request::outcome(landing)),
    }
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
    // Only a newer version replaces the stored one: without `updated` there is no
    // telling it from a replay of the original, and an equal one is a duplicate.
    let stored_version = current.edited_at.unwrap_or(current.published);
    match note.updated.map(millis) {
        Some(updated) if updated > stored_version => {}
        Some(_) => {
            return Ok(Outcome::Ignored(
                "Update is not newer than the stored version".into(),
            ))
        }
        None => return Ok(Outcome::Ignored("Update without `updated`".into())),
    }
    match comments::edit(state, current, &note).await? {
        Some(_) => Ok(Outcome::Done),
        None => Ok(Outcome::Ignored(
            "a newer version was stored meanwhile".into(),
        )),
    }
}
