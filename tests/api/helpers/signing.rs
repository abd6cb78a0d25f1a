//! Signed requests from test actors, written independently of Tribune's signer so the
//! verifier is not only checked against its own code: draft-cavage `rsa-sha256` (as
//! Mastodon signs POSTs and authorized-fetch GETs), RFC 9421 `rsa-v1_5-sha256` (as Fedify
//! signs first) and RFC 9421 `ed25519`, with ways to spoil a signature.

use super::app::TestApp;
use axum::http::StatusCode;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use ring::signature::{Ed25519KeyPair, KeyPair, RsaKeyPair};
use serde_json::{json, Value};
use std::{
    sync::{Arc, OnceLock},
    time::{Duration, SystemTime},
};
use url::Url;

/// RSA key pairs (public PEM, private PEM) for test actors, generated once per test
/// process: generating one takes a while.
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

/// The public PEM of key pair `n` (0..3), as an actor document publishes it.
pub(super) fn public_pem(n: usize) -> &'static str {
    &keypairs()[n].0
}

fn private_key(n: usize) -> RsaKeyPair {
    let pem = &keypairs()[n].1;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    RsaKeyPair::from_pkcs8(&B64.decode(body).unwrap()).unwrap()
}

/// RSASSA-PKCS1-v1_5 with SHA-256, the one RSA signature every scheme here uses.
fn rsa_sign(key: &RsaKeyPair, message: &[u8]) -> Vec<u8> {
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        message,
        &mut signature,
    )
    .unwrap();
    signature
}

/// The body's SHA-256, base64: what both `Digest` and `Content-Digest` carry.
fn sha256_base64(body: &[u8]) -> String {
    B64.encode(ring::digest::digest(&ring::digest::SHA256, body))
}

/// The `Host` a draft-cavage signer signs: host and port, the default one spelled out.
fn cavage_host(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap(),
        url.port_or_known_default().unwrap()
    )
}

/// RFC 9421's `created`: now, in Unix seconds.
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A draft-cavage signed POST of an activity: `[host, date, digest, signature]` as
/// signed, `content-type` the one every signer here covers.
fn cavage_post(
    client: &reqwest::Client,
    inbox: &str,
    [host, date, digest, signature]: [String; 4],
    body: Vec<u8>,
) -> reqwest::RequestBuilder {
    client
        .post(inbox)
        .header("host", host)
        .header("date", date)
        .header("digest", digest)
        .header("content-type", "application/activity+json")
        .header("signature", signature)
        .body(body)
}

/// A remote actor we control, served by a `FakeServer`.
#[derive(Clone)]
pub struct TestActor {
    pub id: String,
    pub key_id: String,
    key: Arc<RsaKeyPair>,
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
    /// Actor `id` signing as `key_id` with key pair `n` (0..3).
    pub(super) fn new(id: String, key_id: String, n: usize) -> TestActor {
        TestActor {
            id,
            key_id,
            key: Arc::new(private_key(n)),
        }
    }

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
        let host = cavage_host(&url);
        let when = if spoil.date_offset_secs >= 0 {
            SystemTime::now() + Duration::from_secs(spoil.date_offset_secs as u64)
        } else {
            SystemTime::now() - Duration::from_secs((-spoil.date_offset_secs) as u64)
        };
        let date = httpdate::fmt_http_date(when);
        let digest = format!("SHA-256={}", sha256_base64(body));
        let content_type = "application/activity+json";
        let signing_string = format!(
            "(request-target): post {}\nhost: {host}\ndate: {date}\ndigest: {digest}\ncontent-type: {content_type}",
            url.path()
        );
        let signature = match spoil.wrong_key {
            Some(k) => rsa_sign(&private_key(k), signing_string.as_bytes()),
            None => rsa_sign(&self.key, signing_string.as_bytes()),
        };
        let header = format!(
            r#"keyId="{}",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="{}""#,
            self.key_id,
            B64.encode(signature)
        );
        let sent = spoil.tampered_body.clone().unwrap_or_else(|| body.to_vec());
        cavage_post(client, inbox, [host, date, digest, header], sent)
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

    /// A signed GET (draft-cavage, as Mastodon's authorized fetch sends).
    pub fn signed_get(&self, client: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
        let parsed = Url::parse(url).unwrap();
        let host = cavage_host(&parsed);
        let date = httpdate::fmt_http_date(SystemTime::now());
        let accept = "application/activity+json";
        let signing_string = format!(
            "(request-target): get {}\nhost: {host}\ndate: {date}\naccept: {accept}",
            parsed.path()
        );
        let signature = rsa_sign(&self.key, signing_string.as_bytes());
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

    /// Signs a POST with RFC 9421 (`rsa-v1_5-sha256`), as Fedify does first.
    pub async fn send_rfc9421(&self, app: &TestApp, activity: &Value) -> StatusCode {
        let url = app.url("/inbox");
        let body = serde_json::to_vec(activity).unwrap();
        let key = self.key.clone();
        let headers = rfc9421_headers(&url, &body, &self.key_id, "rsa-v1_5-sha256", |base| {
            rsa_sign(&key, base)
        });
        post_with(app, &url, body, headers).await
    }

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
        let digest = format!("sha-256=:{}:", sha256_base64(body));
        let created = unix_now();
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
        let sig = rsa_sign(&self.key, base.as_bytes());
        vec![
            ("host".into(), authority),
            ("content-digest".into(), digest),
            ("signature-input".into(), format!("sig1={params}")),
            ("signature".into(), format!("sig1=:{}:", B64.encode(sig))),
        ]
    }
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
    let digest = format!("sha-256=:{}:", sha256_base64(body));
    let created = unix_now();
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
    key: Arc<Ed25519KeyPair>,
}

impl Ed25519Actor {
    /// Actor `id` with a fresh Ed25519 key named `key_id`, and the key's
    /// `publicKeyMultibase` (multicodec `ed25519-pub`, base58btc) for its document.
    pub(super) fn generate(id: String, key_id: String) -> (Ed25519Actor, String) {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let key = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let mut multicodec = vec![0xed, 0x01];
        multicodec.extend_from_slice(key.public_key().as_ref());
        let multibase = format!("z{}", bs58::encode(multicodec).into_string());
        let actor = Ed25519Actor {
            id,
            key_id,
            key: Arc::new(key),
        };
        (actor, multibase)
    }

    /// The public key as an SPKI PEM (RFC 8410), as Misskey lists it in
    /// `additionalPublicKeys`.
    pub fn public_pem(&self) -> String {
        let mut der = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        der.extend_from_slice(self.key.public_key().as_ref());
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            B64.encode(der)
        )
    }

    /// Signs a POST with draft-cavage and this Ed25519 key, as Misskey signs with its
    /// additional key (`algorithm="ed25519-sha512"`); `tamper` changes the body after
    /// signing (its digest then no longer matches).
    pub async fn send_cavage(
        &self,
        app: &TestApp,
        activity: &Value,
        algorithm: &str,
        tamper: bool,
    ) -> StatusCode {
        let inbox = app.url("/inbox");
        let url = Url::parse(&inbox).unwrap();
        let body = serde_json::to_vec(activity).unwrap();
        let host = cavage_host(&url);
        let date = httpdate::fmt_http_date(SystemTime::now());
        let digest = format!("SHA-256={}", sha256_base64(&body));
        let content_type = "application/activity+json";
        let signing_string = format!(
            "(request-target): post {}\nhost: {host}\ndate: {date}\ndigest: {digest}\ncontent-type: {content_type}",
            url.path()
        );
        let signature = B64.encode(self.key.sign(signing_string.as_bytes()));
        let header = format!(
            r#"keyId="{}",algorithm="{algorithm}",headers="(request-target) host date digest content-type",signature="{signature}""#,
            self.key_id
        );
        let sent = if tamper {
            let mut changed = activity.clone();
            changed["object"]["content"] = json!("<p>tampered</p>");
            serde_json::to_vec(&changed).unwrap()
        } else {
            body
        };
        let response = cavage_post(&app.client, &inbox, [host, date, digest, header], sent)
            .send()
            .await
            .unwrap();
        StatusCode::from_u16(response.status().as_u16()).unwrap()
    }

    /// `activity` with a FEP-8b32 proof by this key, as Fedify makes it
    /// (`eddsa-jcs-2022`; the proof configuration hashed with the document's
    /// `@context`, the proof sent without it), written here from the vc-di-eddsa
    /// algorithm rather than Tribune's verifier.
    pub fn prove(&self, activity: &Value) -> Value {
        let mut document = activity.clone();
        if let Some(map) = document.as_object_mut() {
            map.remove("proof");
        }
        let mut proof = json!({
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-jcs-2022",
            "verificationMethod": self.key_id,
            "proofPurpose": "assertionMethod",
            "created": "2026-12-01T10:00:00Z",
        });
        let mut config = proof.clone();
        if let Some(context) = document.get("@context") {
            config["@context"] = context.clone();
        }
        let sha = |v: &Value| {
            ring::digest::digest(
                &ring::digest::SHA256,
                &serde_json_canonicalizer::to_vec(v).unwrap(),
            )
            .as_ref()
            .to_vec()
        };
        let mut data = sha(&config);
        data.extend(sha(&document));
        proof["proofValue"] = json!(format!(
            "z{}",
            bs58::encode(self.key.sign(&data).as_ref()).into_string()
        ));
        document["proof"] = proof;
        document
    }

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
