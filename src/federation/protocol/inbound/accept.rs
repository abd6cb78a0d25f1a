//! `Accept` and `Reject` of a `Follow` we sent. Mastodon and Mbin embed the follow,
//! Lemmy too; GoToSocial's interaction approvals name only the object: either way its
//! id is what is answered.

use crate::federation::protocol::lenient;
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Accept {
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// The id of what is accepted (our `Follow`).
    #[serde(default, deserialize_with = "lenient::id")]
    pub object: Option<Url>,
}

/// A `Reject` says the same of the object as an `Accept`.
pub type Reject = Accept;

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

    #[test]
    fn the_answered_follow_embedded_or_named() {
        for (path, follow) in [
            (
                "lemmy/activities/following/accept.json",
                "http://ds9.lemmy.ml/activities/follow/6abcd50b-b8ca-4952-86b0-a6dd8cc12866",
            ),
            (
                "mbin/activities/accept.json",
                "https://some-other.instance/f/object/c51ea652-e594-4920-a989-f5350f0cec05",
            ),
            (
                "gotosocial-docs/interaction_policy_accept_1.json",
                "https://somewhere.else.example.org/users/someone/statuses/01J17XY2VXGMNNPH1XR7BG2524",
            ),
        ] {
            let InboundActivity::Accept(accept) = inbound(path) else {
                panic!("{path}: not an Accept");
            };
            assert_eq!(accept.object.unwrap().as_str(), follow, "{path}");
        }
        let InboundActivity::Reject(reject) =
            inbound("gotosocial-docs/interaction_policy_reject_1.json")
        else {
            panic!("not a Reject");
        };
        assert_eq!(
            reject.actor.as_str(),
            "https://example.org/users/post_author"
        );
    }
}
