//! Newcomers are held until they have N approved comments (a site setting); authors
//! whose recent comments were mostly rejected are held too.

use super::{
    super::{compiled::CompiledRules, Action, Hit, Input},
    hit,
};

/// Recent comments needed before the rejected share means anything.
const MIN_RECENT: u32 = 4;

pub fn check(input: &Input<'_>, rules: &CompiledRules, hits: &mut Vec<Hit>) {
    let history = &input.history;
    if history.author_approved < rules.hold_new_authors {
        hit(
            hits,
            "site:hold_new_authors",
            Action::Hold,
            format!(
                "{} approved comments so far, {} needed",
                history.author_approved, rules.hold_new_authors
            ),
        );
    }
    if let Some(limit) = &rules.rejected_ratio {
        if history.author_recent >= MIN_RECENT
            && f64::from(history.author_recent_rejected) / f64::from(history.author_recent)
                >= limit.value
        {
            hit(
                hits,
                &limit.rule,
                limit.action,
                format!(
                    "{} of the author's {} recent comments were removed",
                    history.author_recent_rejected, history.author_recent
                ),
            );
        }
    }
}
