//! Blocklist subscriptions: sources (a URL serving any known list format, a FIRES
//! dataset read by its change feed, or another server's blocklist actor, followed for
//! pushed changes and read like a FIRES dataset to catch up) polled on a schedule with
//! conditional GETs, each with a priority, a cap on the severity it may
//! impose, drafts (its entries wait) or auto-apply, excluded domains and a retraction
//! rule. Sources are merged (the most or least severe, only where enough of them
//! agree); policies set by hand always win; every policy says which sources made it,
//! and a preview shows what applying would change.

use crate::services::blocklists::sources::{
    blocklist_actor, follow, read_actor, read_dataset, source_row,
};
use crate::services::staff::{Role, Staff};
use crate::{
    blocklists::formats,
    domain::{now_millis, DomainName, FollowState, Retraction, Severity, SourceKind},
    error::{Error, Result},
    federation::fetch::Validators,
    state::AppState,
    storage::{
        self,
        entities::{blocklist_subscription as sub, domain_policy},
        moderation::NewDomainPolicy,
    },
};
use sea_orm::{ActiveValue::Set, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

const MANAGED: &str = "subscription:";

/// A new subscription.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewSubscription {
    /// Where the list is: a list URL (CSV, JSON or text, any known format), a FIRES
    /// dataset, or a blocklist actor (`kind`).
    pub url: String,
    /// `list` (default), `mastodon` (a server's public domain blocks: give its URL),
    /// `fires` or `activitypub` (then `url` may be `blocklist@host`).
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub priority: i32,
    /// The most severe action it may impose (`suspend` by default).
    #[serde(default)]
    pub max_severity: Option<String>,
    /// Apply at once (default), or keep its entries as drafts.
    #[serde(default = "yes")]
    pub auto_apply: bool,
    /// Domains (and their subdomains) it may not touch.
    #[serde(default)]
    pub excludes: Vec<String>,
    /// `remove` (default) or `keep` a policy when the source drops it.
    #[serde(default)]
    pub retraction: Option<String>,
    /// Sent as the `Authorization` header (e.g. `Bearer …`).
    #[serde(default)]
    pub authorization: Option<String>,
    /// How often to refresh, in seconds (default 3600, at least 300).
    #[serde(default)]
    pub interval_secs: Option<i64>,
}

fn yes() -> bool {
    true
}

/// A subscription as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubscriptionView {
    pub id: i64,
    pub url: String,
    pub kind: SourceKind,
    /// For `activitypub` sources: what the other side answered our follow.
    pub follow_state: Option<FollowState>,
    /// The last change read from a FIRES feed.
    pub cursor: Option<String>,
    pub name: String,
    pub priority: i32,
    pub max_severity: Severity,
    pub auto_apply: bool,
    pub excludes: Vec<String>,
    pub retraction: Retraction,
    pub interval_secs: i64,
    pub last_error: Option<String>,
    pub fetched_at: Option<i64>,
}

fn view(s: sub::Model) -> SubscriptionView {
    SubscriptionView {
        excludes: serde_json::from_str(&s.excludes).unwrap_or_default(),
        id: s.id,
        url: s.url,
        kind: s.kind,
        follow_state: s.follow_state,
        cursor: s.cursor,
        name: s.name,
        priority: s.priority,
        max_severity: s.max_severity,
        auto_apply: s.auto_apply,
        retraction: s.retraction,
        interval_secs: s.interval_secs,
        last_error: s.last_error,
        fetched_at: s.fetched_at,
    }
}

pub async fn create(
    state: &AppState,
    staff: &Staff,
    new: NewSubscription,
) -> Result<SubscriptionView> {
    staff.require(Role::Moderator)?;
    let asked = new.kind.unwrap_or_else(|| SourceKind::List.to_string());
    let url = match new.url.trim() {
        // `blocklist@host`: the blocklist actor, found by WebFinger.
        handle if asked == SourceKind::ActivityPub.as_str() && !handle.contains("://") => {
            let (name, host) = handle
                .trim_start_matches('@')
                .rsplit_once('@')
                .ok_or_else(|| Error::Unprocessable("url: a URL or name@host".into()))?;
            state
                .fetcher
                .webfinger(name, host)
                .await
                .map_err(|e| Error::BadGateway(format!("{handle}: {e}")))?
        }
        raw => url::Url::parse(raw).map_err(|_| Error::Unprocessable("url is not a URL".into()))?,
    };
    // A Mastodon server: its public list of domain blocks.
    let (kind, url) = if asked == "mastodon" {
        let list = url
            .join("/api/v1/instance/domain_blocks")
            .map_err(|e| Error::Unprocessable(e.to_string()))?;
        (Some(SourceKind::List), list)
    } else {
        (SourceKind::parse(&asked), url)
    };
    state
        .fetcher
        .check_url(&url)
        .map_err(|e| Error::Unprocessable(e.to_string()))?;
    // A blocklist actor is checked now: it must be one, and we need its inbox.
    let Some(kind) = kind else {
        return Err(Error::Unprocessable(
            "kind: list, fires or activitypub".into(),
        ));
    };
    let remote = match kind {
        SourceKind::List | SourceKind::Fires => None,
        SourceKind::ActivityPub => Some(blocklist_actor(state, &url).await?),
    };
    let url = remote.as_ref().map(|(id, _, _)| id.clone()).unwrap_or(url);
    let max = match new.max_severity.as_deref() {
        None => Severity::Suspend,
        Some(text) => Severity::parse(text)
            .ok_or_else(|| Error::Unprocessable("max_severity: suspend, silence or noop".into()))?,
    };
    let retraction = match new.retraction.as_deref() {
        None => Retraction::Remove,
        Some(text) => Retraction::parse(text)
            .ok_or_else(|| Error::Unprocessable("retraction: remove or keep".into()))?,
    };
    let excludes: Vec<String> = new
        .excludes
        .iter()
        .map(|d| DomainName::parse(d).map(DomainName::into_string))
        .collect::<std::result::Result<_, _>>()?;
    let row = storage::subscriptions::insert(
        &state.db,
        sub::ActiveModel {
            name: Set(new
                .name
                .unwrap_or_else(|| url.host_str().unwrap_or("source").to_string())),
            url: Set(url.to_string()),
            priority: Set(new.priority),
            max_severity: Set(max),
            auto_apply: Set(new.auto_apply),
            excludes: Set(serde_json::to_string(&excludes).unwrap_or_else(|_| "[]".into())),
            retraction: Set(retraction),
            authorization: Set(new.authorization),
            interval_secs: Set(new.interval_secs.unwrap_or(3600).max(300)),
            etag: Set(None),
            last_modified: Set(None),
            fetched_at: Set(None),
            last_error: Set(None),
            created_at: Set(now_millis()),
            kind: Set(kind),
            cursor: Set(None),
            follow_activity_id: Set(None),
            follow_state: Set(None),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| match crate::error::is_unique_violation(&e) {
        true => Error::Conflict("already subscribed to this URL".into()),
        false => e.into(),
    })?;
    staff
        .audit(
            &state.db,
            "blocklist.subscribe",
            "subscription",
            row.id,
            json!({"url": row.url}),
        )
        .await?;
    if let Some((actor, inbox, _)) = remote {
        follow(state, row.id, &actor, &inbox).await?;
    }
    let row = storage::subscriptions::find(&state.db, row.id)
        .await?
        .ok_or(Error::NotFound("subscription"))?;
    Ok(view(row))
}

pub async fn list(state: &AppState, staff: &Staff) -> Result<Vec<SubscriptionView>> {
    staff.require(Role::Moderator)?;
    Ok(storage::subscriptions::list(&state.db)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// Unsubscribes; its policies go at the next merge (as its retraction rule says).
pub async fn delete(state: &AppState, staff: &Staff, id: i64) -> Result<Vec<Change>> {
    staff.require(Role::Moderator)?;
    if storage::subscriptions::delete(&state.db, id).await? == 0 {
        return Err(Error::NotFound("subscription"));
    }
    staff
        .audit(
            &state.db,
            "blocklist.unsubscribe",
            "subscription",
            id,
            json!({}),
        )
        .await?;
    merge(state, staff, true).await
}

/// Reads one source and records what it lists now.
pub async fn fetch(state: &AppState, source: &sub::Model) -> Result<()> {
    let result = match source.kind {
        SourceKind::Fires => match url::Url::parse(&source.url) {
            Ok(dataset) => read_dataset(state, source, &dataset, false).await,
            Err(e) => Err(Error::Unprocessable(e.to_string())),
        },
        SourceKind::ActivityPub => read_actor(state, source).await,
        SourceKind::List => return fetch_list(state, source).await,
    };
    let error = result.as_ref().err().map(|e| e.to_string());
    storage::subscriptions::fetched(
        &state.db,
        source.id,
        None,
        None,
        error.clone(),
        now_millis(),
    )
    .await?;
    match error {
        Some(e) => Err(Error::BadGateway(e)),
        None => Ok(()),
    }
}

/// Fetches a list (conditional GET) and records what it lists now.
async fn fetch_list(state: &AppState, source: &sub::Model) -> Result<()> {
    let url = url::Url::parse(&source.url).map_err(|e| Error::Unprocessable(e.to_string()))?;
    let validators = Validators {
        etag: source.etag.clone(),
        last_modified: source.last_modified.clone(),
    };
    let accept = "text/csv, application/json, text/plain;q=0.9, */*;q=0.5";
    let now = now_millis();
    let fetched = state
        .fetcher
        .fetch_page_with(&url, accept, &validators, source.authorization.as_deref())
        .await;
    let (body, fresh) = match fetched {
        Ok(Some(found)) => found,
        Ok(None) => {
            storage::subscriptions::fetched(
                &state.db,
                source.id,
                validators.etag,
                validators.last_modified,
                None,
                now,
            )
            .await?;
            return Ok(());
        }
        Err(e) => {
            storage::subscriptions::fetched(
                &state.db,
                source.id,
                None,
                None,
                Some(e.to_string()),
                now,
            )
            .await?;
            return Err(Error::BadGateway(e.to_string()));
        }
    };
    let entries = match formats::parse(&String::from_utf8_lossy(&body)) {
        Ok(entries) => entries,
        Err(e) => {
            storage::subscriptions::fetched(
                &state.db,
                source.id,
                None,
                None,
                Some(e.to_string()),
                now,
            )
            .await?;
            return Err(Error::BadGateway(format!("the list cannot be read: {e}")));
        }
    };
    let rows = entries
        .into_iter()
        .filter_map(|e| source_row(source, e))
        .collect();
    let txn = state.db.begin().await?;
    storage::subscriptions::replace_entries(&txn, source.id, rows).await?;
    storage::subscriptions::fetched(&txn, source.id, fresh.etag, fresh.last_modified, None, now)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The `activitypub` source whose blocklist actor is `actor` (unless it refused us).
pub async fn push_source(
    state: &AppState,
    actor: &url::Url,
) -> std::result::Result<Option<sub::Model>, sea_orm::DbErr> {
    Ok(
        storage::subscriptions::find_push_source(&state.db, actor.as_str())
            .await?
            .filter(|s| s.follow_state != Some(FollowState::Rejected)),
    )
}

/// Applies records a source pushed, then merges.
pub async fn apply_pushed(
    state: &AppState,
    source: &sub::Model,
    records: Vec<crate::blocklists::fires::Record>,
) -> Result<Vec<Change>> {
    let txn = state.db.begin().await?;
    crate::services::blocklists::sources::apply_records(&txn, source, records).await?;
    txn.commit().await?;
    merge(state, &scheduler(), true).await
}

/// The answer to our follow of a source's blocklist actor. On `Accept`, the source is
/// read at once (what it listed before we followed). `false` if it was not ours.
pub async fn follow_answered(
    state: &AppState,
    follow_id: &str,
    actor: &url::Url,
    accepted: bool,
) -> std::result::Result<bool, sea_orm::DbErr> {
    let Some(source) = storage::subscriptions::find_push_source(&state.db, actor.as_str()).await?
    else {
        return Ok(false);
    };
    if source.follow_activity_id.as_deref() != Some(follow_id) {
        return Ok(false);
    }
    let answer = if accepted {
        FollowState::Accepted
    } else {
        FollowState::Rejected
    };
    storage::subscriptions::set_follow(&state.db, source.id, follow_id, answer).await?;
    if accepted {
        let caught_up = match fetch(state, &source).await {
            Ok(()) => merge(state, &scheduler(), true).await.map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = caught_up {
            tracing::warn!(source = %source.url, error = %e, "blocklist catch-up failed");
        }
    }
    Ok(true)
}

/// Who the scheduler acts as in the audit log.
fn scheduler() -> Staff {
    Staff {
        id: None,
        name: "scheduler".into(),
        display_name: "Scheduler".into(),
        role: Role::Admin,
    }
}

/// What a merge changes for one domain.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub domain: String,
    /// `add`, `change`, `remove` or `unmanage` (kept, no longer tied to a source).
    pub action: String,
    pub severity: Option<Severity>,
    /// The subscriptions that list it.
    pub sources: Vec<i64>,
}

/// Merges the auto-applied sources into domain policies: where at least
/// `consensus_sources` sources (and `consensus_percent` of them) list a domain, the
/// most severe (or least, `merge = "min"`) of their severities applies. Policies set by
/// hand are never touched. With `apply = false`, only says what would change.
pub async fn merge(state: &AppState, staff: &Staff, apply: bool) -> Result<Vec<Change>> {
    merge_with(state, staff, apply, None).await
}

/// `merge`, counting one draft source as if it applied (to review it before approving).
async fn merge_with(
    state: &AppState,
    staff: &Staff,
    apply: bool,
    draft: Option<i64>,
) -> Result<Vec<Change>> {
    staff.require(Role::Moderator)?;
    let subs: HashMap<i64, sub::Model> = storage::subscriptions::list(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let auto: Vec<i64> = subs
        .values()
        .filter(|s| s.auto_apply || Some(s.id) == draft)
        .map(|s| s.id)
        .collect();
    let mut listed: BTreeMap<String, Vec<SourceEntry>> = BTreeMap::new();
    for e in storage::subscriptions::all_entries(&state.db).await? {
        if auto.contains(&e.subscription_id) {
            listed.entry(e.domain.clone()).or_default().push(e);
        }
    }
    let current: HashMap<String, domain_policy::Model> =
        storage::moderation::domain_policies(&state.db)
            .await?
            .into_iter()
            .map(|p| (p.domain.clone(), p))
            .collect();
    let mut changes = Vec::new();
    let mut wanted = Vec::new();
    for (domain, entries) in &listed {
        let Some(w) = wanted_of(
            &state.settings.blocklists,
            &subs,
            auto.len(),
            domain,
            entries,
        ) else {
            continue;
        };
        match current.get(domain) {
            // Policies set by hand are never touched.
            Some(p) if !p.source.starts_with(MANAGED) => continue,
            Some(p) if w.is_in_force(p) => {}
            known => changes.push(Change {
                domain: domain.clone(),
                action: if known.is_some() { "change" } else { "add" }.into(),
                severity: Some(w.severity),
                sources: w.sources.clone(),
            }),
        }
        wanted.push(w);
    }
    changes.extend(retractions(&current, &wanted, &subs));
    if !apply || changes.is_empty() {
        return Ok(changes);
    }
    let txn = state.db.begin().await?;
    apply_changes(&txn, &wanted, &changes).await?;
    let touched: Vec<String> = changes.iter().map(|c| c.domain.clone()).collect();
    crate::services::blocklists::published::publish(&txn, state, &touched).await?;
    staff
        .audit(
            &txn,
            "blocklist.merge",
            "blocklist",
            "subscriptions",
            json!({"changes": changes.len()}),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    crate::services::judging::reload_domains(state).await?;
    Ok(changes)
}

type SourceEntry = storage::entities::blocklist_source_entry::Model;

/// The policy the sources listing `domain` ask for, if enough of them do: at least
/// `consensus_sources` of the `auto` sources that apply, and `consensus_percent` of
/// them. The severity is the most (or least, `merge = "min"`) severe listed; comments
/// come from the source with the highest priority.
fn wanted_of(
    settings: &crate::config::BlocklistSettings,
    subs: &HashMap<i64, sub::Model>,
    auto: usize,
    domain: &str,
    entries: &[SourceEntry],
) -> Option<Wanted> {
    let count = entries.len();
    let share = count as f64 * 100.0 / auto.max(1) as f64;
    if (count as u32) < settings.consensus_sources.max(1) || share < settings.consensus_percent {
        return None;
    }
    let ranks = entries.iter().map(|e| e.severity.rank());
    let severity = Severity::of_rank(if settings.merge == "min" {
        ranks.min().unwrap_or(0)
    } else {
        ranks.max().unwrap_or(0)
    });
    let mut sources: Vec<i64> = entries.iter().map(|e| e.subscription_id).collect();
    sources.sort_unstable();
    let lead = entries.iter().max_by_key(|e| {
        subs.get(&e.subscription_id)
            .map(|s| s.priority)
            .unwrap_or(0)
    });
    Some(Wanted {
        domain: domain.to_string(),
        severity,
        reject_media: entries.iter().any(|e| e.reject_media),
        reject_reports: entries.iter().any(|e| e.reject_reports),
        public_comment: lead.and_then(|e| e.public_comment.clone()),
        private_comment: lead.and_then(|e| e.private_comment.clone()),
        // Any source asking to hide the domain hides it: publishing it in clear would
        // undo that list's choice for everyone who reads ours.
        obfuscate: domain.contains('*') || entries.iter().any(|e| e.obfuscate),
        digest: lead.and_then(|e| e.digest.clone()),
        sources,
    })
}

/// The managed policies no source asks for any more: removed, or kept but no longer
/// managed when one of their sources says retracted entries stay (`retraction = keep`).
fn retractions(
    current: &HashMap<String, domain_policy::Model>,
    wanted: &[Wanted],
    subs: &HashMap<i64, sub::Model>,
) -> Vec<Change> {
    let mut out = Vec::new();
    for (domain, p) in current {
        if !p.source.starts_with(MANAGED) || wanted.iter().any(|w| &w.domain == domain) {
            continue;
        }
        let sources: Vec<i64> = p.source[MANAGED.len()..]
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect();
        let keep = sources.iter().any(|id| {
            subs.get(id)
                .is_some_and(|s| s.retraction == Retraction::Keep)
        });
        out.push(Change {
            domain: domain.clone(),
            action: if keep { "unmanage" } else { "remove" }.into(),
            severity: None,
            sources,
        });
    }
    out
}

/// Writes the merge's changes: wanted policies upserted (a suspension hides what the
/// domain's accounts wrote, anything milder shows it again), retracted ones removed or
/// let go.
async fn apply_changes<C: sea_orm::ConnectionTrait>(
    txn: &C,
    wanted: &[Wanted],
    changes: &[Change],
) -> Result<()> {
    let now = now_millis();
    for w in wanted {
        let (domain, severity) = (&w.domain, w.severity);
        if !changes.iter().any(|c| &c.domain == domain) {
            continue;
        }
        storage::moderation::upsert_domain_policy(
            txn,
            NewDomainPolicy {
                domain,
                severity,
                reject_media: w.reject_media,
                reject_reports: w.reject_reports,
                public_comment: w.public_comment.clone(),
                private_comment: w.private_comment.clone(),
                obfuscate: w.obfuscate,
                source: &label(&w.sources),
                now,
                digest: w.digest.clone(),
            },
        )
        .await?;
        let tag = format!("domain:{domain}");
        if severity == Severity::Suspend && !domain.contains('*') {
            let ids = storage::moderation::actor_ids_of_domain(txn, domain).await?;
            storage::moderation::suppress(txn, ids, &tag).await?;
        } else {
            storage::moderation::unsuppress(txn, &tag).await?;
        }
    }
    for change in changes {
        match change.action.as_str() {
            "remove" => {
                storage::moderation::delete_domain_policy(txn, &change.domain).await?;
                storage::moderation::unsuppress(txn, &format!("domain:{}", change.domain)).await?;
            }
            "unmanage" => {
                storage::moderation::set_domain_policy_source(txn, &change.domain, "unmanaged")
                    .await?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// A policy the merge wants, from the entries of its sources.
struct Wanted {
    domain: String,
    severity: Severity,
    reject_media: bool,
    reject_reports: bool,
    public_comment: Option<String>,
    private_comment: Option<String>,
    obfuscate: bool,
    digest: Option<String>,
    sources: Vec<i64>,
}

impl Wanted {
    /// Whether the stored policy already says all this.
    fn is_in_force(&self, p: &domain_policy::Model) -> bool {
        p.severity == self.severity
            && p.reject_media == self.reject_media
            && p.reject_reports == self.reject_reports
            && p.obfuscate == self.obfuscate
            && p.private_comment == self.private_comment
            && p.public_comment == self.public_comment
            && p.source == label(&self.sources)
    }
}

fn label(sources: &[i64]) -> String {
    format!(
        "{MANAGED}{}",
        sources
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// What approving a draft source would change (its entries are fetched first if they
/// never were).
pub async fn review(state: &AppState, staff: &Staff, id: i64) -> Result<Vec<Change>> {
    staff.require(Role::Moderator)?;
    let source = storage::subscriptions::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("subscription"))?;
    if source.fetched_at.is_none() {
        fetch(state, &source).await?;
    }
    merge_with(state, staff, false, Some(id)).await
}

/// Approves a draft source: from now on it applies, and its entries apply now.
pub async fn approve(state: &AppState, staff: &Staff, id: i64) -> Result<Vec<Change>> {
    staff.require(Role::Moderator)?;
    if !storage::subscriptions::set_auto_apply(&state.db, id, true).await? {
        return Err(Error::NotFound("subscription"));
    }
    staff
        .audit(
            &state.db,
            "blocklist.approve",
            "subscription",
            id,
            json!({}),
        )
        .await?;
    merge(state, staff, true).await
}

/// Refreshes a source now and merges.
pub async fn refresh(state: &AppState, staff: &Staff, id: i64) -> Result<Vec<Change>> {
    staff.require(Role::Moderator)?;
    let source = storage::subscriptions::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("subscription"))?;
    fetch(state, &source).await?;
    merge(state, staff, true).await
}

/// Fetches every source now (the command line's refresh), then merges and applies:
/// the sources that failed with why, and the changes.
pub async fn refresh_all(
    state: &AppState,
    staff: &Staff,
) -> Result<(Vec<(String, Error)>, Vec<Change>)> {
    staff.require(Role::Moderator)?;
    let mut failures = Vec::new();
    for source in storage::subscriptions::list(&state.db).await? {
        if let Err(e) = fetch(state, &source).await {
            failures.push((source.url.clone(), e));
        }
    }
    Ok((failures, merge(state, staff, true).await?))
}

/// Refreshes the sources that are due, then merges (the worker's round). With
/// `catch_up`, pushing sources are read whatever their schedule: what they pushed while
/// we were down is in their change feed.
pub async fn refresh_due(state: &AppState, catch_up: bool) -> Result<Vec<Change>> {
    let worker = scheduler();
    let now = now_millis();
    let mut fetched = false;
    for source in storage::subscriptions::list(&state.db).await? {
        let pushing = source.kind == SourceKind::ActivityPub;
        if (catch_up && pushing)
            || source
                .fetched_at
                .is_none_or(|at| now - at >= source.interval_secs * 1000)
        {
            if let Err(e) = fetch(state, &source).await {
                tracing::warn!(source = %source.url, error = %e, "blocklist refresh failed");
            }
            fetched = true;
        }
    }
    if fetched {
        merge(state, &worker, true).await
    } else {
        Ok(Vec::new())
    }
}

/// Refreshes due sources every minute until shutdown.
pub async fn run_worker(state: AppState, shutdown: tokio::sync::watch::Receiver<bool>) {
    let every = std::time::Duration::from_secs(60);
    // The first round of the process that takes the job catches up with pushing sources.
    crate::services::workers::scheduled(
        &state,
        "blocklist_subscriptions",
        every,
        shutdown,
        |first| {
            let state = state.clone();
            async move {
                if let Err(e) = refresh_due(&state, first).await {
                    tracing::warn!(error = %e, "blocklist subscriptions");
                }
            }
        },
    )
    .await;
}
