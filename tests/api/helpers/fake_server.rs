//! A stand-in for remote fediverse servers on loopback: a `FakeServer` serves the
//! actor and note documents a test puts there and records what its inboxes receive;
//! `serve_on_loopback` starts any other router a test needs as a remote.

use super::signing::{public_pem, Ed25519Actor, TestActor};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::get,
    Router,
};
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

/// Serves `app` on a free port of `127.0.0.1`; returns its base URL.
pub async fn serve_on_loopback(app: Router) -> String {
    serve_on("127.0.0.1", app).await
}

/// Serves `app` on a free port of loopback address `ip` (another "domain").
async fn serve_on(ip: &str, app: Router) -> String {
    let listener = tokio::net::TcpListener::bind(format!("{ip}:0"))
        .await
        .unwrap();
    let base = format!("http://{ip}:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
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
        let base = serve_on(ip, app).await;
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
                "publicKey": {"id": key_id, "owner": id, "publicKeyPem": public_pem(key)},
                "published": "2020-01-01T00:00:00Z"
            }),
        );
        TestActor::new(id, key_id, key)
    }

    /// Creates actor `name` like `actor` but with no shared inbox, so that each such
    /// follower is a delivery of its own.
    pub fn actor_without_shared_inbox(&self, name: &str, key: usize) -> TestActor {
        let actor = self.actor(name, key);
        self.edit(&format!("/users/{name}"), |doc| {
            doc["endpoints"] = json!({})
        });
        actor
    }

    /// Creates actor `name` with no shared inbox and its inbox at `inbox` (a receiver the
    /// test runs itself).
    pub fn actor_with_inbox(&self, name: &str, key: usize, inbox: &str) -> TestActor {
        let actor = self.actor_without_shared_inbox(name, key);
        self.edit(&format!("/users/{name}"), |doc| doc["inbox"] = json!(inbox));
        actor
    }

    /// Changes the document served at `path`.
    pub fn edit(&self, path: &str, change: impl FnOnce(&mut Value)) {
        change(self.state.documents.lock().unwrap().get_mut(path).unwrap());
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
        let id = format!("{}/users/{name}", self.base);
        let key_id = format!("{id}#ed25519-key");
        let (actor, multibase) = Ed25519Actor::generate(id.clone(), key_id.clone());
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
        actor
    }

    /// Creates a Misskey (2025) actor: its RSA key pair `key` (0..3) in `publicKey`
    /// (`#main-key`) and a fresh Ed25519 key in `additionalPublicKeys`
    /// (`#ed25519-key`, a `Key` with `owner` and `publicKeyPem`); returns both signers.
    pub fn misskey_actor(&self, name: &str, key: usize) -> (TestActor, Ed25519Actor) {
        let id = format!("{}/users/{name}", self.base);
        let rsa = TestActor::new(id.clone(), format!("{id}#main-key"), key);
        let (ed, _) = Ed25519Actor::generate(id.clone(), format!("{id}#ed25519-key"));
        self.put(
            &format!("/users/{name}"),
            json!({
                "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
                             {"Key": "sec:Key", "additionalPublicKeys": {"@id": "sec:publicKey", "@type": "@id"}}],
                "id": id, "type": "Person", "preferredUsername": name,
                "inbox": format!("{id}/inbox"),
                "endpoints": {"sharedInbox": format!("{}/inbox", self.base)},
                "publicKey": {"id": rsa.key_id, "type": "Key", "owner": id, "publicKeyPem": public_pem(key)},
                "additionalPublicKeys": [{"id": ed.key_id, "type": "Key", "owner": id,
                                          "publicKeyPem": ed.public_pem()}]
            }),
        );
        (rsa, ed)
    }

    /// What the inboxes received, in order.
    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }
}
