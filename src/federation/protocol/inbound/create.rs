//! `Create` of a comment-shaped object. The object is read later, as a `NoteDoc`, once
//! it is known to be trustworthy (embedded by its own server, else fetched).

use crate::federation::protocol::lenient::{self, ObjectRef};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Create {
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// `None` when the activity has no `object` at all.
    #[serde(default, deserialize_with = "lenient::object")]
    pub object: Option<ObjectRef>,
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};
    use crate::federation::protocol::note::NoteDoc;

    #[test]
    fn creates_embed_their_note() {
        for path in [
            "mastodon/activities/create_note.json",
            "pleroma/activities/create_note.json",
            "lemmy/activities/create_or_update/create_comment.json",
            "mastodon-docs/create_note_1.json",
        ] {
            let InboundActivity::Create(create) = inbound(path) else {
                panic!("{path}: not a Create");
            };
            let object = create.object.expect("an object");
            let note = NoteDoc::parse(object.embedded.as_ref().expect("embedded"))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(Some(note.id), object.id, "{path}");
        }
    }

    #[test]
    fn a_list_of_objects_is_named_by_its_first_not_embedded() {
        // GoToSocial's poll votes: one Note per choice.
        let InboundActivity::Create(create) = inbound("gotosocial-docs/posts_create_1.json") else {
            panic!("not a Create");
        };
        let object = create.object.expect("an object");
        assert_eq!(
            object.id.unwrap().as_str(),
            "https://sample.com/users/willy_nilly#01HEN2R65468ZG657C4ZPHJ4EX/votes/1"
        );
        assert_eq!(object.embedded, None);
    }

    #[test]
    fn a_create_without_object_is_read_as_such() {
        let value = serde_json::json!({"type": "Create", "actor": "https://a.example/u/a"});
        let InboundActivity::Create(create) = InboundActivity::parse("Create", &value).unwrap()
        else {
            panic!("not a Create");
        };
        assert_eq!(create.object, None);
    }
}
