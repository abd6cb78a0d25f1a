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
    let first = create(
        &ed.id,
        1,
        &article["ap_id"],
        "<p>Signed with ed25519-sha512</p>",
    );
    assert_eq!(
        ed.send_cavage(&app, &first, "ed25519-sha512", true).await,
        401
    );
    assert_eq!(
        ed.send_cavage(&app, &first, "ed25519-sha512", false).await,
        202
    );
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
    assert!(
        contents.contains(&"<p>Signed with ed25519-sha512</p>"),
        "{contents:?}"
    );
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
    assert_eq!(
        ed.send_cavage(&app, &activity, "ed25519-sha512", false)
            .await,
        401
    );
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
async fn an_activity_with_more_proofs_than_a_proof_set_needs_is_refused_unverified() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/proof-flood", "Flood").await;
    let hollo = fake.ed25519_actor("hollo");
    let mut signed = hollo.prove(&create(&hollo.id, 1, &article["ap_id"], "<p>Proved</p>"));
    // One valid proof repeated: each copy would cost a canonicalisation and a check.
    let proof = signed["proof"].clone();
    signed["proof"] = json!(vec![proof; 50]);
    assert_eq!(hollo.send(&app, &signed, false).await, 400);
    app.drain().await;
    assert_eq!(total(&app, &article).await, 0);
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

// --- Collections others backfill from --------------------------------------------

async fn post_admin(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    app.admin_post(path, body).await
}

async fn get_ap(app: &TestApp, url: &str) -> (u16, Value) {
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

/// A Mastodon reply from `actor` (number `n`) to `parent` saying `content`.
fn reply_to(actor: &TestActor, n: u32, parent: &str, content: &str) -> Value {
    let mut create = mastodon_create(actor, n, parent);
    create["object"]["content"] = json!(content);
    create["object"]
        .as_object_mut()
        .unwrap()
        .remove("contentMap");
    create["object"]["tag"] = json!([]);
    create
}

/// The ids of a thread's comments by content.
fn id_of_content(thread: &Value, content: &str) -> Value {
    fn find(nodes: &Value, content: &str) -> Option<Value> {
        nodes.as_array()?.iter().find_map(|n| {
            if n["content_html"] == format!("<p>{content}</p>") {
                Some(n["id"].clone())
            } else {
                find(&n["children"], content)
            }
        })
    }
    find(&thread["comments"], content).unwrap_or_else(|| panic!("{content} not in {thread}"))
}

/// Comments in every status under one article: published `ok` (with a published
/// reply `child`), rejected (a banned word), held (a suspect word), hidden, deleted.
/// Returns the app, the article and the ap ids of the published and unpublished ones.
async fn thread_in_every_status() -> (TestApp, FakeServer, Value, Vec<String>, Vec<String>) {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/statuses", "Statuses").await;
    for (kind, pattern) in [
        ("banned_word", "connard"),
        ("suspect_regex", r"\bcrypto\w*"),
    ] {
        let (status, _) = post_admin(
            &app,
            "/api/v1/admin/rules",
            json!({"site": "demo", "kind": kind, "pattern": pattern}),
        )
        .await;
        assert_eq!(status, 201);
    }
    let ap = article["ap_id"].as_str().unwrap();
    let names = ["ok", "rejected", "held", "hidden", "deleted"];
    let texts = ["ok", "quel connard", "crypto moon", "hidden", "deleted"];
    let mut actors = Vec::new();
    for (i, (name, text)) in names.iter().zip(texts).enumerate() {
        let actor = fake.actor(name, i % 3);
        let create = reply_to(&actor, 1, ap, &format!("<p>{text}</p>"));
        fake.publish(&create);
        assert_eq!(actor.send(&app, &create).await, 202);
        actors.push(actor);
    }
    app.drain().await;
    let child = fake.actor("child", 1);
    let answer = reply_to(
        &child,
        1,
        &format!("{}/statuses/1", actors[0].id),
        "<p>child</p>",
    );
    assert_eq!(child.send(&app, &answer).await, 202);
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let hidden = id_of_content(&thread, "hidden");
    let (status, _) = post_admin(
        &app,
        &format!("/api/v1/admin/comments/{hidden}/hide"),
        json!({"reason": "off_topic"}),
    )
    .await;
    assert_eq!(status, 204);
    let deleted = id_of_content(&thread, "deleted");
    let (status, _) = post_admin(
        &app,
        &format!("/api/v1/admin/comments/{deleted}/delete"),
        json!({}),
    )
    .await;
    assert_eq!(status, 204);
    let published = vec![
        format!("{}/statuses/1", actors[0].id),
        format!("{}/statuses/1", child.id),
    ];
    let unpublished = actors[1..]
        .iter()
        .map(|a| format!("{}/statuses/1", a.id))
        .collect();
    (app, fake, article, published, unpublished)
}

fn assert_none_leak(what: &str, body: &Value, unpublished: &[String]) {
    let text = body.to_string();
    for id in unpublished {
        assert!(!text.contains(id.as_str()), "{what} leaks {id}: {text}");
    }
}

#[tokio::test]
async fn an_articles_replies_and_context_list_only_published_comments_and_count_only_them() {
    let (app, _fake, article, published, unpublished) = thread_in_every_status().await;
    let ap = article["ap_id"].as_str().unwrap();

    let (status, doc) = get_ap(&app, ap).await;
    assert_eq!(status, 200);
    assert_eq!(doc["replies"]["totalItems"], 1);
    assert_eq!(
        doc["replies"]["first"]["orderedItems"],
        json!([published[0]])
    );
    assert_none_leak("the Article", &doc, &unpublished);

    let (status, replies) = get_ap(&app, &format!("{ap}/replies")).await;
    assert_eq!(status, 200);
    assert_eq!(replies["type"], "OrderedCollection");
    assert_eq!(replies["totalItems"], 1);
    // The first page inline, items and all: nothing to fetch again.
    assert_eq!(replies["first"]["type"], "OrderedCollectionPage");
    assert_eq!(replies["first"]["id"], format!("{ap}/replies?page=1"));
    assert_eq!(replies["first"]["partOf"], format!("{ap}/replies"));
    assert_eq!(replies["first"]["orderedItems"], json!([published[0]]));
    assert_none_leak("replies", &replies, &unpublished);

    // The page its `first` names is served at that id.
    let (status, page) = get_ap(&app, &format!("{ap}/replies?page=1")).await;
    assert_eq!(status, 200);
    assert_eq!(page["id"], format!("{ap}/replies?page=1"));
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert_eq!(page["orderedItems"], json!([published[0]]));
    assert_eq!(get_ap(&app, &format!("{ap}/replies?page=2")).await.0, 404);

    let (status, context) = get_ap(&app, &format!("{ap}/context")).await;
    assert_eq!(status, 200);
    assert_eq!(
        context["totalItems"], 3,
        "the article and the two published"
    );
    assert_eq!(
        context["orderedItems"],
        json!([ap, published[0], published[1]])
    );
    assert_none_leak("context", &context, &unpublished);
}

#[tokio::test]
async fn a_staff_replys_note_embeds_its_replies_first_page_with_only_published_ones() {
    let (app, fake, article, published, _) = thread_in_every_status().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let ok = id_of_content(&thread, "ok");
    let (status, staff) = post_admin(
        &app,
        &format!("/api/v1/admin/comments/{ok}/reply"),
        json!({"content": "Merci."}),
    )
    .await;
    assert_eq!(status, 201);
    let staff_id = staff["ap_id"].as_str().unwrap().to_string();
    let collection = format!("{staff_id}/replies");

    // No answer yet: an empty first page, inline.
    let (_, note) = get_ap(&app, &staff_id).await;
    assert_eq!(note["replies"]["id"], collection);
    assert_eq!(note["replies"]["totalItems"], 0);
    assert_eq!(note["replies"]["first"]["orderedItems"], json!([]));

    // Answers to the staff reply, in every status.
    let mut unpublished = Vec::new();
    let mut fine = String::new();
    for (i, text) in ["merci à vous", "connard", "crypto", "to hide", "to delete"]
        .iter()
        .enumerate()
    {
        let actor = fake.actor(&format!("answer{i}"), i % 3);
        let create = reply_to(&actor, 1, &staff_id, &format!("<p>{text}</p>"));
        assert_eq!(actor.send(&app, &create).await, 202);
        let id = format!("{}/statuses/1", actor.id);
        if i == 0 {
            fine = id;
        } else {
            unpublished.push(id);
        }
    }
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    for (text, action, body) in [
        ("to hide", "hide", json!({"reason": "off_topic"})),
        ("to delete", "delete", json!({})),
    ] {
        let id = id_of_content(&thread, text);
        let (status, _) =
            post_admin(&app, &format!("/api/v1/admin/comments/{id}/{action}"), body).await;
        assert_eq!(status, 204, "{action}");
    }

    let (status, note) = get_ap(&app, &staff_id).await;
    assert_eq!(status, 200);
    assert_eq!(note["replies"]["totalItems"], 1);
    assert_eq!(note["replies"]["first"]["orderedItems"], json!([fine]));
    assert_eq!(note["replies"]["first"]["partOf"], collection);
    assert_none_leak("the staff Note", &note, &unpublished);

    let (status, served) = get_ap(&app, &collection).await;
    assert_eq!(status, 200);
    assert_eq!(served["totalItems"], 1);
    assert_eq!(served["first"]["orderedItems"], json!([fine]));
    assert_none_leak("its replies", &served, &unpublished);
    let (status, page) = get_ap(&app, &format!("{collection}?page=1")).await;
    assert_eq!(status, 200);
    assert_eq!(page["orderedItems"], json!([fine]));

    // The staff reply and its published answer are in the conversation; nothing else.
    let (_, context) = get_ap(
        &app,
        &format!("{}/context", article["ap_id"].as_str().unwrap()),
    )
    .await;
    let items = context["orderedItems"].as_array().unwrap();
    assert!(items.contains(&json!(staff_id)) && items.contains(&json!(fine)));
    assert!(items.contains(&json!(published[0])));
    assert_eq!(context["totalItems"].as_u64().unwrap(), items.len() as u64);
    assert_none_leak("context", &context, &unpublished);
}

#[tokio::test]
async fn only_a_staff_reply_has_replies_served_here() {
    let (app, _fake, article, _, _) = thread_in_every_status().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    // A remote comment's replies are its own server's to serve.
    let remote = id_of_content(&thread, "ok");
    let (status, _) = get_ap(&app, &app.url(&format!("/comments/{remote}/replies"))).await;
    assert_eq!(status, 404);
    assert_eq!(
        get_ap(&app, &app.url("/comments/999999/replies")).await.0,
        404
    );
}
