//! Domain policies (suspend, silence, noop: Mastodon's severities) and the moderation
//! modes of sites and articles.

use crate::services::{
    judging::{self},
    staff::{Role, Staff},
};
use crate::{
    domain::{now_millis, DomainName},
    error::{Error, Result},
    moderation::{Mode, Severity},
    state::AppState,
    storage::{self, entities::domain_policy},
};
use sea_orm::TransactionTrait;
use serde::Deserialize;
use serde_json::json;

/// Every domain policy, by domain (callers check the role: the API and the console
/// show them to moderators).
pub async fn domain_policies(state: &AppState) -> Result<Vec<domain_policy::Model>> {
    Ok(storage::moderation::domain_policies(&state.db).await?)
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
    let digest = Some(crate::blocklists::digest(&domain));
    let severity = req.severity;
    let (policy, changed) = write_domain_policy(
        state,
        staff,
        PolicyWrite {
            domain,
            digest,
            req,
        },
        false,
    )
    .await?
    .ok_or_else(|| Error::Internal(anyhow::anyhow!("an upsert wrote nothing")))?;
    Ok(
        json!({"id": policy.id, "domain": policy.domain, "severity": severity, "reject_media": policy.reject_media,
              "reject_reports": policy.reject_reports, "comments_changed": changed}),
    )
}

/// A policy to write: its domain as stored (parsed, or an obfuscated entry's name as
/// it came), its digest, and the rest of the request (whose `domain` is not read).
pub(crate) struct PolicyWrite {
    pub domain: String,
    pub digest: Option<String>,
    pub req: DomainPolicyRequest,
}

/// Writes a domain policy and its effects in one transaction — comments hidden or
/// shown again, the published list, the audit entry with the staff member — then
/// reloads the judges' domains: the one path of the console, the API and Mastodon's
/// admin API. With `only_new`, nothing happens (`None`) when the domain has a policy.
/// The caller checks the role.
pub(crate) async fn write_domain_policy(
    state: &AppState,
    staff: &Staff,
    write: PolicyWrite,
    only_new: bool,
) -> Result<Option<(domain_policy::Model, u64)>> {
    let PolicyWrite {
        domain,
        digest,
        req,
    } = write;
    let txn = state.db.begin().await?;
    let new = storage::moderation::NewDomainPolicy {
        domain: &domain,
        severity: req.severity,
        reject_media: req.reject_media,
        reject_reports: req.reject_reports,
        public_comment: req.public_comment.clone(),
        private_comment: req.private_comment.clone(),
        obfuscate: req.obfuscate,
        source: "local",
        now: now_millis(),
        digest,
    };
    let policy = if only_new {
        match storage::domain_blocks::insert_if_new(&txn, new).await? {
            Some(policy) => policy,
            None => return Ok(None),
        }
    } else {
        storage::moderation::upsert_domain_policy(&txn, new).await?
    };
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
    Ok(Some((policy, changed)))
}

/// Removes a domain policy; its hidden comments come back.
pub async fn remove_domain_policy(state: &AppState, staff: &Staff, domain: &str) -> Result<()> {
    staff.require(Role::Moderator)?;
    let domain = DomainName::parse(domain)?.into_string();
    lift_domain_policy(state, staff, &domain).await
}

/// Removes the policy of `domain` as stored (404 when there is none), with its effects
/// and audit entry. The caller checks the role.
pub(crate) async fn lift_domain_policy(
    state: &AppState,
    staff: &Staff,
    domain: &str,
) -> Result<()> {
    let txn = state.db.begin().await?;
    if storage::moderation::delete_domain_policy(&txn, domain).await? == 0 {
        return Err(Error::NotFound("domain policy"));
    }
    let restored = storage::moderation::unsuppress(&txn, &format!("domain:{domain}")).await?;
    crate::services::blocklists::published::publish(&txn, state, &[domain.to_string()]).await?;
    staff
        .audit(
            &txn,
            "domain.remove",
            "domain",
            domain,
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
