//! Mention floods: a reply that tags many accounts at once.

use super::{
    super::{compiled::CompiledRules, Hit, Input},
    hit,
};

pub fn check(input: &Input<'_>, rules: &CompiledRules, hits: &mut Vec<Hit>) {
    if let Some(limit) = &rules.max_mentions {
        if input.mentions as u32 > limit.value {
            hit(
                hits,
                &limit.rule,
                limit.action,
                format!("{} mentions", input.mentions),
            );
        }
    }
}
