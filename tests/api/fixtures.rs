//! Every payload captured from real servers (`../shared/fixtures/activitypub`) parses,
//! and every reply-shaped one lands in a thread once its ids point at our article —
//! unless it is not public (direct messages and followers-only posts never show) or
//! is not a comment at all.

use crate::helpers::*;
use serde_json::{json, Map, Value};
use tribune::federation::protocol::{
    activity::Envelope,
    actor::{RemoteActorDoc, ACTOR_TYPES},
    note::{NoteDoc, COMMENT_TYPES},
    type_of,
};

const PASTURE_ACTOR: &str = "http://pasture-one-actor/actor";
const PASTURE_PARENT: &str = "http://pasture-one-actor/assets/note1.jsonap";

/// Pasture examples that quote the article (`quotes.json`, every way of saying so):
/// citations (FEP-044f), listed in `quotes`, never replies in the tree.
const PASTURE_QUOTES: &[(&str, usize)] = &[
    ("quotes.json", 0),
    ("quotes.json", 1),
    ("quotes.json", 2),
    ("quotes.json", 3),
    ("quotes.json", 4),
];

/// Pasture examples that are not comments we can show, with why.
const PASTURE_NOT_LANDING: &[(&str, usize, &str)] = &[
    (
        "in_reply_to.json",
        1,
        "inReplyTo names an unreachable server",
    ),
    (
        "in_reply_to.json",
        5,
        "inReplyTo is a Collection, not an object",
    ),
    ("necessary_properties.json", 1, "no id"),
    ("necessary_properties.json", 3, "no attributedTo"),
    ("necessary_properties.json", 4, "no type"),
    ("object_types.json", 2, "Document is not a comment type"),
    ("object_types.json", 7, "Place is not a comment type"),
    ("object_types.json", 8, "Profile is not a comment type"),
    ("object_types.json", 9, "Relationship is not a comment type"),
    ("object_types.json", 10, "Tombstone is not a comment type"),
    ("object_types.json", 13, "no type"),
];

/// Captured replies that are addressed to people, not to the public.
const PRIVATE_REPLIES: &[&str] = &[
    "mastodon/activities/private_message.json",
    "mastodon-docs/create_note_1.json",
    "mastodon-docs/create_note_2.json",
    "gotosocial-docs/posts_note_1.json",
];

fn json_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Checks that our readers accept a document of a kind they read.
fn assert_parses(name: &str, doc: &Value) {
    let Some(kind) = type_of(doc) else { return };
    if doc.get("actor").is_some() {
        let body = serde_json::to_vec(doc).unwrap();
        Envelope::parse(doc, &body).unwrap_or_else(|e| panic!("{name}: activity: {e}"));
        if let Some(object) = doc.get("object").filter(|o| o.is_object()) {
            assert_parses(&format!("{name} (object)"), object);
        }
    } else if COMMENT_TYPES.contains(&kind)
        && doc.get("id").is_some()
        && doc.get("attributedTo").is_some()
    {
        NoteDoc::parse(doc).unwrap_or_else(|e| panic!("{name}: note: {e}"));
    } else if ACTOR_TYPES.contains(&kind) && doc.get("inbox").is_some() {
        RemoteActorDoc::parse(doc).unwrap_or_else(|e| panic!("{name}: actor: {e}"));
    }
}

/// Replaces the id a property names with `new`, keeping the property's shape (a
/// string, a list, an object with `id` or `href`).
fn repoint(value: &mut Value, new: &str) {
    match value {
        Value::String(s) => *s = new.to_string(),
        Value::Array(items) => {
            if let Some(first) = items.first_mut() {
                repoint(first, new);
            }
        }
        Value::Object(map) => {
            let key = if map.contains_key("id") { "id" } else { "href" };
            map.insert(key.into(), json!(new));
        }
        _ => {}
    }
}

/// The comment object of a reply-shaped fixture (a bare note, or a Create/Update's).
fn reply_object(doc: &Value) -> Option<Value> {
    let object = match type_of(doc)? {
        "Create" | "Update" => doc.get("object")?.clone(),
        _ => doc.clone(),
    };
    (object.get("inReplyTo").is_some_and(|r| !r.is_null())
        && type_of(&object).is_some_and(|t| COMMENT_TYPES.contains(&t)))
    .then_some(object)
}

#[tokio::test]
async fn every_captured_payload_parses_and_every_public_reply_lands_in_the_thread() {
    // Fails, naming the path, where ../shared is missing.
    let dir = fixtures_dir();
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let actor = fake.actor("fixtures", 0);
    // Hundreds of replies in seconds from one account is what the rate and repetition
    // rules exist for: this account is trusted, so only parsing and landing are tested.
    let trusted = app
        .client
        .post(app.url("/api/v1/admin/actor-policies"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"actor": actor.id, "action": "allow"}))
        .send()
        .await
        .unwrap();
    assert_eq!(trusted.status(), 200);
    let article = app.add_article("/2026/fixtures", "Fixtures").await;
    let article_id = article["ap_id"].as_str().unwrap().to_string();

    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let mut expect_landed = Vec::new();
    let mut expect_absent = Vec::new();
    let mut expect_quoted = Vec::new();
    let mut sent = 0;
    for path in &files {
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        let (notes, pasture): (Vec<Value>, bool) =
            match doc.get("examples").and_then(Value::as_array) {
                Some(examples) => (examples.clone(), true),
                None => {
                    assert_parses(&name, &doc);
                    (reply_object(&doc).into_iter().collect(), false)
                }
            };
        for (i, example) in notes.into_iter().enumerate() {
            let id = format!(
                "{}/fixtures/{}/{i}",
                actor.id,
                name.replace(['/', '.'], "_")
            );
            let note = if pasture {
                // Pasture merges each partial object into a Create(Note) of its actor.
                let mut base: Map<String, Value> = serde_json::from_value(json!({
                    "@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Note",
                    "attributedTo": PASTURE_ACTOR, "inReplyTo": PASTURE_PARENT,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                    "published": "2026-11-02T10:00:00Z", "content": ""}))
                .unwrap();
                for (k, v) in example.as_object().unwrap() {
                    base.insert(k.clone(), v.clone());
                }
                let text = Value::Object(base)
                    .to_string()
                    .replace(PASTURE_ACTOR, &actor.id)
                    .replace(PASTURE_PARENT, &article_id);
                serde_json::from_str::<Value>(&text).unwrap()
            } else {
                let mut note = example;
                note["id"] = json!(id);
                repoint(&mut note["attributedTo"], &actor.id);
                repoint(&mut note["inReplyTo"], &article_id);
                note
            };
            let file = path.file_name().unwrap().to_str().unwrap();
            let lands = if pasture {
                !PASTURE_NOT_LANDING
                    .iter()
                    .any(|(f, n, _)| *f == file && *n == i)
            } else {
                !PRIVATE_REPLIES.contains(&name.as_str())
            };
            let activity = json!({"@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{id}/activity"), "type": "Create", "actor": actor.id,
                "to": note.get("to").cloned().unwrap_or(Value::Null), "object": note});
            assert_eq!(actor.send(&app, &activity).await, 202, "{name} #{i}");
            sent += 1;
            if pasture && PASTURE_QUOTES.contains(&(file, i)) {
                expect_quoted.push((format!("{name} #{i}"), id));
            } else if lands {
                expect_landed.push((format!("{name} #{i}"), id));
            } else {
                expect_absent.push((format!("{name} #{i}"), id));
            }
        }
    }
    app.drain().await;

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let mut shown = std::collections::HashMap::new();
    collect(&thread["comments"], &mut shown);
    for (what, id) in &expect_landed {
        let comment = shown
            .get(id)
            .unwrap_or_else(|| panic!("{what} did not land ({id})"));
        let html = comment["content_html"].as_str().unwrap();
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
            "{what}: {html}"
        );
    }
    for (what, id) in &expect_absent {
        assert!(!shown.contains_key(id), "{what} should not be shown");
    }
    let quoted: Vec<&str> = thread["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["ap_id"].as_str())
        .collect();
    for (what, id) in &expect_quoted {
        assert!(quoted.contains(&id.as_str()), "{what} is not a citation");
        assert!(!shown.contains_key(id), "{what} is a quote, not a reply");
    }
    eprintln!(
        "{} files, {sent} replies sent, {} landed, {} kept out",
        files.len(),
        expect_landed.len(),
        expect_absent.len()
    );
    assert!(
        files.len() > 100 && sent > 250,
        "{} files, {sent} sent",
        files.len()
    );
    assert_eq!(
        thread["total"].as_u64().unwrap() as usize,
        expect_landed.len()
    );
}

fn collect(nodes: &Value, out: &mut std::collections::HashMap<String, Value>) {
    for node in nodes.as_array().into_iter().flatten() {
        out.insert(node["ap_id"].as_str().unwrap().to_string(), node.clone());
        collect(&node["children"], out);
    }
}
