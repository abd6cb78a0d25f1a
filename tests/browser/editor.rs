//! The editors' console in a browser (`tests/browser/editor.mjs`): an editor signs in,
//! sets her name and title, highlights with a note, reorders, replies as herself, and
//! the reader's no-JS page shows the reply signed with her name; an admin's rules and
//! blocklists pages (a draft's entries accepted and rejected). axe-core finds nothing
//! serious on any of these screens at 1280 and 390 px, in French and English.

use super::helpers::*;
use super::publisher_and_tribune;
use serde_json::{json, Value};
use std::path::Path;

async fn run(phase: &str, base: &str, article_url: &str, user: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let shots = std::env::var("TRIBUNE_SCREENSHOTS")
        .ok()
        .map(|d| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(d)
                .display()
                .to_string()
        })
        .unwrap_or_default();
    let output = tokio::process::Command::new("node")
        .current_dir(&dir)
        .env("CONSOLE_USER", user)
        .env("CONSOLE_PASSWORD", "mot de passe assez long")
        .env("SHOTS", shots)
        .arg("editor.mjs")
        .arg(phase)
        .arg(base)
        .arg(article_url)
        .output()
        .await
        .expect("node runs (npm ci in tests/browser first)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}"))
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    assert!(result.get("error").is_none(), "{result}");
    result
}

async fn add_staff(app: &TestApp, username: &str, role: &str) {
    let created = app
        .client
        .post(app.url("/api/v1/admin/staff"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"username": username, "password": "mot de passe assez long", "role": role}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

/// No serious or critical axe-core finding (nor a horizontal scroll) on any screen.
fn assert_accessible(result: &Value) {
    let axe = result["axe"].as_object().unwrap();
    assert!(axe.len() >= 8, "every screen was checked: {result}");
    for (screen, violations) in axe {
        assert_eq!(violations, &json!([]), "axe-core on {screen}");
    }
}

#[tokio::test]
async fn an_editor_highlights_reorders_and_replies_as_herself_and_readers_see_her_name() {
    let (origin, app) = publisher_and_tribune().await;
    let page_url = format!("{origin}/2026/12/retraites");
    let article: Value = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(
            &json!({"site": "demo", "url": page_url, "title": "Retraites : ce qui change en 2027"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let fake = FakeServer::start().await;
    for (n, (name, text)) in [
        (
            "ana",
            "Je suis infirmière : voici ce que cela change pour nous.",
        ),
        (
            "bob",
            "Les chiffres de 2019 sont dépassés, voyez le rapport du COR.",
        ),
        ("cleo", "Et pour les carrières longues ?"),
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
    add_staff(&app, "lea", "editor").await;

    let result = run("editor", &app.address, &page_url, "lea").await;
    assert_eq!(result["saved"], "Signature enregistrée.");
    assert_eq!(result["heading"], "Retraites : ce qui change en 2027");
    assert_eq!(result["comments"], 3);
    let (before, after) = (&result["before"], &result["after"]);
    assert_eq!(before.as_array().unwrap().len(), 2);
    assert_eq!(after[0], before[1], "moved up");
    assert_eq!(after[1], before[0]);
    assert_eq!(result["note"], "Un témoignage de terrain");
    assert_eq!(
        result["signedInConsole"],
        json!(["Léa Martin, cheffe du service Société"])
    );
    let reader = result["readerText"].as_str().unwrap();
    assert!(reader.contains("Léa Martin"), "the reader's page: {reader}");
    assert!(reader.contains("Merci pour ce point"), "{reader}");
    assert!(!reader.contains("lea@"), "not the login name: {reader}");
    assert_accessible(&result);

    // What the thread's JSON says (the embed and the no-JS page read it).
    let thread = app.thread(&page_url).await;
    let reply = thread["comments"][2]["children"][0].clone();
    assert_eq!(
        reply["byline"],
        json!({"name": "Léa Martin", "title": "cheffe du service Société"})
    );
    assert_eq!(
        thread["highlighted"][1]["editorial"]["note"],
        "Un témoignage de terrain"
    );
}

#[tokio::test]
async fn an_admin_reviews_a_draft_blocklist_entry_by_entry_and_the_settings_are_accessible() {
    let (origin, app) = publisher_and_tribune().await;
    let page_url = format!("{origin}/2026/12/reglages");
    let fake = FakeServer::start().await;
    fake.put(
        "/lists/partagee.json",
        json!([
            {"domain": "spam.example", "severity": "suspend", "comment": "Spam en masse"},
            {"domain": "trolls.example", "severity": "silence", "comment": "Harcèlement"},
            {"domain": "bruit.example", "severity": "silence"}
        ]),
    );
    let created = app
        .client
        .post(app.url("/api/v1/admin/blocklist-subscriptions"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"url": format!("{}/lists/partagee.json", fake.base), "name": "Liste partagée", "auto_apply": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["id"].clone();
    let refreshed = app
        .client
        .post(app.url(&format!(
            "/api/v1/admin/blocklist-subscriptions/{id}/refresh"
        )))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 200);
    for (kind, pattern) in [("suspect_word", "magouille"), ("max_links", "5")] {
        let added = app
            .client
            .post(app.url("/api/v1/admin/rules"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({"kind": kind, "pattern": pattern}))
            .send()
            .await
            .unwrap();
        assert!(added.status().is_success(), "{}", added.status());
    }
    add_staff(&app, "noor", "admin").await;

    let result = run("settings", &app.address, &page_url, "noor").await;
    assert_eq!(result["rulesHeading"], "Règles et modes");
    assert_eq!(result["blocklistsHeading"], "Listes de blocage");
    assert_eq!(result["drafts"], 3);
    assert_eq!(result["draftsAfter"], 1, "one accepted, one rejected");
    assert_accessible(&result);

    let policies: Vec<Value> = app
        .client
        .get(app.url("/api/v1/admin/domain-policies"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(policies.len(), 1, "{policies:?}");
    assert_eq!(
        policies[0]["domain"], "bruit.example",
        "the first, in order"
    );
    let subs: Vec<Value> = app
        .client
        .get(app.url("/api/v1/admin/blocklist-subscriptions"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(subs[0]["excludes"], json!(["spam.example"]));
}
