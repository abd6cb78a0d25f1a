//! `QuoteRequest` (FEP-044f): someone asks to quote one of our articles or staff
//! replies. The quoting post is read from a copy we can trust (embedded only by the
//! actor's own server, else fetched from its id); `threads::quotes` judges and answers.

use super::{trusted_object, Outcome};
use crate::{
    federation::protocol::{inbound::QuoteRequest, note::NoteDoc},
    services::threads::{
        comments::CommentError,
        quotes::{self, Landing, Requested},
    },
    state::AppState,
};

pub async fn handle(state: &AppState, request: &QuoteRequest) -> Result<Outcome, CommentError> {
    let id = request
        .id
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("QuoteRequest without id".into()))?;
    let object = request
        .object
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("QuoteRequest without object".into()))?;
    let post = trusted_object(state, request.instrument.as_ref(), &request.actor).await?;
    let note = match NoteDoc::parse(&post) {
        Ok(note) => note,
        Err(crate::federation::protocol::ProtocolError::Type(t)) => {
            return Ok(Outcome::Ignored(format!("QuoteRequest with a {t}")))
        }
        Err(e) => return Err(CommentError::Invalid(e.to_string())),
    };
    // The copy must be the post the request names (an id decides what was fetched).
    if request
        .instrument
        .as_ref()
        .and_then(|i| i.id.as_ref())
        .is_some_and(|named| *named != note.id)
    {
        return Err(CommentError::Invalid(
            "the instrument is not the post it names".into(),
        ));
    }
    let landing = quotes::requested(
        state,
        Requested {
            id,
            actor: &request.actor,
            object,
            note: &note,
            post: &post,
        },
    )
    .await?;
    Ok(outcome(landing))
}

/// The inbox's outcome of a post read as a possible quote.
pub(super) fn outcome(landing: Landing) -> Outcome {
    match landing {
        Landing::Ignored(why) => Outcome::Ignored(why),
        _ => Outcome::Done,
    }
}
