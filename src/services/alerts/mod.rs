//! Alerts, so that moderators need not watch the queue all day: an event (a comment
//! held, a comment reported, an illegal-content notice, dead letters piling up) is
//! raised where it happens, in the same transaction, and fanned out there into the
//! durable queue `alert_deliveries`: one signed POST per webhook that wants it
//! (`webhooks.rs`), one e-mail per staff member who chose "immediately" (`mail.rs`).
//! A worker sends them with retries (`worker.rs`); digests and the dead-letter check
//! are scheduled jobs (`digest.rs`); each member's choices are in `choices.rs`.

pub mod choices;
pub mod digest;
pub mod mail;
pub mod webhooks;
pub mod worker;

use crate::{
    domain::{from_millis, now_millis},
    state::AppState,
    storage::{
        self,
        alerts::NewAlertDelivery,
        entities::{article, comment},
    },
};
use chrono::SecondsFormat;
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::{json, Value};

pub use crate::config::ALERT_EVENTS as EVENTS;

pub const COMMENT_HELD: &str = "comment.held";
pub const COMMENT_REPORTED: &str = "comment.reported";
pub const NOTICE_RECEIVED: &str = "notice.received";
pub const DELIVERIES_DEAD: &str = "deliveries.dead";

/// An event about to be raised.
#[derive(Debug, Clone)]
pub struct Alert {
    pub event: &'static str,
    /// The site's slug (`None`: the whole server, e.g. dead letters).
    pub site: Option<String>,
    /// What it is about: ids, names, an excerpt, and `console_url`.
    pub item: Value,
}

/// The console's page of a comment, as an absolute URL.
pub fn console_comment_url(state: &AppState, comment_id: i64) -> String {
    format!(
        "{}/admin/comments/{comment_id}",
        state
            .settings
            .server
            .public_url
            .as_str()
            .trim_end_matches('/')
    )
}

/// The console itself (for alerts about no one comment).
pub fn console_url(state: &AppState) -> String {
    format!(
        "{}/admin",
        state
            .settings
            .server
            .public_url
            .as_str()
            .trim_end_matches('/')
    )
}

/// The longest excerpt of a comment an alert carries, in characters.
const EXCERPT_CHARS: usize = 280;

/// The plain text of a comment's stored HTML, cut short.
fn excerpt(html: &str) -> String {
    let text = crate::sanitize::text_of_html(html);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// An alert about a comment: its site, article, author, excerpt and console link.
pub async fn about_comment<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    event: &'static str,
    comment: &comment::Model,
    reason: Option<&str>,
) -> Result<Alert, DbErr> {
    let article: Option<article::Model> = storage::articles::find(db, comment.article_id).await?;
    let site = article
        .as_ref()
        .and_then(|a| state.site_by_id(a.site_id))
        .map(|s| s.slug.clone());
    let author = match (comment.author_id, &comment.staff_name) {
        (Some(id), _) => storage::actors::find_many(db, vec![id])
            .await?
            .pop()
            .map(|a| {
                let handle = a
                    .preferred_username
                    .as_ref()
                    .map(|u| format!("@{u}@{}", a.domain))
                    .unwrap_or_else(|| a.ap_id.clone());
                match a.name.as_deref().map(crate::sanitize::plain_text) {
                    Some(name) if !name.trim().is_empty() => format!("{} ({handle})", name.trim()),
                    _ => handle,
                }
            }),
        (None, Some(name)) => Some(name.clone()),
        (None, None) => None,
    };
    Ok(Alert {
        event,
        site,
        item: json!({
            "comment_id": comment.id,
            "ap_id": comment.ap_id,
            "article_url": article.as_ref().map(|a| a.url.clone()),
            "article_title": article.as_ref().map(|a| crate::sanitize::plain_text(&a.title)),
            "author": author,
            "excerpt": excerpt(&comment.content_html),
            "reason": reason,
            "console_url": console_comment_url(state, comment.id),
        }),
    })
}

/// Raises `alert` in the caller's transaction: the event is stored and every webhook
/// POST and immediate e-mail it leads to is queued, so that it is sent exactly when
/// the change it is about is committed, and survives restarts.
pub async fn raise<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    alert: Alert,
) -> Result<(), DbErr> {
    let now = now_millis();
    let item = serde_json::to_string(&alert.item).map_err(|e| DbErr::Custom(e.to_string()))?;
    let stored =
        storage::alerts::insert_event(db, alert.event, alert.site.as_deref(), &item, now).await?;
    let payload = json!({
        "event": alert.event,
        "site": alert.site,
        "item": alert.item,
        "created_at": from_millis(now).to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    let body = serde_json::to_vec(&payload).map_err(|e| DbErr::Custom(e.to_string()))?;
    for hook in webhooks::targets(db, state, alert.event, alert.site.as_deref()).await? {
        storage::alerts::enqueue(
            db,
            NewAlertDelivery {
                event_id: Some(stored.id),
                event: alert.event.to_string(),
                channel: "webhook",
                webhook_id: hook.id,
                staff_id: None,
                target: hook.url,
                subject: None,
                body: String::from_utf8_lossy(&body).into_owned(),
                signature: Some(webhooks::signature(&hook.secret, &body)),
            },
            now,
        )
        .await?;
    }
    if state.settings.smtp.is_some() {
        for member in storage::alerts::members_choosing(db, alert.event, "immediate").await? {
            if !mail::may_receive(&member, alert.event) {
                continue;
            }
            let Some(address) = member.email.clone() else {
                continue;
            };
            let lang = mail::language_of(state, &member, alert.site.as_deref());
            let (subject, text) = mail::immediate(lang, &alert);
            storage::alerts::enqueue(
                db,
                NewAlertDelivery {
                    event_id: Some(stored.id),
                    event: alert.event.to_string(),
                    channel: "email",
                    webhook_id: None,
                    staff_id: Some(member.id),
                    target: address,
                    subject: Some(subject),
                    body: text,
                    signature: None,
                },
                now,
            )
            .await?;
        }
    }
    tracing::info!(event = alert.event, site = ?alert.site, "alert raised");
    Ok(())
}

/// `comment.held` when a comment newly stored (or edited) is in the moderators' queue.
pub async fn if_held<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    comment: &comment::Model,
) -> Result<(), DbErr> {
    if comment.status != crate::domain::CommentStatus::Held {
        return Ok(());
    }
    // What held it: the reasons of the rules that asked for it (or more).
    let reason = comment
        .verdict
        .as_deref()
        .and_then(|v| serde_json::from_str::<crate::moderation::Verdict>(v).ok())
        .map(|v| {
            v.hits
                .iter()
                .filter(|h| h.action >= crate::domain::Action::Hold)
                .map(|h| h.reason.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .filter(|r| !r.is_empty());
    let alert = about_comment(db, state, COMMENT_HELD, comment, reason.as_deref()).await?;
    raise(db, state, alert).await
}

/// `comment.reported` for a report (a reader's or a server's `Flag`), and
/// `notice.received` too when its reason is `illegal` (the illegal-content notice),
/// called once the report is stored. Only the first open report of a comment alerts
/// (the first illegal one for the notice): anyone may report, and a hundred reports of
/// one comment, from as many addresses, must not be a hundred e-mails to each moderator.
/// Once a moderator decides (the reports are resolved), the next report alerts again.
pub async fn reported<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    comment: &comment::Model,
    reason: &str,
) -> Result<(), DbErr> {
    let first = storage::reports::open_reports_of(db, comment.id, None).await? <= 1;
    let first_notice = reason == "illegal"
        && storage::reports::open_reports_of(db, comment.id, Some("illegal")).await? <= 1;
    if !first && !first_notice {
        return Ok(());
    }
    let alert = about_comment(db, state, COMMENT_REPORTED, comment, Some(reason)).await?;
    if first {
        raise(db, state, alert.clone()).await?;
    }
    if first_notice {
        raise(
            db,
            state,
            Alert {
                event: NOTICE_RECEIVED,
                ..alert
            },
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_excerpt_is_plain_text_cut_short() {
        assert_eq!(super::excerpt("<p>a &amp; <b>b</b></p>"), "a & b");
        let long = "x".repeat(400);
        assert_eq!(super::excerpt(&long).chars().count(), 281);
    }
}
