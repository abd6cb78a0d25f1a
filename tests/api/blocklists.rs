//! Blocklists: imports in the formats servers publish, their effects at once, and our
//! own list published as Mastodon does.

use crate::helpers::*;
use serde_json::{json, Value};

async fn import(app: &TestApp, body: &str, source: &str) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/admin/blocklist/import"))
        .query(&[("source", source)])
        .bearer_auth(ADMIN_TOKEN)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    response.json().await.unwrap()
}

fn sha256(text: &str) -> String {
    tribune::blocklists::digest(text)
}

#[tokio::test]
async fn an_obfuscated_mastodon_entry_matches_by_digest_hides_and_refuses_and_cancels_deliveries() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/blocklist", "Blocklist").await;
    let felix = fake.actor("felix", 0);
    felix
        .send(
            &app,
            &mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap()),
        )
        .await;
    let follow = json!({"id": format!("{}#follows/1", felix.id), "type": "Follow", "actor": felix.id, "object": app.url("/sites/demo")});
    felix.send(&app, &follow).await;
    app.drain().await;
    app.deliver().await;
    let before = fake.received().len();
    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        1
    );
    // A new article queues a Create for the follower, not yet delivered.
    app.add_article("/2026/next", "Next").await;

    // Mastodon's public list: the server is listed obfuscated, with its digest only.
    let list = json!([
        {"domain": "1*7.*.0.1", "digest": sha256("127.0.0.1"), "severity": "suspend", "comment": "Spam"},
        {"domain": "quiet.example", "digest": sha256("quiet.example"), "severity": "silence", "comment": ""}
    ]);
    let report = import(&app, &list.to_string(), "mastodon.example").await;
    assert_eq!(report["entries"], 2);
    assert_eq!(report["comments_hidden"], 1);
    assert_eq!(report["deliveries_cancelled"], 1);

    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        0
    );
    assert_eq!(
        felix
            .send(
                &app,
                &mastodon_create(&felix, 2, article["ap_id"].as_str().unwrap())
            )
            .await,
        403
    );
    app.deliver().await;
    assert_eq!(
        fake.received().len(),
        before,
        "the queued Create was cancelled"
    );
}

#[tokio::test]
async fn csv_imports_are_published_as_mastodon_does_and_a_removal_restores() {
    let app = spawn_app().await;
    let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
               spam.example,suspend,false,false,\"Spam, bots\",false\n\
               hidden.example,suspend,false,true,Harassment,true\n\
               meh.example,noop,true,false,,false\n";
    let report = import(&app, csv, "fediblockhole").await;
    assert_eq!(report["entries"], 3);
    let published: Vec<Value> = app
        .client
        .get(app.url("/api/v1/instance/domain_blocks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(published.len(), 2, "noop entries are not blocks");
    let spam = published
        .iter()
        .find(|e| e["domain"] == "spam.example")
        .unwrap();
    assert_eq!(spam["digest"], sha256("spam.example"));
    assert_eq!(spam["comment"], "Spam, bots");
    let hidden = published
        .iter()
        .find(|e| e["digest"] == sha256("hidden.example"))
        .unwrap();
    assert_eq!(
        hidden["domain"], "h*d*e*.example",
        "obfuscated as Mastodon does"
    );

    let policies: Vec<Value> = app
        .client
        .get(app.url("/api/v1/admin/domain-policies"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        policies.iter().all(|p| p["source"] == "fediblockhole"),
        "provenance is kept"
    );
    let removed = app
        .client
        .delete(app.url("/api/v1/admin/domain-policies/spam.example"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let bad = app
        .client
        .post(app.url("/api/v1/admin/blocklist/import"))
        .bearer_auth(ADMIN_TOKEN)
        .body("not a list!")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

#[test]
fn the_blocklist_commands_round_trip_a_list() {
    let db = std::env::temp_dir().join(format!("tribune-bl-{}.db", uuid::Uuid::new_v4()));
    let file = std::env::temp_dir().join(format!("tribune-bl-{}.csv", uuid::Uuid::new_v4()));
    let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\na.example,silence,true,false,\"x, y\",false\nb.example,suspend,false,true,,true\n";
    std::fs::write(&file, csv).unwrap();
    let run = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tribune"));
        command.current_dir(env!("CARGO_MANIFEST_DIR"));
        for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("TRIBUNE_")) {
            command.env_remove(key);
        }
        command
            .env(
                "TRIBUNE_DATABASE__URL",
                format!("sqlite://{}?mode=rwc", db.display()),
            )
            .args(args)
            .output()
            .unwrap()
    };
    let imported = run(&["blocklist", "import", file.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(String::from_utf8_lossy(&imported.stdout).starts_with("2 entries imported"));
    let exported = run(&["blocklist", "export"]);
    assert_eq!(
        String::from_utf8_lossy(&exported.stdout),
        csv,
        "export → import is lossless"
    );
}
