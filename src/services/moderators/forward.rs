//! Reports forwarded to the reported author's server: a `Flag` from the instance actor
//! (the server speaks, never a reader or a site), naming the author and the comment's
//! note, with the charter's reason in the site's language and, for a reader's report,
//! what the reader wrote (never who they are: no address, no hash). Sent through the
//! durable outbox, once per comment and reason (the `Flag`'s id says both).
//!
//! When: per site (`forward_reports`). `off` sends nothing on its own; `decisions`
//! sends when a moderator hides or refuses a remote comment; `reports_and_decisions`
//! also when a reader reports one, at most one `Flag` per comment a day, since readers
//! are anonymous and nothing an anonymous visitor does may otherwise make us speak.
//! A moderator may forward one report or decision by hand whatever the setting.

use super::Reason;
use crate::{
    config::ForwardReports,
    domain::{now_millis, CommentStatus},
    error::{Error, Result},
    federation::protocol::flag::{flag, OutboundFlag},
    i18n::Lang,
    services::staff::{Role, Staff},
    state::AppState,
    storage::{self, entities::comment},
};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::Serialize;

/// How often a reader's reports may make us send a `Flag` about one comment.
pub const READER_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// What asked for the `Flag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A reader's report (anonymous): only on `reports_and_decisions`, rate limited.
    Reader,
    /// A moderator hid or refused the comment: on `decisions` and up.
    Decision,
    /// A moderator pressed "forward": always.
    Moderator,
}

/// What became of a request to forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Forwarded {
    Queued,
    /// This comment was already forwarded for this reason.
    AlreadySent,
    /// The site does not forward on this trigger.
    NotThisSite,
    /// A reader's report within a day of the last `Flag` about this comment.
    TooSoon,
    /// Not a remote author's comment (a staff reply, an author gone).
    NotRemote,
}

/// The id of the `Flag` about `comment_id` for `reason`: the same every time, which is
/// what keeps it to one.
fn flag_id(state: &AppState, comment_id: i64, reason: Reason) -> String {
    format!("{}/{}", flags_of(state, comment_id), reason.as_str())
}

fn flags_of(state: &AppState, comment_id: i64) -> String {
    format!("{}/flags/{comment_id}", state.urls.instance_actor())
}

/// Queues the `Flag` in `db` (the caller's transaction) when the site and the trigger
/// allow it. The caller wakes the deliverer after commit.
pub(crate) async fn queue<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    comment: &comment::Model,
    reason: Reason,
    text: Option<&str>,
    trigger: Trigger,
) -> Result<Forwarded> {
    let Some(article) = storage::articles::find(db, comment.article_id).await? else {
        return Ok(Forwarded::NotRemote);
    };
    let Some(site) = state.site_by_id(article.site_id) else {
        return Ok(Forwarded::NotRemote);
    };
    let setting = state
        .settings
        .sites
        .iter()
        .find(|s| s.slug == site.slug)
        .map(|s| s.forward_reports)
        .unwrap_or_default();
    let allowed = match trigger {
        Trigger::Moderator => true,
        Trigger::Decision => setting != ForwardReports::Off,
        Trigger::Reader => setting == ForwardReports::ReportsAndDecisions,
    };
    if !allowed {
        return Ok(Forwarded::NotThisSite);
    }
    let Some(author) = (match comment.author_id {
        Some(id) => storage::actors::find_many(db, vec![id]).await?.pop(),
        None => None,
    }) else {
        return Ok(Forwarded::NotRemote);
    };
    if author.deleted_at.is_some() || state.urls.is_local(&author.ap_id) {
        return Ok(Forwarded::NotRemote);
    }
    let id = flag_id(state, comment.id, reason);
    if storage::reports::flag_queued(db, &id).await? {
        return Ok(Forwarded::AlreadySent);
    }
    let now = now_millis();
    if trigger == Trigger::Reader
        && storage::reports::flags_queued_since(
            db,
            Reason::ALL
                .iter()
                .map(|r| flag_id(state, comment.id, *r))
                .collect(),
            now - READER_WINDOW_MS,
        )
        .await?
    {
        return Ok(Forwarded::TooSoon);
    }
    let lang = site
        .language
        .as_deref()
        .and_then(Lang::of)
        .unwrap_or_else(Lang::french);
    let reason_words = lang.t(&format!("report-reason-{}", reason.as_str()));
    let mut content = lang.t_args(
        "report-forward-content",
        &[
            ("site", crate::i18n::Arg::Str(&site.name)),
            ("reason", crate::i18n::Arg::Str(&reason_words)),
        ],
    );
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        content.push_str("\n\n");
        content.push_str(&crate::sanitize::plain_text(text));
    }
    let actor = state.urls.instance_actor();
    let activity = flag(&OutboundFlag {
        id: &id,
        actor: &actor,
        author: &author.ap_id,
        notes: &[comment.ap_id.as_str()],
        content: &content,
    });
    let inbox = author.shared_inbox.clone().unwrap_or(author.inbox.clone());
    storage::outbox::enqueue(
        db,
        &id,
        "instance",
        &state.urls.instance_key_id(),
        &activity.to_string(),
        &[inbox],
        now,
    )
    .await?;
    Ok(Forwarded::Queued)
}

/// After a reader's report: forwards it if the site chose `reports_and_decisions`.
/// The report is kept whatever happens here; a failure is logged, not the reader's.
pub(crate) async fn after_reader_report(
    state: &AppState,
    comment: &comment::Model,
    reason: Reason,
    text: &str,
) {
    match queue(
        state,
        &state.db,
        comment,
        reason,
        Some(text),
        Trigger::Reader,
    )
    .await
    {
        Ok(Forwarded::Queued) => state.delivery_wakeup.notify_one(),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, comment = comment.id, "could not forward a report"),
    }
}

/// Within a moderator's decision (hide, refuse): forwards it on `decisions` and up.
pub(crate) async fn after_decision<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    comment: &comment::Model,
    reason: Option<&str>,
) -> Result<()> {
    let reason = reason.and_then(Reason::parse).unwrap_or(Reason::Other);
    queue(state, db, comment, reason, None, Trigger::Decision).await?;
    Ok(())
}

/// A moderator forwards one open report (`report`: its id) or the decision on the
/// comment (`None`: it must be hidden or refused). Audited.
pub async fn forward(
    state: &AppState,
    staff: &Staff,
    comment_id: i64,
    report: Option<i64>,
) -> Result<Forwarded> {
    staff.require(Role::Moderator)?;
    let comment = super::load(state, comment_id).await?;
    let (reason, text) = match report {
        Some(report_id) => {
            let report = storage::reports::comment_report(&state.db, report_id)
                .await?
                .filter(|r| r.comment_id == comment_id)
                .ok_or(Error::NotFound("report"))?;
            (
                Reason::parse(&report.reason).unwrap_or(Reason::Other),
                Some(report.content),
            )
        }
        None => {
            if !matches!(
                comment.status,
                CommentStatus::Hidden | CommentStatus::Rejected
            ) {
                return Err(Error::Conflict(
                    "only a hidden or refused comment has a decision to forward".into(),
                ));
            }
            (
                comment
                    .moderation_reason
                    .as_deref()
                    .and_then(Reason::parse)
                    .unwrap_or(Reason::Other),
                None,
            )
        }
    };
    let txn = state.db.begin().await?;
    let outcome = queue(
        state,
        &txn,
        &comment,
        reason,
        text.as_deref(),
        Trigger::Moderator,
    )
    .await?;
    if outcome == Forwarded::Queued {
        staff
            .audit(
                &txn,
                "comment.forward",
                "comment",
                comment_id,
                serde_json::json!({"reason": reason, "report": report}),
            )
            .await?;
    }
    txn.commit().await?;
    if outcome == Forwarded::Queued {
        state.delivery_wakeup.notify_one();
    }
    Ok(outcome)
}
