//! The moderator's flow in the console (`moderation.mjs`): sign in, filter, bulk hide
//! with a reason, undo, the comment's context, close an article; in French and
//! English, light and dark, at 1280 and 390 px, with no serious axe-core finding and
//! no sideways scroll. Screenshots go to `$TRIBUNE_SCREENSHOTS` when it is set.

use crate::helpers::*;
use serde_json::{json, Value};
use std::path::Path;

async fn run(base: &str, locale: &str, scheme: &str, width: u32, shots: Option<&Path>) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let output = tokio::process::Command::new("node")
        .current_dir(&dir)
        .arg("moderation.mjs")
        .arg(base)
        .arg("camille")
        .arg("mot de passe assez long")
        .arg(locale)
        .arg(scheme)
        .arg(width.to_string())
        .arg(shots.map(|p| p.display().to_string()).unwrap_or_default())
        .output()
        .await
        .expect("node runs (npm ci in tests/browser first)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}"))
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    assert!(result.get("error").is_none(), "{result}");
    result
}

#[tokio::test]
async fn a_moderator_filters_bulk_hides_undoes_and_closes_an_article() {
    let app = spawn_app().await;
    let article = app
        .add_article("/2026/12/budget", "Le budget de la ville")
        .await;
    app.client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "pre"}))
        .send()
        .await
        .unwrap();
    let fake = FakeServer::start().await;
    let ana = fake.actor("ana", 0);
    let bob = fake.actor("bob", 1);
    for i in 0..6u32 {
        let who = if i % 2 == 0 { &ana } else { &bob };
        let mut create = mastodon_create(who, i + 1, article["ap_id"].as_str().unwrap());
        create["object"]["content"] = json!(format!(
            "<p>Un avis sur le budget, numéro {i}, avec une adresse très longue https://example.org/{}</p>",
            "a".repeat(80)
        ));
        create["object"]
            .as_object_mut()
            .unwrap()
            .remove("contentMap");
        create["object"]["tag"] = json!([]);
        who.send(&app, &create).await;
    }
    app.drain().await;
    app.client.post(app.url("/api/v1/admin/staff")).bearer_auth(ADMIN_TOKEN)
        .json(&json!({"username": "camille", "password": "mot de passe assez long", "role": "moderator", "display_name": "Camille"}))
        .send().await.unwrap();
    let shots = std::env::var("TRIBUNE_SCREENSHOTS")
        .ok()
        .map(|d| Path::new(env!("CARGO_MANIFEST_DIR")).join(d));
    if let Some(dir) = &shots {
        std::fs::create_dir_all(dir).unwrap();
    }

    for (locale, scheme, width) in [
        ("fr-FR", "light", 1280),
        ("en-GB", "dark", 390),
        ("fr-FR", "dark", 390),
        ("en-GB", "light", 1280),
    ] {
        let first = locale == "fr-FR" && width == 1280;
        let r = run(
            &app.address,
            locale,
            scheme,
            width,
            shots.as_deref().filter(|_| first),
        )
        .await;
        let what = format!("{locale} {scheme} {width}px");
        let lang = &locale[..2];
        assert_eq!(r["loginLang"], lang, "{what}");
        assert_eq!(r["lang"], lang, "{what}");
        assert_eq!(r["queued"], 6, "{what}");
        assert_eq!(r["held"], 6, "{what}");
        let (rule, flash, undone) = if lang == "fr" {
            (
                "Article en pré-modération",
                "2 commentaires masqués.",
                "2 décisions annulées.",
            )
        } else {
            (
                "Pre-moderated article",
                "2 comments hidden.",
                "2 decisions undone.",
            )
        };
        assert_eq!(r["rule"], rule, "{what}");
        assert_eq!(r["dialogOpen"], true, "{what}");
        assert_eq!(r["dialogClosed"], true, "{what}");
        assert_eq!(r["filtered"], 3, "bob's: {what}");
        assert_eq!(r["flash"], flash, "{what}");
        assert_eq!(r["afterBulk"], 1, "{what}");
        assert_eq!(r["undone"], undone, "{what}");
        assert_eq!(r["afterUndo"], 3, "{what}");
        assert_eq!(r["authorCard"], true, "{what}");
        assert_eq!(r["mode"], "closed", "{what}");
        for (screen, found) in r["violations"].as_object().unwrap() {
            assert_eq!(found, &json!([]), "axe-core on {screen}: {what}");
        }
        for (screen, overflow) in r["overflow"].as_object().unwrap() {
            assert_eq!(
                overflow,
                &json!(false),
                "sideways scroll on {screen}: {what}"
            );
        }
    }
}
