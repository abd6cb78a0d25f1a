//! Moderation's memory: each site's compiled rules and the domain policies (up to
//! millions of domains, a byte each), rebuilt when they change.

use crate::{
    domain::DomainName,
    moderation::{CompiledRules, Severity},
};
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

/// A domain policy as the inbox and the rules use it.
#[derive(Debug, Clone)]
pub struct DomainPolicy {
    pub domain: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
}

/// A domain policy as kept in memory, one byte for each of up to millions of domains:
/// the severity in bits 0–1, `reject_media` in bit 2, `reject_reports` in bit 3.
#[derive(Debug, Clone, Copy)]
struct Flags(u8);

impl Flags {
    fn new(severity: Severity, reject_media: bool, reject_reports: bool) -> Self {
        let severity = match severity {
            Severity::Suspend => 0,
            Severity::Silence => 1,
            Severity::Noop => 2,
        };
        Flags(severity | (reject_media as u8) << 2 | (reject_reports as u8) << 3)
    }

    fn policy(self, domain: &str) -> DomainPolicy {
        DomainPolicy {
            domain: domain.to_string(),
            severity: match self.0 & 3 {
                0 => Severity::Suspend,
                1 => Severity::Silence,
                _ => Severity::Noop,
            },
            reject_media: self.0 & 4 != 0,
            reject_reports: self.0 & 8 != 0,
        }
    }
}

/// Every listed domain in one sorted text with its flags: a million domains take a few
/// large allocations (~25 MB), not a million small ones scattered among the rows they
/// were read from, which would keep the heap's pages from being given back.
#[derive(Default)]
struct DomainList {
    /// The domains, sorted, end to end.
    text: String,
    /// Where each domain ends in `text`.
    ends: Vec<u32>,
    flags: Vec<Flags>,
}

impl DomainList {
    fn new(entries: Vec<(String, Flags)>) -> Self {
        let mut unsorted = DomainList::default();
        for (domain, flags) in entries {
            unsorted.push(&domain, flags);
        }
        unsorted.sorted()
    }

    /// Appends a domain (in any order; `sorted` orders them).
    fn push(&mut self, domain: &str, flags: Flags) {
        self.text.push_str(domain);
        self.ends.push(self.text.len() as u32);
        self.flags.push(flags);
    }

    /// The list in byte order, without repeats, built through a permutation so that no
    /// domain gets an allocation of its own.
    fn sorted(self) -> Self {
        let mut order: Vec<u32> = (0..self.ends.len() as u32).collect();
        order.sort_unstable_by(|a, b| self.domain(*a as usize).cmp(self.domain(*b as usize)));
        order.dedup_by(|a, b| self.domain(*a as usize) == self.domain(*b as usize));
        let mut list = DomainList {
            text: String::with_capacity(self.text.len()),
            ends: Vec::with_capacity(order.len()),
            flags: Vec::with_capacity(order.len()),
        };
        for i in order {
            list.push(self.domain(i as usize), self.flags[i as usize]);
        }
        list
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn domain(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Binary search: ~20 comparisons for a million domains.
    fn get(&self, name: &str) -> Option<Flags> {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let mid = (low + high) / 2;
            match self.domain(mid).cmp(name) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(self.flags[mid]),
            }
        }
        None
    }
}

/// Obfuscated entries by digest: the entry as listed and its policy.
type Digests = HashMap<Box<str>, (Box<str>, Flags)>;

/// What moderation keeps in memory.
pub struct ModerationCache {
    domains: RwLock<Arc<DomainList>>,
    /// Obfuscated entries (`ex*mple.com`), known only by the digest of their domain:
    /// digest → (the entry as listed, its policy).
    digests: RwLock<Arc<Digests>>,
    rules: RwLock<HashMap<i64, Arc<CompiledRules>>>,
    compiling: tokio::sync::Mutex<()>,
    /// The moderation version (`storage::threads::moderation_version`) loaded.
    version: std::sync::atomic::AtomicI64,
}

impl Default for ModerationCache {
    fn default() -> Self {
        Self {
            domains: Default::default(),
            digests: Default::default(),
            rules: Default::default(),
            compiling: Default::default(),
            version: std::sync::atomic::AtomicI64::new(i64::MIN),
        }
    }
}

impl ModerationCache {
    /// The policy that applies to `host` (a `host[:port]`): its own, else its closest
    /// parent's — the longest match wins, in as many lookups as the host has labels.
    pub fn domain_policy(&self, host: &str) -> Option<DomainPolicy> {
        let domains = self.domains.read().ok()?.clone();
        let digests = self.digests.read().ok()?.clone();
        if domains.is_empty() && digests.is_empty() {
            return None;
        }
        // Normalised as policies were when they were set, so that they compare as text.
        let host = DomainName::of_host(host)?;
        for candidate in host.and_parents() {
            if let Some(flags) = domains.get(candidate) {
                return Some(flags.policy(candidate));
            }
            // Obfuscated entries match through the digest of the name.
            if !digests.is_empty() {
                if let Some((listed, flags)) =
                    digests.get(crate::blocklists::digest(candidate).as_str())
                {
                    return Some(flags.policy(listed));
                }
            }
        }
        None
    }

    /// A cache holding these policies (benchmarks and tests; the server loads them
    /// from the database).
    pub fn with_domains(policies: Vec<DomainPolicy>) -> Self {
        let cache = Self::default();
        if let Ok(mut domains) = cache.domains.write() {
            *domains = Arc::new(DomainList::new(
                policies
                    .into_iter()
                    .map(|p| {
                        let flags = Flags::new(p.severity, p.reject_media, p.reject_reports);
                        (p.domain, flags)
                    })
                    .collect(),
            ));
        }
        cache
    }

    pub fn forget_rules(&self, site_id: Option<i64>) {
        if let Ok(mut rules) = self.rules.write() {
            match site_id {
                Some(id) => {
                    rules.remove(&id);
                }
                None => rules.clear(),
            }
        }
    }

    /// Replaces the domain policies with those loaded, as of moderation `version`.
    pub fn install_domains(&self, loading: DomainsLoading, version: i64) {
        let list = Arc::new(loading.listed.sorted());
        if let Ok(mut domains) = self.domains.write() {
            *domains = list;
        }
        if let Ok(mut held) = self.digests.write() {
            *held = Arc::new(loading.digests);
        }
        self.version
            .store(version, std::sync::atomic::Ordering::Relaxed);
    }

    /// The moderation version last loaded.
    pub fn version(&self) -> i64 {
        self.version.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A site's compiled rules, when compiled since the last change.
    pub fn rules(&self, site_id: i64) -> Option<Arc<CompiledRules>> {
        self.rules.read().ok()?.get(&site_id).cloned()
    }

    pub fn store_rules(&self, site_id: i64, rules: Arc<CompiledRules>) {
        if let Ok(mut cache) = self.rules.write() {
            cache.insert(site_id, rules);
        }
    }

    /// One compilation at a time.
    pub async fn compiling(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.compiling.lock().await
    }
}

/// Domain policies being loaded from the database, installed at once.
#[derive(Default)]
pub struct DomainsLoading {
    listed: DomainList,
    digests: Digests,
}

impl DomainsLoading {
    /// One stored policy; an obfuscated entry (`ex*mple.com`) counts by its digest.
    pub fn add(
        &mut self,
        domain: String,
        severity: Severity,
        reject_media: bool,
        reject_reports: bool,
        digest: Option<String>,
    ) {
        let flags = Flags::new(severity, reject_media, reject_reports);
        if domain.contains('*') {
            if let Some(digest) = digest {
                self.digests
                    .insert(digest.into_boxed_str(), (domain.into_boxed_str(), flags));
            }
        } else {
            self.listed.push(&domain, flags);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(domain: &str, severity: Severity, reject_media: bool) -> DomainPolicy {
        DomainPolicy {
            domain: domain.into(),
            severity,
            reject_media,
            reject_reports: false,
        }
    }

    #[test]
    fn the_closest_listed_parent_of_a_host_decides_and_flags_survive_the_packing() {
        let cache = ModerationCache::with_domains(vec![
            policy("spam.example", Severity::Suspend, false),
            policy("media.example", Severity::Silence, true),
            policy("a.media.example", Severity::Noop, false),
            policy("zz.test", Severity::Silence, false),
            policy("xn--bcher-kva.example", Severity::Suspend, false),
        ]);
        let found = |host: &str| {
            cache
                .domain_policy(host)
                .map(|p| (p.domain, p.severity, p.reject_media))
        };
        assert_eq!(
            found("spam.example"),
            Some(("spam.example".into(), Severity::Suspend, false))
        );
        assert_eq!(
            found("deep.sub.SPAM.example:8443"),
            Some(("spam.example".into(), Severity::Suspend, false))
        );
        assert_eq!(
            found("b.media.example"),
            Some(("media.example".into(), Severity::Silence, true))
        );
        assert_eq!(
            found("x.a.media.example"),
            Some(("a.media.example".into(), Severity::Noop, false))
        );
        assert_eq!(found("example"), None);
        assert_eq!(found("notspam.example"), None);
        assert_eq!(
            found("zz.test."),
            Some(("zz.test".into(), Severity::Silence, false))
        );
        assert_eq!(
            found("shop.Bücher.example"),
            Some(("xn--bcher-kva.example".into(), Severity::Suspend, false)),
            "an international name is its punycode"
        );
        assert_eq!(found("[::1]:8080"), None);
        assert_eq!(
            found("not_a-valid!label.spam.example"),
            Some(("spam.example".into(), Severity::Suspend, false)),
            "a host DNS would refuse still falls under its parent's policy"
        );
    }
}
