//! Repetition: the same or nearly the same text again, by this actor or by many (the
//! service counts earlier copies from exact and SimHash fingerprints over 24 h).

use super::{
    super::{compiled::CompiledRules, Hit, Input},
    hit,
};

pub fn check(input: &Input<'_>, rules: &CompiledRules, hits: &mut Vec<Hit>) {
    let history = &input.history;
    if let Some(limit) = &rules.repetition_actor {
        if history.same_actor_copies + 1 >= limit.value {
            hit(
                hits,
                &limit.rule,
                limit.action,
                format!(
                    "posted {} times by this author",
                    history.same_actor_copies + 1
                ),
            );
        }
    }
    if let Some(limit) = &rules.repetition_any {
        if history.any_copies + 1 >= limit.value {
            hit(
                hits,
                &limit.rule,
                limit.action,
                format!("copy {} of one message", history.any_copies + 1),
            );
        }
    }
}
