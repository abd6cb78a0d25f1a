//! Browser tests: the embed on a publisher's page, in Debian's headless Chromium driven
//! by playwright-core (`tests/browser/embed.mjs`; the reader's screens in `reader.rs`
//! with `reader.mjs`). Run by `.ci/run` with
//! `cargo test --test browser` after `npm ci` here.

mod reader;

// The API tests' helpers, of which the browser tests use only a part.
#[path = "../api/helpers/mod.rs"]
#[allow(dead_code, unused_imports)]
mod helpers;
mod pages;

mod moderation;

mod editor;

use axum::{extract::State, response::Html, routing::get, Router};
use helpers::*;
use serde_json::{json, Value};
use std::{path::Path, sync::Arc};

/// The publisher's article page, with the embed.
async fn page(
    State(tribune): State<Arc<std::sync::OnceLock<String>>>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> Html<String> {
    let base = tribune.get().cloned().unwrap_or_default();
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let article = format!("http://{host}{}", uri.path());
    Html(format!(
        r#"<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Un article</title></head>
<body><main><h1>Un article</h1><p>Le texte de l'article.</p>
<div data-tribune-thread="{article}"></div></main>
<script src="{base}/embed.js" async></script></body></html>"#
    ))
}

async fn run(
    phase: &str,
    url: &str,
    profile: &Path,
    screenshot: Option<&Path>,
    handle: &str,
    scheme: &str,
) -> Value {
    run_with(phase, url, profile, screenshot, handle, scheme, &[]).await
}

async fn run_with(
    phase: &str,
    url: &str,
    profile: &Path,
    screenshot: Option<&Path>,
    handle: &str,
    scheme: &str,
    env: &[(&str, String)],
) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let output = tokio::process::Command::new("node")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(&dir)
        .env("COLOR_SCHEME", scheme)
        .arg("embed.mjs")
        .arg(phase)
        .arg(url)
        .arg(profile)
        .arg(
            screenshot
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        )
        .arg(handle)
        .output()
        .await
        .expect("node runs (npm ci in tests/browser first)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}"))
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    assert!(result.get("error").is_none(), "{result}");
    result
}

/// A publisher's site on loopback whose pages embed a Tribune started for it.
async fn publisher_and_tribune() -> (String, TestApp) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let tribune = Arc::new(std::sync::OnceLock::new());
    let pages = Router::new()
        .fallback(get(page))
        .with_state(tribune.clone());
    tokio::spawn(async move { axum::serve(listener, pages).await });
    let app = spawn_app_with(Options {
        site_origin: Some(origin.clone()),
        ..Options::default()
    })
    .await;
    tribune.set(app.address.clone()).unwrap();
    (origin, app)
}

#[tokio::test]
async fn a_moderator_approves_a_held_comment_in_the_console_and_readers_see_it() {
    let (origin, app) = publisher_and_tribune().await;
    let page_url = format!("{origin}/2026/11/moderee");
    let article: Value = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"site": "demo", "url": page_url, "title": "Modérée"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    app.client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "pre"}))
        .send()
        .await
        .unwrap();
    let fake = FakeServer::start().await;
    let ana = fake.actor("ana", 0);
    let mut create = mastodon_create(&ana, 1, article["ap_id"].as_str().unwrap());
    create["object"]["content"] = json!("<p>Un commentaire à relire.</p>");
    create["object"]
        .as_object_mut()
        .unwrap()
        .remove("contentMap");
    create["object"]["tag"] = json!([]);
    ana.send(&app, &create).await;
    app.drain().await;
    app.client.post(app.url("/api/v1/admin/staff")).bearer_auth(ADMIN_TOKEN)
        .json(&json!({"username": "camille", "password": "mot de passe assez long", "role": "moderator", "display_name": "Camille"}))
        .send().await.unwrap();

    // Relative to the crate (node runs in tests/browser).
    let shots = std::env::var("TRIBUNE_SCREENSHOTS")
        .ok()
        .map(|d| Path::new(env!("CARGO_MANIFEST_DIR")).join(d));
    let env = [
        ("CONSOLE_URL", app.url("/admin")),
        ("CONSOLE_USER", "camille".to_string()),
        ("CONSOLE_PASSWORD", "mot de passe assez long".to_string()),
    ];
    let shot = shots.map(|d| d.join("console-fr.png"));
    let result = run_with(
        "console",
        &page_url,
        &tempdir(),
        shot.as_deref(),
        "",
        "light",
        &env,
    )
    .await;
    assert_eq!(result["queued"], 1);
    assert_eq!(result["violations"], json!([]), "axe-core on the console");
    assert_eq!(result["queuedAfter"], 0, "approved with the keyboard");
    assert_eq!(result["comments"], 1, "the reader's page shows it");
}

#[tokio::test]
async fn the_embed_shows_the_selection_first_marks_new_replies_and_sends_readers_home_to_reply() {
    let (origin, app) = publisher_and_tribune().await;
    let page_url = format!("{origin}/2026/11/un-article");
    let article: Value = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"site": "demo", "url": page_url, "title": "Un article"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The page's div names the article by its URL; replace the placeholder origin.
    let fake = FakeServer::start().await;
    let mut ids = Vec::new();
    for (n, (name, text)) in [
        ("ana", "Très bon article, merci."),
        ("bob", "Les chiffres de 2019 sont dépassés."),
        ("cleo", "Je ne suis pas d'accord."),
    ]
    .iter()
    .enumerate()
    {
        let actor = fake.actor(name, n % 3);
        let mut create = mastodon_create(&actor, n as u32 + 1, article["ap_id"].as_str().unwrap());
        create["object"]["content"] = json!(format!("<p>{text}</p>"));
        create["object"]
            .as_object_mut()
            .unwrap()
            .remove("contentMap");
        create["object"]["tag"] = json!([]);
        actor.send(&app, &create).await;
        app.drain().await;
    }
    let thread = app.thread(&page_url).await;
    for c in thread["comments"].as_array().unwrap() {
        ids.push(c["id"].as_i64().unwrap());
    }
    let picked = app
        .client
        .post(app.url(&format!("/api/v1/admin/comments/{}/highlight", ids[1])))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"note": "Une précision utile"}))
        .send()
        .await
        .unwrap();
    assert_eq!(picked.status(), 200);

    let profile = tempdir();
    // Relative to the crate (node runs in tests/browser).
    let shots = std::env::var("TRIBUNE_SCREENSHOTS")
        .ok()
        .map(|d| Path::new(env!("CARGO_MANIFEST_DIR")).join(d));
    let shot = |name: &str| shots.as_ref().map(|d| d.join(name));
    let page_with_thread = page_url.clone();
    let first = run(
        "render",
        &page_with_thread,
        &profile,
        shot("embed-light-fr.png").as_deref(),
        "",
        "light",
    )
    .await;
    assert_eq!(first["title"], "3 commentaires");
    assert_eq!(first["selectionHeading"], "Sélection de la rédaction");
    assert_eq!(
        first["highlighted"][0],
        "Les chiffres de 2019 sont dépassés."
    );
    assert!(first["editorial"][0]
        .as_str()
        .unwrap()
        .contains("Une précision utile"));
    assert_eq!(first["allHeading"], "Tous les commentaires");
    assert_eq!(first["comments"], 3);
    assert_eq!(first["newMarkers"], 0, "nothing is new on a first visit");
    assert!(first["charter"]
        .as_str()
        .unwrap()
        .contains("sans modération a priori"));
    // Published 2026-11-02T10:00:00Z, read in Paris: the reader's local time, in words.
    assert_eq!(first["times"][0], "2 nov. à 11 h 00");
    assert_eq!(
        first["violations"],
        json!([]),
        "axe-core: no serious or critical violation"
    );
    if shots.is_some() {
        run(
            "render",
            &page_with_thread,
            &tempdir(),
            shot("embed-dark-fr.png").as_deref(),
            "",
            "dark",
        )
        .await;
    }

    // A reply arrives after that visit: it is new on the next one, and only then.
    let dan = fake.actor("dan", 0);
    let mut late = mastodon_create(&dan, 9, article["ap_id"].as_str().unwrap());
    late["object"]["published"] =
        json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    late["object"]["content"] = json!("<p>Une réponse arrivée plus tard.</p>");
    late["object"].as_object_mut().unwrap().remove("contentMap");
    late["object"]["tag"] = json!([]);
    dan.send(&app, &late).await;
    app.drain().await;
    let second = run("render", &page_with_thread, &profile, None, "", "light").await;
    assert_eq!(second["comments"], 4);
    assert_eq!(second["newMarkers"], 1);
    let third = run("render", &page_with_thread, &profile, None, "", "light").await;
    assert_eq!(third["newMarkers"], 0, "seen now");

    // "Répondre depuis votre compte du fédivers", by keyboard, to the reader's server.
    let host = fake.base.trim_start_matches("http://").to_string();
    fake.put(
        &format!(
            "/.well-known/webfinger?resource=acct%3Areader%40{}",
            host.replace(':', "%3A")
        ),
        json!({"subject": format!("acct:reader@{host}"), "links": [
            {"rel": "http://ostatus.org/schema/1.0/subscribe",
             "template": format!("{}/authorize_interaction?uri={{uri}}", fake.base)}]}),
    );
    let reply = run(
        "reply",
        &page_with_thread,
        &profile,
        None,
        &format!("reader@{host}"),
        "light",
    )
    .await;
    assert_eq!(reply["reachedByKeyboard"], true);
    assert_eq!(reply["focusedAfterOpen"], "handle");
    let encoded: String =
        url::form_urlencoded::byte_serialize(article["ap_id"].as_str().unwrap().as_bytes())
            .collect();
    assert_eq!(
        reply["landedOn"],
        format!("{}/authorize_interaction?uri={encoded}", fake.base)
    );
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tribune-browser-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
