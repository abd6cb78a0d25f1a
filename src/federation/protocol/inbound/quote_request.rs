//! `QuoteRequest` (FEP-044f): someone asks to quote one of our articles or staff
//! replies. `object` is what they quote, `instrument` their post (Mastodon 4.5 embeds
//! it; others only name it).

use crate::federation::protocol::lenient::{self, ObjectRef};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuoteRequest {
    /// What our `Accept` or `Reject` answers.
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<Url>,
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// The quoted object (ours).
    #[serde(default, deserialize_with = "lenient::id")]
    pub object: Option<Url>,
    /// The quoting post, embedded or named.
    #[serde(default, deserialize_with = "lenient::object")]
    pub instrument: Option<ObjectRef>,
}

#[cfg(test)]
mod tests {
    use super::super::InboundActivity;
    use crate::federation::protocol::{note::NoteDoc, quote::quoted};
    use serde_json::json;

    /// A `QuoteRequest` as Mastodon 4.5 sends it (`ActivityPub::QuoteRequestSerializer`
    /// with its post inlined by `NoteSerializer`): FEP-044f's terms in the context, the
    /// quote named four ways, the `RE:` fallback paragraph in the content.
    pub(crate) fn mastodon_4_5() -> serde_json::Value {
        json!({
            "@context": [
                "https://www.w3.org/ns/activitystreams",
                {
                    "toot": "http://joinmastodon.org/ns#",
                    "misskey": "https://misskey-hub.net/ns#",
                    "QuoteRequest": "https://w3id.org/fep/044f#QuoteRequest",
                    "quote": {"@id": "https://w3id.org/fep/044f#quote", "@type": "@id"},
                    "quoteUri": "http://fedibird.com/ns#quoteUri",
                    "_misskey_quote": "misskey:_misskey_quote",
                    "quoteAuthorization": {"@id": "https://w3id.org/fep/044f#quoteAuthorization", "@type": "@id"}
                }
            ],
            "id": "https://mastodon.example/users/alice/quote_requests/0e4f7b1c",
            "type": "QuoteRequest",
            "actor": "https://mastodon.example/users/alice",
            "object": "https://comments.example/articles/1",
            "instrument": {
                "id": "https://mastodon.example/users/alice/statuses/115",
                "type": "Note",
                "attributedTo": "https://mastodon.example/users/alice",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": ["https://mastodon.example/users/alice/followers"],
                "published": "2026-12-03T08:00:00Z",
                "url": "https://mastodon.example/@alice/115",
                "content": "<p>Worth reading.</p><p class=\"quote-inline\">RE: <a href=\"https://comments.example/articles/1\">https://comments.example/articles/1</a></p>",
                "quote": "https://comments.example/articles/1",
                "_misskey_quote": "https://comments.example/articles/1",
                "quoteUri": "https://comments.example/articles/1",
                "interactionPolicy": {"canQuote": {"automaticApproval": ["https://www.w3.org/ns/activitystreams#Public"]}}
            }
        })
    }

    #[test]
    fn mastodon_4_5_quote_request_reads_with_its_post_and_what_it_quotes() {
        let value = mastodon_4_5();
        let InboundActivity::QuoteRequest(request) =
            InboundActivity::parse("QuoteRequest", &value).unwrap()
        else {
            panic!("not a QuoteRequest");
        };
        assert_eq!(
            request.id.unwrap().as_str(),
            "https://mastodon.example/users/alice/quote_requests/0e4f7b1c"
        );
        assert_eq!(
            request.object.unwrap().as_str(),
            "https://comments.example/articles/1"
        );
        let instrument = request.instrument.unwrap();
        let post = instrument.embedded.unwrap();
        let note = NoteDoc::parse(&post).unwrap();
        assert_eq!(Some(note.id.clone()), instrument.id);
        assert_eq!(note.attributed_to, request.actor);
        assert!(note.public);
        assert_eq!(
            quoted(&post).unwrap().as_str(),
            "https://comments.example/articles/1"
        );
    }

    #[test]
    fn an_instrument_named_only_by_its_id_reads_without_a_document() {
        // Fedify and older Mastodon send the post's id alone.
        let value = json!({
            "id": "https://fedify.example/ap/quote-requests/1", "type": "QuoteRequest",
            "actor": "https://fedify.example/ap/actors/bob",
            "object": "https://comments.example/articles/1",
            "instrument": "https://fedify.example/ap/notes/1"
        });
        let InboundActivity::QuoteRequest(request) =
            InboundActivity::parse("QuoteRequest", &value).unwrap()
        else {
            panic!("not a QuoteRequest");
        };
        let instrument = request.instrument.unwrap();
        assert_eq!(
            instrument.id.unwrap().as_str(),
            "https://fedify.example/ap/notes/1"
        );
        assert_eq!(instrument.embedded, None);
    }
}
