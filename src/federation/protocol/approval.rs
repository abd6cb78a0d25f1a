//! GoToSocial's reply approval: the `ReplyAuthorization` we serve for each reply we
//! published, which its author's server shows as proof that the reply was accepted.

use serde::Serialize;
use serde_json::{json, Value};

/// The proof that `interacting_object` (a reply) was approved as an answer to
/// `interaction_target`, by the site actor `attributed_to`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyAuthorization {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub attributed_to: String,
    pub interacting_object: String,
    pub interaction_target: String,
    /// `object` and `target` repeat the interaction for servers reading the older names.
    pub object: String,
    pub target: String,
}

impl ReplyAuthorization {
    pub fn new(id: String, attributed_to: String, reply: String, in_reply_to: String) -> Self {
        Self {
            context: json!([
                "https://www.w3.org/ns/activitystreams",
                "https://gotosocial.org/ns"
            ]),
            id,
            kind: "ReplyAuthorization",
            attributed_to,
            interacting_object: reply.clone(),
            interaction_target: in_reply_to.clone(),
            object: reply,
            target: in_reply_to,
        }
    }
}
