//! `Like` (and Pleroma's and Akkoma's `EmojiReact`, read the same) of an article or a comment.

use crate::federation::protocol::lenient;
use serde::Deserialize;
use url::Url;

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
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

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
            assert_eq!(like.object.unwrap().as_str(), object, "{path}");
            assert!(like.id.is_some(), "{path}");
        }
    }
}
