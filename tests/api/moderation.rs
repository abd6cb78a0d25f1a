//! Moderation through the inbox: rules, modes, blocks, the queue, moderators' actions
//! with roles and their audit trail, readers' reports.

use crate::helpers::*;
use serde_json::{json, Value};

async fn admin_post(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn add_rule(app: &TestApp, kind: &str, pattern: &str) -> Value {
    let response = admin_post(
        app,
        "/api/v1/admin/rules",
        json!({"site": "demo", "kind": kind, "pattern": pattern}),
    )
    .await;
    assert_eq!(response.status(), 201, "{kind} {pattern}");
    response.json().await.unwrap()
}

async fn queue(app: &TestApp, status: &str) -> Vec<Value> {
    let response = app
        .client
        .get(app.url("/api/v1/admin/queue"))
        .query(&[("site", "demo"), ("status", status)])
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json::<Vec<Value>>().await.unwrap()
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

async fn total(app: &TestApp, article: &Value) -> u64 {
    app.thread(article["url"].as_str().unwrap()).await["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn a_banned_word_is_rejected_and_a_suspect_word_held_with_their_rules_recorded() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/words", "Words").await;
    let banned = add_rule(&app, "banned_word", "connard").await;
    let suspect = add_rule(&app, "suspect_regex", r"\bcrypto\w*").await;
    let a = fake.actor("a", 0);
    let b = fake.actor("b", 1);
    let c = fake.actor("c", 2);
    a.send(
        &app,
        &reply(&a, 1, &article, "<p>Quel CONNÂRD, cet auteur</p>"),
    )
    .await;
    b.send(
        &app,
        &reply(
            &b,
            2,
            &article,
            "<p>Investissez dans les cryptomonnaies</p>",
        ),
    )
    .await;
    c.send(
        &app,
        &reply(&c, 3, &article, "<p>Merci pour cet article</p>"),
    )
    .await;
    app.drain().await;

    assert_eq!(total(&app, &article).await, 1);
    let rejected = queue(&app, "rejected").await;
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        rejected[0]["verdict"]["hits"][0]["rule"],
        format!("rule:{}", banned["id"])
    );
    let held = queue(&app, "held").await;
    assert_eq!(held.len(), 1);
    assert_eq!(
        held[0]["verdict"]["hits"][0]["rule"],
        format!("rule:{}", suspect["id"])
    );
    let by_rule = app
        .client
        .get(app.url("/api/v1/admin/queue"))
        .query(&[
            ("status", "all"),
            ("rule", &format!("rule:{}", banned["id"])),
        ])
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json::<Vec<Value>>()
        .await
        .unwrap();
    assert_eq!(by_rule.len(), 1);
    // A rejected comment can be reviewed and restored.
    let restored = admin_post(
        &app,
        &format!("/api/v1/admin/comments/{}/restore", rejected[0]["id"]),
        json!({}),
    )
    .await;
    assert_eq!(restored.status(), 204);
    assert_eq!(total(&app, &article).await, 2);
}

#[tokio::test]
async fn the_tenth_copy_of_a_message_is_held() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/copies", "Copies").await;
    for n in 0..10u32 {
        let actor = fake.actor(&format!("copier{n}"), n as usize % 3);
        let text = if n % 2 == 0 {
            "<p>Visit my shop for the best deals on watches today</p>"
        } else {
            "<p>Visit my shop for the best deals on watches today!!</p>"
        };
        assert_eq!(
            actor.send(&app, &reply(&actor, n, &article, text)).await,
            202
        );
        // One at a time, as they would arrive.
        app.drain().await;
    }
    assert_eq!(total(&app, &article).await, 9);
    let held = queue(&app, "held").await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["verdict"]["hits"][0]["rule"], "builtin:repetition");
}

#[tokio::test]
async fn link_spam_is_held_and_a_blocked_link_host_rejected() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/links", "Links").await;
    add_rule(&app, "max_links", "2").await;
    add_rule(&app, "link_host", "casino.example").await;
    let a = fake.actor("a", 0);
    let b = fake.actor("b", 1);
    let links = r#"<p><a href="https://a.example/1">1</a> <a href="https://b.example/2">2</a> <a href="https://c.example/3">3</a></p>"#;
    a.send(&app, &reply(&a, 1, &article, links)).await;
    b.send(
        &app,
        &reply(
            &b,
            2,
            &article,
            r#"<p>Try <a href="https://www.casino.example/win">this</a></p>"#,
        ),
    )
    .await;
    app.drain().await;
    assert_eq!(total(&app, &article).await, 0);
    assert_eq!(queue(&app, "held").await.len(), 1);
    assert_eq!(queue(&app, "rejected").await.len(), 1);
}

#[tokio::test]
async fn a_suspended_domain_and_its_subdomains_are_refused_before_anything_is_fetched() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/suspended", "Suspended").await;
    let response = admin_post(&app, "/api/v1/admin/domain-policies",
        json!({"domain": "bad.example", "severity": "suspend", "reject_media": false, "reject_reports": false})).await;
    assert_eq!(response.status(), 200);
    // An actor on a subdomain of the suspended domain; nothing there is reachable,
    // and nothing is fetched: the refusal comes first.
    let template = fake.actor("evil", 0);
    let evil = template.elsewhere("https://sub.bad.example/users/evil");
    let create = reply(&evil, 1, &article, "<p>hello</p>");
    assert_eq!(evil.send(&app, &create).await, 403);
    let other = fake.actor("fine", 1);
    assert_eq!(
        other
            .send(&app, &reply(&other, 2, &article, "<p>hello</p>"))
            .await,
        202
    );
}

#[tokio::test]
async fn pre_moderation_holds_then_approval_publishes_and_tells_the_authors_server() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/pre", "Pre").await;
    let mode = app
        .client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "pre"}))
        .send()
        .await
        .unwrap();
    assert_eq!(mode.status(), 204);
    // The article says so to servers that read interaction policies.
    let doc: Value = app
        .client
        .get(article["ap_id"].as_str().unwrap())
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["interactionPolicy"]["canReply"]["manualApproval"][0],
        "https://www.w3.org/ns/activitystreams#Public"
    );

    let gts = fake.actor("gts", 0);
    let create = reply(&gts, 1, &article, "<p>Waiting for approval</p>");
    gts.send(&app, &create).await;
    app.drain().await;
    assert_eq!(total(&app, &article).await, 0);
    let held = queue(&app, "held").await;
    assert_eq!(held[0]["verdict"]["hits"][0]["rule"], "mode:pre");
    let approved = admin_post(
        &app,
        &format!("/api/v1/admin/comments/{}/approve", held[0]["id"]),
        json!({}),
    )
    .await;
    assert_eq!(approved.status(), 204);
    assert_eq!(total(&app, &article).await, 1);

    app.deliver().await;
    let accept = fake
        .received()
        .into_iter()
        .find(|r| r.body["type"] == "Accept")
        .expect("an Accept");
    assert_eq!(accept.path, "/users/gts/inbox");
    assert_eq!(accept.body["object"], create["object"]["id"]);
    let approval_url = accept.body["result"].as_str().unwrap().to_string();
    let approval: Value = app
        .client
        .get(&approval_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(approval["type"], "ReplyAuthorization");
    assert_eq!(approval["interactingObject"], create["object"]["id"]);
    assert_eq!(approval["interactionTarget"], article["ap_id"]);
}

#[tokio::test]
async fn a_closed_article_refuses_new_replies() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/closed", "Closed").await;
    let closed = app
        .client
        .put(app.url(&format!(
            "/api/v1/admin/articles/{}/moderation",
            article["id"]
        )))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "closed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), 204);
    let a = fake.actor("a", 0);
    a.send(&app, &reply(&a, 1, &article, "<p>Too late</p>"))
        .await;
    app.drain().await;
    assert_eq!(total(&app, &article).await, 0);
    let rejected = queue(&app, "rejected").await;
    assert_eq!(rejected[0]["verdict"]["hits"][0]["rule"], "mode:closed");
    let doc: Value = app
        .client
        .get(article["ap_id"].as_str().unwrap())
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["commentsEnabled"], false);
}

#[tokio::test]
async fn blocking_an_author_or_a_domain_hides_their_comments_and_lifting_it_brings_them_back() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/blocks", "Blocks").await;
    let troll = fake.actor("troll", 0);
    let other = fake.actor("other", 1);
    troll
        .send(&app, &reply(&troll, 1, &article, "<p>first</p>"))
        .await;
    troll
        .send(&app, &reply(&troll, 2, &article, "<p>second</p>"))
        .await;
    other
        .send(&app, &reply(&other, 3, &article, "<p>third</p>"))
        .await;
    app.drain().await;
    assert_eq!(total(&app, &article).await, 3);
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let troll_comment = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ap_id"].as_str().unwrap().contains("/troll/"))
        .unwrap()["id"]
        .clone();

    let blocked: Value = admin_post(
        &app,
        &format!("/api/v1/admin/comments/{troll_comment}/block"),
        json!({"scope": "actor"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(blocked["hidden"], 2);
    assert_eq!(total(&app, &article).await, 1);
    // New comments from them are refused too.
    troll
        .send(&app, &reply(&troll, 4, &article, "<p>fourth</p>"))
        .await;
    app.drain().await;
    assert_eq!(total(&app, &article).await, 1);
    let lifted = app
        .client
        .delete(app.url(&format!(
            "/api/v1/admin/actor-policies/{}",
            blocked["policy"]
        )))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(lifted.status(), 204);
    assert_eq!(
        total(&app, &article).await,
        3,
        "the hidden comments are back, none lost"
    );

    // The whole domain (every port of 127.0.0.1 here).
    let suspended: Value = admin_post(
        &app,
        &format!("/api/v1/admin/comments/{troll_comment}/block"),
        json!({"scope": "domain"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(suspended["severity"], "suspend");
    assert_eq!(total(&app, &article).await, 0);
    assert_eq!(
        other
            .send(&app, &reply(&other, 5, &article, "<p>fifth</p>"))
            .await,
        403
    );
    let removed = app
        .client
        .delete(app.url("/api/v1/admin/domain-policies/127.0.0.1"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    assert_eq!(total(&app, &article).await, 3);
}

#[tokio::test]
async fn hiding_with_a_reason_removes_a_comment_and_deleting_leaves_a_placeholder() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/hide", "Hide").await;
    let a = fake.actor("a", 0);
    let b = fake.actor("b", 1);
    let first = reply(&a, 1, &article, "<p>Off topic</p>");
    fake.publish(&first);
    a.send(&app, &first).await;
    app.drain().await;
    b.send(&app, &reply(&b, 2, &article, "<p>Still here</p>"))
        .await;
    let mut child = reply(&b, 3, &article, "<p>answer</p>");
    child["object"]["inReplyTo"] = first["object"]["id"].clone();
    b.send(&app, &child).await;
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let id = thread["comments"][0]["id"].clone();
    let bad = admin_post(
        &app,
        &format!("/api/v1/admin/comments/{id}/hide"),
        json!({"reason": "nonsense"}),
    )
    .await;
    assert_eq!(bad.status(), 422);
    let hidden = admin_post(
        &app,
        &format!("/api/v1/admin/comments/{id}/hide"),
        json!({"reason": "hors sujet", "note": "pas le sujet"}),
    )
    .await;
    assert_eq!(hidden.status(), 204);
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["total"], 2);
    assert_eq!(
        thread["comments"][0]["deleted"], true,
        "a placeholder keeps the reply in place"
    );
    let listed = queue(&app, "hidden").await;
    assert_eq!(listed[0]["moderation_reason"], "off_topic");
    assert_eq!(listed[0]["moderation_note"], "pas le sujet");
    let deleted = admin_post(
        &app,
        &format!(
            "/api/v1/admin/comments/{}/delete",
            thread["comments"][1]["id"]
        ),
        json!({}),
    )
    .await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(total(&app, &article).await, 1);
}

#[tokio::test]
async fn staff_endpoints_check_tokens_and_roles_and_every_action_is_audited() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/roles", "Roles").await;
    let a = fake.actor("a", 0);
    a.send(&app, &reply(&a, 1, &article, "<p>hello</p>")).await;
    app.drain().await;
    let comment = app.thread(article["url"].as_str().unwrap()).await["comments"][0]["id"].clone();
    let hide = format!("/api/v1/admin/comments/{comment}/hide");

    let none = app
        .client
        .post(app.url(&hide))
        .json(&json!({"reason": "other"}))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    let wrong = app
        .client
        .post(app.url(&hide))
        .bearer_auth("nope")
        .json(&json!({"reason": "other"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    for (name, role) in [("edith", "editor"), ("momo", "moderator")] {
        let created = admin_post(
            &app,
            "/api/v1/admin/staff",
            json!({"username": name, "password": "correct horse battery", "role": role}),
        )
        .await;
        assert_eq!(created.status(), 201);
    }
    let token = |name: &'static str| {
        let app = &app;
        async move {
            let r: Value = app
                .client
                .post(app.url("/api/v1/auth/token"))
                .json(&json!({"username": name, "password": "correct horse battery"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            r["token"].as_str().unwrap().to_string()
        }
    };
    let bad_login = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "edith", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_login.status(), 401);
    let editor = token("edith").await;
    let moderator = token("momo").await;

    let as_editor = app
        .client
        .post(app.url(&hide))
        .bearer_auth(&editor)
        .json(&json!({"reason": "other"}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_editor.status(), 403);
    let block_domain = app
        .client
        .post(app.url("/api/v1/admin/domain-policies"))
        .bearer_auth(&editor)
        .json(&json!({"domain": "x.example", "severity": "suspend"}))
        .send()
        .await
        .unwrap();
    assert_eq!(block_domain.status(), 403);
    let as_moderator = app
        .client
        .post(app.url(&hide))
        .bearer_auth(&moderator)
        .json(&json!({"reason": "abusive"}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_moderator.status(), 204);
    let staff_by_moderator = app
        .client
        .post(app.url("/api/v1/admin/staff"))
        .bearer_auth(&moderator)
        .json(&json!({"username": "x", "password": "correct horse battery", "role": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(staff_by_moderator.status(), 403);
    let restored = app
        .client
        .post(app.url(&format!("/api/v1/admin/comments/{comment}/restore")))
        .bearer_auth(&moderator)
        .send()
        .await
        .unwrap();
    assert_eq!(restored.status(), 204);

    let audit: Vec<Value> = app
        .client
        .get(app.url("/api/v1/admin/audit"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<(&str, &str)> = audit
        .iter()
        .map(|e| (e["who"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert!(actions.contains(&("momo", "comment.hide")), "{actions:?}");
    assert!(
        actions.contains(&("momo", "comment.restore")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("bootstrap", "staff.create")),
        "{actions:?}"
    );
    assert!(
        !actions.iter().any(|(who, _)| *who == "edith"),
        "refused actions leave no trace of success"
    );
}

#[tokio::test]
async fn readers_report_comments_into_the_queue_within_a_rate_limit() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/reports", "Reports").await;
    let a = fake.actor("a", 0);
    a.send(&app, &reply(&a, 1, &article, "<p>hello</p>")).await;
    app.drain().await;
    let comment = app.thread(article["url"].as_str().unwrap()).await["comments"][0]["id"].clone();
    let report = |reason: &str| {
        app.client
            .post(app.url("/api/v1/reports"))
            .json(&json!({"comment": comment, "reason": reason}))
            .send()
    };
    assert_eq!(report("illicite").await.unwrap().status(), 202);
    assert_eq!(report("whatever").await.unwrap().status(), 422);
    let unknown = app
        .client
        .post(app.url("/api/v1/reports"))
        .json(&json!({"comment": 999_999, "reason": "other"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let reported = queue(&app, "reported").await;
    assert_eq!(reported.len(), 1);
    assert_eq!(reported[0]["open_reports"], 1);
    let mut last = 0;
    for _ in 0..12 {
        last = report("other").await.unwrap().status().as_u16();
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn a_recheck_shows_what_new_rules_would_change_then_applies_it() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/recheck", "Recheck").await;
    let a = fake.actor("a", 0);
    a.send(
        &app,
        &reply(&a, 1, &article, "<p>Achetez des montres pas chères</p>"),
    )
    .await;
    app.drain().await;
    add_rule(&app, "banned_word", "montres").await;
    assert_eq!(
        total(&app, &article).await,
        1,
        "a new rule does not rewrite past verdicts"
    );
    let preview: Vec<Value> = admin_post(&app, "/api/v1/admin/recheck", json!({"site": "demo"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview.len(), 1);
    assert_eq!(preview[0]["from"], "published");
    assert_eq!(preview[0]["to"], "rejected");
    assert_eq!(total(&app, &article).await, 1);
    let applied: Vec<Value> = admin_post(
        &app,
        "/api/v1/admin/recheck",
        json!({"site": "demo", "apply": true}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(total(&app, &article).await, 0);
    let bad_rule = admin_post(
        &app,
        "/api/v1/admin/rules",
        json!({"site": "demo", "kind": "banned_regex", "pattern": "(oops"}),
    )
    .await;
    assert_eq!(bad_rule.status(), 422);
}

#[tokio::test]
async fn newcomers_are_held_until_they_have_an_approved_comment() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/newcomers", "Newcomers").await;
    let set = app
        .client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "post", "hold_new_authors": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 204);
    let a = fake.actor("newbie", 0);
    a.send(&app, &reply(&a, 1, &article, "<p>My first comment</p>"))
        .await;
    app.drain().await;
    let held = queue(&app, "held").await;
    assert_eq!(
        held[0]["verdict"]["hits"][0]["rule"],
        "site:hold_new_authors"
    );
    admin_post(
        &app,
        &format!("/api/v1/admin/comments/{}/approve", held[0]["id"]),
        json!({}),
    )
    .await;
    a.send(&app, &reply(&a, 2, &article, "<p>And a second one</p>"))
        .await;
    app.drain().await;
    assert_eq!(total(&app, &article).await, 2);
}
