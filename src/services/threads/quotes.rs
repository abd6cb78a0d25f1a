//! Quotes (FEP-044f): posts that quote one of our articles or staff replies. A quote
//! arrives as a `QuoteRequest` (Mastodon 4.5, Fedify) or only as a `Create` whose
//! `quote` names ours (the same post either way, stored once by its id). It is judged
//! like a reply and stored as a comment row marked `quote_of`, outside the tree; the
//! requester's server is answered through the outbox: `Accept` with the stamp
//! (`QuoteAuthorization`) once published, `Reject` when refused, and the stamp's
//! `Delete` when a moderator takes a published quote down.

use super::comments::{self, CommentError, Place};
use crate::{
    domain::{now_millis, CommentStatus},
    federation::protocol::{
        note::NoteDoc,
        quote::{self, QuoteAnswer, QuoteAuthorization},
        Tombstone,
    },
    sanitize::strip_quote_fallback,
    services::{delivery, newsroom::journalists, remote::actors},
    state::AppState,
    storage::{
        self,
        entities::{article, comment},
    },
};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::Value;
use url::Url;

/// What became of a post that may be a quote.
#[derive(Debug, PartialEq, Eq)]
pub enum Landing {
    /// It quotes nothing of ours: handle it as a reply, if it is one.
    NotAQuote,
    Stored,
    /// Understood, nothing to do (the reason).
    Ignored(String),
}

/// A `QuoteRequest` whose post was read from a trusted copy (embedded by the actor's
/// own server, else fetched from its id).
pub struct Requested<'a> {
    pub id: &'a Url,
    pub actor: &'a Url,
    pub object: &'a Url,
    /// The quoting post as a comment, and as received (for its quote properties).
    pub note: &'a NoteDoc,
    pub post: &'a Value,
}

/// The article an id of ours names, and that id, when it is something we may let
/// people quote: one of our articles, or a staff reply (a remote comment in our thread
/// is its author's to authorise, not ours).
async fn ours(
    state: &AppState,
    id: &Url,
) -> Result<Option<(article::Model, String)>, CommentError> {
    if !state.urls.is_local(id.as_str()) {
        return Ok(None);
    }
    Ok(match comments::target(state, id.as_str()).await? {
        Some((article, _)) if article.deleted_at.is_some() => None,
        Some((article, None)) => {
            let ap_id = article.ap_id.clone();
            Some((article, ap_id))
        }
        Some((article, Some(c)))
            // Only what readers see may be quoted (a held or hidden staff reply is not).
            if c.quote_of.is_none()
                && crate::services::threads::visible::is_visible(&c)
                && state.urls.is_local(&c.ap_id) =>
        {
            Some((article, c.ap_id))
        }
        _ => None,
    })
}

/// Handles a `QuoteRequest`.
pub async fn requested(state: &AppState, r: Requested<'_>) -> Result<Landing, CommentError> {
    let Some((article, target)) = ours(state, r.object).await? else {
        return Ok(Landing::Ignored(format!(
            "QuoteRequest of {}, not ours to authorise",
            r.object
        )));
    };
    // The post is the requester's own (Mastodon's sanity check): a request about
    // someone else's post is refused without an answer.
    if r.note.attributed_to != *r.actor {
        return Err(CommentError::Invalid(
            "the quoting post is not attributed to the actor".into(),
        ));
    }
    if let Some(row) = storage::comments::find_by_ap_id(&state.db, r.note.id.as_str()).await? {
        if row.quote_of.as_deref() != Some(target.as_str()) {
            return Ok(Landing::Ignored(
                "the post is already stored, not as a quote of this".into(),
            ));
        }
        // Received first as a `Create`, or asked again: answer as it stands.
        if row.quote_request.is_none() {
            storage::quotes::set_request(&state.db, row.id, r.id.as_str()).await?;
        }
        let row = comment::Model {
            quote_request: Some(r.id.to_string()),
            ..row
        };
        let answer = match (row.status, row.deleted_at) {
            (_, Some(_)) => Answer::Reject,
            (CommentStatus::Published, None) => Answer::Accept,
            (CommentStatus::Held, None) => Answer::Nothing,
            _ => Answer::Reject,
        };
        send(state, &state.db, &row, answer).await?;
        state.delivery_wakeup.notify_one();
        return Ok(Landing::Stored);
    }
    let refused = |why: &str| Landing::Ignored(format!("quote refused: {why}"));
    let quoted = quote::quoted(r.post);
    let landing = if !r.note.public {
        Some(refused("the quoting post is not public"))
    } else if quoted.as_ref().map(Url::as_str) != Some(target.as_str()) {
        Some(refused("the post does not quote what the request names"))
    } else {
        None
    };
    if let Some(landing) = landing {
        reject_unstored(state, &r, &article, &target).await?;
        return Ok(landing);
    }
    let row = store(state, r.note, &article, &target, Some(r.id.as_str())).await?;
    let answer = match row.status {
        CommentStatus::Published => Answer::Accept,
        CommentStatus::Held => Answer::Nothing,
        _ => Answer::Reject,
    };
    send(state, &state.db, &row, answer).await?;
    state.delivery_wakeup.notify_one();
    Ok(Landing::Stored)
}

/// A `Create` or `Update` of a post (Mastodon sends the quoting post to the quoted
/// author too): a quote of ours is stored as one, never as a reply; an `Update` never
/// changes what a stored quote quotes.
pub async fn from_post(
    state: &AppState,
    post: &Value,
    note: &NoteDoc,
    actor: &Url,
    update: bool,
) -> Result<Landing, CommentError> {
    let quoted = quote::quoted(post);
    if quoted.is_none() && !update {
        return Ok(Landing::NotAQuote);
    }
    let existing = storage::comments::find_by_ap_id(&state.db, note.id.as_str()).await?;
    if let Some(of) = existing.as_ref().and_then(|row| row.quote_of.as_deref()) {
        return Ok(match quoted {
            // An edit of the quote: applied as any comment's edit.
            Some(q) if update && q.as_str() == of => Landing::NotAQuote,
            Some(q) if q.as_str() == of => Landing::Ignored("quote already stored".into()),
            _ => Landing::Ignored("an Update may not change what a quote quotes".into()),
        });
    }
    let Some(quoted) = quoted else {
        return Ok(Landing::NotAQuote);
    };
    if existing.is_some() {
        // A reply that quotes stays the reply it was.
        return Ok(Landing::NotAQuote);
    }
    let Some((article, target)) = ours(state, &quoted).await? else {
        return Ok(Landing::NotAQuote);
    };
    if note.attributed_to != *actor {
        return Err(CommentError::Invalid(
            "object is not attributed to the actor".into(),
        ));
    }
    if !note.public {
        return Ok(Landing::Ignored("not addressed to the public".into()));
    }
    // No request to answer: shown once published; the `QuoteRequest`, if one
    // follows, is answered then.
    store(state, note, &article, &target, None).await?;
    Ok(Landing::Stored)
}

/// Judges and stores a quote (once), its fallback link stripped.
async fn store(
    state: &AppState,
    note: &NoteDoc,
    article: &article::Model,
    target: &str,
    request: Option<&str>,
) -> Result<comment::Model, CommentError> {
    let place = Place {
        article: article.clone(),
        parent: None,
    };
    let content = strip_quote_fallback(&note.content, &[target, article.url.as_str()]);
    let mut row = comments::prepare(state, note, &place, content).await?;
    row.in_reply_to = target.to_string();
    if let Some(existing) = storage::comments::find_by_ap_id(&state.db, &row.ap_id).await? {
        return Ok(existing);
    }
    // A held quote and its alert are stored together.
    let txn = sea_orm::TransactionTrait::begin(&state.db).await?;
    let (stored, inserted) = storage::quotes::insert_new(&txn, row, target, request).await?;
    if inserted {
        crate::services::alerts::if_held(&txn, state, &stored).await?;
    }
    txn.commit().await?;
    Ok(stored)
}

/// A `Reject` for a request refused before anything was stored.
async fn reject_unstored(
    state: &AppState,
    r: &Requested<'_>,
    article: &article::Model,
    target: &str,
) -> Result<(), CommentError> {
    let Some(site) = state.site_by_id(article.site_id) else {
        return Ok(());
    };
    let requester = actors::get_or_fetch(state, r.actor).await?;
    let message = QuoteAnswer {
        id: &state.urls.new_activity(&site.slug, "reject"),
        actor: &state.urls.site_actor(&site.slug),
        requester: r.actor.as_str(),
        request: r.id.as_str(),
        instrument: r.note.id.as_str(),
        object: target,
    }
    .reject();
    delivery::enqueue(&state.db, site, &message, &[requester.inbox]).await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

/// What the requester's server is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// `Accept` with the stamp (the stamp is valid again).
    Accept,
    Reject,
    /// `Delete` of the stamp (FEP-044f revocation).
    Revoke,
    Nothing,
}

/// What a moderator's decision on a quote means for its author's server: published
/// from held, hidden or rejected → `Accept`; taken down once published → the stamp
/// revoked; refused while held → `Reject`. `now` is `None` when it is deleted.
fn answer_for(was: CommentStatus, now: Option<CommentStatus>) -> Answer {
    match (was, now) {
        (CommentStatus::Published, Some(CommentStatus::Published)) => Answer::Nothing,
        (_, Some(CommentStatus::Published)) => Answer::Accept,
        (CommentStatus::Published, _) => Answer::Revoke,
        (CommentStatus::Held, Some(CommentStatus::Held)) => Answer::Nothing,
        (CommentStatus::Held, _) => Answer::Reject,
        _ => Answer::Nothing,
    }
}

/// Called by the moderators' actions, in their transaction, for a quote they decided
/// on (`now`: its new status, `None` when deleted).
pub async fn decided<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    quote: &comment::Model,
    now: Option<CommentStatus>,
) -> Result<(), DbErr> {
    if quote.deleted_at.is_some() {
        return Ok(());
    }
    send(state, db, quote, answer_for(quote.status, now)).await
}

/// Who authorises quotes of `quoted` (an article's or a staff reply's id): the
/// journalist who wrote the reply, else the site.
async fn quoted_voice<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    site: &crate::state::Site,
    quoted: &str,
) -> Result<journalists::Voice, DbErr> {
    let voice = match storage::comments::find_by_ap_id(db, quoted).await? {
        Some(reply) => journalists::voice_of(state, site, &reply).await,
        None => Ok(journalists::Voice::of(state, site, None)),
    };
    voice.map_err(|e| DbErr::Custom(e.to_string()))
}

/// Queues `answer` for the quote's author; nothing for a quote that came without a
/// `QuoteRequest` (there is nothing to answer, and no stamp was issued).
async fn send<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    quote: &comment::Model,
    answer: Answer,
) -> Result<(), DbErr> {
    let (Some(request), Some(quoted)) = (&quote.quote_request, &quote.quote_of) else {
        return Ok(());
    };
    if answer == Answer::Nothing {
        return Ok(());
    }
    let Some(author) = (match quote.author_id {
        Some(id) => storage::actors::find_many(db, vec![id]).await?.pop(),
        None => None,
    }) else {
        return Ok(());
    };
    let Some(site) = storage::articles::find(db, quote.article_id)
        .await?
        .and_then(|a| state.site_by_id(a.site_id))
    else {
        return Ok(());
    };
    // The quoted post's author answers and stamps (FEP-044f checks the stamp against
    // it): a journalist for their own reply, else the site.
    let voice = quoted_voice(state, db, site, quoted).await?;
    let site_actor = voice.actor.clone();
    let stamp_url = state.urls.quote_authorization(quote.id);
    let id = state.urls.new_activity(
        &site.slug,
        match answer {
            Answer::Accept => "accept",
            Answer::Reject => "reject",
            _ => "delete",
        },
    );
    let parts = QuoteAnswer {
        id: &id,
        actor: &site_actor,
        requester: &author.ap_id,
        request,
        instrument: &quote.ap_id,
        object: quoted,
    };
    let message = match answer {
        Answer::Accept => parts.accept(&stamp_url),
        Answer::Reject => parts.reject(),
        _ => quote::revocation(
            &id,
            &QuoteAuthorization::new(
                stamp_url.clone(),
                site_actor.clone(),
                quote.ap_id.clone(),
                quoted.clone(),
            ),
            &author.ap_id,
        ),
    };
    delivery::enqueue_as(
        db,
        &voice.owner,
        &voice.key_id,
        &message,
        std::slice::from_ref(&author.inbox),
    )
    .await?;
    match answer {
        Answer::Accept if quote.quote_revoked_at.is_some() => {
            storage::quotes::set_revoked(db, quote.id, None).await?
        }
        Answer::Revoke => storage::quotes::set_revoked(db, quote.id, Some(now_millis())).await?,
        _ => {}
    }
    Ok(())
}

/// A stamp as served: valid, or revoked (a `Tombstone`, 410).
pub enum Stamp {
    Valid(QuoteAuthorization),
    Revoked(Tombstone),
}

/// The stamp of quote `id`: valid while the quote is published; a `Tombstone` once
/// revoked or deleted; `None` (404) for anything else (never a stamp for a quote not
/// accepted, nor for a comment that is not a quote).
pub async fn stamp(state: &AppState, id: i64) -> crate::error::Result<Option<Stamp>> {
    let Some(quote) = storage::moderation::find_comment(&state.db, id).await? else {
        return Ok(None);
    };
    let (Some(quoted), Some(_)) = (&quote.quote_of, &quote.quote_request) else {
        return Ok(None);
    };
    let url = state.urls.quote_authorization(quote.id);
    if quote.deleted_at.is_some() || quote.quote_revoked_at.is_some() {
        return Ok(Some(Stamp::Revoked(
            crate::federation::protocol::tombstone(url, "QuoteAuthorization"),
        )));
    }
    if !super::visible::is_visible(&quote) {
        return Ok(None);
    }
    let Some(site) = storage::articles::find(&state.db, quote.article_id)
        .await?
        .and_then(|a| state.site_by_id(a.site_id))
    else {
        return Ok(None);
    };
    let voice = quoted_voice(state, &state.db, site, quoted).await?;
    Ok(Some(Stamp::Valid(QuoteAuthorization::new(
        url,
        voice.actor,
        quote.ap_id.clone(),
        quoted.clone(),
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CommentStatus::*;

    #[test]
    fn decisions_answer_the_quoting_server_as_fep_044f_says() {
        assert_eq!(answer_for(Held, Some(Published)), Answer::Accept);
        assert_eq!(answer_for(Hidden, Some(Published)), Answer::Accept);
        assert_eq!(answer_for(Rejected, Some(Published)), Answer::Accept);
        assert_eq!(answer_for(Published, Some(Hidden)), Answer::Revoke);
        assert_eq!(answer_for(Published, None), Answer::Revoke);
        assert_eq!(answer_for(Held, Some(Rejected)), Answer::Reject);
        assert_eq!(answer_for(Held, None), Answer::Reject);
        assert_eq!(answer_for(Published, Some(Published)), Answer::Nothing);
        assert_eq!(answer_for(Hidden, None), Answer::Nothing);
    }
}
