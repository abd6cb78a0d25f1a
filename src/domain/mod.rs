//! Plain domain types shared by every layer: no axum, sea-orm or ActivityStreams here.
//! The states and kinds stored as text are enums declared with `text_enum!`: one text
//! per value, the same in the database, in JSON and in the console; `storage` maps them
//! to their columns (`storage::columns`), so nothing else compares those texts.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Declares an enum whose values each have one text: `as_str`, `parse`, `ALL`,
/// `Display`, and serde with those very texts, so that the database, the JSON and the
/// console cannot spell a value differently. Extra derives go on the declaration.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The text stored and shown for this value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// The value of an exact text (`None` for any other text).
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

mod blocklists;
mod consent;
mod domain_name;
mod follows;
mod moderation;
mod queues;
mod staff;

pub use blocklists::{ListChange, Retraction, SourceKind};
pub use consent::{ConsentKind, ConsentState};
pub use domain_name::{DomainName, DomainNameError, ListedDomain};
pub use follows::{FollowState, FollowerState};
pub use moderation::{
    Action, ActorPolicyAction, CommentStatus, Mode, ReportStatus, RuleKind, Severity, TrustLevel,
};
pub use queues::{CrawlStatus, DeliveryStatus, InboxStatus};
pub use staff::Role;

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

/// Bytes as lower-case hex, as digests and signatures are written (tokens' hashes,
/// e-mail hashes, webhook signatures, reporters' keys).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Now, in storage form.
pub fn now_millis() -> i64 {
    Utc::now().timestamp_millis()
}
