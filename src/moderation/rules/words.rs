//! Banned words (reject) and suspect words (hold), plain or regex, matched in one pass
//! (`judge` runs the matcher once and both steps read its result).

use super::super::{compiled::CompiledRules, Hit};

fn check(rules: &CompiledRules, matched: &[usize], banned: bool, hits: &mut Vec<Hit>) {
    for index in matched {
        if let Some((rule, action, reason, is_banned)) = rules.word_rules.get(*index) {
            if *is_banned == banned {
                hits.push(Hit {
                    rule: rule.clone(),
                    action: *action,
                    reason: reason.clone(),
                });
            }
        }
    }
}

pub fn check_banned(rules: &CompiledRules, matched: &[usize], hits: &mut Vec<Hit>) {
    check(rules, matched, true, hits);
}

pub fn check_suspect(rules: &CompiledRules, matched: &[usize], hits: &mut Vec<Hit>) {
    check(rules, matched, false, hits);
}
