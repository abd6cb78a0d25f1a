//! GoToSocial's interaction approvals: a reply that waited for a moderator is answered
//! to its author's server with `Accept` (whose `result` is the approval other servers
//! can check) or `Reject`; the `ReplyAuthorization` we serve for each reply we
//! published is that proof. A polite `ReplyRequest` is answered naming the request
//! back; before boosting a reply whose policy asks for it, the site actor sends an
//! `AnnounceRequest` and reads the `AnnounceAuthorization` it gets (GoToSocial's
//! "Interaction Controls", `docs/federation/interaction_controls.md`).

use super::{id_of, type_of, ProtocolError, PUBLIC};
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

/// Our answer to a polite `ReplyRequest`.
pub struct RequestAnswer<'a> {
    pub id: &'a str,
    /// The site actor.
    pub actor: &'a str,
    /// The `ReplyRequest`'s id, and who sent it (the only addressee).
    pub request: &'a str,
    pub requester: &'a str,
    /// What was replied to (ours), and the reply.
    pub object: &'a str,
    pub instrument: &'a str,
    /// The `ReplyAuthorization`'s URL for an `Accept`; `None` for a `Reject`.
    pub authorization: Option<&'a str>,
}

/// `Accept` (with the authorization as `result`) or `Reject` of a `ReplyRequest`, the
/// request embedded as GoToSocial matches it (its id, actor, object and instrument).
pub fn reply_request_answer(a: RequestAnswer<'_>) -> Value {
    let mut message = json!({
        "@context": context(),
        "id": a.id,
        "type": if a.authorization.is_some() { "Accept" } else { "Reject" },
        "actor": a.actor,
        "to": [a.requester],
        "object": {
            "id": a.request,
            "type": "ReplyRequest",
            "actor": a.requester,
            "object": a.object,
            "instrument": a.instrument,
        },
    });
    if let Some(authorization) = a.authorization {
        message["result"] = json!(authorization);
    }
    message
}

/// `AnnounceRequest` of `object` (someone's post, by `author`), the `Announce` we would
/// send as `instrument`; addressed to the author alone, as the docs ask.
pub fn announce_request(
    id: &str,
    actor: &str,
    author: &str,
    object: &str,
    announce: &Value,
) -> Value {
    let mut instrument = announce.clone();
    if let Some(map) = instrument.as_object_mut() {
        map.remove("@context");
    }
    json!({
        "@context": context(),
        "id": id,
        "type": "AnnounceRequest",
        "actor": actor,
        "to": [author],
        "object": object,
        "instrument": instrument,
    })
}

/// The `Announce` with its proof: `announceAuthorization` (GoToSocial ≥ 0.20) and
/// `approvedBy` (older versions), both the authorization's URL.
pub fn with_authorization(announce: &Value, authorization: &str) -> Value {
    let mut announce = announce.clone();
    announce["announceAuthorization"] = json!(authorization);
    announce["approvedBy"] = json!(authorization);
    announce
}

/// An interaction authorization as its author's server serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub id: url::Url,
    pub attributed_to: Option<url::Url>,
    pub interacting_object: Option<url::Url>,
    pub interaction_target: Option<url::Url>,
}

impl Authorization {
    /// An `AnnounceAuthorization` (or the older `AnnounceApproval`, which names the
    /// interaction `object` and `target`).
    pub fn parse_announce(value: &Value) -> Result<Self, ProtocolError> {
        match type_of(value) {
            Some("AnnounceAuthorization" | "AnnounceApproval") => {}
            Some(other) => return Err(ProtocolError::Type(other.to_string())),
            None => return Err(ProtocolError::Field("type")),
        }
        let get = |current: &str, older: &str| {
            value
                .get(current)
                .and_then(id_of)
                .or_else(|| value.get(older).and_then(id_of))
        };
        Ok(Self {
            id: value
                .get("id")
                .and_then(id_of)
                .ok_or(ProtocolError::Field("id"))?,
            attributed_to: value.get("attributedTo").and_then(id_of),
            interacting_object: get("interactingObject", "object"),
            interaction_target: get("interactionTarget", "target"),
        })
    }

    /// Whether it is `author`'s and authorizes `interaction` on `target`.
    pub fn authorizes(&self, author: &str, interaction: &str, target: &str) -> bool {
        let is = |u: &Option<url::Url>, want: &str| u.as_ref().is_some_and(|u| u.as_str() == want);
        is(&self.attributed_to, author)
            && is(&self.interacting_object, interaction)
            && is(&self.interaction_target, target)
    }
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

    /// A payload from GoToSocial's docs (`../shared/fixtures/activitypub`).
    fn fixture(path: &str) -> Value {
        let file = format!(
            "{}/../shared/fixtures/activitypub/{path}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    #[test]
    fn a_polite_request_is_answered_naming_it_back() {
        let answer = |authorization| {
            reply_request_answer(RequestAnswer {
                id: "https://t.example/a/2",
                actor: "https://t.example/sites/s",
                request: "https://g.example/u/a/reply_requests/1",
                requester: "https://g.example/u/a",
                object: "https://t.example/articles/1",
                instrument: "https://g.example/u/a/statuses/1",
                authorization,
            })
        };
        let accept = answer(Some("https://t.example/approvals/1"));
        assert_eq!(accept["type"], "Accept");
        assert_eq!(accept["object"]["type"], "ReplyRequest");
        assert_eq!(
            accept["object"]["id"],
            "https://g.example/u/a/reply_requests/1"
        );
        assert_eq!(
            accept["object"]["instrument"],
            "https://g.example/u/a/statuses/1"
        );
        assert_eq!(accept["result"], "https://t.example/approvals/1");
        let reject = answer(None);
        assert_eq!(reject["type"], "Reject");
        assert!(reject.get("result").is_none());
    }

    #[test]
    fn an_announce_authorization_is_read_in_both_generations_of_names() {
        let older = fixture("gotosocial-docs/interaction_policy_announceapproval_1.json");
        let auth = Authorization::parse_announce(&older).unwrap();
        assert!(auth.authorizes(
            "https://example.org/users/post_author",
            "https://somewhere.else.example.org/users/someone/boosts/01JMPKG79EAH0NB04BHEM9D20N",
            "https://example.org/users/post_author/statuses/01JJYV141Y5M4S65SC1XCP65NT",
        ));
        let current = json!({
            "type": "AnnounceAuthorization", "id": "https://g.example/u/a/authorizations/1",
            "attributedTo": "https://g.example/u/a",
            "interactingObject": "https://t.example/activities/announce/1",
            "interactionTarget": "https://g.example/u/a/statuses/1"
        });
        let auth = Authorization::parse_announce(&current).unwrap();
        assert!(auth.authorizes(
            "https://g.example/u/a",
            "https://t.example/activities/announce/1",
            "https://g.example/u/a/statuses/1"
        ));
        assert!(!auth.authorizes(
            "https://g.example/u/a",
            "https://t.example/activities/announce/2",
            "https://g.example/u/a/statuses/1"
        ));
        let like = fixture("gotosocial-docs/interaction_policy_likeapproval_1.json");
        assert!(Authorization::parse_announce(&like).is_err());
    }

    #[test]
    fn an_announce_request_embeds_the_announce_without_its_context() {
        let announce = super::super::activity::announce(
            "https://t.example/announce/1",
            "https://t.example/sites/s",
            &["https://g.example/u/a".to_string()],
            "https://g.example/u/a/statuses/1",
        );
        let request = announce_request(
            "https://t.example/request/1",
            "https://t.example/sites/s",
            "https://g.example/u/a",
            "https://g.example/u/a/statuses/1",
            &announce,
        );
        assert_eq!(request["type"], "AnnounceRequest");
        assert_eq!(request["to"], json!(["https://g.example/u/a"]));
        assert_eq!(request["instrument"]["id"], "https://t.example/announce/1");
        assert!(request["instrument"].get("@context").is_none());
        let sent = with_authorization(&announce, "https://g.example/u/a/authorizations/1");
        assert_eq!(
            sent["announceAuthorization"],
            "https://g.example/u/a/authorizations/1"
        );
    }
}
