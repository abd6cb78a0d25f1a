//! Operators' mistakes fail loudly and lose nothing: a database that stops taking
//! writes answers 503 (the sender retries) and is not ready; unknown configuration keys
//! are refused; work a killed process held resumes within seconds of a restart, while
//! a live worker keeps its long deliveries; subscribed lists' hidden domains stay
//! hidden when we republish them.

use crate::helpers::*;
use axum::{body::Bytes, extract::State, http::StatusCode, routing::post, Router};
use serde_json::{json, Value};
use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

/// The PostgreSQL server the tests run on, if any.
fn postgres_server() -> Option<String> {
    std::env::var("TRIBUNE_TEST_DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"))
}

/// Makes the test database read-only for every new session (a failed-over replica, a
/// full disk as PostgreSQL sees it) and ends the current ones, so the server's pool
/// reconnects read-only.
async fn postgres_read_only(server: &str, database_url: &str) {
    use sea_orm::ConnectionTrait;
    let name = database_url.rsplit('/').next().unwrap();
    let admin = sea_orm::Database::connect(format!("{}/postgres", server.trim_end_matches('/')))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE {name} SET default_transaction_read_only = on"
        ))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ))
        .await
        .unwrap();
    admin.close().await.ok();
}

/// A server (workers on) whose database has stopped taking writes, and an actor whose
/// key it had cached before. SQLite: the file reopened with `mode=ro` (root ignores
/// permission bits, so a chmod would prove nothing); PostgreSQL: the database turned
/// read-only under the running server.
async fn read_only_server(fake: &FakeServer) -> (TestApp, TestActor, String) {
    let mut settings = test_settings(&Options {
        workers: true,
        ..Options::default()
    })
    .await;
    let known = fake.actor("known", 0);
    let first = spawn_settings(settings.clone()).await;
    let article = first.add_article("/2026/read-only", "Read-only").await;
    let ap_id = article["ap_id"].as_str().unwrap().to_string();
    assert_eq!(
        known
            .send(&first, &mastodon_create(&known, 1, &ap_id))
            .await,
        202
    );
    match postgres_server() {
        Some(server) => {
            postgres_read_only(&server, &settings.database.url).await;
            (first, known, ap_id)
        }
        None => {
            first.shut_down().await;
            settings.database.url = settings.database.url.replace("mode=rwc", "mode=ro");
            (spawn_settings(settings).await, known, ap_id)
        }
    }
}

/// POSTs a signed reply; the status and its `Retry-After`.
async fn post_reply(app: &TestApp, actor: &TestActor, n: u32, ap_id: &str) -> (u16, Option<u64>) {
    let body = serde_json::to_vec(&mastodon_create(actor, n, ap_id)).unwrap();
    let response = actor
        .signed_post(&app.client, &app.url("/inbox"), &body, &Spoil::default())
        .send()
        .await
        .unwrap();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (response.status().as_u16(), retry_after)
}

#[tokio::test]
async fn a_database_that_takes_no_writes_answers_signed_replies_503_with_retry_after_and_is_not_ready(
) {
    let fake = FakeServer::start().await;
    let (app, known, ap_id) = read_only_server(&fake).await;

    // The known signer: its key is cached, storing the activity fails.
    let mut n = 100;
    eventually("the inbox to answer 503", || {
        n += 1;
        let (app, known, ap_id) = (&app, &known, &ap_id);
        async move {
            let (status, retry_after) = post_reply(app, known, n, ap_id).await;
            assert!(
                status == 202 || status == 503,
                "a storage failure is never {status}"
            );
            (status == 503).then(|| assert!(retry_after.is_some_and(|s| s >= 1)))
        }
    })
    .await;
    // A signer never seen: getting its key means storing it, which fails. Before, this
    // answered 401 ("cannot get the signer's key: database…"), which Mastodon takes as
    // final: the reply was lost.
    let stranger = fake.actor("stranger", 1);
    let (status, retry_after) = post_reply(&app, &stranger, 1, &ap_id).await;
    assert_eq!(status, 503);
    assert!(retry_after.is_some_and(|s| s >= 1));

    eventually("readyz to answer 503", || async {
        let response = app.client.get(app.url("/readyz")).send().await.ok()?;
        (response.status() == 503).then_some(())
    })
    .await;
    // Reads still work: the public API is not what fails.
    let (status, _) = app.get_json("/healthz").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn check_config_exits_non_zero_when_the_database_takes_no_writes() {
    let database = fresh_database_url().await;
    let run = |url: &str, args: &[&str]| {
        tribune_command()
            .env("TRIBUNE_DATABASE__URL", url)
            .args(args)
            .output()
            .unwrap()
    };
    let migrated = run(&database, &["migrate"]);
    assert!(migrated.status.success(), "{migrated:?}");
    let writable = run(&database, &["serve", "--check-config"]);
    assert!(writable.status.success(), "{writable:?}");

    let read_only = match postgres_server() {
        Some(server) => {
            postgres_read_only(&server, &database).await;
            database.clone()
        }
        None => database.replace("mode=rwc", "mode=ro"),
    };
    let checked = run(&read_only, &["serve", "--check-config"]);
    assert!(!checked.status.success(), "a read-only database passed");
    let stderr = String::from_utf8_lossy(&checked.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(!String::from_utf8_lossy(&checked.stdout).contains("ok"));
}

/// `serve --check-config` with a writable database of its own and these variables.
fn check_config(env: &[(&str, &str)]) -> std::process::Output {
    let db = std::env::temp_dir().join(format!("tribune-config-{}.db", uuid::Uuid::new_v4()));
    tribune_command()
        .env(
            "TRIBUNE_DATABASE__URL",
            format!("sqlite://{}?mode=rwc", db.display()),
        )
        .envs(env.iter().copied())
        .args(["serve", "--check-config"])
        .output()
        .unwrap()
}

fn the_error_line(output: &std::process::Output) -> String {
    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    errors[0].to_string()
}

#[test]
fn a_misspelt_key_in_a_config_file_exits_non_zero_naming_it() {
    let file = std::env::temp_dir().join(format!("tribune-{}.toml", uuid::Uuid::new_v4()));
    std::fs::write(
        &file,
        "[server]\npublik_url = \"https://comments.example.org\"\n",
    )
    .unwrap();
    let output = check_config(&[("TRIBUNE_CONFIG", file.to_str().unwrap())]);
    let line = the_error_line(&output);
    assert!(line.contains("publik_url"), "{line}");
}

#[test]
fn a_misspelt_key_in_the_environment_exits_non_zero_naming_it() {
    let output = check_config(&[("TRIBUNE_SERVER__PUBLIK_URL", "https://comments.example.org")]);
    let line = the_error_line(&output);
    assert!(line.contains("publik_url"), "{line}");
    // A misspelt section too.
    let output = check_config(&[("TRIBUNE_SERVR__LISTEN", "127.0.0.1:8080")]);
    let line = the_error_line(&output);
    assert!(line.contains("servr"), "{line}");
}

#[test]
fn the_shipped_configurations_load_with_our_other_variables_set() {
    // `TRIBUNE_` variables that are not settings must not trip the unknown-key check.
    let others = [
        ("TRIBUNE_LOG_FORMAT", "text"),
        ("TRIBUNE_STAFF_PASSWORD", "a long enough password"),
    ];
    let output = check_config(&others);
    assert!(output.status.success(), "config/default.toml: {output:?}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut shipped = vec![root.join("deploy/production.toml")];
    let example = root.join("config/production.example.toml");
    if example.exists() {
        shipped.push(example);
    }
    for file in shipped {
        // Their database is the operator's: a local file stands in for it.
        let mut env = others.to_vec();
        env.push(("TRIBUNE_CONFIG", file.to_str().unwrap()));
        let output = check_config(&env);
        assert!(output.status.success(), "{}: {output:?}", file.display());
    }
}

/// An inbox that holds every POST open while `hang` is set (a delivery in flight when
/// the server is killed) and notes each activity id it was sent.
async fn holding_inbox() -> (String, Arc<AtomicBool>, Arc<Mutex<Vec<String>>>) {
    #[derive(Clone)]
    struct Inbox {
        hang: Arc<AtomicBool>,
        seen: Arc<Mutex<Vec<String>>>,
    }
    let inbox = Inbox {
        hang: Arc::new(AtomicBool::new(true)),
        seen: Arc::default(),
    };
    let app = Router::new()
        .route(
            "/inbox",
            post(|State(inbox): State<Inbox>, body: Bytes| async move {
                let activity: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let id = activity["id"].as_str().unwrap_or("").to_string();
                inbox.seen.lock().unwrap().push(id);
                if inbox.hang.load(Ordering::SeqCst) {
                    std::future::pending::<()>().await;
                }
                StatusCode::ACCEPTED
            }),
        )
        .with_state(inbox.clone());
    let base = serve_on_loopback(app).await;
    (format!("{base}/inbox"), inbox.hang, inbox.seen)
}

/// The binary as `start_binary` runs it, but with the default lease (the crash tests
/// shorten it), since what is shown is what an operator gets.
fn start_with_default_lease(port: u16, database: &str) -> std::process::Child {
    serve_command(port, database)
        .env("TRIBUNE_ADMIN__TOKEN", ADMIN_TOKEN)
        .env("TRIBUNE_WORKERS__POLL_INTERVAL_MS", "50")
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap()
}

#[tokio::test]
async fn after_kill_9_a_restarted_server_finishes_the_work_it_had_claimed_within_10_s() {
    let (port, database, base, client) = binary_setup().await;
    let mut server = start_with_default_lease(port, &database);
    wait_ready(&client, &base).await;

    let (inbox, hang, seen) = holding_inbox().await;
    let fake = FakeServer::start().await;
    let follower = fake.actor_with_inbox("follower", 0, &inbox);
    let follow = json!({"id": format!("{}#follows/1", follower.id), "type": "Follow",
                        "actor": follower.id, "object": format!("{base}/sites/demo")});
    let body = serde_json::to_vec(&follow).unwrap();
    let sent = follower
        .signed_post(&client, &format!("{base}/inbox"), &body, &Spoil::default())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 202);
    // The Accept is claimed and in flight: the inbox holds it open.
    let accept = eventually("the Accept to be in flight", || async {
        seen.lock().unwrap().first().cloned()
    })
    .await;

    server.kill().unwrap();
    server.wait().unwrap();
    hang.store(false, Ordering::SeqCst);
    let restarted = Instant::now();
    let mut server = start_with_default_lease(port, &database);
    eventually("the restarted server to send the Accept again", || async {
        (seen
            .lock()
            .unwrap()
            .iter()
            .filter(|id| **id == accept)
            .count()
            >= 2)
            .then_some(())
    })
    .await;
    let took = restarted.elapsed();
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        took < Duration::from_secs(10),
        "resumed {took:?} after the restart"
    );
}

#[tokio::test]
async fn a_delivery_slower_than_the_lease_is_not_taken_over_while_its_worker_lives() {
    let (inbox, hang, seen) = holding_inbox().await;
    let mut settings = test_settings(&Options {
        workers: true,
        ..Options::default()
    })
    .await;
    settings.workers.lease_secs = 1;
    let app = spawn_settings(settings.clone()).await;
    let fake = FakeServer::start().await;
    let follower = fake.actor_with_inbox("slow", 0, &inbox);
    let follow = json!({"id": format!("{}#follows/1", follower.id), "type": "Follow",
                        "actor": follower.id, "object": app.url("/sites/demo")});
    assert_eq!(follower.send(&app, &follow).await, 202);
    let accept = eventually("the Accept to be in flight", || async {
        seen.lock().unwrap().first().cloned()
    })
    .await;
    // A second process shares the queue; the delivery is held open for several
    // leases: without renewal, that process would claim it and send a second copy.
    let other = spawn_settings(settings).await;
    let held = Instant::now();
    eventually("three leases to pass", || async {
        (held.elapsed() > Duration::from_millis(3_500)).then_some(())
    })
    .await;
    assert_eq!(seen.lock().unwrap().len(), 1, "{:?}", seen.lock().unwrap());
    hang.store(false, Ordering::SeqCst);
    assert!(seen.lock().unwrap().iter().all(|id| *id == accept));
    other.shut_down().await;
}

#[tokio::test]
async fn a_subscribed_lists_obfuscated_and_private_entries_stay_so_in_what_we_publish() {
    let app = spawn_app().await;
    let list = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate,#private_comment\n\
                hidden.example,suspend,false,false,harassment,true,reported by our members\n\
                open.example,silence,false,false,spam,false,\n";
    let lists = Arc::new(Mutex::new(std::collections::HashMap::from([(
        "list.csv".to_string(),
        list.to_string(),
    )])));
    let base = serve_lists(lists).await;
    let (status, created) = app
        .admin_post(
            "/api/v1/admin/blocklist-subscriptions",
            json!({"url": format!("{base}/list.csv")}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let refresh = format!(
        "/api/v1/admin/blocklist-subscriptions/{}/refresh",
        created["id"]
    );
    assert_eq!(app.admin_post(&refresh, json!({})).await.0, 200);

    // Applied: the domain is suspended here…
    let policies = app.admin_get("/api/v1/admin/domain-policies").await;
    let hidden = policies
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["domain"] == "hidden.example")
        .expect("the hidden domain applies");
    assert_eq!(hidden["severity"], "suspend");
    assert_eq!(hidden["obfuscate"], true, "{hidden}");
    assert_eq!(hidden["private_comment"], "reported by our members");

    // …and published only obfuscated, its private comment nowhere.
    let (status, blocks) = app.get_json("/api/v1/instance/domain_blocks").await;
    assert_eq!(status, 200);
    let (status, snapshot) = app.get_json("/fires/datasets/blocklist/snapshot").await;
    assert_eq!(status, 200);
    for (what, published) in [("domain_blocks", &blocks), ("FIRES snapshot", &snapshot)] {
        let text = published.to_string();
        assert!(!text.contains("hidden.example"), "{what} shows it: {text}");
        assert!(!text.contains("our members"), "{what}: {text}");
        assert!(text.contains("open.example"), "{what}: {text}");
    }
    let digest = tribune::blocklists::digest("hidden.example");
    assert!(blocks
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["digest"] == digest.as_str() && b["domain"].as_str().unwrap().contains('*')));
}

/// Serves blocklists by name.
async fn serve_lists(lists: Arc<Mutex<std::collections::HashMap<String, String>>>) -> String {
    use axum::{extract::Path, response::IntoResponse, routing::get};
    let app = Router::new().route(
        "/{name}",
        get(move |Path(name): Path<String>| {
            let lists = lists.clone();
            async move {
                match lists.lock().unwrap().get(&name).cloned() {
                    Some(body) => body.into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }
        }),
    );
    serve_on_loopback(app).await
}
