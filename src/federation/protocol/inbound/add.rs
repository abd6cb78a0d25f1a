//! `Add` and `Remove`: a blocklist actor's records listed or withdrawn (FIRES records,
//! read by `blocklists::fires`), or, from anyone else, things like Mastodon's pinned
//! posts and Lemmy's featured ones, which are not ours to act on.

use crate::federation::protocol::lenient;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Add {
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// What is added (one or many), as sent.
    #[serde(rename = "object", default, deserialize_with = "lenient::items")]
    pub objects: Vec<Value>,
}

/// A `Remove` names its objects like an `Add`.
pub type Remove = Add;

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};
    use serde_json::json;

    #[test]
    fn lemmy_features_one_post() {
        let InboundActivity::Add(add) =
            inbound("lemmy/activities/community/add_featured_post.json")
        else {
            panic!("not an Add");
        };
        assert_eq!(add.objects, vec![json!("https://ds9.lemmy.ml/post/2")]);
        let InboundActivity::Remove(remove) =
            inbound("lemmy/activities/community/remove_featured_post.json")
        else {
            panic!("not a Remove");
        };
        assert_eq!(remove.objects.len(), 1);
    }

    #[test]
    fn records_one_or_many_none_when_null() {
        let read = |object: serde_json::Value| {
            let value =
                json!({"type": "Add", "actor": "https://b.example/blocklist", "object": object});
            match InboundActivity::parse("Add", &value).unwrap() {
                InboundActivity::Add(add) => add.objects.len(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            read(json!([{"entity_key": "a.example"}, {"entity_key": "b.example"}])),
            2
        );
        assert_eq!(read(json!({"entity_key": "a.example"})), 1);
        assert_eq!(read(json!(null)), 0);
    }
}
