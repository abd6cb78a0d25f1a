//! Rate: too many comments from one actor, or from one domain, in a window.

use super::{
    super::{compiled::CompiledRules, Hit, Input},
    hit,
};

pub fn check(input: &Input<'_>, rules: &CompiledRules, hits: &mut Vec<Hit>) {
    if let Some(limit) = &rules.rate_actor {
        if input.history.actor_recent >= limit.value.0 {
            hit(
                hits,
                &limit.rule,
                limit.action,
                format!(
                    "more than {} comments in {} s by this author",
                    limit.value.0, limit.value.1
                ),
            );
        }
    }
    if let Some(limit) = &rules.rate_domain {
        if input.history.domain_recent >= limit.value.0 {
            hit(
                hits,
                &limit.rule,
                limit.action,
                format!(
                    "more than {} comments in {} s from this server",
                    limit.value.0, limit.value.1
                ),
            );
        }
    }
}
