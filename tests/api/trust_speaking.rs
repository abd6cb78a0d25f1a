//! Nobody outside the newsroom makes a site speak: a reader's visit registers a page
//! without federating it, never revives a deleted article; `/interact` redirects only
//! to servers WebFinger confirmed.

use crate::helpers::*;
use axum::{extract::Query, routing::get, Router};
use serde_json::json;
use std::collections::HashMap;

/// A publisher with a search page that echoes `?q=` in its title, and a page whose
/// canonical link names `/2026/old`.
async fn publisher() -> String {
    let app = Router::new()
        .route(
            "/search",
            get(|Query(q): Query<HashMap<String, String>>| async move {
                let query = q.get("q").cloned().unwrap_or_default();
                (
                    [("content-type", "text/html")],
                    format!("<html><head><title>Results for {query}</title></head></html>"),
                )
            }),
        )
        .route(
            "/2026/copy",
            get(|| async {
                (
                    [("content-type", "text/html")],
                    r#"<html><head><title>Revived!</title><link rel="canonical" href="/2026/old"></head></html>"#,
                )
            }),
        )
        .route(
            "/2026/old",
            get(|| async {
                (
                    [("content-type", "text/html")],
                    r#"<html><head><title>Revived!</title></head></html>"#,
                )
            }),
        );
    serve_on_loopback(app).await
}

async fn follow(app: &TestApp, actor: &TestActor) {
    let follow = json!({"id": format!("{}#follows/1", actor.id), "type": "Follow",
                        "actor": actor.id, "object": app.url("/sites/demo")});
    assert_eq!(actor.send(app, &follow).await, 202);
    app.drain().await;
    app.deliver().await;
}

fn articles_sent(fake: &FakeServer) -> Vec<Received> {
    fake.received()
        .into_iter()
        .filter(|r| r.body["object"]["type"] == "Article")
        .collect()
}

#[tokio::test]
async fn a_readers_visit_to_a_search_page_makes_the_site_say_nothing_until_the_cms_confirms_it() {
    let origin = publisher().await;
    let app = spawn_app_with(Options {
        site_origin: Some(origin.clone()),
        ..Options::default()
    })
    .await;
    let fake = FakeServer::start().await;
    follow(&app, &fake.actor("felix", 0)).await;

    let visited = app
        .thread(&format!("{origin}/search?q=FREE+BITCOIN+at+scam.example"))
        .await;
    app.deliver().await;

    assert!(
        articles_sent(&fake).is_empty(),
        "the site actor sent nothing"
    );
    assert_eq!(visited["article"]["url"], format!("{origin}/search"));
    assert!(!visited["article"]["title"]
        .as_str()
        .unwrap()
        .contains("BITCOIN"));

    // The CMS registers that page: now followers hear of it, once.
    let (status, _) = app
        .admin_post(
            "/api/v1/articles",
            json!({"site": "demo", "url": format!("{origin}/search"), "title": "Search"}),
        )
        .await;
    assert!(status == 200 || status == 201);
    app.deliver().await;
    let sent = articles_sent(&fake);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body["type"], "Create");
    assert_eq!(sent[0].body["object"]["name"], "Search");
}

#[tokio::test]
async fn a_canonical_link_to_a_deleted_article_neither_revives_nor_reannounces_it() {
    let origin = publisher().await;
    let app = spawn_app_with(Options {
        site_origin: Some(origin.clone()),
        ..Options::default()
    })
    .await;
    let fake = FakeServer::start().await;
    follow(&app, &fake.actor("felix", 0)).await;
    let (_, old) = app
        .admin_post(
            "/api/v1/articles",
            json!({"site": "demo", "url": format!("{origin}/2026/old"), "title": "Old"}),
        )
        .await;
    tribune::services::articles::delete(&app.state, old["id"].as_i64().unwrap())
        .await
        .unwrap();
    app.deliver().await;
    let before = articles_sent(&fake).len();

    let response = app
        .client
        .get(app.url("/api/v1/threads"))
        .query(&[("url", format!("{origin}/2026/copy"))])
        .send()
        .await
        .unwrap();
    app.deliver().await;

    assert_eq!(response.status(), 410, "the deleted article stays deleted");
    assert_eq!(articles_sent(&fake).len(), before, "nothing re-announced");
    let again = app
        .client
        .get(app.url("/api/v1/threads"))
        .query(&[("url", format!("{origin}/2026/old"))])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 410);
}

#[tokio::test]
async fn interact_never_redirects_to_a_host_that_webfinger_did_not_confirm() {
    let app = spawn_app().await;
    // A server that answers nothing for WebFinger (every path 404).
    let silent = FakeServer::start().await;
    let host = silent.base.trim_start_matches("http://").to_string();
    let article = app.add_article("/2026/redirect", "Redirect").await;
    let ap_id = article["ap_id"].as_str().unwrap();

    for handle in [
        format!("someone@{host}"),
        host.clone(),
        "evil.invalid".into(),
    ] {
        let response = app
            .client
            .get(app.url("/interact"))
            .query(&[("uri", ap_id), ("handle", &handle)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{handle}");
        assert!(response.headers().get("location").is_none());
    }
}

#[tokio::test]
async fn a_crawl_bomb_stores_at_most_the_bound_and_fetches_nothing_from_hosts_outside_the_thread() {
    let mut settings = test_settings(&Options::default()).await;
    settings.federation.crawl_max_per_article = 5;
    let app = spawn_settings(settings).await;
    let sender = FakeServer::start().await;
    let bystander = FakeServer::start().await;
    let alice = sender.actor("alice", 0);
    let article = app.add_article("/2026/bomb", "Bomb").await;

    // Every status's replies collection embeds 20 more statuses, each with a replies
    // collection of its own, and names 20 statuses on a server that never took part.
    let path = alice.id.trim_start_matches(&sender.base).to_string();
    for n in 1..=60u32 {
        let parent = format!("{}/statuses/{n}", alice.id);
        let mut items = Vec::new();
        for k in 0..20u32 {
            let child = n * 100 + k;
            let mut note = mastodon_create(&alice, child, &parent)["object"].clone();
            note["replies"] = json!(format!("{}/statuses/{child}/replies", alice.id));
            items.push(note);
            items.push(json!(format!(
                "{}/users/victim/statuses/{child}",
                bystander.base
            )));
        }
        sender.put(
            &format!("{path}/statuses/{n}/replies"),
            json!({"id": format!("{parent}/replies"), "type": "OrderedCollection",
                   "orderedItems": items}),
        );
    }
    let mut create = mastodon_create(&alice, 1, article["ap_id"].as_str().unwrap());
    create["object"]["replies"] = json!(format!("{}/statuses/1/replies", alice.id));

    assert_eq!(alice.send(&app, &create).await, 202);
    app.drain().await;
    for _ in 0..5 {
        tribune::services::threads::crawl::process_due(&app.state)
            .await
            .unwrap();
    }

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let total = thread["total"].as_u64().unwrap();
    assert!((2..=5).contains(&total), "stored {total}");
    assert!(
        bystander.fetches().is_empty(),
        "no GET to a host outside the thread"
    );
}
