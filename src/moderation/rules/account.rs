//! Accounts: too young (from the actor's `published`), or empty (no name, no avatar,
//! made today) — the usual shape of throwaway spam accounts.

use super::{
    super::{compiled::CompiledRules, Hit, Input},
    hit,
};

const DAY_MS: i64 = 24 * 3600 * 1000;

pub fn check(input: &Input<'_>, rules: &CompiledRules, hits: &mut Vec<Hit>) {
    let age_days = input.author.published.map(|p| (input.now - p) / DAY_MS);
    if let (Some(limit), Some(age)) = (&rules.min_account_age_days, age_days) {
        if age < i64::from(limit.value) {
            hit(
                hits,
                &limit.rule,
                limit.action,
                format!("account is {age} days old"),
            );
        }
    }
    if let Some(limit) = rules.empty_account.as_ref().filter(|l| l.value) {
        let young = age_days.is_none_or(|d| d < 1);
        if young && !input.author.has_avatar && !input.author.has_name {
            hit(
                hits,
                &limit.rule,
                limit.action,
                "new account without name nor avatar".into(),
            );
        }
    }
}
