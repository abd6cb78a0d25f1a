//! What a moderator does to one comment: approve, reject, hide (with the charter's
//! reason), restore, delete. Each runs the same steps in one transaction (`act`), so an action
//! is a description of which steps it takes, not a copy of them.

use super::{load, Reason};
use crate::services::{
    delivery,
    staff::{Role, Staff},
};
use crate::{
    domain::{now_millis, CommentStatus},
    error::{Error, Result},
    federation::protocol::approval,
    state::AppState,
    storage::{self, entities::comment, moderation::Decision},
};
use sea_orm::TransactionTrait;
use serde_json::json;

/// How an action changes the comment itself.
enum Change<'a> {
    /// A new status, with the reason and note shown to moderators.
    Decide(Decision<'a>),
    /// Deleted softly: a placeholder keeps its replies in place.
    SoftDelete,
}

/// What to withdraw of what the newsroom published about the comment.
#[derive(PartialEq)]
enum Withdraw {
    Nothing,
    /// A removed comment is no longer the newsroom's pick.
    Highlight,
    /// Nor, when deleted, is a staff reply left standing on other servers.
    HighlightAndStaffReply,
}

/// One moderator's action on a comment.
struct CommentAction<'a> {
    /// The audit row's action (`comment.approve`…).
    audit: &'static str,
    change: Change<'a>,
    /// Reports on the comment are settled by it.
    resolves_reports: bool,
    withdraw: Withdraw,
    /// A held reply's author is told: `Some(true)` approved (`Accept`), `Some(false)`
    /// refused (`Reject`); only when the comment was held.
    answers_held: Option<bool>,
    /// What the audit row records besides the status the comment had.
    detail: serde_json::Map<String, serde_json::Value>,
}

/// Loads the comment, applies `action` in one transaction (the change, the settled
/// reports, what is withdrawn, the answer to a held reply's author, the audit row),
/// commits, and wakes the deliverer for what was queued. The audit row's id (what an
/// undo names); it keeps the decision the comment had, so that an undo can put it back.
async fn act(
    state: &AppState,
    staff: &Staff,
    id: i64,
    action: CommentAction<'_>,
    allowed_from: &[CommentStatus],
) -> Result<i64> {
    staff.require(Role::Moderator)?;
    let comment = load(state, id).await?;
    if !allowed_from.is_empty() && !allowed_from.contains(&comment.status) {
        return Err(Error::Conflict(format!(
            "this comment is {}: the action does not apply",
            comment.status
        )));
    }
    // A remote comment hidden or refused may be reported to its author's server.
    let forwards = match &action.change {
        Change::Decide(d)
            if matches!(d.status, CommentStatus::Hidden | CommentStatus::Rejected) =>
        {
            Some(d.reason.map(str::to_string))
        }
        _ => None,
    };
    let after = match &action.change {
        Change::Decide(decision) => Some(decision.status),
        Change::SoftDelete => None,
    };
    let txn = state.db.begin().await?;
    match action.change {
        Change::Decide(decision) => storage::moderation::decide(&txn, id, decision).await?,
        Change::SoftDelete => storage::comments::soft_delete(&txn, id, now_millis()).await?,
    }
    // Which reports this settles, so that an undo can open them again.
    let mut resolved: Vec<i64> = Vec::new();
    if action.resolves_reports {
        resolved = storage::console::open_reports_of(&txn, vec![id])
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        storage::reports::resolve_comment_reports(&txn, id).await?;
    }
    if action.withdraw != Withdraw::Nothing {
        crate::services::newsroom::highlights::remove(state, &txn, &comment).await?;
    }
    if action.withdraw == Withdraw::HighlightAndStaffReply {
        crate::services::newsroom::replies::federate_delete(state, &txn, &comment).await?;
    }
    if comment.quote_of.is_some() {
        // A quote is answered as FEP-044f says (Accept, Reject, or its stamp revoked).
        crate::services::threads::quotes::decided(state, &txn, &comment, after).await?;
    } else if let Some(approved) = action.answers_held {
        if comment.status == CommentStatus::Held {
            tell_author(state, &txn, &comment, approved).await?;
        }
    }
    if let Some(reason) = forwards {
        super::forward::after_decision(state, &txn, &comment, reason.as_deref()).await?;
    }
    let mut detail = serde_json::Map::new();
    detail.insert("was".into(), json!(comment.status));
    detail.insert("was_reason".into(), json!(comment.moderation_reason));
    detail.insert("was_note".into(), json!(comment.moderation_note));
    detail.insert("was_by".into(), json!(comment.moderated_by));
    detail.insert("was_at".into(), json!(comment.moderated_at));
    detail.insert("resolved_reports".into(), json!(resolved));
    detail.extend(action.detail);
    let audit = staff
        .audit(&txn, action.audit, "comment", id, detail.into())
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(audit)
}

/// Publishes a comment. One that was held is approved federatedly: its author's server
/// gets an `Accept` naming a `ReplyAuthorization` (GoToSocial's reply approval).
pub async fn approve(state: &AppState, staff: &Staff, id: i64) -> Result<i64> {
    let action = CommentAction {
        audit: "comment.approve",
        change: Change::Decide(Decision::publish(&staff.name, now_millis())),
        resolves_reports: true,
        withdraw: Withdraw::Nothing,
        answers_held: Some(true),
        detail: Default::default(),
    };
    act(state, staff, id, action, &[]).await
}

/// Hides a comment with the charter's reason and a note. A held one is refused
/// federatedly (`Reject`).
pub async fn hide(
    state: &AppState,
    staff: &Staff,
    id: i64,
    reason: &str,
    note: Option<&str>,
) -> Result<i64> {
    // The role first: an editor is told no before being told the reason is wrong.
    staff.require(Role::Moderator)?;
    let reason = Reason::parse(reason).ok_or_else(|| {
        Error::Unprocessable(
            "reason: off_topic, repeated, promotional, abusive, harassment, hate, disinformation, illegal or other".into(),
        )
    })?;
    let mut detail = serde_json::Map::new();
    detail.insert("reason".into(), json!(reason));
    detail.insert("note".into(), json!(note));
    let action = CommentAction {
        audit: "comment.hide",
        change: Change::Decide(Decision {
            status: CommentStatus::Hidden,
            reason: Some(reason.as_str()),
            note,
            by: &staff.name,
            now: now_millis(),
        }),
        resolves_reports: true,
        withdraw: Withdraw::Highlight,
        answers_held: Some(false),
        detail,
    };
    act(state, staff, id, action, &[]).await
}

/// Refuses a held comment (its author's server is told: `Reject`), with an optional
/// reason and note.
pub async fn reject(
    state: &AppState,
    staff: &Staff,
    id: i64,
    reason: Option<&str>,
    note: Option<&str>,
) -> Result<i64> {
    staff.require(Role::Moderator)?;
    let reason = match reason {
        Some(r) => Some(
            Reason::parse(r)
                .ok_or_else(|| Error::Unprocessable("reason: one of the charter's".into()))?,
        ),
        None => None,
    };
    let mut detail = serde_json::Map::new();
    detail.insert("reason".into(), json!(reason));
    detail.insert("note".into(), json!(note));
    let action = CommentAction {
        audit: "comment.reject",
        change: Change::Decide(Decision {
            status: CommentStatus::Rejected,
            reason: reason.map(Reason::as_str),
            note,
            by: &staff.name,
            now: now_millis(),
        }),
        resolves_reports: true,
        withdraw: Withdraw::Highlight,
        answers_held: Some(false),
        detail,
    };
    act(state, staff, id, action, &[CommentStatus::Held]).await
}

/// Puts a hidden or rejected comment back (published).
pub async fn restore(state: &AppState, staff: &Staff, id: i64) -> Result<i64> {
    let action = CommentAction {
        audit: "comment.restore",
        change: Change::Decide(Decision::publish(&staff.name, now_millis())),
        resolves_reports: false,
        withdraw: Withdraw::Nothing,
        answers_held: None,
        detail: Default::default(),
    };
    act(
        state,
        staff,
        id,
        action,
        &[CommentStatus::Hidden, CommentStatus::Rejected],
    )
    .await
}

/// Deletes a comment softly: a placeholder keeps its replies in place.
pub async fn delete(state: &AppState, staff: &Staff, id: i64) -> Result<i64> {
    let action = CommentAction {
        audit: "comment.delete",
        change: Change::SoftDelete,
        resolves_reports: true,
        withdraw: Withdraw::HighlightAndStaffReply,
        answers_held: Some(false),
        detail: Default::default(),
    };
    act(state, staff, id, action, &[]).await
}

/// Queues the approval (`Accept` + `ReplyAuthorization`) or refusal (`Reject`) of a
/// held reply for its author's server.
async fn tell_author<C: sea_orm::ConnectionTrait>(
    state: &AppState,
    db: &C,
    comment: &comment::Model,
    approved: bool,
) -> Result<()> {
    let Some(author) = (match comment.author_id {
        Some(id) => storage::actors::find_many(db, vec![id]).await?.pop(),
        None => None,
    }) else {
        return Ok(());
    };
    let Some(article) = storage::articles::find(db, comment.article_id).await? else {
        return Ok(());
    };
    let Some(site) = state.site_by_id(article.site_id) else {
        return Ok(());
    };
    // A polite `ReplyRequest` is answered naming the request (GoToSocial).
    if crate::services::consent::answer_held(state, db, site, comment, &author, approved).await? {
        return Ok(());
    }
    let answer = if approved { "accept" } else { "reject" };
    let approval = approved.then(|| state.urls.approval(comment.id));
    let message = approval::reply_answer(approval::ReplyAnswer {
        id: &state.urls.new_activity(&site.slug, answer),
        actor: &state.urls.site_actor(&site.slug),
        author: &author.ap_id,
        reply: &comment.ap_id,
        in_reply_to: &comment.in_reply_to,
        approval: approval.as_deref(),
    });
    delivery::enqueue(db, site, &message, std::slice::from_ref(&author.inbox)).await?;
    Ok(())
}
