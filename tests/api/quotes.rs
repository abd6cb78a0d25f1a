//! Quotes (FEP-044f) from fake Mastodon 4.5 and Fedify-shaped peers: a `QuoteRequest`
//! answered with an `Accept` whose stamp we serve, refusals, pre-moderation, the
//! stamp revoked when a moderator hides the quote, and quotes kept out of the replies.

use crate::helpers::*;
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A quoting post as Mastodon 4.5 writes it: the quote named four ways, the `RE:`
/// fallback paragraph at the end of the content.
fn quoting_note(actor: &TestActor, n: u32, quoted: &str) -> Value {
    let id = format!("{}/statuses/{n}", actor.id);
    json!({
        "id": id, "type": "Note", "attributedTo": actor.id,
        "to": [PUBLIC], "cc": [format!("{}/followers", actor.id)],
        "published": "2026-12-03T08:00:00Z", "url": id,
        "content": format!("<p>Worth reading, number {n}.</p><p class=\"quote-inline\">RE: <a href=\"{quoted}\">{quoted}</a></p>"),
        "quote": quoted, "_misskey_quote": quoted, "quoteUri": quoted
    })
}

/// `ActivityPub::QuoteRequestSerializer`'s shape, `instrument` embedded or named.
fn quote_request(actor: &TestActor, n: u32, object: &str, instrument: Value) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", {
            "QuoteRequest": "https://w3id.org/fep/044f#QuoteRequest",
            "quote": {"@id": "https://w3id.org/fep/044f#quote", "@type": "@id"}
        }],
        "id": format!("{}/quote_requests/{n}", actor.id),
        "type": "QuoteRequest", "actor": actor.id,
        "object": object, "instrument": instrument
    })
}

async fn admin_post(app: &TestApp, path: &str, body: Value) -> u16 {
    app.admin_post(path, body).await.0
}

async fn set_mode(app: &TestApp, path: &str, mode: &str) {
    let response = app
        .client
        .put(app.url(path))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": mode}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

/// The answers (`Accept`, `Reject`, `Delete`) a fake server received, in order.
fn answers(fake: &FakeServer) -> Vec<Received> {
    fake.received()
        .into_iter()
        .filter(|r| {
            matches!(
                r.body["type"].as_str(),
                Some("Accept" | "Reject" | "Delete")
            )
        })
        .collect()
}

async fn get(app: &TestApp, url: &str) -> (u16, Value) {
    let response = app
        .client
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Sends `activity` from `actor`, processes it and delivers what it queued.
async fn exchange(app: &TestApp, actor: &TestActor, activity: &Value) {
    assert_eq!(actor.send(app, activity).await, 202);
    app.drain().await;
    app.deliver().await;
}

#[tokio::test]
async fn a_mastodon_quote_request_in_post_mode_is_accepted_with_a_stamp_we_serve() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/quoted", "Quoted").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let (_, doc) = get(&app, ap_id).await;
    assert!(doc["interactionPolicy"]["canQuote"]["automaticApproval"]
        .as_array()
        .unwrap()
        .contains(&json!(PUBLIC)));

    let alice = fake.actor("alice", 0);
    let note = quoting_note(&alice, 1, ap_id);
    let request = quote_request(&alice, 1, ap_id, note.clone());
    exchange(&app, &alice, &request).await;

    let answers = answers(&fake);
    assert_eq!(answers.len(), 1, "{answers:?}");
    let accept = &answers[0];
    assert_eq!(accept.body["type"], "Accept");
    assert_eq!(accept.path, "/users/alice/inbox");
    assert_eq!(accept.body["actor"], app.url("/sites/demo"));
    assert_eq!(accept.body["object"]["id"], request["id"]);
    assert_eq!(accept.body["object"]["type"], "QuoteRequest");
    assert_eq!(accept.body["object"]["instrument"], note["id"]);
    let stamp_url = accept.body["result"].as_str().unwrap();
    let (status, stamp) = get(&app, stamp_url).await;
    assert_eq!(status, 200);
    assert_eq!(stamp["type"], "QuoteAuthorization");
    assert_eq!(stamp["id"], stamp_url);
    assert_eq!(stamp["attributedTo"], app.url("/sites/demo"));
    assert_eq!(stamp["interactionTarget"], ap_id);
    assert_eq!(stamp["interactingObject"], note["id"]);
    assert!(stamp["@context"].to_string().contains("QuoteAuthorization"));

    // Shown as a citation, without its fallback link; a reply nowhere.
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes_total"], 1);
    let quote = &thread["quotes"][0];
    assert_eq!(quote["ap_id"], note["id"]);
    assert!(quote["author"]["url"].as_str().unwrap().contains("alice"));
    let html = quote["content_html"].as_str().unwrap();
    assert!(html.contains("Worth reading"), "{html}");
    assert!(
        !html.contains("RE:") && !html.contains("quote-inline"),
        "{html}"
    );
    assert_eq!(thread["total"], 0);
    assert_eq!(thread["comments"], json!([]));
    let note_id = note["id"].as_str().unwrap();
    for collection in ["replies", "context"] {
        let (_, items) = get(&app, &format!("{ap_id}/{collection}")).await;
        assert!(
            !items.to_string().contains(note_id),
            "{collection}: {items}"
        );
    }
    let (_, doc) = get(&app, ap_id).await;
    assert!(!doc.to_string().contains(note_id));
    let paged = app
        .client
        .get(app.url("/api/v1/threads"))
        .query(&[("url", article["url"].as_str().unwrap()), ("limit", "10")])
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(paged["total"], 0, "{paged}");
    assert_eq!(paged["comments"], json!([]));
    assert_eq!(paged["quotes_total"], 1);
}

#[tokio::test]
async fn a_fedify_request_naming_its_post_by_id_is_fetched_and_accepted() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/fedify", "Fedify").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let bob = fake.actor("bob", 1);
    // Fedify: `quote` only, no fallback classes, the post served at its id.
    let note_id = format!("{}/ap/notes/01", fake.base);
    let note = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/fep/044f"],
        "id": note_id, "type": "Note", "attributedTo": bob.id,
        "to": "as:Public", "content": "<p>A Fedify quote</p>",
        "quote": ap_id, "published": "2026-12-03T08:00:00Z"
    });
    fake.put("/ap/notes/01", note);
    let request = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/fep/044f"],
        "id": format!("{}/ap/quote-requests/01", fake.base), "type": "QuoteRequest",
        "actor": bob.id, "object": ap_id, "instrument": note_id
    });
    exchange(&app, &bob, &request).await;
    let answers = answers(&fake);
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0].body["type"], "Accept");
    let (status, stamp) = get(&app, answers[0].body["result"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(stamp["interactingObject"], note_id);
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes"][0]["ap_id"], note_id);
}

#[tokio::test]
async fn a_closed_article_rejects_a_quote_at_once() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/closed-quote", "Closed").await;
    set_mode(
        &app,
        &format!("/api/v1/admin/articles/{}/moderation", article["id"]),
        "closed",
    )
    .await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let alice = fake.actor("alice", 0);
    let request = quote_request(&alice, 1, ap_id, quoting_note(&alice, 1, ap_id));
    exchange(&app, &alice, &request).await;
    let answers = answers(&fake);
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0].body["type"], "Reject");
    assert_eq!(answers[0].body["object"]["id"], request["id"]);
    assert!(answers[0].body.get("result").is_none());
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes"], json!([]));
    assert_eq!(thread["quotes_total"], 0);
}

#[tokio::test]
async fn a_post_that_does_not_quote_the_article_is_rejected_and_not_stored() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/not-quoted", "Not quoted").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let alice = fake.actor("alice", 0);
    let mut note = quoting_note(&alice, 1, "https://else.example/articles/9");
    note["quote"] = json!("https://else.example/articles/9");
    exchange(&app, &alice, &quote_request(&alice, 1, ap_id, note)).await;
    let answers = answers(&fake);
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0].body["type"], "Reject");
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes"], json!([]));
    assert_eq!(thread["comments"], json!([]));
}

#[tokio::test]
async fn an_embedded_post_from_another_origin_is_fetched_and_someone_elses_is_refused() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let elsewhere = FakeServer::start().await;
    let article = app.add_article("/2026/forged", "Forged").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let mallory = fake.actor("mallory", 0);
    // The embedded copy claims mallory wrote a post of another server; that server
    // serves it as carol's.
    let carol = elsewhere.actor("carol", 1);
    let real = quoting_note(&carol, 7, ap_id);
    elsewhere.put("/users/carol/statuses/7", real.clone());
    let mut forged = real.clone();
    forged["attributedTo"] = json!(mallory.id);
    forged["content"] = json!("<p>Words carol never wrote</p>");
    exchange(&app, &mallory, &quote_request(&mallory, 1, ap_id, forged)).await;
    assert!(
        elsewhere
            .fetches()
            .iter()
            .any(|(path, _)| path == "/users/carol/statuses/7"),
        "the post was not fetched from its origin"
    );
    // Mallory's own server, but a post attributed to someone else.
    let victim = fake.actor("victim", 2);
    let theirs = quoting_note(&victim, 2, ap_id);
    exchange(&app, &mallory, &quote_request(&mallory, 2, ap_id, theirs)).await;

    assert!(
        answers(&fake).is_empty(),
        "nothing is answered to a forgery"
    );
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes"], json!([]));
    assert_eq!(thread["comments"], json!([]));
    let held = app
        .admin_get("/api/v1/admin/queue?site=demo&status=all")
        .await;
    assert!(!held.to_string().contains("never wrote"), "{held}");
}

#[tokio::test]
async fn pre_moderation_holds_a_quote_until_a_moderator_approves_it_then_accepts() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/pre-quote", "Pre").await;
    set_mode(&app, "/api/v1/admin/sites/demo/moderation", "pre").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let (_, doc) = get(&app, ap_id).await;
    assert_eq!(
        doc["interactionPolicy"]["canQuote"]["manualApproval"],
        json!([PUBLIC])
    );
    let alice = fake.actor("alice", 0);
    let request = quote_request(&alice, 1, ap_id, quoting_note(&alice, 1, ap_id));
    exchange(&app, &alice, &request).await;
    assert!(answers(&fake).is_empty(), "no answer while it is held");
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes"], json!([]));

    let held = app
        .admin_get("/api/v1/admin/queue?site=demo&status=held")
        .await;
    let held = held.as_array().unwrap();
    assert_eq!(held.len(), 1, "{held:?}");
    let id = &held[0]["id"];
    assert_eq!(
        admin_post(
            &app,
            &format!("/api/v1/admin/comments/{id}/approve"),
            json!({})
        )
        .await,
        204
    );
    app.deliver().await;
    let answers = answers(&fake);
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0].body["type"], "Accept");
    assert_eq!(answers[0].body["object"]["id"], request["id"]);
    let (status, stamp) = get(&app, answers[0].body["result"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(stamp["interactionTarget"], ap_id);
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes_total"], 1);
}

#[tokio::test]
async fn a_held_quote_refused_by_a_moderator_is_rejected() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/pre-refused", "Pre").await;
    set_mode(&app, "/api/v1/admin/sites/demo/moderation", "pre").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let alice = fake.actor("alice", 0);
    exchange(
        &app,
        &alice,
        &quote_request(&alice, 1, ap_id, quoting_note(&alice, 1, ap_id)),
    )
    .await;
    let held = app
        .admin_get("/api/v1/admin/queue?site=demo&status=held")
        .await;
    let id = &held[0]["id"];
    assert_eq!(
        admin_post(
            &app,
            &format!("/api/v1/admin/comments/{id}/hide"),
            json!({"reason": "promotional"})
        )
        .await,
        204
    );
    app.deliver().await;
    let answers = answers(&fake);
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0].body["type"], "Reject");
}

#[tokio::test]
async fn hiding_a_published_quote_revokes_its_stamp_and_restoring_issues_it_again() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/revoked", "Revoked").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let alice = fake.actor("alice", 0);
    let note = quoting_note(&alice, 1, ap_id);
    exchange(&app, &alice, &quote_request(&alice, 1, ap_id, note.clone())).await;
    let stamp_url = answers(&fake)[0].body["result"]
        .as_str()
        .unwrap()
        .to_string();
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let id = thread["quotes"][0]["id"].clone();

    assert_eq!(
        admin_post(
            &app,
            &format!("/api/v1/admin/comments/{id}/hide"),
            json!({"reason": "off_topic"})
        )
        .await,
        204
    );
    app.deliver().await;
    let all = answers(&fake);
    assert_eq!(all.len(), 2, "{all:?}");
    let delete = &all[1];
    assert_eq!(delete.body["type"], "Delete");
    assert_eq!(delete.path, "/users/alice/inbox");
    assert_eq!(delete.body["actor"], app.url("/sites/demo"));
    assert_eq!(delete.body["object"]["type"], "QuoteAuthorization");
    assert_eq!(delete.body["object"]["id"], stamp_url);
    let (status, tombstone) = get(&app, &stamp_url).await;
    assert_eq!(status, 410);
    assert_eq!(tombstone["type"], "Tombstone");
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes"], json!([]));
    assert_eq!(thread["quotes_total"], 0);

    assert_eq!(
        admin_post(
            &app,
            &format!("/api/v1/admin/comments/{id}/restore"),
            json!({})
        )
        .await,
        204
    );
    app.deliver().await;
    let all = answers(&fake);
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all[2].body["type"], "Accept");
    assert_eq!(all[2].body["result"], stamp_url);
    assert_eq!(get(&app, &stamp_url).await.0, 200);

    // Deleted by a moderator: revoked for good.
    assert_eq!(
        admin_post(
            &app,
            &format!("/api/v1/admin/comments/{id}/delete"),
            json!({})
        )
        .await,
        204
    );
    app.deliver().await;
    let all = answers(&fake);
    assert_eq!(all.last().unwrap().body["type"], "Delete", "{all:?}");
    assert_eq!(get(&app, &stamp_url).await.0, 410);
}

#[tokio::test]
async fn a_mastodon_create_quoting_the_article_is_a_quote_never_a_reply() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/create-quote", "Create").await;
    let other = app.add_article("/2026/other", "Other").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let alice = fake.actor("alice", 0);
    // Mastodon sends the quoting post to the quoted author too; this one also
    // replies to the article, and still is a quote.
    let mut note = quoting_note(&alice, 1, ap_id);
    note["inReplyTo"] = json!(ap_id);
    note["quoteAuthorization"] = json!(app.url("/quotes/1/authorization"));
    let create = json!({
        "id": format!("{}/statuses/1/activity", alice.id), "type": "Create",
        "actor": alice.id, "to": [PUBLIC], "object": note.clone()
    });
    exchange(&app, &alice, &create).await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["comments"], json!([]));
    assert_eq!(thread["total"], 0);
    assert_eq!(thread["quotes_total"], 1);
    assert!(answers(&fake).is_empty(), "no request, nothing to answer");

    // Its request, arriving after: the same quote, answered.
    exchange(&app, &alice, &quote_request(&alice, 1, ap_id, note.clone())).await;
    let answers_now = answers(&fake);
    assert_eq!(answers_now.len(), 1, "{answers_now:?}");
    assert_eq!(answers_now[0].body["type"], "Accept");
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes_total"], 1);

    // An Update that makes it quote another article changes nothing.
    let mut moved = note.clone();
    let other_id = other["ap_id"].as_str().unwrap();
    moved["quote"] = json!(other_id);
    moved["_misskey_quote"] = json!(other_id);
    moved["quoteUri"] = json!(other_id);
    moved["content"] = json!("<p>Now about the other one</p>");
    moved["updated"] = json!("2026-12-03T09:00:00Z");
    let update = json!({
        "id": format!("{}/statuses/1#updates/1", alice.id), "type": "Update",
        "actor": alice.id, "to": [PUBLIC], "object": moved
    });
    exchange(&app, &alice, &update).await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["quotes_total"], 1);
    assert!(thread["quotes"][0]["content_html"]
        .as_str()
        .unwrap()
        .contains("Worth reading"));
    let other_thread = app.thread(other["url"].as_str().unwrap()).await;
    assert_eq!(other_thread["quotes_total"], 0);
    assert_eq!(other_thread["comments"], json!([]));
}

#[tokio::test]
async fn a_reply_to_a_quote_does_not_join_the_thread() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/reply-to-quote", "Reply").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let alice = fake.actor("alice", 0);
    let note = quoting_note(&alice, 1, ap_id);
    exchange(&app, &alice, &quote_request(&alice, 1, ap_id, note.clone())).await;
    let bob = fake.actor("bob", 1);
    let reply = mastodon_create(&bob, 5, note["id"].as_str().unwrap());
    exchange(&app, &bob, &reply).await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["comments"], json!([]));
    assert_eq!(thread["total"], 0);
    assert_eq!(thread["quotes_total"], 1);
}

#[tokio::test]
async fn the_no_js_page_and_the_console_show_a_quote_as_a_citation() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/cited", "Cited").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let alice = fake.actor("alice", 0);
    let note = quoting_note(&alice, 3, ap_id);
    exchange(&app, &alice, &quote_request(&alice, 3, ap_id, note.clone())).await;
    let page = app
        .client
        .get(app.url("/threads"))
        .query(&[("url", article["url"].as_str().unwrap())])
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Citation (1)"), "{page}");
    assert!(page.contains("Worth reading, number 3."), "{page}");
    assert!(!page.contains("RE:") && !page.contains("quote-inline"));
    let queue = app
        .admin_get("/api/v1/admin/queue?site=demo&status=published")
        .await;
    assert_eq!(queue[0]["quote_of"], ap_id, "{queue}");
}

#[tokio::test]
async fn a_quote_gets_no_reply_authorization_and_a_reply_request_on_it_is_not_answered() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/not-a-reply", "Quoted").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let alice = fake.actor("alice", 0);
    let note = quoting_note(&alice, 1, ap_id);
    exchange(&app, &alice, &quote_request(&alice, 1, ap_id, note.clone())).await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let quote_id = thread["quotes"][0]["id"]
        .as_i64()
        .expect("the quote is shown");

    // Its stamp is its QuoteAuthorization: the reply approval of the same row is 404,
    // or its author could pass the quote off as an approved reply to the article.
    let (status, _) = get(&app, &app.url(&format!("/approvals/{quote_id}"))).await;
    assert_eq!(status, 404);

    // A polite reply to the quote (someone else's post) is not ours to authorise.
    let bob = fake.actor("bob", 1);
    let quote_ap_id = note["id"].as_str().unwrap();
    let reply = json!({
        "id": format!("{}/statuses/9", bob.id), "type": "Note", "attributedTo": bob.id,
        "to": [PUBLIC], "inReplyTo": quote_ap_id, "content": "<p>answering the quote</p>",
        "published": "2026-12-03T08:05:00Z"
    });
    let before = answers(&fake).len();
    exchange(
        &app,
        &bob,
        &json!({
            "id": format!("{}/reply_requests/1", bob.id), "type": "ReplyRequest",
            "actor": bob.id, "object": quote_ap_id, "instrument": reply
        }),
    )
    .await;
    assert_eq!(answers(&fake).len(), before, "{:?}", answers(&fake));
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert!(
        !thread.to_string().contains("answering the quote"),
        "{thread}"
    );
}
