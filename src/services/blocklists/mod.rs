//! Blocklists as the server applies them: importing a list (any known format) into
//! domain policies with its provenance — suspends hide the domains' comments and cancel
//! queued deliveries to them, at once, however long the list —, exporting ours, and
//! publishing them as Mastodon does.

pub mod overview;
pub mod published;
pub mod sources;
pub mod subscriptions;

use crate::services::staff::{Role, Staff};
use crate::{
    blocklists::{digest, formats, obfuscate, Entry},
    domain::{now_millis, DomainName, Severity},
    error::{Error, Result},
    state::AppState,
    storage::{self, entities::domain_policy},
};
use sea_orm::TransactionTrait;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

/// What an import changed.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub entries: usize,
    pub suspended: usize,
    pub comments_hidden: u64,
    pub deliveries_cancelled: u64,
}

/// The suspended entries of a list: by domain, and by digest for obfuscated ones.
struct Suspended {
    domains: HashSet<String>,
    /// Digest → the entry's (obfuscated) domain.
    digests: HashMap<String, String>,
}

impl Suspended {
    /// The entry a host (`host[:port]`) falls under, walking up its labels.
    fn covering(&self, host: &str) -> Option<String> {
        let host = DomainName::of_host(host)?;
        for candidate in host.and_parents() {
            if let Some(d) = self.domains.get(candidate) {
                return Some(d.clone());
            }
            if let Some(d) = self.digests.get(&digest(candidate)) {
                return Some(d.clone());
            }
        }
        None
    }
}

/// Imports a list (its text) as domain policies from `source`.
pub async fn import(
    state: &AppState,
    staff: &Staff,
    text: &str,
    source: &str,
) -> Result<ImportReport> {
    staff.require(Role::Moderator)?;
    let entries = formats::parse(text).map_err(|e| Error::Unprocessable(e.to_string()))?;
    let now = now_millis();
    // The policies as they will be: written, then published as they are.
    let written: Vec<domain_policy::Model> = entries
        .iter()
        .map(|e| domain_policy::Model {
            id: 0,
            domain: e.domain.clone(),
            digest: e
                .digest
                .clone()
                .or_else(|| (!e.is_obfuscated()).then(|| digest(&e.domain))),
            severity: e.severity,
            reject_media: e.reject_media,
            reject_reports: e.reject_reports,
            public_comment: e.public_comment.clone(),
            private_comment: e.private_comment.clone(),
            obfuscate: e.obfuscate || e.is_obfuscated(),
            source: source.to_string(),
            created_at: now,
            updated_at: now,
        })
        .collect();
    let suspends = entries.iter().filter(|e| e.severity == Severity::Suspend);
    let suspended = Suspended {
        domains: suspends
            .clone()
            .filter(|e| !e.is_obfuscated())
            .map(|e| e.domain.clone())
            .collect(),
        digests: suspends
            .filter(|e| e.is_obfuscated())
            .filter_map(|e| Some((e.digest.clone()?, e.domain.clone())))
            .collect(),
    };
    let txn = state.db.begin().await?;
    storage::moderation::upsert_domain_policies(&txn, written.clone()).await?;
    // Retroactive effects, matched in memory: one pass over actors and deliveries.
    let mut by_domain: HashMap<String, Vec<i64>> = HashMap::new();
    for (id, host) in storage::moderation::actor_domains(&txn).await? {
        if let Some(domain) = suspended.covering(&host) {
            by_domain.entry(domain).or_default().push(id);
        }
    }
    let mut hidden = 0;
    for (domain, ids) in by_domain {
        hidden += storage::moderation::suppress(&txn, ids, &format!("domain:{domain}")).await?;
    }
    let doomed: Vec<i64> = storage::outbox::pending_inboxes(&txn)
        .await?
        .into_iter()
        .filter(|(_, inbox)| {
            url::Url::parse(inbox)
                .ok()
                .and_then(|u| u.host_str().map(|h| suspended.covering(h).is_some()))
                .unwrap_or(false)
        })
        .map(|(id, _)| id)
        .collect();
    let cancelled = storage::outbox::cancel(&txn, doomed, "domain suspended").await?;
    crate::services::blocklists::published::publish_written(&txn, state, &written).await?;
    let report = ImportReport {
        entries: entries.len(),
        suspended: suspended.domains.len() + suspended.digests.len(),
        comments_hidden: hidden,
        deliveries_cancelled: cancelled,
    };
    staff
        .audit(
            &txn,
            "blocklist.import",
            "blocklist",
            source,
            json!(&report),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    crate::services::judging::reload_domains(state).await?;
    Ok(report)
}

/// Our policies as list entries.
pub async fn entries(state: &AppState) -> Result<Vec<Entry>> {
    Ok(storage::moderation::domain_policies(&state.db)
        .await?
        .into_iter()
        .map(|p| Entry {
            domain: p.domain,
            digest: p.digest,
            severity: p.severity,
            reject_media: p.reject_media,
            reject_reports: p.reject_reports,
            public_comment: p.public_comment,
            private_comment: p.private_comment,
            obfuscate: p.obfuscate,
        })
        .collect())
}

/// Mastodon's CSV export of our policies.
pub async fn export_csv(state: &AppState) -> Result<String> {
    Ok(formats::to_mastodon_csv(&entries(state).await?))
}

/// Mastodon's public `GET /api/v1/instance/domain_blocks`: obfuscated entries show
/// their obfuscated name, every entry its digest; private comments never leave.
pub async fn public_list(state: &AppState) -> Result<Value> {
    let list: Vec<Value> = entries(state)
        .await?
        .into_iter()
        .filter(|e| e.severity != Severity::Noop)
        .map(|e| {
            let shown = if e.obfuscate && !e.is_obfuscated() {
                obfuscate(&e.domain)
            } else {
                e.domain.clone()
            };
            json!({
                "domain": shown,
                "digest": e.digest.clone().unwrap_or_else(|| digest(&e.domain)),
                "severity": e.severity,
                "comment": e.public_comment,
            })
        })
        .collect();
    Ok(Value::Array(list))
}
