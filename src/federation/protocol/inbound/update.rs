//! `Update` of a comment (an edit) or of the actor's own profile.

use crate::federation::protocol::lenient::{self, ObjectRef};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Update {
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    #[serde(default, deserialize_with = "lenient::object")]
    pub object: Option<ObjectRef>,
}

impl Update {
    /// The id of what is updated.
    pub fn object_id(&self) -> Option<&Url> {
        self.object.as_ref().and_then(|o| o.id.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

    #[test]
    fn lemmy_updates_a_page_it_embeds() {
        let InboundActivity::Update(update) =
            inbound("lemmy/activities/create_or_update/update_page.json")
        else {
            panic!("not an Update");
        };
        assert_eq!(
            update.object_id().unwrap().as_str(),
            "http://ds9.lemmy.ml/post/1"
        );
        assert!(update.object.unwrap().embedded.is_some());
    }
}
