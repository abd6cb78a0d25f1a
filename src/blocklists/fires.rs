//! FIRES datasets as domain policies: what each record (read by
//! `federation::protocol::fires`) means for a domain. Only `Domain` entities become
//! policies; `drop` is a suspend, `filter` a silence when it hides the domain's posts
//! (else only its filters apply), an `advisory` is a warning, never a block.

use super::{clean_domain, Entry, FormatError};
use crate::domain::Severity;
use crate::federation::protocol::fires::{self as wire, Recommendation, RecordDoc, RecordOut};
use serde_json::Value;

/// One record of a dataset: a domain listed (with its entry) or dropped (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub change_id: Option<String>,
    pub domain: String,
    pub digest: Option<String>,
    pub entry: Option<Entry>,
}

/// A page of records, and where the next one is.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Page {
    pub records: Vec<Record>,
    pub next: Option<String>,
    /// The newest change the dataset had when the snapshot was taken (to continue from).
    pub last_change_id: Option<String>,
}

/// Reads one record; `Ok(None)` for entities that are not domains.
pub fn parse_record(value: &Value) -> Result<Option<Record>, FormatError> {
    record_of(RecordDoc::parse(value))
}

fn record_of(doc: RecordDoc) -> Result<Option<Record>, FormatError> {
    let kind = doc.entity_kind.unwrap_or_else(|| "Domain".into());
    if !kind.eq_ignore_ascii_case("domain") {
        return Ok(None);
    }
    let key = doc
        .entity_key
        .ok_or_else(|| FormatError::Unreadable("a record without entity_key".into()))?;
    let domain = clean_domain(&key)
        .ok_or_else(|| FormatError::Unreadable(format!("not a domain: {key}")))?;
    let digest = doc
        .digest
        .filter(|d| d.len() == 64 && d.chars().all(|c| c.is_ascii_hexdigit()))
        .map(|d| d.to_ascii_lowercase());
    let record_type = doc.kind.unwrap_or_else(|| "recommendation".into());
    let change_id = doc.change_id;
    let entry = match record_type.as_str() {
        "retraction" | "tombstone" => None,
        "recommendation" | "advisory" => {
            let policy = doc
                .recommended_policy
                .unwrap_or_default()
                .to_ascii_lowercase();
            let filters = doc.recommended_filters;
            let severity = match policy.as_str() {
                _ if record_type == "advisory" => Severity::Noop,
                "drop" | "reject" | "block" | "suspend" | "defederate" => Severity::Suspend,
                "filter" | "limit" | "silence"
                    if filters.is_empty()
                        || filters
                            .iter()
                            .any(|f| f == "auto-unlisted" || f == "silence") =>
                {
                    Severity::Silence
                }
                "filter" | "limit" | "silence" | "accept" | "" => Severity::Noop,
                other => {
                    return Err(FormatError::Unreadable(format!(
                        "unknown recommended_policy {other:?}"
                    )))
                }
            };
            let mut entry = Entry::new(&domain, severity);
            entry.digest = digest.clone();
            entry.reject_media = filters.iter().any(|f| f == "reject-media");
            entry.reject_reports = filters
                .iter()
                .any(|f| f == "reject-reports" || f == "ignore-reports");
            entry.public_comment = doc.comment.filter(|c| !c.is_empty());
            entry.obfuscate = entry.is_obfuscated();
            if entry.is_obfuscated() && entry.digest.is_none() {
                return Err(FormatError::Unreadable(format!(
                    "{key} is obfuscated without a digest"
                )));
            }
            Some(entry)
        }
        other => {
            return Err(FormatError::Unreadable(format!(
                "unknown record type {other:?}"
            )))
        }
    };
    Ok(Some(Record {
        change_id,
        domain,
        digest,
        entry,
    }))
}

/// Reads a snapshot or a page of changes (see `federation::protocol::fires::PageDoc`).
pub fn parse_page(value: &Value) -> Result<Page, FormatError> {
    let page = wire::PageDoc::parse(value).map_err(|e| FormatError::Unreadable(e.to_string()))?;
    let mut records = Vec::with_capacity(page.records.len());
    for (n, doc) in page.records.into_iter().enumerate() {
        match record_of(doc) {
            Ok(Some(record)) => records.push(record),
            Ok(None) => {}
            Err(e) => {
                return Err(FormatError::Line {
                    line: n + 1,
                    reason: e.to_string(),
                })
            }
        }
    }
    Ok(Page {
        records,
        next: page.next,
        last_change_id: page.last_change_id,
    })
}

/// A published entry as a FIRES record (`recommendation`, or `retraction` when `entry`
/// is `None`). Private comments are never part of it.
pub fn record(
    id: &str,
    change_id: Option<i64>,
    domain: &str,
    digest: &str,
    entry: Option<&Entry>,
    published: &str,
) -> Value {
    let recommendation = entry.map(|e| {
        let mut filters: Vec<&str> = Vec::new();
        if e.severity == Severity::Silence {
            filters.push("auto-unlisted");
        }
        if e.reject_media {
            filters.push("reject-media");
        }
        if e.reject_reports {
            filters.push("reject-reports");
        }
        Recommendation {
            policy: if e.severity == Severity::Suspend {
                "drop"
            } else {
                "filter"
            },
            filters,
            comment: e.public_comment.as_deref(),
        }
    });
    wire::record(RecordOut {
        id,
        change_id,
        domain,
        digest,
        published,
        recommendation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocklists::digest;
    use serde_json::json;

    #[test]
    fn snake_and_camel_case_records_read_the_same() {
        let snake = json!({"change_id": "0190b8e6-1", "type": "recommendation", "entity_kind": "Domain",
            "entity_key": "spam.example", "recommended_policy": "drop", "recommended_filters": [],
            "comment": "Spam"});
        let camel = json!({"changeId": "0190b8e6-1", "type": "Recommendation", "entityKind": "Domain",
            "entityKey": "spam.example", "recommendedPolicy": "drop", "recommendedFilters": [],
            "comment": "Spam"});
        let a = parse_record(&snake).unwrap().unwrap();
        assert_eq!(a, parse_record(&camel).unwrap().unwrap());
        let entry = a.entry.unwrap();
        assert_eq!(entry.severity, Severity::Suspend);
        assert_eq!(entry.public_comment.as_deref(), Some("Spam"));
    }

    #[test]
    fn filters_retractions_and_other_entities() {
        let limited = json!({"type": "recommendation", "entity_kind": "Domain", "entity_key": "loud.example",
            "recommended_policy": "filter",
            "recommended_filters": ["auto-unlisted", "https://fires.example/filters/reject-media"]});
        let entry = parse_record(&limited).unwrap().unwrap().entry.unwrap();
        assert_eq!(entry.severity, Severity::Silence);
        assert!(entry.reject_media && !entry.reject_reports);
        let media_only = json!({"type": "recommendation", "entityKind": "Domain", "entityKey": "pics.example",
            "recommendedPolicy": "filter", "recommendedFilters": ["reject-media"]});
        assert_eq!(
            parse_record(&media_only)
                .unwrap()
                .unwrap()
                .entry
                .unwrap()
                .severity,
            Severity::Noop
        );
        let retracted =
            json!({"type": "retraction", "entity_kind": "Domain", "entity_key": "spam.example"});
        assert_eq!(parse_record(&retracted).unwrap().unwrap().entry, None);
        let actor = json!({"type": "recommendation", "entity_kind": "Actor", "entity_key": "https://x.example/u/a"});
        assert_eq!(parse_record(&actor).unwrap(), None);
        let advisory = json!({"type": "advisory", "entity_kind": "Domain", "entity_key": "watch.example",
            "recommended_policy": "drop"});
        assert_eq!(
            parse_record(&advisory)
                .unwrap()
                .unwrap()
                .entry
                .unwrap()
                .severity,
            Severity::Noop,
            "an advisory is a warning, not a block"
        );
        assert!(parse_record(&json!({"type": "recommendation", "entity_kind": "Domain"})).is_err());
    }

    #[test]
    fn written_records_read_back() {
        let mut entry = Entry::new("bad.example", Severity::Silence);
        entry.reject_reports = true;
        entry.public_comment = Some("Harassment".into());
        let written = record(
            "https://a.example/c/1",
            Some(1),
            "bad.example",
            &digest("bad.example"),
            Some(&entry),
            "2026-11-29T00:00:00Z",
        );
        let page = parse_page(&json!({"items": [written], "next": "https://a.example/c?since=1"}))
            .unwrap();
        let read = page.records[0].entry.clone().unwrap();
        assert_eq!(read.severity, Severity::Silence);
        assert!(read.reject_reports);
        assert_eq!(read.public_comment.as_deref(), Some("Harassment"));
        assert_eq!(page.records[0].change_id.as_deref(), Some("1"));
        assert_eq!(page.next.as_deref(), Some("https://a.example/c?since=1"));
        let retraction = record(
            "x",
            Some(2),
            "bad.example",
            &digest("bad.example"),
            None,
            "t",
        );
        assert_eq!(parse_record(&retraction).unwrap().unwrap().entry, None);
    }
}
