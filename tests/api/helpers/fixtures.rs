//! Payloads captured from real servers, in the shared material beside the repository
//! (`../shared/fixtures/activitypub`), and activities built from them.

use super::signing::TestActor;
use serde_json::{json, Value};

/// Path of the shared fixtures (`../shared/fixtures/activitypub` beside the repo).
pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/activitypub")
}

/// Reads a shared fixture; `None` (with a message) where `../shared` is absent.
pub fn fixture(relative: &str) -> Option<Value> {
    let path = fixtures_dir().join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).unwrap()),
        Err(_) => {
            eprintln!(
                "fixture {} is absent (../shared not laid out here): skipped",
                path.display()
            );
            None
        }
    }
}

/// Mastodon's captured `Create(Note)` rewritten to come from `actor` and reply to
/// `in_reply_to`, with status number `n`.
pub fn mastodon_create(actor: &TestActor, n: u32, in_reply_to: &str) -> Value {
    let mut activity = fixture("mastodon/activities/create_note.json").unwrap_or_else(|| {
        json!({"type": "Create", "object": {"type": "Note",
               "content": "<p>i have never been disappointed by a thinkpad.</p>"}})
    });
    let note_id = format!("{}/statuses/{n}", actor.id);
    activity["id"] = json!(format!("{note_id}/activity"));
    activity["actor"] = json!(actor.id);
    let object = &mut activity["object"];
    object["id"] = json!(note_id);
    object["url"] = json!(note_id);
    object["attributedTo"] = json!(actor.id);
    object["inReplyTo"] = json!(in_reply_to);
    object["inReplyToAtomUri"] = json!(in_reply_to);
    object["atomUri"] = json!(note_id);
    object["to"] = json!([format!("{}/followers", actor.id)]);
    object["published"] = json!("2026-11-02T10:00:00Z");
    activity
}
