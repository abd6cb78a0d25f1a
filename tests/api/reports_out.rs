//! Reports out and in, and reactions as people send them: a `Flag` forwarded to the
//! reported author's server (a fake Mastodon 4.5) from the instance actor, per site
//! setting, once per comment and reason; Flags received in GoToSocial's and Misskey's
//! shapes attaching to the reported account's comments only; emoji reactions
//! (`EmojiReact`, Misskey's `_misskey_reaction`) counted per emoji, undone one by one,
//! within their caps.

use crate::console::sign_in;
use crate::helpers::*;
use serde_json::{json, Value};
use tribune::config::ForwardReports;

async fn app_forwarding(setting: ForwardReports) -> TestApp {
    spawn_settings(settings_with(|s| s.sites[0].forward_reports = setting).await).await
}

/// An article with one reply from `felix` on the fake server; the reply's
/// `Create` and its comment id.
async fn replied(app: &TestApp, fake: &FakeServer, path: &str) -> (Value, Value, i64) {
    let article = app.add_article(path, "Reported").await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(felix.send(app, &create).await, 202);
    app.drain().await;
    let id = app.thread(article["url"].as_str().unwrap()).await["comments"][0]["id"]
        .as_i64()
        .unwrap();
    (article, create, id)
}

fn flags(fake: &FakeServer) -> Vec<Received> {
    fake.received()
        .into_iter()
        .filter(|r| r.body["type"] == "Flag")
        .collect()
}

async fn hide(app: &TestApp, id: i64, reason: &str) {
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{id}/hide"),
            json!({"reason": reason, "note": "private note for moderators"}),
        )
        .await;
    assert!(status == 204 || status == 200, "{status}");
}

async fn reader_report(app: &TestApp, id: i64, reason: &str, content: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/reports"))
        .json(&json!({"comment": id, "reason": reason, "content": content}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Checks a draft-cavage signature (as Mastodon does) with the public key `/actor`
/// serves: every header it names, in order, over the received request.
async fn assert_signed_by_instance_actor(app: &TestApp, received: &Received) {
    use base64::Engine;
    use rsa::pkcs8::DecodePublicKey;
    let signature = received.headers["signature"].to_str().unwrap();
    let field = |name: &str| {
        signature
            .split(',')
            .find_map(|p| p.trim().strip_prefix(&format!("{name}=\"")))
            .map(|v| v.trim_end_matches('"').to_string())
            .unwrap_or_else(|| panic!("{name} in {signature}"))
    };
    assert_eq!(field("keyId"), app.url("/actor#main-key"));
    let headers = field("headers");
    assert!(headers.contains("digest"), "{headers}");
    let signed: Vec<String> = headers
        .split(' ')
        .map(|h| match h {
            "(request-target)" => format!("(request-target): post {}", received.path),
            h => format!("{h}: {}", received.headers[h].to_str().unwrap()),
        })
        .collect();
    let actor: Value = app
        .client
        .get(app.url("/actor"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = rsa::RsaPublicKey::from_public_key_pem(
        actor["publicKey"]["publicKeyPem"].as_str().unwrap(),
    )
    .unwrap();
    let digest = ring::digest::digest(&ring::digest::SHA256, signed.join("\n").as_bytes());
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(field("signature"))
        .unwrap();
    key.verify(
        // PKCS#1 v1.5 over SHA-256: the DigestInfo prefix of RFC 8017 §9.2.
        rsa::Pkcs1v15Sign {
            hash_len: Some(32),
            prefix: vec![
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ]
            .into_boxed_slice(),
        },
        digest.as_ref(),
        &bytes,
    )
    .expect("the Flag verifies with the instance actor's key");
}

#[tokio::test]
async fn a_hidden_comment_is_flagged_to_its_authors_server_from_the_instance_actor_once() {
    let app = app_forwarding(ForwardReports::Decisions).await;
    let fake = FakeServer::start().await;
    let (_, create, id) = replied(&app, &fake, "/2026/flag-out").await;
    hide(&app, id, "hors sujet").await;
    app.deliver().await;

    let sent = flags(&fake);
    assert_eq!(sent.len(), 1, "one Flag");
    let flag = &sent[0];
    assert_eq!(flag.path, "/inbox", "the author's server's shared inbox");
    assert_eq!(flag.body["actor"], app.url("/actor"));
    let felix = create["actor"].clone();
    assert_eq!(flag.body["object"], json!([felix, create["object"]["id"]]));
    assert_eq!(flag.body["to"], json!([felix]));
    let content = flag.body["content"].as_str().unwrap();
    assert!(
        content.contains("Hors sujet"),
        "the site's language: {content}"
    );
    assert!(content.contains("Demo News"), "{content}");
    assert!(
        !content.contains("private note"),
        "moderators' notes stay here: {content}"
    );
    assert_signed_by_instance_actor(&app, flag).await;

    // The same comment and reason again: deduplicated.
    app.admin_post(&format!("/api/v1/admin/comments/{id}/restore"), json!({}))
        .await;
    hide(&app, id, "off_topic").await;
    app.deliver().await;
    assert_eq!(flags(&fake).len(), 1, "once per comment and reason");
}

#[tokio::test]
async fn nothing_is_flagged_when_the_site_forwards_nothing() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (_, _, id) = replied(&app, &fake, "/2026/flag-off").await;
    assert_eq!(reader_report(&app, id, "abusive", "rude").await, 202);
    hide(&app, id, "abusive").await;
    app.deliver().await;
    assert!(flags(&fake).is_empty(), "off by default");
}

#[tokio::test]
async fn an_anonymous_report_sends_nothing_unless_the_site_chose_reports_and_decisions() {
    let app = app_forwarding(ForwardReports::Decisions).await;
    let fake = FakeServer::start().await;
    let (_, _, id) = replied(&app, &fake, "/2026/flag-reader").await;
    assert_eq!(reader_report(&app, id, "promotional", "buy now").await, 202);
    app.deliver().await;
    assert!(
        flags(&fake).is_empty(),
        "a reader's report is not a decision"
    );
}

#[tokio::test]
async fn a_readers_report_is_flagged_with_their_words_not_their_identity_once_a_day() {
    let app = app_forwarding(ForwardReports::ReportsAndDecisions).await;
    let fake = FakeServer::start().await;
    let (_, create, id) = replied(&app, &fake, "/2026/flag-reader-on").await;
    assert_eq!(
        reader_report(&app, id, "promotional", "links to a shop").await,
        202
    );
    app.deliver().await;
    let sent = flags(&fake);
    assert_eq!(sent.len(), 1);
    let content = sent[0].body["content"].as_str().unwrap();
    assert!(content.contains("Promotionnel"), "{content}");
    assert!(content.contains("links to a shop"), "{content}");
    assert!(!content.contains("reader:") && !content.contains("127.0.0.1"));
    assert_eq!(sent[0].body["object"][1], create["object"]["id"]);

    // Another reason from a reader the same day: rate limited (one Flag a day).
    assert_eq!(reader_report(&app, id, "abusive", "and rude").await, 202);
    app.deliver().await;
    assert_eq!(flags(&fake).len(), 1, "one Flag per comment a day");
    // A moderator's decision is not a reader's: it goes.
    hide(&app, id, "abusive").await;
    app.deliver().await;
    assert_eq!(flags(&fake).len(), 2);
}

#[tokio::test]
async fn a_moderator_forwards_one_report_from_the_console_whatever_the_setting() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (_, _, id) = replied(&app, &fake, "/2026/flag-console").await;
    assert_eq!(reader_report(&app, id, "hate", "hateful").await, 202);
    let console = sign_in(&app, "momo", "moderator").await;
    let (status, page) = console.get(&app, &format!("/admin/comments/{id}")).await;
    assert_eq!(status, 200);
    let report = page
        .split("name=\"report\" value=\"")
        .nth(1)
        .expect("a forward button for the report")
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let path = format!("/admin/comments/{id}/forward");
    let without_csrf = app
        .client
        .post(app.url(&path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("report={report}"))
        .send()
        .await
        .unwrap();
    let location = without_csrf
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        !location.contains("forwarded"),
        "no session, no forward: {location}"
    );
    let (status, location) = console.post(&app, &path, &format!("report={report}")).await;
    assert_eq!(status, 303);
    assert!(location.ends_with("forwarded=queued"), "{location}");
    let (_, page) = console.get(&app, &location).await;
    assert!(page.contains("Transmis"), "the console says so");
    app.deliver().await;
    let sent = flags(&fake);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].body["content"]
        .as_str()
        .unwrap()
        .contains("hateful"));
    let (_, again) = console.post(&app, &path, &format!("report={report}")).await;
    assert!(again.ends_with("forwarded=already_sent"), "{again}");
    // A decision to forward needs one.
    let (_, none) = console.post(&app, &path, "").await;
    assert!(!none.contains("forwarded=queued"), "{none}");
}

#[tokio::test]
async fn a_gotosocial_flag_attaches_to_the_reported_accounts_comment_and_never_to_anothers() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (article, felix_reply, felix_comment) = replied(&app, &fake, "/2026/gts-flag").await;
    let bob = fake.actor("bob", 1);
    let bob_reply = mastodon_create(&bob, 2, article["ap_id"].as_str().unwrap());
    bob.send(&app, &bob_reply).await;
    app.drain().await;
    let instance = fake.actor("example.org", 2);
    let mut flag = fixture("gotosocial-docs/moderation_flag_1.json");
    flag["id"] = json!(format!("{}/reports/01GP3AWY4CRDVRNZKW0TEAMB5R", fake.base));
    flag["actor"] = json!(instance.id);
    // The account reported is felix; bob's status is slipped in beside it.
    flag["object"] = json!([
        felix_reply["actor"],
        felix_reply["object"]["id"],
        bob_reply["object"]["id"]
    ]);
    assert_eq!(instance.send(&app, &flag).await, 202);
    app.drain().await;
    let reported = reported_comments(&app).await;
    assert_eq!(reported, vec![felix_comment], "felix's comment only");
}

#[tokio::test]
async fn a_misskey_flag_names_the_account_and_its_notes_in_the_text() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/misskey-flag", "Misskey").await;
    let felix = fake.actor("felix", 0);
    let mut felix_reply = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    // Misskey writes the note's page URL, which differs from its id here.
    let page = format!("{}/@felix/1", fake.base);
    felix_reply["object"]["url"] = json!(page);
    felix.send(&app, &felix_reply).await;
    let bob = fake.actor("bob", 1);
    let bob_reply = mastodon_create(&bob, 2, article["ap_id"].as_str().unwrap());
    bob.send(&app, &bob_reply).await;
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let felix_comment = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ap_id"] == felix_reply["object"]["id"])
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let system = fake.actor("instance.actor", 2);
    let flag = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Flag", "id": format!("{}/abuse/9", fake.base),
        "actor": system.id, "bto": felix.id, "object": felix.id,
        "content": format!("Note: {page}\nLocal Note: {}/notes/9x\nAlso {}\n-----\nspam",
                           fake.base, bob_reply["object"]["id"].as_str().unwrap()),
    });
    assert_eq!(system.send(&app, &flag).await, 202);
    app.drain().await;
    assert_eq!(reported_comments(&app).await, vec![felix_comment]);
    // A text naming a status with no account named attaches nothing.
    let loose = json!({"type": "Flag", "id": format!("{}/abuse/10", fake.base),
        "actor": system.id, "object": [], "content": format!("see {}", bob_reply["object"]["id"].as_str().unwrap())});
    system.send(&app, &loose).await;
    app.drain().await;
    assert_eq!(reported_comments(&app).await, vec![felix_comment]);
}

/// The ids of the comments with open reports.
async fn reported_comments(app: &TestApp) -> Vec<i64> {
    let response = app
        .client
        .get(app.url("/api/v1/admin/queue"))
        .query(&[("site", "demo"), ("status", "reported")])
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    let items: Vec<Value> = response.json().await.unwrap();
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

fn emoji_react(actor: &TestActor, n: u32, object: &str, content: &str) -> Value {
    json!({"@context": "https://www.w3.org/ns/activitystreams",
           "id": format!("{}/reactions/{n}", actor.id), "type": "EmojiReact",
           "actor": actor.id, "object": object, "content": content})
}

fn reactions(node: &Value) -> Vec<(String, u64)> {
    node["reactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["emoji"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn emoji_reactions_keep_their_emoji_and_are_counted_per_emoji() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (article, create, _) = replied(&app, &fake, "/2026/reactions").await;
    let note = create["object"]["id"].as_str().unwrap().to_string();
    let pleroma = fake.actor("lain", 1);
    let misskey = fake.actor("syuilo", 2);
    // Pleroma: two different emoji from one actor, and the first again (a repeat).
    pleroma
        .send(&app, &emoji_react(&pleroma, 1, &note, "🔥"))
        .await;
    pleroma
        .send(&app, &emoji_react(&pleroma, 2, &note, "👍"))
        .await;
    pleroma
        .send(&app, &emoji_react(&pleroma, 3, &note, "🔥"))
        .await;
    // Misskey: a Like with its reaction, a custom emoji with its image.
    let custom = json!({"id": format!("{}/likes/1", misskey.id), "type": "Like",
        "actor": misskey.id, "object": note, "content": ":blobcat:", "_misskey_reaction": ":blobcat:",
        "tag": [{"type": "Emoji", "name": ":blobcat:", "id": format!("{}/emojis/blobcat", fake.base),
                 "icon": {"type": "Image", "mediaType": "image/png", "url": format!("{}/files/blobcat.png", fake.base)}}]});
    misskey.send(&app, &custom).await;
    misskey
        .send(
            &app,
            &json!({"id": format!("{}/likes/2", misskey.id), "type": "Like", "actor": misskey.id,
                    "object": article["ap_id"], "_misskey_reaction": "🎉", "content": "🎉"}),
        )
        .await;
    app.drain().await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let comment = &thread["comments"][0];
    let mut got = reactions(comment);
    got.sort();
    assert_eq!(
        got,
        [(":blobcat:", 1), ("👍", 1), ("🔥", 1)].map(|(e, n)| (e.to_string(), n))
    );
    let blobcat = comment["reactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["emoji"] == ":blobcat:")
        .unwrap();
    assert_eq!(blobcat["icon"], format!("{}/files/blobcat.png", fake.base));
    assert_eq!(
        comment["likes"], 2,
        "likes count the actors who liked or reacted"
    );
    assert_eq!(reactions(&thread["article"]), vec![("🎉".to_string(), 1)]);
    assert_eq!(thread["article"]["likes"], 1);
    // The no-JS page shows them too: the custom emoji as an image named by its :name:.
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
    assert!(page.contains("🔥") && page.contains("🎉"), "{page}");
    assert!(page.contains("blobcat.png\" alt=\":blobcat:\""), "{page}");

    // Undo of one emoji (a fresh copy of the reaction, as some servers send): only it goes.
    let undo = json!({"id": format!("{}/undo/1", pleroma.id), "type": "Undo", "actor": pleroma.id,
        "object": {"id": format!("{}/reactions/99", pleroma.id), "type": "EmojiReact",
                   "actor": pleroma.id, "object": note, "content": "🔥"}});
    pleroma.send(&app, &undo).await;
    // And Misskey's by its id.
    let undo_like = json!({"id": format!("{}/undo/2", misskey.id), "type": "Undo", "actor": misskey.id,
        "object": format!("{}/likes/1", misskey.id)});
    misskey.send(&app, &undo_like).await;
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(
        reactions(&thread["comments"][0]),
        vec![("👍".to_string(), 1)]
    );
    assert_eq!(thread["comments"][0]["likes"], 1);
}

#[tokio::test]
async fn a_plain_like_stays_one_per_actor_and_reactions_have_caps() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (article, create, _) = replied(&app, &fake, "/2026/reaction-caps").await;
    let note = create["object"]["id"].as_str().unwrap().to_string();
    let a = fake.actor("flooder", 1);
    for n in 0..2 {
        a.send(
            &app,
            &json!({"id": format!("{}/likes/{n}", a.id), "type": "Like", "actor": a.id, "object": note}),
        )
        .await;
    }
    // Twelve different emoji from one actor: ten are kept.
    let emoji = [
        "😀", "😁", "😂", "🤣", "😃", "😄", "😅", "😆", "😉", "😊", "😋", "😎",
    ];
    for (n, e) in emoji.iter().enumerate() {
        a.send(&app, &emoji_react(&a, 10 + n as u32, &note, e))
            .await;
    }
    // Too long, words, and an image that is not http(s).
    a.send(&app, &emoji_react(&a, 50, &note, &"😀".repeat(65)))
        .await;
    a.send(&app, &emoji_react(&a, 51, &note, "CLICK HERE"))
        .await;
    let b = fake.actor("other", 0);
    b.send(
        &app,
        &json!({"id": format!("{}/r/1", b.id), "type": "EmojiReact", "actor": b.id, "object": note,
                "content": ":evil:", "tag": {"type": "Emoji", "name": ":evil:", "icon": {"url": "javascript:alert(1)"}}}),
    )
    .await;
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let comment = &thread["comments"][0];
    let list = comment["reactions"].as_array().unwrap();
    let from_a: u64 = list
        .iter()
        .filter(|r| r["emoji"] != ":evil:")
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(from_a, 10, "ten emoji per actor per object: {list:?}");
    assert!(list.iter().all(|r| r["emoji"] != "CLICK HERE"));
    let evil = list.iter().find(|r| r["emoji"] == ":evil:").unwrap();
    assert_eq!(evil["icon"], Value::Null, "only http(s) images");
    assert_eq!(comment["likes"], 2, "one per actor however many emoji");
}
