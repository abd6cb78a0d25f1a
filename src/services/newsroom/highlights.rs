//! Editorial highlights ("mise en valeur"): an editor puts a published comment forward
//! with a note; the site actor `Announce`s it (its author is notified, the site's
//! followers see it) and `Undo`es that when the highlight is removed. A reply whose
//! `interactionPolicy` asks for approval gets an `AnnounceRequest` first, and the
//! `Announce` only once its author authorised it (`services::consent`); one whose
//! policy refuses is highlighted here only. Articles expose
//! their selection as an ordered collection, and each site has a feed of it.

use crate::services::{
    consent, delivery,
    staff::{Role, Staff},
    threads::visible::is_visible,
};
use crate::{
    domain::{from_millis, now_millis},
    error::{Error, Result},
    federation::protocol::{activity, collection::OrderedCollection},
    state::{AppState, Site},
    storage::{
        self,
        entities::{comment, highlight},
        highlights::NewHighlight,
    },
};
use chrono::SecondsFormat;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::Serialize;
use serde_json::{json, Value};

/// A highlight as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Editorial {
    pub note: Option<String>,
    /// The editor's display name.
    pub editor: String,
    pub at: String,
    /// Place in the editors' order (1 first).
    pub position: i64,
}

impl From<&highlight::Model> for Editorial {
    fn from(h: &highlight::Model) -> Self {
        Editorial {
            note: h.note.clone(),
            editor: h.editor_name.clone(),
            at: from_millis(h.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
            position: h.position,
        }
    }
}

/// The longest editorial note.
pub const MAX_NOTE: usize = 1_000;

/// Puts a published comment forward. Highlighting it again only changes the note.
pub async fn highlight(
    state: &AppState,
    staff: &Staff,
    id: i64,
    note: Option<String>,
) -> Result<Editorial> {
    staff.require(Role::Editor)?;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(Error::Unprocessable(format!(
            "note: {MAX_NOTE} characters at most"
        )));
    }
    let comment = storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    if !is_visible(&comment) {
        return Err(Error::Unprocessable(
            "only published comments can be highlighted".into(),
        ));
    }
    let article = storage::articles::find(&state.db, comment.article_id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    let site = state
        .site_by_id(article.site_id)
        .ok_or(Error::NotFound("site"))?;
    // Read before the transaction: a fetch from the reply's server (new highlights of
    // remote replies only; staff replies are ours).
    let author = match comment.author_id {
        Some(id) => storage::actors::find_many(&state.db, vec![id]).await?.pop(),
        None => None,
    };
    let boost = match (
        &author,
        storage::highlights::find_by_comment(&state.db, id).await?,
    ) {
        (Some(author), None) => {
            consent::boost_of(state, &comment, author, &state.urls.site_actor(&site.slug)).await
        }
        _ => consent::Boost::Now,
    };
    let txn = state.db.begin().await?;
    let row = match storage::highlights::find_by_comment(&txn, id).await? {
        Some(existing) => {
            storage::highlights::delete(&txn, existing.id).await?;
            let mut kept = storage::highlights::insert(
                &txn,
                NewHighlight {
                    comment_id: id,
                    article_id: article.id,
                    note: note.as_deref(),
                    editor_id: staff.id,
                    editor_name: &staff.display_name,
                    announce_id: &existing.announce_id,
                    now: existing.created_at,
                },
            )
            .await?;
            storage::highlights::set_position(&txn, kept.id, existing.position).await?;
            kept.position = existing.position;
            kept
        }
        None => {
            let announce_id = state.urls.new_activity(&site.slug, "announce");
            let row = storage::highlights::insert(
                &txn,
                NewHighlight {
                    comment_id: id,
                    article_id: article.id,
                    note: note.as_deref(),
                    editor_id: staff.id,
                    editor_name: &staff.display_name,
                    announce_id: &announce_id,
                    now: now_millis(),
                },
            )
            .await?;
            let (announce, inboxes) = announce(state, &txn, site, &comment, &announce_id).await?;
            match (boost, &author) {
                (consent::Boost::Ask, Some(author)) | (consent::Boost::Never, Some(author)) => {
                    let ask = matches!(boost, consent::Boost::Ask);
                    consent::hold_announce(
                        state,
                        &txn,
                        site,
                        &comment,
                        author,
                        &announce,
                        &announce_id,
                        ask,
                    )
                    .await?;
                }
                _ => delivery::enqueue(&txn, site, &announce, &inboxes).await?,
            }
            row
        }
    };
    staff
        .audit(
            &txn,
            "comment.highlight",
            "comment",
            id,
            json!({"note": note}),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(Editorial::from(&row))
}

/// Removes a highlight (and tells the fediverse: `Undo(Announce)`).
pub async fn unhighlight(state: &AppState, staff: &Staff, id: i64) -> Result<()> {
    staff.require(Role::Editor)?;
    let comment = storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    let txn = state.db.begin().await?;
    if !remove(state, &txn, &comment).await? {
        return Err(Error::NotFound("highlight"));
    }
    staff
        .audit(&txn, "comment.unhighlight", "comment", id, json!({}))
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

/// Drops a comment's highlight in the caller's transaction (hiding or deleting a
/// comment does); returns whether there was one.
pub async fn remove<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    comment: &comment::Model,
) -> Result<bool> {
    let Some(row) = storage::highlights::find_by_comment(db, comment.id).await? else {
        return Ok(false);
    };
    storage::highlights::delete(db, row.id).await?;
    if !consent::announced(db, comment.id).await? {
        // Never announced (waiting, refused or forbidden): nothing to undo.
        return Ok(true);
    }
    let Some(article) = storage::articles::find(db, comment.article_id).await? else {
        return Ok(true);
    };
    let Some(site) = state.site_by_id(article.site_id) else {
        return Ok(true);
    };
    let (original, inboxes) = announce(state, db, site, comment, &row.announce_id).await?;
    let undo = activity::undo(&format!("{}/undo", row.announce_id), &original);
    delivery::enqueue(db, site, &undo, &inboxes).await?;
    Ok(true)
}

/// The `Announce` of a highlighted comment, and where it goes: its author's inbox (so
/// they are notified) and the site's followers.
async fn announce<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    site: &Site,
    comment: &comment::Model,
    id: &str,
) -> Result<(Value, Vec<String>)> {
    let mut inboxes = storage::follows::follower_inboxes(db, site.id).await?;
    let mut cc = vec![state.urls.site_followers(&site.slug)];
    if let Some(author_id) = comment.author_id {
        if let Some(author) = storage::actors::find_many(db, vec![author_id]).await?.pop() {
            cc.push(author.ap_id);
            inboxes.insert(0, author.inbox);
        }
    }
    let announce = activity::announce(id, &state.urls.site_actor(&site.slug), &cc, &comment.ap_id);
    Ok((announce, inboxes))
}

/// Sends the `Announce` of a highlight its reply's author authorised (an `Accept` of
/// our `AnnounceRequest`, checked by `consent::announce_answered`), with the proof;
/// `Some(reason)` when there is nothing to announce any more.
pub async fn announce_authorized(
    state: &AppState,
    request: &storage::entities::interaction_request::Model,
    authorization: &str,
) -> Result<Option<&'static str>> {
    // Announce only what is still highlighted, under this request, and shown.
    let comment = storage::moderation::find_comment(&state.db, request.comment_id).await?;
    let highlight = storage::highlights::find_by_comment(&state.db, request.comment_id).await?;
    let (Some(comment), Some(highlight)) = (comment, highlight) else {
        return Ok(Some("highlight gone meanwhile"));
    };
    if highlight.announce_id != request.instrument || !is_visible(&comment) {
        return Ok(Some("highlight gone meanwhile"));
    }
    let Some(article) = storage::articles::find(&state.db, comment.article_id).await? else {
        return Ok(Some("article gone"));
    };
    let Some(site) = state.site_by_id(article.site_id) else {
        return Ok(Some("site gone"));
    };
    let txn = state.db.begin().await?;
    if consent::settle_authorized(&txn, request, authorization).await? {
        let (original, inboxes) =
            announce(state, &txn, site, &comment, &highlight.announce_id).await?;
        let proved =
            crate::federation::protocol::approval::with_authorization(&original, authorization);
        delivery::enqueue(&txn, site, &proved, &inboxes).await?;
    }
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(None)
}

/// Sets the editors' order of an article's highlights (comment ids, first first).
pub async fn reorder(
    state: &AppState,
    staff: &Staff,
    article_id: i64,
    order: Vec<i64>,
) -> Result<()> {
    staff.require(Role::Editor)?;
    let rows = storage::highlights::for_article(&state.db, article_id).await?;
    if order.len() != rows.len() || !rows.iter().all(|r| order.contains(&r.comment_id)) {
        return Err(Error::Unprocessable(
            "order must list every highlighted comment of the article once".into(),
        ));
    }
    let txn = state.db.begin().await?;
    for (position, comment_id) in order.iter().enumerate() {
        if let Some(row) = rows.iter().find(|r| r.comment_id == *comment_id) {
            storage::highlights::set_position(&txn, row.id, position as i64 + 1).await?;
        }
    }
    staff
        .audit(
            &txn,
            "article.highlights.order",
            "article",
            article_id,
            json!({"order": order}),
        )
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The `featured` collection of an article: its highlighted comments, in order.
pub async fn featured(state: &AppState, article_id: i64, ap_id: &str) -> Result<OrderedCollection> {
    let mut items = Vec::new();
    for row in storage::highlights::for_article(&state.db, article_id).await? {
        if let Some(c) = storage::moderation::find_comment(&state.db, row.comment_id)
            .await?
            .filter(is_visible)
        {
            items.push(Value::String(c.ap_id));
        }
    }
    Ok(OrderedCollection::new(format!("{ap_id}/featured"), items))
}
