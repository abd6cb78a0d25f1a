//! Activities as the inbox receives them, one file per type. Each is read leniently
//! (an object embedded or only named, one value or a list, unknown properties
//! ignored) into the properties its handler acts on; what a property does not say is
//! `None` or empty, and the handler decides whether that is an error, so reading never
//! refuses an activity the handlers would have answered otherwise. Only the actor is
//! required: an activity without one is no one's.

mod accept;
mod add;
mod announce;
mod create;
mod delete;
mod flag;
mod follow;
mod like;
mod r#move;
mod quote_request;
mod reply_request;
mod undo;
mod update;

pub use accept::{Accept, Reject};
pub use add::{Add, Remove};
pub use announce::Announce;
pub use create::Create;
pub use delete::Delete;
pub use flag::Flag;
pub use follow::Follow;
pub use like::{emoji_of, EmojiTag, Like, ReactionEmoji, MAX_EMOJI_CHARS};
pub use quote_request::QuoteRequest;
pub use r#move::Move;
pub use reply_request::ReplyRequest;
pub use undo::{Undo, Undone};
pub use update::Update;

use super::{id_of, ProtocolError};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A received activity, by type.
#[derive(Debug, Clone, PartialEq)]
pub enum InboundActivity {
    Create(Create),
    Update(Update),
    Delete(Delete),
    Follow(Follow),
    Undo(Undo),
    Accept(Accept),
    Reject(Reject),
    /// A `Like`, or an `EmojiReact` (Pleroma, Akkoma, Misskey), with its emoji if any.
    Like(Like),
    Announce(Announce),
    Flag(Flag),
    Move(Move),
    Add(Add),
    Remove(Remove),
    /// GoToSocial's polite reply.
    ReplyRequest(ReplyRequest),
    /// FEP-044f: asking to quote one of our objects.
    QuoteRequest(QuoteRequest),
    /// A type the inbox does not handle (its name).
    Unsupported(String),
}

impl InboundActivity {
    /// Reads an activity of type `kind` (the type the envelope read when it came in).
    pub fn parse(kind: &str, value: &Value) -> Result<Self, ProtocolError> {
        // Checked before anything else, whatever the type, as the envelope does.
        if value.get("actor").and_then(id_of).is_none() {
            return Err(ProtocolError::Field("actor"));
        }
        Ok(match kind {
            "Create" => Self::Create(read(value)?),
            "Update" => Self::Update(read(value)?),
            "Delete" => Self::Delete(read(value)?),
            "Follow" => Self::Follow(read(value)?),
            "Undo" => Self::Undo(read(value)?),
            "Accept" => Self::Accept(read(value)?),
            "Reject" => Self::Reject(read(value)?),
            "Like" | "EmojiReact" => Self::Like(read(value)?),
            "Announce" => Self::Announce(read(value)?),
            "Flag" => Self::Flag(read(value)?),
            "Move" => Self::Move(read(value)?),
            "Add" => Self::Add(read(value)?),
            "Remove" => Self::Remove(read(value)?),
            "ReplyRequest" => Self::ReplyRequest(read(value)?),
            "QuoteRequest" => Self::QuoteRequest(read(value)?),
            other => Self::Unsupported(other.to_string()),
        })
    }
}

/// Every property but the actor is read leniently, so this fails only for a document
/// that is not an object (which has no actor either).
fn read<T: DeserializeOwned>(value: &Value) -> Result<T, ProtocolError> {
    T::deserialize(value).map_err(|_| ProtocolError::Field("activity"))
}

/// A payload captured from a real server (`../shared/fixtures/activitypub`).
#[cfg(test)]
fn fixture(path: &str) -> Value {
    const DIR: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fixtures/activitypub"
    );
    let file = format!("{DIR}/{path}");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("fixture {file} is missing (../shared is needed): {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("fixture {file}: {e}"))
}

/// Reads a fixture as the inbox would, by its own `type`.
#[cfg(test)]
fn inbound(path: &str) -> InboundActivity {
    let value = fixture(path);
    let kind = super::type_of(&value)
        .expect("a typed activity")
        .to_string();
    InboundActivity::parse(&kind, &value).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_activity_without_a_usable_actor_is_refused_whatever_its_type() {
        for kind in ["Create", "Follow", "Bite"] {
            for value in [
                json!({"type": kind, "object": "https://a.example/n/1"}),
                json!({"type": kind, "actor": 42}),
                json!([{"actor": "https://a.example/u/a"}]),
            ] {
                assert_eq!(
                    InboundActivity::parse(kind, &value),
                    Err(ProtocolError::Field("actor"))
                );
            }
        }
    }

    #[test]
    fn other_types_are_named_not_refused() {
        let value = json!({"type": "Block", "actor": "https://a.example/u/a"});
        assert_eq!(
            InboundActivity::parse("Block", &value),
            Ok(InboundActivity::Unsupported("Block".into()))
        );
        assert!(matches!(
            inbound("lemmy/activities/block/block_user.json"),
            InboundActivity::Unsupported(kind) if kind == "Block"
        ));
    }

    #[test]
    fn an_emoji_reaction_reads_as_a_like() {
        let value = json!({
            "id": "https://misskey.example/likes/1", "type": "EmojiReact",
            "actor": "https://misskey.example/users/a", "object": "https://t.example/c/1",
            "content": "👍"
        });
        let InboundActivity::Like(like) = InboundActivity::parse("EmojiReact", &value).unwrap()
        else {
            panic!("not a like");
        };
        assert_eq!(like.object.unwrap().as_str(), "https://t.example/c/1");
    }
}
