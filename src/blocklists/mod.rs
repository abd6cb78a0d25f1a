//! Shared moderation blocklists: the formats servers publish them in (read and
//! written here, as pure code; FIRES documents are read on the wire by
//! `federation::protocol::fires`), and the policies they become.

pub mod fires;
pub mod formats;

use crate::domain::Severity;
use serde::Serialize;

/// Why a list could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    #[error("not a blocklist: {0}")]
    Unreadable(String),
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: String },
}

/// A domain as lists write it (see `ListedDomain::parse`), or its obfuscated form.
pub(crate) fn clean_domain(raw: &str) -> Option<String> {
    crate::domain::ListedDomain::parse(raw)
        .ok()
        .map(crate::domain::ListedDomain::into_string)
}

/// One entry of a blocklist, whatever its format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The domain, or its obfuscated form (`ex*mple.com`) when only the digest is known.
    pub domain: String,
    /// SHA-256 (hex) of the full domain, when the list gives it.
    pub digest: Option<String>,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: Option<String>,
    pub private_comment: Option<String>,
    pub obfuscate: bool,
}

impl Entry {
    pub fn new(domain: &str, severity: Severity) -> Self {
        Self {
            domain: domain.to_string(),
            digest: None,
            severity,
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
