//! Consent both ways with GoToSocial: polite replies (`ReplyRequest`) answered as
//! moderation decides, and the site actor asking (`AnnounceRequest`) before it boosts a
//! highlighted reply whose policy wants that, announcing only once authorised.

use crate::helpers::*;
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

async fn admin(app: &TestApp, path: &str, body: Value) -> u16 {
    app.client
        .post(app.url(path))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn set_mode(app: &TestApp, mode: &str) {
    let response = app
        .client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({ "mode": mode }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

/// A GoToSocial reply to `target`, public, as its server serves it.
fn gts_note(actor: &TestActor, n: u32, target: &str) -> Value {
    json!({
        "type": "Note",
        "id": format!("{}/statuses/{n}", actor.id),
        "attributedTo": actor.id,
        "inReplyTo": target,
        "to": [PUBLIC],
        "cc": [format!("{}/followers", actor.id)],
        "content": "<p>A polite reply, asking first</p>",
        "published": "2026-12-01T10:00:00Z"
    })
}

/// GoToSocial's `ReplyRequest` (docs: "Sending an Interaction Request").
fn reply_request(actor: &TestActor, n: u32, target: &str, instrument: Value) -> Value {
    json!({
        "@context": ["https://gotosocial.org/ns", "https://www.w3.org/ns/activitystreams"],
        "type": "ReplyRequest",
        "id": format!("{}/reply_requests/{n}", actor.id),
        "actor": actor.id,
        "to": "https://t.example/sites/demo",
        "object": target,
        "instrument": instrument
    })
}

fn sent(fake: &FakeServer, kind: &str) -> Vec<Received> {
    fake.received()
        .into_iter()
        .filter(|r| r.body["type"] == kind)
        .collect()
}

/// A document we serve, by its full URL.
async fn document(app: &TestApp, url: &str) -> Value {
    app.client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn held(app: &TestApp) -> Vec<Value> {
    app.client
        .get(app.url("/api/v1/admin/queue"))
        .query(&[("site", "demo"), ("status", "held")])
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_polite_reply_in_post_mode_is_published_and_accepted_with_the_authorization_we_serve() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/polite", "Polite").await;
    let target = article["ap_id"].as_str().unwrap();
    let gts = fake.actor("gts", 0);
    let note = gts_note(&gts, 1, target);
    let request = reply_request(&gts, 1, target, note.clone());
    assert_eq!(gts.send(&app, &request).await, 202);
    app.drain().await;
    app.deliver().await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["total"], 1);
    let accepts = sent(&fake, "Accept");
    assert_eq!(accepts.len(), 1);
    let accept = &accepts[0];
    assert_eq!(accept.path, "/users/gts/inbox");
    assert_eq!(accept.body["to"], json!([gts.id]));
    assert_eq!(accept.body["object"]["type"], "ReplyRequest");
    assert_eq!(accept.body["object"]["id"], request["id"]);
    assert_eq!(accept.body["object"]["instrument"], note["id"]);
    assert_eq!(accept.body["object"]["object"], target);
    let authorization: Value = document(&app, accept.body["result"].as_str().unwrap()).await;
    assert_eq!(authorization["type"], "ReplyAuthorization");
    assert_eq!(authorization["interactingObject"], note["id"]);
    assert_eq!(authorization["interactionTarget"], target);
    assert_eq!(authorization["attributedTo"], app.url("/sites/demo"));

    // The same request again is answered once.
    gts.send(&app, &request).await;
    app.drain().await;
    app.deliver().await;
    assert_eq!(sent(&fake, "Accept").len(), 1);
}

#[tokio::test]
async fn a_polite_reply_held_in_pre_mode_is_accepted_once_a_moderator_approves() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    set_mode(&app, "pre").await;
    let article = app.add_article("/2026/polite-pre", "Polite pre").await;
    let target = article["ap_id"].as_str().unwrap();
    let gts = fake.actor("gts", 0);
    // Named only: fetched from its server.
    let note = gts_note(&gts, 1, target);
    fake.put("/users/gts/statuses/1", note.clone());
    let request = reply_request(&gts, 1, target, note["id"].clone());
    gts.send(&app, &request).await;
    app.drain().await;
    app.deliver().await;
    assert!(sent(&fake, "Accept").is_empty(), "held: nothing yet");
    let queue = held(&app).await;
    assert_eq!(queue.len(), 1);

    let status = admin(
        &app,
        &format!("/api/v1/admin/comments/{}/approve", queue[0]["id"]),
        json!({}),
    )
    .await;
    assert_eq!(status, 204);
    app.deliver().await;
    let accepts = sent(&fake, "Accept");
    assert_eq!(accepts.len(), 1);
    assert_eq!(accepts[0].body["object"]["id"], request["id"]);
    let authorization: Value = document(&app, accepts[0].body["result"].as_str().unwrap()).await;
    assert_eq!(authorization["interactingObject"], note["id"]);
}

#[tokio::test]
async fn a_polite_reply_a_moderator_refuses_is_answered_with_a_reject() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    set_mode(&app, "pre").await;
    let article = app.add_article("/2026/polite-no", "Polite no").await;
    let target = article["ap_id"].as_str().unwrap();
    let gts = fake.actor("gts", 0);
    let request = reply_request(&gts, 1, target, gts_note(&gts, 1, target));
    gts.send(&app, &request).await;
    app.drain().await;
    let queue = held(&app).await;
    let status = admin(
        &app,
        &format!("/api/v1/admin/comments/{}/hide", queue[0]["id"]),
        json!({"reason": "off_topic"}),
    )
    .await;
    assert_eq!(status, 204);
    app.deliver().await;
    assert!(sent(&fake, "Accept").is_empty());
    let rejects = sent(&fake, "Reject");
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].path, "/users/gts/inbox");
    assert_eq!(rejects[0].body["object"]["type"], "ReplyRequest");
    assert_eq!(rejects[0].body["object"]["id"], request["id"]);
    assert!(rejects[0].body.get("result").is_none());
}

#[tokio::test]
async fn a_reply_request_whose_reply_is_someone_elses_or_on_another_server_is_refused() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let elsewhere = FakeServer::start_on("127.0.0.2").await;
    let article = app.add_article("/2026/polite-forged", "Forged").await;
    let target = article["ap_id"].as_str().unwrap();
    let gts = fake.actor("gts", 0);
    let victim = fake.actor("victim", 1);

    // Another author's words, embedded by the requester.
    let forged = gts_note(&victim, 1, target);
    gts.send(&app, &reply_request(&gts, 1, target, forged))
        .await;
    // A reply on another server claiming the requester: the embedded copy is not
    // believed, what that server serves is, and it is not the requester's origin.
    let mut remote = gts_note(&gts, 2, target);
    remote["id"] = json!(format!("{}/statuses/2", elsewhere.base));
    elsewhere.put("/statuses/2", remote.clone());
    gts.send(&app, &reply_request(&gts, 2, target, remote))
        .await;
    // A reply that answers something else.
    let off = gts_note(&gts, 3, "https://elsewhere.example/notes/1");
    gts.send(&app, &reply_request(&gts, 3, target, off)).await;
    app.drain().await;
    app.deliver().await;

    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        0
    );
    assert!(held(&app).await.is_empty());
    assert!(sent(&fake, "Accept").is_empty());
    assert!(elsewhere
        .fetches()
        .iter()
        .any(|(path, _)| path == "/statuses/2"));
}

/// A Mastodon-style reply by `actor`, served by its server with `policy`.
async fn highlighted_reply(
    app: &TestApp,
    fake: &FakeServer,
    actor: &TestActor,
    n: u32,
    article: &Value,
    policy: Option<Value>,
) -> i64 {
    let mut create = mastodon_create(actor, n, article["ap_id"].as_str().unwrap());
    create["object"]["content"] = json!(format!("<p>Reply {n}, worth highlighting</p>"));
    create["object"]
        .as_object_mut()
        .unwrap()
        .remove("contentMap");
    if let Some(policy) = policy {
        create["object"]["interactionPolicy"] = policy;
    }
    fake.publish(&create);
    actor.send(app, &create).await;
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let id = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ap_id"] == create["object"]["id"])
        .expect("the reply is shown")["id"]
        .as_i64()
        .unwrap();
    let status = admin(
        app,
        &format!("/api/v1/admin/comments/{id}/highlight"),
        json!({"note": "À lire"}),
    )
    .await;
    assert_eq!(status, 200);
    id
}

fn boosts_need_approval() -> Value {
    json!({
        "canReply": {"automaticApproval": PUBLIC},
        "canAnnounce": {"manualApproval": "as:Public"}
    })
}

#[tokio::test]
async fn a_reply_whose_policy_asks_gets_an_announce_request_and_the_announce_only_once_authorised()
{
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/ask-first", "Ask first").await;
    let gts = fake.actor("gts", 0);
    let mallory = fake.actor("mallory", 1);
    highlighted_reply(&app, &fake, &gts, 1, &article, Some(boosts_need_approval())).await;
    app.deliver().await;

    assert!(sent(&fake, "Announce").is_empty(), "not before consent");
    let requests = sent(&fake, "AnnounceRequest");
    assert_eq!(requests.len(), 1, "to the author only");
    let request = &requests[0].body;
    assert_eq!(requests[0].path, "/users/gts/inbox");
    assert_eq!(request["actor"], app.url("/sites/demo"));
    let note_id = format!("{}/statuses/1", gts.id);
    assert_eq!(request["object"], note_id);
    assert_eq!(request["instrument"]["type"], "Announce");
    assert_eq!(request["instrument"]["object"], note_id);
    let announce_id = request["instrument"]["id"].as_str().unwrap().to_string();
    // Shown meanwhile.
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["highlighted"].as_array().unwrap().len(), 1);

    let authorization = json!({
        "@context": ["https://gotosocial.org/ns", "https://www.w3.org/ns/activitystreams"],
        "type": "AnnounceAuthorization",
        "id": format!("{}/authorizations/1", gts.id),
        "attributedTo": gts.id,
        "interactingObject": announce_id,
        "interactionTarget": note_id,
    });
    fake.put("/users/gts/authorizations/1", authorization.clone());
    let accept_by = |actor: &TestActor, n: u32| {
        json!({
            "@context": ["https://gotosocial.org/ns", "https://www.w3.org/ns/activitystreams"],
            "type": "Accept",
            "id": format!("{}/accepts/{n}", actor.id),
            "actor": actor.id,
            "to": app.url("/sites/demo"),
            "object": {"type": "AnnounceRequest", "id": request["id"], "actor": request["actor"],
                       "object": note_id, "instrument": announce_id},
            "result": authorization["id"],
        })
    };
    // Someone else accepting for the author is ignored.
    mallory.send(&app, &accept_by(&mallory, 1)).await;
    app.drain().await;
    app.deliver().await;
    assert!(
        sent(&fake, "Announce").is_empty(),
        "a forged Accept announces nothing"
    );

    // The author accepts: the Announce goes out, with its proof.
    gts.send(&app, &accept_by(&gts, 2)).await;
    app.drain().await;
    app.deliver().await;
    let announces = sent(&fake, "Announce");
    assert!(!announces.is_empty());
    let to_author = announces
        .iter()
        .find(|r| r.path == "/users/gts/inbox")
        .expect("the author is told");
    assert_eq!(to_author.body["id"], announce_id);
    assert_eq!(to_author.body["announceAuthorization"], authorization["id"]);
    assert_eq!(to_author.body["approvedBy"], authorization["id"]);
}

#[tokio::test]
async fn an_authorization_that_names_another_announce_or_lives_elsewhere_is_refused() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let elsewhere = FakeServer::start_on("127.0.0.2").await;
    let article = app.add_article("/2026/wrong-proof", "Wrong proof").await;
    let gts = fake.actor("gts", 0);
    highlighted_reply(&app, &fake, &gts, 1, &article, Some(boosts_need_approval())).await;
    app.deliver().await;
    let request = sent(&fake, "AnnounceRequest")[0].body.clone();
    let note_id = format!("{}/statuses/1", gts.id);
    let wrong = json!({
        "type": "AnnounceAuthorization", "id": format!("{}/authorizations/9", gts.id),
        "attributedTo": gts.id, "interactingObject": format!("{}/boosts/9", gts.id),
        "interactionTarget": note_id,
    });
    fake.put("/users/gts/authorizations/9", wrong);
    let mut offsite = json!({
        "type": "AnnounceAuthorization", "id": format!("{}/authorizations/1", elsewhere.base),
        "attributedTo": gts.id, "interactingObject": request["instrument"]["id"],
        "interactionTarget": note_id,
    });
    elsewhere.put("/authorizations/1", offsite.take());
    for (n, result) in [
        format!("{}/authorizations/9", gts.id),
        format!("{}/authorizations/1", elsewhere.base),
    ]
    .into_iter()
    .enumerate()
    {
        let accept = json!({
            "type": "Accept", "id": format!("{}/accepts/{n}", gts.id), "actor": gts.id,
            "object": request["id"], "result": result,
        });
        gts.send(&app, &accept).await;
    }
    app.drain().await;
    app.deliver().await;
    assert!(sent(&fake, "Announce").is_empty());
    assert!(
        elsewhere.fetches().is_empty(),
        "an authorization off the author's server is not even fetched"
    );
}

#[tokio::test]
async fn a_rejected_announce_request_announces_nothing_and_the_highlight_stays_local() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/refused", "Refused").await;
    let gts = fake.actor("gts", 0);
    let id = highlighted_reply(&app, &fake, &gts, 1, &article, Some(boosts_need_approval())).await;
    app.deliver().await;
    let request = sent(&fake, "AnnounceRequest")[0].body.clone();
    let reject = json!({
        "type": "Reject", "id": format!("{}/rejects/1", gts.id), "actor": gts.id,
        "to": app.url("/sites/demo"),
        "object": {"type": "AnnounceRequest", "id": request["id"], "actor": request["actor"],
                   "object": request["object"], "instrument": request["instrument"]["id"]},
    });
    gts.send(&app, &reject).await;
    app.drain().await;
    app.deliver().await;
    assert!(sent(&fake, "Announce").is_empty());
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["highlighted"][0]["id"], id);

    // Removing it undoes nothing: nothing was announced.
    let removed = app
        .client
        .delete(app.url(&format!("/api/v1/admin/comments/{id}/highlight")))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    app.deliver().await;
    assert!(sent(&fake, "Undo").is_empty());
}

#[tokio::test]
async fn an_open_policy_is_announced_at_once_and_a_closed_one_never_asked() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/open", "Open").await;
    let open = fake.actor("open", 0);
    let closed = fake.actor("closed", 1);
    let plain = fake.actor("plain", 2);
    highlighted_reply(
        &app,
        &fake,
        &open,
        1,
        &article,
        Some(json!({"canAnnounce": {"always": PUBLIC}})),
    )
    .await;
    highlighted_reply(
        &app,
        &fake,
        &closed,
        1,
        &article,
        Some(json!({"canAnnounce": {"automaticApproval": [closed.id.clone()]}})),
    )
    .await;
    // No policy at all (Mastodon before 4.5): as today.
    highlighted_reply(&app, &fake, &plain, 1, &article, None).await;
    app.deliver().await;

    assert!(sent(&fake, "AnnounceRequest").is_empty());
    let announces = sent(&fake, "Announce");
    assert!(announces.iter().any(|r| r.path == "/users/open/inbox"));
    assert!(announces.iter().any(|r| r.path == "/users/plain/inbox"));
    assert!(
        !announces.iter().any(|r| r.path == "/users/closed/inbox"
            || r.body["object"] == format!("{}/statuses/1", closed.id)),
        "a policy that refuses boosts is respected"
    );
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["highlighted"].as_array().unwrap().len(), 3);
}
