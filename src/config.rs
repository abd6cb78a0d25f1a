//! Layered configuration: `config/default.toml`, then the file named by `TRIBUNE_CONFIG`,
//! then `TRIBUNE_<SECTION>__<KEY>` environment variables. Loaded once and passed around
//! as a value (no globals), so two instances can run in one test process.

use serde::Deserialize;
use std::{net::SocketAddr, path::Path};
use url::Url;

/// Everything Tribune can be configured with.
#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    #[serde(default)]
    pub admin: AdminSettings,
    pub federation: FederationSettings,
    #[serde(default)]
    pub workers: WorkerSettings,
    #[serde(default)]
    pub blocklists: BlocklistSettings,
    #[serde(default)]
    pub limits: LimitSettings,
    #[serde(default)]
    pub sites: Vec<SiteSettings>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ServerSettings {
    /// Address to bind, e.g. `127.0.0.1:8080`; port 0 picks a free one (tests).
    pub listen: SocketAddr,
    /// The URL the world reaches us at; every ActivityPub id is built from it.
    pub public_url: Url,
    /// Take readers' addresses from `X-Forwarded-For` (behind a trusted proxy only).
    #[serde(default)]
    pub trust_forwarded_for: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    pub url: String,
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct AdminSettings {
    /// Bootstrap admin bearer token. Empty disables the admin API.
    #[serde(default)]
    pub token: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct FederationSettings {
    /// Lets Tribune talk plain http to loopback and private addresses. Development and
    /// tests only: production must keep it `false` (SSRF).
    pub allow_private_networks: bool,
    /// Mastodon's "secure mode": our actors, articles and collections are served as
    /// ActivityPub only to signed GETs (the instance actor stays open, or nobody could
    /// verify our own signed fetches).
    #[serde(default)]
    pub authorized_fetch: bool,
    /// Largest inbox body accepted; larger ones get 413.
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: usize,
    /// How old a signed `Date` may be (Mastodon: 12 h).
    #[serde(default = "default_signature_max_age")]
    pub signature_max_age_secs: i64,
    /// How far in the future a signed `Date` may be (clock skew; Mastodon: 1 h).
    #[serde(default = "default_signature_max_skew")]
    pub signature_max_skew_secs: i64,
    /// Timeout of every outgoing request.
    #[serde(default = "default_fetch_timeout")]
    pub request_timeout_secs: u64,
    /// Largest remote document we read.
    #[serde(default = "default_max_fetch_bytes")]
    pub max_fetch_bytes: usize,
    /// How far up an unknown `inReplyTo` chain we walk to find the article.
    #[serde(default = "default_max_reply_depth")]
    pub max_reply_depth: u32,
    /// How many replies below the first one we received the crawler follows
    /// `replies` collections.
    #[serde(default = "default_crawl_depth")]
    pub crawl_max_depth: i32,
    /// Items the crawler looks at (and may fetch) per collection it reads, i.e. per
    /// activity that queued it.
    #[serde(default = "default_crawl_items_per_activity")]
    pub crawl_max_items_per_activity: usize,
    /// Comments the crawler may bring into one article, and collections it may queue
    /// for it, over the article's life.
    #[serde(default = "default_crawl_per_article")]
    pub crawl_max_per_article: u64,
    /// GETs the crawler sends to one remote host per hour (in-memory window).
    #[serde(default = "default_crawl_fetches_per_host")]
    pub crawl_max_fetches_per_host_per_hour: u32,
}

#[derive(Clone, Debug, Deserialize)]
pub struct WorkerSettings {
    /// Run the inbox and delivery workers in this process.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// How often idle workers look for due work (they are also woken on new work).
    #[serde(default = "default_poll_ms")]
    pub poll_interval_ms: u64,
    /// Attempts before an inbound activity is set aside as failed.
    #[serde(default = "default_inbox_attempts")]
    pub inbox_max_attempts: i32,
    /// How long deliveries are retried before they are dead letters (48 h and more).
    #[serde(default = "default_delivery_hours")]
    pub delivery_retry_hours: i64,
    /// How often sites' feeds are polled, in seconds.
    #[serde(default = "default_feed_poll")]
    pub feed_poll_secs: u64,
    /// The first retry of a failed delivery, in ms (then doubling, up to 6 h).
    #[serde(default = "default_first_retry")]
    pub delivery_first_retry_ms: i64,
    /// Failed deliveries in a row (no success between) before a host is unreachable:
    /// then one probe per `unreachable_probe_secs` until it answers or speaks to us.
    #[serde(default = "default_unreachable_after")]
    pub unreachable_after: i32,
    #[serde(default = "default_probe_secs")]
    pub unreachable_probe_secs: i64,
    /// How long a worker holds the rows it claimed: after a crash (`kill -9`), another
    /// process (or the restarted one) takes them over once this has passed.
    #[serde(default = "default_lease_secs")]
    pub lease_secs: i64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            poll_interval_ms: default_poll_ms(),
            inbox_max_attempts: default_inbox_attempts(),
            delivery_retry_hours: default_delivery_hours(),
            feed_poll_secs: default_feed_poll(),
            delivery_first_retry_ms: default_first_retry(),
            unreachable_after: default_unreachable_after(),
            unreachable_probe_secs: default_probe_secs(),
            lease_secs: default_lease_secs(),
        }
    }
}

/// Publishing our domain policies.
#[derive(Clone, Debug, Deserialize)]
pub struct BlocklistSettings {
    /// Who may read `GET /api/v1/instance/domain_blocks`: `off`, `authenticated`
    /// (staff tokens) or `public`, as Mastodon's setting.
    #[serde(default = "default_visibility")]
    pub domain_blocks_visibility: String,
    /// Across subscriptions: `max` (the most severe wins) or `min`.
    #[serde(default = "default_merge")]
    pub merge: String,
    /// How many sources must list a domain before it applies.
    #[serde(default = "default_consensus")]
    pub consensus_sources: u32,
    /// And which share of the sources (0-100).
    #[serde(default)]
    pub consensus_percent: f64,
}

impl Default for BlocklistSettings {
    fn default() -> Self {
        Self {
            domain_blocks_visibility: default_visibility(),
            merge: default_merge(),
            consensus_sources: default_consensus(),
            consensus_percent: 0.0,
        }
    }
}

/// Rate limits (per process): past them, 429 with `Retry-After`.
#[derive(Clone, Debug, Deserialize)]
pub struct LimitSettings {
    /// Requests a minute from one reader address on the public endpoints (threads,
    /// counts, reports, pages, the embed script).
    #[serde(default = "default_public_rate")]
    pub public_per_minute: u32,
    #[serde(default = "default_public_burst")]
    pub public_burst: u32,
    /// Inbox POSTs a minute from one address (a server's outgoing IP).
    #[serde(default = "default_inbox_rate")]
    pub inbox_per_ip_per_minute: u32,
    /// Inbox POSTs a minute claiming actors of one remote domain.
    #[serde(default = "default_inbox_rate")]
    pub inbox_per_domain_per_minute: u32,
    #[serde(default = "default_inbox_burst")]
    pub inbox_burst: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            public_per_minute: default_public_rate(),
            public_burst: default_public_burst(),
            inbox_per_ip_per_minute: default_inbox_rate(),
            inbox_per_domain_per_minute: default_inbox_rate(),
            inbox_burst: default_inbox_burst(),
        }
    }
}

fn default_public_rate() -> u32 {
    600
}

fn default_public_burst() -> u32 {
    120
}

fn default_inbox_rate() -> u32 {
    1_200
}

fn default_inbox_burst() -> u32 {
    600
}

fn default_merge() -> String {
    "max".into()
}

fn default_consensus() -> u32 {
    1
}

fn default_visibility() -> String {
    "authenticated".into()
}

/// One publication hosted on this server.
#[derive(Clone, Debug, Deserialize)]
pub struct SiteSettings {
    /// The actor's name: `acct:<slug>@<host>`.
    pub slug: String,
    /// Display name of the site actor.
    pub name: String,
    /// The publisher's origin, e.g. `https://news.example`.
    pub origin: Url,
    #[serde(default)]
    pub summary: Option<String>,
    /// The comment charter readers are pointed to (its page on the site).
    #[serde(default)]
    pub charter_url: Option<Url>,
    /// A short text shown above the thread instead of the default sentence for the
    /// moderation mode.
    #[serde(default)]
    pub charter_text: Option<String>,
    /// Language of the thread's words: `fr` or `en` (the page's `lang` otherwise).
    #[serde(default)]
    pub language: Option<String>,
    /// An RSS, Atom or JSON Feed of the site's articles, polled to register them.
    #[serde(default)]
    pub feed_url: Option<Url>,
    /// Query parameters that name a different article on this site (e.g. `["p"]` for
    /// WordPress's `?p=123`). A page registering itself from a reader's visit keeps
    /// only these; every other query string is dropped from its URL.
    #[serde(default)]
    pub self_register_query_params: Vec<String>,
}

fn default_max_connections() -> u32 {
    8
}
fn default_max_body_bytes() -> usize {
    256 * 1024
}
fn default_signature_max_age() -> i64 {
    12 * 3600
}
fn default_signature_max_skew() -> i64 {
    3600
}
fn default_fetch_timeout() -> u64 {
    10
}
fn default_max_fetch_bytes() -> usize {
    1024 * 1024
}
fn default_max_reply_depth() -> u32 {
    16
}
fn default_crawl_items_per_activity() -> usize {
    200
}
fn default_crawl_per_article() -> u64 {
    2_000
}
fn default_crawl_fetches_per_host() -> u32 {
    300
}
fn default_crawl_depth() -> i32 {
    3
}
fn default_true() -> bool {
    true
}
fn default_poll_ms() -> u64 {
    1000
}
fn default_inbox_attempts() -> i32 {
    8
}
fn default_first_retry() -> i64 {
    30_000
}
fn default_unreachable_after() -> i32 {
    10
}
fn default_lease_secs() -> i64 {
    120
}
fn default_probe_secs() -> i64 {
    3_600
}
fn default_delivery_hours() -> i64 {
    72
}
fn default_feed_poll() -> u64 {
    900
}

/// A configuration problem, said in one line naming the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration: {key}: {reason}")]
    Invalid { key: &'static str, reason: String },
}

impl Settings {
    /// Loads `config/default.toml` (relative to `base_dir`), the `TRIBUNE_CONFIG` file and
    /// the environment.
    pub fn load(base_dir: &Path) -> Result<Self, ConfigError> {
        let mut builder = config::Config::builder().add_source(
            config::File::from(base_dir.join("config/default.toml"))
                .format(config::FileFormat::Toml)
                .required(true),
        );
        if let Ok(path) = std::env::var("TRIBUNE_CONFIG") {
            builder = builder.add_source(
                config::File::from(Path::new(&path))
                    .format(config::FileFormat::Toml)
                    .required(true),
            );
        }
        let settings: Settings = builder
            .add_source(
                config::Environment::with_prefix("TRIBUNE")
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what serde cannot: values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, reason: &str| {
            Err(ConfigError::Invalid {
                key,
                reason: reason.to_string(),
            })
        };
        if !matches!(self.server.public_url.scheme(), "http" | "https")
            || self.server.public_url.host_str().is_none()
        {
            return invalid("server.public_url", "must be an http(s) URL with a host");
        }
        if !(self.database.url.starts_with("sqlite:")
            || self.database.url.starts_with("postgres://")
            || self.database.url.starts_with("postgresql://"))
        {
            return invalid("database.url", "must start with sqlite: or postgres://");
        }
        if self.database.max_connections == 0 {
            return invalid("database.max_connections", "must be at least 1");
        }
        if !matches!(
            self.blocklists.domain_blocks_visibility.as_str(),
            "off" | "authenticated" | "public"
        ) {
            return invalid(
                "blocklists.domain_blocks_visibility",
                "off, authenticated or public",
            );
        }
        if !matches!(self.blocklists.merge.as_str(), "max" | "min") {
            return invalid("blocklists.merge", "max or min");
        }
        if !(0.0..=100.0).contains(&self.blocklists.consensus_percent) {
            return invalid("blocklists.consensus_percent", "between 0 and 100");
        }
        if self.federation.max_body_bytes < 1024 {
            return invalid("federation.max_body_bytes", "must be at least 1024");
        }
        let mut seen = std::collections::HashSet::new();
        for site in &self.sites {
            let valid_slug = !site.slug.is_empty()
                && site.slug.len() <= 64
                && site
                    .slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid_slug {
                return invalid("sites.slug", "lowercase letters, digits and _ only");
            }
            // `blocklist@host` is the blocklist actor's WebFinger name.
            if site.slug == "blocklist" {
                return invalid("sites.slug", "\"blocklist\" is the blocklist actor's name");
            }
            if !seen.insert(site.slug.as_str()) {
                return invalid("sites.slug", "each site needs its own slug");
            }
            if !matches!(site.origin.scheme(), "http" | "https") {
                return invalid("sites.origin", "must be an http(s) URL");
            }
        }
        Ok(())
    }

    /// The `host[:port]` part of the public URL, as used in handles and WebFinger.
    pub fn public_host(&self) -> String {
        let url = &self.server.public_url;
        match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => String::new(),
        }
    }
}
