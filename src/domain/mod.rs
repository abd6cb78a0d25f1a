//! Plain domain types shared by every layer: no axum, sea-orm or ActivityStreams here.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// What moderation decided for a comment. Only `Published` comments are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    Published,
    Held,
    Hidden,
    Rejected,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Held => "held",
            Self::Hidden => "hidden",
            Self::Rejected => "rejected",
        }
    }
}

/// Moderation mode of a site or article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Published at once, reviewable after (the default).
    Post,
    /// Held until a moderator approves.
    Pre,
    /// New replies refused.
    Closed,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "post" => Some(Self::Post),
            "pre" => Some(Self::Pre),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::Pre => "pre",
            Self::Closed => "closed",
        }
    }
}

/// A media attachment, shown as a link with its alternative text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attachment {
    pub url: String,
    pub media_type: Option<String>,
    /// Alternative text (`name` on the wire).
    pub alt: Option<String>,
}

/// A tag carried by a comment: a mention, a hashtag or a custom emoji.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Tag {
    Mention {
        href: String,
        name: Option<String>,
    },
    Hashtag {
        href: Option<String>,
        name: String,
    },
    /// Custom emoji: `:shortcode:` in the text, shown as the image.
    Emoji {
        shortcode: String,
        url: String,
    },
}

/// Unix milliseconds, the storage form of every time.
pub fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Back from storage.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// Now, in storage form.
pub fn now_millis() -> i64 {
    Utc::now().timestamp_millis()
}
