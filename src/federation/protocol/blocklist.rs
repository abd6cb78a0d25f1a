//! Blocklist changes between servers: `Add` (entries listed or changed) and `Remove`
//! (entries withdrawn) sent by a server's blocklist actor to its approved followers,
//! their objects FIRES records (see `fires`), plus `Reject` of a follow.

use serde_json::{json, Value};
use url::Url;

/// The terms we add to ActivityStreams for blocklists.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "tribune": "https://tribune.social/ns#",
            "blocklistDataset": {"@id": "tribune:blocklistDataset", "@type": "@id"}
        }
    ])
}

/// The dataset a blocklist actor advertises (`blocklistDataset`).
pub fn dataset_of(actor: &Value) -> Option<Url> {
    actor.get("blocklistDataset").and_then(super::id_of)
}

/// `Add` or `Remove` of FIRES records to the dataset, addressed to the followers only
/// (a list is not a public post).
pub fn change(
    kind: &str,
    id: &str,
    actor: &str,
    followers: &str,
    dataset: &str,
    records: Vec<Value>,
) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": kind,
        "actor": actor,
        "to": [followers],
        "published": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "object": records,
        "target": dataset,
    })
}

/// `Reject` of a received `Follow`.
pub fn reject_follow(id: &Url, actor: &Url, follow_id: &str, follower: &Url) -> Value {
    let mut reject = super::activity::accept_follow(id, actor, follow_id, follower);
    reject["type"] = json!("Reject");
    reject
}
