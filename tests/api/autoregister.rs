//! Articles that register themselves: from the page the embed is on, and from the
//! site's feed.

use crate::helpers::*;
use axum::{http::HeaderMap, response::IntoResponse, routing::get, Router};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

const PAGE: &str = r#"<!doctype html><html lang="fr"><head><title>Ignored</title>
<meta property="og:title" content="Le conseil municipal vote le budget">
<meta property="og:description" content="Ce qui change pour les habitants.">
<meta property="article:published_time" content="2026-11-20T07:30:00Z">
</head><body>…</body></html>"#;

async fn publisher(feed_hits: Arc<AtomicUsize>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let feed_origin = origin.clone();
    let app = Router::new()
        .route("/2026/budget", get(|| async { ([("content-type", "text/html")], PAGE) }))
        .route(
            "/feed.xml",
            get(move |headers: HeaderMap| {
                let hits = feed_hits.clone();
                let origin = feed_origin.clone();
                async move {
                    hits.fetch_add(1, Ordering::SeqCst);
                    if headers.get("if-none-match").is_some_and(|v| v == "\"v1\"") {
                        return axum::http::StatusCode::NOT_MODIFIED.into_response();
                    }
                    let feed = format!(
                        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Premier article</title><link>{origin}/2026/one</link><pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate></item>
<item><title>Second article</title><link>{origin}/2026/two</link></item>
<item><title>Ailleurs</title><link>https://elsewhere.example/x</link></item>
</channel></rss>"#
                    );
                    ([("content-type", "application/rss+xml"), ("etag", "\"v1\"")], feed).into_response()
                }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    origin
}

#[tokio::test]
async fn a_page_with_the_embed_registers_its_article_from_its_opengraph_tags() {
    let hits = Arc::new(AtomicUsize::new(0));
    let origin = publisher(hits).await;
    let other = publisher(Arc::new(AtomicUsize::new(0))).await;
    let app = spawn_app_with(Options {
        site_origin: Some(origin.clone()),
        ..Options::default()
    })
    .await;

    let thread = app.thread(&format!("{origin}/2026/budget")).await;
    assert_eq!(
        thread["article"]["title"],
        "Le conseil municipal vote le budget"
    );
    assert_eq!(
        thread["article"]["summary"],
        "Ce qui change pour les habitants."
    );
    assert_eq!(thread["article"]["published"], "2026-11-20T07:30:00Z");

    // A page on another origin is not ours: nothing is fetched, nothing created.
    let foreign = app
        .client
        .get(app.url("/api/v1/threads"))
        .query(&[("url", format!("{other}/2026/budget"))])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 404);
    // Nor is a page of ours that does not exist.
    let missing = app
        .client
        .get(app.url("/api/v1/threads"))
        .query(&[("url", format!("{origin}/2026/nothing"))])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_sites_feed_registers_its_new_articles_with_conditional_gets() {
    let hits = Arc::new(AtomicUsize::new(0));
    let origin = publisher(hits.clone()).await;
    let feed = url::Url::parse(&format!("{origin}/feed.xml")).unwrap();
    let app = spawn_app_with(Options {
        site_origin: Some(origin.clone()),
        feed_url: Some(feed),
        ..Options::default()
    })
    .await;

    assert_eq!(
        tribune::services::articles::site_feed::poll_all(&app.state).await,
        2,
        "two items on the site's origin"
    );
    let one = app.thread(&format!("{origin}/2026/one")).await;
    assert_eq!(one["article"]["title"], "Premier article");
    assert_eq!(one["article"]["published"], "2026-11-23T08:00:00Z");
    assert_eq!(
        tribune::services::articles::site_feed::poll_all(&app.state).await,
        0,
        "unchanged: a 304"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}
