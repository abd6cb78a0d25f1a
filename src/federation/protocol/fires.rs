//! FIRES (FediMod's Fediverse Intelligence Replication Endpoint Server) on the wire: a
//! dataset has a snapshot (the current recommendations) and an append-only
//! `changes?since=` feed of records typed `recommendation`, `advisory`, `retraction` or
//! `tombstone`, each about one entity (`entity_kind`, `entity_key`). The documentation
//! writes fields in snake_case and the JSON-LD form in camelCase: both are read. What
//! a record means for our policies is `blocklists::fires`'s business; this module only
//! reads and writes the documents (the dataset, its pages, its records).

use super::blocklist::context;
use serde_json::{json, Value};

/// Where a page lists its records, by the names servers use.
const ITEM_KEYS: [&str; 4] = ["items", "orderedItems", "changes", "data"];

/// One record as written, every field as text when present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordDoc {
    pub change_id: Option<String>,
    /// Its `type`, lowercased (`recommendation`, `advisory`, `retraction`, `tombstone`).
    pub kind: Option<String>,
    pub entity_kind: Option<String>,
    pub entity_key: Option<String>,
    pub digest: Option<String>,
    pub recommended_policy: Option<String>,
    /// Filters are identifiers or URIs (`…/filters/reject-media`): the last segment,
    /// lowercased.
    pub recommended_filters: Vec<String>,
    /// `comment`, else `public_comment`.
    pub comment: Option<String>,
}

impl RecordDoc {
    /// Reads any value; what it does not say is `None`.
    pub fn parse(value: &Value) -> Self {
        Self {
            change_id: text(value, "change_id"),
            kind: text(value, "type").map(|t| t.to_ascii_lowercase()),
            entity_kind: text(value, "entity_kind"),
            entity_key: text(value, "entity_key"),
            digest: text(value, "digest"),
            recommended_policy: text(value, "recommended_policy"),
            recommended_filters: filters(value),
            comment: text(value, "comment").or_else(|| text(value, "public_comment")),
        }
    }
}

/// A snapshot or a page of changes: a bare list of records, or an object with `items`
/// (`orderedItems`, `changes`, `data`), `next` and `last_change_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageDoc {
    pub records: Vec<RecordDoc>,
    /// The next page, as a URL or a Link's `href`.
    pub next: Option<String>,
    /// The newest change the dataset had when the snapshot was taken (to continue from).
    pub last_change_id: Option<String>,
}

/// Why a page could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PageError {
    #[error("a FIRES page without items")]
    NoItems,
    #[error("a FIRES page is JSON")]
    NotAPage,
}

impl PageDoc {
    pub fn parse(value: &Value) -> Result<Self, PageError> {
        let items = match value {
            Value::Array(items) => items,
            Value::Object(_) => items_of(value).ok_or(PageError::NoItems)?,
            _ => return Err(PageError::NotAPage),
        };
        let next = match value.get("next") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(link) => link.get("href").and_then(Value::as_str).map(str::to_string),
            None => None,
        };
        Ok(Self {
            records: items.iter().map(RecordDoc::parse).collect(),
            next,
            last_change_id: text(value, "last_change_id"),
        })
    }
}

fn items_of(value: &Value) -> Option<&Vec<Value>> {
    ITEM_KEYS
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_array))
}

/// A link of a dataset document (`snapshot`, `changes`), named as is or with `_url`
/// or `Url` after it, as written (relative or absolute).
pub fn dataset_link(dataset: &Value, name: &str) -> Option<String> {
    [
        name.to_string(),
        format!("{name}_url"),
        format!("{name}Url"),
    ]
    .iter()
    .find_map(|k| dataset.get(k).and_then(Value::as_str).map(str::to_string))
}

/// Whether a document is a FIRES snapshot or change page: records with an
/// `entity_key`, or a page of them (how a list of unknown format is told apart).
pub fn is_page(value: &Value) -> bool {
    let first = match value {
        Value::Array(items) => items.first(),
        Value::Object(_) => items_of(value).and_then(|items| items.first()),
        _ => None,
    };
    first.is_some_and(|r| r.get("entity_key").is_some() || r.get("entityKey").is_some())
}

/// A field under its snake_case or camelCase name.
fn field<'a>(value: &'a Value, snake: &str) -> Option<&'a Value> {
    value.get(snake).or_else(|| {
        let mut camel = String::with_capacity(snake.len());
        let mut upper = false;
        for c in snake.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                camel.extend(c.to_uppercase());
                upper = false;
            } else {
                camel.push(c);
            }
        }
        value.get(&camel)
    })
}

/// A field as text: ids and counters come as strings or numbers.
fn text(value: &Value, snake: &str) -> Option<String> {
    match field(value, snake)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn filters(value: &Value) -> Vec<String> {
    let items = match field(value, "recommended_filters") {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::String(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    items
        .iter()
        .filter_map(|f| f.as_str().or_else(|| f.get("id").and_then(Value::as_str)))
        .map(|f| {
            f.rsplit(['/', '#'])
                .next()
                .unwrap_or(f)
                .to_ascii_lowercase()
        })
        .collect()
}

/// What a `recommendation` says should be done about a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation<'a> {
    /// `drop` or `filter`.
    pub policy: &'a str,
    pub filters: Vec<&'a str>,
    pub comment: Option<&'a str>,
}

/// A record we publish about a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordOut<'a> {
    pub id: &'a str,
    /// Its place in the change feed (snapshot records and pushed ones have none).
    pub change_id: Option<i64>,
    pub domain: &'a str,
    pub digest: &'a str,
    pub published: &'a str,
    /// `None`: the domain is no longer listed (a `retraction`).
    pub recommendation: Option<Recommendation<'a>>,
}

/// A record as we write it, in snake_case as the documentation does.
pub fn record(r: RecordOut<'_>) -> Value {
    let mut record = json!({
        "id": r.id,
        "entity_kind": "Domain",
        "entity_key": r.domain,
        "digest": r.digest,
        "published": r.published,
    });
    if let Some(change_id) = r.change_id {
        record["change_id"] = json!(change_id.to_string());
    }
    match r.recommendation {
        None => record["type"] = json!("retraction"),
        Some(rec) => {
            record["type"] = json!("recommendation");
            record["recommended_policy"] = json!(rec.policy);
            record["recommended_filters"] = json!(rec.filters);
            if let Some(comment) = rec.comment {
                record["comment"] = json!(comment);
            }
        }
    }
    record
}

/// The dataset document: where its snapshot and change feed are.
pub fn dataset(id: &str, name: &str, owner: &str, last_change_id: i64) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": "Dataset",
        "name": name,
        "owner": owner,
        "snapshot": format!("{id}/snapshot"),
        "changes": format!("{id}/changes"),
        "last_change_id": last_change_id.to_string(),
    })
}

/// A page of the snapshot, with the newest change it includes.
pub fn snapshot_page(
    id: &str,
    last_change_id: i64,
    items: Vec<Value>,
    next: Option<String>,
) -> Value {
    let mut page = json!({
        "@context": context(),
        "id": id,
        "type": "snapshot",
        "last_change_id": last_change_id.to_string(),
        "items": items,
    });
    if let Some(next) = next {
        page["next"] = json!(next);
    }
    page
}

/// A page of the change feed.
pub fn changes_page(id: &str, items: Vec<Value>, next: Option<String>) -> Value {
    let mut page = json!({
        "@context": context(),
        "id": id,
        "type": "changes",
        "items": items,
    });
    if let Some(next) = next {
        page["next"] = json!(next);
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_and_camel_case_read_the_same() {
        let snake = json!({"change_id": 7, "type": "Recommendation", "entity_kind": "Domain",
            "entity_key": "spam.example", "recommended_policy": "drop",
            "recommended_filters": ["https://fires.example/filters/Reject-Media"],
            "public_comment": "Spam"});
        let camel = json!({"changeId": "7", "type": "recommendation", "entityKind": "Domain",
            "entityKey": "spam.example", "recommendedPolicy": "drop",
            "recommendedFilters": "reject-media", "comment": "Spam"});
        let doc = RecordDoc::parse(&snake);
        assert_eq!(doc, RecordDoc::parse(&camel));
        assert_eq!(doc.change_id.as_deref(), Some("7"));
        assert_eq!(doc.kind.as_deref(), Some("recommendation"));
        assert_eq!(doc.recommended_filters, vec!["reject-media"]);
        assert_eq!(
            RecordDoc::parse(&json!("spam.example")),
            RecordDoc::default()
        );
    }

    #[test]
    fn pages_are_lists_or_objects_with_items() {
        let record = json!({"entity_key": "a.example"});
        assert!(is_page(&json!([record])));
        assert!(is_page(&json!({"orderedItems": [record]})));
        assert!(!is_page(&json!([{"domain": "a.example"}])));
        let page = PageDoc::parse(
            &json!({"data": [record], "next": {"href": "https://f.example/c?since=2"},
            "lastChangeId": 2}),
        )
        .unwrap();
        assert_eq!(page.records.len(), 1);
        assert_eq!(page.next.as_deref(), Some("https://f.example/c?since=2"));
        assert_eq!(page.last_change_id.as_deref(), Some("2"));
        assert_eq!(PageDoc::parse(&json!({"id": "x"})), Err(PageError::NoItems));
        assert_eq!(PageDoc::parse(&json!("x")), Err(PageError::NotAPage));
    }

    #[test]
    fn dataset_documents_and_their_links() {
        let dataset = dataset(
            "https://t.example/blocklist",
            "Ours",
            "https://t.example/actor",
            4,
        );
        assert_eq!(dataset["type"], "Dataset");
        assert_eq!(dataset["last_change_id"], "4");
        assert_eq!(
            dataset_link(&dataset, "snapshot").as_deref(),
            Some("https://t.example/blocklist/snapshot")
        );
        assert_eq!(
            dataset_link(&json!({"changesUrl": "c"}), "changes").as_deref(),
            Some("c")
        );
        let snapshot = snapshot_page("s", 4, vec![], Some("s?after=z".into()));
        let keys: Vec<&str> = snapshot
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["@context", "id", "type", "last_change_id", "items", "next"]
        );
        assert!(changes_page("c?since=0", vec![], None)
            .get("next")
            .is_none());
    }

    #[test]
    fn written_records_read_back() {
        let listed = record(RecordOut {
            id: "https://a.example/entries/1",
            change_id: Some(3),
            domain: "bad.example",
            digest: "d",
            published: "2026-11-29T00:00:00Z",
            recommendation: Some(Recommendation {
                policy: "filter",
                filters: vec!["auto-unlisted", "reject-reports"],
                comment: Some("Harassment"),
            }),
        });
        let keys: Vec<&str> = listed
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "entity_kind",
                "entity_key",
                "digest",
                "published",
                "change_id",
                "type",
                "recommended_policy",
                "recommended_filters",
                "comment"
            ]
        );
        let doc = RecordDoc::parse(&listed);
        assert_eq!(doc.kind.as_deref(), Some("recommendation"));
        assert_eq!(doc.change_id.as_deref(), Some("3"));
        assert_eq!(
            doc.recommended_filters,
            vec!["auto-unlisted", "reject-reports"]
        );
        let retracted = record(RecordOut {
            id: "x",
            change_id: None,
            domain: "bad.example",
            digest: "d",
            published: "t",
            recommendation: None,
        });
        assert_eq!(retracted["type"], "retraction");
        assert!(retracted.get("change_id").is_none());
    }
}
