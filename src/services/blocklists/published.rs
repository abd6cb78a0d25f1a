//! Our blocklist as other servers read it. Every change of a domain policy is compared,
//! in its own transaction, with what we published: what differs is appended to the
//! change log (FIRES `changes?since=`) and pushed as `Add`/`Remove` by the blocklist
//! actor to the followers an admin approved. The snapshot, the change feed and the
//! actor are served from here; private comments never leave.

use crate::services::{
    staff::{Role, Staff},
    threads::comments::CommentError,
};
use crate::{
    blocklists::{digest, fires, obfuscate, Entry},
    domain::{from_millis, now_millis, FollowerState, ListChange, Severity},
    error::{Error, Result},
    federation::{
        protocol::{activity, blocklist, fires as wire},
        signatures::Signer,
    },
    state::AppState,
    storage::{
        self,
        entities::{blocklist_change, blocklist_published, domain_policy},
    },
};
use chrono::SecondsFormat;
use sea_orm::{ConnectionTrait, DbErr, TransactionTrait};
use serde::Serialize;
use serde_json::{json, Value};
use std::{collections::HashSet, sync::Arc};
use url::Url;

/// The outbox owner of activities the blocklist actor signs.
pub const SIGNER: &str = "blocklist";
/// Entries per pushed activity, and per page of the snapshot and change feed.
const BATCH: usize = 500;
pub const PAGE: u64 = 1000;

/// The blocklist actor's signer and public key PEM (generated on first use).
pub async fn actor_keys(state: &AppState) -> std::result::Result<&(Arc<Signer>, String), DbErr> {
    state
        .blocklist_keys
        .get_or_try_init(|| async {
            let keys = crate::services::articles::sites::keypair(&state.db, SIGNER).await?;
            let signer =
                Signer::from_pkcs8_pem(state.urls.blocklist_key_id(), &keys.private_key_pem)
                    .map_err(|e| DbErr::Custom(format!("blocklist key: {e}")))?;
            Ok((Arc::new(signer), keys.public_key_pem))
        })
        .await
}

/// A policy as we publish it: obfuscated when asked, no private comment, no `noop`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    domain: String,
    digest: String,
    severity: Severity,
    reject_media: bool,
    reject_reports: bool,
    public_comment: Option<String>,
}

impl Shown {
    fn of_policy(p: &domain_policy::Model) -> Option<Self> {
        (p.severity != Severity::Noop).then(|| Self {
            domain: if p.obfuscate && !p.domain.contains('*') {
                obfuscate(&p.domain)
            } else {
                p.domain.clone()
            },
            digest: p.digest.clone().unwrap_or_else(|| digest(&p.domain)),
            severity: p.severity,
            reject_media: p.reject_media,
            reject_reports: p.reject_reports,
            public_comment: p.public_comment.clone().filter(|c| !c.is_empty()),
        })
    }

    fn of_published(p: &blocklist_published::Model) -> Self {
        Self {
            domain: p.domain.clone(),
            digest: p.digest.clone(),
            severity: p.severity,
            reject_media: p.reject_media,
            reject_reports: p.reject_reports,
            public_comment: p.public_comment.clone(),
        }
    }

    fn of_change(c: &blocklist_change::Model) -> Self {
        Self {
            domain: c.domain.clone(),
            digest: c.digest.clone(),
            severity: c.severity,
            reject_media: c.reject_media,
            reject_reports: c.reject_reports,
            public_comment: c.public_comment.clone(),
        }
    }

    fn entry(&self) -> Entry {
        let mut entry = Entry::new(&self.domain, self.severity);
        entry.digest = Some(self.digest.clone());
        entry.reject_media = self.reject_media;
        entry.reject_reports = self.reject_reports;
        entry.public_comment = self.public_comment.clone();
        entry
    }

    fn log_row(&self, action: ListChange, now: i64) -> blocklist_change::Model {
        blocklist_change::Model {
            id: 0,
            domain: self.domain.clone(),
            digest: self.digest.clone(),
            action,
            severity: self.severity,
            reject_media: self.reject_media,
            reject_reports: self.reject_reports,
            public_comment: self.public_comment.clone(),
            created_at: now,
        }
    }

    fn record(&self, state: &AppState, change_id: Option<i64>, listed: bool, at: i64) -> Value {
        fires::record(
            &format!("{}/entries/{}", state.urls.blocklist_dataset(), self.digest),
            change_id,
            &self.domain,
            &self.digest,
            listed.then(|| self.entry()).as_ref(),
            &from_millis(at).to_rfc3339_opts(SecondsFormat::Secs, true),
        )
    }
}

/// Publishes what changed for these policy domains (call in the transaction that
/// changed them, then wake the delivery worker after commit). Returns the number of
/// changes.
pub async fn publish<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    domains: &[String],
) -> std::result::Result<usize, DbErr> {
    let mut seen = HashSet::new();
    let domains: Vec<String> = domains
        .iter()
        .filter(|d| seen.insert(d.as_str()))
        .cloned()
        .collect();
    if domains.is_empty() {
        return Ok(0);
    }
    storage::blocklist_feed::lock_log(db).await?;
    let policies = storage::blocklist_feed::policies_for(db, &domains).await?;
    let wanted = domains
        .into_iter()
        .map(|d| {
            let shown = policies.get(&d).and_then(Shown::of_policy);
            (d, shown)
        })
        .collect();
    publish_wanted(db, state, wanted).await
}

/// `publish`, when the caller has just written these policies (a large import need
/// not read them back).
pub async fn publish_written<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    written: &[domain_policy::Model],
) -> std::result::Result<usize, DbErr> {
    storage::blocklist_feed::lock_log(db).await?;
    // The last row about a domain is the one that stayed.
    let mut last = std::collections::HashMap::new();
    for (i, p) in written.iter().enumerate() {
        last.insert(p.domain.as_str(), i);
    }
    let wanted = written
        .iter()
        .enumerate()
        .filter(|(i, p)| last.get(p.domain.as_str()) == Some(i))
        .map(|(_, p)| (p.domain.clone(), Shown::of_policy(p)))
        .collect();
    publish_wanted(db, state, wanted).await
}

async fn publish_wanted<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    wanted: Vec<(String, Option<Shown>)>,
) -> std::result::Result<usize, DbErr> {
    let domains: Vec<String> = wanted.iter().map(|(d, _)| d.clone()).collect();
    let before = storage::blocklist_feed::published_for(db, &domains).await?;
    let now = now_millis();
    let (mut log, mut upserts, mut removals, mut pushed) = (vec![], vec![], vec![], vec![]);
    for (domain, want) in wanted {
        let have = before.get(&domain).map(Shown::of_published);
        match (want, have) {
            (Some(w), Some(h)) if w == h => {}
            (Some(w), _) => {
                log.push(w.log_row(ListChange::Add, now));
                upserts.push(blocklist_published::Model {
                    policy_domain: domain,
                    domain: w.domain.clone(),
                    digest: w.digest.clone(),
                    severity: w.severity,
                    reject_media: w.reject_media,
                    reject_reports: w.reject_reports,
                    public_comment: w.public_comment.clone(),
                });
                pushed.push((w, true));
            }
            (None, Some(h)) => {
                log.push(h.log_row(ListChange::Remove, now));
                removals.push(domain);
                pushed.push((h, false));
            }
            (None, None) => {}
        }
    }
    let count = log.len();
    if count == 0 {
        return Ok(0);
    }
    storage::blocklist_feed::record(db, log, upserts, removals).await?;
    let inboxes = storage::blocklist_feed::approved_inboxes(db).await?;
    if inboxes.is_empty() {
        return Ok(count);
    }
    for (kind, listed) in [("Add", true), ("Remove", false)] {
        let records: Vec<Value> = pushed
            .iter()
            .filter(|(_, l)| *l == listed)
            .map(|(shown, _)| shown.record(state, None, listed, now))
            .collect();
        for batch in records.chunks(BATCH) {
            let id = state.urls.new_blocklist_activity(kind);
            let activity = blocklist::change(
                kind,
                &id,
                &state.urls.blocklist_actor(),
                &state.urls.blocklist_followers(),
                &state.urls.blocklist_dataset(),
                batch.to_vec(),
            );
            storage::outbox::enqueue(
                db,
                &id,
                SIGNER,
                &state.urls.blocklist_key_id(),
                &activity.to_string(),
                &inboxes,
                now,
            )
            .await?;
        }
    }
    Ok(count)
}

/// The FIRES dataset document.
pub async fn dataset(state: &AppState) -> Result<Value> {
    Ok(wire::dataset(
        &state.urls.blocklist_dataset(),
        &format!("Domain policies of {}", state.settings.public_host()),
        &state.urls.blocklist_actor(),
        storage::blocklist_feed::last_change_id(&state.db).await?,
    ))
}

/// A page of the snapshot (what we publish now), after the policy domain `after`.
pub async fn snapshot(state: &AppState, after: Option<&str>) -> Result<Value> {
    // Read before the rows: a change made meanwhile is replayed, never skipped.
    let last = storage::blocklist_feed::last_change_id(&state.db).await?;
    let rows = storage::blocklist_feed::published_page(&state.db, after, PAGE).await?;
    let base = format!("{}/snapshot", state.urls.blocklist_dataset());
    let id = match after {
        Some(a) => page_url(&base, "after", a),
        None => base.clone(),
    };
    let now = now_millis();
    let items: Vec<Value> = rows
        .iter()
        .map(|r| Shown::of_published(r).record(state, None, true, now))
        .collect();
    let next = rows
        .last()
        .filter(|_| rows.len() as u64 == PAGE)
        .map(|last_row| page_url(&base, "after", &last_row.policy_domain));
    Ok(wire::snapshot_page(&id, last, items, next))
}

/// Changes after `since`, oldest first.
pub async fn changes(state: &AppState, since: i64) -> Result<Value> {
    let rows = storage::blocklist_feed::changes_since(&state.db, since, PAGE).await?;
    let base = format!("{}/changes", state.urls.blocklist_dataset());
    let items: Vec<Value> = rows
        .iter()
        .map(|c| {
            Shown::of_change(c).record(state, Some(c.id), c.action == ListChange::Add, c.created_at)
        })
        .collect();
    let next = rows
        .last()
        .filter(|_| rows.len() as u64 == PAGE)
        .map(|last| page_url(&base, "since", &last.id.to_string()));
    Ok(wire::changes_page(
        &page_url(&base, "since", &since.to_string()),
        items,
        next,
    ))
}

fn page_url(base: &str, key: &str, value: &str) -> String {
    let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    format!("{base}?{key}={value}")
}

/// Whether `actor` is an approved follower (they may read the list whatever its
/// public visibility).
pub async fn is_approved(state: &AppState, actor: &str) -> Result<bool> {
    Ok(storage::blocklist_feed::follower_by_actor(&state.db, actor)
        .await?
        .is_some_and(|f| f.state == FollowerState::Approved))
}

/// How many servers are approved followers of the blocklist actor (its `followers`
/// collection counts them).
pub async fn approved_count(state: &AppState) -> Result<u64> {
    Ok(storage::blocklist_feed::approved_inboxes(&state.db)
        .await?
        .len() as u64)
}

/// A server following our blocklist actor.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowerView {
    pub id: i64,
    pub actor: String,
    pub state: FollowerState,
    pub created_at: i64,
}

pub async fn followers(state: &AppState, staff: &Staff) -> Result<Vec<FollowerView>> {
    staff.require(Role::Admin)?;
    Ok(storage::blocklist_feed::followers(&state.db)
        .await?
        .into_iter()
        .map(|f| FollowerView {
            id: f.id,
            actor: f.actor_ap_id,
            state: f.state,
            created_at: f.created_at,
        })
        .collect())
}

/// An admin approves (an `Accept` goes out) or rejects (a `Reject`) a follower.
pub async fn decide(
    state: &AppState,
    staff: &Staff,
    id: i64,
    approve: bool,
) -> Result<FollowerView> {
    staff.require(Role::Admin)?;
    let follower = storage::blocklist_feed::follower(&state.db, id)
        .await?
        .ok_or(Error::NotFound("blocklist follower"))?;
    let decision = if approve {
        FollowerState::Approved
    } else {
        FollowerState::Rejected
    };
    let txn = state.db.begin().await?;
    storage::blocklist_feed::set_follower_state(&txn, id, decision, now_millis()).await?;
    answer(
        state,
        &txn,
        &follower.actor_ap_id,
        &follower.inbox,
        &follower.follow_activity_id,
        approve,
    )
    .await?;
    staff
        .audit(
            &txn,
            "blocklist.follower",
            "actor",
            &follower.actor_ap_id,
            json!({"state": decision}),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(FollowerView {
        id,
        actor: follower.actor_ap_id,
        state: decision,
        created_at: follower.created_at,
    })
}

/// Queues our `Accept` or `Reject` of a follow.
async fn answer<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    actor: &str,
    inbox: &str,
    follow_id: &str,
    accept: bool,
) -> Result<()> {
    let parse = |u: &str| Url::parse(u).map_err(|e| Error::Unprocessable(e.to_string()));
    let ours = parse(&state.urls.blocklist_actor())?;
    let kind = if accept { "Accept" } else { "Reject" };
    let id = parse(&state.urls.new_blocklist_activity(kind))?;
    let answer = if accept {
        activity::accept_follow(&id, &ours, follow_id, &parse(actor)?)
    } else {
        blocklist::reject_follow(&id, &ours, follow_id, &parse(actor)?)
    };
    storage::outbox::enqueue(
        db,
        id.as_str(),
        SIGNER,
        &state.urls.blocklist_key_id(),
        &answer.to_string(),
        &[inbox.to_string()],
        now_millis(),
    )
    .await?;
    Ok(())
}

/// A `Follow` of our blocklist actor: kept for an admin to decide; a follower already
/// approved who follows again (a reinstall) gets its `Accept` again.
pub async fn followed(
    state: &AppState,
    follow_id: &str,
    actor: &Url,
) -> std::result::Result<(), CommentError> {
    let follower = crate::services::remote::actors::get_or_fetch(state, actor).await?;
    let txn = state.db.begin().await?;
    let row = storage::blocklist_feed::add_follower(
        &txn,
        actor.as_str(),
        &follower.inbox,
        follow_id,
        now_millis(),
    )
    .await?;
    if row.state == FollowerState::Approved {
        answer(
            state,
            &txn,
            actor.as_str(),
            &follower.inbox,
            follow_id,
            true,
        )
        .await
        .map_err(|e| CommentError::Invalid(e.to_string()))?;
    }
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

/// `Undo(Follow)` of our blocklist actor.
pub async fn unfollowed(state: &AppState, actor: &Url) -> std::result::Result<bool, DbErr> {
    Ok(storage::blocklist_feed::remove_follower(&state.db, actor.as_str()).await? > 0)
}
