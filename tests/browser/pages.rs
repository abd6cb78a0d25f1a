//! The server-rendered pages on a phone (`tests/browser/pages.mjs`): the no-JS thread
//! page with a deep branch, a long comment, a long URL, a pick and a staff reply, and
//! the landing page, at 390 px, in light and dark, with axe-core.

use crate::helpers::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

async fn visit(url: &str, screenshot: Option<PathBuf>, scheme: &str, locale: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let output = tokio::process::Command::new("node")
        .current_dir(&dir)
        .env("COLOR_SCHEME", scheme)
        .env("LOCALE", locale)
        .arg("pages.mjs")
        .arg(url)
        .arg(
            screenshot
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        )
        .output()
        .await
        .expect("node runs (npm ci in tests/browser first)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}"))
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    assert!(result.get("error").is_none(), "{result}");
    result
}

fn screenshots(name: &str) -> Option<PathBuf> {
    std::env::var("TRIBUNE_SCREENSHOTS")
        .ok()
        .map(|d| Path::new(env!("CARGO_MANIFEST_DIR")).join(d).join(name))
}

/// A note by `actor` in reply to `parent`, with `content`.
async fn say(app: &TestApp, actor: &TestActor, n: u32, parent: &str, content: &str) -> String {
    let mut create = mastodon_create(actor, n, parent);
    create["object"]["content"] = json!(content);
    let object = create["object"].as_object_mut().unwrap();
    object.remove("contentMap");
    object.remove("summary");
    create["object"]["tag"] = json!([]);
    actor.send(app, &create).await;
    app.drain().await;
    create["object"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_no_js_thread_page_reads_well_on_a_phone_with_deep_replies_and_long_words() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/11/budget", "Le budget voté").await;
    let ap_id = article["ap_id"].as_str().unwrap().to_string();
    let names = ["ana", "bob", "cleo", "dan", "eve", "felix"];
    let actors: Vec<TestActor> = names
        .iter()
        .enumerate()
        .map(|(i, n)| fake.actor(n, i % 3))
        .collect();
    let first = say(
        &app,
        &actors[0],
        1,
        &ap_id,
        "<p>Les chiffres de 2019 sont dépassés : voyez https://www.example.org/un/tres/long/chemin/sans/aucune/espace/pour/couper/la/ligne/0123456789abcdefghijklmnopqrstuvwxyz</p>",
    )
    .await;
    // A branch six deep.
    let mut parent = first.clone();
    for (i, actor) in actors.iter().enumerate().skip(1) {
        parent = say(
            &app,
            actor,
            10 + i as u32,
            &parent,
            &format!(
                "<p>Réponse de niveau {} : anticonstitutionnellementanticonstitutionnellement.</p>",
                i + 1
            ),
        )
        .await;
    }
    say(
        &app,
        &actors[2],
        30,
        &ap_id,
        &format!(
            "<p>{}</p><p>{}</p>",
            "Un long commentaire qui développe un argument. ".repeat(15),
            "Et qui conclut enfin.".repeat(3)
        ),
    )
    .await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let first_id = thread["comments"][0]["id"].as_i64().unwrap();
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{first_id}/highlight"),
            json!({"note": "Une précision utile"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, reply) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{first_id}/reply"),
            json!({"content": "Merci, nous avons mis l'article à jour."}),
        )
        .await;
    assert_eq!(status, 201, "{reply}");

    let encoded: String =
        url::form_urlencoded::byte_serialize(article["url"].as_str().unwrap().as_bytes()).collect();
    let page = app.url(&format!("/threads?url={encoded}"));
    for scheme in ["light", "dark"] {
        let shot = (scheme == "light")
            .then(|| screenshots("thread-nojs.png"))
            .flatten();
        let result = visit(&page, shot, scheme, "fr-FR").await;
        assert_eq!(result["status"], 200);
        assert_eq!(result["lang"], "fr");
        assert_eq!(result["violations"], json!([]), "axe-core, {scheme}");
        assert!(
            result["pageWidth"].as_i64() <= result["viewportWidth"].as_i64(),
            "no sideways scrolling: {result}"
        );
        let deep = result["deepWidths"].as_array().unwrap();
        assert!(!deep.is_empty(), "{result}");
        assert!(
            deep.iter().all(|w| w.as_i64().unwrap() >= 240),
            "replies five deep and more stay readable: {deep:?}"
        );
        assert_eq!(result["duplicateIds"], json!([]));
        assert_eq!(
            result["picks"],
            json!([{"id": format!("pick-{first_id}"), "link": format!("#comment-{first_id}")}])
        );
        assert_eq!(
            result["pickedInThread"],
            json!([format!("comment-{first_id}")])
        );
        assert_eq!(result["staffBadges"], json!(["La rédaction"]));
        assert_eq!(result["actionsAreText"], true);
        assert_eq!(result["longContentVisibleBefore"], false, "folded");
        assert_eq!(
            result["longContentVisibleAfter"], true,
            "\"Lire la suite\" opens it"
        );
        assert_eq!(result["longExcerptVisibleAfter"], false);
    }
}

#[tokio::test]
async fn the_landing_page_reads_well_on_a_phone_in_french_and_english() {
    let app = spawn_app().await;
    for (locale, heading, shot) in [
        (
            "fr-FR",
            "Tribune : des commentaires fédérés",
            Some("landing.png"),
        ),
        ("en-GB", "Tribune: federated comments", None),
    ] {
        for scheme in ["light", "dark"] {
            let shot = shot.filter(|_| scheme == "light").and_then(screenshots);
            let result = visit(&app.url("/"), shot, scheme, locale).await;
            assert_eq!(result["status"], 200);
            assert_eq!(result["heading"], heading);
            assert_eq!(
                result["violations"],
                json!([]),
                "axe-core, {locale} {scheme}"
            );
            assert!(
                result["pageWidth"].as_i64() <= result["viewportWidth"].as_i64(),
                "no sideways scrolling: {result}"
            );
            assert_eq!(result["duplicateIds"], json!([]));
        }
    }
}
