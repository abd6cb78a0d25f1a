//! The fake fediverse the bench talks to: 1,000 Mastodon-shaped actors on one loopback
//! server (documents, inboxes that count what arrives), and requests to Tribune's inbox
//! signed ahead of time, since a load generator cannot sign at the server's verify rate.

use anyhow::{Context, Result};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post},
    Router,
};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use ring::signature::RsaKeyPair;
use serde_json::json;
use std::{
    sync::{
        atomic::{AtomicU64, Ordering::Relaxed},
        Arc,
    },
    time::{Duration, Instant},
};

/// Distinct RSA-2048 keys shared out among the actors (generating 1,000 would take
/// minutes; the server verifies each request against its actor's key all the same).
const KEYS: usize = 8;
/// The actors live on this many servers (loopback addresses 127.1.0.1…): a thread's
/// readers come from many instances, and per-server rules see realistic rates.
pub const HOSTS: usize = 250;

/// What the fake inboxes received.
#[derive(Default)]
pub struct Received {
    pub accepts: AtomicU64,
    pub creates: AtomicU64,
    pub other: AtomicU64,
}

struct Shared {
    actors: Vec<String>,
    received: Arc<Received>,
}

/// One fake server with `count` actors.
pub struct Remote {
    port: u16,
    pub received: Arc<Received>,
    keys: Vec<Arc<RsaKeyPair>>,
    pub count: usize,
    next_status: AtomicU64,
}

impl Remote {
    pub async fn start(count: usize) -> Result<Remote> {
        let keys = tokio::task::spawn_blocking(generate_keys).await??;
        // One port on every host address (any 127/8 address is loopback on Linux).
        let first = tokio::net::TcpListener::bind(("127.1.0.1", 0)).await?;
        let port = first.local_addr()?.port();
        let mut listeners = vec![first];
        for h in 1..HOSTS {
            listeners.push(tokio::net::TcpListener::bind((host(h).as_str(), port)).await?);
        }
        let received = Arc::new(Received::default());
        let actors = (0..count)
            .map(|n| actor_document(&base_of(n, port), n, &keys[n % KEYS].1))
            .collect();
        let shared = Arc::new(Shared {
            actors,
            received: received.clone(),
        });
        let app = Router::new()
            .route("/users/{n}", get(actor))
            .route("/users/{n}/inbox", post(inbox))
            .route("/users/{n}/statuses/{s}/replies", get(no_replies))
            .with_state(shared);
        for listener in listeners {
            let app = app.clone();
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
        }
        Ok(Remote {
            port,
            received,
            keys: keys.into_iter().map(|(k, _)| Arc::new(k)).collect(),
            count,
            next_status: AtomicU64::new(1),
        })
    }

    pub fn actor_id(&self, n: usize) -> String {
        format!("{}/users/{n}", base_of(n, self.port))
    }

    /// A status id nobody used yet.
    pub fn next_status(&self) -> u64 {
        self.next_status.fetch_add(1, Relaxed)
    }

    /// A Mastodon-shaped `Create(Note)` from actor `n` replying to `in_reply_to`.
    pub fn reply(&self, n: usize, in_reply_to: &str) -> (String, serde_json::Value) {
        let actor = self.actor_id(n);
        let status = self.next_status();
        let note = format!("{actor}/statuses/{status}");
        let activity = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", {"ostatus": "http://ostatus.org#",
                "atomUri": "ostatus:atomUri", "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
                "conversation": "ostatus:conversation", "sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#"}],
            "id": format!("{note}/activity"),
            "type": "Create",
            "actor": actor,
            "published": "2026-11-29T08:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{actor}/followers")],
            "object": {
                "id": note, "type": "Note", "summary": null, "inReplyTo": in_reply_to,
                "published": "2026-11-29T08:00:00Z", "url": format!("{}/@u{n}/{status}", base_of(n, self.port)),
                "attributedTo": actor,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [format!("{actor}/followers")],
                "sensitive": false, "atomUri": note, "inReplyToAtomUri": in_reply_to,
                "conversation": format!("tag:bench,2026-11-29:objectId={status}:objectType=Conversation"),
                "content": text(status),
                "contentMap": {"fr": text(status)},
                "attachment": [], "tag": [],
                "replies": {"id": format!("{note}/replies"), "type": "Collection",
                    "first": {"type": "CollectionPage", "next": format!("{note}/replies?only_other_accounts=true&page=true"),
                              "partOf": format!("{note}/replies"), "items": []}}
            }
        });
        (note, activity)
    }

    /// A `Follow` of `object` from actor `n`.
    pub fn follow(&self, n: usize, object: &str) -> serde_json::Value {
        let actor = self.actor_id(n);
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}#follows/{}", self.next_status()),
            "type": "Follow", "actor": actor, "object": object
        })
    }

    /// Signs a POST of `activity` from its actor `n` to `inbox`, as Mastodon does:
    /// draft-cavage rsa-sha256 over `(request-target) host date digest content-type`.
    pub fn sign(&self, n: usize, inbox: &str, activity: &serde_json::Value) -> Result<Prepared> {
        let url = url_parts(inbox)?;
        let body = serde_json::to_vec(activity)?;
        let date = httpdate(std::time::SystemTime::now());
        let digest = format!(
            "SHA-256={}",
            B64.encode(ring::digest::digest(&ring::digest::SHA256, &body))
        );
        let content_type = "application/activity+json";
        let signing = format!(
            "(request-target): post {}\nhost: {}\ndate: {date}\ndigest: {digest}\ncontent-type: {content_type}",
            url.1, url.0
        );
        let key = &self.keys[n % KEYS];
        let mut signature = vec![0; key.public().modulus_len()];
        key.sign(
            &ring::signature::RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            signing.as_bytes(),
            &mut signature,
        )
        .map_err(|_| anyhow::anyhow!("signing failed"))?;
        let header = format!(
            r#"keyId="{}#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="{}""#,
            self.actor_id(n),
            B64.encode(signature)
        );
        Ok(Prepared {
            url: inbox.to_string(),
            headers: vec![
                ("host", url.0),
                ("date", date),
                ("digest", digest),
                ("content-type", content_type.to_string()),
                ("signature", header),
            ],
            body,
        })
    }

    /// Signs many on every core.
    pub async fn sign_all(
        self: &Arc<Self>,
        inbox: &str,
        items: Vec<(usize, serde_json::Value)>,
    ) -> Result<Vec<Prepared>> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let chunk = items.len().div_ceil(cores).max(1);
        let mut tasks = Vec::new();
        let mut items = items;
        while !items.is_empty() {
            let rest = items.split_off(chunk.min(items.len()));
            let part = std::mem::replace(&mut items, rest);
            let me = self.clone();
            let inbox = inbox.to_string();
            tasks.push(tokio::task::spawn_blocking(move || {
                part.iter()
                    .map(|(n, a)| me.sign(*n, &inbox, a))
                    .collect::<Result<Vec<_>>>()
            }));
        }
        let mut out = Vec::new();
        for task in tasks {
            out.extend(task.await??);
        }
        Ok(out)
    }

    /// Waits until `counter` reaches `target`; returns when it did (or errors at the
    /// deadline).
    pub async fn wait_for(
        &self,
        counter: &AtomicU64,
        target: u64,
        deadline: Duration,
    ) -> Result<Instant> {
        let end = Instant::now() + deadline;
        loop {
            if counter.load(Relaxed) >= target {
                return Ok(Instant::now());
            }
            if Instant::now() > end {
                anyhow::bail!(
                    "waited {deadline:?}: {} of {target} arrived",
                    counter.load(Relaxed)
                );
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

/// A signed request ready to send.
pub struct Prepared {
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// What sending a batch gave.
pub struct Blast {
    pub elapsed: Duration,
    pub refused: u64,
    pub first_refusal: Option<String>,
}

/// Sends every request over `connections` keep-alive connections; the clock stops when
/// the last answer is in.
pub async fn blast(client: &reqwest::Client, requests: Vec<Prepared>, connections: usize) -> Blast {
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let first_refusal = Arc::new(std::sync::Mutex::new(None));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (requests, next, refused, first_refusal, client) = (
            requests.clone(),
            next.clone(),
            refused.clone(),
            first_refusal.clone(),
            client.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Relaxed) as usize;
                let Some(r) = requests.get(i) else { break };
                let mut request = client.post(&r.url).body(r.body.clone());
                for (k, v) in &r.headers {
                    request = request.header(*k, v);
                }
                match request.send().await {
                    Ok(resp) if resp.status().is_success() => {}
                    other => {
                        refused.fetch_add(1, Relaxed);
                        let why = match other {
                            Ok(resp) => format!(
                                "{}: {}",
                                resp.status(),
                                resp.text().await.unwrap_or_default()
                            ),
                            Err(e) => e.to_string(),
                        };
                        if let Ok(mut first) = first_refusal.lock() {
                            first.get_or_insert(why);
                        }
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let first = first_refusal.lock().ok().and_then(|mut f| f.take());
    Blast {
        elapsed: started.elapsed(),
        refused: refused.load(Relaxed),
        first_refusal: first,
    }
}

async fn actor(State(shared): State<Arc<Shared>>, Path(n): Path<usize>) -> impl IntoResponse {
    match shared.actors.get(n) {
        Some(doc) => (
            StatusCode::OK,
            [("content-type", "application/activity+json")],
            doc.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A status's replies collection, empty (Tribune reads it after storing a reply).
async fn no_replies(
    headers: axum::http::HeaderMap,
    Path((n, s)): Path<(usize, u64)>,
) -> impl IntoResponse {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.1.0.1");
    let id = format!("http://{host}/users/{n}/statuses/{s}/replies");
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id, "type": "Collection",
        "first": {"type": "CollectionPage", "partOf": id, "items": []}
    });
    (
        [("content-type", "application/activity+json")],
        body.to_string(),
    )
}

async fn inbox(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> StatusCode {
    // Counting is all a fake inbox does.
    let text = String::from_utf8_lossy(&body);
    let counter = if text.contains("\"type\":\"Accept\"") {
        &shared.received.accepts
    } else if text.contains("\"type\":\"Create\"") {
        &shared.received.creates
    } else {
        &shared.received.other
    };
    counter.fetch_add(1, Relaxed);
    StatusCode::ACCEPTED
}

/// The address of host `h`.
fn host(h: usize) -> String {
    format!("127.1.{}.{}", h / 250, h % 250 + 1)
}

/// The server actor `n` lives on.
fn base_of(n: usize, port: u16) -> String {
    format!("http://{}:{port}", host(n % HOSTS))
}

fn actor_document(base: &str, n: usize, public_pem: &str) -> String {
    let id = format!("{base}/users/{n}");
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": "Person", "preferredUsername": format!("u{n}"),
        "name": format!("Reader {n}"), "url": format!("{base}/@u{n}"),
        "inbox": format!("{id}/inbox"), "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_pem},
        "published": "2020-01-01T00:00:00Z"
    })
    .to_string()
}

fn generate_keys() -> Result<Vec<(RsaKeyPair, String)>> {
    use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
    (0..KEYS)
        .map(|_| {
            let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)?;
            let der = private.to_pkcs8_der()?;
            let pem = private.to_public_key().to_public_key_pem(LineEnding::LF)?;
            let key = RsaKeyPair::from_pkcs8(der.as_bytes())
                .map_err(|e| anyhow::anyhow!("ring refused the key: {e}"))?;
            Ok((key, pem))
        })
        .collect()
}

/// `(host:port, path)` of an http URL.
fn url_parts(url: &str) -> Result<(String, String)> {
    let rest = url.strip_prefix("http://").context("http URLs only")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    Ok((
        host.to_string(),
        if path.is_empty() {
            "/".into()
        } else {
            path.into()
        },
    ))
}

fn httpdate(t: std::time::SystemTime) -> String {
    let dt: chrono::DateTime<chrono::Utc> = t.into();
    dt.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// ~500 bytes of French prose, different for each status (moderation sees no repeats).
pub fn text(seed: u64) -> String {
    const WORDS: [&str; 48] = [
        "le",
        "logement",
        "article",
        "chiffres",
        "Lyon",
        "loyers",
        "quartier",
        "mairie",
        "enquête",
        "habitants",
        "transport",
        "école",
        "budget",
        "élus",
        "rapport",
        "climat",
        "vélo",
        "marché",
        "emploi",
        "santé",
        "hôpital",
        "tramway",
        "jeunes",
        "retraite",
        "culture",
        "théâtre",
        "musée",
        "rivière",
        "pont",
        "gare",
        "train",
        "commerce",
        "boulangerie",
        "associations",
        "voisins",
        "parc",
        "arbres",
        "chaleur",
        "été",
        "hiver",
        "impôts",
        "travaux",
        "chantier",
        "rue",
        "place",
        "fontaine",
        "cinéma",
        "livre",
    ];
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = String::from("<p>");
    let mut len = 0;
    while len < 480 {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51afd7ed558ccd);
        x ^= x >> 29;
        let w = WORDS[(x % WORDS.len() as u64) as usize];
        out.push_str(w);
        out.push(' ');
        len += w.len() + 1;
        if len > 240 && len < 250 {
            out.push_str("</p><p>");
            len += 10;
        }
    }
    out.push_str(&format!("n°{seed}</p>"));
    out
}
