//! One small unit per rule; `super::judge` runs them in the documented order.

pub mod account;
pub mod actor;
pub mod domain;
pub mod links;
pub mod mentions;
pub mod mode;
pub mod newcomer;
pub mod rate;
pub mod repetition;
pub mod words;

use super::{Action, Hit};

fn hit(hits: &mut Vec<Hit>, rule: &str, action: Action, reason: String) {
    hits.push(Hit {
        rule: rule.to_string(),
        action,
        reason,
    });
}
