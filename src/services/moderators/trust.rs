//! Trusted and watched authors: the level a moderator gives one author (stored as their
//! actor policy, `allow` or `watch`), set from the API or the author's card and
//! audited, and read back for the queue and the card. What a level does to a verdict
//! is `moderation::rules::actor`'s.
//!
//! A level never lifts a block: a blocked author is refused (409) until the block is
//! lifted, and a block set later replaces the level. Only authors Tribune has seen get
//! a level (404 otherwise), so a mistyped id leaves no policy behind.

use super::load;
use crate::services::staff::{Role, Staff};
use crate::{
    domain::{now_millis, ActorPolicyAction, TrustLevel},
    error::{Error, Result},
    state::AppState,
    storage,
};
use sea_orm::TransactionTrait;
use serde::Serialize;
use serde_json::json;

/// Longest reason kept with a level (characters).
pub const MAX_REASON: usize = 500;

/// An author's level as the API answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuthorTrust {
    /// The actor's id.
    pub actor: String,
    pub level: TrustLevel,
    /// Why, as the moderator wrote it (shown to staff only).
    pub reason: Option<String>,
}

/// Sets an author's level (`normal` removes it); moderators and up, like blocks.
pub async fn set_trust(
    state: &AppState,
    staff: &Staff,
    actor: &str,
    level: TrustLevel,
    reason: Option<String>,
) -> Result<AuthorTrust> {
    staff.require(Role::Moderator)?;
    let reason = reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON)
    {
        return Err(Error::Unprocessable(format!(
            "reason: {MAX_REASON} characters at most"
        )));
    }
    let txn = state.db.begin().await?;
    storage::actors::find_by_ap_id(&txn, actor)
        .await?
        .ok_or(Error::NotFound("author"))?;
    let blocked = || Error::Conflict("the author is blocked: lift the block first".into());
    let current = storage::moderation::actor_policy(&txn, actor).await?;
    let from = match current.map(|p| p.action) {
        Some(ActorPolicyAction::Block) => return Err(blocked()),
        Some(action) => TrustLevel::of(action).unwrap_or(TrustLevel::Normal),
        None => TrustLevel::Normal,
    };
    // The reason is kept with a level; going back to normal keeps it in the audit only.
    let kept = reason.clone().filter(|_| level != TrustLevel::Normal);
    match level.policy() {
        Some(action) => {
            let stored = storage::moderation::set_actor_level(
                &txn,
                actor,
                action,
                kept.clone(),
                now_millis(),
            )
            .await?;
            // A block that landed since the read above is kept, and said.
            if stored.action == ActorPolicyAction::Block {
                return Err(blocked());
            }
        }
        None => {
            storage::moderation::clear_actor_level(&txn, actor).await?;
        }
    }
    staff
        .audit(
            &txn,
            "author.trust",
            "actor",
            actor,
            json!({"from": from, "to": level, "reason": reason}),
        )
        .await?;
    txn.commit().await?;
    Ok(AuthorTrust {
        actor: actor.to_string(),
        level,
        reason: kept,
    })
}

/// Sets the level of a comment's author (the console's author card).
pub async fn set_trust_of_author(
    state: &AppState,
    staff: &Staff,
    comment_id: i64,
    level: TrustLevel,
    reason: Option<String>,
) -> Result<AuthorTrust> {
    staff.require(Role::Moderator)?;
    let comment = load(state, comment_id).await?;
    let author = match comment.author_id {
        Some(a) => storage::actors::find_many(&state.db, vec![a]).await?.pop(),
        None => None,
    }
    .ok_or_else(|| Error::Unprocessable("a staff comment has no remote author".into()))?;
    set_trust(state, staff, &author.ap_id, level, reason).await
}

/// Every trusted and watched author, in the order they were first marked.
pub async fn trust_levels(state: &AppState, staff: &Staff) -> Result<Vec<AuthorTrust>> {
    staff.require(Role::Moderator)?;
    Ok(storage::moderation::actor_policies(&state.db)
        .await?
        .into_iter()
        .filter_map(|p| {
            Some(AuthorTrust {
                level: TrustLevel::of(p.action)?,
                actor: p.actor_ap_id,
                reason: p.reason,
            })
        })
        .collect())
}
