//! The spawn-app harness, a fake remote fediverse server with actors we control, and a
//! request signer written independently of Tribune's (so the verifier is not only
//! checked against its own signer).

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::get,
    Router,
};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use ring::signature::RsaKeyPair;
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    future::Future,
    process::{Child, Command},
    sync::{Arc, Mutex, OnceLock},
    time::{Duration, Instant, SystemTime},
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
        }],
    }
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

/// RSA key pairs for test actors, generated once per test process.
fn keypairs() -> &'static Vec<(String, String)> {
    static KEYS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        (0..3)
            .map(|_| {
                let pair =
                    activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
                (pair.public_key, pair.private_key)
            })
            .collect()
    })
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    B64.decode(body).unwrap()
}

/// A remote actor we control, served by a `FakeServer`.
#[derive(Clone)]
pub struct TestActor {
    pub id: String,
    pub key_id: String,
    key: Arc<RsaKeyPair>,
}

/// What a fake server received in its inboxes.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Default)]
struct FakeState {
    documents: Mutex<HashMap<String, Value>>,
    received: Mutex<Vec<Received>>,
    /// Refuse POSTs not signed with RFC 9421 (as a strict Fedify-era server might).
    require_rfc9421: std::sync::atomic::AtomicBool,
    /// GETs received, with their headers.
    fetches: Mutex<Vec<(String, HeaderMap)>>,
}

/// A stand-in for a Mastodon server on loopback: serves actor and note documents and
/// records what its inboxes receive.
pub struct FakeServer {
    pub base: String,
    state: Arc<FakeState>,
}

async fn serve_document(
    State(state): State<Arc<FakeState>>,
    Path(path): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> impl IntoResponse {
    let full = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
        .to_string();
    state.fetches.lock().unwrap().push((full.clone(), headers));
    let doc = {
        let documents = state.documents.lock().unwrap();
        // Found by path and query (WebFinger), else by path.
        documents
            .get(&full)
            .or_else(|| documents.get(&format!("/{path}")))
            .cloned()
    };
    match doc {
        Some(Value::String(s)) if s == "gone" => StatusCode::GONE.into_response(),
        Some(Value::String(s)) if s.starts_with("redirect:") => (
            StatusCode::FOUND,
            [("location", s.trim_start_matches("redirect:").to_string())],
        )
            .into_response(),
        Some(doc) => (
            [("content-type", "application/activity+json; charset=utf-8")],
            doc.to_string(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn receive(
    State(state): State<Arc<FakeState>>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    if state
        .require_rfc9421
        .load(std::sync::atomic::Ordering::SeqCst)
        && !headers.contains_key("signature-input")
    {
        return StatusCode::UNAUTHORIZED;
    }
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state.received.lock().unwrap().push(Received {
        path: format!("/{path}"),
        headers,
        body,
    });
    StatusCode::ACCEPTED
}

impl FakeServer {
    pub async fn start() -> Self {
        Self::start_on("127.0.0.1").await
    }

    /// A server on another loopback address: another domain for domain policies.
    pub async fn start_on(ip: &str) -> Self {
        let state = Arc::new(FakeState::default());
        let app = Router::new()
            .route("/{*path}", get(serve_document).post(receive))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind(format!("{ip}:0"))
            .await
            .unwrap();
        let base = format!("http://{ip}:{}", listener.local_addr().unwrap().port());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, state }
    }

    /// Serves `doc` at `path`; the string "gone" answers 410, "redirect:URL" a 302 to URL.
    pub fn put(&self, path: &str, doc: Value) {
        self.state
            .documents
            .lock()
            .unwrap()
            .insert(path.to_string(), doc);
    }

    /// Creates actor `name` with key pair `key` (0..3) and serves its document.
    pub fn actor(&self, name: &str, key: usize) -> TestActor {
        let (public_pem, private_pem) = &keypairs()[key];
        let id = format!("{}/users/{name}", self.base);
        let key_id = format!("{id}#main-key");
        self.put(
            &format!("/users/{name}"),
            json!({
                "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                "id": id, "type": "Person", "preferredUsername": name,
                "name": format!("{name} (test)"),
                "url": format!("{}/@{name}", self.base),
                "icon": {"type": "Image", "mediaType": "image/png", "url": format!("{}/avatars/{name}.png", self.base)},
                "inbox": format!("{id}/inbox"),
                "outbox": format!("{id}/outbox"),
                "endpoints": {"sharedInbox": format!("{}/inbox", self.base)},
                "publicKey": {"id": key_id, "owner": id, "publicKeyPem": public_pem},
                "published": "2020-01-01T00:00:00Z"
            }),
        );
        TestActor {
            key: Arc::new(RsaKeyPair::from_pkcs8(&pem_der(private_pem)).unwrap()),
            id,
            key_id,
        }
    }

    /// Serves the object of a `Create` at its id, as its home server would.
    pub fn publish(&self, create: &Value) {
        let id = create["object"]["id"].as_str().unwrap();
        let path = id
            .strip_prefix(&self.base)
            .expect("an object of this server");
        self.put(path, create["object"].clone());
    }

    /// Makes the inboxes refuse draft-cavage signatures.
    pub fn require_rfc9421(&self) {
        self.state
            .require_rfc9421
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The GETs this server answered (path and query, headers).
    pub fn fetches(&self) -> Vec<(String, HeaderMap)> {
        self.state.fetches.lock().unwrap().clone()
    }

    /// Creates an actor whose only key is an Ed25519 `assertionMethod` multikey (as
    /// Fedify-based servers list beside RSA), served like `actor`.
    pub fn ed25519_actor(&self, name: &str) -> Ed25519Actor {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let key = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        use ring::signature::KeyPair;
        let mut multicodec = vec![0xed, 0x01];
        multicodec.extend_from_slice(key.public_key().as_ref());
        let multibase = format!("z{}", bs58::encode(multicodec).into_string());
        let id = format!("{}/users/{name}", self.base);
        let key_id = format!("{id}#ed25519-key");
        self.put(
            &format!("/users/{name}"),
            json!({
                "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
                "id": id, "type": "Person", "preferredUsername": name,
                "inbox": format!("{id}/inbox"),
                "assertionMethod": [{"id": key_id, "type": "Multikey", "controller": id,
                                     "publicKeyMultibase": multibase}]
            }),
        );
        Ed25519Actor {
            id,
            key_id,
            key: Arc::new(key),
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }
}

/// Ways to spoil a signed request.
#[derive(Default, Clone)]
pub struct Spoil {
    /// Shift the signed `Date` by this many seconds.
    pub date_offset_secs: i64,
    /// Send a different body than the one signed (digest mismatch).
    pub tampered_body: Option<Vec<u8>>,
    /// Sign with another key than the actor's published one.
    pub wrong_key: Option<usize>,
}

impl TestActor {
    /// The same actor signing with another key id (GoToSocial's fragment-less ones).
    pub fn with_key_id(&self, key_id: &str) -> TestActor {
        TestActor {
            key_id: key_id.to_string(),
            ..self.clone()
        }
    }

    /// The same key, claimed by an actor at `id` (somewhere nobody can fetch).
    pub fn elsewhere(&self, id: &str) -> TestActor {
        TestActor {
            id: id.to_string(),
            key_id: format!("{id}#main-key"),
            key: self.key.clone(),
        }
    }

    /// Builds a Mastodon-style signed POST: cavage rsa-sha256 over
    /// `(request-target) host date digest content-type`.
    pub fn signed_post(
        &self,
        client: &reqwest::Client,
        inbox: &str,
        body: &[u8],
        spoil: &Spoil,
    ) -> reqwest::RequestBuilder {
        let url = Url::parse(inbox).unwrap();
        let host = format!(
            "{}:{}",
            url.host_str().unwrap(),
            url.port_or_known_default().unwrap()
        );
        let when = if spoil.date_offset_secs >= 0 {
            SystemTime::now() + Duration::from_secs(spoil.date_offset_secs as u64)
        } else {
            SystemTime::now() - Duration::from_secs((-spoil.date_offset_secs) as u64)
        };
        let date = httpdate::fmt_http_date(when);
        let digest = format!(
            "SHA-256={}",
            B64.encode(ring::digest::digest(&ring::digest::SHA256, body))
        );
        let content_type = "application/activity+json";
        let signing_string = format!(
            "(request-target): post {}\nhost: {host}\ndate: {date}\ndigest: {digest}\ncontent-type: {content_type}",
            url.path()
        );
        let other;
        let key: &RsaKeyPair = match spoil.wrong_key {
            Some(k) => {
                other = RsaKeyPair::from_pkcs8(&pem_der(&keypairs()[k].1)).unwrap();
                &other
            }
            None => &self.key,
        };
        let mut signature = vec![0; key.public().modulus_len()];
        key.sign(
            &ring::signature::RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            signing_string.as_bytes(),
            &mut signature,
        )
        .unwrap();
        let header = format!(
            r#"keyId="{}",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="{}""#,
            self.key_id,
            B64.encode(signature)
        );
        let sent = spoil.tampered_body.clone().unwrap_or_else(|| body.to_vec());
        client
            .post(inbox)
            .header("host", host)
            .header("date", date)
            .header("digest", digest)
            .header("content-type", content_type)
            .header("signature", header)
            .body(sent)
    }

    /// Signs and sends an activity; returns the status.
    pub async fn send(&self, app: &TestApp, activity: &Value) -> StatusCode {
        self.send_spoiled(app, activity, &Spoil::default()).await
    }

    pub async fn send_spoiled(&self, app: &TestApp, activity: &Value, spoil: &Spoil) -> StatusCode {
        let body = serde_json::to_vec(activity).unwrap();
        let response = self
            .signed_post(&app.client, &app.url("/inbox"), &body, spoil)
            .send()
            .await
            .unwrap();
        StatusCode::from_u16(response.status().as_u16()).unwrap()
    }
}

/// Path of the shared fixtures (`../shared/fixtures/activitypub` beside the repo).
pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/activitypub")
}

/// Reads a shared fixture; `None` (with a message) where `../shared` is absent.
pub fn fixture(relative: &str) -> Option<Value> {
    let path = fixtures_dir().join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).unwrap()),
        Err(_) => {
            eprintln!(
                "fixture {} is absent (../shared not laid out here): skipped",
                path.display()
            );
            None
        }
    }
}

/// Mastodon's captured `Create(Note)` rewritten to come from `actor` and reply to
/// `in_reply_to`, with status number `n`.
pub fn mastodon_create(actor: &TestActor, n: u32, in_reply_to: &str) -> Value {
    let mut activity = fixture("mastodon/activities/create_note.json").unwrap_or_else(|| {
        json!({"type": "Create", "object": {"type": "Note",
               "content": "<p>i have never been disappointed by a thinkpad.</p>"}})
    });
    let note_id = format!("{}/statuses/{n}", actor.id);
    activity["id"] = json!(format!("{note_id}/activity"));
    activity["actor"] = json!(actor.id);
    let object = &mut activity["object"];
    object["id"] = json!(note_id);
    object["url"] = json!(note_id);
    object["attributedTo"] = json!(actor.id);
    object["inReplyTo"] = json!(in_reply_to);
    object["inReplyToAtomUri"] = json!(in_reply_to);
    object["atomUri"] = json!(note_id);
    object["to"] = json!([format!("{}/followers", actor.id)]);
    object["published"] = json!("2026-11-02T10:00:00Z");
    activity
}

/// The RFC 9421 signature base of a POST over `"@method" "@target-uri"
/// "content-digest"`, written here independently of Tribune's code.
fn rfc9421_base(url: &str, digest: &str, params: &str) -> String {
    format!(
        "\"@method\": POST\n\"@target-uri\": {url}\n\"content-digest\": {digest}\n\"@signature-params\": {params}"
    )
}

/// RFC 9421 headers for a POST: `(content-digest, signature-input, signature)`.
fn rfc9421_headers(
    url: &str,
    body: &[u8],
    key_id: &str,
    alg: &str,
    sign: impl Fn(&[u8]) -> Vec<u8>,
) -> [(String, String); 3] {
    let digest = format!(
        "sha-256=:{}:",
        B64.encode(ring::digest::digest(&ring::digest::SHA256, body))
    );
    let created = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let params = format!(
        r#"("@method" "@target-uri" "content-digest");created={created};keyid="{key_id}";alg="{alg}""#
    );
    let signature = sign(rfc9421_base(url, &digest, &params).as_bytes());
    [
        ("content-digest".into(), digest),
        ("signature-input".into(), format!("sig1={params}")),
        (
            "signature".into(),
            format!("sig1=:{}:", B64.encode(signature)),
        ),
    ]
}

impl TestActor {
    /// Signs a POST with RFC 9421 (`rsa-v1_5-sha256`), as Fedify does first.
    pub async fn send_rfc9421(&self, app: &TestApp, activity: &Value) -> StatusCode {
        let url = app.url("/inbox");
        let body = serde_json::to_vec(activity).unwrap();
        let key = self.key.clone();
        let headers = rfc9421_headers(&url, &body, &self.key_id, "rsa-v1_5-sha256", |base| {
            let mut sig = vec![0; key.public().modulus_len()];
            key.sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                base,
                &mut sig,
            )
            .unwrap();
            sig
        });
        post_with(app, &url, body, headers).await
    }

    /// A signed GET (draft-cavage, as Mastodon's authorized fetch sends).
    pub fn signed_get(&self, client: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
        let parsed = Url::parse(url).unwrap();
        let host = format!(
            "{}:{}",
            parsed.host_str().unwrap(),
            parsed.port_or_known_default().unwrap()
        );
        let date = httpdate::fmt_http_date(SystemTime::now());
        let accept = "application/activity+json";
        let signing_string = format!(
            "(request-target): get {}\nhost: {host}\ndate: {date}\naccept: {accept}",
            parsed.path()
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                signing_string.as_bytes(),
                &mut signature,
            )
            .unwrap();
        client
            .get(url)
            .header("host", host)
            .header("date", date)
            .header("accept", accept)
            .header(
                "signature",
                format!(
                    r#"keyId="{}",algorithm="rsa-sha256",headers="(request-target) host date accept",signature="{}""#,
                    self.key_id,
                    B64.encode(signature)
                ),
            )
    }
}

async fn post_with(
    app: &TestApp,
    url: &str,
    body: Vec<u8>,
    headers: [(String, String); 3],
) -> StatusCode {
    let mut request = app
        .client
        .post(url)
        .header("content-type", "application/activity+json")
        .body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    StatusCode::from_u16(request.send().await.unwrap().status().as_u16()).unwrap()
}

/// An actor with only an Ed25519 multikey.
#[derive(Clone)]
pub struct Ed25519Actor {
    pub id: String,
    pub key_id: String,
    key: Arc<ring::signature::Ed25519KeyPair>,
}

impl Ed25519Actor {
    /// Signs a POST with RFC 9421 `ed25519`; `tamper` changes the body after signing.
    pub async fn send(&self, app: &TestApp, activity: &Value, tamper: bool) -> StatusCode {
        let url = app.url("/inbox");
        let body = serde_json::to_vec(activity).unwrap();
        let key = self.key.clone();
        let headers = rfc9421_headers(&url, &body, &self.key_id, "ed25519", |base| {
            key.sign(base).as_ref().to_vec()
        });
        let sent = if tamper {
            b"{\"type\":\"Delete\"}".to_vec()
        } else {
            body
        };
        post_with(app, &url, sent, headers).await
    }
}

/// The `tribune` binary, run from the repository with none of our environment's
/// `TRIBUNE_*` settings.
pub fn tribune_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tribune"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    for (key, _) in std::env::vars() {
        if key.starts_with("TRIBUNE_") {
            command.env_remove(key);
        }
    }
    command
}

/// The binary as an operator runs it, on `port` and `database`.
pub fn start_binary(port: u16, database: &str, env: &[(&str, &str)]) -> Child {
    tribune_command()
        .env("TRIBUNE_DATABASE__URL", database)
        .env("TRIBUNE_SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .env(
            "TRIBUNE_SERVER__PUBLIC_URL",
            format!("http://127.0.0.1:{port}"),
        )
        .env("TRIBUNE_ADMIN__TOKEN", ADMIN_TOKEN)
        .env("TRIBUNE_WORKERS__POLL_INTERVAL_MS", "50")
        .env("TRIBUNE_WORKERS__DELIVERY_FIRST_RETRY_MS", "200")
        // What a killed process had claimed comes back after this.
        .env("TRIBUNE_WORKERS__LEASE_SECS", "2")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

pub async fn wait_ready(client: &reqwest::Client, base: &str) {
    eventually("the server to be ready", || async {
        let response = client.get(format!("{base}/readyz")).send().await.ok()?;
        (response.status() == 200).then_some(())
    })
    .await;
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The bearer token test instances require on `/metrics`.
pub const METRICS_TOKEN: &str = "test-metrics-token";

impl TestActor {
    /// RFC 9421 headers (`rsa-v1_5-sha256`) for a POST of `body` to `url` covering
    /// `components` (`@method`, `@target-uri`, `@authority`, `@path`, `host`,
    /// `content-digest`), computed from `url` as a sender addressing it would.
    pub fn rfc9421_post_headers(
        &self,
        url: &str,
        body: &[u8],
        components: &[&str],
    ) -> Vec<(String, String)> {
        let parsed = Url::parse(url).unwrap();
        let authority = match parsed.port() {
            Some(port) => format!("{}:{port}", parsed.host_str().unwrap()),
            None => parsed.host_str().unwrap().to_string(),
        };
        let digest = format!(
            "sha-256=:{}:",
            B64.encode(ring::digest::digest(&ring::digest::SHA256, body))
        );
        let created = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let list: Vec<String> = components.iter().map(|c| format!("\"{c}\"")).collect();
        let params = format!(
            r#"({});created={created};keyid="{}";alg="rsa-v1_5-sha256""#,
            list.join(" "),
            self.key_id
        );
        let mut base = String::new();
        for c in components {
            let value = match *c {
                "@method" => "POST".to_string(),
                "@target-uri" => url.to_string(),
                "@authority" | "host" => authority.clone(),
                "@path" => parsed.path().to_string(),
                "content-digest" => digest.clone(),
                other => panic!("component {other} not supported here"),
            };
            base.push_str(&format!("\"{c}\": {value}\n"));
        }
        base.push_str(&format!("\"@signature-params\": {params}"));
        let mut sig = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                base.as_bytes(),
                &mut sig,
            )
            .unwrap();
        vec![
            ("host".into(), authority),
            ("content-digest".into(), digest),
            ("signature-input".into(), format!("sig1={params}")),
            ("signature".into(), format!("sig1=:{}:", B64.encode(sig))),
        ]
    }
}
