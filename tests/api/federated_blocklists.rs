//! Blocklists between servers: two Tribunes on loopback (one follows the other's
//! blocklist actor and gets each change pushed within seconds, and catches up after
//! being down), and FIRES datasets read (a FIRES server's camelCase feed) and served.

use crate::helpers::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn set_policy(app: &TestApp, domain: &str, severity: &str) {
    let (status, _) = app.admin_post("/api/v1/admin/domain-policies",
        json!({"domain": domain, "severity": severity, "public_comment": "Spam farm", "private_comment": "seen on 2026-11-28"}),
    )
    .await;
    assert_eq!(status, 200);
}

async fn remove_policy(app: &TestApp, domain: &str) {
    let response = app
        .client
        .delete(app.url(&format!("/api/v1/admin/domain-policies/{domain}")))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

fn suspended(app: &TestApp, host: &str) -> bool {
    app.state
        .moderation
        .domain_policy(host)
        .is_some_and(|p| p.severity == tribune::moderation::Severity::Suspend)
}

/// B subscribes to A's blocklist actor and A's admin approves B: returns the
/// subscription as B lists it once accepted.
async fn follow_blocklist(a: &TestApp, b: &TestApp) -> Value {
    let (status, created) = b
        .admin_post(
            "/api/v1/admin/blocklist-subscriptions",
            json!({"url": a.url("/blocklist"), "kind": "activitypub"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["follow_state"], "pending");
    let follower = eventually("A to see B's follow", || async {
        let list = a.admin_get("/api/v1/admin/blocklist-followers").await;
        list.as_array()
            .and_then(|l| l.first().cloned())
            .filter(|f| f["actor"] == b.url("/actor"))
    })
    .await;
    assert_eq!(follower["state"], "pending", "an admin decides");
    let (status, approved) = a
        .admin_post(
            &format!(
                "/api/v1/admin/blocklist-followers/{}/approve",
                follower["id"]
            ),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(approved["state"], "approved");
    eventually("B to hear it was accepted", || async {
        let list = b.admin_get("/api/v1/admin/blocklist-subscriptions").await;
        list[0]["follow_state"]
            .as_str()
            .filter(|s| *s == "accepted")
            .map(|_| list[0].clone())
    })
    .await
}

#[tokio::test]
async fn a_followed_blocklist_pushes_a_suspend_and_its_removal_within_seconds() {
    let mut settings_a = test_settings(&Options {
        workers: true,
        ..Options::default()
    })
    .await;
    // The list is not public: only approved followers read it.
    settings_a.blocklists.domain_blocks_visibility = "off".into();
    let a = spawn_settings(settings_a).await;
    let b = spawn_app_with(Options {
        workers: true,
        ..Options::default()
    })
    .await;
    let spam = FakeServer::start_on("127.0.0.2").await;
    let troll = spam.actor("troll", 0);
    let article = b.add_article("/2026/push", "Push").await;
    let ap_id = article["ap_id"].as_str().unwrap().to_string();
    let url = article["url"].as_str().unwrap().to_string();
    assert_eq!(
        troll.send(&b, &mastodon_create(&troll, 1, &ap_id)).await,
        202
    );
    eventually("the reply on B", || async {
        (b.thread(&url).await["total"] == 1).then_some(())
    })
    .await;

    // Not an approved follower: the dataset stays closed.
    let (closed, _) = a.get_json("/fires/datasets/blocklist/snapshot").await;
    assert_eq!(closed, 404);
    follow_blocklist(&a, &b).await;

    // A suspends the domain: B refuses it and hides its comments within 5 s.
    let started = Instant::now();
    set_policy(&a, "127.0.0.2", "suspend").await;
    eventually("B to apply A's suspend", || async {
        suspended(&b, "127.0.0.2").then_some(())
    })
    .await;
    eventually("B to hide the comment", || async {
        (b.thread(&url).await["total"] == 0).then_some(())
    })
    .await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(
        troll.send(&b, &mastodon_create(&troll, 2, &ap_id)).await,
        403
    );
    let policies = b.admin_get("/api/v1/admin/domain-policies").await;
    let policy = policies
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["domain"] == "127.0.0.2")
        .unwrap();
    assert_eq!(policy["public_comment"], "Spam farm");
    assert!(
        !policy.to_string().contains("seen on"),
        "private comments never leave A"
    );

    // A lifts it: B restores the comment.
    let started = Instant::now();
    remove_policy(&a, "127.0.0.2").await;
    eventually("B to lift the suspend and restore the comment", || async {
        (b.thread(&url).await["total"] == 1 && !suspended(&b, "127.0.0.2")).then_some(())
    })
    .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        troll.send(&b, &mastodon_create(&troll, 3, &ap_id)).await,
        202
    );
}

#[tokio::test]
async fn a_follower_that_was_down_catches_up_when_it_starts_again() {
    let a = spawn_app_with(Options {
        workers: true,
        ..Options::default()
    })
    .await;
    let settings_b = test_settings(&Options {
        workers: true,
        ..Options::default()
    })
    .await;
    let b = spawn_settings(settings_b.clone()).await;
    set_policy(&a, "before.example", "silence").await;
    follow_blocklist(&a, &b).await;
    eventually("B to read what A listed before", || async {
        b.state
            .moderation
            .domain_policy("before.example")
            .map(|_| ())
    })
    .await;

    // B goes down; A changes its list meanwhile.
    let port = url::Url::parse(&b.address).unwrap().port().unwrap();
    b.shut_down().await;
    set_policy(&a, "while-down.example", "suspend").await;
    remove_policy(&a, "before.example").await;

    // B comes back on the same port and database: it converges.
    let mut settings_b = settings_b;
    settings_b.server.listen = format!("127.0.0.1:{port}").parse().unwrap();
    settings_b.server.public_url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let b = spawn_settings(settings_b).await;
    eventually("B to converge with A", || async {
        (suspended(&b, "while-down.example")
            && b.state.moderation.domain_policy("before.example").is_none())
        .then_some(())
    })
    .await;
    let subs = b.admin_get("/api/v1/admin/blocklist-subscriptions").await;
    assert!(subs[0]["last_error"].is_null(), "{subs}");
}

#[tokio::test]
async fn a_fires_dataset_is_read_from_its_snapshot_then_its_changes() {
    // A FIRES server written from its documentation, in the JSON-LD (camelCase) form.
    let fires = FakeServer::start().await;
    let dataset = format!("{}/datasets/abuse", fires.base);
    fires.put(
        "/datasets/abuse",
        json!({"id": dataset, "name": "Abuse", "snapshot": format!("{dataset}/snapshot"),
               "changes": format!("{dataset}/changes")}),
    );
    fires.put(
        "/datasets/abuse/snapshot",
        json!({"lastChangeId": "0192-0003", "items": [
            {"type": "Recommendation", "changeId": "0192-0001", "entityKind": "Domain", "entityKey": "spam.example",
             "recommendedPolicy": "drop", "recommendedFilters": [], "comment": "Spam"},
            {"type": "Recommendation", "changeId": "0192-0002", "entityKind": "Domain", "entityKey": "loud.example",
             "recommendedPolicy": "filter", "recommendedFilters": ["auto-unlisted", "reject-media"]},
            {"type": "Recommendation", "changeId": "0192-0003", "entityKind": "Actor", "entityKey": "https://x.example/u/a",
             "recommendedPolicy": "drop"}
        ]}),
    );
    let app = spawn_app().await;
    let (status, created) = app
        .admin_post(
            "/api/v1/admin/blocklist-subscriptions",
            json!({"url": dataset, "kind": "fires"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (status, changes) = app
        .admin_post(
            &format!("/api/v1/admin/blocklist-subscriptions/{id}/refresh"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{changes}");
    assert!(suspended(&app, "spam.example"));
    let loud = app.state.moderation.domain_policy("loud.example").unwrap();
    assert_eq!(loud.severity, tribune::moderation::Severity::Silence);
    assert!(loud.reject_media);

    // The change feed, snake_case this time: a retraction and a new entry.
    fires.put(
        "/datasets/abuse/changes?since=0192-0003",
        json!({"items": [
            {"type": "retraction", "change_id": "0192-0004", "entity_kind": "Domain", "entity_key": "spam.example"},
            {"type": "recommendation", "change_id": "0192-0005", "entity_kind": "Domain", "entity_key": "new.example",
             "recommended_policy": "reject"}
        ]}),
    );
    fires.put(
        "/datasets/abuse/changes?since=0192-0005",
        json!({"items": []}),
    );
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/blocklist-subscriptions/{id}/refresh"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(!suspended(&app, "spam.example"), "retracted");
    assert!(suspended(&app, "new.example"));
    assert!(app.state.moderation.domain_policy("loud.example").is_some());
    let subs = app.admin_get("/api/v1/admin/blocklist-subscriptions").await;
    assert_eq!(subs[0]["cursor"], "0192-0005");
    let read: Vec<String> = fires.fetches().into_iter().map(|(p, _)| p).collect();
    assert!(
        read.iter().filter(|p| p.contains("snapshot")).count() == 1,
        "the snapshot is read once, then only changes: {read:?}"
    );
}

#[tokio::test]
async fn our_fires_dataset_serves_a_snapshot_and_changes_another_tribune_reads() {
    let a = spawn_app().await;
    set_policy(&a, "one.example", "suspend").await;
    set_policy(&a, "two.example", "silence").await;
    let (_, snapshot) = a.get_json("/fires/datasets/blocklist/snapshot").await;
    assert_eq!(snapshot["items"].as_array().unwrap().len(), 2);
    assert_eq!(snapshot["items"][0]["entity_key"], "one.example");
    assert_eq!(snapshot["items"][0]["recommended_policy"], "drop");
    assert!(!snapshot.to_string().contains("seen on"));
    let since = snapshot["last_change_id"].as_str().unwrap().to_string();

    let b = spawn_app().await;
    let (status, created) = b
        .admin_post(
            "/api/v1/admin/blocklist-subscriptions",
            json!({"url": a.url("/fires/datasets/blocklist"), "kind": "fires"}),
        )
        .await;
    assert_eq!(status, 201);
    let refresh = format!(
        "/api/v1/admin/blocklist-subscriptions/{}/refresh",
        created["id"]
    );
    assert_eq!(b.admin_post(&refresh, json!({})).await.0, 200);
    assert!(suspended(&b, "one.example"));

    remove_policy(&a, "one.example").await;
    set_policy(&a, "two.example", "suspend").await;
    let (_, changes) = a
        .get_json(&format!("/fires/datasets/blocklist/changes?since={since}"))
        .await;
    let types: Vec<&str> = changes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, vec!["retraction", "recommendation"]);
    assert_eq!(b.admin_post(&refresh, json!({})).await.0, 200);
    assert!(!suspended(&b, "one.example"));
    assert!(suspended(&b, "two.example"));
    let (bad, _) = a
        .get_json("/fires/datasets/blocklist/changes?since=x")
        .await;
    assert_eq!(bad, 400);

    // A Mastodon-style source is given as the server's URL.
    let (status, mastodon) = b
        .admin_post(
            "/api/v1/admin/blocklist-subscriptions",
            json!({"url": a.address, "kind": "mastodon", "auto_apply": false}),
        )
        .await;
    assert_eq!(status, 201, "{mastodon}");
    assert_eq!(
        mastodon["url"],
        a.url("/api/v1/instance/domain_blocks"),
        "{mastodon}"
    );
    assert_eq!(mastodon["kind"], "list");
}

#[tokio::test]
async fn the_blocklist_actor_is_a_service_found_by_webfinger() {
    let app = spawn_app().await;
    let host = url::Url::parse(&app.address).unwrap();
    let host = format!("{}:{}", host.host_str().unwrap(), host.port().unwrap());
    let jrd: Value = app
        .client
        .get(app.url(&format!(
            "/.well-known/webfinger?resource=acct:blocklist@{host}"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = jrd["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "self")
        .unwrap();
    assert_eq!(link["href"], app.url("/blocklist"));
    let actor: Value = app
        .client
        .get(app.url("/blocklist"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(actor["type"], "Service");
    assert_eq!(actor["manuallyApprovesFollowers"], true);
    assert_eq!(
        actor["blocklistDataset"],
        app.url("/fires/datasets/blocklist")
    );
    assert!(actor["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .contains("PUBLIC KEY"));
}
