//! The rules that fired on a comment, in the console's language: a built-in rule by
//! its Fluent message with its numbers (`hit-max_links`: "Plus de 5 liens"), a staff
//! rule by its number, kind and pattern, a domain, mode or the author's policy (blocked,
//! watched, trusted) by what it did. The English
//! reason verdicts store is never shown.

use crate::{
    i18n::{Arg, Lang},
    moderation::Hit,
    services::moderators::RuleView,
};
use std::collections::HashMap;

/// The whole numbers in `text`, in order ("more than 5 comments in 60 s" → 5, 60).
fn numbers(text: &str) -> Vec<i64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}

/// One hit as the console shows it.
pub fn describe(lang: Lang, hit: &Hit, rules: &HashMap<i64, &RuleView>) -> String {
    let n = numbers(&hit.reason);
    let num = |i: usize| Arg::from(n.get(i).copied().unwrap_or(0));
    let (kind, rest) = hit.rule.split_once(':').unwrap_or((hit.rule.as_str(), ""));
    match kind {
        "mode" if rest == "closed" => lang.t("queue-hit-mode-closed"),
        "mode" => lang.t("queue-hit-mode-pre"),
        "actor" if rest == "watch" => lang.t("queue-hit-actor-watch"),
        "actor" if rest == "allow" => lang.t("queue-hit-actor-allow"),
        "actor" => lang.t("queue-hit-actor-block"),
        "site" => lang.t_args("queue-hit-newcomer", &[("n", num(0)), ("needed", num(1))]),
        "domain" => {
            let id = if hit.reason.ends_with("is suspended") {
                "queue-hit-domain-suspended"
            } else if hit.reason.ends_with("is silenced") {
                "queue-hit-domain-silenced"
            } else {
                "queue-hit-domain-media"
            };
            lang.t_args(id, &[("domain", Arg::Str(rest))])
        }
        "rule" => match rest.parse::<i64>().ok().and_then(|id| rules.get(&id)) {
            Some(rule) => lang.t_args(
                "queue-hit-staff-rule",
                &[
                    ("id", Arg::from(rule.id)),
                    (
                        "kind",
                        Arg::Str(&lang.t(&format!("queue-rule-kind-{}", rule.kind))),
                    ),
                    ("pattern", Arg::Str(&rule.pattern)),
                ],
            ),
            None => lang.t_args("queue-hit-removed-rule", &[("id", Arg::Str(rest))]),
        },
        "builtin" => {
            let id = format!("queue-hit-{rest}");
            if !lang.has(&id) {
                return lang.t_args("queue-hit-unknown", &[("rule", Arg::Str(&hit.rule))]);
            }
            let host = hit.reason.strip_prefix("links to ").unwrap_or("");
            lang.t_args(
                &id,
                &[
                    ("n", num(0)),
                    ("s", num(1)),
                    ("total", num(1)),
                    ("host", Arg::Str(host)),
                ],
            )
        }
        _ => lang.t_args("queue-hit-unknown", &[("rule", Arg::Str(&hit.rule))]),
    }
}

/// The hits of a verdict with their translated descriptions and actions.
#[derive(serde::Serialize)]
pub struct HitLine {
    pub rule: String,
    pub action: String,
    pub text: String,
}

pub fn lines(lang: Lang, hits: &[Hit], rules: &HashMap<i64, &RuleView>) -> Vec<HitLine> {
    hits.iter()
        .map(|h| HitLine {
            rule: h.rule.clone(),
            action: h.action.to_string(),
            text: describe(lang, h, rules),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::moderation::Action;

    fn hit(rule: &str, reason: &str) -> Hit {
        Hit {
            rule: rule.into(),
            action: Action::Hold,
            reason: reason.into(),
        }
    }

    #[test]
    fn built_in_rules_read_in_french_with_their_numbers() {
        let fr = Lang::french();
        let none = HashMap::new();
        let text = describe(fr, &hit("builtin:max_links", "more than 5 links"), &none);
        assert!(text.contains('5') && text.contains("liens"), "{text}");
        let text = describe(
            fr,
            &hit(
                "builtin:rate_actor",
                "more than 3 comments in 60 s by this author",
            ),
            &none,
        );
        assert!(text.contains('3') && text.contains("60"), "{text}");
        assert!(
            !describe(fr, &hit("mode:pre", "comments are moderated"), &none).contains("moderated")
        );
        let text = describe(fr, &hit("actor:watch", "watched author"), &none);
        assert!(text.contains("surveillé"), "{text}");
    }
}
