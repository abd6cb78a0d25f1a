//! Alerts: a webhook receiver on loopback gets `comment.held` and `comment.reported`,
//! signed with its secret, and gets them once it is back when it was down; a real SMTP
//! server (aiosmtpd from PyPI, its Maildir handler) gets the immediate alert and the
//! digest with the console link, nothing for a member who opted out, and the alert
//! once it is back when it was down; the API's refusals.

use crate::helpers::*;
use axum::{body::Bytes, http::HeaderMap, http::StatusCode, routing::post, Router};
use serde_json::{json, Value};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, Mutex,
};
use tribune::config::{Settings, SmtpSettings};

const SECRET: &str = "a webhook secret of some length";
const PASSWORD: &str = "a long enough password";

/// What a receiver got: headers and the exact body bytes.
type Got = Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>;

/// A webhook receiver: answers 503 to its first `failures` POSTs, then 200.
fn receiver(failures: usize) -> (Router, Got) {
    let got: Got = Arc::default();
    let left = Arc::new(AtomicUsize::new(failures));
    let seen = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            let left = left.clone();
            async move {
                seen.lock().unwrap().push((headers, body.to_vec()));
                if left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
                {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    (app, got)
}

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    ring::hmac::sign(&key, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks a received POST's headers and signature; its JSON.
fn verified(headers: &HeaderMap, body: &[u8], event: &str) -> Value {
    assert_eq!(headers["x-tribune-event"], event);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(
        headers["x-tribune-signature"].to_str().unwrap(),
        format!("sha256={}", hmac_hex(SECRET, body)),
        "the signature is the HMAC-SHA256 of the exact body"
    );
    let json: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(json["event"], event);
    json
}

/// Settings whose alerts are retried at once (the clock need not move).
async fn quick_retries(change: impl FnOnce(&mut Settings)) -> Settings {
    settings_with(|s| {
        s.alerts.first_retry_ms = 0;
        s.alerts.max_attempts = 3;
        change(s);
    })
    .await
}

async fn send_alerts(app: &TestApp) {
    tribune::services::alerts::worker::send_due(&app.state)
        .await
        .unwrap();
}

/// Due again now: the retry's backoff has passed ("moving the clock").
async fn make_due(app: &TestApp) {
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared(
            "UPDATE alert_deliveries SET next_attempt_at = 0 WHERE status = 'pending'",
        )
        .await
        .unwrap();
}

async fn register_webhook(app: &TestApp, url: &str, events: Value) -> Value {
    let (status, body) = app
        .admin_post(
            "/api/v1/admin/webhooks",
            json!({"url": url, "secret": SECRET, "events": events, "site": "demo"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

async fn pre_moderation(app: &TestApp) {
    let mode = app
        .client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "pre"}))
        .send()
        .await
        .unwrap();
    assert_eq!(mode.status(), 204);
}

fn reply(actor: &TestActor, n: u32, article: &Value, content: &str) -> Value {
    let mut create = mastodon_create(actor, n, article["ap_id"].as_str().unwrap());
    create["object"]["content"] = json!(content);
    create["object"]
        .as_object_mut()
        .unwrap()
        .remove("contentMap");
    create["object"]["tag"] = json!([]);
    create
}

/// A remote reply held by pre-moderation; its comment id.
async fn held_reply(app: &TestApp, fake: &FakeServer, n: u32, article: &Value) -> i64 {
    let author = fake.actor("held", 0);
    author
        .send(
            app,
            &reply(&author, n, article, "<p>Held <b>back</b> &amp; waiting</p>"),
        )
        .await;
    app.drain().await;
    let held = app
        .admin_get("/api/v1/admin/queue?site=demo&status=held")
        .await;
    held.as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_signed_webhook_gets_a_held_remote_reply_then_a_readers_report() {
    let app = spawn_settings(quick_retries(|_| {}).await).await;
    let (router, got) = receiver(0);
    let base = serve_on_loopback(router).await;
    let hook = register_webhook(
        &app,
        &format!("{base}/hook"),
        json!(["comment.held", "comment.reported"]),
    )
    .await;
    assert_eq!(hook["events"], json!(["comment.held", "comment.reported"]));
    assert_eq!(hook["site"], "demo");
    assert!(
        !hook.to_string().contains(SECRET),
        "the secret is never echoed"
    );
    pre_moderation(&app).await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/alerts", "Alerts & news").await;
    let id = held_reply(&app, &fake, 1, &article).await;
    send_alerts(&app).await;

    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "one POST for the held comment");
    let (headers, body) = &received[0];
    let held = verified(headers, body, "comment.held");
    assert_eq!(held["site"], "demo");
    let item = &held["item"];
    assert_eq!(item["comment_id"], id);
    assert_eq!(item["article_title"], "Alerts & news");
    assert_eq!(item["article_url"], article["url"]);
    assert_eq!(item["excerpt"], "Held back & waiting");
    assert!(item["ap_id"].as_str().unwrap().starts_with(&fake.base));
    assert!(item["author"].as_str().unwrap().contains("@held@"));
    assert_eq!(
        item["console_url"],
        app.url(&format!("/admin/comments/{id}"))
    );
    assert!(held["created_at"].is_string());

    // Approved, then reported by a reader as illegal: `comment.reported` (this
    // webhook did not ask for `notice.received`).
    let approved = app
        .client
        .post(app.url(&format!("/api/v1/admin/comments/{id}/approve")))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(approved.status().is_success());
    let report = app
        .client
        .post(app.url("/api/v1/reports"))
        .json(&json!({"comment": id, "reason": "illegal", "content": "<script>x</script>"}))
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 202);
    send_alerts(&app).await;
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    let reported = verified(&received[1].0, &received[1].1, "comment.reported");
    assert_eq!(reported["item"]["comment_id"], id);
    assert_eq!(reported["item"]["reason"], "illegal");

    // Listed without its secret; deleted, then gone.
    let listed = app.admin_get("/api/v1/admin/webhooks").await;
    assert_eq!(listed[0]["id"], hook["id"]);
    assert!(!listed.to_string().contains(SECRET));
    let path = format!("/api/v1/admin/webhooks/{}", hook["id"]);
    for expected in [204, 404] {
        let deleted = app
            .client
            .delete(app.url(&path))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), expected);
    }
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_the_alert_once_it_is_back() {
    // Answering 503 at first: retried (the backoff set to nothing), delivered once.
    let app = spawn_settings(quick_retries(|_| {}).await).await;
    let (router, got) = receiver(1);
    let base = serve_on_loopback(router).await;
    register_webhook(&app, &format!("{base}/hook"), json!(["comment.held"])).await;
    // And one that never comes back: a dead letter after `max_attempts`, listed.
    let (failing, failing_got) = receiver(usize::MAX);
    let failing = serve_on_loopback(failing).await;
    register_webhook(&app, &format!("{failing}/hook"), json!(["comment.held"])).await;
    pre_moderation(&app).await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/down", "Down").await;
    held_reply(&app, &fake, 1, &article).await;
    send_alerts(&app).await;
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "a 503, then the retry");
    assert_eq!(
        received[0].1, received[1].1,
        "the same body, the same signature"
    );
    verified(&received[1].0, &received[1].1, "comment.held");
    assert_eq!(failing_got.lock().unwrap().len(), 3);
    let dead = app
        .admin_get("/api/v1/admin/alerts/deliveries?status=dead")
        .await;
    assert_eq!(dead.as_array().unwrap().len(), 1);
    assert_eq!(dead[0]["target"], format!("{failing}/hook"));
    assert_eq!(dead[0]["attempts"], 3);
    let delivered = app
        .admin_get("/api/v1/admin/alerts/deliveries?status=delivered")
        .await;
    assert_eq!(delivered.as_array().unwrap().len(), 1);

    // A port where nothing listens: kept, with its error, until the receiver is up
    // on that port (the clock moved past the backoff), then delivered.
    let app = spawn_settings(settings_with(|s| s.alerts.first_retry_ms = 60_000).await).await;
    let port = free_port();
    register_webhook(
        &app,
        &format!("http://127.0.0.1:{port}/hook"),
        json!(["comment.held"]),
    )
    .await;
    pre_moderation(&app).await;
    let article = app.add_article("/2026/closed", "Closed").await;
    held_reply(&app, &fake, 2, &article).await;
    send_alerts(&app).await;
    let pending = app
        .admin_get("/api/v1/admin/alerts/deliveries?status=pending")
        .await;
    assert_eq!(pending[0]["attempts"], 1);
    assert!(pending[0]["last_error"]
        .as_str()
        .unwrap()
        .contains("network"));
    let (router, got) = receiver(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    send_alerts(&app).await;
    assert!(
        got.lock().unwrap().is_empty(),
        "not before its retry is due"
    );
    make_due(&app).await;
    send_alerts(&app).await;
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    verified(&received[0].0, &received[0].1, "comment.held");
}

/// A staff member with `role`, an address, and these choices; their token.
async fn member(app: &TestApp, username: &str, role: &str, choices: Value) -> String {
    let (status, body) = app
        .admin_post(
            "/api/v1/admin/staff",
            json!({"username": username, "password": PASSWORD, "role": role,
                   "email": format!("{username}@newsroom.example")}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let token: Value = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_string();
    let set = app
        .client
        .put(app.url("/api/v1/admin/me/alerts"))
        .bearer_auth(&token)
        .json(&json!({"events": choices}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let mine: Value = set.json().await.unwrap();
    assert_eq!(mine["email"], format!("{username}@newsroom.example"));
    token
}

/// aiosmtpd on `port`, delivering into a Maildir; killed when dropped.
struct Smtp {
    child: std::process::Child,
    dir: std::path::PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Smtp {
    async fn start(port: u16, dir: &std::path::Path) -> Smtp {
        Smtp::start_with(port, dir, &[]).await
    }

    /// With aiosmtpd's own TLS options (`--tlscert`/`--tlskey` for STARTTLS,
    /// `--smtpscert`/`--smtpskey` for implicit TLS).
    async fn start_with(port: u16, dir: &std::path::Path, tls: &[&str]) -> Smtp {
        let child = std::process::Command::new(python_bin("aiosmtpd"))
            .args(["-n", "-l", &format!("127.0.0.1:{port}")])
            .args(tls)
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let smtp = Smtp {
            child,
            dir: dir.to_path_buf(),
        };
        eventually("aiosmtpd listening", || async {
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .ok()
        })
        .await;
        smtp
    }

    /// Messages received, as `(recipient, decoded text)`.
    fn messages(&self) -> Vec<(String, String)> {
        let Ok(entries) = std::fs::read_dir(self.dir.join("new")) else {
            return Vec::new();
        };
        let mut all: Vec<(String, String)> = entries
            .map(|e| {
                let raw = std::fs::read_to_string(e.unwrap().path()).unwrap();
                let to = raw
                    .lines()
                    .find_map(|l| l.strip_prefix("X-RcptTo: "))
                    .unwrap_or_default()
                    .to_string();
                (to, decode(&raw))
            })
            .collect();
        all.sort();
        all
    }

    fn to(&self, address: &str) -> Vec<String> {
        self.messages()
            .into_iter()
            .filter(|(to, _)| to == address)
            .map(|(_, text)| text)
            .collect()
    }
}

/// A message's headers and quoted-printable body as text (subjects as lettre encodes
/// non-ASCII: RFC 2047 words, decoded here for the test's reading).
fn decode(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n").replace("=\n", "");
    let mut bytes = Vec::new();
    let mut it = raw.bytes().peekable();
    while let Some(b) = it.next() {
        if b == b'=' {
            let hex: Vec<u8> = it.by_ref().take(2).collect();
            match u8::from_str_radix(std::str::from_utf8(&hex).unwrap_or("zz"), 16) {
                Ok(v) => bytes.push(v),
                Err(_) => {
                    bytes.push(b'=');
                    bytes.extend(hex);
                }
            }
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn smtp_settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        tls: "none".into(),
        username: None,
        password: None,
        from: "Tribune <alerts@news.example>".into(),
        timeout_secs: 5,
        ca_file: None,
    }
}

/// A private CA and a certificate it signed for 127.0.0.1, made with openssl as a
/// newsroom would for its internal relay: `(ca.pem, cert.pem, key.pem)`.
fn private_ca(dir: &std::path::Path) -> [std::path::PathBuf; 3] {
    std::fs::create_dir_all(dir).unwrap();
    let openssl = |args: &[&str]| {
        let status = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("openssl");
        assert!(status.success(), "openssl {args:?}");
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Newsroom CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "key.pem",
        "-out",
        "relay.csr",
    ]);
    std::fs::write(
        dir.join("relay.ext"),
        "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "relay.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "relay.ext",
        "-out",
        "cert.pem",
    ]);
    ["ca.pem", "cert.pem", "key.pem"].map(|f| dir.join(f))
}

#[tokio::test]
async fn alerts_go_over_starttls_and_implicit_tls_checked_against_a_private_ca() {
    let certs = tempfile_dir("smtp-ca");
    let [ca, cert, key] = private_ca(&certs);
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    for (mode, flags) in [
        ("starttls", ["--tlscert", cert, "--tlskey", key]),
        ("tls", ["--smtpscert", cert, "--smtpskey", key]),
    ] {
        let dir = tempfile_dir(&format!("smtp-{mode}"));
        let port = free_port();
        let smtp = Smtp::start_with(port, &dir, &flags).await;
        let settings = |ca_file: Option<std::path::PathBuf>| {
            quick_retries(move |s| {
                s.smtp = Some(SmtpSettings {
                    tls: mode.into(),
                    ca_file,
                    ..smtp_settings(port)
                })
            })
        };
        // Without the newsroom's CA the relay's certificate is not trusted: nothing sent.
        let untrusting = spawn_settings(settings(None).await).await;
        member(
            &untrusting,
            "nina",
            "moderator",
            json!({"comment.held": "immediate"}),
        )
        .await;
        pre_moderation(&untrusting).await;
        let fake = FakeServer::start().await;
        let article = untrusting.add_article("/2026/tls", "TLS").await;
        held_reply(&untrusting, &fake, 1, &article).await;
        send_alerts(&untrusting).await;
        assert!(
            smtp.messages().is_empty(),
            "{mode}: an unknown CA is refused"
        );
        let mut kept = String::new();
        for status in ["pending", "failed", "dead"] {
            let path = format!("/api/v1/admin/alerts/deliveries?status={status}");
            kept += &untrusting.admin_get(&path).await.to_string();
        }
        assert!(
            kept.contains("email"),
            "{mode}: kept with its error: {kept}"
        );
        assert!(
            kept.contains("UnknownIssuer"),
            "{mode}: the certificate refused: {kept}"
        );

        // With it, the alert goes through encrypted.
        let app = spawn_settings(settings(Some(ca.clone())).await).await;
        member(
            &app,
            "tess",
            "moderator",
            json!({"comment.held": "immediate"}),
        )
        .await;
        pre_moderation(&app).await;
        let article = app.add_article("/2026/tls", "TLS").await;
        held_reply(&app, &fake, 2, &article).await;
        send_alerts(&app).await;
        assert_eq!(
            smtp.to("tess@newsroom.example").len(),
            1,
            "{mode}: sent over TLS"
        );
    }
    std::fs::remove_dir_all(certs).ok();
}

#[tokio::test]
async fn staff_get_the_immediate_alert_and_the_digest_by_email_as_they_chose() {
    let dir = tempfile_dir("smtp");
    let port = free_port();
    let smtp = Smtp::start(port, &dir).await;
    let app = spawn_settings(quick_retries(|s| s.smtp = Some(smtp_settings(port))).await).await;
    member(
        &app,
        "alice",
        "moderator",
        json!({"comment.held": "immediate"}),
    )
    .await;
    member(
        &app,
        "bob",
        "moderator",
        json!({"comment.held": "digest", "comment.reported": "digest"}),
    )
    .await;
    member(&app, "carol", "moderator", json!({"comment.held": "off"})).await;
    pre_moderation(&app).await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/mail", "Le courrier").await;
    let id = held_reply(&app, &fake, 1, &article).await;
    send_alerts(&app).await;
    let link = app.url(&format!("/admin/comments/{id}"));

    let alice = smtp.to("alice@newsroom.example");
    assert_eq!(alice.len(), 1, "{:?}", smtp.messages());
    // The site's language (French) for a member who chose none; plain text.
    assert!(alice[0].contains("Content-Type: text/plain"));
    assert!(
        alice[0].contains("Un commentaire attend la mod"),
        "{}",
        alice[0]
    );
    assert!(
        alice[0].contains(&format!("Dans la console : {link}")),
        "{}",
        alice[0]
    );
    assert!(alice[0].contains("Extrait : Held back & waiting"));
    assert!(!alice[0].contains("<b>"), "no comment HTML");
    assert!(
        smtp.to("bob@newsroom.example").is_empty(),
        "bob waits for his digest"
    );

    assert_eq!(
        tribune::services::alerts::digest::send_digests(&app.state)
            .await
            .unwrap(),
        1,
        "one digest: bob's"
    );
    send_alerts(&app).await;
    let bob = smtp.to("bob@newsroom.example");
    assert_eq!(bob.len(), 1);
    assert!(bob[0].contains("capitulatif Tribune"), "{}", bob[0]);
    assert!(bob[0].contains(&link));
    // Nothing new: no second digest.
    assert_eq!(
        tribune::services::alerts::digest::send_digests(&app.state)
            .await
            .unwrap(),
        0
    );
    assert!(
        smtp.to("carol@newsroom.example").is_empty(),
        "carol opted out"
    );
    assert_eq!(smtp.messages().len(), 2);
}

#[tokio::test]
async fn an_email_waits_for_the_smtp_server_to_be_back() {
    let dir = tempfile_dir("smtp-down");
    let port = free_port();
    let app = spawn_settings(
        settings_with(|s| {
            s.alerts.first_retry_ms = 60_000;
            s.smtp = Some(smtp_settings(port));
        })
        .await,
    )
    .await;
    member(
        &app,
        "dana",
        "moderator",
        json!({"comment.held": "immediate"}),
    )
    .await;
    pre_moderation(&app).await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/smtp-down", "Down").await;
    held_reply(&app, &fake, 1, &article).await;
    send_alerts(&app).await;
    let pending = app
        .admin_get("/api/v1/admin/alerts/deliveries?status=pending")
        .await;
    assert_eq!(pending[0]["channel"], "email");
    assert_eq!(pending[0]["attempts"], 1);
    let smtp = Smtp::start(port, &dir).await;
    make_due(&app).await;
    send_alerts(&app).await;
    assert_eq!(smtp.to("dana@newsroom.example").len(), 1);
    send_alerts(&app).await;
    assert_eq!(smtp.messages().len(), 1, "sent once");
}

/// A Maildir path of its own (not made: Python's `mailbox.Maildir` makes it, with its
/// `tmp`, `new` and `cur`, only where nothing is).
fn tempfile_dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tribune-{name}-{}", uuid::Uuid::new_v4()))
}

async fn post_webhook(app: &TestApp, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = app
        .client
        .post(app.url("/api/v1/admin/webhooks"))
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_webhook_api_refuses_bad_input_and_non_admins() {
    let app = spawn_app().await;
    let good =
        json!({"url": "https://hooks.example/t", "secret": SECRET, "events": ["comment.held"]});
    let (status, created) = post_webhook(&app, Some(ADMIN_TOKEN), good.clone()).await;
    assert_eq!(status, 201);
    assert_eq!(created["site"], Value::Null, "every site");
    assert!(created.get("secret").is_none());
    for (change, field) in [
        (json!({"url": "ftp://hooks.example/t"}), "url"),
        (json!({"url": "not a url"}), "url"),
        (
            json!({"events": ["comment.held", "comment.deleted"]}),
            "events",
        ),
        (json!({"events": []}), "events"),
        (json!({"site": "nowhere"}), "site"),
        (json!({"secret": "short"}), "secret"),
    ] {
        let mut body = good.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, answer) = post_webhook(&app, Some(ADMIN_TOKEN), body).await;
        assert_eq!(status, 422, "{change}: {answer}");
        assert_eq!(answer["field"], field, "{change}: {answer}");
    }
    let mut no_secret = good.clone();
    no_secret.as_object_mut().unwrap().remove("secret");
    let (status, answer) = post_webhook(&app, Some(ADMIN_TOKEN), no_secret).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["field"], "secret");

    // Not signed in: 401; a moderator: 403, for each route.
    assert_eq!(post_webhook(&app, None, good.clone()).await.0, 401);
    let moderator = member(&app, "mod", "moderator", json!({})).await;
    assert_eq!(
        post_webhook(&app, Some(&moderator), good.clone()).await.0,
        403
    );
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/admin/webhooks".to_string()),
        (
            reqwest::Method::DELETE,
            format!("/api/v1/admin/webhooks/{}", created["id"]),
        ),
        (
            reqwest::Method::GET,
            "/api/v1/admin/alerts/deliveries".to_string(),
        ),
    ] {
        let answer = app
            .client
            .request(method.clone(), app.url(&path))
            .bearer_auth(&moderator)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 403, "{method} {path}");
        let anonymous = app
            .client
            .request(method, app.url(&path))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401);
    }

    // One's own alerts: checked, and not the bootstrap token's.
    for (body, field) in [
        (
            json!({"events": {"comment.held": "hourly"}}),
            "events.comment.held",
        ),
        (json!({"events": {"comment.nope": "off"}}), "events"),
        (json!({"email": "not an address"}), "email"),
    ] {
        let answer = app
            .client
            .put(app.url("/api/v1/admin/me/alerts"))
            .bearer_auth(&moderator)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 422, "{body}");
        let answer: Value = answer.json().await.unwrap();
        assert_eq!(answer["field"], field);
    }
    let bootstrap = app
        .client
        .get(app.url("/api/v1/admin/me/alerts"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(bootstrap.status(), 403);
}

#[tokio::test]
async fn production_settings_refuse_a_webhook_to_a_private_address() {
    let app =
        spawn_settings(settings_with(|s| s.federation.allow_private_networks = false).await).await;
    for url in [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://localhost/hook",
        "http://hooks.example/hook",
    ] {
        let (status, answer) = post_webhook(
            &app,
            Some(ADMIN_TOKEN),
            json!({"url": url, "secret": SECRET, "events": ["comment.held"]}),
        )
        .await;
        assert_eq!(status, 422, "{url}: {answer}");
        assert_eq!(answer["field"], "url");
    }
    let (status, _) = post_webhook(
        &app,
        Some(ADMIN_TOKEN),
        json!({"url": "https://hooks.example/hook", "secret": SECRET, "events": ["comment.held"]}),
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn an_illegal_content_report_is_a_notice_and_dead_letters_piling_up_raise_one_alert() {
    let app = spawn_settings(
        quick_retries(|s| {
            s.alerts.dead_letters_threshold = 2;
            s.alerts.dead_letters_period_secs = 3_600;
        })
        .await,
    )
    .await;
    let (router, got) = receiver(0);
    let base = serve_on_loopback(router).await;
    let (status, _) = app
        .admin_post(
            "/api/v1/admin/webhooks",
            json!({"url": format!("{base}/hook"), "secret": SECRET,
                   "events": ["notice.received", "deliveries.dead"]}),
        )
        .await;
    assert_eq!(status, 201);
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/notice", "Notice").await;
    let author = fake.actor("n", 0);
    author
        .send(&app, &reply(&author, 1, &article, "<p>hello</p>"))
        .await;
    app.drain().await;
    let id = app.thread(article["url"].as_str().unwrap()).await["comments"][0]["id"].clone();
    let report = |reason: &'static str| {
        app.client
            .post(app.url("/api/v1/reports"))
            .json(&json!({"comment": id, "reason": reason}))
            .send()
    };
    assert_eq!(report("off_topic").await.unwrap().status(), 202);
    assert_eq!(report("illegal").await.unwrap().status(), 202);
    send_alerts(&app).await;
    let received = got.lock().unwrap().clone();
    assert_eq!(
        received.len(),
        1,
        "only the illegal-content report is a notice"
    );
    let notice = verified(&received[0].0, &received[0].1, "notice.received");
    assert_eq!(notice["item"]["reason"], "illegal");
    assert_eq!(notice["item"]["comment_id"], id);

    // Dead letters of the federation outbox: one is not yet a pile, two are; a third
    // within the period raises nothing more.
    use sea_orm::ConnectionTrait;
    let dead = |n: i64| {
        let db = app.state.db.clone();
        async move {
            db.execute_unprepared(&format!(
                "INSERT INTO outbox_activities (activity_id, signer_key, signer_key_id, raw, created_at) \
                 VALUES ('https://x.example/a/{n}', 'site:demo', 'k', '{{}}', 0)"
            ))
            .await
            .unwrap();
            db.execute_unprepared(&format!(
                "INSERT INTO deliveries (outbox_id, inbox, status, attempts, next_attempt_at, created_at) \
                 SELECT id, 'https://gone.example/inbox', 'dead', 9, 0, 0 FROM outbox_activities \
                 WHERE activity_id = 'https://x.example/a/{n}'"
            ))
            .await
            .unwrap();
        }
    };
    let check = || tribune::services::alerts::digest::check_dead_letters(&app.state);
    dead(1).await;
    assert!(!check().await.unwrap());
    dead(2).await;
    assert!(check().await.unwrap());
    dead(3).await;
    dead(4).await;
    assert!(!check().await.unwrap(), "at most once per period");
    send_alerts(&app).await;
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    let piling = verified(&received[1].0, &received[1].1, "deliveries.dead");
    assert_eq!(piling["item"]["count"], 2);
    assert_eq!(piling["site"], Value::Null);
    assert_eq!(piling["item"]["console_url"], app.url("/admin"));
}

#[tokio::test]
async fn a_member_chooses_their_alerts_on_the_consoles_alerts_page() {
    let app = spawn_app().await;
    let token = member(&app, "erin", "moderator", json!({})).await;
    let signed_in = app
        .client
        .post(app.url("/admin/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "username=erin&password={}",
            PASSWORD.replace(' ', "+")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
    let session = cookie.split(';').next().unwrap().to_string();
    let page = app
        .client
        .get(app.url("/admin/alerts"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("erin@newsroom.example"), "{page}");
    assert!(page.contains("name=\"comment.held\""));
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let form = |csrf: &str| {
        format!("csrf={csrf}&email=erin%40desk.example&comment.held=digest&comment.reported=immediate&notice.received=off&deliveries.dead=off")
    };
    let forged = app
        .client
        .post(app.url("/admin/alerts"))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let saved = app
        .client
        .post(app.url("/admin/alerts"))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let mine: Value = app
        .client
        .get(app.url("/api/v1/admin/me/alerts"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["email"], "erin@desk.example");
    assert_eq!(mine["events"]["comment.held"], "digest");
    assert_eq!(mine["events"]["comment.reported"], "immediate");
}

#[tokio::test]
async fn the_command_line_sets_a_members_address() {
    let db = std::env::temp_dir().join(format!("tribune-cli-alerts-{}.db", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let run = |args: &[&str]| {
        tribune_command()
            .env("TRIBUNE_DATABASE__URL", &url)
            .env("TRIBUNE_STAFF_PASSWORD", PASSWORD)
            .args(args)
            .output()
            .unwrap()
    };
    let added = run(&[
        "staff",
        "add",
        "--username",
        "lea",
        "--role",
        "moderator",
        "--email",
        "lea@desk.example",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let bad = run(&["staff", "email", "lea", "not an address"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("email"));
    let set = run(&["staff", "email", "lea", "lea@news.example"]);
    assert!(String::from_utf8_lossy(&set.stdout).contains("lea@news.example"));
    let mut settings = settings_with(|_| {}).await;
    settings.database.url = url.clone();
    let app = spawn_settings(settings).await;
    let lea = app.admin_get("/api/v1/admin/staff").await;
    assert_eq!(lea[0]["username"], "lea");
    let token: Value = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "lea", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mine: Value = app
        .client
        .get(app.url("/api/v1/admin/me/alerts"))
        .bearer_auth(token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["email"], "lea@news.example");
    assert_eq!(
        mine["events"]["comment.held"], "off",
        "nothing until chosen"
    );
}

#[tokio::test]
async fn many_reports_of_one_comment_alert_once_and_a_replayed_flag_changes_nothing() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use tribune::storage::entities::{alert_event, comment_report};
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let author = fake.actor("many", 0);
    let server = fake.actor("instance", 1);
    let article = app.add_article("/2026/many-reports", "Many").await;
    let create = reply(&author, 1, &article, "<p>hello</p>");
    author.send(&app, &create).await;
    app.drain().await;
    let id = app.thread(article["url"].as_str().unwrap()).await["comments"][0]["id"].clone();
    for reason in ["off_topic", "abusive", "promotional"] {
        let response = app
            .client
            .post(app.url("/api/v1/reports"))
            .json(&json!({"comment": id, "reason": reason}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
    }
    let flag = json!({"id": format!("{}#flags/1", server.id), "type": "Flag", "actor": server.id,
                      "content": "spam", "object": [author.id, create["object"]["id"]]});
    for _ in 0..2 {
        assert_eq!(server.send(&app, &flag).await, 202);
        app.drain().await;
    }
    let reported = alert_event::Entity::find()
        .filter(alert_event::Column::Event.eq("comment.reported"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        reported, 1,
        "one alert while the comment's reports are open"
    );
    let reports = comment_report::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(reports, 4, "three readers and one Flag, its replay ignored");
}

#[tokio::test]
async fn a_webhook_declared_in_the_configuration_gets_its_events_signed() {
    let (router, got) = receiver(0);
    let base = serve_on_loopback(router).await;
    let url = format!("{base}/hook");
    let app = spawn_settings(
        quick_retries(|s| {
            s.webhooks.push(tribune::config::WebhookSettings {
                url: url.parse().unwrap(),
                secret: SECRET.into(),
                events: vec!["comment.held".into()],
                site: Some("demo".into()),
            })
        })
        .await,
    )
    .await;
    let listed = app.admin_get("/api/v1/admin/webhooks").await;
    assert_eq!(listed[0]["url"], url);
    assert_eq!(listed[0]["id"], 0, "the configuration's, not the API's");
    assert!(!listed.to_string().contains(SECRET));
    pre_moderation(&app).await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/config-hook", "Config").await;
    let id = held_reply(&app, &fake, 1, &article).await;
    send_alerts(&app).await;
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let held = verified(&received[0].0, &received[0].1, "comment.held");
    assert_eq!(held["item"]["comment_id"], id);
}
