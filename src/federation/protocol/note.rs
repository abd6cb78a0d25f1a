//! Comment-shaped objects (`Note`, and the `Article`/`Page`/`Question` some servers reply
//! with), read leniently: `inReplyTo` as a string, an object or a list; content from
//! `content` or `contentMap`; `attributedTo` as a string, an object or a list (PeerTube
//! lists the account and the channel).

use super::{id_of, many, str_of, type_of, ProtocolError};
use crate::domain::{Attachment, Tag};
use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

/// Object types that can be a comment.
pub const COMMENT_TYPES: [&str; 8] = [
    "Note", "Article", "Page", "Question", "Video", "Image", "Audio", "Event",
];

/// A comment as received, before sanitising and storage.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteDoc {
    pub id: Url,
    pub kind: String,
    pub attributed_to: Url,
    pub in_reply_to: Option<Url>,
    /// Raw HTML: sanitised before it is stored.
    pub content: String,
    /// Content warning (Mastodon puts it in `summary`).
    pub summary: Option<String>,
    pub sensitive: bool,
    pub language: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub attachments: Vec<Attachment>,
    pub tags: Vec<Tag>,
    /// Its `replies` collection, where answers to it are listed.
    pub replies: Option<Url>,
    /// FEP-7888 `context`: the conversation's collection, when it is a URL.
    pub context: Option<Url>,
    /// Addressed to the public (`to` or `cc`): only such notes may be shown in a
    /// thread; followers-only posts and direct messages never are.
    pub public: bool,
}

impl NoteDoc {
    pub fn parse(value: &Value) -> Result<Self, ProtocolError> {
        let kind = type_of(value).ok_or(ProtocolError::Field("type"))?;
        if !COMMENT_TYPES.contains(&kind) {
            return Err(ProtocolError::Type(kind.to_string()));
        }
        let id = value
            .get("id")
            .and_then(id_of)
            .ok_or(ProtocolError::Field("id"))?;
        let attributed_to = attributed_to(value).ok_or(ProtocolError::Field("attributedTo"))?;
        let (content, language) = content_and_language(value);
        let name = str_of(value, "name").filter(|n| !n.is_empty());
        // Articles and Pages from blogs or Lemmy carry their title in `name`.
        let content = match (content, name, kind) {
            (Some(c), _, _) => c,
            (None, Some(n), _) => html_escape(n),
            (None, None, _) => String::new(),
        };
        Ok(Self {
            in_reply_to: value.get("inReplyTo").and_then(id_of),
            summary: str_of(value, "summary")
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            sensitive: value
                .get("sensitive")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            published: str_of(value, "published").and_then(|p| p.parse().ok()),
            updated: str_of(value, "updated").and_then(|p| p.parse().ok()),
            url: value.get("url").and_then(id_of).map(|u| u.to_string()),
            attachments: many(value.get("attachment"))
                .into_iter()
                .filter_map(attachment)
                .collect(),
            tags: many(value.get("tag")).into_iter().filter_map(tag).collect(),
            public: is_public(value),
            replies: value.get("replies").and_then(id_of),
            context: value.get("context").and_then(id_of),
            kind: kind.to_string(),
            id,
            attributed_to,
            content,
            language,
        })
    }
}

/// Whether `to` or `cc` names the public collection, in any of its spellings
/// (`https://www.w3.org/ns/activitystreams#Public`, `as:Public`, `Public`).
pub fn is_public(value: &Value) -> bool {
    ["to", "cc"].iter().any(|key| {
        many(value.get(*key)).into_iter().any(|v| {
            let id = v.as_str().or_else(|| v.get("id").and_then(Value::as_str));
            matches!(id, Some(super::PUBLIC) | Some("as:Public") | Some("Public"))
        })
    })
}

/// The author: the first actor named, preferring a `Person` when several are listed.
fn attributed_to(value: &Value) -> Option<Url> {
    let items = many(value.get("attributedTo"));
    items
        .iter()
        .find(|i| type_of(i) == Some("Person"))
        .or(items.first())
        .and_then(|i| id_of(i))
}

/// `content`, else the first `contentMap` entry; the language from the map's key or
/// from a top-level `language` hint.
fn content_and_language(value: &Value) -> (Option<String>, Option<String>) {
    let map = value.get("contentMap").and_then(Value::as_object);
    let map_first = map.and_then(|m| {
        m.iter()
            .find_map(|(lang, v)| v.as_str().map(|s| (lang.clone(), s.to_string())))
    });
    let language = map_first
        .as_ref()
        .map(|(lang, _)| lang.clone())
        .or_else(|| str_of(value, "language").map(str::to_string))
        .filter(|l| l.len() <= 35 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let content = str_of(value, "content")
        .map(str::to_string)
        .or_else(|| map_first.map(|(_, c)| c));
    (content, language)
}

fn attachment(value: &Value) -> Option<Attachment> {
    let url = match value {
        Value::String(_) => id_of(value)?,
        other => {
            let links = many(other.get("url"));
            links
                .iter()
                .find(|l| l.is_string())
                .or(links.first())
                .and_then(|l| id_of(l))?
        }
    };
    let media_type = str_of(value, "mediaType").map(str::to_string).or_else(|| {
        many(value.get("url"))
            .iter()
            .find_map(|l| str_of(l, "mediaType").map(str::to_string))
    });
    Some(Attachment {
        url: url.to_string(),
        media_type,
        alt: str_of(value, "name")
            .or_else(|| str_of(value, "summary"))
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    })
}

fn tag(value: &Value) -> Option<Tag> {
    match type_of(value)? {
        "Mention" => Some(Tag::Mention {
            href: value.get("href").and_then(id_of)?.to_string(),
            name: str_of(value, "name").map(str::to_string),
        }),
        "Hashtag" => Some(Tag::Hashtag {
            href: value.get("href").and_then(id_of).map(|u| u.to_string()),
            name: str_of(value, "name")?.to_string(),
        }),
        "Emoji" => {
            let shortcode = str_of(value, "name")?.trim_matches(':').to_string();
            let valid = !shortcode.is_empty()
                && shortcode
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_');
            let url = value
                .get("icon")
                .and_then(|i| i.get("url"))
                .and_then(id_of)?;
            valid.then(|| Tag::Emoji {
                shortcode,
                url: url.to_string(),
            })
        }
        _ => None,
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// What a staff reply is published from.
pub struct LocalNote<'a> {
    pub id: &'a str,
    /// Who wrote it: the journalist's actor, or the site actor (the bootstrap token,
    /// replies from before bylines).
    pub author: &'a str,
    /// The site's followers (who get it, boosted by the site or not).
    pub followers: &'a str,
    pub in_reply_to: &'a str,
    /// The article's `context` collection (FEP-7888).
    pub context: &'a str,
    /// The page where people read it.
    pub url: &'a str,
    pub content_html: &'a str,
    pub published: String,
    pub updated: Option<String>,
    /// `(actor id, @name@host)` of whom it answers, mentioned.
    pub mention: Option<(&'a str, &'a str)>,
    /// `policy::Policy::to_json(author)`: who may reply, quote, like, boost.
    pub interaction_policy: Value,
}

/// A staff reply as a `Note` of its author.
pub fn local_note(n: LocalNote<'_>) -> Value {
    let mut cc = vec![serde_json::json!(n.followers)];
    let mut tags = Vec::new();
    if let Some((actor, name)) = n.mention {
        cc.push(serde_json::json!(actor));
        tags.push(serde_json::json!({"type": "Mention", "href": actor, "name": name}));
    }
    let mut note = serde_json::json!({
        "@context": super::context(),
        "id": n.id,
        "type": "Note",
        "attributedTo": n.author,
        "inReplyTo": n.in_reply_to,
        "context": n.context,
        "url": n.url,
        "content": n.content_html,
        "mediaType": "text/html",
        "published": n.published,
        "to": [super::PUBLIC],
        "cc": cc,
        "tag": tags,
        "interactionPolicy": n.interaction_policy,
        // Its first page inline (empty for a new reply; the served document lists what
        // answers it): Mastodon fetches a bare `replies` link again on every `Create`.
        "replies": super::collection::embedded_replies(&format!("{}/replies", n.id), Vec::new()),
    });
    if let Some(updated) = n.updated {
        note["updated"] = serde_json::json!(updated);
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn in_reply_to_may_be_a_string_an_object_or_a_list() {
        for in_reply_to in [
            json!("https://t.example/a/1"),
            json!({"id": "https://t.example/a/1", "type": "Note"}),
            json!(["https://t.example/a/1"]),
        ] {
            let note = NoteDoc::parse(&json!({
                "id": "https://m.example/n/1", "type": "Note",
                "attributedTo": "https://m.example/u/a",
                "inReplyTo": in_reply_to, "content": "<p>hi</p>"
            }))
            .unwrap();
            assert_eq!(note.in_reply_to.unwrap().as_str(), "https://t.example/a/1");
        }
    }

    #[test]
    fn garbage_in_reply_to_is_no_parent_and_content_map_gives_language() {
        let note = NoteDoc::parse(&json!({
            "id": "https://m.example/n/1", "type": "Note",
            "attributedTo": [{"type": "Group", "id": "https://p.example/c/1"},
                             {"type": "Person", "id": "https://p.example/a/1"}],
            "inReplyTo": 42, "contentMap": {"fr": "<p>salut</p>"}
        }))
        .unwrap();
        assert_eq!(note.in_reply_to, None);
        assert_eq!(note.language.as_deref(), Some("fr"));
        assert_eq!(note.content, "<p>salut</p>");
        assert_eq!(note.attributed_to.as_str(), "https://p.example/a/1");
    }
}
