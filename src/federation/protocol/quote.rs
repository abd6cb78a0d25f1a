//! Quotes (FEP-044f, as Mastodon 4.5 and Fedify speak it): which object a post quotes,
//! the `QuoteAuthorization` stamp we serve for a quote we accepted, and our answers to
//! a `QuoteRequest`: `Accept` (its `result` the stamp), `Reject`, and the `Delete` of
//! the stamp that revokes it. Shapes follow Mastodon's serializers
//! (`AcceptQuoteRequestSerializer`, `RejectQuoteRequestSerializer`,
//! `QuoteAuthorizationSerializer`, `DeleteQuoteAuthorizationSerializer`).

use super::{id_of, many, type_of, PUBLIC};
use serde::Serialize;
use serde_json::{json, Value};
use url::Url;

/// The properties a post names what it quotes by: FEP-044f's `quote` (Mastodon 4.5),
/// then the older `quoteUrl` (Akkoma, Pleroma), `quoteUri` (Fedibird) and
/// `_misskey_quote` (Misskey), which Mastodon still writes beside `quote`.
const QUOTE_PROPERTIES: [&str; 4] = ["quote", "quoteUrl", "quoteUri", "_misskey_quote"];

/// What a post quotes, if it says: the first of its quote properties that names a
/// URL, else an FEP-e232 object link (a `Link` tag whose `rel` is Misskey's quote
/// term, as Misskey and FEP-044f's fallback write it).
pub fn quoted(post: &Value) -> Option<Url> {
    QUOTE_PROPERTIES
        .iter()
        .find_map(|key| post.get(*key).and_then(id_of))
        .or_else(|| {
            many(post.get("tag"))
                .into_iter()
                .filter(|tag| type_of(tag) == Some("Link"))
                .find(|tag| {
                    many(tag.get("rel")).into_iter().any(|rel| {
                        matches!(
                            rel.as_str(),
                            Some(
                                "https://misskey-hub.net/ns#_misskey_quote"
                                    | "misskey:_misskey_quote"
                            )
                        )
                    })
                })
                .and_then(|tag| tag.get("href").and_then(id_of))
        })
}

/// The stamp: proof, served at `id`, that the site actor `attributed_to` let
/// `interacting_object` (the quoting post) quote `interaction_target` (ours).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct QuoteAuthorization {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub attributed_to: String,
    pub interacting_object: String,
    pub interaction_target: String,
}

impl QuoteAuthorization {
    pub fn new(id: String, attributed_to: String, quote: String, quoted: String) -> Self {
        Self {
            context: super::context(),
            id,
            kind: "QuoteAuthorization",
            attributed_to,
            interacting_object: quote,
            interaction_target: quoted,
        }
    }

    fn embedded(&self) -> Value {
        json!({
            "id": self.id,
            "type": self.kind,
            "attributedTo": self.attributed_to,
            "interactingObject": self.interacting_object,
            "interactionTarget": self.interaction_target,
        })
    }
}

/// Our answer to a `QuoteRequest`.
pub struct QuoteAnswer<'a> {
    /// The answer's own id.
    pub id: &'a str,
    /// The site actor (the quoted object's `attributedTo`).
    pub actor: &'a str,
    /// Who asked: the quoting post's author, its only addressee.
    pub requester: &'a str,
    /// The `QuoteRequest`'s id.
    pub request: &'a str,
    /// The quoting post.
    pub instrument: &'a str,
    /// What it quotes (ours).
    pub object: &'a str,
}

impl QuoteAnswer<'_> {
    /// The request, embedded as Mastodon embeds it (it finds the quote by the
    /// request's `object` and `instrument`, or by its id).
    fn request(&self) -> Value {
        json!({
            "id": self.request,
            "type": "QuoteRequest",
            "actor": self.requester,
            "object": self.object,
            "instrument": self.instrument,
        })
    }

    fn message(&self, kind: &str) -> Value {
        json!({
            "@context": super::context(),
            "id": self.id,
            "type": kind,
            "actor": self.actor,
            "to": [self.requester],
            "object": self.request(),
        })
    }

    /// `Accept` whose `result` is the stamp's URL.
    pub fn accept(&self, stamp: &str) -> Value {
        let mut message = self.message("Accept");
        message["result"] = json!(stamp);
        message
    }

    /// `Reject`: the quote is refused.
    pub fn reject(&self) -> Value {
        self.message("Reject")
    }
}

/// `Delete` of a stamp (FEP-044f revocation): the stamp embedded, typed, so that
/// Mastodon revokes the quote rather than look for a status of that id.
pub fn revocation(id: &str, stamp: &QuoteAuthorization, requester: &str) -> Value {
    json!({
        "@context": super::context(),
        "id": id,
        "type": "Delete",
        "actor": stamp.attributed_to,
        "to": [PUBLIC],
        "cc": [requester],
        "object": stamp.embedded(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_is_named_by_any_of_the_properties_servers_write() {
        for key in QUOTE_PROPERTIES {
            let post = json!({"type": "Note", key: "https://t.example/articles/1"});
            assert_eq!(
                quoted(&post).unwrap().as_str(),
                "https://t.example/articles/1",
                "{key}"
            );
        }
        let linked = json!({"quote": {"type": "Link", "href": "https://t.example/articles/1"}});
        assert!(quoted(&linked).is_some());
        assert_eq!(quoted(&json!({"type": "Note", "quote": 42})), None);
        // FEP-e232, as Misskey links a quote.
        let tagged = json!({"type": "Note", "tag": [{
            "type": "Link", "rel": "https://misskey-hub.net/ns#_misskey_quote",
            "mediaType": "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
            "href": "https://t.example/articles/1"
        }, {"type": "Link", "rel": "nofollow", "href": "https://else.example/"}]});
        assert_eq!(
            quoted(&tagged).unwrap().as_str(),
            "https://t.example/articles/1"
        );
    }

    #[test]
    fn an_accept_embeds_the_request_and_names_the_stamp_a_reject_does_not() {
        let answer = QuoteAnswer {
            id: "https://t.example/sites/demo/activities/accept/1",
            actor: "https://t.example/sites/demo",
            requester: "https://m.example/users/a",
            request: "https://m.example/users/a/quote_requests/1",
            instrument: "https://m.example/users/a/statuses/1",
            object: "https://t.example/articles/1",
        };
        let accept = answer.accept("https://t.example/quotes/7/authorization");
        assert_eq!(accept["type"], "Accept");
        assert_eq!(accept["result"], "https://t.example/quotes/7/authorization");
        assert_eq!(accept["object"]["type"], "QuoteRequest");
        assert_eq!(accept["object"]["id"], answer.request);
        assert_eq!(accept["object"]["instrument"], answer.instrument);
        assert_eq!(accept["to"], json!([answer.requester]));
        let reject = answer.reject();
        assert_eq!(reject["type"], "Reject");
        assert!(reject.get("result").is_none());
    }

    #[test]
    fn a_stamp_and_its_revocation_name_the_quote_and_what_it_quotes() {
        let stamp = QuoteAuthorization::new(
            "https://t.example/quotes/7/authorization".into(),
            "https://t.example/sites/demo".into(),
            "https://m.example/users/a/statuses/1".into(),
            "https://t.example/articles/1".into(),
        );
        let doc = serde_json::to_value(&stamp).unwrap();
        assert_eq!(doc["type"], "QuoteAuthorization");
        assert_eq!(
            doc["interactingObject"],
            "https://m.example/users/a/statuses/1"
        );
        assert_eq!(doc["interactionTarget"], "https://t.example/articles/1");
        assert!(doc["@context"].to_string().contains("QuoteAuthorization"));
        let delete = revocation("https://t.example/x/1", &stamp, "https://m.example/users/a");
        assert_eq!(delete["type"], "Delete");
        assert_eq!(delete["object"]["type"], "QuoteAuthorization");
        assert_eq!(delete["object"]["id"], stamp.id);
        assert_eq!(delete["actor"], stamp.attributed_to);
    }
}
