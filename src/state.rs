//! The application state handed to every handler and worker: settings, database, the
//! federation client and the local signing keys. Built once by `startup`.

use crate::{
    config::Settings,
    federation::{fetch::Fetcher, signatures::Signer},
};
use sea_orm::DatabaseConnection;
use std::{collections::HashMap, ops::Deref, sync::Arc};
use tokio::sync::Notify;
use url::Url;

/// A site as the running server knows it.
#[derive(Debug, Clone)]
pub struct Site {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub summary: Option<String>,
    pub origin: Url,
    pub charter_url: Option<Url>,
    pub charter_text: Option<String>,
    pub language: Option<String>,
    pub feed_url: Option<Url>,
    /// Where readers without an account learn how to join the fediverse.
    pub join_url: Url,
    pub public_key_pem: String,
    pub signer: Arc<Signer>,
    pub created_at: i64,
}

/// Cheap to clone; everything lives behind one `Arc`.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub settings: Settings,
    pub db: DatabaseConnection,
    pub fetcher: Fetcher,
    pub urls: Urls,
    pub instance_signer: Arc<Signer>,
    pub instance_public_key_pem: String,
    pub sites: HashMap<String, Site>,
    /// Wakes the inbox worker when an activity is stored.
    pub inbox_wakeup: Notify,
    /// Wakes the delivery worker when deliveries are queued.
    pub delivery_wakeup: Notify,
    /// Compiled rules and domain policies.
    pub moderation: crate::runtime::moderation_cache::ModerationCache,
    /// Articles registering themselves: rate and failures.
    pub autoregistry: crate::runtime::autoregistry::AutoRegistry,
    /// The crawler's GETs per remote host in the current hour.
    pub crawl_budget: crate::runtime::crawl_budget::HostBudget,
    /// Readers' reports per address.
    pub report_limiter: crate::runtime::report_limiter::ReportLimiter,
    /// Staff sign-in: rates, backoff, bounded password hashing.
    pub logins: crate::runtime::login_guard::LoginGuard,
    /// The blocklist actor's signer and public key, created on first use (most
    /// servers never publish their list).
    pub blocklist_keys: tokio::sync::OnceCell<(Arc<Signer>, String)>,
    pub limits: Limits,
    pub metrics: crate::metrics::Metrics,
    /// This process, as a holder of job leases.
    pub process_id: String,
    /// Hosts with failed deliveries (a cache of `host_health`, so that healthy hosts
    /// cost no query).
    pub failing_hosts: std::sync::Mutex<std::collections::HashSet<String>>,
    /// When each queue worker last went round (Unix ms), for readiness.
    pub heartbeats: Heartbeats,
    /// The recent comments the rate and repetition rules count.
    pub recent: crate::runtime::recent_comments::RecentComments,
    /// Flushes acknowledged writes to disk.
    pub durability: crate::storage::Durability,
    /// Stores inbox activities in group commits.
    pub inbox_writer: crate::runtime::group_commit::GroupCommit,
    /// Rendered threads and counts (64 MiB at most).
    pub reads: crate::runtime::read_cache::ReadCache,
}

impl AppState {
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }

    pub fn site(&self, slug: &str) -> Option<&Site> {
        self.sites.get(slug)
    }

    pub fn site_by_id(&self, id: i64) -> Option<&Site> {
        self.sites.values().find(|s| s.id == id)
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Worker heartbeats.
#[derive(Default)]
pub struct Heartbeats {
    pub inbox: Heartbeat,
    pub outbox: Heartbeat,
}

/// When a worker last went round, and whether its last write went through: a worker
/// that runs but cannot write (read-only disk, database down) is not ready.
#[derive(Default)]
pub struct Heartbeat {
    at: std::sync::atomic::AtomicI64,
    failing: std::sync::atomic::AtomicBool,
}

impl Heartbeat {
    /// Records a round (`ok`: its writes succeeded).
    pub fn beat(&self, ok: bool) {
        use std::sync::atomic::Ordering::Relaxed;
        self.at.store(crate::domain::now_millis(), Relaxed);
        self.failing.store(!ok, Relaxed);
    }

    /// Went round within `fresh_ms` of `now`.
    pub fn fresh(&self, now: i64, fresh_ms: i64) -> bool {
        now - self.at.load(std::sync::atomic::Ordering::Relaxed) < fresh_ms
    }

    /// Its last write failed.
    pub fn failing(&self) -> bool {
        self.failing.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The rate limiters of this process, and whom it believes about readers' addresses.
pub struct Limits {
    pub public: crate::runtime::limits::RateLimiter<std::net::IpAddr>,
    pub inbox_ip: crate::runtime::limits::RateLimiter<std::net::IpAddr>,
    pub inbox_domain: crate::runtime::limits::RateLimiter<String>,
    /// Readers' handle checks (each may cost a WebFinger request elsewhere).
    pub handle_checks: crate::runtime::limits::RateLimiter<std::net::IpAddr>,
    /// `server.trusted_proxies`, plus loopback under the `trust_forwarded_for` alias.
    pub trusted_proxies: Vec<crate::runtime::limits::Cidr>,
}

impl Limits {
    pub fn new(settings: &crate::config::Settings) -> Self {
        use crate::runtime::limits::{Cidr, RateLimiter};
        let limits = &settings.limits;
        let keys = limits.max_tracked_keys;
        let mut trusted_proxies = settings.server.trusted_proxies.clone();
        if settings.server.trust_forwarded_for {
            trusted_proxies.extend(Cidr::loopback());
        }
        Self {
            public: RateLimiter::new(limits.public_per_minute, limits.public_burst, keys),
            inbox_ip: RateLimiter::new(limits.inbox_per_ip_per_minute, limits.inbox_burst, keys),
            inbox_domain: RateLimiter::new(
                limits.inbox_per_domain_per_minute,
                limits.inbox_burst,
                keys,
            ),
            handle_checks: RateLimiter::new(
                limits.handle_checks_per_minute,
                limits.handle_checks_burst,
                keys,
            ),
            trusted_proxies,
        }
    }
}

/// Builds (and recognises) every URL we serve, from the public URL.
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    pub fn new(public_url: &Url) -> Self {
        Self {
            base: public_url.as_str().trim_end_matches('/').to_string(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }
    pub fn instance_actor(&self) -> String {
        format!("{}/actor", self.base)
    }
    pub fn instance_key_id(&self) -> String {
        format!("{}/actor#main-key", self.base)
    }
    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }
    /// The blocklist actor (a `Service` other servers follow for our policy changes).
    pub fn blocklist_actor(&self) -> String {
        format!("{}/blocklist", self.base)
    }
    pub fn blocklist_key_id(&self) -> String {
        format!("{}/blocklist#main-key", self.base)
    }
    pub fn blocklist_inbox(&self) -> String {
        format!("{}/blocklist/inbox", self.base)
    }
    pub fn blocklist_outbox(&self) -> String {
        format!("{}/blocklist/outbox", self.base)
    }
    pub fn blocklist_followers(&self) -> String {
        format!("{}/blocklist/followers", self.base)
    }
    /// Our FIRES dataset (`/snapshot`, `/changes` below it).
    pub fn blocklist_dataset(&self) -> String {
        format!("{}/fires/datasets/blocklist", self.base)
    }
    /// A fresh id for an activity of the blocklist actor.
    pub fn new_blocklist_activity(&self, kind: &str) -> String {
        format!(
            "{}/blocklist/activities/{}/{}",
            self.base,
            kind.to_ascii_lowercase(),
            uuid::Uuid::new_v4()
        )
    }
    pub fn site_actor(&self, slug: &str) -> String {
        format!("{}/sites/{slug}", self.base)
    }
    pub fn site_key_id(&self, slug: &str) -> String {
        format!("{}/sites/{slug}#main-key", self.base)
    }
    pub fn site_inbox(&self, slug: &str) -> String {
        format!("{}/sites/{slug}/inbox", self.base)
    }
    pub fn site_outbox(&self, slug: &str) -> String {
        format!("{}/sites/{slug}/outbox", self.base)
    }
    pub fn site_followers(&self, slug: &str) -> String {
        format!("{}/sites/{slug}/followers", self.base)
    }
    pub fn site_following(&self, slug: &str) -> String {
        format!("{}/sites/{slug}/following", self.base)
    }
    pub fn site_featured(&self, slug: &str) -> String {
        format!("{}/sites/{slug}/featured", self.base)
    }
    pub fn article(&self, id: i64) -> String {
        format!("{}/articles/{id}", self.base)
    }
    /// An article found by its page's URL (`/articles/by-url?url=…`): the link a page
    /// can carry before the article is registered.
    pub fn article_by_url(&self, page_url: &str) -> String {
        let encoded: String = url::form_urlencoded::byte_serialize(page_url.as_bytes()).collect();
        format!("{}/articles/by-url?url={encoded}", self.base)
    }
    /// A staff reply's `Note`.
    pub fn comment(&self, id: i64) -> String {
        format!("{}/comments/{id}", self.base)
    }
    /// The `ReplyAuthorization` of an approved comment.
    pub fn approval(&self, comment_id: i64) -> String {
        format!("{}/approvals/{comment_id}", self.base)
    }
    /// The `QuoteAuthorization` stamp of an accepted quote (FEP-044f).
    pub fn quote_authorization(&self, comment_id: i64) -> String {
        format!("{}/quotes/{comment_id}/authorization", self.base)
    }
    /// A fresh id for an activity we send.
    pub fn new_activity(&self, slug: &str, kind: &str) -> String {
        format!(
            "{}/sites/{slug}/activities/{}/{}",
            self.base,
            kind.to_ascii_lowercase(),
            uuid::Uuid::new_v4()
        )
    }
    /// A journalist's actor (a staff member who signs articles or replies).
    pub fn staff_actor(&self, username: &str) -> String {
        format!("{}/staff/{username}", self.base)
    }
    pub fn staff_key_id(&self, username: &str) -> String {
        format!("{}/staff/{username}#main-key", self.base)
    }
    pub fn staff_outbox(&self, username: &str) -> String {
        format!("{}/staff/{username}/outbox", self.base)
    }
    pub fn staff_followers(&self, username: &str) -> String {
        format!("{}/staff/{username}/followers", self.base)
    }
    /// The username if `url` is one of our journalist actors.
    pub fn staff_username_of<'a>(&self, url: &'a str) -> Option<&'a str> {
        let rest = url.strip_prefix(&self.base)?.strip_prefix("/staff/")?;
        (!rest.is_empty() && !rest.contains('/') && !rest.contains('#')).then_some(rest)
    }
    /// The site slug if `url` is one of our site actors.
    pub fn site_slug_of<'a>(&self, url: &'a str) -> Option<&'a str> {
        let rest = url.strip_prefix(&self.base)?.strip_prefix("/sites/")?;
        (!rest.is_empty() && !rest.contains('/') && !rest.contains('#')).then_some(rest)
    }
    /// Whether `url` is on this server.
    pub fn is_local(&self, url: &str) -> bool {
        url.strip_prefix(&self.base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}
