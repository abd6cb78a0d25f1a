//! A site's rules, compiled once (off the request path) from the stored rows and the
//! built-in defaults, and shared by every verdict until the rules change.

use super::{words::WordMatcher, Action, RuleKind};
use crate::domain::DomainName;
use std::collections::HashMap;

/// A stored rule, as the compiler reads it.
#[derive(Debug, Clone)]
pub struct RuleRow {
    pub id: i64,
    pub kind: RuleKind,
    pub pattern: String,
    pub action: Action,
}

/// A rule that cannot be compiled, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rule {rule}: {reason}")]
pub struct RuleError {
    pub rule: String,
    pub reason: String,
}

/// Every rule kind, with the action it takes unless told otherwise.
pub const KINDS: &[(RuleKind, Action, &str)] = &[
    (RuleKind::BannedWord, Action::Reject, "a word or phrase"),
    (
        RuleKind::BannedRegex,
        Action::Reject,
        "a regular expression (on lowercase, accent-free text)",
    ),
    (RuleKind::SuspectWord, Action::Hold, "a word or phrase"),
    (RuleKind::SuspectRegex, Action::Hold, "a regular expression"),
    (
        RuleKind::Wordlist,
        Action::Reject,
        "a shipped abuse list: fr or en",
    ),
    (
        RuleKind::LinkHost,
        Action::Reject,
        "a link host (its subdomains too); action hold for a suspect host",
    ),
    (RuleKind::MaxLinks, Action::Hold, "most links allowed"),
    (RuleKind::MaxMentions, Action::Hold, "most mentions allowed"),
    (
        RuleKind::Repetition,
        Action::Hold,
        "copies of one text (by anyone, 24 h) from which the next is held",
    ),
    (
        RuleKind::RepetitionActor,
        Action::Hold,
        "copies of one text by one actor (24 h)",
    ),
    (
        RuleKind::RateActor,
        Action::Hold,
        "comments per actor: N/seconds",
    ),
    (
        RuleKind::RateDomain,
        Action::Hold,
        "comments per domain: N/seconds",
    ),
    (
        RuleKind::MinAccountAgeDays,
        Action::Hold,
        "youngest account allowed, in days",
    ),
    (
        RuleKind::EmptyAccount,
        Action::Hold,
        "1 to hold accounts with no name nor avatar, made today",
    ),
    (
        RuleKind::RejectedRatio,
        Action::Hold,
        "share (0-1) of rejected recent comments from which an author is held",
    ),
];

/// A numeric limit with the rule that set it.
#[derive(Debug, Clone)]
pub struct Limit<T> {
    pub value: T,
    pub rule: String,
    pub action: Action,
}

/// The compiled rules of one site.
#[derive(Debug, Default)]
pub struct CompiledRules {
    /// Every word and regex rule, banned and suspect, matched in one pass.
    pub words: WordMatcher,
    /// Per word/regex rule index: `(rule label, action, reason, banned?)`.
    pub word_rules: Vec<(String, Action, String, bool)>,
    /// Link host → `(rule, action)`; matched on the host and its parents.
    pub link_hosts: HashMap<String, (String, Action)>,
    pub max_links: Option<Limit<u32>>,
    pub max_mentions: Option<Limit<u32>>,
    pub repetition_any: Option<Limit<u32>>,
    pub repetition_actor: Option<Limit<u32>>,
    /// `(count, window in seconds)`.
    pub rate_actor: Option<Limit<(u32, i64)>>,
    pub rate_domain: Option<Limit<(u32, i64)>>,
    pub min_account_age_days: Option<Limit<u32>>,
    pub empty_account: Option<Limit<bool>>,
    pub rejected_ratio: Option<Limit<f64>>,
    /// Hold authors with fewer published comments than this (0: off).
    pub hold_new_authors: u32,
}

fn builtin<T>(kind: RuleKind, value: T) -> Option<Limit<T>> {
    Some(Limit {
        value,
        rule: format!("builtin:{kind}"),
        action: Action::Hold,
    })
}

/// The shipped abuse lists (off until a site adds a `wordlist` rule).
fn wordlist(name: &str) -> Option<&'static str> {
    match name {
        "fr" => Some(include_str!("wordlists/fr.txt")),
        "en" => Some(include_str!("wordlists/en.txt")),
        _ => None,
    }
}

/// The action a kind takes unless told otherwise.
pub fn default_action(kind: RuleKind) -> Action {
    KINDS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or(Action::Hold, |(_, a, _)| *a)
}

impl CompiledRules {
    /// Compiles rules (the site's and the global ones) over the built-in defaults.
    pub fn compile(rows: &[RuleRow], hold_new_authors: u32) -> Result<Self, RuleError> {
        let mut rules = CompiledRules {
            max_links: builtin(RuleKind::MaxLinks, 5),
            max_mentions: builtin(RuleKind::MaxMentions, 8),
            repetition_any: builtin(RuleKind::Repetition, 10),
            repetition_actor: builtin(RuleKind::RepetitionActor, 3),
            rate_actor: builtin(RuleKind::RateActor, (10, 600)),
            rate_domain: builtin(RuleKind::RateDomain, (300, 600)),
            rejected_ratio: builtin(RuleKind::RejectedRatio, 0.6),
            hold_new_authors,
            ..Default::default()
        };
        let (mut words, mut regexes) = (Vec::new(), Vec::new());
        for row in rows {
            let label = format!("rule:{}", row.id);
            let invalid = |reason: &str| RuleError {
                rule: label.clone(),
                reason: reason.to_string(),
            };
            let pattern = row.pattern.trim();
            if pattern.is_empty() {
                return Err(invalid("empty pattern"));
            }
            let number = || {
                pattern
                    .parse::<u32>()
                    .map_err(|_| invalid("must be a whole number"))
            };
            let limit = |value| {
                Some(Limit {
                    value,
                    rule: label.clone(),
                    action: row.action,
                })
            };
            let index = rules.word_rules.len();
            match row.kind {
                RuleKind::BannedWord
                | RuleKind::SuspectWord
                | RuleKind::BannedRegex
                | RuleKind::SuspectRegex => {
                    let reason = format!("{}: {pattern}", row.kind.as_str().replace('_', " "));
                    let banned = matches!(row.kind, RuleKind::BannedWord | RuleKind::BannedRegex);
                    rules
                        .word_rules
                        .push((label.clone(), row.action, reason, banned));
                    let entry = (index, pattern.to_string());
                    if matches!(row.kind, RuleKind::BannedWord | RuleKind::SuspectWord) {
                        words.push(entry);
                    } else {
                        regexes.push(entry);
                    }
                }
                RuleKind::Wordlist => {
                    let list =
                        wordlist(pattern).ok_or_else(|| invalid("unknown list (fr or en)"))?;
                    for word in list
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    {
                        let index = rules.word_rules.len();
                        rules.word_rules.push((
                            label.clone(),
                            row.action,
                            format!("{pattern} list: {word}"),
                            true,
                        ));
                        words.push((index, word.to_string()));
                    }
                }
                RuleKind::LinkHost => {
                    // Read as links' hosts are (punycode, lowercase, no trailing dot).
                    let host = match DomainName::parse(pattern) {
                        Ok(host) if !pattern.contains(['/', ' ', ':']) => host,
                        _ => return Err(invalid("a host name, without scheme or path")),
                    };
                    rules
                        .link_hosts
                        .insert(host.into_string(), (label.clone(), row.action));
                }
                RuleKind::MaxLinks => rules.max_links = limit(number()?),
                RuleKind::MaxMentions => rules.max_mentions = limit(number()?),
                RuleKind::Repetition => rules.repetition_any = limit(number()?.max(1)),
                RuleKind::RepetitionActor => rules.repetition_actor = limit(number()?.max(1)),
                RuleKind::RateActor | RuleKind::RateDomain => {
                    let (n, secs) = pattern
                        .split_once('/')
                        .and_then(|(n, s)| {
                            Some((n.trim().parse::<u32>().ok()?, s.trim().parse::<i64>().ok()?))
                        })
                        .filter(|(_, s)| *s > 0)
                        .ok_or_else(|| invalid("must be N/seconds, e.g. 10/600"))?;
                    let value = Some(Limit {
                        value: (n, secs),
                        rule: label.clone(),
                        action: row.action,
                    });
                    if row.kind == RuleKind::RateActor {
                        rules.rate_actor = value;
                    } else {
                        rules.rate_domain = value;
                    }
                }
                RuleKind::MinAccountAgeDays => rules.min_account_age_days = limit(number()?),
                RuleKind::EmptyAccount => {
                    rules.empty_account = Some(Limit {
                        value: pattern != "0",
                        rule: label.clone(),
                        action: row.action,
                    })
                }
                RuleKind::RejectedRatio => {
                    let ratio = pattern
                        .parse::<f64>()
                        .ok()
                        .filter(|r| (0.0..=1.0).contains(r))
                        .ok_or_else(|| invalid("must be between 0 and 1"))?;
                    rules.rejected_ratio = Some(Limit {
                        value: ratio,
                        rule: label.clone(),
                        action: row.action,
                    });
                }
            }
        }
        let error = |(index, reason): (usize, String)| RuleError {
            rule: rules_label(&rules.word_rules, index),
            reason,
        };
        rules.words = WordMatcher::build(&words, &regexes).map_err(error)?;
        Ok(rules)
    }
}

fn rules_label(word_rules: &[(String, Action, String, bool)], index: usize) -> String {
    word_rules
        .get(index)
        .map(|(label, ..)| label.clone())
        .unwrap_or_default()
}
