//! The `Flag` we send: a report forwarded to the reported author's server, from the
//! instance actor (the server, never a reader or a site), shaped as Mastodon sends and
//! reads it: `object` = [the account, its statuses…], `to` = the account, `content` =
//! the reason in words. Mastodon files it as a report about its local account with
//! those statuses; GoToSocial and Misskey read the same shape.

use serde_json::{json, Value};

/// A report about one author's comments.
pub struct OutboundFlag<'a> {
    pub id: &'a str,
    /// Our instance actor.
    pub actor: &'a str,
    /// The reported account.
    pub author: &'a str,
    /// The reported statuses (the comments' note ids).
    pub notes: &'a [&'a str],
    /// Why, in words: the reason, and what a reader wrote (never who they are).
    pub content: &'a str,
}

/// The `Flag` activity.
pub fn flag(f: &OutboundFlag<'_>) -> Value {
    let mut object = vec![f.author];
    object.extend(f.notes.iter().copied());
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f.id,
        "type": "Flag",
        "actor": f.actor,
        "content": f.content,
        "object": object,
        "to": [f.author],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_names_the_account_first_then_its_statuses_as_mastodon_does() {
        let sent = flag(&OutboundFlag {
            id: "https://t.example/actor/flags/1/off_topic",
            actor: "https://t.example/actor",
            author: "https://m.example/users/a",
            notes: &["https://m.example/users/a/statuses/1"],
            content: "Hors sujet",
        });
        // Mastodon's own Flag (mastodon-docs/flag_1.json) has this shape.
        let mastodon: Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/fixtures/activitypub/mastodon-docs/flag_1.json"
            ))
            .expect("the shared fixtures"),
        )
        .expect("JSON");
        for key in ["id", "type", "actor", "content", "object", "to"] {
            assert!(mastodon.get(key).is_some(), "{key} in Mastodon's Flag");
            assert!(sent.get(key).is_some(), "{key} in ours");
        }
        assert_eq!(sent["type"], mastodon["type"]);
        assert_eq!(
            sent["object"],
            json!([
                "https://m.example/users/a",
                "https://m.example/users/a/statuses/1"
            ])
        );
        assert_eq!(sent["to"], json!(["https://m.example/users/a"]));
    }
}
