//! What Mastodon shows of an article (its FEP-b2b8 `preview`, a plain-text summary) and
//! bylines: journalists' own actors (WebFinger, keys, `attributionDomains`), articles
//! that name them, staff replies that come from them and that the site boosts.

use crate::helpers::*;
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use tribune::federation::signatures::{CavageSignature, PublicKey, SignedRequest};
use tribune::storage::entities::moderator;

const PASSWORD: &str = "a long enough password";

/// Creates staff member `username` (an editor) with a title; their bearer token.
async fn journalist(app: &TestApp, username: &str, title: &str) -> String {
    let (status, _) = app
        .admin_post(
            "/api/v1/admin/staff",
            json!({"username": username, "password": PASSWORD, "role": "editor",
                   "display_name": format!("{username} Martin")}),
        )
        .await;
    assert_eq!(status, 201, "staff {username} created");
    let token: Value = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_string();
    let profile = app
        .client
        .put(app.url("/api/v1/admin/profile"))
        .bearer_auth(&token)
        .json(&json!({"display_name": format!("{username} Martin"), "title": title}))
        .send()
        .await
        .unwrap();
    assert_eq!(profile.status(), 200);
    token
}

async fn register(app: &TestApp, body: Value) -> (u16, Value) {
    app.admin_post("/api/v1/articles", body).await
}

/// Staff with `token` replies to comment `id`: the status and the answer.
async fn reply(app: &TestApp, token: &str, id: i64, content: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/admin/comments/{id}/reply")))
        .bearer_auth(token)
        .json(&json!({"content": content}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn activity_json(app: &TestApp, url: &str) -> (u16, Value) {
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

async fn webfinger(app: &TestApp, name: &str) -> (u16, Value) {
    let host = app.state.settings.public_host();
    let response = app
        .client
        .get(app.url("/.well-known/webfinger"))
        .query(&[("resource", format!("acct:{name}@{host}"))])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn self_link(jrd: &Value) -> &Value {
    &jrd["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "self")
        .unwrap()["href"]
}

/// An article, a follower of the site on the fake server and a comment by `ana`.
async fn thread_with_a_comment(app: &TestApp, fake: &FakeServer) -> (Value, i64, TestActor) {
    let article = app.add_article("/2026/bylines", "Bylines").await;
    let follower = fake.actor("reader", 2);
    let follow = json!({"id": format!("{}#follows/1", follower.id), "type": "Follow",
                        "actor": follower.id, "object": app.url("/sites/demo")});
    follower.send(app, &follow).await;
    let ana = fake.actor("ana", 0);
    let mut create = mastodon_create(&ana, 1, article["ap_id"].as_str().unwrap());
    create["object"]["content"] = json!("<p>Le chiffre du deuxième paragraphe est faux</p>");
    create["object"]
        .as_object_mut()
        .unwrap()
        .remove("contentMap");
    ana.send(app, &create).await;
    app.drain().await;
    app.deliver().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let id = thread["comments"][0]["id"].as_i64().unwrap();
    (article, id, ana)
}

#[tokio::test]
async fn an_article_carries_a_preview_note_with_its_link_and_a_plain_text_summary() {
    let app = spawn_app().await;
    let url = format!("{SITE_ORIGIN}/2026/impots");
    let (status, created) = register(
        &app,
        json!({"site": "demo", "url": url, "title": "Impôts : ce qui change",
               "summary": "<p>Les <em>barèmes</em> &amp; les niches</p>"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(created["fediverse_creator"], Value::Null);
    let (status, article) = activity_json(&app, created["ap_id"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(article["summary"], "Les barèmes & les niches");
    assert_eq!(article["name"], "Impôts : ce qui change");
    assert_eq!(article["url"], url);
    let preview = &article["preview"];
    assert_eq!(preview["type"], "Note");
    assert_eq!(preview["attributedTo"], app.url("/sites/demo"));
    let content = preview["content"].as_str().unwrap();
    assert!(content.contains(&format!("href=\"{url}\"")), "{content}");
    assert!(content.contains("Impôts : ce qui change"));
    assert!(content.contains("Les barèmes &amp; les niches"));
    assert!(!content.contains("<em>"), "the publisher's markup is gone");
    // The thread API shows the same plain text.
    let thread = app.thread(&url).await;
    assert_eq!(thread["article"]["summary"], "Les barèmes & les niches");
    assert_eq!(thread["article"]["author"], Value::Null);
}

#[tokio::test]
async fn a_journalist_who_signs_an_article_has_an_actor_with_attribution_domains_and_webfinger() {
    let app = spawn_app().await;
    journalist(&app, "camille", "cheffe du service Société").await;
    // Before signing anything, nobody learns the login name.
    assert_eq!(activity_json(&app, &app.url("/staff/camille")).await.0, 404);
    assert_eq!(webfinger(&app, "camille").await.0, 404);

    let url = format!("{SITE_ORIGIN}/2026/enquete");
    let (status, created) = register(
        &app,
        json!({"site": "demo", "url": url, "title": "Enquête", "author": "camille"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let host = app.state.settings.public_host();
    let handle = format!("@camille@{host}");
    assert_eq!(created["fediverse_creator"], handle);

    let actor_id = app.url("/staff/camille");
    let (_, article) = activity_json(&app, created["ap_id"].as_str().unwrap()).await;
    assert_eq!(
        article["attributedTo"],
        json!([app.url("/sites/demo"), actor_id]),
        "the site first (Mastodon's account for it), then the journalist"
    );

    let (status, actor) = activity_json(&app, &actor_id).await;
    assert_eq!(status, 200);
    assert_eq!(actor["type"], "Person");
    assert_eq!(actor["id"], actor_id);
    assert_eq!(actor["preferredUsername"], "camille");
    assert_eq!(actor["name"], "camille Martin");
    assert!(actor["summary"]
        .as_str()
        .unwrap()
        .contains("cheffe du service Société"));
    assert_eq!(actor["attributionDomains"], json!(["news.example"]));
    assert_eq!(actor["inbox"], app.url("/inbox"));
    assert_eq!(actor["endpoints"]["sharedInbox"], app.url("/inbox"));
    assert_eq!(actor["outbox"], app.url("/staff/camille/outbox"));
    assert_eq!(actor["followers"], app.url("/staff/camille/followers"));
    assert_eq!(actor["publicKey"]["id"], format!("{actor_id}#main-key"));
    assert_eq!(actor["publicKey"]["owner"], actor_id);
    let pem = actor["publicKey"]["publicKeyPem"].as_str().unwrap();
    assert!(PublicKey::from_pem(pem).is_ok());
    let (_, site) = activity_json(&app, &app.url("/sites/demo")).await;
    assert_ne!(site["publicKey"]["publicKeyPem"], pem, "a key of their own");
    let terms = actor["@context"].as_array().unwrap().last().unwrap();
    assert_eq!(
        terms["attributionDomains"]["@id"],
        "toot:attributionDomains"
    );
    for path in ["/staff/camille/outbox", "/staff/camille/followers"] {
        assert_eq!(activity_json(&app, &app.url(path)).await.0, 200, "{path}");
    }

    let (status, jrd) = webfinger(&app, "camille").await;
    assert_eq!(status, 200);
    assert_eq!(jrd["subject"], format!("acct:camille@{host}"));
    assert_eq!(self_link(&jrd), &json!(actor_id));

    let thread = app.thread(&url).await;
    assert_eq!(thread["article"]["author"]["handle"], handle);
    assert_eq!(thread["article"]["author"]["name"], "camille Martin");

    // Left out on a re-registration, the byline stays; `null` removes it.
    let (_, again) = register(
        &app,
        json!({"site": "demo", "url": url, "title": "Enquête (2)"}),
    )
    .await;
    assert_eq!(again["fediverse_creator"], handle);
    let (_, cleared) = register(&app, json!({"site": "demo", "url": url, "author": null})).await;
    assert_eq!(cleared["fediverse_creator"], Value::Null);
    let (_, article) = activity_json(&app, created["ap_id"].as_str().unwrap()).await;
    assert_eq!(article["attributedTo"], app.url("/sites/demo"));
}

#[tokio::test]
async fn an_unknown_author_is_refused_and_nothing_is_registered() {
    let app = spawn_app().await;
    let url = format!("{SITE_ORIGIN}/2026/anonyme");
    let (status, error) = register(
        &app,
        json!({"site": "demo", "url": url, "title": "Anonyme", "author": "nobody"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error["field"], "author");
    let missing = app
        .client
        .get(app.url("/api/v1/threads"))
        .query(&[("url", url.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_journalists_reply_is_their_note_signed_with_their_key_and_boosted_by_the_site() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (article, comment_id, ana) = thread_with_a_comment(&app, &fake).await;
    let token = journalist(&app, "camille", "cheffe du service Société").await;
    let before = fake.received().len();
    let (status, created) = reply(
        &app,
        &token,
        comment_id,
        "Merci, nous avons corrigé le chiffre.",
    )
    .await;
    assert_eq!(status, 201, "{created}");
    app.deliver().await;

    let actor_id = app.url("/staff/camille");
    let received: Vec<_> = fake.received()[before..].to_vec();
    let create = received
        .iter()
        .find(|r| r.path == "/users/ana/inbox")
        .expect("the commenter's inbox got it");
    assert_eq!(create.body["type"], "Create");
    assert_eq!(create.body["actor"], actor_id);
    let note = &create.body["object"];
    assert_eq!(note["type"], "Note");
    assert_eq!(note["id"], created["ap_id"]);
    assert_eq!(note["attributedTo"], actor_id);
    assert_eq!(note["inReplyTo"], format!("{}/statuses/1", ana.id));
    assert_eq!(note["tag"][0]["href"], ana.id);
    let policy = &note["interactionPolicy"];
    assert!(policy["canQuote"]["automaticApproval"]
        .as_array()
        .unwrap()
        .contains(&json!("https://www.w3.org/ns/activitystreams#Public")));
    assert!(policy["canReply"]["always"]
        .as_array()
        .unwrap()
        .contains(&json!(actor_id)));

    // Signed with the journalist's key: it verifies against their actor, not the site's.
    let signature = CavageSignature::from_headers(&create.headers).unwrap();
    assert_eq!(signature.key_id, format!("{actor_id}#main-key"));
    let (_, actor) = activity_json(&app, &actor_id).await;
    let theirs = PublicKey::from_pem(actor["publicKey"]["publicKeyPem"].as_str().unwrap()).unwrap();
    let request = SignedRequest {
        method: &axum::http::Method::POST,
        path_and_query: &create.path,
        headers: &create.headers,
    };
    signature
        .verify(&request, &theirs)
        .expect("the journalist's key verifies");
    let (_, site) = activity_json(&app, &app.url("/sites/demo")).await;
    let sites = PublicKey::from_pem(site["publicKey"]["publicKeyPem"].as_str().unwrap()).unwrap();
    assert!(signature.verify(&request, &sites).is_err());

    // The site's followers get it, and the site's boost.
    let to_followers: Vec<_> = received.iter().filter(|r| r.path == "/inbox").collect();
    assert!(to_followers.iter().any(|r| r.body["type"] == "Create"));
    let announce = to_followers
        .iter()
        .find(|r| r.body["type"] == "Announce")
        .expect("the site boosts it");
    assert_eq!(announce.body["actor"], app.url("/sites/demo"));
    assert_eq!(announce.body["object"], created["ap_id"]);
    assert!(CavageSignature::from_headers(&announce.headers)
        .unwrap()
        .key_id
        .ends_with("/sites/demo#main-key"));

    // Served at its id, attributed to the journalist; the thread shows their handle.
    let (_, served) = activity_json(&app, created["ap_id"].as_str().unwrap()).await;
    assert_eq!(served["attributedTo"], actor_id);
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let reply = &thread["comments"][0]["children"][0];
    assert_eq!(reply["staff"], true);
    assert_eq!(
        reply["author"]["handle"],
        format!("@camille@{}", app.state.settings.public_host())
    );
    assert_eq!(reply["byline"]["name"], "camille Martin");
    assert_eq!(reply["byline"]["title"], "cheffe du service Société");

    // Edited and deleted by the journalist too (Mastodon applies only the author's).
    let edited = app
        .client
        .put(app.url(&format!("/api/v1/admin/comments/{}", created["id"])))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"content": "Merci : chiffre corrigé."}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 204);
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{}/delete", created["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    app.deliver().await;
    let to_ana: Vec<_> = fake
        .received()
        .into_iter()
        .filter(|r| r.path == "/users/ana/inbox")
        .collect();
    for kind in ["Update", "Delete"] {
        let activity = to_ana.iter().find(|r| r.body["type"] == kind).expect(kind);
        assert_eq!(activity.body["actor"], actor_id, "{kind}");
        assert_eq!(
            CavageSignature::from_headers(&activity.headers)
                .unwrap()
                .key_id,
            format!("{actor_id}#main-key")
        );
    }
}

#[tokio::test]
async fn a_site_that_does_not_boost_staff_replies_only_sends_the_note() {
    let settings = settings_with(|s| s.sites[0].announce_staff_replies = false).await;
    let app = spawn_settings(settings).await;
    let fake = FakeServer::start().await;
    let (_article, comment_id, _ana) = thread_with_a_comment(&app, &fake).await;
    let token = journalist(&app, "camille", "reporter").await;
    let before = fake.received().len();
    let (status, created) = reply(&app, &token, comment_id, "Merci.").await;
    assert_eq!(status, 201, "{created}");
    app.deliver().await;
    let received: Vec<_> = fake.received()[before..].to_vec();
    assert!(received
        .iter()
        .any(|r| r.path == "/inbox" && r.body["type"] == "Create"));
    assert!(!received.iter().any(|r| r.body["type"] == "Announce"));
}

#[tokio::test]
async fn a_disabled_journalist_is_gone_and_no_longer_signs_articles() {
    let app = spawn_app().await;
    journalist(&app, "camille", "reporter").await;
    let url = format!("{SITE_ORIGIN}/2026/depart");
    let (_, created) = register(
        &app,
        json!({"site": "demo", "url": url, "title": "Départ", "author": "camille"}),
    )
    .await;
    assert_eq!(activity_json(&app, &app.url("/staff/camille")).await.0, 200);
    moderator::Entity::update_many()
        .col_expr(moderator::Column::Disabled, Expr::value(true))
        .filter(moderator::Column::Username.eq("camille"))
        .exec(&app.state.db)
        .await
        .unwrap();
    let (status, gone) = activity_json(&app, &app.url("/staff/camille")).await;
    assert_eq!(status, 410);
    assert_eq!(gone["type"], "Tombstone");
    assert_eq!(gone["id"], app.url("/staff/camille"));
    assert_eq!(webfinger(&app, "camille").await.0, 404);
    assert_eq!(
        activity_json(&app, &app.url("/staff/camille/outbox"))
            .await
            .0,
        404
    );
    let (_, article) = activity_json(&app, created["ap_id"].as_str().unwrap()).await;
    assert_eq!(article["attributedTo"], app.url("/sites/demo"));
    let (status, _) = register(
        &app,
        json!({"site": "demo", "url": format!("{SITE_ORIGIN}/2026/autre"), "title": "Autre",
               "author": "camille"}),
    )
    .await;
    assert_eq!(status, 422, "a disabled member signs nothing new");
}

#[tokio::test]
async fn a_staff_member_named_like_a_site_gets_no_actor_and_webfinger_keeps_the_site() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (_article, comment_id, _ana) = thread_with_a_comment(&app, &fake).await;
    let token = journalist(&app, "demo", "homonyme").await;
    // Their byline cannot name an actor that is the site's.
    let (status, error) = register(
        &app,
        json!({"site": "demo", "url": format!("{SITE_ORIGIN}/2026/homonyme"),
               "title": "Homonyme", "author": "demo"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error["field"], "author");
    // Their replies are the site's.
    let before = fake.received().len();
    let (status, created) = reply(&app, &token, comment_id, "Réponse du service.").await;
    assert_eq!(status, 201, "{created}");
    app.deliver().await;
    let received: Vec<_> = fake.received()[before..].to_vec();
    let create = received
        .iter()
        .find(|r| r.path == "/users/ana/inbox")
        .expect("delivered");
    assert_eq!(
        create.body["object"]["attributedTo"],
        app.url("/sites/demo")
    );
    assert!(!received.iter().any(|r| r.body["type"] == "Announce"));
    // WebFinger and the URL space stay the site's.
    let (status, jrd) = webfinger(&app, "demo").await;
    assert_eq!(status, 200);
    assert_eq!(self_link(&jrd), &json!(app.url("/sites/demo")));
    assert_eq!(activity_json(&app, &app.url("/staff/demo")).await.0, 404);
    // Likewise for the blocklist actor's and the instance actor's names.
    journalist(&app, "blocklist", "homonyme").await;
    let (status, _) = register(
        &app,
        json!({"site": "demo", "url": format!("{SITE_ORIGIN}/2026/liste"),
               "title": "Liste", "author": "blocklist"}),
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn a_follow_of_a_journalist_is_rejected_by_them_so_it_does_not_wait_forever() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    journalist(&app, "camille", "reporter").await;
    register(
        &app,
        json!({"site": "demo", "url": format!("{SITE_ORIGIN}/2026/suivre"), "title": "Suivre",
               "author": "camille"}),
    )
    .await;
    let reader = fake.actor("reader", 2);
    let actor_id = app.url("/staff/camille");
    let follow_id = format!("{}#follows/9", reader.id);
    let follow = json!({"id": follow_id, "type": "Follow", "actor": reader.id, "object": actor_id});
    assert_eq!(reader.send(&app, &follow).await.as_u16(), 202);
    app.drain().await;
    app.deliver().await;
    let reject = fake
        .received()
        .into_iter()
        .find(|r| r.body["type"] == "Reject")
        .expect("a Reject");
    assert_eq!(reject.body["actor"], actor_id);
    assert_eq!(reject.body["object"]["id"], follow_id);
    assert_eq!(reject.body["object"]["object"], actor_id);
    assert_eq!(
        CavageSignature::from_headers(&reject.headers)
            .unwrap()
            .key_id,
        format!("{actor_id}#main-key")
    );
    assert!(!fake.received().iter().any(|r| r.body["type"] == "Accept"));
    let (_, followers) = activity_json(&app, &app.url("/staff/camille/followers")).await;
    assert_eq!(followers["totalItems"], 0);
}

#[tokio::test]
async fn the_console_shows_a_journalist_their_handle_and_the_tag_to_paste() {
    let app = spawn_app().await;
    let camille = crate::selection::Console::sign_in(&app, "camille", "editor", "Camille").await;
    let handle = format!("@camille@{}", app.state.settings.public_host());
    for lang in ["fr", "en"] {
        let (status, page) = camille.get_in("/admin/selection", lang).await;
        assert_eq!(status, 200);
        assert!(
            page.contains(&format!("<code class=\"handle\">{handle}</code>")),
            "{page}"
        );
        assert!(page.contains(&format!(
            "&lt;meta name=\"fediverse:creator\" content=\"{handle}\"&gt;"
        )));
    }
}

#[tokio::test]
async fn a_quote_of_a_journalists_reply_is_authorised_by_the_journalist() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (_article, comment_id, _ana) = thread_with_a_comment(&app, &fake).await;
    let token = journalist(&app, "camille", "cheffe du service Société").await;
    let (status, created) = reply(&app, &token, comment_id, "Le chiffre est corrigé.").await;
    assert_eq!(status, 201, "{created}");
    app.deliver().await;
    let reply_id = created["ap_id"].as_str().unwrap();

    // FEP-044f: the stamp is checked against the quoted post's author, the journalist.
    let bob = fake.actor("bob", 1);
    let note_id = format!("{}/statuses/50", bob.id);
    let request = json!({
        "id": format!("{}/quote_requests/1", bob.id), "type": "QuoteRequest",
        "actor": bob.id, "object": reply_id,
        "instrument": {
            "id": note_id, "type": "Note", "attributedTo": bob.id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>Bien vu.</p>", "quote": reply_id,
            "published": "2026-12-03T09:00:00Z"
        }
    });
    let before = fake.received().len();
    assert_eq!(bob.send(&app, &request).await, 202);
    app.drain().await;
    app.deliver().await;
    let received: Vec<_> = fake.received()[before..].to_vec();
    let accept = received
        .iter()
        .find(|r| r.body["type"] == "Accept")
        .expect("the quote is accepted");
    let actor_id = app.url("/staff/camille");
    assert_eq!(accept.body["actor"], actor_id);
    assert_eq!(
        CavageSignature::from_headers(&accept.headers)
            .unwrap()
            .key_id,
        format!("{actor_id}#main-key")
    );
    let (status, stamp) = activity_json(&app, accept.body["result"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(stamp["attributedTo"], actor_id);
    assert_eq!(stamp["interactionTarget"], reply_id);
    assert_eq!(stamp["interactingObject"], note_id);
}
