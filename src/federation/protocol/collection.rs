//! Ordered collections we serve (followers, outbox, replies, context, featured).
//! `replies` carries its first page inline, items and all, as Mastodon's own do:
//! Mastodon fetches a `replies` given as a bare link (or without `first` items) again
//! on every `Create` it sees, to backfill the thread.

use serde::Serialize;
use serde_json::Value;

/// An `OrderedCollection` with its items inline (small collections) or only a count.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub total_items: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<Value>>,
    /// FEP-7888: the object this collection is the conversation of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    /// The first page, inline (`replies`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<OrderedCollectionPage>,
}

/// A page of an ordered collection: `first` of a `replies`, or served at `?page=1`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage {
    /// Only when served on its own.
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub part_of: String,
    pub ordered_items: Vec<Value>,
}

impl OrderedCollectionPage {
    /// The one page of collection `of`, served on its own (`{of}?page=1`).
    pub fn only(of: &str, items: Vec<Value>) -> Self {
        Self {
            context: Some(Value::String(
                "https://www.w3.org/ns/activitystreams".into(),
            )),
            id: first_page_id(of),
            kind: "OrderedCollectionPage",
            part_of: of.to_string(),
            ordered_items: items,
        }
    }
}

/// The id of a collection's first (and only) page, as the `Article`'s `replies` names it.
pub fn first_page_id(of: &str) -> String {
    format!("{of}?page=1")
}

/// A `replies` to embed in the object it belongs to (no `@context` of its own): the
/// count and the first page with every item.
pub fn embedded_replies(id: &str, items: Vec<Value>) -> Value {
    let mut value = serde_json::to_value(OrderedCollection::with_first_page(id.to_string(), items))
        .unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.remove("@context");
    }
    value
}

impl OrderedCollection {
    pub fn new(id: String, items: Vec<Value>) -> Self {
        Self {
            context: Value::String("https://www.w3.org/ns/activitystreams".into()),
            id,
            kind: "OrderedCollection",
            total_items: items.len() as u64,
            ordered_items: Some(items),
            attributed_to: None,
            first: None,
        }
    }

    /// A collection whose items are on its first page, inline (`replies`).
    pub fn with_first_page(id: String, items: Vec<Value>) -> Self {
        let mut first = OrderedCollectionPage::only(&id, items);
        first.context = None;
        Self {
            context: Value::String("https://www.w3.org/ns/activitystreams".into()),
            total_items: first.ordered_items.len() as u64,
            id,
            kind: "OrderedCollection",
            ordered_items: None,
            attributed_to: None,
            first: Some(first),
        }
    }

    /// A collection that only says how many items it has (followers, for privacy).
    pub fn count_only(id: String, total: u64) -> Self {
        Self {
            context: Value::String("https://www.w3.org/ns/activitystreams".into()),
            id,
            kind: "OrderedCollection",
            total_items: total,
            ordered_items: None,
            attributed_to: None,
            first: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replies_carry_their_first_page_with_its_items() {
        let replies = embedded_replies(
            "https://c.example/comments/1/replies",
            vec![json!("https://m.example/n/2")],
        );
        assert_eq!(
            replies,
            json!({
                "id": "https://c.example/comments/1/replies",
                "type": "OrderedCollection",
                "totalItems": 1,
                "first": {
                    "id": "https://c.example/comments/1/replies?page=1",
                    "type": "OrderedCollectionPage",
                    "partOf": "https://c.example/comments/1/replies",
                    "orderedItems": ["https://m.example/n/2"]
                }
            })
        );
    }
}
