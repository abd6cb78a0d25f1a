//! Replies from the fediverse landing in threads, and everything the inbox refuses.

use crate::helpers::*;
use serde_json::{json, Value};

async fn app_with_article() -> (TestApp, FakeServer, Value) {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/11/thinkpads", "Thinkpads").await;
    (app, fake, article)
}

fn article_url(article: &Value) -> String {
    article["url"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_signed_mastodon_reply_lands_in_the_thread_with_sanitised_html_and_its_author() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let mut create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let content = create["object"]["content"].as_str().unwrap().to_string();
    create["object"]["content"] = json!(format!("{content}<script>alert('x')</script>"));
    create["object"]["contentMap"] = json!({"en": create["object"]["content"]});

    assert_eq!(felix.send(&app, &create).await, 202);
    app.drain().await;

    let thread = app.thread(&article_url(&article)).await;
    assert_eq!(thread["total"], 1);
    let comment = &thread["comments"][0];
    assert_eq!(comment["ap_id"], format!("{}/statuses/1", felix.id));
    assert_eq!(comment["in_reply_to"], article["ap_id"]);
    assert_eq!(
        comment["author"]["handle"],
        format!("@felix@{}", fake.base.trim_start_matches("http://"))
    );
    assert_eq!(comment["author"]["name"], "felix (test)");
    assert_eq!(comment["author"]["url"], format!("{}/@felix", fake.base));
    assert_eq!(
        comment["author"]["avatar"],
        format!("{}/avatars/felix.png", fake.base)
    );
    assert_eq!(comment["language"], "en");
    assert_eq!(comment["highlighted"], false);
    let html = comment["content_html"].as_str().unwrap();
    assert!(html.contains("thinkpad"), "{html}");
    assert!(
        html.contains(r#"class="u-url mention""#),
        "mentions are kept: {html}"
    );
    assert!(html.contains(r#"rel="nofollow noopener ugc""#), "{html}");
    assert!(
        !html.contains("script") && !html.contains("alert"),
        "{html}"
    );
    assert_eq!(comment["tags"][0]["type"], "mention");

    // The article's AP document now lists the reply.
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
    assert_eq!(ap["replies"]["totalItems"], 1);
    assert_eq!(ap["replies"]["first"]["orderedItems"][0], comment["ap_id"]);
}

#[tokio::test]
async fn a_reply_to_a_reply_nests_under_it() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let ana = fake.actor("ana", 1);
    let first = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    fake.publish(&first);
    assert_eq!(felix.send(&app, &first).await, 202);
    let answer = mastodon_create(&ana, 2, first["object"]["id"].as_str().unwrap());
    assert_eq!(ana.send(&app, &answer).await, 202);
    app.drain().await;

    let thread = app.thread(&article_url(&article)).await;
    assert_eq!(thread["total"], 2);
    assert_eq!(thread["comments"].as_array().unwrap().len(), 1);
    let child = &thread["comments"][0]["children"][0];
    assert_eq!(child["ap_id"], answer["object"]["id"]);
    assert_eq!(child["in_reply_to"], first["object"]["id"]);
    assert!(child["author"]["handle"]
        .as_str()
        .unwrap()
        .starts_with("@ana@"));
}

#[tokio::test]
async fn a_reply_to_an_unknown_parent_is_placed_by_walking_up_the_chain() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let ana = fake.actor("ana", 1);
    // Felix's reply to the article never reached us; ana answers it.
    let parent = mastodon_create(&felix, 7, article["ap_id"].as_str().unwrap());
    fake.put("/users/felix/statuses/7", parent["object"].clone());
    let answer = mastodon_create(&ana, 8, parent["object"]["id"].as_str().unwrap());
    assert_eq!(ana.send(&app, &answer).await, 202);
    app.drain().await;

    let thread = app.thread(&article_url(&article)).await;
    assert_eq!(thread["total"], 2);
    assert_eq!(thread["comments"][0]["ap_id"], parent["object"]["id"]);
    assert_eq!(
        thread["comments"][0]["children"][0]["ap_id"],
        answer["object"]["id"]
    );
}

#[tokio::test]
async fn a_reply_outside_our_threads_is_acknowledged_and_ignored() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    // A conversation that starts on another server and never reaches our article.
    let root = mastodon_create(&felix, 9, "https://elsewhere.example/notes/1");
    let mut root_note = root["object"].clone();
    root_note.as_object_mut().unwrap().remove("inReplyTo");
    fake.put("/users/felix/statuses/9", root_note);
    let unrelated = mastodon_create(&felix, 4, &format!("{}/users/felix/statuses/9", fake.base));
    assert_eq!(felix.send(&app, &unrelated).await, 202);
    app.drain().await;

    assert_eq!(app.thread(&article_url(&article)).await["total"], 0);
    let stored = tribune::storage::inbox::find_by_activity_id(
        &app.state.db,
        unrelated["id"].as_str().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status.as_str(), "ignored");
}

#[tokio::test]
async fn the_same_activity_twice_is_stored_once() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(felix.send(&app, &create).await, 202);
    assert_eq!(felix.send(&app, &create).await, 202);
    app.drain().await;
    // The same object in a new activity (another relay path) is one comment too.
    let mut again = create.clone();
    again["id"] = json!(format!("{}/other-activity", felix.id));
    assert_eq!(felix.send(&app, &again).await, 202);
    app.drain().await;

    let stored =
        tribune::storage::inbox::find_by_activity_id(&app.state.db, create["id"].as_str().unwrap())
            .await
            .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(app.thread(&article_url(&article)).await["total"], 1);
}

#[tokio::test]
async fn an_update_edits_the_comment_and_keeps_its_history() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    felix.send(&app, &create).await;
    app.drain().await;

    let mut note = create["object"].clone();
    note["content"] = json!("<p>Edited: still a thinkpad fan</p>");
    note.as_object_mut().unwrap().remove("contentMap");
    note["updated"] = json!("2026-11-02T11:00:00Z");
    let update = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/statuses/1#updates/1", felix.id), "type": "Update",
        "actor": felix.id, "object": note});
    assert_eq!(felix.send(&app, &update).await, 202);
    app.drain().await;

    let thread = app.thread(&article_url(&article)).await;
    let comment = &thread["comments"][0];
    assert_eq!(
        comment["content_html"],
        "<p>Edited: still a thinkpad fan</p>"
    );
    assert_eq!(comment["edited"], "2026-11-02T11:00:00Z");
    let history =
        tribune::storage::comments::revisions(&app.state.db, comment["id"].as_i64().unwrap())
            .await
            .unwrap();
    assert_eq!(history.len(), 1);
    assert!(history[0].content_html.contains("thinkpad"));
    assert!(!history[0].content_html.contains("Edited"));
}

#[tokio::test]
async fn someone_else_cannot_edit_or_delete_a_comment() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let mallory = fake.actor("mallory", 1);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    felix.send(&app, &create).await;
    app.drain().await;
    let delete = json!({"id": format!("{}/d/1", mallory.id), "type": "Delete", "actor": mallory.id,
                        "object": create["object"]["id"]});
    assert_eq!(mallory.send(&app, &delete).await, 202);
    app.drain().await;
    let thread = app.thread(&article_url(&article)).await;
    assert_eq!(thread["total"], 1);
    assert_eq!(thread["comments"][0]["deleted"], false);
}

#[tokio::test]
async fn a_deleted_comment_leaves_a_placeholder_that_keeps_its_replies() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let ana = fake.actor("ana", 1);
    let first = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let answer = mastodon_create(&ana, 2, first["object"]["id"].as_str().unwrap());
    let lonely = mastodon_create(&felix, 3, article["ap_id"].as_str().unwrap());
    fake.publish(&first);
    for (actor, activity) in [(&felix, &first), (&ana, &answer), (&felix, &lonely)] {
        actor.send(&app, activity).await;
    }
    app.drain().await;
    // Mastodon deletes with a Tombstone object.
    for n in [1, 3] {
        let delete = json!({"id": format!("{}/statuses/{n}#delete", felix.id), "type": "Delete",
            "actor": felix.id,
            "object": {"id": format!("{}/statuses/{n}", felix.id), "type": "Tombstone",
                       "atomUri": format!("{}/statuses/{n}", felix.id)}});
        assert_eq!(felix.send(&app, &delete).await, 202);
    }
    app.drain().await;

    let thread = app.thread(&article_url(&article)).await;
    assert_eq!(thread["total"], 1);
    let comments = thread["comments"].as_array().unwrap();
    assert_eq!(
        comments.len(),
        1,
        "the deleted comment without replies is gone"
    );
    assert_eq!(comments[0]["deleted"], true);
    assert_eq!(comments[0]["content_html"], "");
    assert_eq!(comments[0]["author"], Value::Null);
    assert_eq!(comments[0]["children"][0]["ap_id"], answer["object"]["id"]);
}

#[tokio::test]
async fn a_deleted_account_has_its_comments_hidden() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let ana = fake.actor("ana", 1);
    felix
        .send(
            &app,
            &mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap()),
        )
        .await;
    felix
        .send(
            &app,
            &mastodon_create(&felix, 2, article["ap_id"].as_str().unwrap()),
        )
        .await;
    ana.send(
        &app,
        &mastodon_create(&ana, 3, article["ap_id"].as_str().unwrap()),
    )
    .await;
    app.drain().await;
    assert_eq!(app.thread(&article_url(&article)).await["total"], 3);

    // Mastodon signs the account's Delete with the key we cached; the actor is gone.
    let delete = json!({"id": format!("{}#delete", felix.id), "type": "Delete", "actor": felix.id,
                        "object": felix.id, "to": ["https://www.w3.org/ns/activitystreams#Public"]});
    fake.put("/users/felix", json!("gone"));
    assert_eq!(felix.send(&app, &delete).await, 202);
    app.drain().await;

    let thread = app.thread(&article_url(&article)).await;
    assert_eq!(thread["total"], 1);
    assert!(thread["comments"][0]["author"]["handle"]
        .as_str()
        .unwrap()
        .starts_with("@ana@"));
}

#[tokio::test]
async fn an_unknown_activity_type_is_accepted_and_ignored() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let odd = json!({"id": format!("{}/odd/1", felix.id), "type": "Listen", "actor": felix.id,
                     "object": article["ap_id"], "content": "🔥"});
    assert_eq!(felix.send(&app, &odd).await, 202);
    app.drain().await;
    let stored =
        tribune::storage::inbox::find_by_activity_id(&app.state.db, odd["id"].as_str().unwrap())
            .await
            .unwrap();
    assert_eq!(stored[0].status.as_str(), "ignored");
    assert_eq!(app.thread(&article_url(&article)).await["total"], 0);
}

#[tokio::test]
async fn an_unsigned_post_is_refused_with_401() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let response = app
        .client
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .json(&create)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("not signed"));
}

#[tokio::test]
async fn a_signature_by_the_wrong_key_is_refused_with_401() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let spoil = Spoil {
        wrong_key: Some(2),
        ..Spoil::default()
    };
    assert_eq!(felix.send_spoiled(&app, &create, &spoil).await, 401);
}

#[tokio::test]
async fn a_tampered_body_is_refused_with_401() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let mut tampered = create.clone();
    tampered["object"]["content"] = json!("<p>Buy cheap pills</p>");
    let spoil = Spoil {
        tampered_body: Some(serde_json::to_vec(&tampered).unwrap()),
        ..Spoil::default()
    };
    assert_eq!(felix.send_spoiled(&app, &create, &spoil).await, 401);
}

#[tokio::test]
async fn a_date_outside_the_window_is_refused_with_401() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    for offset in [-13 * 3600, 2 * 3600] {
        let spoil = Spoil {
            date_offset_secs: offset,
            ..Spoil::default()
        };
        assert_eq!(
            felix.send_spoiled(&app, &create, &spoil).await,
            401,
            "offset {offset}"
        );
    }
}

#[tokio::test]
async fn malformed_json_is_refused_with_400() {
    let (app, fake, _article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let body = br#"{"type": "Create", "actor": "#;
    let response = felix
        .signed_post(&app.client, &app.url("/inbox"), body, &Spoil::default())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let not_activity = br#"["just", "a", "list"]"#;
    let response = felix
        .signed_post(
            &app.client,
            &app.url("/inbox"),
            not_activity,
            &Spoil::default(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let mut create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    create["object"]["content"] = json!("x".repeat(70 * 1024));
    assert_eq!(felix.send(&app, &create).await, 413);
}

#[tokio::test]
async fn an_activity_whose_actor_is_not_the_signer_is_refused() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let ana = fake.actor("ana", 1);
    // Felix signs a Create claiming to be from ana.
    let mut forged = mastodon_create(&ana, 1, article["ap_id"].as_str().unwrap());
    forged["id"] = json!(format!("{}/forged", felix.id));
    assert_eq!(felix.send(&app, &forged).await, 401);
}

#[tokio::test]
async fn the_per_site_inbox_accepts_too_and_an_unknown_site_inbox_is_404() {
    let (app, fake, article) = app_with_article().await;
    let felix = fake.actor("felix", 0);
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let body = serde_json::to_vec(&create).unwrap();
    let ok = felix
        .signed_post(
            &app.client,
            &app.url("/sites/demo/inbox"),
            &body,
            &Spoil::default(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 202);
    let missing = felix
        .signed_post(
            &app.client,
            &app.url("/sites/nope/inbox"),
            &body,
            &Spoil::default(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn an_accepted_activity_survives_a_restart_before_processing() {
    // Stored but not processed (no worker ran), then a new server on the same database
    // processes it.
    let options = Options::default();
    let settings = test_settings(&options).await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let first = tribune::startup::Application::build(settings.clone())
        .await
        .unwrap();
    let port = first.port();
    let state = first.state();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(first.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let article: Value = client
        .post(format!("http://127.0.0.1:{port}/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"site": "demo", "url": format!("{SITE_ORIGIN}/a"), "title": "A"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    let body = serde_json::to_vec(&create).unwrap();
    let response = felix
        .signed_post(
            &client,
            &format!("http://127.0.0.1:{port}/inbox"),
            &body,
            &Spoil::default(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    drop(state);

    // Same database, same public URL (the article ids must not move).
    let mut settings = settings;
    settings.server.public_url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let state = tribune::startup::init_state(settings).await.unwrap();
    tribune::services::inbox::process_due(&state).await.unwrap();
    let thread =
        tribune::services::threads::thread(&state, &format!("{SITE_ORIGIN}/a"), Default::default())
            .await
            .unwrap();
    assert_eq!(thread.total, 1);
}
