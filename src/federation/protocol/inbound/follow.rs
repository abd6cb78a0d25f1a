//! `Follow`: someone follows a site actor or our blocklist actor (Mastodon, Pleroma and
//! Lemmy name the followed actor by id).

use crate::federation::protocol::lenient;
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Follow {
    /// Kept as sent: the `Accept` quotes it back.
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// Who is followed.
    #[serde(default, deserialize_with = "lenient::id")]
    pub object: Option<Url>,
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

    #[test]
    fn follows_from_mastodon_pleroma_and_lemmy() {
        for (path, object) in [
            (
                "mastodon/activities/follow.json",
                "https://ds9.lemmy.ml/c/testcom",
            ),
            (
                "pleroma/activities/follow.json",
                "https://lemmy.ca/u/kinetix",
            ),
            (
                "lemmy/activities/following/follow.json",
                "http://enterprise.lemmy.ml/c/main",
            ),
        ] {
            let InboundActivity::Follow(follow) = inbound(path) else {
                panic!("{path}: not a Follow");
            };
            assert_eq!(follow.object.unwrap().as_str(), object, "{path}");
            assert!(follow.id.is_some(), "{path}");
        }
    }
}
