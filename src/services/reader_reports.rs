//! Readers report comments (public, rate limited per address): the report goes to the
//! moderators' queue with its reason, illegal content included.

use super::decisions::Reason;
use crate::{
    domain::now_millis,
    error::{Error, Result},
    state::AppState,
    storage,
};
use serde::Deserialize;
use std::{collections::HashMap, net::IpAddr, sync::Mutex};

/// Reports one address may send per window.
const PER_WINDOW: u32 = 10;
const WINDOW_MS: i64 = 3600 * 1000;

/// A reader's report.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReaderReport {
    /// The comment's id (as in the thread API).
    pub comment: i64,
    /// `off_topic`, `repeated`, `promotional`, `abusive`, `illegal` or `other` (or the
    /// French words: hors sujet, répété, promotionnel, grossier, illicite, autre).
    pub reason: String,
    /// What the reader adds (optional, plain text).
    #[serde(default)]
    pub content: Option<String>,
}

/// Counts per address, in memory: a restart forgetting them costs nothing.
#[derive(Default)]
pub struct ReportLimiter(Mutex<HashMap<IpAddr, (u32, i64)>>);

impl ReportLimiter {
    /// Whether `addr` may report now (and counts it).
    fn allow(&self, addr: IpAddr, now: i64) -> bool {
        let Ok(mut map) = self.0.lock() else {
            return false;
        };
        if map.len() > 100_000 {
            map.retain(|_, (_, start)| now - *start < WINDOW_MS);
        }
        let entry = map.entry(addr).or_insert((0, now));
        if now - entry.1 >= WINDOW_MS {
            *entry = (0, now);
        }
        entry.0 += 1;
        entry.0 <= PER_WINDOW
    }
}

/// Records a reader's report. 429 past the rate, 404 for a comment readers cannot see.
pub async fn report(state: &AppState, from: IpAddr, req: ReaderReport) -> Result<()> {
    let reason = Reason::parse(&req.reason).ok_or_else(|| {
        Error::Unprocessable(
            "reason: off_topic, repeated, promotional, abusive, illegal or other".into(),
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
        .filter(super::threads::is_visible)
        .ok_or(Error::NotFound("comment"))?;
    // The reader's address is kept only as a hash, enough to see a flood of reports.
    let reporter: String = ring::digest::digest(&ring::digest::SHA256, from.to_string().as_bytes())
        .as_ref()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    storage::reports::report_comment(
        &state.db,
        comment.id,
        "reader",
        reason.as_str(),
        &crate::services::content::plain_text(&content),
        &format!("reader:{reporter}"),
        now,
    )
    .await?;
    Ok(())
}
