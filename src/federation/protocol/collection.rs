//! Ordered collections we serve (followers, outbox, replies, context, featured).

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
        }
    }
}
