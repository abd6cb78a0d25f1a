//! GoToSocial's `ReplyRequest` (a "polite" reply): `object` is our article or comment,
//! `instrument` the reply itself, embedded or named. Its author's server waits for our
//! `Accept` (with a `ReplyAuthorization` as `result`) before distributing the reply.

use crate::federation::protocol::lenient::{self, ObjectRef};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReplyRequest {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<Url>,
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// What is replied to.
    #[serde(default, deserialize_with = "lenient::id")]
    pub object: Option<Url>,
    /// The reply.
    #[serde(default, deserialize_with = "lenient::object")]
    pub instrument: Option<ObjectRef>,
}

#[cfg(test)]
mod tests {
    use super::super::InboundActivity;
    use serde_json::json;

    /// The shape of GoToSocial's docs ("Sending an Interaction Request").
    #[test]
    fn the_reply_is_the_instrument_embedded_or_named() {
        let note = json!({
            "type": "Note",
            "id": "https://boobs.example.com/users/b/statuses/01KFGBRPFJJCP0FM4039H4VDVQ",
            "attributedTo": "https://boobs.example.com/users/b",
            "inReplyTo": "https://example.org/users/someone/statuses/01KFGBJN586W5EZFHE16R7FMJ1",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>hey what's up</p>"
        });
        for instrument in [note.clone(), note["id"].clone()] {
            let value = json!({
                "@context": ["https://gotosocial.org/ns", "https://www.w3.org/ns/activitystreams"],
                "type": "ReplyRequest",
                "id": "https://boobs.example.com/users/b/reply_requests/01KFGBRPGDCTAMB5MWVW700Y11",
                "actor": "https://boobs.example.com/users/b",
                "to": "https://example.org/users/someone",
                "object": "https://example.org/users/someone/statuses/01KFGBJN586W5EZFHE16R7FMJ1",
                "instrument": instrument
            });
            let InboundActivity::ReplyRequest(request) =
                InboundActivity::parse("ReplyRequest", &value).unwrap()
            else {
                panic!("not a ReplyRequest");
            };
            let instrument = request.instrument.unwrap();
            assert_eq!(instrument.id.unwrap().as_str(), note["id"]);
            assert_eq!(
                instrument.embedded.is_some(),
                value["instrument"].is_object()
            );
            assert_eq!(
                request.object.unwrap().as_str(),
                "https://example.org/users/someone/statuses/01KFGBJN586W5EZFHE16R7FMJ1"
            );
        }
    }
}
