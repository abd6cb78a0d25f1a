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
/// How many recent fingerprints near-repeats are compared with.
const FINGERPRINTS: u64 = 2_000;
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

/// What moderation keeps in memory.
#[derive(Default)]
pub struct ModerationCache {
    domains: RwLock<Arc<HashMap<String, DomainPolicy>>>,
    /// Obfuscated entries (`ex*mple.com`), known only by the digest of their domain.
    digests: RwLock<Arc<HashMap<String, DomainPolicy>>>,
    rules: RwLock<HashMap<i64, Arc<CompiledRules>>>,
}

impl ModerationCache {
    /// The policy that applies to `host` (a `host[:port]`): its own, else its closest
    /// parent's — the longest match wins, in as many lookups as the host has labels.
    pub fn domain_policy(&self, host: &str) -> Option<DomainPolicy> {
        let domains = self.domains.read().ok()?.clone();
        if domains.is_empty() && self.digests.read().ok()?.is_empty() {
            return None;
        }
        let host = host
            .split(':')
            .next()
            .unwrap_or(host)
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let digests = self.digests.read().ok()?.clone();
        let mut candidate = host.as_str();
        loop {
            if let Some(policy) = domains.get(candidate) {
                return Some(policy.clone());
            }
            // Obfuscated entries match through the digest of the name.
            if !digests.is_empty() {
                if let Some(policy) = digests.get(&crate::blocklists::digest(candidate)) {
                    return Some(policy.clone());
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
            *domains = Arc::new(
                policies
                    .into_iter()
                    .map(|p| (p.domain.clone(), p))
                    .collect(),
            );
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

/// Reloads the domain policies from the database (at start, after a change, and
/// periodically for other processes' changes).
pub async fn reload_domains(state: &AppState) -> Result<(), DbErr> {
    let rows = storage::moderation::domain_policies(&state.db).await?;
    let mut map = HashMap::with_capacity(rows.len());
    let mut digests = HashMap::new();
    for p in rows {
        let Some(severity) = Severity::parse(&p.severity) else {
            continue;
        };
        let policy = DomainPolicy {
            severity,
            domain: p.domain.clone(),
            reject_media: p.reject_media,
            reject_reports: p.reject_reports,
        };
        if p.domain.contains('*') {
            if let Some(digest) = p.digest {
                digests.insert(digest, policy);
            }
        } else {
            map.insert(p.domain, policy);
        }
    }
    if let Ok(mut domains) = state.moderation.domains.write() {
        *domains = Arc::new(map);
    }
    if let Ok(mut held) = state.moderation.digests.write() {
        *held = Arc::new(digests);
    }
    Ok(())
}

/// A site's compiled rules, compiled on first use after a change (off the async
/// threads: thousands of regexes take a moment).
pub async fn rules_for(state: &AppState, site_id: i64) -> Result<Arc<CompiledRules>, DbErr> {
    if let Some(rules) = state
        .moderation
        .rules
        .read()
        .ok()
        .and_then(|r| r.get(&site_id).cloned())
    {
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
        // Repeats: exact or near copies in the last day, by this author and by anyone.
        for (author_id, hash, sim) in storage::moderation::recent_fingerprints(
            &state.db,
            now - REPEAT_WINDOW_MS,
            FINGERPRINTS,
        )
        .await?
        {
            let same =
                hash == Some(text_hash) || sim.is_some_and(|s| text::distance(s, simhash) <= NEAR);
            if same {
                history.any_copies += 1;
                if author_id == Some(author.id) {
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
            history.actor_recent = storage::moderation::count_recent_by(
                &state.db,
                vec![author.id],
                now - limit.value.1 * 1000,
            )
            .await? as u32;
        }
        if let Some(limit) = &rules.rate_domain {
            let ids = storage::moderation::actor_ids_of_domain(&state.db, &author.domain).await?;
            history.domain_recent =
                storage::moderation::count_recent_by(&state.db, ids, now - limit.value.1 * 1000)
                    .await? as u32;
        }
        let (approved, total, removed) =
            storage::moderation::author_record(&state.db, author.id, now - RECORD_WINDOW_MS)
                .await?;
        history.author_approved = approved as u32;
        history.author_recent = total as u32;
        history.author_recent_rejected = removed as u32;
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
    let verdict = moderation::judge(&input, &rules);
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

/// How often policies and rules are reloaded, for changes made through another process
/// sharing the database (this process reloads at once after its own changes).
const REFRESH: std::time::Duration = std::time::Duration::from_secs(60);

/// Reloads domain policies and forgets compiled rules every minute until shutdown.
pub async fn run_refresher(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(REFRESH) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
        if let Err(e) = reload_domains(&state).await {
            tracing::warn!(error = %e, "reloading domain policies");
        }
        state.moderation.forget_rules(None);
    }
}
