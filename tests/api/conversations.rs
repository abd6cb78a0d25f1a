//! Whole conversations and what people do with articles: followers told of new
//! articles, likes and boosts counted, reports kept, replies from third servers
//! crawled, "reply from your instance".

use crate::helpers::*;
use serde_json::{json, Value};

async fn follow(app: &TestApp, actor: &TestActor) {
    let follow = json!({"id": format!("{}#follows/1", actor.id), "type": "Follow",
                        "actor": actor.id, "object": app.url("/sites/demo")});
    assert_eq!(actor.send(app, &follow).await, 202);
    app.drain().await;
    app.deliver().await;
}

#[tokio::test]
async fn followers_receive_create_update_and_delete_of_articles_once_per_shared_inbox() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let ana = fake.actor("ana", 1);
    follow(&app, &felix).await;
    follow(&app, &ana).await;
    let accepts = fake.received().len();

    let article = app.add_article("/2026/news", "News").await;
    app.deliver().await;
    let received = fake.received();
    let creates: Vec<_> = received[accepts..]
        .iter()
        .filter(|r| r.body["type"] == "Create")
        .collect();
    assert_eq!(creates.len(), 1, "one delivery for the shared inbox");
    assert_eq!(creates[0].path, "/inbox");
    assert_eq!(creates[0].body["object"]["type"], "Article");
    assert_eq!(creates[0].body["object"]["id"], article["ap_id"]);
    assert_eq!(creates[0].body["actor"], app.url("/sites/demo"));
    assert!(creates[0].headers["signature"]
        .to_str()
        .unwrap()
        .contains("sites/demo#main-key"));

    // Registering it again with a new title is an update.
    let updated = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"site": "demo", "url": article["url"], "title": "News, updated"}))
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status(), 200);
    app.deliver().await;
    let update = fake
        .received()
        .into_iter()
        .find(|r| r.body["type"] == "Update")
        .expect("an Update");
    assert_eq!(update.body["object"]["name"], "News, updated");

    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/articles/{}", article["id"])))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    app.deliver().await;
    let delete = fake
        .received()
        .into_iter()
        .find(|r| r.body["type"] == "Delete")
        .expect("a Delete");
    assert_eq!(delete.body["object"]["id"], article["ap_id"]);
    let gone = app
        .client
        .get(article["ap_id"].as_str().unwrap())
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 410);
    let tombstone: Value = gone.json().await.unwrap();
    assert_eq!(tombstone["type"], "Tombstone");
}

#[tokio::test]
async fn likes_and_boosts_are_counted_and_undone() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let ana = fake.actor("ana", 1);
    let article = app.add_article("/2026/liked", "Liked").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let reply = mastodon_create(&felix, 1, ap_id);
    felix.send(&app, &reply).await;
    app.drain().await;
    let like = |actor: &TestActor, n: u32, object: &str| json!({"id": format!("{}#likes/{n}", actor.id), "type": "Like", "actor": actor.id, "object": object});
    felix.send(&app, &like(&felix, 1, ap_id)).await;
    ana.send(&app, &like(&ana, 2, ap_id)).await;
    ana.send(&app, &like(&ana, 3, ap_id)).await; // the same like again
    ana.send(
        &app,
        &like(&ana, 4, reply["object"]["id"].as_str().unwrap()),
    )
    .await;
    ana.send(&app, &json!({"id": format!("{}#boosts/1", ana.id), "type": "Announce", "actor": ana.id,
                            "object": ap_id, "to": ["https://www.w3.org/ns/activitystreams#Public"]})).await;
    app.drain().await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["article"]["likes"], 2);
    assert_eq!(thread["article"]["announces"], 1);
    assert_eq!(thread["comments"][0]["likes"], 1);

    // pasture/bovine wrap a fresh copy of the Like (new id) in the Undo.
    ana.send(
        &app,
        &json!({"id": format!("{}#undo/1", ana.id), "type": "Undo", "actor": ana.id,
                            "object": like(&ana, 99, ap_id)}),
    )
    .await;
    // Mastodon undoes a boost by its id.
    ana.send(
        &app,
        &json!({"id": format!("{}#undo/2", ana.id), "type": "Undo", "actor": ana.id,
                            "object": format!("{}#boosts/1", ana.id)}),
    )
    .await;
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["article"]["likes"], 1);
    assert_eq!(thread["article"]["announces"], 0);
}

#[tokio::test]
async fn a_flag_from_another_server_becomes_a_report() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let instance = fake.actor("instance", 1);
    let article = app.add_article("/2026/flagged", "Flagged").await;
    let reply = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    felix.send(&app, &reply).await;
    app.drain().await;
    let flag = json!({"id": format!("{}#flags/1", instance.id), "type": "Flag", "actor": instance.id,
                      "content": "Spam <b>links</b>", "object": [felix.id, reply["object"]["id"]]});
    assert_eq!(instance.send(&app, &flag).await, 202);
    app.drain().await;
    let none = app
        .client
        .get(app.url("/api/v1/admin/reports"))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    let reports: Value = app
        .client
        .get(app.url("/api/v1/admin/reports"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 1);
    assert_eq!(reports[0]["actor"], instance.id);
    assert_eq!(reports[0]["content"], "Spam links");
    assert_eq!(reports[0]["objects"][1], reply["object"]["id"]);
}

#[tokio::test]
async fn a_reply_to_a_reply_on_a_third_server_that_never_mentioned_us_is_crawled_in() {
    let app = spawn_app().await;
    let first_server = FakeServer::start().await;
    let third_server = FakeServer::start().await;
    let alice = first_server.actor("alice", 0);
    let bob = third_server.actor("bob", 1);
    let article = app.add_article("/2026/conversation", "Conversation").await;

    // Alice replies to the article (and mentions us): we receive it.
    let mut a = mastodon_create(&alice, 1, article["ap_id"].as_str().unwrap());
    let replies = format!("{}/statuses/1/replies", alice.id);
    a["object"]["replies"] = json!({"id": replies, "type": "Collection",
        "first": {"type": "CollectionPage", "items": [],
                  "next": format!("{replies}?page=true"), "partOf": replies}});
    first_server.publish(&a);
    // Bob answers Alice from a third server without mentioning us: only Alice's
    // server hears of it, and lists it in her status's replies.
    let b = mastodon_create(&bob, 2, a["object"]["id"].as_str().unwrap());
    third_server.publish(&b);
    first_server.put(
        "/users/alice/statuses/1/replies",
        json!({"id": replies, "type": "Collection",
        "first": format!("{replies}?page=true")}),
    );
    first_server.put(
        "/users/alice/statuses/1/replies?page=true",
        json!({"id": format!("{replies}?page=true"),
        "type": "CollectionPage", "partOf": replies, "items": [b["object"]["id"]]}),
    );

    // Bob's server takes part in the thread (he commented on the article before): the
    // crawler fetches only from hosts in the thread.
    let earlier = mastodon_create(&bob, 3, article["ap_id"].as_str().unwrap());
    assert_eq!(bob.send(&app, &earlier).await, 202);
    assert_eq!(alice.send(&app, &a).await, 202);
    app.drain().await;
    tribune::services::threads::crawl::process_due(&app.state)
        .await
        .unwrap();

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["total"], 3);
    let alices = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ap_id"] == a["object"]["id"])
        .unwrap();
    let child = &alices["children"][0];
    assert_eq!(child["ap_id"], b["object"]["id"]);
    assert!(child["author"]["handle"]
        .as_str()
        .unwrap()
        .starts_with("@bob@"));
}

#[tokio::test]
async fn reply_from_your_instance_sends_the_reader_to_their_servers_interaction_page() {
    let app = spawn_app().await;
    let home = FakeServer::start().await;
    let host = home.base.trim_start_matches("http://").to_string();
    home.put(
        &format!(
            "/.well-known/webfinger?resource=acct%3Areader%40{}",
            host.replace(':', "%3A")
        ),
        json!({"subject": format!("acct:reader@{host}"), "links": [
            {"rel": "http://ostatus.org/schema/1.0/subscribe",
             "template": format!("{}/authorize_interaction?uri={{uri}}", home.base)}]}),
    );
    let article = app.add_article("/2026/interact", "Interact").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let response = app
        .client
        .get(app.url("/interact"))
        .query(&[("uri", ap_id), ("handle", &format!("@reader@{host}"))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let encoded: String = url::form_urlencoded::byte_serialize(ap_id.as_bytes()).collect();
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        format!("{}/authorize_interaction?uri={encoded}", home.base)
    );
    let json: Value = app
        .client
        .get(app.url("/interact"))
        .header("accept", "application/json")
        .query(&[("uri", ap_id), ("handle", &format!("reader@{host}"))])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(json["url"].as_str().unwrap().ends_with(&encoded));

    let unknown = app
        .client
        .get(app.url("/interact"))
        .query(&[
            ("uri", "https://elsewhere.example/x"),
            ("handle", "reader@x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let bad = app
        .client
        .get(app.url("/interact"))
        .query(&[("uri", ap_id), ("handle", "@")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn a_moved_account_is_recorded_when_the_new_one_confirms() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let old = fake.actor("old", 0);
    let article = app.add_article("/2026/move", "Move").await;
    old.send(
        &app,
        &mastodon_create(&old, 1, article["ap_id"].as_str().unwrap()),
    )
    .await;
    let new = fake.actor("new", 1);
    let mut new_doc: Value = reqwest::get(&new.id).await.unwrap().json().await.unwrap();
    new_doc["alsoKnownAs"] = json!([old.id]);
    fake.put("/users/new", new_doc);
    let moved = json!({"id": format!("{}#moves/1", old.id), "type": "Move", "actor": old.id,
                       "object": old.id, "target": new.id});
    assert_eq!(old.send(&app, &moved).await, 202);
    app.drain().await;
    let stored = tribune::storage::actors::find_by_ap_id(&app.state.db, &old.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.moved_to.as_deref(), Some(new.id.as_str()));
}
