//! Moderation: every comment gets a verdict (publish, hold, hide, reject) with the rules
//! that decided it. Pure code: the service gathers the facts (the author, the domain's
//! policy, how often this text was seen…) and this module judges them, so rules are
//! tested without a database.
//!
//! Rules are evaluated in this order, every one of them (so a verdict lists all that
//! fired); the verdict is the most severe action among the hits:
//! 1. domain policy (suspend → reject, silence → hold, reject_media strips media)
//! 2. actor policy (block → reject; watch → hold; allow → the author is trusted: rules
//!    4 to 12 are skipped, so neither the content, the newcomer rule nor pre-moderation
//!    holds them; the domain policy and a closed thread still apply)
//! 3. the mode (closed → reject)
//! 4. banned words and regexes (reject)
//! 5. link hosts (blocked → reject, suspect → hold), then how many links
//! 6. mention floods
//! 7. repetition: the same or nearly the same text, by this actor or by many
//! 8. rate per actor and per domain
//! 9. account age and empty accounts
//! 10. suspect words and regexes (hold)
//! 11. newcomers (until N approved comments) and authors mostly rejected lately
//! 12. the mode (pre-moderation → hold)

pub mod compiled;
pub mod rules;
pub mod text;
pub mod words;

pub use crate::domain::{Action, ActorPolicyAction, Mode, RuleKind, Severity};
pub use compiled::{CompiledRules, RuleError, RuleRow};
use serde::{Deserialize, Serialize};

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hit {
    /// `rule:<id>` for a stored rule, `builtin:<name>` for a default, `domain:<name>`,
    /// `actor:<policy>`, `mode:<mode>`.
    pub rule: String,
    pub action: Action,
    pub reason: String,
}

/// The decision and everything that led to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Verdict {
    pub action: Action,
    pub hits: Vec<Hit>,
    /// Attachments must be dropped (domain policy `reject_media`).
    #[serde(default)]
    pub strip_media: bool,
}

/// The policy that applies to the author's domain.
#[derive(Debug, Clone)]
pub struct DomainPolicyFacts {
    /// The policy's domain (the author's, or a parent of it).
    pub domain: String,
    pub severity: Severity,
    pub reject_media: bool,
}

/// What we know of the author.
#[derive(Debug, Clone, Default)]
pub struct AuthorFacts {
    /// When the account was created (ms), from the actor's `published`.
    pub published: Option<i64>,
    pub has_avatar: bool,
    pub has_name: bool,
}

/// How this text and this author were seen before (counted by the service).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Earlier comments with the same or nearly the same text, by this actor / anyone.
    pub same_actor_copies: u32,
    pub any_copies: u32,
    /// Comments in the rate windows, by this actor and by its domain.
    pub actor_recent: u32,
    pub domain_recent: u32,
    /// The author's published comments, ever.
    pub author_approved: u32,
    /// The author's recent comments and how many of them were rejected or hidden.
    pub author_recent: u32,
    pub author_recent_rejected: u32,
}

/// Everything a verdict is made from.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub mode: Mode,
    /// Folded plain text (see `text::fold`), content warning included.
    pub text: &'a str,
    /// Sanitised HTML (for links).
    pub html: &'a str,
    pub mentions: usize,
    pub author: AuthorFacts,
    pub domain_policy: Option<DomainPolicyFacts>,
    /// A moderator's standing decision on the author: blocked, watched or trusted.
    pub actor_policy: Option<ActorPolicyAction>,
    pub history: History,
    pub now: i64,
}

/// Judges a comment.
pub fn judge(input: &Input<'_>, rules: &CompiledRules) -> Verdict {
    let mut hits = Vec::new();
    let mut strip_media = false;
    rules::domain::check(input, &mut hits, &mut strip_media);
    let trusted = rules::actor::check(input, &mut hits);
    rules::mode::check_closed(input, &mut hits);
    if !trusted {
        let matched = rules.words.matches(input.text);
        rules::words::check_banned(rules, &matched, &mut hits);
        rules::links::check(input, rules, &mut hits);
        rules::mentions::check(input, rules, &mut hits);
        rules::repetition::check(input, rules, &mut hits);
        rules::rate::check(input, rules, &mut hits);
        rules::account::check(input, rules, &mut hits);
        rules::words::check_suspect(rules, &matched, &mut hits);
        rules::newcomer::check(input, rules, &mut hits);
        rules::mode::check_pre(input, &mut hits);
    }
    let action = hits
        .iter()
        .map(|h| h.action)
        .max()
        .unwrap_or(Action::Publish);
    Verdict {
        action,
        hits,
        strip_media,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, kind: &str, pattern: &str) -> RuleRow {
        let kind = RuleKind::parse(kind).unwrap();
        RuleRow {
            id,
            kind,
            pattern: pattern.into(),
            action: compiled::default_action(kind),
        }
    }

    fn input<'a>(text: &'a str, html: &'a str) -> Input<'a> {
        Input {
            mode: Mode::Post,
            text,
            html,
            mentions: 0,
            author: AuthorFacts::default(),
            domain_policy: None,
            actor_policy: None,
            history: History::default(),
            now: 0,
        }
    }

    #[test]
    fn a_clean_comment_is_published() {
        let rules = CompiledRules::compile(&[row(1, "banned_word", "connard")], 0).unwrap();
        let v = judge(&input("merci pour cet article", ""), &rules);
        assert_eq!(v.action, Action::Publish);
        assert!(v.hits.is_empty());
    }

    #[test]
    fn banned_rejects_suspect_holds_and_both_are_recorded() {
        let rules = CompiledRules::compile(
            &[
                row(1, "banned_word", "connard"),
                row(2, "suspect_word", "arnaque"),
            ],
            0,
        )
        .unwrap();
        let text = text::fold("Quel CONNÂRD, c'est une arnaque");
        let v = judge(&input(&text, ""), &rules);
        assert_eq!(v.action, Action::Reject);
        let rules_hit: Vec<&str> = v.hits.iter().map(|h| h.rule.as_str()).collect();
        assert_eq!(rules_hit, vec!["rule:1", "rule:2"]);
    }

    #[test]
    fn the_mode_and_the_domain_policy_decide_before_content() {
        let rules = CompiledRules::compile(&[], 0).unwrap();
        let mut closed = input("bonjour", "");
        closed.mode = Mode::Closed;
        assert_eq!(judge(&closed, &rules).action, Action::Reject);
        let mut pre = input("bonjour", "");
        pre.mode = Mode::Pre;
        assert_eq!(judge(&pre, &rules).action, Action::Hold);
        let mut silenced = input("bonjour", "");
        silenced.domain_policy = Some(DomainPolicyFacts {
            domain: "x.example".into(),
            severity: Severity::Silence,
            reject_media: true,
        });
        let v = judge(&silenced, &rules);
        assert_eq!(v.action, Action::Hold);
        assert!(v.strip_media);
    }

    #[test]
    fn link_hosts_cover_subdomains_and_link_counts_hold() {
        let rules = CompiledRules::compile(
            &[
                row(3, "link_host", "spam.example"),
                row(4, "max_links", "1"),
            ],
            0,
        )
        .unwrap();
        let html = r#"<p><a href="https://shop.spam.example/x">a</a></p>"#;
        assert_eq!(judge(&input("a", html), &rules).action, Action::Reject);
        let two = r#"<p><a href="https://a.example/">a</a> <a href="https://b.example/">b</a></p>"#;
        let v = judge(&input("a b", two), &rules);
        assert_eq!(v.action, Action::Hold);
        assert_eq!(v.hits[0].rule, "rule:4");
    }

    #[test]
    fn a_link_host_rule_reads_its_host_as_links_give_it() {
        let rules = CompiledRules::compile(&[row(3, "link_host", "*.Bücher.example.")], 0).unwrap();
        let html = r#"<p><a href="https://shop.xn--bcher-kva.example/">a</a></p>"#;
        assert_eq!(judge(&input("a", html), &rules).action, Action::Reject);
        for bad in ["https://spam.example/", "spam.example:443", "spam example"] {
            assert!(CompiledRules::compile(&[row(4, "link_host", bad)], 0).is_err());
        }
    }

    #[test]
    fn the_tenth_copy_of_a_message_is_held() {
        let rules = CompiledRules::compile(&[], 0).unwrap();
        let mut ninth = input("buy now", "");
        ninth.history.any_copies = 8;
        assert_eq!(judge(&ninth, &rules).action, Action::Publish);
        let mut tenth = input("buy now", "");
        tenth.history.any_copies = 9;
        assert_eq!(judge(&tenth, &rules).action, Action::Hold);
    }

    #[test]
    fn an_allowed_actor_skips_content_rules_but_not_a_closed_thread() {
        let rules = CompiledRules::compile(&[row(1, "banned_word", "connard")], 0).unwrap();
        let mut trusted = input("connard", "");
        trusted.actor_policy = Some(ActorPolicyAction::Allow);
        assert_eq!(judge(&trusted, &rules).action, Action::Publish);
        trusted.mode = Mode::Closed;
        assert_eq!(judge(&trusted, &rules).action, Action::Reject);
    }

    #[test]
    fn a_trusted_author_skips_pre_moderation_and_the_newcomer_rule_but_not_their_domain() {
        let rules = CompiledRules::compile(&[], 3).unwrap();
        let mut trusted = input("bonjour", "");
        trusted.mode = Mode::Pre;
        trusted.actor_policy = Some(ActorPolicyAction::Allow);
        let v = judge(&trusted, &rules);
        assert_eq!(v.action, Action::Publish);
        assert_eq!(v.hits[0].rule, "actor:allow");
        trusted.domain_policy = Some(DomainPolicyFacts {
            domain: "x.example".into(),
            severity: Severity::Silence,
            reject_media: false,
        });
        assert_eq!(judge(&trusted, &rules).action, Action::Hold);
        trusted.domain_policy.as_mut().unwrap().severity = Severity::Suspend;
        assert_eq!(judge(&trusted, &rules).action, Action::Reject);
    }

    #[test]
    fn a_watched_author_is_held_in_any_mode_unless_a_rule_rejects() {
        let rules = CompiledRules::compile(&[row(1, "banned_word", "connard")], 0).unwrap();
        let mut watched = input("bonjour", "");
        watched.actor_policy = Some(ActorPolicyAction::Watch);
        let v = judge(&watched, &rules);
        assert_eq!(v.action, Action::Hold);
        assert_eq!(v.hits[0].rule, "actor:watch");
        assert_eq!(v.hits[0].reason, "watched author");
        let mut rude = input("connard", "");
        rude.actor_policy = Some(ActorPolicyAction::Watch);
        assert_eq!(judge(&rude, &rules).action, Action::Reject);
    }

    #[test]
    fn every_rule_kind_is_described_once() {
        let described: Vec<RuleKind> = compiled::KINDS.iter().map(|(k, ..)| *k).collect();
        assert_eq!(described, RuleKind::ALL);
    }

    #[test]
    fn bad_rules_are_refused_with_their_id() {
        let err = CompiledRules::compile(&[row(9, "banned_regex", "(oops")], 0).unwrap_err();
        assert_eq!(err.rule, "rule:9");
        assert!(CompiledRules::compile(&[row(5, "rate_actor", "ten")], 0).is_err());
        assert!(CompiledRules::compile(&[row(6, "wordlist", "fr")], 0).is_ok());
    }
}
