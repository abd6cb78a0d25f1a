//! What binds a signed request to this server and an activity to its sender: replays
//! of requests signed for another server, RFC 9421 signatures that leave the method or
//! the target out, stale `Update`s, squatted activity ids and forged requests spending
//! another domain's budget.

use crate::helpers::*;
use serde_json::{json, Value};
use tribune::storage;

/// Mastodon's `Create(Note)`, addressed to the public whether or not the captured
/// fixture is laid out beside the repository (the fallback is followers-only).
fn public_create(actor: &TestActor, n: u32, in_reply_to: &str) -> Value {
    let mut create = mastodon_create(actor, n, in_reply_to);
    let public = json!(["https://www.w3.org/ns/activitystreams#Public"]);
    create["cc"] = public.clone();
    create["object"]["cc"] = public;
    create
}

async fn app_with_article() -> (TestApp, FakeServer, Value) {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/11/trust", "Trust").await;
    (app, fake, article)
}

/// Sends to our `path` exactly the headers and body a request built for another
/// server carries (a replay by whoever received it).
async fn replay(app: &TestApp, path: &str, built: reqwest::RequestBuilder) -> u16 {
    let request = built.build().unwrap();
    let body = request
        .body()
        .and_then(|b| b.as_bytes())
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let mut again = app
        .client
        .request(request.method().clone(), app.url(path))
        .headers(request.headers().clone());
    if !body.is_empty() {
        again = again.body(body);
    }
    again.send().await.unwrap().status().as_u16()
}

async fn post_rfc9421(app: &TestApp, headers: Vec<(String, String)>, body: &[u8]) -> u16 {
    let mut request = app
        .client
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .body(body.to_vec());
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_cavage_post_signed_for_another_server_and_replayed_here_is_401() {
    let (app, fake, article) = app_with_article().await;
    let other = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let create = public_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let body = serde_json::to_vec(&create).unwrap();
    let for_other = felix.signed_post(
        &app.client,
        &format!("{}/inbox", other.base),
        &body,
        &Spoil::default(),
    );
    assert_eq!(replay(&app, "/inbox", for_other).await, 401);
    let id = create["id"].as_str().unwrap();
    assert!(storage::inbox::find_by_activity_id(&app.state.db, id)
        .await
        .unwrap()
        .is_empty());
    // The same activity signed for us is taken.
    assert_eq!(felix.send(&app, &create).await, 202);
}

#[tokio::test]
async fn an_rfc9421_post_signed_for_another_servers_authority_or_target_uri_is_401() {
    let (app, fake, article) = app_with_article().await;
    let other = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let create = public_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let body = serde_json::to_vec(&create).unwrap();
    let theirs = format!("{}/inbox", other.base);
    for components in [
        &["@method", "@authority", "@path", "content-digest"][..],
        &["@method", "@target-uri", "content-digest"][..],
    ] {
        let headers = felix.rfc9421_post_headers(&theirs, &body, components);
        assert_eq!(
            post_rfc9421(&app, headers, &body).await,
            401,
            "{components:?}"
        );
    }
    let ours = felix.rfc9421_post_headers(
        &app.url("/inbox"),
        &body,
        &["@method", "@authority", "@path", "content-digest"],
    );
    assert_eq!(post_rfc9421(&app, ours, &body).await, 202);
}

#[tokio::test]
async fn an_rfc9421_signature_not_covering_method_or_authority_is_401() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = public_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let body = serde_json::to_vec(&create).unwrap();
    let url = app.url("/inbox");
    for components in [
        &["@target-uri", "content-digest"][..],
        &["@method", "@path", "host", "content-digest"][..],
        &["@method", "@authority", "content-digest"][..],
    ] {
        let headers = felix.rfc9421_post_headers(&url, &body, components);
        assert_eq!(
            post_rfc9421(&app, headers, &body).await,
            401,
            "{components:?}"
        );
    }
}

#[tokio::test]
async fn a_signed_get_made_for_another_server_does_not_pass_authorized_fetch() {
    let app = spawn_app_with(Options {
        authorized_fetch: true,
        ..Options::default()
    })
    .await;
    let fake = FakeServer::start().await;
    let other = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let for_other = felix.signed_get(&app.client, &format!("{}/sites/demo", other.base));
    assert_eq!(replay(&app, "/sites/demo", for_other).await, 401);
    let for_us = felix.signed_get(&app.client, &app.url("/sites/demo"));
    assert_eq!(for_us.send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn out_of_order_updates_keep_the_newest_text() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = public_create(&felix, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(felix.send(&app, &create).await, 202);
    app.drain().await;
    let update = |n: u32, text: &str, updated: Option<&str>| {
        let mut note = create["object"].clone();
        note["content"] = json!(format!("<p>{text}</p>"));
        note.as_object_mut().unwrap().remove("contentMap");
        if let Some(updated) = updated {
            note["updated"] = json!(updated);
        }
        json!({"id": format!("{}/statuses/1#updates/{n}", felix.id), "type": "Update",
               "actor": felix.id, "object": note})
    };
    // The newer edit arrives first, the older one after; both wait for one drain.
    assert_eq!(
        felix
            .send(
                &app,
                &update(2, "second edit", Some("2026-11-02T12:00:00Z"))
            )
            .await,
        202
    );
    assert_eq!(
        felix
            .send(&app, &update(1, "first edit", Some("2026-11-02T11:00:00Z")))
            .await,
        202
    );
    app.drain().await;
    // The same `updated` again, and none at all, change nothing either.
    assert_eq!(
        felix
            .send(&app, &update(3, "same time", Some("2026-11-02T12:00:00Z")))
            .await,
        202
    );
    assert_eq!(felix.send(&app, &update(4, "no time", None)).await, 202);
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let comment = &thread["comments"][0];
    assert!(comment.is_object(), "{thread}");
    assert_eq!(comment["content_html"], "<p>second edit</p>");
    let history = storage::comments::revisions(&app.state.db, comment["id"].as_i64().unwrap())
        .await
        .unwrap();
    // The older edit may have been applied before the newer one (both were due at
    // once), never after it.
    assert!((1..=2).contains(&history.len()), "{history:?}");
}

#[tokio::test]
async fn a_stale_profile_update_does_not_restore_the_old_profile() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = public_create(&felix, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(felix.send(&app, &create).await, 202);
    app.drain().await;
    // Felix renamed himself: his server serves the new profile; an old Update, with
    // the old name embedded, arrives late.
    let (_, mut doc) = fake_doc(&app, &felix).await;
    doc["name"] = json!("Felix, renamed");
    fake.put("/users/felix", doc.clone());
    let mut stale = doc.clone();
    stale["name"] = json!("Felix, old name");
    let update = json!({"id": format!("{}#updates/1", felix.id), "type": "Update",
                        "actor": felix.id, "object": stale});
    assert_eq!(felix.send(&app, &update).await, 202);
    app.drain().await;
    let stored = storage::actors::find_by_ap_id(&app.state.db, &felix.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.name.as_deref(), Some("Felix, renamed"));
}

/// Felix's actor document as his server serves it.
async fn fake_doc(app: &TestApp, felix: &TestActor) -> (u16, Value) {
    let response = app.client.get(&felix.id).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_squatted_status_delete_id_from_another_host_does_not_stop_the_real_delete() {
    let (app, fake, article) = app_with_article().await;
    let elsewhere = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let mallory = elsewhere.actor("mallory", 1);
    let create = public_create(&felix, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(felix.send(&app, &create).await, 202);
    app.drain().await;
    let status = create["object"]["id"].as_str().unwrap();
    let delete_id = format!("{status}#delete");
    // Mallory sends first the id Felix's server will use for its Delete.
    let squat = json!({"id": delete_id, "type": "Delete", "actor": mallory.id,
                       "object": format!("{}/statuses/9", mallory.id)});
    assert_eq!(mallory.send(&app, &squat).await, 400);
    let real = json!({"id": delete_id, "type": "Delete", "actor": felix.id,
                      "object": {"id": status, "type": "Tombstone"}});
    assert_eq!(felix.send(&app, &real).await, 202);
    app.drain().await;
    let stored = storage::inbox::find_by_activity_id(&app.state.db, &delete_id)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].actor_id, felix.id);
    let comment = storage::comments::find_by_ap_id(&app.state.db, status)
        .await
        .unwrap()
        .unwrap();
    assert!(comment.deleted_at.is_some());
}

#[tokio::test]
async fn forged_requests_naming_a_victims_domain_do_not_use_up_its_budget() {
    let mut settings = test_settings(&Options::default()).await;
    settings.limits.inbox_per_ip_per_minute = 60_000;
    settings.limits.inbox_per_domain_per_minute = 1;
    settings.limits.inbox_burst = 3;
    let app = spawn_settings(settings).await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/11/budget", "Budget").await;
    let felix = fake.actor("felix", 0);
    let forged = Spoil {
        wrong_key: Some(1),
        ..Spoil::default()
    };
    for n in 0..10 {
        let create = public_create(&felix, 100 + n, article["ap_id"].as_str().unwrap());
        assert_eq!(felix.send_spoiled(&app, &create, &forged).await, 401);
    }
    // Felix's server's real deliveries still get in, up to its own budget.
    for n in 0..3 {
        let create = public_create(&felix, n, article["ap_id"].as_str().unwrap());
        assert_eq!(felix.send(&app, &create).await, 202);
    }
    let create = public_create(&felix, 3, article["ap_id"].as_str().unwrap());
    assert_eq!(felix.send(&app, &create).await, 429);
}
