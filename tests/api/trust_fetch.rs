//! Who wrote what is decided by ids and verified signatures, never by redirects or by
//! what one document says about another account (issue 14, authenticity).

use crate::helpers::*;
use serde_json::{json, Value};
use tribune::{federation::fetch::FetchError, services::remote::actors, storage};
use url::Url;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

async fn stored_actor(
    app: &TestApp,
    id: &str,
) -> Option<tribune::storage::entities::remote_actor::Model> {
    storage::actors::find_by_ap_id(&app.state.db, id)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_parent_whose_author_url_redirects_to_another_account_is_not_shown_under_that_name() {
    let app = spawn_app().await;
    let victim = FakeServer::start().await;
    let evil = FakeServer::start_on("127.0.0.2").await;
    let article = app.add_article("/2026/12/trust", "Trust").await;
    let alice = victim.actor("alice", 0);
    let mallory = evil.actor("mallory", 1);
    // A parent note on the evil host, by an "author" whose URL answers 302 to Alice.
    let parent_id = format!("{}/notes/parent", evil.base);
    evil.put(
        "/users/ghost",
        Value::String(format!("redirect:{}", alice.id)),
    );
    evil.put(
        "/notes/parent",
        json!({"@context": "https://www.w3.org/ns/activitystreams", "id": parent_id,
               "type": "Note", "attributedTo": format!("{}/users/ghost", evil.base),
               "inReplyTo": article["ap_id"], "content": "<p>FREE BITCOIN</p>",
               "to": ["https://www.w3.org/ns/activitystreams#Public"],
               "published": "2026-11-30T10:00:00Z"}),
    );
    let mut create = mastodon_create(&mallory, 1, &parent_id);
    create["object"]["to"] = json!(["https://www.w3.org/ns/activitystreams#Public"]);
    assert_eq!(mallory.send(&app, &create).await, 202);
    app.drain().await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let text = thread.to_string();
    assert!(!text.contains("alice"), "shown under Alice's name: {text}");
    assert!(!text.contains("FREE BITCOIN"), "{text}");
    assert!(stored_actor(&app, &format!("{}/users/ghost", evil.base))
        .await
        .is_none());
    assert!(stored_actor(&app, &alice.id).await.is_none());
}

#[tokio::test]
async fn a_cached_actor_whose_url_later_redirects_elsewhere_is_not_replaced_by_the_other_account() {
    let app = spawn_app().await;
    let victim = FakeServer::start().await;
    let evil = FakeServer::start_on("127.0.0.2").await;
    let alice = victim.actor("alice", 0);
    let ghost = evil.actor("ghost", 1);
    let cached = actors::fetch_and_store(&app.state, &url(&ghost.id))
        .await
        .unwrap();
    assert_eq!(cached.name.as_deref(), Some("ghost (test)"));

    evil.put(
        "/users/ghost",
        Value::String(format!("redirect:{}", alice.id)),
    );
    let refreshed = actors::fetch_and_store(&app.state, &url(&ghost.id)).await;
    assert!(
        refreshed.is_err(),
        "a redirect to Alice is not the ghost: {refreshed:?}"
    );
    // The cached copy stands, and Alice is not stored from the ghost's URL.
    let still = stored_actor(&app, &ghost.id).await.unwrap();
    assert_eq!(still.name.as_deref(), Some("ghost (test)"));
    assert!(stored_actor(&app, &alice.id).await.is_none());
    let again = actors::get_or_fetch(&app.state, &url(&ghost.id))
        .await
        .unwrap();
    assert_eq!(again.ap_id, ghost.id);
}

#[tokio::test]
async fn a_document_on_the_same_host_cannot_overwrite_another_actor() {
    let app = spawn_app().await;
    let host = FakeServer::start().await;
    let alice = host.actor("alice", 0);
    actors::fetch_and_store(&app.state, &url(&alice.id))
        .await
        .unwrap();
    // Mallory's document, on Alice's host, says it is Alice.
    let mut forged: Value = json!({
        "@context": "https://www.w3.org/ns/activitystreams", "id": alice.id,
        "type": "Person", "preferredUsername": "alice", "name": "Alice says buy",
        "inbox": format!("{}/users/mallory/inbox", host.base),
    });
    host.put("/users/mallory", forged.take());
    let result =
        actors::fetch_and_store(&app.state, &url(&format!("{}/users/mallory", host.base))).await;
    assert!(result.is_err(), "{result:?}");
    let stored = stored_actor(&app, &alice.id).await.unwrap();
    assert_eq!(stored.name.as_deref(), Some("alice (test)"));
    assert_eq!(stored.inbox, format!("{}/inbox", alice.id));
}

#[tokio::test]
async fn a_key_id_listed_by_two_actors_belongs_to_the_one_it_names() {
    let app = spawn_app().await;
    let host = FakeServer::start().await;
    let article = app.add_article("/2026/12/keys", "Keys").await;
    let alice = host.actor("alice", 0);
    let mallory = host.actor("mallory", 1);
    // Mallory's document lists Alice's key id with Mallory's own key, and is seen first.
    let mut doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": mallory.id, "type": "Person", "preferredUsername": "mallory",
        "inbox": format!("{}/inbox", mallory.id),
        "publicKey": {"id": alice.key_id, "owner": mallory.id,
                      "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nplaceholder\n-----END PUBLIC KEY-----"},
    });
    // Mallory's real public key, under Alice's key id.
    let fetched = app.state.fetcher.fetch(&url(&mallory.id)).await.unwrap();
    doc["publicKey"]["publicKeyPem"] = fetched.json["publicKey"]["publicKeyPem"].clone();
    host.put("/users/mallory", doc);
    actors::fetch_and_store(&app.state, &url(&mallory.id))
        .await
        .unwrap();

    // Mallory signing as "Alice's key" is not Alice, nor Mallory.
    let forged = mallory.with_key_id(&alice.key_id);
    let mut create = mastodon_create(&mallory, 1, article["ap_id"].as_str().unwrap());
    create["object"]["to"] = json!(["https://www.w3.org/ns/activitystreams#Public"]);
    assert_eq!(forged.send(&app, &create).await, 401);

    // Alice's own key is hers.
    let mut create = mastodon_create(&alice, 2, article["ap_id"].as_str().unwrap());
    create["object"]["to"] = json!(["https://www.w3.org/ns/activitystreams#Public"]);
    assert_eq!(alice.send(&app, &create).await, 202);
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["total"], 1, "{thread}");
    assert_eq!(
        thread["comments"][0]["ap_id"],
        format!("{}/statuses/2", alice.id)
    );
    let (_, owner) = storage::actors::find_key(&app.state.db, &alice.key_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.ap_id, alice.id);
}

#[tokio::test]
async fn a_document_served_away_from_its_id_counts_only_when_its_id_confirms_it() {
    let app = spawn_app().await;
    let blog = FakeServer::start().await;
    let other = FakeServer::start_on("127.0.0.2").await;
    let note = |id: &str| {
        json!({"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Note",
               "attributedTo": format!("{}/users/author", blog.base), "content": "x"})
    };
    // WordPress style: `?p=1` answers the document whose id is the permalink.
    let permalink = format!("{}/2026/12/post", blog.base);
    blog.put("/2026/12/post", note(&permalink));
    blog.put("/p", note(&permalink));
    let fetched = app
        .state
        .fetcher
        .fetch(&url(&format!("{}/p", blog.base)))
        .await
        .unwrap();
    assert_eq!(fetched.url.as_str(), permalink);

    // A document naming an id on another host that does not answer with it.
    let claimed = format!("{}/notes/1", other.base);
    blog.put("/claims", note(&claimed));
    other.put("/notes/1", note(&format!("{}/notes/2", other.base)));
    let refused = app
        .state
        .fetcher
        .fetch(&url(&format!("{}/claims", blog.base)))
        .await;
    assert!(matches!(refused, Err(FetchError::WrongId)), "{refused:?}");

    // A redirect to another host whose document names the URL we asked for.
    let asked = format!("{}/notes/9", blog.base);
    blog.put(
        "/notes/9",
        Value::String(format!("redirect:{}/fake", other.base)),
    );
    other.put("/fake", note(&asked));
    let refused = app.state.fetcher.fetch(&url(&asked)).await;
    assert!(refused.is_err(), "{refused:?}");
}

#[tokio::test]
async fn names_are_shown_as_written_and_escaped_once() {
    let app = spawn_app().await;
    let host = FakeServer::start().await;
    let article = app.add_article("/2026/12/names", "Names").await;
    let actor = host.actor("amp", 0);
    let fetched = app.state.fetcher.fetch(&url(&actor.id)).await.unwrap();
    let mut doc = fetched.json;
    doc["name"] = json!("A & B <b> c");
    host.put("/users/amp", doc);
    let mut create = mastodon_create(&actor, 1, article["ap_id"].as_str().unwrap());
    create["object"]["to"] = json!(["https://www.w3.org/ns/activitystreams#Public"]);
    create["object"]["summary"] = json!("CW: <i>x</i> & y");
    assert_eq!(actor.send(&app, &create).await, 202);
    app.drain().await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["comments"][0]["author"]["name"], "A & B <b> c");
    // `summary` may be HTML (ActivityStreams 2.0): its text, once.
    assert_eq!(thread["comments"][0]["summary"], "CW: x & y");
    let page = app
        .client
        .get(app.url("/threads"))
        .query(&[("url", article["url"].as_str().unwrap())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("A &amp; B &lt;b&gt; c"), "{page}");
    assert!(page.contains("CW: x &amp; y"), "{page}");
    assert!(!page.contains("&amp;amp;"), "escaped twice: {page}");
}
