//! `Move`: an account moved (Mastodon, GoToSocial). The object is the old account,
//! the target the new one.

use crate::federation::protocol::lenient;
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Move {
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    #[serde(default, deserialize_with = "lenient::id")]
    pub object: Option<Url>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub target: Option<Url>,
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

    #[test]
    fn moves_of_the_actor_itself() {
        for path in [
            "mastodon-docs/move_1.json",
            "gotosocial-docs/actors_move_1.json",
        ] {
            let InboundActivity::Move(moved) = inbound(path) else {
                panic!("{path}: not a Move");
            };
            assert_eq!(moved.object.as_ref(), Some(&moved.actor), "{path}");
            assert!(moved.target.is_some(), "{path}");
        }
    }
}
