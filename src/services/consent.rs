//! Consent both ways (GoToSocial's interaction requests, `docs/federation/
//! interaction_controls.md`): a polite `ReplyRequest` is answered when moderation
//! decides (`Accept` naming the `ReplyAuthorization` we serve, or `Reject`); before the
//! site actor boosts a highlighted reply, the reply's `interactionPolicy` is read and,
//! where it asks for approval, an `AnnounceRequest` goes first and the `Announce` only
//! once the reply's author authorised it.

use crate::services::{delivery, threads::comments::CommentError};
use crate::{
    domain::{now_millis, ConsentKind, ConsentState},
    federation::protocol::{
        approval,
        inbound::Accept,
        policy::{Interaction, Permission, RemotePolicy},
    },
    state::{AppState, Site},
    storage::{
        self,
        entities::{comment, interaction_request, remote_actor},
        interaction_requests::NewRequest,
    },
};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::Value;
use url::Url;

/// Queues our answer to a received `ReplyRequest` (accepted: the comment is published,
/// and its `ReplyAuthorization` is served at `state.urls.approval`) and settles it.
pub async fn answer_reply_request<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    site: &Site,
    request: &interaction_request::Model,
    inbox: &str,
    accepted: bool,
) -> Result<(), DbErr> {
    let now = now_millis();
    let state_after = if accepted {
        ConsentState::Accepted
    } else {
        ConsentState::Rejected
    };
    let authorization = accepted.then(|| state.urls.approval(request.comment_id));
    if !storage::interaction_requests::settle(
        db,
        request.id,
        state_after,
        authorization.as_deref(),
        now,
    )
    .await?
    {
        // Answered already: once is enough.
        return Ok(());
    }
    let message = approval::reply_request_answer(approval::RequestAnswer {
        id: &state
            .urls
            .new_activity(&site.slug, if accepted { "accept" } else { "reject" }),
        actor: &state.urls.site_actor(&site.slug),
        request: &request.request_id,
        requester: &request.actor,
        object: &request.object,
        instrument: &request.instrument,
        authorization: authorization.as_deref(),
    });
    delivery::enqueue(db, site, &message, &[inbox.to_string()]).await
}

/// A moderator decided on a held comment: when it came as a polite `ReplyRequest`, the
/// answer names the request (GoToSocial matches it so) and `true` is returned; else the
/// caller answers the plain reply.
pub async fn answer_held<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    site: &Site,
    comment: &comment::Model,
    author: &remote_actor::Model,
    approved: bool,
) -> Result<bool, DbErr> {
    let Some(request) =
        storage::interaction_requests::for_comment(db, ConsentKind::ReplyReceived, comment.id)
            .await?
    else {
        return Ok(false);
    };
    if request.actor != author.ap_id {
        return Ok(false);
    }
    if request.state == ConsentState::Pending {
        answer_reply_request(state, db, site, &request, &author.inbox, approved).await?;
    }
    Ok(true)
}

/// What a highlight does on the fediverse, from the reply's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boost {
    /// Announce now (an open policy, no policy, or one of ours).
    Now,
    /// Ask the author first (`AnnounceRequest`).
    Ask,
    /// The policy refuses boosts by the site actor: the highlight stays local.
    Never,
}

/// Reads the highlighted reply's `interactionPolicy` from its server, as it stands
/// when the editor highlights it (authors may change it; comments crawled or stored
/// before this existed are covered alike; no column holds a value read once per
/// highlight). What is fetched must be the reply itself, by its author; if its server
/// cannot give it now, the reply is read as having no policy (GoToSocial's default,
/// today's behaviour): its origin, which enforces, drops a boost it did not authorise.
pub async fn boost_of(
    state: &AppState,
    comment: &comment::Model,
    author: &remote_actor::Model,
    site_actor: &str,
) -> Boost {
    let Ok(id) = Url::parse(&comment.ap_id) else {
        return Boost::Never;
    };
    let document = match state.fetcher.fetch(&id).await {
        Ok(fetched) if fetched.url == id => fetched.json,
        Ok(_) => return Boost::Never,
        Err(e) => {
            tracing::info!(comment = %comment.ap_id, error = %e, "policy unreadable, default assumed");
            Value::Null
        }
    };
    if !document.is_null() {
        let by_author = document
            .get("attributedTo")
            .and_then(crate::federation::protocol::id_of)
            .is_some_and(|a| a.as_str() == author.ap_id);
        if !by_author {
            return Boost::Never;
        }
    }
    // Membership in the author's followers/following cannot be told from here, so no
    // collection matches (see `RemotePolicy::permission`).
    match RemotePolicy::read(&document).permission(
        Interaction::Announce,
        &author.ap_id,
        site_actor,
        &[],
    ) {
        Permission::Allowed => Boost::Now,
        Permission::NeedsApproval => Boost::Ask,
        Permission::Forbidden => Boost::Never,
    }
}

/// Records (and, when asking, queues) what a new highlight does instead of announcing
/// at once: an `AnnounceRequest` to the author, or nothing when forbidden.
#[allow(clippy::too_many_arguments)]
pub async fn hold_announce<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    site: &Site,
    comment: &comment::Model,
    author: &remote_actor::Model,
    announce: &Value,
    announce_id: &str,
    ask: bool,
) -> Result<(), DbErr> {
    let request_id = state.urls.new_activity(&site.slug, "announce-request");
    storage::interaction_requests::insert_once(
        db,
        NewRequest {
            kind: ConsentKind::AnnounceSent,
            request_id: &request_id,
            actor: &author.ap_id,
            object: &comment.ap_id,
            instrument: announce_id,
            comment_id: comment.id,
            state: if ask {
                ConsentState::Pending
            } else {
                ConsentState::Forbidden
            },
            now: now_millis(),
        },
    )
    .await?;
    if ask {
        let request = approval::announce_request(
            &request_id,
            &state.urls.site_actor(&site.slug),
            &author.ap_id,
            &comment.ap_id,
            announce,
        );
        delivery::enqueue(db, site, &request, std::slice::from_ref(&author.inbox)).await?;
    }
    Ok(())
}

/// Whether the highlight's `Announce` went out (so that removing it sends `Undo`): not
/// when it waits, was refused or forbidden. A request still waiting is forgotten, so a
/// late `Accept` announces nothing.
pub async fn announced<C: ConnectionTrait>(db: &C, comment_id: i64) -> Result<bool, DbErr> {
    let Some(request) =
        storage::interaction_requests::for_comment(db, ConsentKind::AnnounceSent, comment_id)
            .await?
    else {
        return Ok(true);
    };
    storage::interaction_requests::delete(db, request.id).await?;
    Ok(request.state == ConsentState::Accepted)
}

/// What an answer to one of our `AnnounceRequest`s comes to.
pub enum AnnounceAnswer {
    /// Not believed, or too late (why).
    Ignored(String),
    /// Refused: the highlight stays local.
    Rejected,
    /// Authorised: the `Announce` may go, with this authorization.
    Authorized {
        request: interaction_request::Model,
        authorization: String,
    },
}

/// An `Accept` or `Reject` that may answer one of our `AnnounceRequest`s; `None` when it
/// names none (the caller tries follows). Believed only from the reply's author, with
/// an authorization on the author's origin that, fetched by its id, names our
/// `Announce` and the reply.
pub async fn announce_answered(
    state: &AppState,
    accepted: bool,
    answer: &Accept,
) -> Result<Option<AnnounceAnswer>, CommentError> {
    let Some(named) = &answer.object else {
        return Ok(None);
    };
    let Some(request) =
        storage::interaction_requests::sent_named(&state.db, named.as_str()).await?
    else {
        return Ok(None);
    };
    if answer.actor.as_str() != request.actor {
        return Ok(Some(AnnounceAnswer::Ignored(format!(
            "answer to our AnnounceRequest by {}, not the reply's author",
            answer.actor
        ))));
    }
    if request.state != ConsentState::Pending {
        return Ok(Some(AnnounceAnswer::Ignored(
            "AnnounceRequest already answered".into(),
        )));
    }
    let now = now_millis();
    if !accepted {
        storage::interaction_requests::settle(
            &state.db,
            request.id,
            ConsentState::Rejected,
            None,
            now,
        )
        .await?;
        return Ok(Some(AnnounceAnswer::Rejected));
    }
    let authorization = answer
        .result
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("Accept without an authorization".into()))?;
    if authorization.origin() != answer.actor.origin() {
        return Err(CommentError::Invalid(
            "authorization not on the author's server".into(),
        ));
    }
    let fetched = state.fetcher.fetch(authorization).await?;
    if fetched.url != *authorization {
        return Err(CommentError::Invalid(
            "authorization served under another id".into(),
        ));
    }
    let proof = approval::Authorization::parse_announce(&fetched.json)
        .map_err(|e| CommentError::Invalid(format!("authorization: {e}")))?;
    if !proof.authorizes(&request.actor, &request.instrument, &request.object) {
        return Err(CommentError::Invalid(
            "authorization does not name our Announce of the reply".into(),
        ));
    }
    Ok(Some(AnnounceAnswer::Authorized {
        request,
        authorization: authorization.to_string(),
    }))
}

/// Settles an authorised request, in the transaction that queues its `Announce`; false
/// when it was settled meanwhile (so nothing is sent twice).
pub async fn settle_authorized<C: ConnectionTrait>(
    db: &C,
    request: &interaction_request::Model,
    authorization: &str,
) -> Result<bool, DbErr> {
    storage::interaction_requests::settle(
        db,
        request.id,
        ConsentState::Accepted,
        Some(authorization),
        now_millis(),
    )
    .await
}
