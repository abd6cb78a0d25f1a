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
