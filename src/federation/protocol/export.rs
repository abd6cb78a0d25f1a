//! What a data export (an access request) says of the ActivityPub things we stored
//! about a remote actor: the actor under its ActivityStreams type, its reactions under
//! theirs. Built here, with the rest of what carries a `type`, so the vocabulary stays
//! in one place; the rest of the export (comments, reports, follows) is ours.

use serde_json::{json, Value};

/// The actor as we stored it (times already written as RFC 3339).
pub struct StoredActor<'a> {
    pub id: &'a str,
    /// Its ActivityStreams type (`Person`, `Service`…).
    pub kind: &'a str,
    pub preferred_username: Option<&'a str>,
    pub name: Option<&'a str>,
    pub url: Option<&'a str>,
    pub avatar: Option<&'a str>,
    pub inbox: &'a str,
    pub published: Option<String>,
    pub first_seen: String,
    pub deleted: Option<String>,
    pub moved_to: Option<&'a str>,
}

pub fn actor(a: StoredActor<'_>) -> Value {
    json!({
        "id": a.id, "type": a.kind, "preferred_username": a.preferred_username,
        "name": a.name, "url": a.url, "avatar": a.avatar, "inbox": a.inbox,
        "published": a.published, "first_seen": a.first_seen,
        "deleted": a.deleted, "moved_to": a.moved_to,
    })
}

/// A like or a boost: its kind as stored (`like`, `announce`), what it was of, the
/// activity's id and when.
pub fn reaction(kind: &str, object: &str, activity: &str, at: String) -> Value {
    json!({"type": kind, "object": object, "activity": activity, "at": at})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actor_keeps_its_type_and_every_field_in_order() {
        let a = actor(StoredActor {
            id: "https://m.example/u/a",
            kind: "Person",
            preferred_username: Some("a"),
            name: None,
            url: None,
            avatar: None,
            inbox: "https://m.example/u/a/inbox",
            published: None,
            first_seen: "2026-01-01T00:00:00Z".into(),
            deleted: None,
            moved_to: None,
        });
        let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "id",
                "type",
                "preferred_username",
                "name",
                "url",
                "avatar",
                "inbox",
                "published",
                "first_seen",
                "deleted",
                "moved_to"
            ]
        );
        assert_eq!(a["type"], "Person");
        assert_eq!(a["name"], Value::Null);
        let r = reaction(
            "like",
            "https://t.example/c/1",
            "https://m.example/l/1",
            "t".into(),
        );
        assert_eq!(r["type"], "like");
    }
}
