//! Moderation as the service runs it: gathers the facts a verdict needs (mode, the
//! author's domain policy and record, repeats, rates), keeps each site's compiled rules
//! and the domain policies in memory (rebuilt when they change), and judges.

use crate::{
    domain::now_millis,
    moderation::{
        self, text, Action, AuthorFacts, CompiledRules, DomainPolicyFacts, History, Input, Mode,
        RuleRow, Severity, Verdict,
    },
    state::AppState,
    storage::{
        self,
        entities::{article, remote_actor},
    },
};
use sea_orm::DbErr;
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

/// Window of the repetition rules and of an author's recent record.
const REPEAT_WINDOW_MS: i64 = 24 * 3600 * 1000;
const RECORD_WINDOW_MS: i64 = 30 * 24 * 3600 * 1000;
/// An author's record is read from their latest comments in the window, this many.
const RECORD_SAMPLE: u32 = 100;
/// How many recent fingerprints near-repeats are compared with.
const FINGERPRINTS: usize = 2_000;
/// Bits two SimHashes may differ by and still be "nearly the same text".
const NEAR: u32 = 3;

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
        let host = host
            .split(':')
            .next()
            .unwrap_or(host)
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let mut candidate = host.as_str();
        loop {
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
            candidate = candidate.split_once('.')?.1;
        }
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
}

/// Reloads the domain policies from the database (at start, after a change, and when
/// another process sharing the database changed them).
pub async fn reload_domains(state: &AppState) -> Result<(), DbErr> {
    // Read first: a change landing during the load leaves the version behind, and the
    // refresher loads again.
    let version = storage::threads::moderation_version(&state.db).await?;
    let mut listed = DomainList::default();
    let mut digests = HashMap::new();
    storage::moderation::each_domain_policy(
        &state.db,
        |(domain, severity, reject_media, reject_reports, digest)| {
            let Some(severity) = Severity::parse(&severity) else {
                return;
            };
            let flags = Flags::new(severity, reject_media, reject_reports);
            if domain.contains('*') {
                if let Some(digest) = digest {
                    digests.insert(digest.into_boxed_str(), (domain.into_boxed_str(), flags));
                }
            } else {
                listed.push(&domain, flags);
            }
        },
    )
    .await?;
    let list = Arc::new(listed.sorted());
    if let Ok(mut domains) = state.moderation.domains.write() {
        *domains = list;
    }
    if let Ok(mut held) = state.moderation.digests.write() {
        *held = Arc::new(digests);
    }
    state
        .moderation
        .version
        .store(version, std::sync::atomic::Ordering::Relaxed);
    crate::memory::release_free_pages();
    Ok(())
}

/// A site's compiled rules, compiled on first use after a change (off the async
/// threads: thousands of regexes take a moment).
pub async fn rules_for(state: &AppState, site_id: i64) -> Result<Arc<CompiledRules>, DbErr> {
    let cached = || {
        state
            .moderation
            .rules
            .read()
            .ok()
            .and_then(|r| r.get(&site_id).cloned())
    };
    if let Some(rules) = cached() {
        return Ok(rules);
    }
    // One compilation at a time: the workers judging together would each compile
    // thousands of rules (and hold them in memory) otherwise.
    let _turn = state.moderation.compiling.lock().await;
    if let Some(rules) = cached() {
        return Ok(rules);
    }
    let site = storage::sites::find(&state.db, site_id).await?;
    let hold_new = site.map(|s| s.hold_new_authors.max(0) as u32).unwrap_or(0);
    let rows: Vec<RuleRow> = storage::moderation::rules_for_site(&state.db, site_id)
        .await?
        .into_iter()
        .map(|r| RuleRow {
            id: r.id,
            action: Action::parse(&r.action).unwrap_or(Action::Hold),
            kind: r.kind,
            pattern: r.pattern,
        })
        .collect();
    let compiled = tokio::task::spawn_blocking(move || CompiledRules::compile(&rows, hold_new))
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    let compiled = match compiled {
        Ok(rules) => Arc::new(rules),
        Err(e) => {
            // Rules are checked when they are added; one that went bad since must not
            // stop moderation: the defaults still apply.
            tracing::error!(error = %e, "site rules do not compile; using the defaults");
            Arc::new(
                CompiledRules::compile(&[], hold_new).map_err(|e| DbErr::Custom(e.to_string()))?,
            )
        }
    };
    if let Ok(mut cache) = state.moderation.rules.write() {
        cache.insert(site_id, compiled.clone());
    }
    Ok(compiled)
}

/// The mode in force for an article: its own, else its site's.
pub async fn mode_of(state: &AppState, article: &article::Model) -> Result<Mode, DbErr> {
    if let Some(mode) = article.moderation_mode.as_deref().and_then(Mode::parse) {
        return Ok(mode);
    }
    let site = storage::sites::find(&state.db, article.site_id).await?;
    Ok(site
        .and_then(|s| Mode::parse(&s.moderation_mode))
        .unwrap_or(Mode::Post))
}

/// A comment about to be stored (or re-checked).
pub struct Draft<'a> {
    pub article: &'a article::Model,
    pub author: Option<&'a remote_actor::Model>,
    pub content_html: &'a str,
    pub summary: Option<&'a str>,
    pub mentions: usize,
    /// The comment itself when re-checking (not counted as its own repeat).
    pub existing_id: Option<i64>,
}

/// A verdict and the fingerprints to store with the comment.
pub struct Judgement {
    pub verdict: Verdict,
    pub text_hash: i64,
    pub simhash: i64,
}

/// Judges a comment.
pub async fn judge(state: &AppState, draft: Draft<'_>) -> Result<Judgement, DbErr> {
    let now = now_millis();
    let plain = format!(
        "{} {}",
        draft.summary.unwrap_or(""),
        text::html_to_text(draft.content_html)
    );
    let folded = text::fold(&plain);
    let text_hash = text::exact_hash(&folded);
    let simhash = text::simhash(&folded);
    let rules = rules_for(state, draft.article.site_id).await?;
    let mode = mode_of(state, draft.article).await?;

    let mut history = History::default();
    let mut author_facts = AuthorFacts::default();
    let mut domain_policy = None;
    let mut actor_allowed = None;
    if let Some(author) = draft.author {
        author_facts = AuthorFacts {
            published: author.published,
            has_avatar: author.avatar_url.is_some(),
            has_name: author.name.as_deref().is_some_and(|n| !n.trim().is_empty()),
        };
        domain_policy = state
            .moderation
            .domain_policy(&author.domain)
            .map(|p| DomainPolicyFacts {
                domain: p.domain,
                severity: p.severity,
                reject_media: p.reject_media,
            });
        actor_allowed = storage::moderation::actor_policy(&state.db, &author.ap_id)
            .await?
            .map(|p| p.action == "allow");
        // Repeats: exact or near copies in the last day, by this author and by anyone;
        // rates: comments in each rule's window by this author and by its domain.
        let window = state
            .recent
            .current(&state.db, now - REPEAT_WINDOW_MS)
            .await?;
        for row in window.newest().take(FINGERPRINTS) {
            let same = row.text_hash == Some(text_hash)
                || row
                    .simhash
                    .is_some_and(|s| text::distance(s, simhash) <= NEAR);
            if same {
                history.any_copies += 1;
                if row.author_id == Some(author.id) {
                    history.same_actor_copies += 1;
                }
            }
        }
        if draft.existing_id.is_some() {
            // Re-checking: the comment is among the fingerprints itself.
            history.any_copies = history.any_copies.saturating_sub(1);
            history.same_actor_copies = history.same_actor_copies.saturating_sub(1);
        }
        if let Some(limit) = &rules.rate_actor {
            history.actor_recent = window.count_since(now - limit.value.1 * 1000, |r| {
                r.author_id == Some(author.id)
            });
        }
        if let Some(limit) = &rules.rate_domain {
            history.domain_recent = window.count_since(now - limit.value.1 * 1000, |r| {
                r.domain
                    .as_deref()
                    .is_some_and(|d| super::recent::in_domain(d, &author.domain))
            });
        }
        drop(window);
        // Only what the rules ask, and never more rows than they need: a prolific
        // author's thousands of comments must not make each new one slower.
        if rules.hold_new_authors > 0 {
            history.author_approved =
                storage::moderation::approved_count(&state.db, author.id, rules.hold_new_authors)
                    .await?;
        }
        if rules.rejected_ratio.is_some() {
            let (total, removed) = storage::moderation::recent_record(
                &state.db,
                author.id,
                now - RECORD_WINDOW_MS,
                RECORD_SAMPLE,
            )
            .await?;
            history.author_recent = total;
            history.author_recent_rejected = removed;
        }
    }
    let input = Input {
        mode,
        text: &folded,
        html: draft.content_html,
        mentions: draft.mentions,
        author: author_facts,
        domain_policy,
        actor_allowed,
        history,
        now,
    };
    let started = std::time::Instant::now();
    let verdict = moderation::judge(&input, &rules);
    state.metrics.rules_matched(started.elapsed().as_secs_f64());
    Ok(Judgement {
        verdict,
        text_hash,
        simhash,
    })
}

/// The stored status a verdict leads to.
pub fn status_of(action: Action) -> &'static str {
    match action {
        Action::Publish => "published",
        Action::Hold => "held",
        Action::Hide => "hidden",
        Action::Reject => "rejected",
    }
}

/// How often the moderation version is checked for changes made through another
/// process sharing the database (this process reloads at once after its own changes).
const REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

/// Reloads domain policies and forgets compiled rules when they changed, until shutdown.
pub async fn run_refresher(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(REFRESH) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
        let loaded = state
            .moderation
            .version
            .load(std::sync::atomic::Ordering::Relaxed);
        match storage::threads::moderation_version(&state.db).await {
            Ok(version) if version == loaded => continue,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "reading the moderation version");
                continue;
            }
        }
        if let Err(e) = reload_domains(&state).await {
            tracing::warn!(error = %e, "reloading domain policies");
        }
        state.moderation.forget_rules(None);
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
    }
}
