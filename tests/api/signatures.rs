//! Every way the fediverse signs: RFC 9421 (RSA and Ed25519 multikeys), GoToSocial's
//! fragment-less key ids, rotated keys; authorized fetch; the double knock out.

use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn an_rfc9421_rsa_signed_reply_is_accepted() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/9421", "RFC 9421").await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(felix.send_rfc9421(&app, &create).await, 202);
    app.drain().await;
    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        1
    );
}

#[tokio::test]
async fn an_ed25519_multikey_signature_is_accepted_and_a_tampered_one_refused() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/ed25519", "Ed25519").await;
    let hollo = fake.ed25519_actor("hollo");
    let create = json!({"id": format!("{}/notes/1/create", hollo.id), "type": "Create", "actor": hollo.id,
        "object": {"id": format!("{}/notes/1", hollo.id), "type": "Note", "attributedTo": hollo.id,
                   "inReplyTo": article["ap_id"], "content": "<p>Signed with Ed25519</p>",
                   "to": ["https://www.w3.org/ns/activitystreams#Public"]}});
    assert_eq!(hollo.send(&app, &create, true).await, 401);
    assert_eq!(hollo.send(&app, &create, false).await, 202);
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(
        thread["comments"][0]["content_html"],
        "<p>Signed with Ed25519</p>"
    );
}

#[tokio::test]
async fn a_gotosocial_key_id_without_fragment_is_followed_to_its_owner() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/gts", "GtS").await;
    let gts = fake.actor("gts", 1);
    // GoToSocial: keyId `…/users/gts/main-key`, which answers a stub of the actor.
    let key_id = format!("{}/main-key", gts.id);
    let mut full = fetch_fake(&fake, "/users/gts").await;
    full["publicKey"]["id"] = json!(key_id);
    fake.put("/users/gts", full.clone());
    fake.put(
        "/users/gts/main-key",
        json!({"id": gts.id, "type": "Person",
        "publicKey": full["publicKey"].clone()}),
    );
    let gts = gts.with_key_id(&key_id);
    let create = mastodon_create(&gts, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(gts.send(&app, &create).await, 202);
    app.drain().await;
    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        1
    );
}

#[tokio::test]
async fn a_rotated_key_is_fetched_again_once() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/rotate", "Rotate").await;
    let old = fake.actor("rot", 0);
    let first = mastodon_create(&old, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(old.send(&app, &first).await, 202);
    // The account gets a new key pair; our cached key is now stale.
    let new = fake.actor("rot", 1);
    let second = mastodon_create(&new, 2, article["ap_id"].as_str().unwrap());
    assert_eq!(new.send(&app, &second).await, 202);
    // A forger with yet another key gains nothing from the refetch.
    let forged = mastodon_create(&new, 3, article["ap_id"].as_str().unwrap());
    let spoil = Spoil {
        wrong_key: Some(2),
        ..Spoil::default()
    };
    assert_eq!(new.send_spoiled(&app, &forged, &spoil).await, 401);
}

#[tokio::test]
async fn authorized_fetch_serves_documents_only_to_signed_gets() {
    let app = spawn_app_with(Options {
        authorized_fetch: true,
        ..Options::default()
    })
    .await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let article = app.add_article("/2026/secure", "Secure").await;
    for url in [
        app.url("/sites/demo"),
        article["ap_id"].as_str().unwrap().to_string(),
    ] {
        let unsigned = app
            .client
            .get(&url)
            .header("accept", "application/activity+json")
            .send()
            .await
            .unwrap();
        assert_eq!(unsigned.status(), 401, "{url}");
        let signed = felix.signed_get(&app.client, &url).send().await.unwrap();
        assert_eq!(signed.status(), 200, "{url}");
    }
    // The instance actor stays open (others verify our signed fetches with it) and
    // browsers still get redirected to the page.
    assert_eq!(
        app.client
            .get(app.url("/actor"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let browser = app
        .client
        .get(article["ap_id"].as_str().unwrap())
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(browser.status(), 303);
}

#[tokio::test]
async fn our_fetches_are_signed_gets_from_the_instance_actor() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let article = app.add_article("/2026/signed-get", "Signed").await;
    felix
        .send(
            &app,
            &mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap()),
        )
        .await;
    let fetches = fake.fetches();
    let (_, headers) = fetches
        .iter()
        .find(|(path, _)| path == "/users/felix")
        .unwrap_or_else(|| {
            panic!(
                "the key was fetched: {:?}",
                fetches.iter().map(|f| &f.0).collect::<Vec<_>>()
            )
        });
    let signature = headers["signature"].to_str().unwrap();
    assert!(
        signature.contains(&format!("keyId=\"{}\"", app.url("/actor#main-key"))),
        "{signature}"
    );
    assert!(
        signature.contains("headers=\"(request-target) host date accept\""),
        "{signature}"
    );
}

#[tokio::test]
async fn a_peer_that_refuses_cavage_gets_an_rfc9421_signature_on_the_second_knock() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    fake.require_rfc9421();
    let felix = fake.actor("felix", 0);
    let follow = json!({"id": format!("{}#follows/9", felix.id), "type": "Follow",
                        "actor": felix.id, "object": app.url("/sites/demo")});
    assert_eq!(felix.send(&app, &follow).await, 202);
    app.drain().await;
    app.deliver().await;
    let received = fake.received();
    assert_eq!(received.len(), 1, "the Accept arrived");
    let input = received[0].headers["signature-input"].to_str().unwrap();
    assert!(
        input.contains(&format!("keyid=\"{}\"", app.url("/sites/demo#main-key"))),
        "{input}"
    );
    assert!(received[0].headers.contains_key("content-digest"));
}

async fn fetch_fake(fake: &FakeServer, path: &str) -> Value {
    reqwest::get(format!("{}{path}", fake.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
