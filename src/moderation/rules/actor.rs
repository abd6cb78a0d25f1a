//! Actor policy: a blocked actor is refused; a watched one is held whatever else the
//! rules say; an allowed (trusted) one skips pre-moderation, the newcomer rule and the
//! content rules. Returns whether the actor is trusted.

use super::{
    super::{Action, ActorPolicyAction, Hit, Input},
    hit,
};

pub fn check(input: &Input<'_>, hits: &mut Vec<Hit>) -> bool {
    match input.actor_policy {
        Some(ActorPolicyAction::Block) => {
            hit(
                hits,
                "actor:block",
                Action::Reject,
                "the author is blocked".into(),
            );
            false
        }
        Some(ActorPolicyAction::Watch) => {
            hit(hits, "actor:watch", Action::Hold, "watched author".into());
            false
        }
        Some(ActorPolicyAction::Allow) => {
            // Published is the least action: recorded so that moderators see why a
            // comment skipped pre-moderation; any hold or reject still wins.
            hit(
                hits,
                "actor:allow",
                Action::Publish,
                "trusted author".into(),
            );
            true
        }
        None => false,
    }
}
