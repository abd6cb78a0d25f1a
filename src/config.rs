//! Layered configuration: `config/default.toml`, then the file named by `TRIBUNE_CONFIG`,
//! then `TRIBUNE_<SECTION>__<KEY>` environment variables. Loaded once and passed around
//! as a value (no globals), so two instances can run in one test process.

use serde::Deserialize;
use std::{net::SocketAddr, path::Path};
use url::Url;

/// Everything Tribune can be configured with.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    #[serde(default)]
    pub admin: AdminSettings,
    #[serde(default)]
    pub auth: AuthSettings,
    pub federation: FederationSettings,
    #[serde(default)]
    pub workers: WorkerSettings,
    #[serde(default)]
    pub blocklists: BlocklistSettings,
    #[serde(default)]
    pub limits: LimitSettings,
    #[serde(default)]
    pub sites: Vec<SiteSettings>,
    /// Alerts to staff: their queue's retries, the digest, dead letters piling up.
    #[serde(default)]
    pub alerts: AlertSettings,
    /// The SMTP server alerts are e-mailed through; none: no e-mail.
    #[serde(default)]
    pub smtp: Option<SmtpSettings>,
    /// Webhooks declared in the configuration (beside those of the admin API).
    #[serde(default)]
    pub webhooks: Vec<WebhookSettings>,
    #[serde(default)]
    pub imports: ImportSettings,
}

/// Imports of other comment systems' archives (`tribune import`, the admin API).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    /// The largest file `POST /api/v1/admin/imports` takes (413 past it); written to a
    /// temporary file as it arrives, never held in memory. Default 256 MiB.
    #[serde(default = "default_import_upload")]
    pub max_upload_bytes: u64,
}

fn default_import_upload() -> u64 {
    256 * 1024 * 1024
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self {
            max_upload_bytes: default_import_upload(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to bind, e.g. `127.0.0.1:8080`; port 0 picks a free one (tests).
    pub listen: SocketAddr,
    /// The URL the world reaches us at; every ActivityPub id is built from it.
    pub public_url: Url,
    /// Deprecated alias: `true` trusts proxies on loopback (`127.0.0.0/8`, `::1`), as if
    /// they were listed in `trusted_proxies`. Prefer `trusted_proxies`.
    #[serde(default)]
    pub trust_forwarded_for: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed (IPs or CIDRs, a list or a
    /// comma-separated string). Only when the TCP peer is one of them is the reader's
    /// address taken from the header: the right-most hop that is not a trusted proxy.
    #[serde(
        default,
        deserialize_with = "crate::runtime::limits::deserialize_cidrs"
    )]
    pub trusted_proxies: Vec<crate::runtime::limits::Cidr>,
    /// A second address serving only `/metrics` (e.g. `127.0.0.1:9090`); off when
    /// absent. With it set, the main address answers 404 on `/metrics`.
    #[serde(default)]
    pub metrics_listen: Option<SocketAddr>,
    /// Bearer token `/metrics` requires. Empty with no `metrics_listen`: `/metrics` is
    /// not served (404).
    #[serde(default)]
    pub metrics_token: String,
    /// Scrapes within this many seconds reuse the queue gauges read from the database
    /// (0: every scrape reads them).
    #[serde(default = "default_metrics_cache")]
    pub metrics_cache_secs: u64,
    /// A client must send a request's whole head within this time (slowloris).
    #[serde(default = "default_header_timeout")]
    pub header_read_timeout_secs: u64,
    /// A keep-alive connection with no request for this long is closed.
    #[serde(default = "default_idle_timeout")]
    pub idle_timeout_secs: u64,
    /// A request's whole body must arrive within this time from its head.
    #[serde(default = "default_body_timeout")]
    pub request_body_timeout_secs: u64,
    /// Open connections at most; past it the oldest idle one is closed for the
    /// newcomer, or the newcomer is refused when all are busy.
    #[serde(default = "default_server_connections")]
    pub max_connections: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: Url::parse("http://127.0.0.1:8080").unwrap_or_else(|_| unreachable!()),
            trust_forwarded_for: false,
            trusted_proxies: Vec::new(),
            metrics_listen: None,
            metrics_token: String::new(),
            metrics_cache_secs: default_metrics_cache(),
            header_read_timeout_secs: default_header_timeout(),
            idle_timeout_secs: default_idle_timeout(),
            request_body_timeout_secs: default_body_timeout(),
            max_connections: default_server_connections(),
        }
    }
}

fn default_metrics_cache() -> u64 {
    5
}
fn default_header_timeout() -> u64 {
    10
}
fn default_idle_timeout() -> u64 {
    75
}
fn default_body_timeout() -> u64 {
    30
}
fn default_server_connections() -> usize {
    4096
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    pub url: String,
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminSettings {
    /// Bootstrap admin bearer token. Empty disables the admin API.
    #[serde(default)]
    pub token: String,
}

/// Staff sign-in: how long tokens and sessions live, how logins are limited.
#[derive(Clone, Debug, Deserialize)]
pub struct AuthSettings {
    /// Lifetime of an API token from `/api/v1/auth/token`, in seconds (30 days).
    #[serde(default = "default_token_ttl")]
    pub token_ttl_secs: i64,
    /// A console session ends after this long without a request (12 h).
    #[serde(default = "default_session_idle")]
    pub session_idle_secs: i64,
    /// And this long after sign-in whatever happens (7 days).
    #[serde(default = "default_session_max")]
    pub session_max_secs: i64,
    /// Sign-in attempts a minute from one address (both login endpoints together).
    #[serde(default = "default_login_per_minute")]
    pub login_per_ip_per_minute: u32,
    #[serde(default = "default_login_burst")]
    pub login_burst: u32,
    /// Wrong passwords in a row for one username before it backs off.
    #[serde(default = "default_login_failures")]
    pub login_failures_before_backoff: u32,
    /// The first backoff, in seconds, doubling with each further failure...
    #[serde(default = "default_backoff_base")]
    pub login_backoff_secs: u64,
    /// ...up to this: an attacker can delay a real user's sign-in, never lock it away.
    #[serde(default = "default_backoff_max")]
    pub login_backoff_max_secs: u64,
    /// Password hashes computed at once (argon2 takes 19 MiB each).
    #[serde(default = "default_hash_permits")]
    pub hash_concurrency: usize,
    /// How long a login waits for a hashing slot before a 429, in ms.
    #[serde(default = "default_hash_wait")]
    pub hash_wait_ms: u64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            token_ttl_secs: default_token_ttl(),
            session_idle_secs: default_session_idle(),
            session_max_secs: default_session_max(),
            login_per_ip_per_minute: default_login_per_minute(),
            login_burst: default_login_burst(),
            login_failures_before_backoff: default_login_failures(),
            login_backoff_secs: default_backoff_base(),
            login_backoff_max_secs: default_backoff_max(),
            hash_concurrency: default_hash_permits(),
            hash_wait_ms: default_hash_wait(),
        }
    }
}

fn default_token_ttl() -> i64 {
    30 * 24 * 3600
}
fn default_session_idle() -> i64 {
    12 * 3600
}
fn default_session_max() -> i64 {
    7 * 24 * 3600
}
fn default_login_per_minute() -> u32 {
    20
}
fn default_login_burst() -> u32 {
    10
}
fn default_login_failures() -> u32 {
    5
}
fn default_backoff_base() -> u64 {
    2
}
fn default_backoff_max() -> u64 {
    300
}
fn default_hash_permits() -> usize {
    2
}
fn default_hash_wait() -> u64 {
    2_000
}

/// The events alerts are raised for (webhooks and e-mail).
pub const ALERT_EVENTS: &[&str] = &[
    "comment.held",
    "comment.reported",
    "notice.received",
    "deliveries.dead",
];

/// The shortest webhook secret accepted (an HMAC key guessed at no rate).
pub const MIN_WEBHOOK_SECRET_CHARS: usize = 16;

/// The shortest bootstrap admin token accepted: 32 characters (about 190 bits of a
/// random base64 string), so it cannot be guessed at any rate.
pub const MIN_ADMIN_TOKEN_CHARS: usize = 32;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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
    /// How long a worker's claim on queue rows lasts without renewal. A live worker
    /// renews it every third of this while it works on them (however long a delivery
    /// takes); after a crash (`kill -9`) the rows are due again once this has passed,
    /// so a restarted server (or another process) resumes them within seconds.
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
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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
    /// Handle checks a minute from one reader address (`/interact`, `/interact/check`):
    /// each may cost a WebFinger request to another server.
    #[serde(default = "default_handle_checks")]
    pub handle_checks_per_minute: u32,
    #[serde(default = "default_handle_checks_burst")]
    pub handle_checks_burst: u32,
    /// Addresses (or domains) each limiter remembers at most; past it the idle and
    /// then the oldest are forgotten (a forgotten key starts with a full bucket).
    #[serde(default = "default_tracked_keys")]
    pub max_tracked_keys: usize,
}

fn default_handle_checks() -> u32 {
    20
}
fn default_handle_checks_burst() -> u32 {
    10
}
fn default_tracked_keys() -> usize {
    65_536
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            public_per_minute: default_public_rate(),
            public_burst: default_public_burst(),
            inbox_per_ip_per_minute: default_inbox_rate(),
            inbox_per_domain_per_minute: default_inbox_rate(),
            inbox_burst: default_inbox_burst(),
            handle_checks_per_minute: default_handle_checks(),
            handle_checks_burst: default_handle_checks_burst(),
            max_tracked_keys: default_tracked_keys(),
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
#[serde(deny_unknown_fields)]
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
    /// Where the embed's reply panel sends readers who have no fediverse account yet
    /// (a page explaining it and listing servers). Default: `DEFAULT_JOIN_URL`.
    #[serde(default)]
    pub join_url: Option<Url>,
    /// Whether the site actor boosts (`Announce`) its journalists' replies to its
    /// followers, who follow the site and not each journalist. Default: true.
    #[serde(default = "default_true")]
    pub announce_staff_replies: bool,
    /// Whether reports go on to the reported author's server as a `Flag` from the
    /// instance actor: `off` (the default), `decisions` (a moderator's hiding or
    /// refusal of a remote comment), `reports_and_decisions` (readers' reports too, at
    /// most one `Flag` per comment a day).
    #[serde(default)]
    pub forward_reports: ForwardReports,
    /// Whether imported comments say where they came from ("imported from Disqus").
    /// Default: false.
    #[serde(default)]
    pub show_import_source: bool,
}

/// What a site forwards to the reported author's server (`forward_reports`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForwardReports {
    /// Nothing, unless a moderator presses "forward" on one report or decision.
    #[default]
    Off,
    /// A moderator's decision to hide or refuse a remote comment.
    Decisions,
    /// Decisions and readers' reports (rate limited per comment).
    ReportsAndDecisions,
}

/// Where readers learn what the fediverse is and pick a server, unless a site says.
pub const DEFAULT_JOIN_URL: &str = "https://jointhefediverse.net/";

impl SiteSettings {
    /// The site's `join_url`, else `DEFAULT_JOIN_URL`.
    pub fn join_url(&self) -> Url {
        self.join_url.clone().unwrap_or_else(|| {
            Url::parse(DEFAULT_JOIN_URL).unwrap_or_else(|_| unreachable!("a valid URL"))
        })
    }
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
    8
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

/// Alerts to staff (`services::alerts`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    /// The first retry of a failed webhook POST or e-mail, in ms (then doubling, up
    /// to 6 h, with jitter).
    #[serde(default = "default_first_retry")]
    pub first_retry_ms: i64,
    /// Attempts before an alert is a dead letter (listed for admins).
    #[serde(default = "default_alert_attempts")]
    pub max_attempts: i32,
    /// How often digests are sent, in seconds (each member gets one message with what
    /// happened since their last).
    #[serde(default = "default_digest_secs")]
    pub digest_every_secs: u64,
    /// `deliveries.dead` is raised when this many more deliveries are dead letters
    /// than at the last alert...
    #[serde(default = "default_dead_threshold")]
    pub dead_letters_threshold: u64,
    /// ...at most once per this many seconds.
    #[serde(default = "default_dead_period")]
    pub dead_letters_period_secs: i64,
}

impl Default for AlertSettings {
    fn default() -> Self {
        Self {
            first_retry_ms: default_first_retry(),
            max_attempts: default_alert_attempts(),
            digest_every_secs: default_digest_secs(),
            dead_letters_threshold: default_dead_threshold(),
            dead_letters_period_secs: default_dead_period(),
        }
    }
}

fn default_alert_attempts() -> i32 {
    12
}
fn default_digest_secs() -> u64 {
    24 * 3600
}
fn default_dead_threshold() -> u64 {
    50
}
fn default_dead_period() -> i64 {
    6 * 3600
}

/// How alerts are e-mailed (lettre over rustls).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    /// `tls` (implicit TLS, port 465), `starttls` (port 587) or `none` (plain text:
    /// tests and a relay on loopback only).
    #[serde(default = "default_smtp_tls")]
    pub tls: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// The sender, e.g. `Tribune <alerts@news.example>`.
    pub from: String,
    /// How long one message may take to send.
    #[serde(default = "default_smtp_timeout")]
    pub timeout_secs: u64,
    /// A private certificate authority (PEM) the server's certificate may chain to, for
    /// a relay inside the newsroom's network; the public roots are trusted either way,
    /// and the name is always checked.
    #[serde(default)]
    pub ca_file: Option<std::path::PathBuf>,
}

fn default_smtp_port() -> u16 {
    587
}
fn default_smtp_tls() -> String {
    "starttls".into()
}
fn default_smtp_timeout() -> u64 {
    15
}

/// A webhook declared in the configuration (`[[webhooks]]`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    pub url: Url,
    /// The HMAC-SHA256 key of `X-Tribune-Signature` (16 characters at least).
    pub secret: String,
    /// `comment.held`, `comment.reported`, `notice.received`, `deliveries.dead`.
    pub events: Vec<String>,
    /// A site's slug; every site when absent.
    #[serde(default)]
    pub site: Option<String>,
}

/// A configuration problem, said in one line naming the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration: {key}: {reason}")]
    Invalid { key: &'static str, reason: String },
}

/// The environment variables that are settings: `TRIBUNE_<SECTION>__<KEY>`. Others
/// with the prefix (`TRIBUNE_CONFIG`, `TRIBUNE_LOG_FORMAT`, `TRIBUNE_STAFF_PASSWORD`)
/// are not, and must not trip the unknown-key check; a misspelt section or key still
/// does (`TRIBUNE_SERVER__PUBLIK_URL`).
fn settings_variables(
    vars: impl Iterator<Item = (String, String)>,
) -> std::collections::HashMap<String, String> {
    vars.filter(|(name, _)| {
        name.strip_prefix("TRIBUNE_")
            .is_some_and(|rest| rest.contains("__"))
    })
    .collect()
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
                    .try_parsing(true)
                    .source(Some(settings_variables(std::env::vars()))),
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
        let token = self.admin.token.trim();
        if !token.is_empty() && token.chars().count() < MIN_ADMIN_TOKEN_CHARS {
            return invalid(
                "admin.token",
                "must be at least 32 characters (e.g. `openssl rand -base64 32`), or empty to turn the admin API off",
            );
        }
        if self.auth.hash_concurrency == 0 {
            return invalid("auth.hash_concurrency", "must be at least 1");
        }
        if self.auth.token_ttl_secs <= 0
            || self.auth.session_idle_secs <= 0
            || self.auth.session_max_secs <= 0
        {
            return invalid("auth", "token and session lifetimes must be positive");
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
        if self.workers.lease_secs < 1 {
            return invalid("workers.lease_secs", "must be at least 1");
        }
        let server = &self.server;
        if server.header_read_timeout_secs == 0
            || server.idle_timeout_secs == 0
            || server.request_body_timeout_secs == 0
        {
            return invalid("server.*_timeout_secs", "must be at least 1");
        }
        if server.max_connections == 0 {
            return invalid("server.max_connections", "must be at least 1");
        }
        if server.metrics_listen == Some(server.listen) && server.listen.port() != 0 {
            return invalid("server.metrics_listen", "must differ from server.listen");
        }
        if self.limits.max_tracked_keys < 64 {
            return invalid("limits.max_tracked_keys", "must be at least 64");
        }
        if self.federation.max_body_bytes < 1024 {
            return invalid("federation.max_body_bytes", "must be at least 1024");
        }
        if let Some(smtp) = &self.smtp {
            if !matches!(smtp.tls.as_str(), "none" | "starttls" | "tls") {
                return invalid("smtp.tls", "none, starttls or tls");
            }
            if smtp.from.parse::<lettre::message::Mailbox>().is_err() {
                return invalid("smtp.from", "must be an e-mail address");
            }
        }
        if self.alerts.max_attempts < 1 {
            return invalid("alerts.max_attempts", "must be at least 1");
        }
        for hook in &self.webhooks {
            if !matches!(hook.url.scheme(), "http" | "https") {
                return invalid("webhooks.url", "must be an http(s) URL");
            }
            if hook.secret.chars().count() < MIN_WEBHOOK_SECRET_CHARS {
                return invalid("webhooks.secret", "at least 16 characters");
            }
            if hook.events.is_empty()
                || hook
                    .events
                    .iter()
                    .any(|e| !ALERT_EVENTS.contains(&e.as_str()))
            {
                return invalid(
                    "webhooks.events",
                    "comment.held, comment.reported, notice.received or deliveries.dead",
                );
            }
            if let Some(site) = &hook.site {
                if !self.sites.iter().any(|s| &s.slug == site) {
                    return invalid("webhooks.site", "must be a configured site's slug");
                }
            }
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
