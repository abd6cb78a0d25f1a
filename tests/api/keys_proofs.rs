//! Keys as Misskey publishes them (`additionalPublicKeys`, draft-cavage
//! `ed25519-sha512`), FEP-8b32 integrity proofs as Fedify sends them, and the
//! collections other servers backfill threads from.

use crate::helpers::*;
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A public reply to `in_reply_to`, number `n`, from `actor`, with the `@context`
/// Fedify and Misskey send.
fn create(actor: &str, n: u32, in_reply_to: &Value, content: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
        "id": format!("{actor}/notes/{n}/activity"), "type": "Create", "actor": actor,
        "to": [PUBLIC],
        "object": {"id": format!("{actor}/notes/{n}"), "type": "Note", "attributedTo": actor,
                   "inReplyTo": in_reply_to, "content": content, "to": [PUBLIC],
                   "published": "2026-12-01T10:00:00Z"}
    })
}

async fn total(app: &TestApp, article: &Value) -> u64 {
    app.thread(article["url"].as_str().unwrap()).await["total"]
        .as_u64()
        .unwrap()
}

// --- Keys -----------------------------------------------------------------------

#[tokio::test]
async fn a_misskey_request_signed_with_its_additional_ed25519_key_is_accepted_and_a_tampered_one_refused(
) {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/misskey", "Misskey").await;
    let (_, ed) = fake.misskey_actor("mk", 0);
    let first = create(&ed.id, 1, &article["ap_id"], "<p>Signed with ed25519-sha512</p>");
    assert_eq!(ed.send_cavage(&app, &first, "ed25519-sha512", true).await, 401);
    assert_eq!(ed.send_cavage(&app, &first, "ed25519-sha512", false).await, 202);
    // hs2019 with the same key means the same thing.
    let second = create(&ed.id, 2, &article["ap_id"], "<p>hs2019</p>");
    assert_eq!(ed.send_cavage(&app, &second, "hs2019", false).await, 202);
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["total"], 2);
    let contents: Vec<&str> = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["content_html"].as_str().unwrap())
        .collect();
    assert!(contents.contains(&"<p>Signed with ed25519-sha512</p>"), "{contents:?}");
}

#[tokio::test]
async fn a_misskey_actors_rsa_key_still_verifies_beside_its_additional_key() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/misskey-rsa", "Misskey RSA").await;
    let (rsa, _) = fake.misskey_actor("mk", 1);
    let activity = create(&rsa.id, 1, &article["ap_id"], "<p>RSA</p>");
    assert_eq!(rsa.send(&app, &activity).await, 202);
    app.drain().await;
    assert_eq!(total(&app, &article).await, 1);
}

#[tokio::test]
async fn an_additional_key_owned_by_someone_else_is_not_the_actors() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/misskey-owner", "Owner").await;
    let (_, ed) = fake.misskey_actor("mk", 0);
    let victim = fake.actor("victim", 1);
    // The document lists the key under its own id, but says it is the victim's.
    fake.edit("/users/mk", |doc| {
        doc["additionalPublicKeys"][0]["owner"] = json!(victim.id)
    });
    let activity = create(&ed.id, 1, &article["ap_id"], "<p>not mine</p>");
    assert_eq!(ed.send_cavage(&app, &activity, "ed25519-sha512", false).await, 401);
    app.drain().await;
    assert_eq!(total(&app, &article).await, 0);
}

// --- FEP-8b32 proofs --------------------------------------------------------------

#[tokio::test]
async fn a_create_with_a_valid_integrity_proof_is_accepted() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/proof", "Proof").await;
    let hollo = fake.ed25519_actor("hollo");
    let signed = hollo.prove(&create(&hollo.id, 1, &article["ap_id"], "<p>Proved</p>"));
    assert_eq!(signed["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(hollo.send(&app, &signed, false).await, 202);
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["comments"][0]["content_html"], "<p>Proved</p>");
}

#[tokio::test]
async fn an_activity_whose_content_changed_after_its_proof_is_refused_at_the_inbox() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/proof-tampered", "Tampered").await;
    let hollo = fake.ed25519_actor("hollo");
    let mut signed = hollo.prove(&create(&hollo.id, 1, &article["ap_id"], "<p>Proved</p>"));
    // A relay (or anyone holding a valid HTTP signature) changes what was proved.
    signed["object"]["content"] = json!("<p>Buy now</p>");
    assert_eq!(hollo.send(&app, &signed, false).await, 401);
    app.drain().await;
    assert_eq!(total(&app, &article).await, 0);
    assert_eq!(
        app.admin_get("/api/v1/admin/inbox?status=done").await,
        json!([])
    );
}

#[tokio::test]
async fn a_proof_made_with_another_known_actors_key_is_refused_at_the_inbox() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/proof-other", "Other").await;
    let hollo = fake.ed25519_actor("hollo");
    let mallory = fake.ed25519_actor("mallory");
    // Mallory is known here (its keys stored) once it has spoken.
    let own = mallory.prove(&create(&mallory.id, 1, &article["ap_id"], "<p>mine</p>"));
    assert_eq!(mallory.send(&app, &own, false).await, 202);
    // Hollo's activity, HTTP-signed by hollo, proved with mallory's key.
    let signed = mallory.prove(&create(&hollo.id, 1, &article["ap_id"], "<p>whose?</p>"));
    assert_eq!(hollo.send(&app, &signed, false).await, 401);
    app.drain().await;
    assert_eq!(total(&app, &article).await, 1, "only mallory's own reply");
}

#[tokio::test]
async fn a_proof_made_with_an_unknown_key_of_another_actor_is_dropped_when_processed() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/proof-later", "Later").await;
    let hollo = fake.ed25519_actor("hollo");
    let mallory = fake.ed25519_actor("mallory");
    let signed = mallory.prove(&create(&hollo.id, 1, &article["ap_id"], "<p>whose?</p>"));
    // Mallory's key is not stored yet: the inbox cannot tell, processing does.
    assert_eq!(hollo.send(&app, &signed, false).await, 202);
    app.drain().await;
    assert_eq!(total(&app, &article).await, 0);
    let failed = app.admin_get("/api/v1/admin/inbox?status=failed").await;
    assert_eq!(failed[0]["kind"], "Create");
    assert!(
        failed[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("another actor's key"),
        "{failed}"
    );
}

#[tokio::test]
async fn a_proof_whose_key_is_on_another_host_is_refused_at_the_inbox() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let elsewhere = FakeServer::start_on("127.0.0.2").await;
    let article = app.add_article("/2026/proof-host", "Host").await;
    let hollo = fake.ed25519_actor("hollo");
    let stranger = elsewhere.ed25519_actor("stranger");
    let signed = stranger.prove(&create(&hollo.id, 1, &article["ap_id"], "<p>from afar</p>"));
    assert_eq!(hollo.send(&app, &signed, false).await, 401);
    assert!(
        elsewhere.fetches().is_empty(),
        "nothing is fetched to refuse it"
    );
}

#[tokio::test]
async fn a_proof_in_a_suite_we_do_not_know_changes_nothing() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/proof-unknown", "Unknown").await;
    let hollo = fake.ed25519_actor("hollo");
    let mut activity = create(&hollo.id, 1, &article["ap_id"], "<p>rdfc</p>");
    activity["proof"] = json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
        "verificationMethod": hollo.key_id, "proofPurpose": "assertionMethod",
        "proofValue": "zNotChecked"});
    assert_eq!(hollo.send(&app, &activity, false).await, 202);
    app.drain().await;
    assert_eq!(total(&app, &article).await, 1);
}

#[tokio::test]
async fn a_valid_proof_does_not_stand_in_for_the_http_signature() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/proof-unsigned", "Unsigned").await;
    let hollo = fake.ed25519_actor("hollo");
    let signed = hollo.prove(&create(&hollo.id, 1, &article["ap_id"], "<p>Proved</p>"));
    let response = app
        .client
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .body(serde_json::to_vec(&signed).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}
