//! `Like` (and Pleroma's, Akkoma's and Misskey's `EmojiReact`) of an article or a
//! comment. A reaction keeps its emoji: Misskey sends a `Like` whose
//! `_misskey_reaction` (and `content`) is the emoji; Pleroma and Akkoma an `EmojiReact`
//! whose `content` is. A custom emoji is `:name:` with an `Emoji` tag giving its image.

use crate::federation::protocol::{lenient, many, str_of, type_of};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

/// The longest emoji text kept (a ZWJ family is about a dozen code points; a custom
/// emoji's `:name@host:` a few dozen). Anything longer counts as a plain like.
pub const MAX_EMOJI_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Like {
    /// What an `Undo` names it by.
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// What is liked.
    #[serde(default, deserialize_with = "lenient::id")]
    pub object: Option<Url>,
    /// Misskey's reaction (`"👍"`, `":blobcat:"`), which it also puts in `content`.
    #[serde(
        rename = "_misskey_reaction",
        default,
        deserialize_with = "lenient::string"
    )]
    pub misskey_reaction: Option<String>,
    /// `EmojiReact`'s emoji (Pleroma, Akkoma), or Misskey's again.
    #[serde(default, deserialize_with = "lenient::string")]
    pub content: Option<String>,
    /// The custom emoji named in the reaction, with their images.
    #[serde(default, deserialize_with = "emoji_tags")]
    pub tag: Vec<EmojiTag>,
}

/// A custom emoji as its `Emoji` tag describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct EmojiTag {
    /// `:name:` (Pleroma and Misskey write the colons; some servers do not).
    pub name: String,
    pub icon: Option<Url>,
}

/// The emoji a reaction carries, checked: a unicode emoji, or a custom `:name:` with
/// the image its tag gives (only an http(s) URL, kept as data: we never fetch it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionEmoji {
    pub text: String,
    pub icon: Option<Url>,
}

impl Like {
    /// The emoji of this reaction; `None` for a plain like, and for a text that is no
    /// emoji (words, markup, too long), which then counts as a plain like.
    pub fn emoji(&self) -> Option<ReactionEmoji> {
        checked_emoji(
            self.misskey_reaction.as_deref().or(self.content.as_deref()),
            &self.tag,
        )
    }
}

/// The emoji of a reaction embedded in an `Undo` (what it takes back), read as `Like`
/// reads its own.
pub fn emoji_of(value: &Value) -> Option<ReactionEmoji> {
    #[derive(Deserialize)]
    struct Fields {
        #[serde(
            rename = "_misskey_reaction",
            default,
            deserialize_with = "lenient::string"
        )]
        misskey_reaction: Option<String>,
        #[serde(default, deserialize_with = "lenient::string")]
        content: Option<String>,
        #[serde(default, deserialize_with = "emoji_tags")]
        tag: Vec<EmojiTag>,
    }
    let fields = Fields::deserialize(value).ok()?;
    checked_emoji(
        fields
            .misskey_reaction
            .as_deref()
            .or(fields.content.as_deref()),
        &fields.tag,
    )
}

fn checked_emoji(text: Option<&str>, tags: &[EmojiTag]) -> Option<ReactionEmoji> {
    let text = text?.trim();
    if text.is_empty() || text.chars().count() > MAX_EMOJI_CHARS {
        return None;
    }
    if let Some(name) = custom_name(text) {
        let icon = tags
            .iter()
            .find(|t| t.name.trim_matches(':') == name)
            .and_then(|t| t.icon.clone());
        return Some(ReactionEmoji {
            text: format!(":{name}:"),
            icon,
        });
    }
    is_unicode_emoji(text).then(|| ReactionEmoji {
        text: text.to_string(),
        icon: None,
    })
}

/// `name` of a custom `:name:` (Misskey writes a remote one `:name@host:`).
fn custom_name(text: &str) -> Option<&str> {
    let name = text.strip_prefix(':')?.strip_suffix(':')?;
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-+.@".contains(c)))
    .then_some(name)
}

/// Whether `text` looks like one emoji sequence and not words: no letters, spaces or
/// markup; ASCII only as a keycap's digit, `#` or `*` (`1️⃣`).
fn is_unicode_emoji(text: &str) -> bool {
    !text.is_ascii()
        && text.chars().all(|c| {
            if c.is_ascii() {
                c.is_ascii_digit() || c == '#' || c == '*'
            } else {
                !c.is_alphabetic() && !c.is_whitespace() && !c.is_control()
            }
        })
}

/// The longest custom emoji image URL kept (longer ones: the emoji without its image).
pub const MAX_ICON_URL: usize = 2048;

fn emoji_tags<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<EmojiTag>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(many(Some(&value))
        .into_iter()
        .filter(|t| type_of(t) == Some("Emoji"))
        .filter_map(|t| {
            let name = str_of(t, "name")?.to_string();
            let icon = t
                .get("icon")
                .and_then(|i| match i {
                    Value::String(s) => Some(s.as_str()),
                    other => str_of(other, "url"),
                })
                // Kept as data for readers' browsers: bounded, or a reaction could store
                // a body-sized URL in every row it may add.
                .filter(|u| u.len() <= MAX_ICON_URL)
                .and_then(|u| Url::parse(u).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"));
            Some(EmojiTag { name, icon })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};
    use super::*;
    use serde_json::json;

    fn like(value: Value) -> Like {
        let kind = type_of(&value).unwrap().to_string();
        let InboundActivity::Like(like) = InboundActivity::parse(&kind, &value).unwrap() else {
            panic!("not a like");
        };
        like
    }

    #[test]
    fn likes_from_mastodon_and_lemmy() {
        for (path, object) in [
            (
                "mastodon/activities/like_page.json",
                "https://ds9.lemmy.ml/post/147",
            ),
            (
                "lemmy/activities/voting/like_note.json",
                "http://ds9.lemmy.ml/comment/1",
            ),
        ] {
            let InboundActivity::Like(like) = inbound(path) else {
                panic!("{path}: not a Like");
            };
            assert_eq!(like.object.as_ref().unwrap().as_str(), object, "{path}");
            assert!(like.id.is_some(), "{path}");
            assert_eq!(like.emoji(), None, "{path}: a plain like");
        }
    }

    #[test]
    fn a_misskey_like_keeps_its_reaction_and_a_custom_emoji_its_image() {
        let unicode = like(json!({
            "id": "https://mk.example/likes/9", "type": "Like",
            "actor": "https://mk.example/users/9", "object": "https://t.example/c/1",
            "content": "🎉", "_misskey_reaction": "🎉"
        }));
        assert_eq!(unicode.emoji().unwrap().text, "🎉");
        let custom = like(json!({
            "id": "https://mk.example/likes/10", "type": "Like",
            "actor": "https://mk.example/users/9", "object": "https://t.example/c/1",
            "content": ":blobcat:", "_misskey_reaction": ":blobcat:",
            "tag": [{"id": "https://mk.example/emojis/blobcat", "type": "Emoji", "name": ":blobcat:",
                     "icon": {"type": "Image", "mediaType": "image/png", "url": "https://mk.example/files/blobcat.png"}}]
        }));
        let emoji = custom.emoji().unwrap();
        assert_eq!(emoji.text, ":blobcat:");
        assert_eq!(
            emoji.icon.unwrap().as_str(),
            "https://mk.example/files/blobcat.png"
        );
    }

    #[test]
    fn an_emoji_react_from_pleroma_keeps_its_emoji_but_no_icon_that_is_not_http() {
        let react = like(json!({
            "id": "https://pl.example/activities/1", "type": "EmojiReact",
            "actor": "https://pl.example/users/a", "object": "https://t.example/c/1",
            "content": ":pleroma:",
            "tag": {"type": "Emoji", "name": "pleroma", "icon": {"url": "javascript:alert(1)"}}
        }));
        let emoji = react.emoji().unwrap();
        assert_eq!(emoji.text, ":pleroma:");
        assert_eq!(emoji.icon, None);
        let keycap = like(
            json!({"type": "EmojiReact", "actor": "https://pl.example/users/a",
            "content": "1️⃣"}),
        );
        assert_eq!(keycap.emoji().unwrap().text, "1️⃣");
        let family = like(
            json!({"type": "EmojiReact", "actor": "https://pl.example/users/a",
            "content": "👨‍👩‍👧‍👦"}),
        );
        assert!(family.emoji().is_some());
    }

    #[test]
    fn words_markup_and_long_texts_are_no_emoji() {
        for content in [
            "BUY NOW",
            "<img src=x>",
            "👍 spam",
            "日本",
            ":bad name:",
            "::",
            "",
            &"🎉".repeat(MAX_EMOJI_CHARS + 1),
            &format!(":{}:", "a".repeat(MAX_EMOJI_CHARS)),
        ] {
            let react = like(
                json!({"type": "EmojiReact", "actor": "https://pl.example/users/a",
                "content": content}),
            );
            assert_eq!(react.emoji(), None, "{content}");
        }
    }
}
