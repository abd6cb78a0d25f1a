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

/// Serves blocklists on loopback: `/a.csv`, `/b.csv`, `/c.txt`, counting conditional hits.
async fn list_server(
    lists: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
) -> String {
    use axum::{extract::Path, http::HeaderMap, response::IntoResponse, routing::get, Router};
    let app = Router::new().route(
        "/{name}",
        get(move |Path(name): Path<String>, headers: HeaderMap| {
            let lists = lists.clone();
            async move {
                let body = lists.lock().unwrap().get(&name).cloned();
                let Some(body) = body else {
                    return axum::http::StatusCode::NOT_FOUND.into_response();
                };
                let etag = format!("\"{}\"", tribune::blocklists::digest(&body));
                if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(etag.as_str())
                {
                    return axum::http::StatusCode::NOT_MODIFIED.into_response();
                }
                ([("etag", etag)], body).into_response()
            }
        }),
    );
    serve_on_loopback(app).await
}

#[tokio::test]
async fn three_sources_with_a_threshold_of_two_apply_only_what_two_agree_on() {
    let app = spawn_app_with(Options {
        consensus_sources: 2,
        ..Options::default()
    })
    .await;
    let lists = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::from([
        ("a.csv".to_string(), "#domain,#severity\nboth.example,suspend\nonly-a.example,suspend\nthree.example,silence\nmine.example,suspend\n".to_string()),
        ("b.csv".to_string(), "domain,severity\nboth.example,silence\nthree.example,silence\nkept.example,suspend\n".to_string()),
        ("c.txt".to_string(), "three.example\nonly-c.example\nkept.example\nskip.example\n".to_string()),
    ])));
    let base = list_server(lists.clone()).await;
    // A policy set by hand always wins: mine.example is allowed here.
    app.client
        .post(app.url("/api/v1/admin/domain-policies"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"domain": "mine.example", "severity": "noop"}))
        .send()
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (name, extra) in [
        ("a.csv", json!({})),
        ("b.csv", json!({})),
        (
            "c.txt",
            json!({"excludes": ["skip.example"], "retraction": "keep"}),
        ),
    ] {
        let mut body = json!({"url": format!("{base}/{name}")});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let created = app
            .client
            .post(app.url("/api/v1/admin/blocklist-subscriptions"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        ids.push(
            created.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    for id in &ids {
        let refreshed = app
            .client
            .post(app.url(&format!(
                "/api/v1/admin/blocklist-subscriptions/{id}/refresh"
            )))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(refreshed.status(), 200);
    }
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
    let by_domain: std::collections::HashMap<&str, &Value> = policies
        .iter()
        .map(|p| (p["domain"].as_str().unwrap(), p))
        .collect();
    assert_eq!(
        by_domain["both.example"]["severity"], "suspend",
        "listed twice: the most severe wins"
    );
    assert_eq!(
        by_domain["three.example"]["severity"], "suspend",
        "c.txt's plain list means suspend"
    );
    assert_eq!(by_domain["kept.example"]["severity"], "suspend");
    assert_eq!(
        by_domain["mine.example"]["severity"], "noop",
        "the local allowlist wins"
    );
    assert!(
        !by_domain.contains_key("only-a.example") && !by_domain.contains_key("only-c.example"),
        "listed once: not applied"
    );
    assert!(!by_domain.contains_key("skip.example"));
    assert!(by_domain["both.example"]["source"]
        .as_str()
        .unwrap()
        .starts_with("subscription:"));

    // Nothing changes: a refresh is a 304 and the preview is empty.
    let preview: Vec<Value> = app
        .client
        .get(app.url("/api/v1/admin/blocklist-subscriptions/preview"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(preview, Vec::<Value>::new());
    // b drops both.example and kept.example: both fall under the threshold. a and b,
    // which listed both.example, say remove; c, which lists kept.example, says keep.
    lists.lock().unwrap().insert(
        "b.csv".into(),
        "domain,severity\nthree.example,silence\n".into(),
    );
    let changes: Vec<Value> = app
        .client
        .post(app.url(&format!(
            "/api/v1/admin/blocklist-subscriptions/{}/refresh",
            ids[1]
        )))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let action = |d: &str| {
        changes
            .iter()
            .find(|c| c["domain"] == d)
            .map(|c| c["action"].as_str().unwrap().to_string())
    };
    assert_eq!(action("both.example").as_deref(), Some("remove"));
    assert_eq!(action("kept.example").as_deref(), Some("unmanage"));
    let published: Vec<Value> = app
        .client
        .get(app.url("/api/v1/instance/domain_blocks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!published.iter().any(|p| p["domain"] == "both.example"));
    assert!(published.iter().any(|p| p["domain"] == "kept.example"));
}

#[tokio::test]
async fn a_draft_source_waits_for_review_and_applies_once_approved() {
    let app = spawn_app().await;
    let lists = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::from([(
        "draft.txt".to_string(),
        "drafted.example\n".to_string(),
    )])));
    let base = list_server(lists).await;
    let created: Value = app
        .client
        .post(app.url("/api/v1/admin/blocklist-subscriptions"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"url": format!("{base}/draft.txt"), "auto_apply": false}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let refreshed: Vec<Value> = app
        .client
        .post(app.url(&format!(
            "/api/v1/admin/blocklist-subscriptions/{id}/refresh"
        )))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(refreshed.is_empty(), "a draft changes nothing");
    let review: Vec<Value> = app
        .client
        .get(app.url(&format!(
            "/api/v1/admin/blocklist-subscriptions/{id}/review"
        )))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(review[0]["domain"], "drafted.example");
    assert_eq!(review[0]["action"], "add");
    let approved: Vec<Value> = app
        .client
        .post(app.url(&format!(
            "/api/v1/admin/blocklist-subscriptions/{id}/approve"
        )))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(approved.len(), 1);
    let published: Vec<Value> = app
        .client
        .get(app.url("/api/v1/instance/domain_blocks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(published.iter().any(|p| p["domain"] == "drafted.example"));
}
