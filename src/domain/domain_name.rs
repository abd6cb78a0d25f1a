//! Domain names, parsed once: what an admin types, what a blocklist lists and what a
//! URL's host gives all become the same `DomainName`, so a policy set by hand, one
//! imported from a list and the host of an incoming actor compare as plain text.

use std::fmt;

/// The longest name DNS allows (without the trailing dot), and the longest label.
const MAX_NAME: usize = 253;
const MAX_LABEL: usize = 63;

/// A domain name (or an IPv4 address, which URL hosts and blocklists also use):
/// lowercase ASCII, internationalised names in their punycode form (`xn--…`), without
/// scheme, port, path, wildcard prefix or trailing dot, every label 1–63 characters of
/// letters, digits, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DomainName(String);

/// Why a text is not a domain name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a domain: {0}")]
pub struct DomainNameError(pub String);

impl DomainName {
    /// Reads a domain as people and lists write it: surrounding spaces, an `http(s)://`
    /// scheme, a path, a port, a `*.` prefix (a policy covers subdomains anyway) and
    /// trailing dots are dropped; the rest is lowercased and, when not ASCII, turned to
    /// punycode as URLs do (so `Bücher.example` and `xn--bcher-kva.example` are one
    /// name). A URL's host (`host[:port]`) reads the same way.
    pub fn parse(raw: &str) -> Result<Self, DomainNameError> {
        let invalid = || DomainNameError(raw.to_string());
        let host = host_part(raw).ok_or_else(invalid)?;
        let name = host.strip_prefix("*.").unwrap_or(host);
        if name.contains('*') {
            return Err(invalid());
        }
        let name = normalise(name).ok_or_else(invalid)?;
        valid_name(&name, false)
            .then_some(Self(name))
            .ok_or_else(invalid)
    }

    /// The name of a host we are talking to (`host[:port]`, as `Url::host_str` and the
    /// stored actors give it), to look its policy up: normalised as `parse` does, but
    /// not refused for a label DNS would not allow — the URL parser accepted it, and a
    /// policy on its parent domain must still apply. `None` for an IPv6 address.
    pub fn of_host(host: &str) -> Option<Self> {
        host_part(host).and_then(normalise).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The name, then each of its parents (`a.b.example`, `b.example`, `example`):
    /// the order in which a policy is looked for, the closest first.
    pub fn and_parents(&self) -> impl Iterator<Item = &str> {
        std::iter::successors(Some(self.0.as_str()), |name| {
            name.split_once('.').map(|(_, parent)| parent)
        })
    }

    /// Whether this name is `domain` or one of its subdomains.
    pub fn is_within(&self, domain: &str) -> bool {
        self.0 == domain
            || self
                .0
                .strip_suffix(domain)
                .is_some_and(|rest| rest.ends_with('.'))
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for DomainName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A domain as a blocklist lists it: a name, or Mastodon's obfuscated form of one
/// (`e*a*p*e.com`), which only the digest of the real name can match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListedDomain {
    Name(DomainName),
    /// Lowercase, `*` in place of some characters; otherwise the rules of a name.
    Obfuscated(String),
}

impl ListedDomain {
    /// Reads a listed domain: as `DomainName::parse`, except that a `*` inside the name
    /// makes it an obfuscated entry.
    pub fn parse(raw: &str) -> Result<Self, DomainNameError> {
        let host = host_part(raw).ok_or_else(|| DomainNameError(raw.to_string()))?;
        let name = host
            .strip_prefix("*.")
            .unwrap_or(host)
            .trim_end_matches('.');
        if !name.contains('*') {
            return DomainName::parse(raw).map(Self::Name);
        }
        let name = name.to_ascii_lowercase();
        if valid_name(&name, true) {
            Ok(Self::Obfuscated(name))
        } else {
            Err(DomainNameError(raw.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Name(name) => name.as_str(),
            Self::Obfuscated(text) => text,
        }
    }

    pub fn into_string(self) -> String {
        match self {
            Self::Name(name) => name.into_string(),
            Self::Obfuscated(text) => text,
        }
    }
}

/// The host of a domain as written: trimmed, without scheme, path or port.
fn host_part(raw: &str) -> Option<&str> {
    let text = raw.trim();
    let text = ["https://", "http://"]
        .iter()
        .find_map(|scheme| {
            text.get(..scheme.len())
                .filter(|s| s.eq_ignore_ascii_case(scheme))
                .map(|_| &text[scheme.len()..])
        })
        .unwrap_or(text);
    let host = text.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        Some(_) => return None,
        None => host,
    };
    (!host.is_empty()).then_some(host)
}

/// Lowercase, without trailing dots, international names in punycode and IPv4
/// addresses in their usual form, as a URL's host is; `None` when the URL host parser
/// refuses it, or for an IPv6 address.
fn normalise(name: &str) -> Option<String> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    if plain_ascii(&lower) {
        return Some(lower);
    }
    // Punycode, IPv4 forms (`0x7f.1`) and percent escapes, as in a URL.
    match url::Host::parse(&lower).ok()? {
        url::Host::Domain(d) => Some(d.trim_end_matches('.').to_string()),
        url::Host::Ipv4(address) => Some(address.to_string()),
        url::Host::Ipv6(_) => None,
    }
}

/// Lowercase ASCII that the URL host parser would give back unchanged: no punycode to
/// check, and not an IPv4 address in one of its odd forms (a numeric last label).
fn plain_ascii(name: &str) -> bool {
    name.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
        && !name.split('.').any(|label| label.starts_with("xn--"))
        && !name
            .rsplit('.')
            .next()
            .is_some_and(|last| !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}

fn valid_name(name: &str, obfuscated: bool) -> bool {
    let allowed = |b: u8| {
        b.is_ascii_lowercase()
            || b.is_ascii_digit()
            || matches!(b, b'-' | b'_')
            || (obfuscated && b == b'*')
    };
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name.bytes().any(|b| b.is_ascii_alphanumeric())
        && name
            .split('.')
            .all(|label| (1..=MAX_LABEL).contains(&label.len()) && label.bytes().all(allowed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(raw: &str) -> String {
        DomainName::parse(raw).unwrap().into_string()
    }

    #[test]
    fn a_domain_is_read_as_people_and_lists_write_it() {
        assert_eq!(name("Example.COM"), "example.com");
        assert_eq!(name("  example.com.  "), "example.com");
        assert_eq!(name("*.example.com"), "example.com");
        assert_eq!(name("https://Example.com/some/path?q"), "example.com");
        assert_eq!(name("HTTP://example.com:8443"), "example.com");
        assert_eq!(name("example.com:443/"), "example.com");
        assert_eq!(name("_dmarc.example.com"), "_dmarc.example.com");
        assert_eq!(name("localhost"), "localhost");
    }

    #[test]
    fn international_names_become_punycode_as_in_urls() {
        assert_eq!(name("Bücher.example"), "xn--bcher-kva.example");
        assert_eq!(name("xn--bcher-kva.example"), "xn--bcher-kva.example");
        let url = url::Url::parse("https://bücher.example/").unwrap();
        assert_eq!(name(url.host_str().unwrap()), "xn--bcher-kva.example");
        assert!(DomainName::parse("xn--a.example").is_err(), "bad punycode");
    }

    #[test]
    fn ipv4_addresses_are_hosts_too() {
        assert_eq!(name("127.0.0.1"), "127.0.0.1");
        assert_eq!(name("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(name("0x7f.1"), "127.0.0.1");
        assert!(DomainName::parse("[::1]").is_err());
        assert!(DomainName::parse("999.1.1.1").is_err());
    }

    #[test]
    fn what_is_not_a_domain_is_refused() {
        for bad in [
            "",
            "   ",
            ".",
            "https://",
            "not a domain",
            "a..b",
            ".example.com",
            "e*a*p*e.com",
            "exa mple.com",
            "example.com:http",
            "ex!ample.com",
            "---",
        ] {
            assert!(DomainName::parse(bad).is_err(), "{bad:?} accepted");
        }
        let long = format!("{}.example", "a".repeat(64));
        assert!(DomainName::parse(&long).is_err(), "a 64-character label");
        let many = vec!["abcdefghi"; 26].join(".");
        assert!(many.len() > MAX_NAME && DomainName::parse(&many).is_err());
        assert_eq!(
            DomainName::parse("x y").unwrap_err().to_string(),
            "not a domain: x y"
        );
    }

    #[test]
    fn a_host_is_looked_up_by_the_same_rules_whatever_its_labels() {
        let host = |h: &str| DomainName::of_host(h).map(DomainName::into_string);
        assert_eq!(
            host("Deep.Sub.Example.:8443").as_deref(),
            Some("deep.sub.example")
        );
        assert_eq!(
            host("bücher.example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(host("127.0.0.1:80").as_deref(), Some("127.0.0.1"));
        let odd = format!("{}!.spam.example", "a".repeat(70));
        assert!(DomainName::parse(&odd).is_err());
        let looked_up = DomainName::of_host(&odd).unwrap();
        assert!(looked_up.and_parents().any(|p| p == "spam.example"));
        assert_eq!(host("[::1]:8080"), None);
        assert_eq!(host(""), None);
    }

    #[test]
    fn parents_and_subdomains() {
        let d = DomainName::parse("a.b.example").unwrap();
        assert_eq!(
            d.and_parents().collect::<Vec<_>>(),
            vec!["a.b.example", "b.example", "example"]
        );
        assert!(d.is_within("b.example") && d.is_within("a.b.example"));
        assert!(!d.is_within("ab.example") && !d.is_within("b.exampl"));
    }

    #[test]
    fn listed_domains_may_be_obfuscated() {
        assert_eq!(
            ListedDomain::parse("E*a*p*e.com.").unwrap(),
            ListedDomain::Obfuscated("e*a*p*e.com".into())
        );
        assert_eq!(
            ListedDomain::parse("1*7.*.0.1").unwrap().as_str(),
            "1*7.*.0.1"
        );
        assert_eq!(
            ListedDomain::parse("*.two.example").unwrap(),
            ListedDomain::Name(DomainName::parse("two.example").unwrap())
        );
        assert!(ListedDomain::parse("*").is_err());
        assert!(ListedDomain::parse("*.*").is_err());
        assert!(ListedDomain::parse("a*b c.example").is_err());
    }
}
