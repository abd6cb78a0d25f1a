//! GoToSocial's interaction approvals: a reply that waited for a moderator is answered
//! to its author's server with `Accept` (whose `result` is the approval other servers
//! can check) or `Reject`; the `ReplyAuthorization` we serve for each reply we
//! published is that proof.

use super::PUBLIC;
use serde::Serialize;
use serde_json::{json, Value};

/// The `@context` of approvals: ours, which declares GoToSocial's terms.
pub fn context() -> Value {
    super::context()
}

/// A moderator's answer to a held reply.
pub struct ReplyAnswer<'a> {
    pub id: &'a str,
    /// The site actor.
    pub actor: &'a str,
    /// The reply's author, the only addressee of a `Reject`.
    pub author: &'a str,
    pub reply: &'a str,
    /// What the reply answers.
    pub in_reply_to: &'a str,
    /// The approval's URL for an `Accept`; `None` for a `Reject`.
    pub approval: Option<&'a str>,
}

/// `Accept` (public, with the approval as `result`) or `Reject` of a reply.
pub fn reply_answer(a: ReplyAnswer<'_>) -> Value {
    let mut message = json!({
        "@context": context(),
        "id": a.id,
        "type": if a.approval.is_some() { "Accept" } else { "Reject" },
        "actor": a.actor,
        "to": [a.author],
        "object": a.reply,
        "target": a.in_reply_to,
    });
    if let Some(approval) = a.approval {
        message["cc"] = json!([PUBLIC]);
        message["result"] = json!(approval);
    }
    message
}

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
            context: context(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accept_is_public_and_carries_the_approval_a_reject_does_not() {
        let answer = |approval| {
            reply_answer(ReplyAnswer {
                id: "https://t.example/a/1",
                actor: "https://t.example/sites/s",
                author: "https://m.example/u/a",
                reply: "https://m.example/n/1",
                in_reply_to: "https://t.example/articles/1",
                approval,
            })
        };
        let accept = answer(Some("https://t.example/approvals/1"));
        assert_eq!(accept["type"], "Accept");
        assert_eq!(accept["cc"], json!([PUBLIC]));
        assert_eq!(accept["result"], "https://t.example/approvals/1");
        let reject = answer(None);
        assert_eq!(reject["type"], "Reject");
        assert!(reject.get("cc").is_none() && reject.get("result").is_none());
    }
}
