//! Interaction policies (GoToSocial's `interactionPolicy`, FEP-044f's `canQuote`): the
//! one we publish on our `Article`s and staff `Note`s, from the moderation mode.
//!
//! Each rule is written twice: `automaticApproval` / `manualApproval` (GoToSocial
//! ≥ 0.19, Mastodon 4.5) and `always` / `approvalRequired` (older GoToSocial), because
//! servers read one or the other and a missing rule means "nobody" to some of them.

use super::PUBLIC;
use crate::domain::Mode;
use serde_json::{json, Value};

/// Who may do one kind of interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Everyone, without asking.
    Open,
    /// Everyone, each one approved by a moderator first.
    Manual,
    /// Nobody but the author.
    Closed,
}

impl Rule {
    /// Replies and quotes follow the moderation mode: `post` publishes at once, `pre`
    /// holds for a moderator, `closed` takes none.
    pub fn of_mode(mode: Mode) -> Self {
        match mode {
            Mode::Post => Self::Open,
            Mode::Pre => Self::Manual,
            Mode::Closed => Self::Closed,
        }
    }

    fn json(self, author: &str) -> Value {
        // The author always may (GoToSocial adds them implicitly; Mastodon expects them).
        let (automatic, manual): (Vec<&str>, Vec<&str>) = match self {
            Self::Open => (vec![PUBLIC, author], vec![]),
            Self::Manual => (vec![author], vec![PUBLIC]),
            Self::Closed => (vec![author], vec![]),
        };
        json!({
            "automaticApproval": automatic,
            "manualApproval": manual,
            "always": automatic,
            "approvalRequired": manual,
        })
    }
}

/// The policy of one of our objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub reply: Rule,
    pub quote: Rule,
    pub like: Rule,
    pub announce: Rule,
}

impl Policy {
    /// Replies and quotes as the mode says; likes and boosts always open.
    pub fn of_mode(mode: Mode) -> Self {
        Self {
            reply: Rule::of_mode(mode),
            quote: Rule::of_mode(mode),
            like: Rule::Open,
            announce: Rule::Open,
        }
    }

    /// The `interactionPolicy` value; `author` is the object's `attributedTo`.
    pub fn to_json(self, author: &str) -> Value {
        json!({
            "canReply": self.reply.json(author),
            "canQuote": self.quote.json(author),
            "canLike": self.like.json(author),
            "canAnnounce": self.announce.json(author),
        })
    }
}

/// The term definitions of the extensions we use, for every `@context` we send: a
/// JSON-LD processor (Fedify, Hollo, anything that expands) drops a property whose term
/// its context does not define, so the policy, quotes and their stamps must be declared.
/// GoToSocial's context is named by URL (its documents name it so, and processors
/// preload it); the terms are also defined inline, as that document defines them
/// (`LikeAuthorization` is `gts:LikeApproval` there), so a processor that cannot load it
/// keeps them. FEP-044f: <https://w3id.org/fep/044f>.
pub fn context_terms() -> Value {
    json!({
        "gts": "https://gotosocial.org/ns#",
        "interactionPolicy": {"@id": "gts:interactionPolicy", "@type": "@id"},
        "canReply": {"@id": "gts:canReply", "@type": "@id"},
        "canLike": {"@id": "gts:canLike", "@type": "@id"},
        "canAnnounce": {"@id": "gts:canAnnounce", "@type": "@id"},
        "canQuote": {"@id": "gts:canQuote", "@type": "@id"},
        "automaticApproval": {"@id": "gts:automaticApproval", "@type": "@id"},
        "manualApproval": {"@id": "gts:manualApproval", "@type": "@id"},
        "always": {"@id": "gts:always", "@type": "@id"},
        "approvalRequired": {"@id": "gts:approvalRequired", "@type": "@id"},
        "approvedBy": {"@id": "gts:approvedBy", "@type": "@id"},
        "interactingObject": {"@id": "gts:interactingObject", "@type": "@id"},
        "interactionTarget": {"@id": "gts:interactionTarget", "@type": "@id"},
        "ReplyAuthorization": "gts:ReplyAuthorization",
        "ReplyRequest": "gts:ReplyRequest",
        "AnnounceAuthorization": "gts:AnnounceAuthorization",
        "AnnounceRequest": "gts:AnnounceRequest",
        "LikeAuthorization": "gts:LikeApproval",
        "likeAuthorization": {"@id": "gts:likeAuthorization", "@type": "@id"},
        "replyAuthorization": {"@id": "gts:replyAuthorization", "@type": "@id"},
        "announceAuthorization": {"@id": "gts:announceAuthorization", "@type": "@id"},
        "LikeRequest": "gts:LikeRequest",
        "quote": {"@id": "https://w3id.org/fep/044f#quote", "@type": "@id"},
        "quoteAuthorization": {"@id": "https://w3id.org/fep/044f#quoteAuthorization", "@type": "@id"},
        "QuoteRequest": "https://w3id.org/fep/044f#QuoteRequest",
        "QuoteAuthorization": "https://w3id.org/fep/044f#QuoteAuthorization",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTHOR: &str = "https://t.example/sites/demo";

    #[test]
    fn quotes_are_public_in_post_mode_held_in_pre_and_refused_when_closed() {
        let can_quote = |mode| Policy::of_mode(mode).to_json(AUTHOR)["canQuote"].clone();
        let post = can_quote(Mode::Post);
        assert!(post["automaticApproval"]
            .as_array()
            .unwrap()
            .contains(&json!(PUBLIC)));
        assert_eq!(post["always"], post["automaticApproval"]);
        let pre = can_quote(Mode::Pre);
        assert_eq!(pre["manualApproval"], json!([PUBLIC]));
        assert_eq!(pre["approvalRequired"], json!([PUBLIC]));
        assert_eq!(pre["automaticApproval"], json!([AUTHOR]));
        let closed = can_quote(Mode::Closed);
        assert_eq!(closed["automaticApproval"], json!([AUTHOR]));
        assert_eq!(closed["manualApproval"], json!([]));
    }

    #[test]
    fn likes_and_boosts_stay_open_whatever_the_mode() {
        let policy = Policy::of_mode(Mode::Closed).to_json(AUTHOR);
        for key in ["canLike", "canAnnounce"] {
            assert!(policy[key]["automaticApproval"]
                .as_array()
                .unwrap()
                .contains(&json!(PUBLIC)));
        }
    }
}
