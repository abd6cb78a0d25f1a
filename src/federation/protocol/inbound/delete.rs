//! `Delete` of a comment (Mastodon embeds a `Tombstone`, Pleroma and GoToSocial name
//! the object) or of the actor itself (Lemmy's `delete_user`: the object is the actor).

use crate::federation::protocol::lenient;
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Delete {
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// The id of what is deleted.
    #[serde(default, deserialize_with = "lenient::id")]
    pub object: Option<Url>,
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

    #[test]
    fn deletes_of_objects_tombstones_and_actors() {
        for (path, object) in [
            (
                "mastodon/activities/delete.json",
                "https://mastodon.madrid/users/felix/statuses/107773559874184870",
            ),
            (
                "pleroma/activities/delete.json",
                "https://greenish.red/objects/38e2b983-ebf5-4387-9bc2-3b80305469c9",
            ),
            (
                "gotosocial-docs/posts_delete_1.json",
                "http://example.org/users/admin/statuses/01FF25D5Q0DH7CHD57CTRS6WK0",
            ),
            (
                "lemmy/activities/deletion/delete_user.json",
                "http://ds9.lemmy.ml/u/lemmy_alpha",
            ),
        ] {
            let InboundActivity::Delete(delete) = inbound(path) else {
                panic!("{path}: not a Delete");
            };
            assert_eq!(delete.object.unwrap().as_str(), object, "{path}");
        }
    }
}
