//! The reader's side of the embed (`reader.mjs`): under a hostile site stylesheet, on a
//! 390 px phone, with 200 comments, in French and English, light and dark, and the
//! reply panel's checks of a fediverse address. Screenshots for the docs when
//! `TRIBUNE_SCREENSHOTS` names a folder.

use super::helpers::*;
use super::tempdir;
use axum::{
    extract::{Query, State},
    response::Html,
    routing::get,
    Router,
};
use serde_json::{json, Value};
use std::{collections::HashMap, path::Path, sync::Arc};

/// A publisher's stylesheet that restyles every element it names, hides headers, and
/// sets on its `div`s every inherited property but the font (which the embed takes
/// from its container on purpose).
const HOSTILE: &str = "header,p,a,button,ol,ul,li,article,section,h2,h3,img,span,form,input,select,label,time,blockquote,details,summary{all:revert;font:italic 900 30px/3 serif;color:red;background:yellow;margin:40px;padding:30px;border:5px solid lime;letter-spacing:5px;word-spacing:9px;text-transform:uppercase;text-align:right;display:block;float:left;list-style:square;visibility:visible;text-decoration:line-through}\
header{background:red;display:none}*{box-sizing:content-box}\
div{color:red;background:yellow;line-height:3;letter-spacing:4px;word-spacing:1em;text-transform:uppercase;text-align:right;white-space:nowrap;font-style:italic;font-weight:900;padding:0 3px}";

/// The publisher's article page: `?lang=en`, `?theme=dark`, `?hostile=1`.
async fn page(
    State(tribune): State<Arc<std::sync::OnceLock<String>>>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Html<String> {
    let base = tribune.get().cloned().unwrap_or_default();
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let article = format!("http://{host}{}", uri.path());
    let lang = q.get("lang").map(String::as_str).unwrap_or("fr");
    let theme = match q.get("theme").map(String::as_str) {
        Some("dark") => " data-theme=\"dark\"",
        Some("light") => " data-theme=\"light\"",
        _ => "",
    };
    let style = if q.contains_key("hostile") {
        format!("<style>{HOSTILE}</style>")
    } else {
        String::new()
    };
    Html(format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Un article</title>{style}</head>
<body><main><h1>Un article</h1><p>Le texte de l'article.</p>
<div data-tribune-thread="{article}"{theme}></div></main>
<script src="{base}/embed.js" async></script></body></html>"#
    ))
}

async fn site_and_tribune() -> (String, TestApp) {
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

async fn reader(
    phase: &str,
    url: &str,
    profile: &Path,
    shot: &str,
    arg: &str,
    scheme: &str,
) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let screenshot = std::env::var("TRIBUNE_SCREENSHOTS")
        .ok()
        .filter(|_| !shot.is_empty())
        .map(|d| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(d)
                .join(shot)
                .display()
                .to_string()
        })
        .unwrap_or_default();
    let output = tokio::process::Command::new("node")
        .current_dir(&dir)
        .env("COLOR_SCHEME", scheme)
        .args(["reader.mjs", phase, url])
        .arg(profile)
        .args([screenshot.as_str(), arg])
        .output()
        .await
        .expect("node runs (npm ci in tests/browser first)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}"))
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    assert!(result.get("error").is_none(), "{result}");
    result
}

/// One comment from `actor` (status `n`) answering `in_reply_to`; its note's id.
async fn say(
    app: &TestApp,
    actor: &TestActor,
    n: u32,
    in_reply_to: &str,
    html: &str,
    now: bool,
) -> String {
    let mut create = mastodon_create(actor, n, in_reply_to);
    create["object"]["content"] = json!(html);
    create["object"]
        .as_object_mut()
        .unwrap()
        .remove("contentMap");
    create["object"]["tag"] = json!([]);
    if now {
        create["object"]["published"] =
            json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    actor.send(app, &create).await;
    // Processed before the next one, which may answer it.
    app.drain().await;
    create["object"]["id"].as_str().unwrap().to_string()
}

/// Drains the inbox until the thread shows `total` comments.
async fn settle(app: &TestApp, page_url: &str, total: u64) -> Value {
    // Read through the service: polling over HTTP would meet the readers' rate limit.
    eventually("the comments are published", || async {
        app.drain().await;
        let thread = tribune::services::threads::thread(&app.state, page_url, Default::default())
            .await
            .ok()?;
        (thread.total == total).then(|| serde_json::to_value(&thread).unwrap())
    })
    .await
}

fn find<'a>(nodes: &'a [Value], text: &str) -> Option<&'a Value> {
    nodes.iter().find_map(|n| {
        if n["content_html"].as_str().unwrap_or("").contains(text) {
            Some(n)
        } else {
            find(n["children"].as_array().unwrap(), text)
        }
    })
}

#[tokio::test]
async fn the_embed_keeps_its_looks_on_a_hostile_site_and_a_phone_in_both_languages_and_themes() {
    let (origin, app) = site_and_tribune().await;
    let page_url = format!("{origin}/2026/12/lecteurs");
    let article = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"site": "demo", "url": page_url, "title": "Les lecteurs"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let ap_id = article["ap_id"].as_str().unwrap().to_string();
    let fake = FakeServer::start().await;
    let names = [
        "ana", "bob", "cleo", "dan", "eve", "fanny", "gus", "hugo", "iris",
    ];
    let actors: Vec<TestActor> = names
        .iter()
        .enumerate()
        .map(|(i, n)| fake.actor(n, i % 3))
        .collect();
    let long_url = format!("https://example.org/{}", "tres-long-chemin-".repeat(20));
    let first = say(&app, &actors[0], 1, &ap_id,
        &format!("<p>Très bon article. La source : <a href=\"{long_url}\">{long_url}</a> et un mot anticonstitutionnellementanticonstitutionnellementanticonstitutionnellement.</p>"), false).await;
    say(
        &app,
        &actors[1],
        2,
        &ap_id,
        &format!(
            "<p>{}</p>",
            "Un long commentaire qui développe son point de vue en détail. ".repeat(20)
        ),
        false,
    )
    .await;
    // A conversation eight replies deep.
    let mut parent = say(
        &app,
        &actors[2],
        3,
        &ap_id,
        "<p>Je ne suis pas d'accord.</p>",
        false,
    )
    .await;
    for depth in 1..=8u32 {
        let who = &actors[(2 + depth as usize) % names.len()];
        parent = say(
            &app,
            who,
            10 + depth,
            &parent,
            &format!("<p>Réponse de niveau {depth}.</p>"),
            false,
        )
        .await;
    }
    let thread = settle(&app, &page_url, 11).await;
    let comments = thread["comments"].as_array().unwrap();
    let first_id = find(comments, "Très bon article").unwrap()["id"]
        .as_i64()
        .unwrap();
    let long_id = find(comments, "Un long commentaire").unwrap()["id"]
        .as_i64()
        .unwrap();
    assert!(first.contains("/statuses/1"));
    // The newsroom picks one with a note, and answers the first comment.
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{long_id}/highlight"),
            json!({"note": "Un point de vue argumenté"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{first_id}/reply"),
            json!({"content": "Merci, la source est ajoutée à l'article."}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{first_id}/highlight"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    // A hostile stylesheet changes nothing inside the embed.
    let styles = reader("styles", &page_url, &tempdir(), "", "", "light").await;
    assert_eq!(styles["differences"], json!([]), "{styles}");
    assert!(styles["probes"].as_u64().unwrap() >= 15, "{styles}");
    assert_eq!(styles["headerShown"], true);
    assert_eq!(
        styles["hostileApplied"], "uppercase",
        "the sheet did apply to the page"
    );

    // A phone, 390 px wide, on the hostile site.
    let phone = reader(
        "mobile",
        &format!("{page_url}?hostile=1"),
        &tempdir(),
        "embed-mobile.png",
        "",
        "light",
    )
    .await;
    assert!(
        phone["scrollWidth"].as_u64() <= phone["clientWidth"].as_u64(),
        "no sideways scroll: {phone}"
    );
    assert!(phone["deepest"].as_u64().unwrap() >= 5, "{phone}");
    assert!(
        phone["narrowestDeep"].as_u64().unwrap() >= 240,
        "a reply 5 deep keeps 240 px: {phone}"
    );
    assert_eq!(phone["avatarsBesideNames"], phone["heads"], "{phone}");
    assert_eq!(
        phone["continueThread"].as_array().unwrap().len(),
        1,
        "past six replies deep, the thread continues on its own: {phone}"
    );
    assert!(phone["actions"]
        .as_str()
        .unwrap()
        .contains("Répondre · Signaler"));
    assert_eq!(phone["actionBorder"], "none", "text actions, not buttons");

    // French, light; English, dark; no serious or critical axe finding in either.
    let fr = reader(
        "look",
        &page_url,
        &tempdir(),
        "embed-light.png",
        "",
        "light",
    )
    .await;
    assert_eq!(fr["lang"], "fr");
    assert_eq!(fr["title"], "12 commentaires");
    assert_eq!(fr["reply"], "Répondre depuis votre compte du fédivers");
    assert_eq!(fr["selection"], "Sélection de la rédaction");
    assert_eq!(fr["background"], "rgb(255, 255, 255)");
    assert_eq!(fr["duplicateIds"], json!([]), "{fr}");
    assert_eq!(
        fr["pickIds"],
        json!([
            format!("tribune-pick-{long_id}"),
            format!("tribune-pick-{first_id}")
        ])
    );
    assert!(
        fr["excerpts"][0].as_str().unwrap().ends_with('…'),
        "an excerpt"
    );
    assert_eq!(
        fr["pickBadges"],
        json!([
            format!("tribune-c-{first_id}"),
            format!("tribune-c-{long_id}")
        ]),
        "the thread's copies are marked"
    );
    assert_eq!(fr["staffFirstUnderParent"], true, "{fr}");
    assert_eq!(fr["staffBadge"], "La rédaction");
    assert_eq!(fr["staffAnswerInSelection"], "Réponse de la rédaction");
    assert_ne!(
        fr["staffName"], fr["staffBadge"],
        "badge apart from the name"
    );
    assert_eq!(fr["times"][0], "2 nov. à 11 h 00", "Paris time, in words");
    assert!(fr["times"].as_array().unwrap().iter().any(|t| t
        .as_str()
        .unwrap()
        .starts_with("il y a")
        || t == "à l'instant"));
    assert_eq!(fr["readMore"], json!(["Lire la suite"]));
    assert_eq!(fr["afterPickLink"], format!("tribune-c-{long_id}"));
    assert_eq!(fr["violations"], json!([]), "axe-core, fr light: {fr}");

    let en = reader(
        "look",
        &format!("{page_url}?lang=en&theme=dark"),
        &tempdir(),
        "embed-dark.png",
        "",
        "dark",
    )
    .await;
    assert_eq!(en["lang"], "en");
    assert_eq!(en["title"], "12 comments");
    assert_eq!(en["reply"], "Reply from your fediverse account");
    assert_eq!(en["selection"], "Editors' picks");
    assert_eq!(en["all"], "All comments");
    assert_eq!(en["staffBadge"], "Newsroom");
    assert_eq!(en["background"], "rgb(22, 22, 22)");
    assert_eq!(en["readMore"], json!(["Read more"]));
    assert_eq!(en["times"][0], "Nov 2 at 11:00 AM");
    assert_eq!(en["violations"], json!([]), "axe-core, en dark: {en}");
    // Dark from the reader's system too, with no data-theme.
    let dark = reader("look", &page_url, &tempdir(), "", "", "dark").await;
    assert_eq!(dark["background"], "rgb(22, 22, 22)");
    assert_eq!(dark["violations"], json!([]), "axe-core, fr dark: {dark}");
}

#[tokio::test]
async fn the_reply_panel_explains_the_fediverse_and_checks_the_address_before_leaving() {
    let (origin, app) = site_and_tribune().await;
    let page_url = format!("{origin}/2026/12/repondre");
    app.client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"site": "demo", "url": page_url, "title": "Répondre"}))
        .send()
        .await
        .unwrap();
    // A server that knows nobody: every WebFinger answers 404.
    let nobody = FakeServer::start().await;
    let host = nobody.base.trim_start_matches("http://").to_string();
    let panel = reader(
        "panel",
        &page_url,
        &tempdir(),
        "embed-reply-panel.png",
        &format!("jean@{host}"),
        "light",
    )
    .await;
    assert_eq!(panel["focused"], "handle");
    assert!(panel["explanation"][0]
        .as_str()
        .unwrap()
        .starts_with("Le fédivers est un réseau"));
    assert_eq!(panel["joinUrl"], "https://jointhefediverse.net/");
    assert_eq!(
        panel["format"]["text"],
        "Ce n'est pas une adresse du fédivers : elle ressemble à nom@instance.fr (votre nom, une arobase, puis votre serveur)."
    );
    assert_eq!(panel["format"]["invalid"], "true");
    assert_eq!(panel["format"]["focus"], "handle");
    assert_eq!(
        panel["unknown"]["text"],
        format!("Le serveur {host} ne connaît pas le compte « jean ». Vérifiez l'orthographe de votre adresse.")
    );
    assert_eq!(panel["url"], page_url, "the reader stayed on the article");
    assert_eq!(panel["violations"], json!([]), "axe-core: {panel}");
}

#[tokio::test]
async fn two_hundred_comments_are_folded_and_the_new_ones_are_one_jump_away() {
    let (origin, app) = site_and_tribune().await;
    let page_url = format!("{origin}/2026/12/foule");
    let article = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"site": "demo", "url": page_url, "title": "La foule"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let ap_id = article["ap_id"].as_str().unwrap().to_string();
    let fake = FakeServer::start().await;
    // 25 readers, 8 comments each: a top-level comment, then replies under it.
    for r in 0..25u32 {
        let actor = fake.actor(&format!("r{r}"), (r % 3) as usize);
        let mut parent = ap_id.clone();
        for k in 0..8u32 {
            let text = format!("<p>Commentaire {k} de r{r}.</p>");
            let id = say(&app, &actor, k + 1, &parent, &text, false).await;
            // Branches: every other reply answers the previous one.
            if k % 2 == 0 {
                parent = id;
            }
        }
    }
    settle(&app, &page_url, 200).await;
    let profile = tempdir();
    let visit = reader("visit", &page_url, &profile, "", "", "light").await;
    assert!(visit["comments"].as_u64().unwrap() > 0);
    // Three replies arrive after that visit, deep in folded branches and past the
    // first page.
    let late = fake.actor("late", 0);
    let thread = settle(&app, &page_url, 200).await;
    let tops = thread["comments"].as_array().unwrap();
    let deep = |t: &Value| -> String {
        let mut n = t;
        while let Some(child) = n["children"].as_array().and_then(|c| c.last()) {
            n = child;
        }
        n["ap_id"].as_str().unwrap().to_string()
    };
    for (k, top) in [&tops[1], &tops[5], &tops[24]].into_iter().enumerate() {
        let text = format!("<p>Du nouveau, numéro {k}.</p>");
        say(&app, &late, 100 + k as u32, &deep(top), &text, true).await;
    }
    settle(&app, &page_url, 203).await;
    let many = reader("many", &page_url, &profile, "", "", "light").await;
    assert_eq!(many["title"], "203 commentaires");
    assert_eq!(many["news"], "3 nouveaux commentaires");
    assert_eq!(many["newMarkers"], 2, "the third is past the first page");
    assert!(many["moreButton"].as_bool().unwrap(), "a page at a time");
    assert!(
        many["visible"].as_u64() < many["rendered"].as_u64(),
        "branches folded: {many}"
    );
    assert!(many["foldButtons"][0]
        .as_str()
        .unwrap()
        .ends_with("réponses"));
    let jumps = many["jumps"].as_array().unwrap();
    let mut ids: Vec<&str> = jumps.iter().map(|j| j["id"].as_str().unwrap()).collect();
    for jump in jumps {
        assert_eq!(jump["isNew"], true, "{jump}");
        assert_eq!(jump["shown"], true, "{jump}");
        assert_eq!(jump["inView"], true, "{jump}");
    }
    ids.dedup();
    assert_eq!(
        ids.len(),
        3,
        "each jump goes to the next new comment: {many}"
    );
}
