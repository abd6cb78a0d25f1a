//! Actor policy: a blocked actor is refused; an allowed (trusted) one skips the content
//! rules. Returns whether the actor is trusted.

use super::{
    super::{Action, Hit, Input},
    hit,
};

pub fn check(input: &Input<'_>, hits: &mut Vec<Hit>) -> bool {
    match input.actor_allowed {
        Some(false) => {
            hit(
                hits,
                "actor:block",
                Action::Reject,
                "the author is blocked".into(),
            );
            false
        }
        Some(true) => true,
        None => false,
    }
}
