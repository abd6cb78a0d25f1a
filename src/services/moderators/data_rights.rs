//! Data rights of the people who comment from other servers: an admin exports all we
//! hold about one remote actor (access request) or erases it (erasure request), with
//! tombstones left so threads stay readable.

use crate::services::staff::{Role, Staff};
use crate::{
    domain::{from_millis, now_millis},
    error::{Error, Result},
    federation::protocol::export,
    state::AppState,
    storage,
};
use sea_orm::TransactionTrait;
use serde_json::{json, Value};

fn time(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn actor(state: &AppState, ap_id: &str) -> Result<storage::entities::remote_actor::Model> {
    storage::actors::find_by_ap_id(&state.db, ap_id.trim())
        .await?
        .ok_or(Error::NotFound("actor"))
}

/// Everything we hold about the actor, as JSON.
pub async fn export(state: &AppState, staff: &Staff, ap_id: &str) -> Result<Value> {
    staff.require(Role::Admin)?;
    let holdings = storage::data_rights::holdings(&state.db, actor(state, ap_id).await?).await?;
    let a = &holdings.actor;
    let comments: Vec<Value> = holdings
        .comments
        .iter()
        .map(|(c, revisions)| {
            json!({
                "id": c.ap_id, "url": c.url, "in_reply_to": c.in_reply_to,
                "article": state.urls.article(c.article_id),
                "content_html": c.content_html, "summary": c.summary,
                "language": c.language, "attachments": serde_json::from_str::<Value>(&c.attachments).unwrap_or_default(),
                "published": time(c.published), "edited": c.edited_at.map(time),
                "deleted": c.deleted_at.map(time), "status": c.status,
                "moderation_reason": c.moderation_reason,
                "earlier_versions": revisions.iter().map(|r| json!({
                    "content_html": r.content_html, "summary": r.summary, "until": time(r.revised_at)
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    staff
        .audit(
            &state.db,
            "actor.export",
            "actor",
            &a.ap_id,
            json!({"comments": comments.len()}),
        )
        .await?;
    Ok(json!({
        "actor": export::actor(export::StoredActor {
            id: &a.ap_id,
            kind: &a.kind,
            preferred_username: a.preferred_username.as_deref(),
            name: a.name.as_deref(),
            url: a.url.as_deref(),
            avatar: a.avatar_url.as_deref(),
            inbox: &a.inbox,
            published: a.published.map(time),
            first_seen: time(a.fetched_at),
            deleted: a.deleted_at.map(time),
            moved_to: a.moved_to.as_deref(),
        }),
        "comments": comments,
        "reactions": holdings.reactions.iter().map(|r| {
            export::reaction(&r.kind, &r.object_ap_id, &r.activity_id, time(r.created_at))
        }).collect::<Vec<_>>(),
        "reports": holdings.reports.iter().map(|r| json!({
            "activity": r.activity_id, "content": r.content, "at": time(r.created_at)
        })).collect::<Vec<_>>(),
        "follows": holdings.follows.iter().map(|f| json!({
            "site": state.site_by_id(f.site_id).map(|s| state.urls.site_actor(&s.slug)),
            "since": time(f.created_at)
        })).collect::<Vec<_>>(),
    }))
}

/// Erases the actor's data; returns how many comments became tombstones.
pub async fn erase(state: &AppState, staff: &Staff, ap_id: &str) -> Result<Value> {
    staff.require(Role::Admin)?;
    let actor = actor(state, ap_id).await?;
    let txn = state.db.begin().await?;
    let erased = storage::data_rights::erase(&txn, &actor, now_millis()).await?;
    staff
        .audit(
            &txn,
            "actor.erase",
            "actor",
            &actor.ap_id,
            json!({"comments": erased}),
        )
        .await?;
    txn.commit().await?;
    Ok(json!({"actor": actor.ap_id, "comments_erased": erased}))
}
