//! The app under test, in this process: settings as a value, a database of its own per
//! test (a SQLite file, or a fresh PostgreSQL database when `TRIBUNE_TEST_DATABASE_URL`
//! names a server), a server on port 0, and the calls most tests make to it.

use serde_json::{json, Value};
use std::{
    future::Future,
    time::{Duration, Instant},
};
use tribune::{
    config::{
        AdminSettings, DatabaseSettings, FederationSettings, ServerSettings, Settings,
        SiteSettings, WorkerSettings,
    },
    startup::Application,
    state::AppState,
};
use url::Url;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdefghij";
pub const SITE_ORIGIN: &str = "https://news.example";
/// The bearer token test instances require on `/metrics`.
pub const METRICS_TOKEN: &str = "test-metrics-token";

/// A running Tribune.
pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// How to spawn.
pub struct Options {
    /// Background workers; off by default so tests drain the inbox themselves.
    pub workers: bool,
    pub max_body_bytes: usize,
    /// Mastodon's secure mode.
    pub authorized_fetch: bool,
    /// The demo site's origin (default `SITE_ORIGIN`).
    pub site_origin: Option<String>,
    /// The demo site's feed.
    pub feed_url: Option<Url>,
    /// Blocklist sources that must agree.
    pub consensus_sources: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            workers: false,
            max_body_bytes: 64 * 1024,
            authorized_fetch: false,
            site_origin: None,
            feed_url: None,
            consensus_sources: 1,
        }
    }
}

/// A database URL of its own for each test.
pub async fn fresh_database_url() -> String {
    match std::env::var("TRIBUNE_TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            use sea_orm::ConnectionTrait;
            let name = format!("tribune_test_{}", uuid::Uuid::new_v4().simple());
            let admin =
                sea_orm::Database::connect(format!("{}/postgres", server.trim_end_matches('/')))
                    .await
                    .expect("connect to the PostgreSQL server");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create a test database");
            admin.close().await.ok();
            format!("{}/{name}", server.trim_end_matches('/'))
        }
        _ => {
            let path =
                std::env::temp_dir().join(format!("tribune-test-{}.db", uuid::Uuid::new_v4()));
            format!("sqlite://{}?mode=rwc", path.display())
        }
    }
}

/// Settings for a test instance: a value, no files, no environment.
pub async fn test_settings(options: &Options) -> Settings {
    Settings {
        server: ServerSettings {
            listen: "127.0.0.1:0".parse().unwrap(),
            public_url: Url::parse("http://127.0.0.1:0").unwrap(),
            metrics_token: METRICS_TOKEN.into(),
            ..Default::default()
        },
        database: DatabaseSettings {
            url: fresh_database_url().await,
            max_connections: 4,
        },
        auth: Default::default(),
        admin: AdminSettings {
            token: ADMIN_TOKEN.into(),
        },
        federation: FederationSettings {
            allow_private_networks: true,
            authorized_fetch: options.authorized_fetch,
            max_body_bytes: options.max_body_bytes,
            signature_max_age_secs: 43_200,
            signature_max_skew_secs: 3_600,
            request_timeout_secs: 5,
            max_fetch_bytes: 1024 * 1024,
            max_reply_depth: 8,
            crawl_max_depth: 3,
            crawl_max_items_per_activity: 200,
            crawl_max_per_article: 2_000,
            crawl_max_fetches_per_host_per_hour: 300,
        },
        workers: WorkerSettings {
            enabled: options.workers,
            poll_interval_ms: 50,
            ..WorkerSettings::default()
        },
        blocklists: tribune::config::BlocklistSettings {
            domain_blocks_visibility: "public".into(),
            consensus_sources: options.consensus_sources,
            ..Default::default()
        },
        limits: Default::default(),
        alerts: Default::default(),
        smtp: None,
        webhooks: Vec::new(),
        sites: vec![SiteSettings {
            slug: "demo".into(),
            name: "Demo News".into(),
            origin: Url::parse(options.site_origin.as_deref().unwrap_or(SITE_ORIGIN)).unwrap(),
            summary: None,
            charter_url: Some(Url::parse("https://news.example/charte").unwrap()),
            charter_text: None,
            language: Some("fr".into()),
            feed_url: options.feed_url.clone(),
            self_register_query_params: Vec::new(),
            join_url: None,
            forward_reports: Default::default(),
            announce_staff_replies: true,
            show_import_source: false,
        }],
        imports: Default::default(),
    }
}

/// The default test settings with `change` applied, for tests that set one knob.
pub async fn settings_with(change: impl FnOnce(&mut Settings)) -> Settings {
    let mut settings = test_settings(&Options::default()).await;
    change(&mut settings);
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    spawn_settings(test_settings(&options).await).await
}

/// Spawns a server with these settings (to restart one on its port and database).
pub async fn spawn_settings(settings: Settings) -> TestApp {
    let app = Application::build(settings).await.expect("build the app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        state,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        stop: Some(stop),
        server: Some(server),
    }
}

impl TestApp {
    /// Stops the server and its workers, and waits until they are gone.
    pub async fn shut_down(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.address
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap()
    }

    /// Registers an article through the API and returns its JSON.
    pub async fn add_article(&self, path: &str, title: &str) -> Value {
        let response = self
            .client
            .post(self.url("/api/v1/articles"))
            .bearer_auth(ADMIN_TOKEN)
            .json(
                &json!({"site": "demo", "url": format!("{SITE_ORIGIN}{path}"), "title": title,
                          "summary": "Résumé", "published": "2026-11-01T08:00:00Z"}),
            )
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.unwrap()
    }

    pub async fn thread(&self, article_url: &str) -> Value {
        let response = self
            .client
            .get(self.url("/api/v1/threads"))
            .query(&[("url", article_url)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// GETs an admin API path with the admin token; asserts 200.
    pub async fn admin_get(&self, path: &str) -> Value {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    /// POSTs JSON to an admin API path with the admin token: the status and the body.
    pub async fn admin_post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// GETs a public path as JSON.
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Processes everything the inbox holds, as the worker would.
    pub async fn drain(&self) {
        tribune::services::inbox::process_due(&self.state)
            .await
            .unwrap();
    }

    /// Delivers everything queued, as the worker would.
    pub async fn deliver(&self) {
        tribune::services::delivery::deliver_due(&self.state)
            .await
            .unwrap();
    }
}

/// Polls `check` until it returns `Some`, or panics at the deadline.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
