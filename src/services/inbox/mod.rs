//! The inbox, owned by Tribune: verify the signature, store the raw activity once,
//! answer 202; then workers process what was stored, one file per activity type.

mod accept;
mod announce;
mod blocklist;
mod create;
mod delete;
mod flag;
mod follow;
mod like;
mod r#move;
mod proof;
mod quote_request;
mod reply_request;
mod stored;
mod undo;
mod update;

pub use stored::{by_status, InboxView};

use crate::services::{
    remote::signatures::{self, VerifyError},
    threads::comments::CommentError,
};
use crate::{
    domain::now_millis,
    error::Error,
    federation::protocol::{
        activity::Envelope, inbound::InboundActivity, lenient::ObjectRef, ProtocolError,
    },
    state::AppState,
    storage::{self, entities::inbox_activity},
};
use futures::StreamExt;
use http::{HeaderMap, Method};
use serde_json::Value;
use std::time::Duration;

/// An inbox POST as received.
pub struct InboundRequest<'a> {
    pub method: &'a Method,
    pub path_and_query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// What became of an accepted POST.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    Stored,
    Duplicate,
    /// Nothing to do and nothing stored (a `Delete` from an actor already gone).
    Dropped,
}

/// Verifies and stores an inbound activity. Every refusal says why (401 for anything
/// about the signature, 400 for a body that is not an activity).
pub async fn receive(state: &AppState, req: InboundRequest<'_>) -> Result<Received, Error> {
    let parts = signatures::request_parts(state, req.method, req.path_and_query, req.headers);
    // Cheap checks first: a request that is not signed as required, or whose body does
    // not match its digest, is refused before the body is parsed or anything fetched.
    let signature = signatures::check(state, &parts, req.body)
        .map_err(|e| Error::Unauthorized(e.to_string()))?;
    let value: Value = serde_json::from_slice(req.body)
        .map_err(|e| Error::BadRequest(format!("body is not JSON: {e}")))?;
    let envelope = Envelope::parse(&value, req.body)
        .map_err(|e| Error::BadRequest(format!("not an activity: {e}")))?;
    if state.urls.is_local(envelope.actor.as_str()) {
        return Err(Error::Unauthorized("activity claims a local actor".into()));
    }
    // Activity ids are deduplicated, so an id is only believed from its own host:
    // otherwise anyone could send first the id a victim's server will use (Mastodon's
    // `<status>#delete`) and make the real activity a silent duplicate. Mastodon
    // likewise ignores activities whose id is not on the actor's host. The id we make
    // up for an id-less activity hashes its whole body, actor included; a sender who
    // writes such an id itself gets no pass.
    if envelope.has_own_id && !id_on_actor_host(&envelope.id, &envelope.actor) {
        return Err(Error::BadRequest(
            "activity id is not on its actor's host".into(),
        ));
    }
    // A suspended domain is refused before anything is fetched for it.
    let key_host = url::Url::parse(signature.key_id())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    for host in [envelope.actor.host_str().map(str::to_string), key_host]
        .into_iter()
        .flatten()
    {
        if state
            .moderation
            .domain_policy(&host)
            .is_some_and(|p| p.severity == crate::moderation::Severity::Suspend)
        {
            return Err(Error::Forbidden(format!("{host} is suspended here")));
        }
    }
    let signer = match signatures::verify_signer(state, &parts, &signature).await {
        Ok(signer) => signer,
        // Mastodon sends `Delete` for accounts whose documents are already gone; with
        // no cached key there is nothing of theirs here to delete.
        Err(VerifyError::Gone) if envelope.kind == "Delete" => return Ok(Received::Dropped),
        Err(e) => {
            tracing::info!(actor = %envelope.actor, error = %e, "inbox signature refused");
            // A storage failure becomes 503 here, the rest 401.
            return Err(e.into());
        }
    };
    if signer.ap_id != envelope.actor.as_str() {
        return Err(Error::Unauthorized(
            "signer is not the activity's actor".into(),
        ));
    }
    // One domain may not flood us, whatever addresses it sends from. Charged only now
    // that its signature verified: a forged request naming a domain must not spend
    // that domain's budget and get its real deliveries refused (the per-IP budget,
    // before the body is read, is what bounds forgeries).
    if let Some(host) = envelope.actor.host_str() {
        state
            .limits
            .inbox_domain
            .check(&host.to_ascii_lowercase())
            .map_err(Error::too_many)?;
    }
    // FEP-8b32: a proof that fails refuses the activity (its key known here). After the
    // domain's budget is charged: proofs cost CPU, and a flood of them must spend it.
    proof::at_inbox(state, &value, &signer).await?;
    // A host we could not reach speaks to us: it is back.
    if let Some(host) = envelope.actor.host_str() {
        let host = host.to_ascii_lowercase();
        if crate::services::delivery::host_failing(state, &host) {
            crate::services::delivery::host_is_back(state, &host).await?;
        }
    }

    let raw =
        std::str::from_utf8(req.body).map_err(|_| Error::BadRequest("body is not UTF-8".into()))?;
    let inserted = state
        .inbox_writer
        .store(crate::runtime::group_commit::NewActivity {
            id: envelope.id.to_string(),
            actor: envelope.actor.to_string(),
            kind: envelope.kind.to_string(),
            raw: raw.to_string(),
        })
        .await?;
    if inserted {
        state.inbox_wakeup.notify_one();
        Ok(Received::Stored)
    } else {
        Ok(Received::Duplicate)
    }
}

/// Whether an activity id is a URL on the same host and port as its actor.
fn id_on_actor_host(id: &str, actor: &url::Url) -> bool {
    url::Url::parse(id).is_ok_and(|id| {
        id.host().is_some()
            && id.host() == actor.host()
            && id.port_or_known_default() == actor.port_or_known_default()
    })
}

/// What processing made of an activity.
#[derive(Debug)]
pub enum Outcome {
    Done,
    /// Understood but nothing to do (not about our threads, unsupported type…).
    Ignored(String),
}

/// Activities processed at once by one worker.
const CONCURRENCY: usize = 16;

/// Processes every due activity; returns how many were handled.
pub async fn process_due(state: &AppState) -> Result<usize, sea_orm::DbErr> {
    let mut handled = 0;
    loop {
        match process_batch(state).await? {
            0 => return Ok(handled),
            n => handled += n,
        }
    }
}

/// Claims and processes one batch (a worker stopping finishes its batch first).
async fn process_batch(state: &AppState) -> Result<usize, sea_orm::DbErr> {
    let batch = storage::inbox::claim_due(
        &state.db,
        now_millis(),
        state.settings.workers.lease_secs * 1000,
        32,
    )
    .await?;
    let n = batch.len();
    let _leases = crate::services::workers::keep_leases(
        state,
        crate::services::workers::Queue::Inbox,
        batch.iter().map(|r| r.id).collect(),
    );
    // A task each, so that processing runs on every core.
    futures::stream::iter(batch)
        .map(|row| {
            let state = state.clone();
            tokio::spawn(async move { process_one(&state, row).await })
        })
        .buffer_unordered(CONCURRENCY)
        .for_each(|outcome| async move {
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::error!(error = %e, "could not record inbox outcome"),
                Err(e) => tracing::error!(error = %e, "inbox task failed"),
            }
        })
        .await;
    if n > 0 {
        state.reads.written();
    }
    Ok(n)
}

async fn process_one(state: &AppState, row: inbox_activity::Model) -> Result<(), sea_orm::DbErr> {
    let started = std::time::Instant::now();
    let result = match serde_json::from_str::<Value>(&row.raw) {
        Ok(activity) => dispatch(state, &row.kind, &activity).await,
        Err(e) => Err(CommentError::Invalid(format!(
            "stored body is not JSON: {e}"
        ))),
    };
    state
        .metrics
        .processed(&row.kind, started.elapsed().as_secs_f64());
    let now = now_millis();
    match result {
        Ok(Outcome::Done) => {
            storage::inbox::finish(
                &state.db,
                row.id,
                crate::domain::InboxStatus::Done,
                None,
                now,
            )
            .await
        }
        Ok(Outcome::Ignored(why)) => {
            tracing::info!(activity = %row.activity_id, reason = %why, "activity ignored");
            storage::inbox::finish(
                &state.db,
                row.id,
                crate::domain::InboxStatus::Ignored,
                Some(why),
                now,
            )
            .await
        }
        Err(CommentError::Transient(why))
            if row.attempts < state.settings.workers.inbox_max_attempts =>
        {
            let backoff = 10_000i64.saturating_mul(1 << row.attempts.min(16));
            tracing::warn!(activity = %row.activity_id, error = %why, "activity will be retried");
            storage::inbox::retry_later(&state.db, row.id, why, now + backoff).await
        }
        Err(e) => {
            tracing::warn!(activity = %row.activity_id, error = %e, "activity failed");
            storage::inbox::finish(
                &state.db,
                row.id,
                crate::domain::InboxStatus::Failed,
                Some(e.to_string()),
                now,
            )
            .await
        }
    }
}

async fn dispatch(state: &AppState, kind: &str, activity: &Value) -> Result<Outcome, CommentError> {
    proof::when_processed(state, activity).await?;
    let activity = InboundActivity::parse(kind, activity).map_err(|e| match e {
        ProtocolError::Field("actor") => CommentError::Invalid("activity without actor".into()),
        other => CommentError::Invalid(other.to_string()),
    })?;
    match activity {
        InboundActivity::Create(create) => create::handle(state, &create).await,
        InboundActivity::Update(update) => update::handle(state, &update).await,
        InboundActivity::Delete(delete) => delete::handle(state, &delete).await,
        InboundActivity::Follow(follow) => follow::handle(state, &follow).await,
        InboundActivity::Undo(undo) => undo::handle(state, &undo).await,
        InboundActivity::Accept(accept) => accept::handle(state, true, &accept).await,
        InboundActivity::Reject(reject) => accept::handle(state, false, &reject).await,
        InboundActivity::Like(like) => like::handle(state, &like).await,
        InboundActivity::Announce(announce) => announce::handle(state, &announce).await,
        InboundActivity::Flag(flag) => flag::handle(state, &flag).await,
        InboundActivity::Move(moved) => r#move::handle(state, &moved).await,
        InboundActivity::Add(add) => blocklist::handle(state, "Add", &add).await,
        InboundActivity::Remove(remove) => blocklist::handle(state, "Remove", &remove).await,
        InboundActivity::ReplyRequest(request) => reply_request::handle(state, &request).await,
        InboundActivity::QuoteRequest(request) => quote_request::handle(state, &request).await,
        InboundActivity::Unsupported(other) => Ok(Outcome::Ignored(format!(
            "unsupported activity type {other}"
        ))),
    }
}

/// Runs the inbox worker until `shutdown` turns true.
pub async fn run_worker(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let poll = Duration::from_millis(state.settings.workers.poll_interval_ms);
    loop {
        // Batch after batch, but a shutdown stops between batches.
        loop {
            match process_batch(&state).await {
                Ok(0) => {
                    state.heartbeats.inbox.beat(true);
                    break;
                }
                Ok(_) if *shutdown.borrow() => return,
                Ok(_) => state.heartbeats.inbox.beat(true),
                Err(e) => {
                    // Readiness tells: this worker cannot write.
                    state.heartbeats.inbox.beat(false);
                    tracing::error!(error = %e, "inbox worker");
                    break;
                }
            }
        }
        tokio::select! {
            _ = state.inbox_wakeup.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

/// The object of an activity as a document we can trust: embedded when it comes from
/// the actor's own host, otherwise fetched from its origin.
async fn trusted_object(
    state: &AppState,
    object: Option<&ObjectRef>,
    actor: &url::Url,
) -> Result<Value, CommentError> {
    let object = object.ok_or_else(|| CommentError::Invalid("activity without object".into()))?;
    let id = object
        .id
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("object without id".into()))?;
    if let Some(embedded) = &object.embedded {
        if id.host() == actor.host() && id.port() == actor.port() {
            return Ok(embedded.clone());
        }
    }
    Ok(state.fetcher.fetch(id).await?.json)
}

/// A like or a boost, as its handler read it.
struct Reaction<'a> {
    /// `like` or `announce`, as stored.
    kind: &'a str,
    id: Option<&'a str>,
    actor: &'a url::Url,
    object: Option<&'a url::Url>,
    /// An emoji reaction's emoji (checked by `like`).
    emoji: Option<&'a crate::federation::protocol::inbound::ReactionEmoji>,
}

/// Records a like or boost of one of our articles or comments.
async fn react(state: &AppState, reaction: Reaction<'_>) -> Result<Outcome, CommentError> {
    let kind = reaction.kind;
    let object = reaction
        .object
        .ok_or_else(|| CommentError::Invalid("reaction without object".into()))?;
    let Some((article, comment)) =
        crate::services::threads::comments::target(state, object.as_str()).await?
    else {
        return Ok(Outcome::Ignored(format!(
            "{kind} of {object}, not in our threads"
        )));
    };
    let id = reaction
        .id
        .ok_or_else(|| CommentError::Invalid("reaction without id".into()))?;
    let reactor = crate::services::remote::actors::get_or_fetch(state, reaction.actor).await?;
    if let Some(emoji) = reaction.emoji {
        if !like::room_for(state, reactor.id, object.as_str(), &emoji.text).await? {
            return Ok(like::too_many(object));
        }
    }
    let added = storage::reactions::add(
        &state.db,
        storage::reactions::NewReaction {
            kind,
            actor_id: reactor.id,
            object_ap_id: object.as_str(),
            article_id: article.id,
            comment_id: comment.map(|c| c.id),
            activity_id: id,
            emoji: reaction
                .emoji
                .map(|e| (e.text.as_str(), e.icon.as_ref().map(url::Url::as_str))),
            now: now_millis(),
        },
    )
    .await?;
    if let (Some(row), Some(_)) = (added, reaction.emoji) {
        if !like::kept(state, reactor.id, object.as_str(), row).await? {
            return Ok(like::too_many(object));
        }
    }
    Ok(Outcome::Done)
}
