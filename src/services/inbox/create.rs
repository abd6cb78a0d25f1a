//! `Create(Note)` (or Article/Page/Question): a reply that lands in a thread when its
//! `inReplyTo` chain reaches one of our articles.

use super::{trusted_object, Outcome};
use crate::{
    federation::protocol::{inbound::Create, note::NoteDoc},
    services::{
        threads::comments::{self, CommentError},
        threads::crawl,
        threads::quotes,
    },
    state::AppState,
    storage,
};
use url::Url;

pub async fn handle(state: &AppState, create: &Create) -> Result<Outcome, CommentError> {
    let actor = &create.actor;
    let object = trusted_object(state, create.object.as_ref(), actor).await?;
    let note = match NoteDoc::parse(&object) {
        Ok(note) => note,
        Err(crate::federation::protocol::ProtocolError::Type(t)) => {
            return Ok(Outcome::Ignored(format!("Create of {t}")))
        }
        Err(e) => return Err(CommentError::Invalid(e.to_string())),
    };
    // A post quoting ours is a quote (FEP-044f), never a reply.
    match quotes::from_post(state, &object, &note, actor, false).await? {
        quotes::Landing::NotAQuote => {}
        landing => return Ok(super::quote_request::outcome(landing)),
    }
    land(state, &note, actor).await
}

/// Stores a note from `actor` if it replies into one of our threads.
pub async fn land(state: &AppState, note: &NoteDoc, actor: &Url) -> Result<Outcome, CommentError> {
    if note.attributed_to != *actor {
        return Err(CommentError::Invalid(
            "object is not attributed to the actor".into(),
        ));
    }
    if storage::comments::find_by_ap_id(&state.db, note.id.as_str())
        .await?
        .is_some()
    {
        return Ok(Outcome::Ignored("comment already stored".into()));
    }
    if !note.public {
        return Ok(Outcome::Ignored("not addressed to the public".into()));
    }
    let Some(in_reply_to) = &note.in_reply_to else {
        return Ok(Outcome::Ignored("not a reply".into()));
    };
    let Some(place) = comments::locate(state, in_reply_to).await? else {
        return Ok(Outcome::Ignored(format!(
            "{in_reply_to} is in none of our threads"
        )));
    };
    comments::store(state, note, &place).await?;
    crawl::after_store(state, note, place.article.id, 0).await?;
    Ok(Outcome::Done)
}
