//! Trusted and watched authors: a trusted author skips pre-moderation and the newcomer
//! rule but never their server's policy; a watched one is held in any mode, with the
//! reason the console shows; marking is for moderators, audited, shown to staff in the
//! queue and the author card and never to readers.

use crate::console::sign_in;
use crate::helpers::*;
use serde_json::{json, Value};

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

async fn set_level(app: &TestApp, token: Option<&str>, body: Value) -> reqwest::Response {
    let request = app
        .client
        .put(app.url("/api/v1/admin/authors/trust"))
        .json(&body);
    match token {
        Some(t) => request.bearer_auth(t),
        None => request,
    }
    .send()
    .await
    .unwrap()
}

async fn mark(app: &TestApp, actor: &TestActor, level: &str, reason: &str) -> Value {
    let r = set_level(
        app,
        Some(ADMIN_TOKEN),
        json!({"actor": actor.id, "level": level, "reason": reason}),
    )
    .await;
    assert_eq!(r.status(), 200, "{level}");
    r.json().await.unwrap()
}

async fn site_mode(app: &TestApp, body: Value) {
    let r = app
        .client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

/// Every comment of the site with this status, newest first.
async fn queue(app: &TestApp, status: &str) -> Vec<Value> {
    app.admin_get(&format!("/api/v1/admin/queue?site=demo&status={status}"))
        .await
        .as_array()
        .unwrap()
        .clone()
}

fn rules_fired(item: &Value) -> Vec<String> {
    item["verdict"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["rule"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_trusted_authors_reply_on_a_pre_moderated_site_is_published_at_once() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/pre", "Pre").await;
    site_mode(&app, json!({"mode": "pre"})).await;
    let ana = fake.actor("ana", 0);
    let other = fake.actor("other", 1);
    ana.send(&app, &reply(&ana, 1, &article, "<p>First reply</p>"))
        .await;
    app.drain().await;
    assert_eq!(queue(&app, "held").await.len(), 1);

    let marked = mark(&app, &ana, "trusted", "our columnist").await;
    assert_eq!(
        marked,
        json!({"actor": ana.id, "level": "trusted", "reason": "our columnist"})
    );
    ana.send(&app, &reply(&ana, 2, &article, "<p>Second reply</p>"))
        .await;
    other
        .send(&app, &reply(&other, 3, &article, "<p>Another reader</p>"))
        .await;
    app.drain().await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["total"], 1, "only the trusted author's new reply");
    let published = queue(&app, "published").await;
    assert_eq!(rules_fired(&published[0]), ["actor:allow"]);
    assert_eq!(published[0]["author_trust"], "trusted");
    // Not retroactive: the comment held before stays held, and the other author waits.
    let held = queue(&app, "held").await;
    assert_eq!(held.len(), 2);
    assert!(held.iter().any(|c| c["author_trust"] == "trusted"));
    assert!(held.iter().any(|c| c["author_trust"].is_null()));
    // Readers never learn it.
    let text = thread.to_string();
    assert!(
        !text.contains("trust") && !text.contains("columnist"),
        "{text}"
    );

    let listed = app.admin_get("/api/v1/admin/authors/trust").await;
    assert_eq!(listed, json!([marked]));
}

#[tokio::test]
async fn a_trusted_newcomer_is_not_held_by_the_newcomer_rule() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/newcomers", "Newcomers").await;
    site_mode(&app, json!({"mode": "post", "hold_new_authors": 3})).await;
    let newbie = fake.actor("newbie", 0);
    newbie
        .send(
            &app,
            &reply(&newbie, 1, &article, "<p>My first comment</p>"),
        )
        .await;
    app.drain().await;
    let held = queue(&app, "held").await;
    assert_eq!(rules_fired(&held[0]), ["site:hold_new_authors"]);

    mark(&app, &newbie, "trusted", "").await;
    newbie
        .send(&app, &reply(&newbie, 2, &article, "<p>My second one</p>"))
        .await;
    app.drain().await;
    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        1
    );
}

#[tokio::test]
async fn a_watched_authors_reply_on_a_post_moderated_site_is_held_with_the_reason() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/budget", "Budget").await;
    let bob = fake.actor("bob", 0);
    bob.send(&app, &reply(&bob, 1, &article, "<p>Published</p>"))
        .await;
    app.drain().await;
    assert_eq!(queue(&app, "published").await.len(), 1);

    mark(&app, &bob, "watched", "trolls elsewhere").await;
    bob.send(&app, &reply(&bob, 2, &article, "<p>Held now</p>"))
        .await;
    app.drain().await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(
        thread["total"], 1,
        "the first reply stays, the second waits"
    );
    let text = thread.to_string();
    assert!(
        !text.contains("watch") && !text.contains("trolls"),
        "{text}"
    );
    let held = queue(&app, "held").await;
    assert_eq!(held.len(), 1);
    assert_eq!(
        held[0]["verdict"]["hits"],
        json!([{"rule": "actor:watch", "action": "hold", "reason": "watched author"}])
    );
    assert_eq!(held[0]["author_trust"], "watched");

    // The console: the rule that fired, the badge and the reason on the author card.
    let momo = sign_in(&app, "momo", "moderator").await;
    let (status, page) = momo
        .get(&app, &format!("/admin/comments/{}", held[0]["id"]))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Auteur surveillé : chaque commentaire est retenu"),
        "{page}"
    );
    assert!(page.contains(r#"<span class="badge trust-watch">surveillé</span> — trolls elsewhere"#));
    assert!(page.contains(r#"value="normal""#) && page.contains(r#"value="trusted""#));

    // An edit is judged again: their published reply, edited, waits too.
    let mut note = reply(&bob, 1, &article, "<p>Published</p>")["object"].clone();
    note["content"] = json!("<p>Published, then edited</p>");
    note["updated"] = json!("2026-11-02T11:00:00Z");
    let update = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/statuses/1#updates/1", bob.id), "type": "Update",
        "actor": bob.id, "object": note});
    assert_eq!(bob.send(&app, &update).await, 202);
    app.drain().await;
    assert_eq!(queue(&app, "held").await.len(), 2);

    // Back to normal from the card (a form without its CSRF token is refused): the next
    // reply is published.
    let path = format!("/admin/comments/{}/trust", held[0]["id"]);
    let (status, _) = momo.post(&app, &path, "csrf=forged&level=trusted").await;
    assert_eq!(status, 403);
    let (status, to) = momo
        .post(
            &app,
            &format!("/admin/comments/{}/trust", held[0]["id"]),
            "level=normal",
        )
        .await;
    assert_eq!(
        (status, to.as_str()),
        (303, &*format!("/admin/comments/{}", held[0]["id"]))
    );
    bob.send(&app, &reply(&bob, 3, &article, "<p>Normal again</p>"))
        .await;
    app.drain().await;
    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        1,
        "the new reply; the held ones wait for a moderator"
    );
    assert_eq!(
        app.admin_get("/api/v1/admin/authors/trust").await,
        json!([])
    );
}

#[tokio::test]
async fn their_servers_policy_still_wins_over_a_trusted_author() {
    let app = spawn_app().await;
    let elsewhere = FakeServer::start_on("127.0.0.2").await;
    let article = app.add_article("/2026/domain", "Domain").await;
    let ana = elsewhere.actor("ana", 0);
    ana.send(&app, &reply(&ana, 1, &article, "<p>Hello</p>"))
        .await;
    app.drain().await;
    mark(&app, &ana, "trusted", "").await;
    let (status, _) = app
        .admin_post(
            "/api/v1/admin/domain-policies",
            json!({"domain": "127.0.0.2", "severity": "silence"}),
        )
        .await;
    assert_eq!(status, 200);
    ana.send(&app, &reply(&ana, 2, &article, "<p>Silenced server</p>"))
        .await;
    app.drain().await;
    let held = queue(&app, "held").await;
    assert_eq!(rules_fired(&held[0]), ["domain:127.0.0.2", "actor:allow"]);

    let (status, _) = app
        .admin_post(
            "/api/v1/admin/domain-policies",
            json!({"domain": "127.0.0.2", "severity": "suspend"}),
        )
        .await;
    assert_eq!(status, 200);
    let refused = ana
        .send(&app, &reply(&ana, 3, &article, "<p>Suspended server</p>"))
        .await;
    assert_eq!(refused, 403);
}

#[tokio::test]
async fn marking_is_for_moderators_of_known_unblocked_authors_and_is_audited() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/marking", "Marking").await;
    let ana = fake.actor("ana", 0);
    ana.send(&app, &reply(&ana, 1, &article, "<p>Hi</p>")).await;
    app.drain().await;
    let body = json!({"actor": ana.id, "level": "watched", "reason": "r"});

    assert_eq!(set_level(&app, None, body.clone()).await.status(), 401);
    let list = app
        .client
        .get(app.url("/api/v1/admin/authors/trust"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 401);
    for (name, role) in [("edith", "editor"), ("momo", "moderator")] {
        let (status, _) = app
            .admin_post(
                "/api/v1/admin/staff",
                json!({"username": name, "password": "correct horse battery", "role": role}),
            )
            .await;
        assert_eq!(status, 201);
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
    let editor = token("edith").await;
    let moderator = token("momo").await;
    let refused = set_level(&app, Some(&editor), body.clone()).await;
    assert_eq!(refused.status(), 403);
    let refused: Value = refused.json().await.unwrap();
    assert!(refused["error"].is_string(), "{refused}");
    assert_eq!(
        set_level(&app, Some(&moderator), body.clone())
            .await
            .status(),
        200
    );

    // An actor never seen here, a bad level, a long reason, a blocked author.
    let unknown = set_level(
        &app,
        Some(&moderator),
        json!({"actor": "https://nowhere.example/users/x", "level": "trusted"}),
    )
    .await;
    assert_eq!(unknown.status(), 404);
    for bad in [
        json!({"actor": ana.id, "level": "vip"}),
        json!({"actor": "not a url", "level": "trusted"}),
        json!({"actor": ana.id, "level": "trusted", "reason": "x".repeat(501)}),
    ] {
        assert_eq!(
            set_level(&app, Some(&moderator), bad.clone())
                .await
                .status(),
            422,
            "{bad}"
        );
    }
    let (status, _) = app
        .admin_post(
            "/api/v1/admin/actor-policies",
            json!({"actor": ana.id, "action": "block"}),
        )
        .await;
    assert_eq!(status, 200);
    let blocked = set_level(
        &app,
        Some(&moderator),
        json!({"actor": ana.id, "level": "trusted"}),
    )
    .await;
    assert_eq!(blocked.status(), 409);

    let audit = app.admin_get("/api/v1/admin/audit").await;
    let trust: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "author.trust")
        .collect();
    assert_eq!(trust.len(), 1, "refusals leave no entry: {audit}");
    assert_eq!(trust[0]["who"], "momo");
    assert_eq!(trust[0]["target_id"], ana.id.as_str());
    assert_eq!(
        trust[0]["details"],
        json!({"from": "normal", "to": "watched", "reason": "r"})
    );
}
