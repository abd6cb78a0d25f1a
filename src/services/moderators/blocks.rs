//! Blocking an author or a domain from one of their comments (retroactive: what they
//! wrote is hidden; reversible), and the actor policies (block or allow).

use super::load;
use super::policies::{set_domain_policy, DomainPolicyRequest};
use crate::services::staff::{Role, Staff};
use crate::{
    domain::{now_millis, ActorPolicyAction},
    error::{Error, Result},
    moderation::Severity,
    state::AppState,
    storage::{self, entities::actor_policy},
};
use sea_orm::TransactionTrait;
use serde::Deserialize;
use serde_json::json;

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

/// Every actor policy (blocks and allows).
pub async fn actor_policies(state: &AppState) -> Result<Vec<actor_policy::Model>> {
    Ok(storage::moderation::actor_policies(&state.db).await?)
}
