//! Interaction policies (GoToSocial's `interactionPolicy`, FEP-044f's `canQuote`): the
//! one we publish on our `Article`s and staff `Note`s, from the moderation mode, and
//! others' policies read (`RemotePolicy`) before we interact with their posts.
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

/// An interaction with someone else's post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interaction {
    Reply,
    Announce,
    Like,
    Quote,
}

impl Interaction {
    /// The sub-policy's name (`canReply`…).
    fn key(self) -> &'static str {
        match self {
            Self::Reply => "canReply",
            Self::Announce => "canAnnounce",
            Self::Like => "canLike",
            Self::Quote => "canQuote",
        }
    }
}

/// What a post's policy says of one interaction by one actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Go ahead (no request needed).
    Allowed,
    /// Ask first (`ReplyRequest`, `AnnounceRequest`…) and wait for an `Accept`.
    NeedsApproval,
    /// Do not.
    Forbidden,
}

/// One sub-policy as read: who is approved automatically, who manually.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct SubPolicy {
    automatic: Vec<String>,
    manual: Vec<String>,
}

/// Another server's `interactionPolicy` as it arrived, read leniently: JSON-LD compacts
/// a one-item list to a string and may write the public collection `as:Public` or
/// `Public`; GoToSocial before 0.20 writes `always` / `approvalRequired`, from 0.21 only
/// `automaticApproval` / `manualApproval`, 0.20 both (read together). A sub-policy that
/// is missing, `null` or `{}` takes GoToSocial's documented default ("Interaction
/// Controls", `docs/federation/interaction_controls.md`): anyone may like, reply and
/// announce; only the author may quote (FEP-044f, opt-in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemotePolicy {
    rules: Vec<(Interaction, SubPolicy)>,
}

impl RemotePolicy {
    /// The policy of `object` (a post), defaults where it says nothing.
    pub fn read(object: &Value) -> Self {
        let policy = field(object, "interactionPolicy");
        let mut rules = Vec::new();
        for interaction in [
            Interaction::Reply,
            Interaction::Announce,
            Interaction::Like,
            Interaction::Quote,
        ] {
            let Some(sub) = policy.and_then(|p| field(p, interaction.key())) else {
                continue;
            };
            let read = SubPolicy {
                automatic: [uris(sub, "automaticApproval"), uris(sub, "always")].concat(),
                manual: [uris(sub, "manualApproval"), uris(sub, "approvalRequired")].concat(),
            };
            // `{}` (or only unknown keys) is the default, as the docs say of `null`.
            if read != SubPolicy::default() {
                rules.push((interaction, read));
            }
        }
        Self { rules }
    }

    /// Whether `actor` may do `interaction` on a post by `author`. `memberships` are the
    /// collections (the author's followers or following) `actor` is known to be in; a
    /// collection not listed there is not matched, since we cannot tell.
    ///
    /// The docs' precedence: the author always may; the more specific entry wins (the
    /// actor itself, then a collection, then the public); at the same level automatic
    /// beats manual. Presence in a followers/following collection still needs an
    /// `Accept` (the docs' "case 2": third servers cannot check membership).
    pub fn permission(
        &self,
        interaction: Interaction,
        author: &str,
        actor: &str,
        memberships: &[&str],
    ) -> Permission {
        if actor == author {
            return Permission::Allowed;
        }
        let default;
        let rule = match self.rules.iter().find(|(i, _)| *i == interaction) {
            Some((_, rule)) => rule,
            None => {
                default = SubPolicy {
                    automatic: vec![if interaction == Interaction::Quote {
                        author.to_string()
                    } else {
                        PUBLIC.to_string()
                    }],
                    manual: Vec::new(),
                };
                &default
            }
        };
        let has = |list: &[String], uri: &str| list.iter().any(|u| u == uri);
        if has(&rule.automatic, actor) {
            return Permission::Allowed;
        }
        if has(&rule.manual, actor) {
            return Permission::NeedsApproval;
        }
        if memberships
            .iter()
            .any(|c| has(&rule.automatic, c) || has(&rule.manual, c))
        {
            return Permission::NeedsApproval;
        }
        if has(&rule.automatic, PUBLIC) {
            return Permission::Allowed;
        }
        if has(&rule.manual, PUBLIC) {
            return Permission::NeedsApproval;
        }
        Permission::Forbidden
    }
}

/// A property by its compacted name or with GoToSocial's `gts:` prefix; `null` is none.
fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value
        .get(key)
        .or_else(|| value.get(format!("gts:{key}")))
        .filter(|v| !v.is_null())
}

/// The URIs a one-or-many property lists (strings or objects with `id`), the public
/// collection in its canonical spelling.
fn uris(sub: &Value, key: &str) -> Vec<String> {
    super::many(field(sub, key))
        .into_iter()
        .filter_map(|v| v.as_str().or_else(|| v.get("id").and_then(Value::as_str)))
        .map(|uri| match uri {
            "as:Public" | "Public" => PUBLIC.to_string(),
            other => other.to_string(),
        })
        .collect()
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

    const ZORK: &str = "https://example.org/users/the_mighty_zork";
    const HODOR: &str = "https://example.org/users/hodor";
    const US: &str = "https://t.example/sites/demo";

    fn note(policy: Value) -> Value {
        json!({"type": "Note", "id": "https://example.org/statuses/1", "attributedTo": ZORK,
               "interactionPolicy": policy})
    }

    #[test]
    fn no_policy_means_anyone_may_reply_like_and_announce_but_only_the_author_quotes() {
        for doc in [
            json!({"type": "Note"}),
            note(Value::Null),
            note(json!({})),
            note(json!({"canReply": null, "canAnnounce": {}})),
        ] {
            let policy = RemotePolicy::read(&doc);
            for i in [Interaction::Reply, Interaction::Like, Interaction::Announce] {
                assert_eq!(policy.permission(i, ZORK, US, &[]), Permission::Allowed);
            }
            assert_eq!(
                policy.permission(Interaction::Quote, ZORK, US, &[]),
                Permission::Forbidden
            );
            assert_eq!(
                policy.permission(Interaction::Quote, ZORK, ZORK, &[]),
                Permission::Allowed
            );
        }
    }

    /// GoToSocial's "Limiting scope of a conversation" example, in the current names.
    #[test]
    fn the_docs_limited_conversation_example() {
        let policy = RemotePolicy::read(&note(json!({
            "canLike": {"automaticApproval": ["https://www.w3.org/ns/activitystreams#Public"]},
            "canReply": {
                "automaticApproval": [ZORK, "https://example.org/users/booblover6969", HODOR],
                "manualApproval": ["https://www.w3.org/ns/activitystreams#Public"]
            },
            "canAnnounce": {
                "automaticApproval": [ZORK, format!("{ZORK}/followers"),
                                      "https://example.org/users/booblover6969", HODOR]
            }
        })));
        let p = |i, actor, m: &[&str]| policy.permission(i, ZORK, actor, m);
        assert_eq!(p(Interaction::Like, US, &[]), Permission::Allowed);
        assert_eq!(p(Interaction::Reply, HODOR, &[]), Permission::Allowed);
        assert_eq!(p(Interaction::Reply, US, &[]), Permission::NeedsApproval);
        assert_eq!(p(Interaction::Announce, HODOR, &[]), Permission::Allowed);
        assert_eq!(p(Interaction::Announce, US, &[]), Permission::Forbidden);
        // A follower may, once the author's server agrees (the docs' case 2).
        let followers = format!("{ZORK}/followers");
        assert_eq!(
            p(Interaction::Announce, US, &[followers.as_str()]),
            Permission::NeedsApproval
        );
    }

    /// The same policies as JSON-LD compaction or older GoToSocial write them.
    #[test]
    fn compacted_and_older_forms_read_the_same() {
        for announce in [
            json!({"manualApproval": "https://www.w3.org/ns/activitystreams#Public", "automaticApproval": ZORK}),
            json!({"approvalRequired": "as:Public", "always": ZORK}),
            json!({"approvalRequired": ["Public"], "always": [{"id": ZORK}]}),
            json!({"gts:manualApproval": "as:Public"}),
        ] {
            let policy = RemotePolicy::read(&note(json!({"canAnnounce": announce})));
            assert_eq!(
                policy.permission(Interaction::Announce, ZORK, US, &[]),
                Permission::NeedsApproval,
                "{announce}"
            );
            // What the policy does not set keeps its default.
            assert_eq!(
                policy.permission(Interaction::Reply, ZORK, US, &[]),
                Permission::Allowed
            );
        }
        let solo = RemotePolicy::read(&note(json!({"canReply": {"always": ZORK}})));
        assert_eq!(
            solo.permission(Interaction::Reply, ZORK, US, &[]),
            Permission::Forbidden
        );
    }

    #[test]
    fn the_more_specific_entry_wins_and_automatic_beats_manual_at_the_same_level() {
        let only_us_asks = RemotePolicy::read(&note(json!({"canAnnounce": {
            "automaticApproval": PUBLIC, "manualApproval": US}})));
        assert_eq!(
            only_us_asks.permission(Interaction::Announce, ZORK, US, &[]),
            Permission::NeedsApproval
        );
        assert_eq!(
            only_us_asks.permission(Interaction::Announce, ZORK, HODOR, &[]),
            Permission::Allowed
        );
        let us_always = RemotePolicy::read(&note(json!({"canAnnounce": {
            "automaticApproval": US, "manualApproval": [PUBLIC, US]}})));
        assert_eq!(
            us_always.permission(Interaction::Announce, ZORK, US, &[]),
            Permission::Allowed
        );
    }

    #[test]
    fn our_own_published_policy_reads_back_as_it_means() {
        for (mode, reply) in [
            (Mode::Post, Permission::Allowed),
            (Mode::Pre, Permission::NeedsApproval),
            (Mode::Closed, Permission::Forbidden),
        ] {
            let doc = json!({"interactionPolicy": Policy::of_mode(mode).to_json(AUTHOR)});
            let policy = RemotePolicy::read(&doc);
            assert_eq!(
                policy.permission(Interaction::Reply, AUTHOR, HODOR, &[]),
                reply
            );
            assert_eq!(
                policy.permission(Interaction::Quote, AUTHOR, HODOR, &[]),
                reply
            );
            assert_eq!(
                policy.permission(Interaction::Announce, AUTHOR, HODOR, &[]),
                Permission::Allowed
            );
        }
    }
}
