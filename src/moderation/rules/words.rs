//! Banned words (reject) and suspect words (hold), plain or regex, in one pass each.

use super::super::{compiled::CompiledRules, words::WordMatcher, Hit, Input};

fn check(input: &Input<'_>, rules: &CompiledRules, matcher: &WordMatcher, hits: &mut Vec<Hit>) {
    for index in matcher.matches(input.text) {
        if let Some((rule, action, reason)) = rules.word_rules.get(index) {
            hits.push(Hit {
                rule: rule.clone(),
                action: *action,
                reason: reason.clone(),
            });
        }
    }
}

pub fn check_banned(input: &Input<'_>, rules: &CompiledRules, hits: &mut Vec<Hit>) {
    check(input, rules, &rules.banned, hits);
}

pub fn check_suspect(input: &Input<'_>, rules: &CompiledRules, hits: &mut Vec<Hit>) {
    check(input, rules, &rules.suspect, hits);
}
