//! Registering articles and serving them as ActivityPub objects.

use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn registering_an_article_is_idempotent_on_its_url() {
    let app = spawn_app().await;
    let body = json!({"site": "demo", "url": format!("{SITE_ORIGIN}/2026/a"), "title": "A",
                      "summary": "S", "published": "2026-11-01T08:00:00Z"});
    let first = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    assert_eq!(
        first["ap_id"],
        app.url(&format!("/articles/{}", first["id"]))
    );
    assert_eq!(first["url"], format!("{SITE_ORIGIN}/2026/a"));
}

#[tokio::test]
async fn registering_needs_the_admin_token() {
    let app = spawn_app().await;
    let body = json!({"site": "demo", "url": format!("{SITE_ORIGIN}/x"), "title": "X"});
    let none = app
        .client
        .post(app.url("/api/v1/articles"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    let wrong = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth("nope")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
}

#[tokio::test]
async fn invalid_articles_get_clear_errors() {
    let app = spawn_app().await;
    for (body, status) in [
        (
            json!({"site": "nope", "url": format!("{SITE_ORIGIN}/x"), "title": "X"}),
            422,
        ),
        (
            json!({"site": "demo", "url": "not a url", "title": "X"}),
            422,
        ),
        (
            json!({"site": "demo", "url": "https://other.example/x", "title": "X"}),
            422,
        ),
        (
            json!({"site": "demo", "url": format!("{SITE_ORIGIN}/x"), "title": "  "}),
            422,
        ),
        (json!({"site": "demo"}), 422),
        (
            json!({"site": "demo", "url": format!("{SITE_ORIGIN}/x"), "title": "X", "published": "yesterday"}),
            422,
        ),
    ] {
        let response = app
            .client
            .post(app.url("/api/v1/articles"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(
            error["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{error}"
        );
    }
    let garbage = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
}

#[tokio::test]
async fn an_article_is_an_activitypub_article_for_servers_and_a_redirect_for_browsers() {
    let app = spawn_app().await;
    let article = app.add_article("/2026/b", "Bonjour").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    for accept in [
        "application/activity+json",
        r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#,
    ] {
        let response = app
            .client
            .get(ap_id)
            .header("accept", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/activity+json"));
        let doc: Value = response.json().await.unwrap();
        assert_eq!(doc["type"], "Article");
        assert_eq!(doc["id"], ap_id);
        assert_eq!(doc["name"], "Bonjour");
        assert_eq!(doc["summary"], "Résumé");
        assert_eq!(doc["url"], format!("{SITE_ORIGIN}/2026/b"));
        assert_eq!(doc["attributedTo"], app.url("/sites/demo"));
        assert_eq!(doc["published"], "2026-11-01T08:00:00Z");
        assert_eq!(doc["to"][0], "https://www.w3.org/ns/activitystreams#Public");
        assert_eq!(doc["replies"]["id"], format!("{ap_id}/replies"));
        assert_eq!(doc["context"], format!("{ap_id}/context"));
    }
    let browser = app
        .client
        .get(ap_id)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(browser.status(), 303);
    assert_eq!(
        browser.headers()["location"],
        format!("{SITE_ORIGIN}/2026/b")
    );

    let context: Value = app
        .client
        .get(format!("{ap_id}/context"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(context["type"], "OrderedCollection");
    assert_eq!(context["orderedItems"][0], ap_id);
    let missing = app
        .client
        .get(app.url("/articles/999"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_thread_of_an_unknown_article_is_404() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/v1/threads"))
        .query(&[("url", "https://news.example/never")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let article = app.add_article("/2026/c", "C").await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    assert_eq!(thread["article"]["title"], "C");
    assert_eq!(thread["article"]["ap_id"], article["ap_id"]);
    assert_eq!(thread["total"], 0);
    assert_eq!(thread["highlighted"], json!([]));
    assert_eq!(thread["comments"], json!([]));
}
