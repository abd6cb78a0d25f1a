//! GoToSocial's `ReplyRequest` (a polite reply): the reply, the request's `instrument`,
//! is read as what its author's server serves (an embedded copy only from the
//! requester's own host), must be the requester's and answer the request's `object`
//! (one of our articles or comments), and is judged like any reply. Published at once
//! (post mode): `Accept` with its `ReplyAuthorization` now; held (pre mode): when a
//! moderator decides (`services::consent::answer_held`); refused: `Reject`.

use super::{trusted_object, Outcome};
use crate::{
    domain::{now_millis, CommentStatus, ConsentKind, ConsentState},
    federation::protocol::{inbound::ReplyRequest, note::NoteDoc},
    services::{
        consent,
        remote::actors,
        threads::{
            comments::{self, CommentError, Place},
            crawl,
        },
    },
    state::AppState,
    storage::{self, interaction_requests::NewRequest},
};
use sea_orm::TransactionTrait;

pub async fn handle(state: &AppState, request: &ReplyRequest) -> Result<Outcome, CommentError> {
    let actor = &request.actor;
    let request_id = request
        .id
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("ReplyRequest without id".into()))?;
    let object = request
        .object
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("ReplyRequest without object".into()))?;
    let Some((article, parent)) = comments::target(state, object.as_str()).await? else {
        return Ok(Outcome::Ignored(format!(
            "ReplyRequest for {object}, not in our threads"
        )));
    };
    // A quote is outside the tree (FEP-044f): answering it is its author's to allow, and
    // a `ReplyAuthorization` from us would vouch for a reply to someone else's post.
    if parent.as_ref().is_some_and(|p| p.quote_of.is_some()) {
        return Ok(Outcome::Ignored(format!(
            "ReplyRequest for {object}, a quote: not ours to authorise"
        )));
    }
    let document = trusted_object(state, request.instrument.as_ref(), actor).await?;
    let note = match NoteDoc::parse(&document) {
        Ok(note) => note,
        Err(e) => return Err(CommentError::Invalid(format!("instrument: {e}"))),
    };
    // The id decides who wrote it: the requester, on the requester's server.
    if note.attributed_to != *actor || note.id.origin() != actor.origin() {
        return Err(CommentError::Invalid(
            "the reply of a ReplyRequest must be its actor's own".into(),
        ));
    }
    if note.in_reply_to.as_ref() != Some(object) {
        return Err(CommentError::Invalid(
            "the reply does not answer the ReplyRequest's object".into(),
        ));
    }
    let site = state
        .site_by_id(article.site_id)
        .ok_or_else(|| CommentError::Invalid("article without site".into()))?;
    let requester = actors::get_or_fetch(state, actor).await?;
    let comment = match storage::comments::find_by_ap_id(&state.db, note.id.as_str()).await? {
        // The reply as stored must still be this one: the requester's, answering `object`,
        // not a quote (else the request would get a stamp for something else).
        Some(stored)
            if stored.quote_of.is_none()
                && stored.in_reply_to == object.as_str()
                && stored.author_id == Some(requester.id) =>
        {
            stored
        }
        Some(_) => {
            return Err(CommentError::Invalid(
                "the reply of this ReplyRequest is stored as something else".into(),
            ))
        }
        None if !note.public => {
            // Only public replies are ever shown here.
            return Ok(Outcome::Ignored(
                "ReplyRequest for a reply not addressed to the public".into(),
            ));
        }
        None => {
            let place = Place { article, parent };
            let stored = comments::store(state, &note, &place).await?;
            crawl::after_store(state, &note, place.article.id, 0).await?;
            stored
        }
    };
    let txn = state.db.begin().await?;
    let row = storage::interaction_requests::insert_once(
        &txn,
        NewRequest {
            kind: ConsentKind::ReplyReceived,
            request_id: request_id.as_str(),
            actor: actor.as_str(),
            object: object.as_str(),
            instrument: note.id.as_str(),
            comment_id: comment.id,
            state: ConsentState::Pending,
            now: now_millis(),
        },
    )
    .await?;
    if row.comment_id != comment.id || row.actor != actor.as_str() {
        return Err(CommentError::Invalid("ReplyRequest id already used".into()));
    }
    let decided = match comment.status {
        _ if comment.deleted_at.is_some() => Some(false),
        CommentStatus::Published => Some(true),
        CommentStatus::Held => None,
        CommentStatus::Hidden | CommentStatus::Rejected => Some(false),
    };
    if let Some(accepted) = decided {
        consent::answer_reply_request(state, &txn, site, &row, &requester.inbox, accepted).await?;
    }
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(Outcome::Done)
}
