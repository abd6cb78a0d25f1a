//! What moderators do: the queue, approve, hide (with a reason), restore, delete,
//! block an author or a domain from a comment (retroactive and reversible), modes,
//! rules, domain policies and re-checks. Every action leaves an audit row, written in
//! the transaction of the change.

pub mod data_rights;
pub mod reports;

use crate::services::{
    delivery,
    judging::{self, Draft},
    staff::{Role, Staff},
};
use crate::{
    domain::{from_millis, now_millis, ActorPolicyAction, CommentStatus, DomainName, RuleKind},
    error::{Error, Result},
    federation::protocol::approval,
    moderation::{compiled, Action, Mode, RuleRow, Severity, Verdict},
    state::AppState,
    storage::{
        self,
        entities::{actor_policy, article, comment, domain_policy},
        moderation::Decision,
    },
};
use chrono::SecondsFormat;
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Why a moderator removed a comment, as newsrooms' charters say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Hors sujet.
    OffTopic,
    /// Répété.
    Repeated,
    /// Promotionnel.
    Promotional,
    /// Grossier.
    Abusive,
    /// Illicite.
    Illegal,
    /// Autre.
    Other,
}

impl Reason {
    /// Accepts the English ids and the French words of the charter.
    pub fn parse(s: &str) -> Option<Self> {
        let folded = crate::moderation::text::fold(s.trim()).replace([' ', '-'], "_");
        match folded.as_str() {
            "off_topic" | "hors_sujet" => Some(Self::OffTopic),
            "repeated" | "repete" | "spam" => Some(Self::Repeated),
            "promotional" | "promotionnel" | "advertising" => Some(Self::Promotional),
            "abusive" | "grossier" | "insult" | "abuse" => Some(Self::Abusive),
            "illegal" | "illicite" => Some(Self::Illegal),
            "other" | "autre" => Some(Self::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OffTopic => "off_topic",
            Self::Repeated => "repeated",
            Self::Promotional => "promotional",
            Self::Abusive => "abusive",
            Self::Illegal => "illegal",
            Self::Other => "other",
        }
    }
}

/// A comment in the moderation queue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueItem {
    pub id: i64,
    pub ap_id: String,
    pub article_id: i64,
    pub article_url: String,
    pub site: String,
    pub author: Option<String>,
    pub author_handle: Option<String>,
    pub content_html: String,
    pub summary: Option<String>,
    pub status: CommentStatus,
    /// What automatic moderation decided, and which rules fired.
    pub verdict: Option<Verdict>,
    pub moderation_reason: Option<String>,
    pub moderation_note: Option<String>,
    pub moderated_by: Option<String>,
    /// Hidden by a block of its author or domain.
    pub suppressed_by: Option<String>,
    pub open_reports: usize,
    pub published: String,
}

/// Queue filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct QueueFilter {
    pub site: Option<String>,
    /// `held` (default), `rejected`, `hidden`, `published`, `reported` or `all`.
    pub status: Option<String>,
    pub article: Option<i64>,
    /// Only comments on which this rule fired (`rule:3`, `builtin:max_links`…).
    pub rule: Option<String>,
}

pub async fn queue(state: &AppState, staff: &Staff, filter: QueueFilter) -> Result<Vec<QueueItem>> {
    staff.require(Role::Moderator)?;
    let status = filter
        .status
        .as_deref()
        .unwrap_or(CommentStatus::Held.as_str());
    let reports = storage::reports::open_comment_reports(&state.db).await?;
    let statuses: Vec<CommentStatus> = match status {
        "reported" | "all" => vec![],
        other => vec![CommentStatus::parse(other)
            .ok_or_else(|| Error::Unprocessable(format!("unknown status {other}")))?],
    };
    let mut article_ids = match &filter.site {
        Some(slug) => {
            let site = state.site(slug).ok_or(Error::NotFound("site"))?;
            Some(storage::moderation::article_ids_of_site(&state.db, site.id).await?)
        }
        None => None,
    };
    if let Some(article) = filter.article {
        article_ids = Some(match article_ids {
            Some(ids) => ids.into_iter().filter(|id| *id == article).collect(),
            None => vec![article],
        });
    }
    let only =
        (status == "reported").then(|| reports.iter().map(|r| r.comment_id).collect::<Vec<_>>());
    let rows = storage::moderation::queue(&state.db, &statuses, article_ids, only, 500).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let verdict: Option<Verdict> = row
            .verdict
            .as_deref()
            .and_then(|v| serde_json::from_str(v).ok());
        if let Some(rule) = &filter.rule {
            if !verdict
                .as_ref()
                .is_some_and(|v| v.hits.iter().any(|h| &h.rule == rule))
            {
                continue;
            }
        }
        items.push(item(state, row, verdict, &reports).await?);
    }
    Ok(items)
}

async fn item(
    state: &AppState,
    row: comment::Model,
    verdict: Option<Verdict>,
    reports: &[storage::entities::comment_report::Model],
) -> Result<QueueItem> {
    let article = storage::articles::find(&state.db, row.article_id).await?;
    let author = match row.author_id {
        Some(id) => storage::actors::find_many(&state.db, vec![id]).await?.pop(),
        None => None,
    };
    Ok(QueueItem {
        site: article
            .as_ref()
            .and_then(|a| state.site_by_id(a.site_id))
            .map(|s| s.slug.clone())
            .unwrap_or_default(),
        article_url: article.map(|a| a.url).unwrap_or_default(),
        author_handle: author.as_ref().map(crate::services::remote::actors::handle),
        author: author.map(|a| a.ap_id),
        open_reports: reports.iter().filter(|r| r.comment_id == row.id).count(),
        published: from_millis(row.published).to_rfc3339_opts(SecondsFormat::Secs, true),
        id: row.id,
        ap_id: row.ap_id,
        article_id: row.article_id,
        content_html: row.content_html,
        summary: row.summary,
        status: row.status,
        verdict,
        moderation_reason: row.moderation_reason,
        moderation_note: row.moderation_note,
        moderated_by: row.moderated_by,
        suppressed_by: row.suppressed_by,
    })
}

async fn load(state: &AppState, id: i64) -> Result<comment::Model> {
    storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))
}

/// Publishes a comment. One that was held is approved federatedly: its author's server
/// gets an `Accept` naming a `ReplyAuthorization` (GoToSocial's reply approval).
pub async fn approve(state: &AppState, staff: &Staff, id: i64) -> Result<()> {
    staff.require(Role::Moderator)?;
    let comment = load(state, id).await?;
    let txn = state.db.begin().await?;
    storage::moderation::decide(&txn, id, Decision::publish(&staff.name, now_millis())).await?;
    storage::reports::resolve_comment_reports(&txn, id).await?;
    if comment.status == CommentStatus::Held {
        tell_author(state, &txn, &comment, true).await?;
    }
    staff
        .audit(
            &txn,
            "comment.approve",
            "comment",
            id,
            json!({"was": comment.status}),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

/// Hides a comment with the charter's reason and a note. A held one is refused
/// federatedly (`Reject`).
pub async fn hide(
    state: &AppState,
    staff: &Staff,
    id: i64,
    reason: &str,
    note: Option<&str>,
) -> Result<()> {
    staff.require(Role::Moderator)?;
    let reason = Reason::parse(reason).ok_or_else(|| {
        Error::Unprocessable(
            "reason: off_topic, repeated, promotional, abusive, illegal or other".into(),
        )
    })?;
    let comment = load(state, id).await?;
    let txn = state.db.begin().await?;
    storage::moderation::decide(
        &txn,
        id,
        Decision {
            status: CommentStatus::Hidden,
            reason: Some(reason.as_str()),
            note,
            by: &staff.name,
            now: now_millis(),
        },
    )
    .await?;
    storage::reports::resolve_comment_reports(&txn, id).await?;
    // A removed comment is no longer the newsroom's pick.
    crate::services::newsroom::highlights::remove(state, &txn, &comment).await?;
    if comment.status == CommentStatus::Held {
        tell_author(state, &txn, &comment, false).await?;
    }
    staff
        .audit(
            &txn,
            "comment.hide",
            "comment",
            id,
            json!({"was": comment.status, "reason": reason, "note": note}),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

/// Puts a hidden or rejected comment back (published).
pub async fn restore(state: &AppState, staff: &Staff, id: i64) -> Result<()> {
    staff.require(Role::Moderator)?;
    let comment = load(state, id).await?;
    let txn = state.db.begin().await?;
    storage::moderation::decide(&txn, id, Decision::publish(&staff.name, now_millis())).await?;
    staff
        .audit(
            &txn,
            "comment.restore",
            "comment",
            id,
            json!({"was": comment.status}),
        )
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a comment softly: a placeholder keeps its replies in place.
pub async fn delete(state: &AppState, staff: &Staff, id: i64) -> Result<()> {
    staff.require(Role::Moderator)?;
    let comment = load(state, id).await?;
    let txn = state.db.begin().await?;
    storage::comments::soft_delete(&txn, id, now_millis()).await?;
    storage::reports::resolve_comment_reports(&txn, id).await?;
    // A removed comment is no longer the newsroom's pick.
    crate::services::newsroom::highlights::remove(state, &txn, &comment).await?;
    crate::services::newsroom::replies::federate_delete(state, &txn, &comment).await?;
    if comment.status == CommentStatus::Held {
        tell_author(state, &txn, &comment, false).await?;
    }
    staff
        .audit(
            &txn,
            "comment.delete",
            "comment",
            id,
            json!({"was": comment.status}),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

/// Queues the approval (`Accept` + `ReplyAuthorization`) or refusal (`Reject`) of a
/// held reply for its author's server.
async fn tell_author<C: sea_orm::ConnectionTrait>(
    state: &AppState,
    db: &C,
    comment: &comment::Model,
    approved: bool,
) -> Result<()> {
    let Some(author) = (match comment.author_id {
        Some(id) => storage::actors::find_many(db, vec![id]).await?.pop(),
        None => None,
    }) else {
        return Ok(());
    };
    let Some(article) = storage::articles::find(db, comment.article_id).await? else {
        return Ok(());
    };
    let Some(site) = state.site_by_id(article.site_id) else {
        return Ok(());
    };
    let answer = if approved { "accept" } else { "reject" };
    let approval = approved.then(|| state.urls.approval(comment.id));
    let message = approval::reply_answer(approval::ReplyAnswer {
        id: &state.urls.new_activity(&site.slug, answer),
        actor: &state.urls.site_actor(&site.slug),
        author: &author.ap_id,
        reply: &comment.ap_id,
        in_reply_to: &comment.in_reply_to,
        approval: approval.as_deref(),
    });
    delivery::enqueue(db, site, &message, std::slice::from_ref(&author.inbox)).await?;
    Ok(())
}

/// Where a block came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlockScope {
    Actor,
    Domain,
}

/// Blocks the author (or their whole domain, `suspend`) of a comment: their other
/// comments disappear too, until the block is lifted.
pub async fn block_from_comment(
    state: &AppState,
    staff: &Staff,
    id: i64,
    scope: BlockScope,
    reason: Option<String>,
) -> Result<serde_json::Value> {
    staff.require(Role::Moderator)?;
    let comment = load(state, id).await?;
    let author = match comment.author_id {
        Some(a) => storage::actors::find_many(&state.db, vec![a]).await?.pop(),
        None => None,
    }
    .ok_or_else(|| Error::Unprocessable("a staff comment has no remote author".into()))?;
    match scope {
        BlockScope::Actor => block_actor(state, staff, &author.ap_id, reason).await,
        BlockScope::Domain => {
            // The author's `host[:port]`: the port goes when the domain is parsed.
            let domain = author.domain.clone();
            set_domain_policy(
                state,
                staff,
                DomainPolicyRequest {
                    domain,
                    severity: Severity::Suspend,
                    reject_media: false,
                    reject_reports: false,
                    public_comment: reason,
                    private_comment: None,
                    obfuscate: false,
                },
            )
            .await
        }
    }
}

/// Blocks an actor: refused from now on, their comments hidden (reversibly).
pub async fn block_actor(
    state: &AppState,
    staff: &Staff,
    actor: &str,
    reason: Option<String>,
) -> Result<serde_json::Value> {
    staff.require(Role::Moderator)?;
    let txn = state.db.begin().await?;
    let policy = storage::moderation::upsert_actor_policy(
        &txn,
        actor,
        ActorPolicyAction::Block,
        reason,
        now_millis(),
    )
    .await?;
    let hidden = match storage::actors::find_by_ap_id(&txn, actor).await? {
        Some(a) => {
            storage::moderation::suppress(&txn, vec![a.id], &format!("actor:{}", policy.id)).await?
        }
        None => 0,
    };
    staff
        .audit(
            &txn,
            "actor.block",
            "actor",
            actor,
            json!({"hidden": hidden}),
        )
        .await?;
    txn.commit().await?;
    Ok(json!({"policy": policy.id, "actor": actor, "action": policy.action, "hidden": hidden}))
}

/// Trusts an actor: the content rules are skipped for them.
pub async fn allow_actor(
    state: &AppState,
    staff: &Staff,
    actor: &str,
    reason: Option<String>,
) -> Result<serde_json::Value> {
    staff.require(Role::Moderator)?;
    let txn = state.db.begin().await?;
    let policy = storage::moderation::upsert_actor_policy(
        &txn,
        actor,
        ActorPolicyAction::Allow,
        reason,
        now_millis(),
    )
    .await?;
    let restored = storage::moderation::unsuppress(&txn, &format!("actor:{}", policy.id)).await?;
    staff
        .audit(
            &txn,
            "actor.allow",
            "actor",
            actor,
            json!({"restored": restored}),
        )
        .await?;
    txn.commit().await?;
    Ok(json!({"policy": policy.id, "actor": actor, "action": policy.action}))
}

/// Lifts an actor policy; a block's hidden comments come back.
pub async fn remove_actor_policy(state: &AppState, staff: &Staff, id: i64) -> Result<()> {
    staff.require(Role::Moderator)?;
    let txn = state.db.begin().await?;
    let policy = storage::moderation::delete_actor_policy(&txn, id)
        .await?
        .ok_or(Error::NotFound("actor policy"))?;
    let restored = storage::moderation::unsuppress(&txn, &format!("actor:{id}")).await?;
    staff
        .audit(
            &txn,
            "actor.unblock",
            "actor",
            &policy.actor_ap_id,
            json!({"restored": restored}),
        )
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Every domain policy, by domain (callers check the role: the API and the console
/// show them to moderators).
pub async fn domain_policies(state: &AppState) -> Result<Vec<domain_policy::Model>> {
    Ok(storage::moderation::domain_policies(&state.db).await?)
}

/// Every actor policy (blocks and allows).
pub async fn actor_policies(state: &AppState) -> Result<Vec<actor_policy::Model>> {
    Ok(storage::moderation::actor_policies(&state.db).await?)
}

/// A domain policy as set through the API (Mastodon's fields).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct DomainPolicyRequest {
    pub domain: String,
    pub severity: Severity,
    #[serde(default)]
    pub reject_media: bool,
    #[serde(default)]
    pub reject_reports: bool,
    #[serde(default)]
    pub public_comment: Option<String>,
    #[serde(default)]
    pub private_comment: Option<String>,
    #[serde(default)]
    pub obfuscate: bool,
}

/// Sets a domain policy. A suspend hides the domain's comments (and its subdomains')
/// until it is lifted; anything else shows them again.
pub async fn set_domain_policy(
    state: &AppState,
    staff: &Staff,
    req: DomainPolicyRequest,
) -> Result<serde_json::Value> {
    staff.require(Role::Moderator)?;
    let domain = DomainName::parse(&req.domain)?.into_string();
    let txn = state.db.begin().await?;
    let policy = storage::moderation::upsert_domain_policy(
        &txn,
        storage::moderation::NewDomainPolicy {
            domain: &domain,
            severity: req.severity,
            reject_media: req.reject_media,
            reject_reports: req.reject_reports,
            public_comment: req.public_comment.clone(),
            private_comment: req.private_comment.clone(),
            obfuscate: req.obfuscate,
            source: "local",
            now: now_millis(),
            digest: Some(crate::blocklists::digest(&domain)),
        },
    )
    .await?;
    let tag = format!("domain:{domain}");
    let changed = if req.severity == Severity::Suspend {
        let ids = storage::moderation::actor_ids_of_domain(&txn, &domain).await?;
        storage::moderation::suppress(&txn, ids, &tag).await?
    } else {
        storage::moderation::unsuppress(&txn, &tag).await?
    };
    crate::services::blocklists::published::publish(&txn, state, std::slice::from_ref(&domain))
        .await?;
    staff.audit(&txn, "domain.policy", "domain", &domain, json!({"severity": req.severity, "reject_media": req.reject_media, "reject_reports": req.reject_reports, "comments_changed": changed})).await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    judging::reload_domains(state).await?;
    Ok(
        json!({"id": policy.id, "domain": domain, "severity": req.severity, "reject_media": policy.reject_media,
              "reject_reports": policy.reject_reports, "comments_changed": changed}),
    )
}

/// Removes a domain policy; its hidden comments come back.
pub async fn remove_domain_policy(state: &AppState, staff: &Staff, domain: &str) -> Result<()> {
    staff.require(Role::Moderator)?;
    let domain = DomainName::parse(domain)?.into_string();
    let txn = state.db.begin().await?;
    if storage::moderation::delete_domain_policy(&txn, &domain).await? == 0 {
        return Err(Error::NotFound("domain policy"));
    }
    let restored = storage::moderation::unsuppress(&txn, &format!("domain:{domain}")).await?;
    crate::services::blocklists::published::publish(&txn, state, std::slice::from_ref(&domain))
        .await?;
    staff
        .audit(
            &txn,
            "domain.remove",
            "domain",
            &domain,
            json!({"restored": restored}),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    judging::reload_domains(state).await?;
    Ok(())
}

/// A site's mode and newcomer hold as stored (`None` for a site not stored yet).
pub async fn site_mode(state: &AppState, site_id: i64) -> Result<Option<(Mode, i32)>> {
    Ok(storage::sites::find(&state.db, site_id)
        .await?
        .map(|s| (s.moderation_mode, s.hold_new_authors)))
}

/// Sets a site's mode (and newcomer hold).
pub async fn set_site_mode(
    state: &AppState,
    staff: &Staff,
    slug: &str,
    mode: Mode,
    hold_new_authors: Option<u32>,
) -> Result<()> {
    staff.require(Role::Moderator)?;
    let site = state.site(slug).ok_or(Error::NotFound("site"))?;
    let txn = state.db.begin().await?;
    storage::moderation::set_site_mode(
        &txn,
        site.id,
        mode,
        hold_new_authors.map(|n| n.min(1000) as i32),
    )
    .await?;
    staff
        .audit(
            &txn,
            "site.moderation",
            "site",
            slug,
            json!({"mode": mode, "hold_new_authors": hold_new_authors}),
        )
        .await?;
    txn.commit().await?;
    state.moderation.forget_rules(Some(site.id));
    Ok(())
}

/// Sets (or with `None` clears) an article's own mode.
pub async fn set_article_mode(
    state: &AppState,
    staff: &Staff,
    id: i64,
    mode: Option<Mode>,
) -> Result<()> {
    staff.require(Role::Moderator)?;
    storage::articles::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    let txn = state.db.begin().await?;
    storage::moderation::set_article_mode(&txn, id, mode).await?;
    staff
        .audit(
            &txn,
            "article.moderation",
            "article",
            id,
            json!({"mode": mode}),
        )
        .await?;
    txn.commit().await?;
    Ok(())
}

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

/// A comment as the console shows it in its context: its article, the rules that
/// fired, and the author's latest comments.
pub struct CommentDetail {
    pub comment: comment::Model,
    pub article: article::Model,
    pub verdict: Option<Verdict>,
    pub by_author: Vec<comment::Model>,
}

/// A comment in its context (callers check the role).
pub async fn comment_detail(state: &AppState, id: i64) -> Result<CommentDetail> {
    let comment = storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    let article = storage::articles::find(&state.db, comment.article_id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    let verdict = comment
        .verdict
        .as_deref()
        .and_then(|v| serde_json::from_str::<Verdict>(v).ok());
    let by_author = match comment.author_id {
        Some(author) => storage::moderation::recent_by_author(&state.db, author, 20).await?,
        None => Vec::new(),
    };
    Ok(CommentDetail {
        comment,
        article,
        verdict,
        by_author,
    })
}

/// An audit entry as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub who: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub details: serde_json::Value,
    pub at: String,
}

pub async fn audit_log(state: &AppState, staff: &Staff) -> Result<Vec<AuditView>> {
    staff.require(Role::Moderator)?;
    Ok(storage::staff::audit_log(&state.db, 500)
        .await?
        .into_iter()
        .map(|a| AuditView {
            id: a.id,
            who: a.who,
            action: a.action,
            target_type: a.target_type,
            target_id: a.target_id,
            details: serde_json::from_str(&a.details).unwrap_or_default(),
            at: from_millis(a.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
        })
        .collect())
}
