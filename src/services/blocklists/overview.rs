//! The blocklists as the console shows them: each subscription with its state, last
//! read and entry count; the entries of draft sources, to accept one by one (it
//! becomes a policy set by hand) or reject (the source may no longer touch that
//! domain); our published list and the servers following it.

use crate::services::{
    blocklists::{published, subscriptions},
    moderators::{self, DomainPolicyRequest},
    staff::{Role, Staff},
};
use crate::{
    domain::{from_millis, DomainName},
    error::{Error, Result},
    state::AppState,
    storage,
};
use chrono::SecondsFormat;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// Draft entries shown per source at most (the rest wait for the first ones).
const DRAFT_ENTRIES: usize = 200;

#[derive(Debug, Serialize)]
pub struct SourceOverview {
    #[serde(flatten)]
    pub source: subscriptions::SubscriptionView,
    /// RFC 3339 of `fetched_at`.
    pub fetched: Option<String>,
    pub entries: usize,
}

#[derive(Debug, Serialize)]
pub struct DraftEntry {
    pub subscription: i64,
    /// The source's name.
    pub source_name: String,
    pub domain: String,
    pub severity: String,
    pub public_comment: Option<String>,
    /// Whether another policy for this domain is in force (accepting replaces it).
    pub in_force: bool,
}

#[derive(Debug, Serialize)]
pub struct Overview {
    pub sources: Vec<SourceOverview>,
    pub drafts: Vec<DraftEntry>,
    /// Policies in force that we publish (not `noop`).
    pub published: usize,
    /// `None` for moderators: only admins see and decide followers.
    pub followers: Option<Vec<published::FollowerView>>,
}

pub async fn overview(state: &AppState, staff: &Staff) -> Result<Overview> {
    let sources = subscriptions::list(state, staff).await?;
    let mut entries = storage::subscriptions::all_entries(&state.db).await?;
    entries.sort_by(|a, b| (a.subscription_id, &a.domain).cmp(&(b.subscription_id, &b.domain)));
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for e in &entries {
        *counts.entry(e.subscription_id).or_default() += 1;
    }
    let policies = moderators::domain_policies(state).await?;
    let drafts_of: Vec<i64> = sources
        .iter()
        .filter(|s| !s.auto_apply)
        .map(|s| s.id)
        .collect();
    let mut shown: HashMap<i64, usize> = HashMap::new();
    let drafts = entries
        .into_iter()
        .filter(|e| drafts_of.contains(&e.subscription_id))
        .filter(|e| {
            let n = shown.entry(e.subscription_id).or_default();
            *n += 1;
            *n <= DRAFT_ENTRIES
        })
        // Accepted already (the same policy is in force): nothing left to decide.
        .filter(|e| {
            !policies
                .iter()
                .any(|p| p.domain == e.domain && p.severity == e.severity)
        })
        .map(|e| DraftEntry {
            source_name: sources
                .iter()
                .find(|s| s.id == e.subscription_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            in_force: policies.iter().any(|p| p.domain == e.domain),
            subscription: e.subscription_id,
            domain: e.domain,
            severity: e.severity.to_string(),
            public_comment: e.public_comment,
        })
        .collect();
    let followers = match staff.require(Role::Admin) {
        Ok(()) => Some(published::followers(state, staff).await?),
        Err(_) => None,
    };
    Ok(Overview {
        sources: sources
            .into_iter()
            .map(|s| SourceOverview {
                fetched: s
                    .fetched_at
                    .map(|ms| from_millis(ms).to_rfc3339_opts(SecondsFormat::Secs, true)),
                entries: counts.get(&s.id).copied().unwrap_or(0),
                source: s,
            })
            .collect(),
        drafts,
        published: policies
            .iter()
            .filter(|p| p.severity != crate::domain::Severity::Noop)
            .count(),
        followers,
    })
}

/// The entry `domain` of the draft source `id`.
async fn draft_entry(
    state: &AppState,
    id: i64,
    domain: &str,
) -> Result<storage::entities::blocklist_source_entry::Model> {
    let source = storage::subscriptions::find(&state.db, id)
        .await?
        .filter(|s| !s.auto_apply)
        .ok_or(Error::NotFound("draft subscription"))?;
    storage::subscriptions::all_entries(&state.db)
        .await?
        .into_iter()
        .find(|e| e.subscription_id == source.id && e.domain == domain)
        .ok_or(Error::NotFound("draft entry"))
}

/// Accepts one draft entry: it becomes a policy set by hand (merges never touch it).
pub async fn accept_entry(state: &AppState, staff: &Staff, id: i64, domain: &str) -> Result<()> {
    staff.require(Role::Moderator)?;
    let entry = draft_entry(state, id, domain).await?;
    moderators::set_domain_policy(
        state,
        staff,
        DomainPolicyRequest {
            domain: entry.domain,
            severity: entry.severity,
            reject_media: entry.reject_media,
            reject_reports: entry.reject_reports,
            public_comment: entry.public_comment,
            private_comment: entry.private_comment,
            obfuscate: entry.obfuscate,
        },
    )
    .await?;
    Ok(())
}

/// Rejects one draft entry: the source may no longer touch that domain (it joins the
/// source's exclusions) and the entry goes.
pub async fn reject_entry(state: &AppState, staff: &Staff, id: i64, domain: &str) -> Result<()> {
    staff.require(Role::Moderator)?;
    let entry = draft_entry(state, id, domain).await?;
    let source = storage::subscriptions::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("subscription"))?;
    let mut excludes: Vec<String> = serde_json::from_str(&source.excludes).unwrap_or_default();
    let excluded = DomainName::parse(&entry.domain)
        .map(DomainName::into_string)
        .unwrap_or_else(|_| entry.domain.clone());
    if !excludes.contains(&excluded) {
        excludes.push(excluded);
    }
    let txn = sea_orm::TransactionTrait::begin(&state.db).await?;
    storage::subscriptions::set_excludes(
        &txn,
        id,
        &serde_json::to_string(&excludes).unwrap_or_else(|_| "[]".into()),
    )
    .await?;
    storage::subscriptions::delete_entries(&txn, id, vec![entry.domain.clone()]).await?;
    staff
        .audit(
            &txn,
            "blocklist.reject_entry",
            "subscription",
            id,
            json!({"domain": entry.domain}),
        )
        .await?;
    txn.commit().await?;
    Ok(())
}
