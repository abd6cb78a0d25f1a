//! Payloads captured from real servers, in the shared material beside the repository
//! (`../shared/fixtures/activitypub`), and activities built from them. The tests need
//! them: where they are missing, the tests fail, naming the path.

use super::signing::TestActor;
use serde_json::{json, Value};

/// Path of the shared fixtures (`../shared/fixtures/activitypub` beside the repo);
/// panics where it is missing, so that a run without them fails rather than passes.
pub fn fixtures_dir() -> std::path::PathBuf {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/activitypub");
    assert!(
        dir.is_dir(),
        "fixtures missing at {}: the tests need ../shared beside the repository (see README, Run it)",
        dir.display()
    );
    dir
}

/// Reads a shared fixture.
pub fn fixture(relative: &str) -> Value {
    let path = fixtures_dir().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixture missing at {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Mastodon's captured `Create(Note)` rewritten to come from `actor` and reply to
/// `in_reply_to`, with status number `n`.
pub fn mastodon_create(actor: &TestActor, n: u32, in_reply_to: &str) -> Value {
    let mut activity = fixture("mastodon/activities/create_note.json");
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
