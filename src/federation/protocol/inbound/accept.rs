//! `Accept` and `Reject` of a `Follow` we sent. Mastodon and Mbin embed the follow,
//! Lemmy too; GoToSocial's interaction approvals name only the object: either way its
//! id is what is answered. An `Accept` of one of our interaction requests
//! (`AnnounceRequest`) embeds the request and names the authorization in `result`.

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
    /// GoToSocial's interaction authorization (`AnnounceAuthorization`…), by its id.
    #[serde(default, deserialize_with = "lenient::id")]
    pub result: Option<Url>,
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

    #[test]
    fn an_interaction_accept_names_its_authorization_and_the_embedded_request() {
        let InboundActivity::Accept(accept) =
            inbound("gotosocial-docs/interaction_policy_accept_1.json")
        else {
            panic!("not an Accept");
        };
        assert_eq!(
            accept.result.unwrap().as_str(),
            "https://example.org/users/post_author/reply_approvals/01JMMGABRDNA9G9BDNYJR7TC8D"
        );
        // GoToSocial's docs: the Accept of a polite request embeds the request.
        let value = serde_json::json!({
            "type": "Accept", "actor": "https://example.org/users/someone",
            "object": {"type": "AnnounceRequest", "id": "https://t.example/activities/r/1",
                       "actor": "https://t.example/sites/demo",
                       "object": "https://example.org/users/someone/statuses/1",
                       "instrument": "https://t.example/activities/announce/1"},
            "result": "https://example.org/users/someone/authorizations/1"
        });
        let InboundActivity::Accept(accept) = InboundActivity::parse("Accept", &value).unwrap()
        else {
            panic!("not an Accept");
        };
        assert_eq!(
            accept.object.unwrap().as_str(),
            "https://t.example/activities/r/1"
        );
    }
}
