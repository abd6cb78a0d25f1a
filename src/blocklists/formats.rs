//! Blocklist formats in and out:
//! - Mastodon's CSV export (`#domain,#severity,#reject_media,#reject_reports,
//!   #public_comment,#obfuscate`, with or without `#`; a missing severity is `suspend`),
//!   which FediBlockHole also writes (plus `private_comment`);
//! - Mastodon's public `GET /api/v1/instance/domain_blocks` JSON (obfuscated domains
//!   come with their `digest`);
//! - GoToSocial's JSON export (`domain`, `public_comment`, `obfuscate`) and plain text
//!   lists (one domain per line);
//! - a FIRES snapshot (see `fires`).

use super::{clean_domain, Entry, FormatError};
use crate::domain::Severity;
use crate::federation::protocol::fires as wire;
use serde_json::Value;

/// A severity as lists write it (Mastodon's words and other servers' synonyms).
fn severity(value: &str) -> Result<Severity, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "suspend" | "block" | "defederate" => Ok(Severity::Suspend),
        "silence" | "limit" | "limited" => Ok(Severity::Silence),
        "noop" | "none" => Ok(Severity::Noop),
        other => Err(format!("unknown severity {other:?}")),
    }
}

fn truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "t"
    )
}

/// Reads a list in any of the known formats, told apart by their shape.
pub fn parse(text: &str) -> Result<Vec<Entry>, FormatError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let value: Value =
            serde_json::from_str(trimmed).map_err(|e| FormatError::Unreadable(e.to_string()))?;
        if wire::is_page(&value) {
            let page = super::fires::parse_page(&value)?;
            return Ok(page.records.into_iter().filter_map(|r| r.entry).collect());
        }
        return parse_json(&value);
    }
    let first = trimmed.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.contains(',')
        || first
            .trim_start_matches('#')
            .trim()
            .eq_ignore_ascii_case("domain")
    {
        return parse_csv(trimmed);
    }
    parse_text(trimmed)
}

/// One domain per line; `#` starts a comment.
pub fn parse_text(text: &str) -> Result<Vec<Entry>, FormatError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let domain = clean_domain(line).ok_or_else(|| FormatError::Line {
            line: n + 1,
            reason: format!("not a domain: {line}"),
        })?;
        out.push(Entry::new(&domain, Severity::Suspend));
    }
    Ok(out)
}

/// Mastodon / FediBlockHole CSV, header optional (then the first column is the domain).
pub fn parse_csv(text: &str) -> Result<Vec<Entry>, FormatError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut columns: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| FormatError::Line {
            line: n + 1,
            reason: e.to_string(),
        })?;
        let first = record.get(0).unwrap_or("");
        if n == 0 && first.trim_start_matches('#').eq_ignore_ascii_case("domain") {
            columns = Some(
                record
                    .iter()
                    .map(|c| c.trim_start_matches('#').to_ascii_lowercase())
                    .collect(),
            );
            continue;
        }
        if first.is_empty() || (first.starts_with('#') && columns.is_some()) {
            continue;
        }
        let get = |name: &str, fallback: usize| -> &str {
            match &columns {
                Some(cols) => cols
                    .iter()
                    .position(|c| c == name)
                    .and_then(|i| record.get(i))
                    .unwrap_or(""),
                None => record.get(fallback).unwrap_or(""),
            }
        };
        let domain = clean_domain(get("domain", 0)).ok_or_else(|| FormatError::Line {
            line: n + 1,
            reason: format!("not a domain: {first}"),
        })?;
        let mut entry = Entry::new(
            &domain,
            severity(get("severity", 1)).map_err(|reason| FormatError::Line {
                line: n + 1,
                reason,
            })?,
        );
        entry.reject_media = truthy(get("reject_media", 2));
        entry.reject_reports = truthy(get("reject_reports", 3));
        entry.public_comment = Some(get("public_comment", 4).to_string()).filter(|c| !c.is_empty());
        entry.obfuscate = truthy(get("obfuscate", 5));
        entry.private_comment =
            Some(get("private_comment", usize::MAX).to_string()).filter(|c| !c.is_empty());
        out.push(entry);
    }
    Ok(out)
}

/// Mastodon's `/api/v1/instance/domain_blocks` or GoToSocial's JSON export.
pub fn parse_json(value: &Value) -> Result<Vec<Entry>, FormatError> {
    let items = value
        .as_array()
        .ok_or_else(|| FormatError::Unreadable("expected a JSON list".into()))?;
    let mut out = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        let raw = text("domain").ok_or_else(|| FormatError::Line {
            line: n + 1,
            reason: "no domain".into(),
        })?;
        let domain = clean_domain(&raw).ok_or_else(|| FormatError::Line {
            line: n + 1,
            reason: format!("not a domain: {raw}"),
        })?;
        let severity = severity(&text("severity").unwrap_or_default()).map_err(|reason| {
            FormatError::Line {
                line: n + 1,
                reason,
            }
        })?;
        let mut entry = Entry::new(&domain, severity);
        entry.digest =
            text("digest").filter(|d| d.len() == 64 && d.chars().all(|c| c.is_ascii_hexdigit()));
        entry.public_comment = text("comment")
            .or_else(|| text("public_comment"))
            .filter(|c| !c.is_empty());
        entry.obfuscate = item
            .get("obfuscate")
            .and_then(Value::as_bool)
            .unwrap_or(entry.is_obfuscated());
        entry.reject_media = item
            .get("reject_media")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        entry.reject_reports = item
            .get("reject_reports")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if entry.is_obfuscated() && entry.digest.is_none() {
            return Err(FormatError::Line {
                line: n + 1,
                reason: format!("{raw} is obfuscated without a digest"),
            });
        }
        out.push(entry);
    }
    Ok(out)
}

/// Mastodon's CSV export (what its import reads back).
pub fn to_mastodon_csv(entries: &[Entry]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "#domain",
        "#severity",
        "#reject_media",
        "#reject_reports",
        "#public_comment",
        "#obfuscate",
    ]);
    for e in entries.iter().filter(|e| !e.is_obfuscated()) {
        let _ = writer.write_record([
            e.domain.as_str(),
            e.severity.as_str(),
            if e.reject_media { "true" } else { "false" },
            if e.reject_reports { "true" } else { "false" },
            e.public_comment.as_deref().unwrap_or(""),
            if e.obfuscate { "true" } else { "false" },
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocklists::digest;

    #[test]
    fn mastodon_csv_with_and_without_hashes_and_defaults() {
        let with = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nspam.example,silence,true,false,\"Spam, lots\",false\nbad.example,,false,true,,true\n";
        let entries = parse(with).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].severity, Severity::Silence);
        assert!(entries[0].reject_media);
        assert_eq!(entries[0].public_comment.as_deref(), Some("Spam, lots"));
        assert_eq!(
            entries[1].severity,
            Severity::Suspend,
            "a missing severity is a suspend"
        );
        assert!(entries[1].reject_reports && entries[1].obfuscate);
        let without = parse("domain,severity\nx.example,noop\n").unwrap();
        assert_eq!(without[0].severity, Severity::Noop);
        let bare = parse("a.example,suspend\nb.example,silence\n").unwrap();
        assert_eq!(bare[1].domain, "b.example");
    }

    #[test]
    fn mastodon_api_json_keeps_digests_of_obfuscated_domains() {
        let json = format!(
            r#"[{{"domain":"e*a*p*e.com","digest":"{}","severity":"suspend","comment":"Hate"}},{{"domain":"plain.example","digest":"{}","severity":"silence","comment":""}}]"#,
            digest("example.com"),
            digest("plain.example")
        );
        let entries = parse(&json).unwrap();
        assert!(entries[0].is_obfuscated());
        assert_eq!(
            entries[0].digest.as_deref(),
            Some(digest("example.com").as_str())
        );
        assert_eq!(entries[0].public_comment.as_deref(), Some("Hate"));
        assert_eq!(entries[1].severity, Severity::Silence);
        assert!(parse(r#"[{"domain":"h*dden.example","severity":"suspend"}]"#).is_err());
    }

    #[test]
    fn gotosocial_json_and_plain_text() {
        let gts = r#"[{"domain":"gts.example","public_comment":"bots","obfuscate":false}]"#;
        let entries = parse(gts).unwrap();
        assert_eq!(entries[0].severity, Severity::Suspend);
        assert_eq!(entries[0].public_comment.as_deref(), Some("bots"));
        let text =
            parse("# my list\nOne.Example.\n*.two.example\n\nhttps://three.example/\n").unwrap();
        let domains: Vec<&str> = text.iter().map(|e| e.domain.as_str()).collect();
        assert_eq!(domains, vec!["one.example", "two.example", "three.example"]);
        assert!(parse("not a domain at all!").is_err());
    }

    #[test]
    fn export_then_import_is_lossless() {
        let mut a = Entry::new("a.example", Severity::Silence);
        a.reject_media = true;
        a.public_comment = Some("Comma, and \"quotes\"".into());
        let mut b = Entry::new("b.example", Severity::Suspend);
        b.reject_reports = true;
        b.obfuscate = true;
        let entries = vec![a, b];
        assert_eq!(parse(&to_mastodon_csv(&entries)).unwrap(), entries);
    }
}
