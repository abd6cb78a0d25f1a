//! Mastodon's admin measures (`POST /api/v1/admin/measures`), which FediBlockHole asks
//! before raising a block on a domain our sites follow: how many accounts there our
//! sites follow (`instance_follows`) and how many follow them (`instance_followers`),
//! counted for real; every other key Mastodon knows answers a well-formed zero.

use crate::services::staff::{Role, Staff};
use crate::{
    domain::{from_millis, DomainName},
    error::{Error, Result},
    state::AppState,
    storage,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// The keys Mastodon knows, and whether each is measured over the period (and so has a
/// `previous_total`) rather than in all.
const KEYS: &[(&str, bool)] = &[
    ("active_users", true),
    ("new_users", true),
    ("interactions", true),
    ("opened_reports", true),
    ("resolved_reports", true),
    ("tag_accounts", true),
    ("tag_uses", true),
    ("tag_servers", true),
    ("instance_accounts", false),
    ("instance_media_attachments", false),
    ("instance_reports", false),
    ("instance_statuses", false),
    ("instance_follows", false),
    ("instance_followers", false),
];

/// The longest period answered, in days (one point a day).
pub const MAX_DAYS: i64 = 366;

/// What was asked: the keys, each key's `domain` parameter, the period (inclusive).
#[derive(Debug, Clone)]
pub struct MeasureRequest {
    pub keys: Vec<String>,
    /// `instance_follows` → the domain asked about, and so on.
    pub domains: HashMap<String, String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// One point of a measure: a day and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Point {
    /// Midnight UTC of the day, ISO 8601.
    pub date: String,
    pub value: String,
}

/// Mastodon's `Admin::Measure`: numbers as strings, as Mastodon writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Measure {
    pub key: String,
    pub unit: Option<String>,
    pub total: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub human_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_total: Option<String>,
    pub data: Vec<Point>,
}

/// The measures asked for, in the order asked, unknown keys left out (as Mastodon
/// does). The period defaults to the last 30 days.
pub async fn measures(
    state: &AppState,
    staff: &Staff,
    req: MeasureRequest,
) -> Result<Vec<Measure>> {
    staff.require(Role::Moderator)?;
    let end = req.end.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let start = req.start.unwrap_or(end - chrono::Duration::days(29));
    let days = (end - start).num_days() + 1;
    if days < 1 {
        return Err(Error::Unprocessable("end_at is before start_at".into()));
    }
    if days > MAX_DAYS {
        return Err(Error::Unprocessable(format!(
            "the period is at most {MAX_DAYS} days"
        )));
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for key in &req.keys {
        let Some(&(known, over_period)) = KEYS.iter().find(|(k, _)| k == key) else {
            continue;
        };
        if seen.contains(&known) {
            continue;
        }
        seen.push(known);
        let domain = req
            .domains
            .get(known)
            .and_then(|d| DomainName::of_host(d.trim()));
        // When each counted thing began (milliseconds), for the total and the days.
        let since: Vec<i64> = match (known, &domain) {
            ("instance_follows", Some(d)) => follows_on(state, d).await?,
            ("instance_followers", Some(d)) => {
                storage::domain_blocks::followers_since(&state.db, d.as_str()).await?
            }
            _ => Vec::new(),
        };
        let mut data = Vec::with_capacity(days as usize);
        for day in 0..days {
            let date = start + chrono::Duration::days(day);
            let value = since
                .iter()
                .filter(|ms| from_millis(**ms).date_naive() == date)
                .count();
            data.push(Point {
                date: format!("{}T00:00:00Z", date.format("%Y-%m-%d")),
                value: value.to_string(),
            });
        }
        let media = known == "instance_media_attachments";
        out.push(Measure {
            key: known.to_string(),
            unit: media.then(|| "bytes".to_string()),
            total: since.len().to_string(),
            human_value: media.then(|| "0 Bytes".to_string()),
            previous_total: over_period.then(|| "0".to_string()),
            data,
        });
    }
    Ok(out)
}

/// When each accepted follow of our sites of an actor on `domain` (or a subdomain)
/// began.
async fn follows_on(state: &AppState, domain: &DomainName) -> Result<Vec<i64>> {
    Ok(storage::domain_blocks::accepted_follows(&state.db)
        .await?
        .into_iter()
        .filter(|(target, _)| {
            url::Url::parse(target)
                .ok()
                .and_then(|u| u.host_str().and_then(DomainName::of_host))
                .is_some_and(|host| host.is_within(domain.as_str()))
        })
        .map(|(_, since)| since)
        .collect())
}
