//! Reports: readers report comments from the thread (public, rate limited per address;
//! the report goes to the moderators' queue with its reason, illegal content included),
//! other servers send `Flag`s; moderators list both.

use crate::services::moderators::Reason;
use crate::{
    domain::{from_millis, now_millis},
    error::{Error, Result},
    runtime::report_limiter::WINDOW_MS,
    state::AppState,
    storage,
};
use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use std::{collections::HashMap, net::IpAddr};

/// The name of the reporter-hash key among the server's secrets.
const REPORTER_KEY: &str = "reporter_hmac";

/// A reader's report.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReaderReport {
    /// The comment's id (as in the thread API).
    pub comment: i64,
    /// `off_topic`, `repeated`, `promotional`, `abusive`, `harassment`, `hate`,
    /// `disinformation`, `illegal` or `other` (or the
    /// French words: hors sujet, répété, promotionnel, grossier, illicite, autre).
    pub reason: String,
    /// What the reader adds (optional, plain text).
    #[serde(default)]
    pub content: Option<String>,
}

/// Records a reader's report. 429 past the rate, 404 for a comment readers cannot see.
pub async fn report(state: &AppState, from: IpAddr, req: ReaderReport) -> Result<()> {
    let reason = Reason::parse(&req.reason).ok_or_else(|| {
        Error::Unprocessable(
            "reason: off_topic, repeated, promotional, abusive, harassment, hate, disinformation, illegal or other".into(),
        )
    })?;
    let content = req.content.unwrap_or_default();
    if content.chars().count() > 2_000 {
        return Err(Error::Unprocessable(
            "content: 2000 characters at most".into(),
        ));
    }
    let now = now_millis();
    if !state.report_limiter.allow(from, now) {
        return Err(Error::TooManyRequests((WINDOW_MS / 1000) as u64));
    }
    let comment = storage::moderation::find_comment(&state.db, req.comment)
        .await?
        .filter(crate::services::threads::visible::is_visible)
        .ok_or(Error::NotFound("comment"))?;
    let reporter = reporter_hash(state, from).await?;
    let text = crate::sanitize::plain_text(&content);
    // The report and its alerts (`comment.reported`, `notice.received` for illegal
    // content) are stored together.
    let txn = sea_orm::TransactionTrait::begin(&state.db).await?;
    storage::reports::report_comment(
        &txn,
        comment.id,
        "reader",
        reason.as_str(),
        &text,
        &format!("reader:{reporter}"),
        now,
    )
    .await?;
    crate::services::alerts::reported(&txn, state, &comment, reason.as_str()).await?;
    txn.commit().await?;
    // Only if the site chose `reports_and_decisions`, once a day per comment.
    super::forward::after_reader_report(state, &comment, reason, &text).await;
    Ok(())
}

/// The reader's address as kept: an HMAC-SHA-256 under a server secret (64 bits of
/// it), enough to see a flood of reports from one address. A plain hash of an IPv4
/// address is reversed by hashing all 2^32 of them; without the key it cannot be. The
/// key is made once, stored with the server's secrets (never in the config), so the
/// hash is the same across restarts and processes.
pub async fn reporter_hash(state: &AppState, from: IpAddr) -> Result<String> {
    let key = state
        .report_limiter
        .1
        .get_or_try_init(|| async {
            let hex = storage::secrets::get_or_create(&state.db, REPORTER_KEY, || {
                let mut bytes = [0u8; 32];
                ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
                    .map_err(|_| sea_orm::DbErr::Custom("no randomness".into()))?;
                Ok(crate::domain::hex(&bytes))
            })
            .await?;
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
                .collect::<std::result::Result<Vec<u8>, _>>()
                .map_err(|_| {
                    Error::Internal(anyhow::anyhow!("stored {REPORTER_KEY} is not hex"))
                })?;
            Ok::<_, Error>(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &bytes))
        })
        .await?;
    let tag = ring::hmac::sign(key, from.to_string().as_bytes());
    Ok(crate::domain::hex(&tag.as_ref()[..8]))
}

/// A report as moderators see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub activity_id: String,
    /// Who reported (an actor id; Mastodon reports come from its instance actor).
    pub actor: Option<String>,
    pub content: String,
    /// The AP ids the report names.
    pub objects: Vec<String>,
    pub created_at: String,
}

/// The newest reports first.
pub async fn list(state: &AppState) -> Result<Vec<ReportView>> {
    let rows = storage::reports::list(&state.db, 200).await?;
    let actors: HashMap<i64, String> =
        storage::actors::find_many(&state.db, rows.iter().map(|r| r.actor_id).collect())
            .await?
            .into_iter()
            .map(|a| (a.id, a.ap_id))
            .collect();
    Ok(rows
        .into_iter()
        .map(|r| ReportView {
            id: r.id,
            actor: actors.get(&r.actor_id).cloned(),
            objects: serde_json::from_str(&r.objects).unwrap_or_default(),
            created_at: from_millis(r.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
            activity_id: r.activity_id,
            content: r.content,
        })
        .collect())
}

/// An open report on a comment, as the console's reports screen lists it.
#[derive(Debug, Serialize)]
pub struct OpenCommentReport {
    pub id: i64,
    pub comment_id: i64,
    /// `reader` or `remote` (a `Flag`).
    pub source: String,
    /// One of `Reason::ALL` (the console translates it), or what a server sent.
    pub reason: String,
    /// What the reporter wrote (plain text).
    pub content: String,
    pub created_at: String,
}

/// Open reports on comments, newest first (at most `limit`); moderators only.
pub async fn open_comment_reports(
    state: &AppState,
    staff: &crate::services::staff::Staff,
    limit: usize,
) -> Result<Vec<OpenCommentReport>> {
    staff.require(crate::services::staff::Role::Moderator)?;
    Ok(storage::reports::open_comment_reports(&state.db)
        .await?
        .into_iter()
        .take(limit)
        .map(|r| OpenCommentReport {
            id: r.id,
            comment_id: r.comment_id,
            source: r.source,
            reason: r.reason,
            content: r.content,
            created_at: from_millis(r.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
        })
        .collect())
}
