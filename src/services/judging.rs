//! Moderation as the service runs it: gathers the facts a verdict needs (mode, the
//! author's domain policy, the moderators' policy on them — blocked, watched, trusted —
//! and their record, repeats, rates), keeps each site's compiled rules
//! and the domain policies in memory (rebuilt when they change), and judges.

use crate::{
    domain::now_millis,
    moderation::{
        self, text, AuthorFacts, CompiledRules, DomainPolicyFacts, History, Input, Mode, RuleRow,
        Verdict,
    },
    runtime::moderation_cache::DomainsLoading,
    state::AppState,
    storage::{
        self,
        entities::{article, remote_actor},
    },
};
use sea_orm::DbErr;
use std::sync::Arc;

/// Window of the repetition rules and of an author's recent record.
const REPEAT_WINDOW_MS: i64 = 24 * 3600 * 1000;
const RECORD_WINDOW_MS: i64 = 30 * 24 * 3600 * 1000;
/// An author's record is read from their latest comments in the window, this many.
const RECORD_SAMPLE: u32 = 100;
/// How many recent fingerprints near-repeats are compared with.
const FINGERPRINTS: usize = 2_000;
/// Bits two SimHashes may differ by and still be "nearly the same text".
const NEAR: u32 = 3;

/// Reloads the domain policies from the database (at start, after a change, and when
/// another process sharing the database changed them).
pub async fn reload_domains(state: &AppState) -> Result<(), DbErr> {
    // Read first: a change landing during the load leaves the version behind, and the
    // refresher loads again.
    let version = storage::threads::moderation_version(&state.db).await?;
    let mut loading = DomainsLoading::default();
    storage::moderation::each_domain_policy(
        &state.db,
        |(domain, severity, reject_media, reject_reports, digest)| {
            loading.add(domain, severity, reject_media, reject_reports, digest);
        },
    )
    .await?;
    state.moderation.install_domains(loading, version);
    crate::memory::release_free_pages();
    Ok(())
}

/// A site's compiled rules, compiled on first use after a change (off the async
/// threads: thousands of regexes take a moment).
pub async fn rules_for(state: &AppState, site_id: i64) -> Result<Arc<CompiledRules>, DbErr> {
    let cached = || state.moderation.rules(site_id);
    if let Some(rules) = cached() {
        return Ok(rules);
    }
    // One compilation at a time: the workers judging together would each compile
    // thousands of rules (and hold them in memory) otherwise.
    let _turn = state.moderation.compiling().await;
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
            action: r.action,
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
    state.moderation.store_rules(site_id, compiled.clone());
    Ok(compiled)
}

/// The mode in force for an article: its own, else its site's.
pub async fn mode_of(state: &AppState, article: &article::Model) -> Result<Mode, DbErr> {
    if let Some(mode) = article.moderation_mode {
        return Ok(mode);
    }
    let site = storage::sites::find(&state.db, article.site_id).await?;
    Ok(site.map(|s| s.moderation_mode).unwrap_or(Mode::Post))
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
    let mut actor_policy = None;
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
        actor_policy = storage::moderation::actor_policy(&state.db, &author.ap_id)
            .await?
            .map(|p| p.action);
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
                    .is_some_and(|d| crate::runtime::recent_comments::in_domain(d, &author.domain))
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
        actor_policy,
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
        let loaded = state.moderation.version();
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
