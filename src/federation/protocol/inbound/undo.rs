//! `Undo` of a `Follow`, a `Like` (or `EmojiReact`) or an `Announce`. Mastodon and
//! Lemmy embed the undone activity; some servers send only its id, and then what it
//! was is found from what we stored.

use crate::federation::protocol::{id_of, lenient, type_of};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Undo {
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// The undone activity, as much as was said of it.
    #[serde(default, deserialize_with = "undone")]
    pub object: Undone,
}

/// The activity an `Undo` takes back: everything `None` when it only says an id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Undone {
    /// Its `type`, when embedded.
    pub kind: Option<String>,
    pub id: Option<Url>,
    /// What it was about (the followed actor, the liked object), when embedded.
    pub object: Option<Url>,
    /// The emoji of an undone reaction (`EmojiReact`, Misskey's `Like`), when embedded:
    /// one actor may have sent several, and only this one goes.
    pub emoji: Option<String>,
}

fn undone<'de, D: Deserializer<'de>>(d: D) -> Result<Undone, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(Undone {
        kind: type_of(&value).map(str::to_string),
        id: id_of(&value),
        object: value.get("object").and_then(id_of),
        emoji: super::like::emoji_of(&value).map(|e| e.text),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

    #[test]
    fn undone_follows_and_likes_are_embedded() {
        for (path, kind, object) in [
            (
                "mastodon/activities/undo_follow.json",
                "Follow",
                "https://ds9.lemmy.ml/c/testcom",
            ),
            (
                "lemmy/activities/following/undo_follow.json",
                "Follow",
                "http://enterprise.lemmy.ml/c/main",
            ),
            (
                "mastodon/activities/undo_like_page.json",
                "Like",
                "https://ds9.lemmy.ml/post/147",
            ),
            (
                "lemmy/activities/voting/undo_like_note.json",
                "Like",
                "http://ds9.lemmy.ml/comment/1",
            ),
        ] {
            let InboundActivity::Undo(undo) = inbound(path) else {
                panic!("{path}: not an Undo");
            };
            assert_eq!(undo.object.kind.as_deref(), Some(kind), "{path}");
            assert_eq!(undo.object.object.unwrap().as_str(), object, "{path}");
            assert!(undo.object.id.is_some(), "{path}");
        }
    }

    #[test]
    fn an_undone_emoji_reaction_names_its_emoji() {
        let value = serde_json::json!({
            "type": "Undo", "actor": "https://pl.example/u/a",
            "object": {"type": "EmojiReact", "id": "https://pl.example/r/1",
                       "actor": "https://pl.example/u/a", "object": "https://t.example/c/1",
                       "content": "🔥"}
        });
        let InboundActivity::Undo(undo) = InboundActivity::parse("Undo", &value).unwrap() else {
            panic!("not an Undo");
        };
        assert_eq!(undo.object.emoji.as_deref(), Some("🔥"));
        assert_eq!(undo.object.kind.as_deref(), Some("EmojiReact"));
    }

    #[test]
    fn an_undo_naming_only_an_id() {
        let value = serde_json::json!({
            "type": "Undo", "actor": "https://a.example/u/a", "object": "https://a.example/likes/1"
        });
        let InboundActivity::Undo(undo) = InboundActivity::parse("Undo", &value).unwrap() else {
            panic!("not an Undo");
        };
        assert_eq!(undo.object.kind, None);
        assert_eq!(undo.object.emoji, None);
        assert_eq!(undo.object.object, None);
        assert_eq!(
            undo.object.id.unwrap().as_str(),
            "https://a.example/likes/1"
        );
    }
}
