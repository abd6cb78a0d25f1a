//! The newsroom's voice: highlights shown first and federated, staff replies that reach
//! the commenter, feeds and counts.

use crate::helpers::*;
use serde_json::{json, Value};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// An article with three comments from two servers' worth of actors, and a follower.
async fn setup() -> (TestApp, FakeServer, Value, Vec<i64>, Vec<TestActor>) {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/newsroom", "Newsroom").await;
    let follower = fake.actor("reader", 2);
    let follow = json!({"id": format!("{}#follows/1", follower.id), "type": "Follow", "actor": follower.id,
                        "object": app.url("/sites/demo")});
    follower.send(&app, &follow).await;
    let mut actors = Vec::new();
    for (n, name) in ["ana", "bob", "cleo"].iter().enumerate() {
        let actor = fake.actor(name, n % 2);
        let mut create = mastodon_create(&actor, n as u32 + 1, article["ap_id"].as_str().unwrap());
        create["object"]["content"] = json!(format!(
            "<p>Comment number {n} by {name}, a thoughtful one</p>"
        ));
        create["object"]
            .as_object_mut()
            .unwrap()
            .remove("contentMap");
        actor.send(&app, &create).await;
        app.drain().await;
        actors.push(actor);
    }
    app.deliver().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let ids = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    (app, fake, article, ids, actors)
}

#[tokio::test]
async fn a_highlight_is_shown_first_with_its_note_and_announced_to_the_author_and_followers() {
    let (app, fake, article, ids, actors) = setup().await;
    let before = fake.received().len();
    let response = post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/highlight", ids[1]),
        json!({"note": "Un éclairage utile sur le sujet"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/highlight", ids[2]),
        json!({}),
    )
    .await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let highlighted = thread["highlighted"].as_array().unwrap();
    assert_eq!(highlighted.len(), 2);
    assert_eq!(highlighted[0]["id"], ids[1]);
    assert_eq!(
        highlighted[0]["editorial"]["note"],
        "Un éclairage utile sur le sujet"
    );
    assert_eq!(highlighted[0]["editorial"]["editor"], "Administrator");
    assert!(highlighted[0]["editorial"]["at"].is_string());
    assert_eq!(thread["comments"][1]["highlighted"], true);
    assert_eq!(thread["comments"][0]["highlighted"], false);

    // The editors reorder their selection.
    let reordered = app
        .client
        .put(app.url(&format!(
            "/api/v1/admin/articles/{}/highlights",
            article["id"]
        )))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"order": [ids[2], ids[1]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(reordered.status(), 204);
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["highlighted"][0]["id"], ids[2]);

    app.deliver().await;
    let announces: Vec<_> = fake.received()[before..]
        .iter()
        .filter(|r| r.body["type"] == "Announce")
        .cloned()
        .collect();
    let to_author = announces
        .iter()
        .find(|r| r.path == "/users/bob/inbox")
        .expect("the author's inbox got the Announce");
    assert_eq!(to_author.body["actor"], app.url("/sites/demo"));
    assert_eq!(to_author.body["cc"][1], actors[1].id);
    assert!(to_author.headers["signature"]
        .to_str()
        .unwrap()
        .contains("sites/demo#main-key"));
    assert!(
        announces.iter().any(|r| r.path == "/inbox"),
        "followers' shared inbox got it too"
    );

    // The article's featured collection lists exactly the selection, in order.
    let ap: Value = app
        .client
        .get(article["ap_id"].as_str().unwrap())
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let featured: Value = app
        .client
        .get(ap["featured"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items: Vec<&str> = featured["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        vec![
            thread["highlighted"][0]["ap_id"].as_str().unwrap(),
            thread["highlighted"][1]["ap_id"].as_str().unwrap()
        ]
    );

    // Removing a highlight sends Undo(Announce); hiding a comment removes its highlight.
    let removed = app
        .client
        .delete(app.url(&format!("/api/v1/admin/comments/{}/highlight", ids[2])))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/hide", ids[1]),
        json!({"reason": "other"}),
    )
    .await;
    app.deliver().await;
    let undos: Vec<_> = fake
        .received()
        .into_iter()
        .filter(|r| r.body["type"] == "Undo")
        .collect();
    assert!(undos
        .iter()
        .any(|r| r.path == "/users/cleo/inbox" && r.body["object"]["type"] == "Announce"));
    assert!(undos.iter().any(|r| r.path == "/users/bob/inbox"));
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["highlighted"], json!([]));
    let featured: Value = app
        .client
        .get(ap["featured"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(featured["totalItems"], 0);
}

#[tokio::test]
async fn only_published_comments_can_be_highlighted_and_only_by_staff() {
    let (app, _fake, _article, ids, _) = setup().await;
    post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/hide", ids[0]),
        json!({"reason": "repeated"}),
    )
    .await;
    let hidden = post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/highlight", ids[0]),
        json!({}),
    )
    .await;
    assert_eq!(hidden.status(), 422);
    let reader = app
        .client
        .post(app.url(&format!("/api/v1/admin/comments/{}/highlight", ids[1])))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(reader.status(), 401);

    post(
        &app,
        ADMIN_TOKEN,
        "/api/v1/admin/staff",
        json!({"username": "eve", "password": "a long enough password", "role": "editor"}),
    )
    .await;
    let token: Value = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "eve", "password": "a long enough password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let editor = token["token"].as_str().unwrap();
    let highlight = post(
        &app,
        editor,
        &format!("/api/v1/admin/comments/{}/highlight", ids[1]),
        json!({"note": "Bien vu"}),
    )
    .await;
    assert_eq!(highlight.status(), 200);
    let block = post(
        &app,
        editor,
        "/api/v1/admin/domain-policies",
        json!({"domain": "spam.example", "severity": "suspend"}),
    )
    .await;
    assert_eq!(block.status(), 403);
    let audit: Vec<Value> = app
        .client
        .get(app.url("/api/v1/admin/audit"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(audit
        .iter()
        .any(|e| e["who"] == "eve" && e["action"] == "comment.highlight"));
}

#[tokio::test]
async fn a_staff_reply_reaches_the_commenter_with_its_mention_and_its_edit_and_deletion_federate() {
    let (app, fake, article, ids, actors) = setup().await;
    let before = fake.received().len();
    let created = post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/reply", ids[0]),
        json!({"content": "Merci, **bonne remarque** : nous avons corrigé le chiffre."}),
    )
    .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    app.deliver().await;

    let received: Vec<_> = fake.received()[before..].to_vec();
    let create = received
        .iter()
        .find(|r| r.path == "/users/ana/inbox")
        .expect("the commenter's inbox got it");
    assert_eq!(create.body["type"], "Create");
    let note = &create.body["object"];
    assert_eq!(note["type"], "Note");
    assert_eq!(note["id"], created["ap_id"]);
    assert_eq!(note["attributedTo"], app.url("/sites/demo"));
    assert_eq!(note["inReplyTo"], format!("{}/statuses/1", actors[0].id));
    assert_eq!(note["tag"][0]["type"], "Mention");
    assert_eq!(note["tag"][0]["href"], actors[0].id);
    assert!(note["content"]
        .as_str()
        .unwrap()
        .contains("<strong>bonne remarque</strong>"));
    assert!(note["content"].as_str().unwrap().contains("mention"));
    assert!(create.headers["signature"]
        .to_str()
        .unwrap()
        .contains("sites/demo#main-key"));
    assert!(
        received
            .iter()
            .any(|r| r.path == "/inbox" && r.body["type"] == "Create"),
        "followers get it too"
    );

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let reply = &thread["comments"][0]["children"][0];
    assert_eq!(reply["staff"], true);
    assert_eq!(reply["author"]["name"], "Administrator");
    assert_eq!(reply["ap_id"], created["ap_id"]);
    let served: Value = app
        .client
        .get(created["ap_id"].as_str().unwrap())
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served["type"], "Note");

    let edited = app
        .client
        .put(app.url(&format!("/api/v1/admin/comments/{}", created["id"])))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"content": "Merci : chiffre corrigé."}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 204);
    let deleted = post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/delete", created["id"]),
        json!({}),
    )
    .await;
    assert_eq!(deleted.status(), 204);
    app.deliver().await;
    let to_ana: Vec<_> = fake
        .received()
        .into_iter()
        .filter(|r| r.path == "/users/ana/inbox")
        .collect();
    let update = to_ana
        .iter()
        .find(|r| r.body["type"] == "Update")
        .expect("an Update");
    assert!(update.body["object"]["content"]
        .as_str()
        .unwrap()
        .contains("chiffre corrigé"));
    assert!(
        update.body["object"]["content"]
            .as_str()
            .unwrap()
            .contains("mention"),
        "the mention stays"
    );
    let delete = to_ana
        .iter()
        .find(|r| r.body["type"] == "Delete")
        .expect("a Delete");
    assert_eq!(delete.body["object"]["id"], created["ap_id"]);
    let gone = app
        .client
        .get(created["ap_id"].as_str().unwrap())
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 410);
}

#[tokio::test]
async fn the_selection_feed_is_valid_atom_and_json_feed_and_counts_cover_many_articles() {
    let (app, _fake, article, ids, _) = setup().await;
    post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/highlight", ids[0]),
        json!({"note": "À lire <absolument> & vite"}),
    )
    .await;
    let atom = app
        .client
        .get(app.url("/sites/demo/highlights.atom"))
        .send()
        .await
        .unwrap();
    assert!(atom.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let text = atom.text().await.unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["id", "title", "updated", "author"] {
        assert!(
            feed.children().any(|c| c.tag_name().name() == required),
            "feed needs {required}"
        );
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 1);
    for required in ["id", "title", "updated", "content", "link"] {
        assert!(
            entries[0]
                .children()
                .any(|c| c.tag_name().name() == required),
            "entry needs {required}"
        );
    }
    let summary = entries[0]
        .children()
        .find(|c| c.tag_name().name() == "summary")
        .unwrap();
    assert_eq!(summary.text(), Some("À lire <absolument> & vite"));
    for updated in doc
        .descendants()
        .filter(|n| n.tag_name().name() == "updated")
    {
        chrono::DateTime::parse_from_rfc3339(updated.text().unwrap()).expect("RFC 3339 dates");
    }
    let json_feed: Value = app
        .client
        .get(app.url("/sites/demo/highlights.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json_feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json_feed["items"].as_array().unwrap().len(), 1);

    let other = app.add_article("/2026/empty", "Empty").await;
    let counts: Value = app
        .client
        .get(app.url("/api/v1/counts"))
        .query(&[
            ("url", article["url"].as_str().unwrap()),
            ("url", other["url"].as_str().unwrap()),
            ("url", "https://news.example/unknown"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        counts[article["url"].as_str().unwrap()],
        json!({"total": 3, "highlighted": 1})
    );
    assert_eq!(
        counts[other["url"].as_str().unwrap()],
        json!({"total": 0, "highlighted": 0})
    );
    assert!(counts.get("https://news.example/unknown").is_none());
    // Counts revalidate like threads: the same query with its ETag is a 304.
    let query = [("url", article["url"].as_str().unwrap())];
    let first = app
        .client
        .get(app.url("/api/v1/counts"))
        .query(&query)
        .send()
        .await
        .unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let again = app
        .client
        .get(app.url("/api/v1/counts"))
        .query(&query)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn a_thread_is_read_by_pages_with_its_total_and_selection_on_every_page() {
    let (app, _fake, article, ids, actors) = setup().await;
    // A reply under the first comment: it comes with its parent's page.
    let mut reply = mastodon_create(&actors[1], 10, &format!("{}/statuses/1", actors[0].id));
    reply["object"]["content"] = json!("<p>A reply to the first comment, in its page</p>");
    reply["object"]
        .as_object_mut()
        .unwrap()
        .remove("contentMap");
    actors[1].send(&app, &reply).await;
    app.drain().await;
    post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/highlight", ids[2]),
        json!({"note": "Le dernier, mis en valeur"}),
    )
    .await;
    let url = article["url"].as_str().unwrap();
    let page = |query: String| {
        let app = &app;
        async move {
            let response = app
                .client
                .get(app.url(&format!("/api/v1/threads?{query}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{query}");
            response.json::<Value>().await.unwrap()
        }
    };
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();

    let first = page(format!("url={encoded}&limit=2")).await;
    assert_eq!(first["total"], 4, "the whole thread is counted");
    let top: Vec<i64> = first["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(top, ids[..2]);
    assert_eq!(
        first["comments"][0]["children"].as_array().unwrap().len(),
        1,
        "replies come with their parent"
    );
    // The selection heads every page, even when the comment is on another one.
    assert_eq!(first["highlighted"][0]["id"], ids[2]);
    assert_eq!(first["next"], ids[1]);

    let second = page(format!("url={encoded}&limit=2&after={}", ids[1])).await;
    assert_eq!(second["comments"].as_array().unwrap().len(), 1);
    assert_eq!(second["comments"][0]["id"], ids[2]);
    assert!(second.get("next").is_none(), "the last page has no next");
    assert_eq!(second["total"], 4);

    // Without limit the whole tree, as before; hiding a comment shows at once.
    assert_eq!(app.thread(url).await["total"], 4);
    let hide = post(
        &app,
        ADMIN_TOKEN,
        &format!("/api/v1/admin/comments/{}/hide", ids[0]),
        json!({"reason": "off_topic"}),
    )
    .await;
    assert!(hide.status().is_success());
    assert_eq!(page(format!("url={encoded}&limit=2")).await["total"], 3);
    assert_eq!(app.thread(url).await["total"], 3);
}
