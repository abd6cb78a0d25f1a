//! What a publisher meets: the landing page, the alternate link by page URL, updates
//! that keep what they do not name, and validation errors that name the field.

use crate::helpers::*;
use axum::{response::IntoResponse, routing::get, Router};
use serde_json::{json, Value};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

#[tokio::test]
async fn the_landing_page_says_what_the_server_is_in_the_visitors_language() {
    let app = spawn_app().await;
    for (accept, words, lang) in [
        ("fr-FR,fr;q=0.9,en;q=0.5", "des commentaires fédérés", "fr"),
        ("en-GB,en;q=0.8", "federated comments", "en"),
        ("de", "federated comments", "en"),
    ] {
        let response = app
            .client
            .get(app.url("/"))
            .header("accept-language", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{accept}");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        // minijinja escapes `/` too (`&#x2f;`, which browsers read as `/`).
        let html = response.text().await.unwrap().replace("&#x2f;", "/");
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{accept}"
        );
        assert!(html.contains(words), "{accept}: {html}");
        assert!(html.contains("href=\"/admin\""), "the console");
        assert!(html.contains("href=\"/api/openapi.json\""), "the API");
        assert!(html.contains(SITE_ORIGIN), "the configured site");
        assert!(html.contains("@demo@"), "its actor's handle");
        assert!(
            html.contains("&lt;script src=&quot;")
                && html.contains(&format!("{}/embed.js", app.address)),
            "the embed snippet, escaped"
        );
        assert!(html.contains("/articles/by-url?url="), "the alternate link");
    }
}

/// A publisher's site whose one page says what it is (and counts its fetches).
async fn site_with_a_page(hits: Arc<AtomicUsize>) -> String {
    let app = Router::new().route(
        "/2026/page",
        get(move || {
            hits.fetch_add(1, Ordering::SeqCst);
            async {
                (
                    [("content-type", "text/html")],
                    r#"<html><head><meta property="og:title" content="Une page"></head></html>"#,
                )
                    .into_response()
            }
        }),
    );
    serve_on_loopback(app).await
}

#[tokio::test]
async fn the_article_by_page_url_works_before_and_after_registration_and_not_elsewhere() {
    let hits = Arc::new(AtomicUsize::new(0));
    let origin = site_with_a_page(hits.clone()).await;
    let app = spawn_app_with(Options {
        site_origin: Some(origin.clone()),
        ..Options::default()
    })
    .await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let follow = json!({"id": format!("{}#follows/1", felix.id), "type": "Follow",
                        "actor": felix.id, "object": app.url("/sites/demo")});
    assert_eq!(felix.send(&app, &follow).await, 202);
    app.drain().await;
    app.deliver().await;
    let articles_sent = || {
        fake.received()
            .into_iter()
            .filter(|r| r.body["object"]["type"] == "Article")
            .count()
    };
    let page = format!("{origin}/2026/page");
    let by_url = |accept: &'static str, url: String| {
        let request = app
            .client
            .get(app.url("/articles/by-url"))
            .query(&[("url", url)])
            .header("accept", accept);
        async move { request.send().await.unwrap() }
    };

    // Before any registration: the page registers itself as a reader's visit would.
    let first = by_url("application/activity+json", page.clone()).await;
    assert_eq!(first.status(), 200);
    assert!(first.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/activity+json"));
    let doc: Value = first.json().await.unwrap();
    assert_eq!(doc["type"], "Article");
    assert_eq!(doc["name"], "Une page");
    assert_eq!(doc["url"], page);
    let ap_id = doc["id"].as_str().unwrap().to_string();
    assert!(ap_id.starts_with(&app.url("/articles/")), "{ap_id}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // An anonymous request makes the site actor say nothing to its follower.
    app.deliver().await;
    assert_eq!(articles_sent(), 0);

    // A browser is sent to the article's id (which sends it to the page).
    let browser = by_url("text/html", page.clone()).await;
    assert_eq!(browser.status(), 303);
    assert_eq!(browser.headers()["location"], ap_id.as_str());

    // After the newsroom registers it: the same article, its title, no new fetch.
    let (status, registered) = app
        .admin_post(
            "/api/v1/articles",
            json!({"site": "demo", "url": page, "title": "Le titre de la rédaction"}),
        )
        .await;
    assert_eq!(status, 200, "{registered}");
    let after: Value = by_url("application/activity+json", format!("{page}#comments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["id"], ap_id);
    assert_eq!(after["name"], "Le titre de la rédaction");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    app.deliver().await;
    assert_eq!(
        articles_sent(),
        1,
        "the newsroom's registration announces it"
    );

    // Another origin is not ours: 404, and nothing is fetched.
    let foreign = by_url(
        "application/activity+json",
        "https://elsewhere.example/2026/page".into(),
    )
    .await;
    assert_eq!(foreign.status(), 404);
    let missing = by_url("application/activity+json", format!("{origin}/nothing")).await;
    assert_eq!(missing.status(), 404);

    // Deleted: a Tombstone.
    app.client
        .delete(app.url(&format!("/api/v1/articles/{}", registered["id"])))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    let gone = by_url("application/activity+json", page.clone()).await;
    assert_eq!(gone.status(), 410);

    // It is in the API document.
    let (_, openapi) = app.get_json("/api/openapi.json").await;
    assert!(openapi["paths"]["/articles/by-url"]["get"].is_object());
}

#[tokio::test]
async fn updating_an_article_keeps_the_fields_it_does_not_send_and_null_clears_the_summary() {
    let app = spawn_app().await;
    let url = format!("{SITE_ORIGIN}/2026/partial");
    let (status, _) = app
        .admin_post(
            "/api/v1/articles",
            json!({"site": "demo", "url": url, "title": "Titre", "summary": "Le résumé",
                   "published": "2026-11-01T08:00:00Z"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .admin_post(
            "/api/v1/articles",
            json!({"site": "demo", "url": url, "title": "Nouveau titre"}),
        )
        .await;
    assert_eq!(status, 200);
    let article = app.thread(&url).await["article"].clone();
    assert_eq!(article["title"], "Nouveau titre");
    assert_eq!(article["summary"], "Le résumé", "not sent, so kept");
    assert_eq!(article["published"], "2026-11-01T08:00:00Z", "kept too");

    // Without a title either: the title stays.
    let (status, _) = app
        .admin_post(
            "/api/v1/articles",
            json!({"site": "demo", "url": url, "summary": "Autre résumé"}),
        )
        .await;
    assert_eq!(status, 200);
    let article = app.thread(&url).await["article"].clone();
    assert_eq!(article["title"], "Nouveau titre");
    assert_eq!(article["summary"], "Autre résumé");

    let (status, _) = app
        .admin_post(
            "/api/v1/articles",
            json!({"site": "demo", "url": url, "summary": null}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.thread(&url).await["article"]["summary"], Value::Null);

    // A new article still needs its title, and says so.
    let (status, error) = app
        .admin_post(
            "/api/v1/articles",
            json!({"site": "demo", "url": format!("{SITE_ORIGIN}/2026/untitled")}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(error["field"], "title");
}

#[tokio::test]
async fn invalid_requests_name_the_field_in_the_clients_language_without_parser_text() {
    let app = spawn_app().await;
    let post = |body: String, lang: &'static str| {
        let request = app
            .client
            .post(app.url("/api/v1/articles"))
            .bearer_auth(ADMIN_TOKEN)
            .header("content-type", "application/json")
            .header("accept-language", lang)
            .body(body);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            (status, text)
        }
    };
    let cases = [
        (
            json!({"site": "demo", "url": format!("{SITE_ORIGIN}/x"), "title": "X", "summary": 3}),
            "summary",
        ),
        (json!({"site": "demo", "title": "X"}), "url"),
        (
            json!({"site": "demo", "url": format!("{SITE_ORIGIN}/x"), "title": "X", "published": "yesterday"}),
            "published",
        ),
        (
            json!({"site": "nope", "url": format!("{SITE_ORIGIN}/x"), "title": "X"}),
            "site",
        ),
        (
            json!({"site": "demo", "url": "https://other.example/x", "title": "X"}),
            "url",
        ),
    ];
    for (body, field) in cases {
        for lang in ["fr", "en"] {
            let (status, text) = post(body.to_string(), lang).await;
            assert_eq!(status, 422, "{body}: {text}");
            for leak in [
                "Failed to deserialize",
                "at line",
                "column",
                "invalid type:",
                "expected a",
                "expected `",
                "premature",
            ] {
                assert!(!text.contains(leak), "{body}: {text}");
            }
            let error: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(error["field"], field, "{body}");
            let message = error["error"].as_str().unwrap();
            if lang == "fr" {
                assert!(
                    message.contains("« ") || message.contains("site"),
                    "{message}"
                );
                assert!(!message.contains("The field"), "{message}");
            } else {
                assert!(!message.contains("Le champ"), "{message}");
            }
            if field != "site" {
                assert!(message.contains(field), "{message}");
            }
        }
    }
    let (status, text) = post("{not json".into(), "fr").await;
    assert_eq!(status, 400);
    let error: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        error["error"],
        "Le corps de la requête n'est pas du JSON valide."
    );

    // Query strings too: the public thread API without its `url`.
    let response = app
        .client
        .get(app.url("/api/v1/threads"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["field"], "url");
    assert_eq!(error["error"], "The field “url” is required.");

    // And the no-JS report form.
    let response = app
        .client
        .post(app.url("/threads/report"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("comment=abc&reason=abusive")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["field"], "comment");
}
