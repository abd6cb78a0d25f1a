//! The sites' rules (words, regexes, link hosts…) and re-checks of existing comments
//! with today's rules.

use crate::services::{
    judging::{self, Draft},
    staff::{Role, Staff},
};
use crate::{
    domain::{now_millis, CommentStatus, RuleKind},
    error::{Error, Result},
    moderation::{compiled, Action, RuleRow, Verdict},
    state::AppState,
    storage::{self},
};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A new rule.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RuleRequest {
    /// A site slug; absent for every site.
    #[serde(default)]
    pub site: Option<String>,
    /// `banned_word`, `suspect_word`, `banned_regex`, `suspect_regex`, `wordlist`,
    /// `link_host`, `max_links`, `max_mentions`, `repetition`, `repetition_actor`,
    /// `rate_actor`, `rate_domain`, `min_account_age_days`, `empty_account`,
    /// `rejected_ratio`.
    pub kind: String,
    pub pattern: String,
    /// `reject`, `hide` or `hold`; the kind's default when absent.
    #[serde(default)]
    pub action: Option<Action>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A stored rule.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    pub id: i64,
    pub site: Option<String>,
    pub kind: RuleKind,
    pub pattern: String,
    pub action: Action,
    pub note: Option<String>,
}

fn rule_view(state: &AppState, r: storage::entities::rule::Model) -> RuleView {
    RuleView {
        id: r.id,
        site: r
            .site_id
            .and_then(|id| state.site_by_id(id))
            .map(|s| s.slug.clone()),
        kind: r.kind,
        pattern: r.pattern,
        action: r.action,
        note: r.note,
    }
}

/// Adds a rule after checking it compiles (422 with the reason otherwise). Past
/// verdicts are not rewritten: a re-check shows what would change.
pub async fn add_rule(state: &AppState, staff: &Staff, req: RuleRequest) -> Result<RuleView> {
    staff.require(Role::Moderator)?;
    let site_id = match &req.site {
        Some(slug) => Some(
            state
                .site(slug)
                .ok_or_else(|| Error::Unprocessable(format!("unknown site {slug}")))?
                .id,
        ),
        None => None,
    };
    let kind = RuleKind::parse(&req.kind)
        .ok_or_else(|| Error::Unprocessable(format!("unknown kind {}", req.kind)))?;
    let action = req.action.unwrap_or(compiled::default_action(kind));
    if req.pattern.len() > 10_000 {
        return Err(Error::Unprocessable("pattern too long".into()));
    }
    let candidate = RuleRow {
        id: 0,
        kind,
        pattern: req.pattern.clone(),
        action,
    };
    compiled::CompiledRules::compile(&[candidate], 0)
        .map_err(|e| Error::Unprocessable(e.reason))?;
    let txn = state.db.begin().await?;
    let row = storage::moderation::insert_rule(
        &txn,
        site_id,
        kind,
        req.pattern.trim(),
        action,
        req.note.clone(),
        now_millis(),
    )
    .await?;
    staff
        .audit(
            &txn,
            "rule.add",
            "rule",
            row.id,
            json!({"site": req.site, "kind": req.kind, "pattern": req.pattern, "action": action}),
        )
        .await?;
    txn.commit().await?;
    state.moderation.forget_rules(site_id);
    Ok(rule_view(state, row))
}

pub async fn remove_rule(state: &AppState, staff: &Staff, id: i64) -> Result<()> {
    staff.require(Role::Moderator)?;
    let txn = state.db.begin().await?;
    let rule = storage::moderation::delete_rule(&txn, id)
        .await?
        .ok_or(Error::NotFound("rule"))?;
    staff
        .audit(
            &txn,
            "rule.remove",
            "rule",
            id,
            json!({"kind": rule.kind, "pattern": rule.pattern}),
        )
        .await?;
    txn.commit().await?;
    state.moderation.forget_rules(rule.site_id);
    Ok(())
}

pub async fn rules(state: &AppState, staff: &Staff) -> Result<Vec<RuleView>> {
    staff.require(Role::Moderator)?;
    Ok(storage::moderation::all_rules(&state.db)
        .await?
        .into_iter()
        .map(|r| rule_view(state, r))
        .collect())
}

/// A comment whose verdict a re-check would change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecheckChange {
    pub comment: i64,
    pub from: CommentStatus,
    pub to: CommentStatus,
    pub verdict: Verdict,
}

/// Judges a site's comments again with today's rules. Comments a moderator decided are
/// left alone. Shows the changes; applies them only when asked.
pub async fn recheck(
    state: &AppState,
    staff: &Staff,
    slug: &str,
    apply: bool,
) -> Result<Vec<RecheckChange>> {
    staff.require(Role::Moderator)?;
    let site = state.site(slug).ok_or(Error::NotFound("site"))?;
    let article_ids = storage::moderation::article_ids_of_site(&state.db, site.id).await?;
    let comments = storage::moderation::comments_of_articles(&state.db, article_ids).await?;
    let mut changes = Vec::new();
    for c in comments
        .into_iter()
        .filter(|c| c.moderated_by.is_none() && c.author_id.is_some())
    {
        let Some(article) = storage::articles::find(&state.db, c.article_id).await? else {
            continue;
        };
        let author = match c.author_id {
            Some(id) => storage::actors::find_many(&state.db, vec![id]).await?.pop(),
            None => None,
        };
        let judgement = judging::judge(
            state,
            Draft {
                article: &article,
                author: author.as_ref(),
                content_html: &c.content_html,
                summary: c.summary.as_deref(),
                mentions: serde_json::from_str::<Vec<crate::domain::Tag>>(&c.tags)
                    .map(|t| {
                        t.iter()
                            .filter(|t| matches!(t, crate::domain::Tag::Mention { .. }))
                            .count()
                    })
                    .unwrap_or(0),
                existing_id: Some(c.id),
            },
        )
        .await?;
        let to = CommentStatus::after(judgement.verdict.action);
        if to != c.status {
            changes.push(RecheckChange {
                comment: c.id,
                from: c.status,
                to,
                verdict: judgement.verdict,
            });
        }
    }
    if apply && !changes.is_empty() {
        let txn = state.db.begin().await?;
        for change in &changes {
            let verdict = serde_json::to_string(&change.verdict).unwrap_or_default();
            storage::moderation::set_verdict(&txn, change.comment, change.to, &verdict).await?;
        }
        staff
            .audit(
                &txn,
                "site.recheck",
                "site",
                slug,
                json!({"changed": changes.len()}),
            )
            .await?;
        txn.commit().await?;
    }
    Ok(changes)
}
