//! Shared moderation blocklists: the formats servers publish them in (read and
//! written here, as pure code; FIRES documents are read on the wire by
//! `federation::protocol::fires`), and the policies they become.

pub mod fires;
pub mod formats;

use serde::Serialize;

/// Why a list could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    #[error("not a blocklist: {0}")]
    Unreadable(String),
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: String },
}

/// A domain as lists write it: lowercase, no scheme, no trailing dot, `*.` dropped.
pub(crate) fn clean_domain(raw: &str) -> Option<String> {
    let d = raw
        .trim()
        .trim_start_matches("*.")
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let d = d
        .strip_prefix("https://")
        .or_else(|| d.strip_prefix("http://"))
        .unwrap_or(&d)
        .trim_end_matches('/')
        .to_string();
    let valid = !d.is_empty()
        && d.len() <= 253
        && d.contains(|c: char| c.is_ascii_alphanumeric())
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '*' | '_'));
    valid.then_some(d)
}

/// One entry of a blocklist, whatever its format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The domain, or its obfuscated form (`ex*mple.com`) when only the digest is known.
    pub domain: String,
    /// SHA-256 (hex) of the full domain, when the list gives it.
    pub digest: Option<String>,
    /// `suspend`, `silence` or `noop`.
    pub severity: String,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: Option<String>,
    pub private_comment: Option<String>,
    pub obfuscate: bool,
}

impl Entry {
    pub fn new(domain: &str, severity: &str) -> Self {
        Self {
            domain: domain.to_string(),
            digest: None,
            severity: severity.to_string(),
            reject_media: false,
            reject_reports: false,
            public_comment: None,
            private_comment: None,
            obfuscate: false,
        }
    }

    /// Whether the domain is hidden behind `*` (only the digest matches it).
    pub fn is_obfuscated(&self) -> bool {
        self.domain.contains('*')
    }
}

/// Severities in order (`noop` < `silence` < `suspend`), to merge lists and cap them.
pub fn rank(severity: &str) -> u8 {
    match severity {
        "suspend" => 2,
        "silence" => 1,
        _ => 0,
    }
}

/// The severity of a rank (back from `rank`).
pub fn severity_of(rank: u8) -> &'static str {
    match rank {
        2 => "suspend",
        1 => "silence",
        _ => "noop",
    }
}

/// SHA-256 (hex) of a domain, as Mastodon's `digest`.
pub fn digest(domain: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, domain.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Mastodon's obfuscation: every other character of the name before the suffix
/// becomes `*` (`example.com` → `e*a*p*e.com`).
pub fn obfuscate(domain: &str) -> String {
    let (name, suffix) = domain.split_once('.').unwrap_or((domain, ""));
    let hidden: String = name
        .chars()
        .enumerate()
        .map(|(i, c)| if i % 2 == 1 { '*' } else { c })
        .collect();
    if suffix.is_empty() {
        hidden
    } else {
        format!("{hidden}.{suffix}")
    }
}
