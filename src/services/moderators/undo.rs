//! Undoing a decision for a few seconds after it was taken: the flash "Masqué —
//! Annuler" names the audit rows of what was just done, and the same moderator puts
//! each comment back as it was, while nothing else happened to it since; the reports
//! it settled are open again. The undo is audited too. What went to other servers meanwhile (a `Reject` to a held reply's
//! author) is not called back.

use crate::services::staff::{Role, Staff};
use crate::{
    domain::{now_millis, CommentStatus},
    error::{Error, Result},
    state::AppState,
    storage,
};
use sea_orm::TransactionTrait;
use serde_json::{json, Value};

/// How long a decision can be undone (milliseconds).
pub const WINDOW_MS: i64 = 30_000;

/// The decisions an undo can reverse: they change a status, nothing else.
const UNDOABLE: [&str; 4] = [
    "comment.hide",
    "comment.approve",
    "comment.reject",
    "comment.restore",
];

/// At most this many decisions are undone at once (a bulk action's page).
pub const MAX_AT_ONCE: usize = 500;

/// Undoes the decisions of these audit rows (all or none): each must be this staff
/// member's own, undoable, within the window, and still the last thing done to its
/// comment. The comments undone.
pub async fn undo(state: &AppState, staff: &Staff, audit_ids: &[i64]) -> Result<Vec<i64>> {
    staff.require(Role::Moderator)?;
    if audit_ids.is_empty() || audit_ids.len() > MAX_AT_ONCE {
        return Err(Error::Unprocessable(format!(
            "undo: 1 to {MAX_AT_ONCE} decisions"
        )));
    }
    let now = now_millis();
    let txn = state.db.begin().await?;
    let mut undone = Vec::with_capacity(audit_ids.len());
    for &audit_id in audit_ids {
        let too_late = || Error::Conflict("this decision can no longer be undone".into());
        let entry = storage::console::audit_entry(&txn, audit_id)
            .await?
            .ok_or(Error::NotFound("decision"))?;
        if entry.moderator_id.is_none() || entry.moderator_id != staff.id || entry.who != staff.name
        {
            return Err(Error::Forbidden(
                "only who took a decision can undo it".into(),
            ));
        }
        if !UNDOABLE.contains(&entry.action.as_str()) || entry.target_type != "comment" {
            return Err(Error::Unprocessable(
                "this decision cannot be undone".into(),
            ));
        }
        if now - entry.created_at > WINDOW_MS {
            return Err(too_late());
        }
        let latest = storage::console::latest_audit_of(&txn, "comment", &entry.target_id)
            .await?
            .map(|e| e.id);
        if latest != Some(entry.id) {
            return Err(too_late());
        }
        let id: i64 = entry
            .target_id
            .parse()
            .map_err(|_| Error::NotFound("comment"))?;
        let detail: Value = serde_json::from_str(&entry.details).unwrap_or_default();
        let text = |k: &str| detail.get(k).and_then(Value::as_str).map(str::to_string);
        let was = text("was")
            .as_deref()
            .and_then(CommentStatus::parse)
            .ok_or_else(too_late)?;
        storage::console::put_back(
            &txn,
            id,
            was,
            text("was_reason"),
            text("was_note"),
            text("was_by"),
            detail.get("was_at").and_then(Value::as_i64),
        )
        .await?;
        let reports: Vec<i64> = detail
            .get("resolved_reports")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        storage::console::reopen_reports(&txn, reports).await?;
        staff
            .audit(
                &txn,
                "comment.undo",
                "comment",
                id,
                json!({"undoes": entry.id, "action": entry.action, "back_to": was}),
            )
            .await?;
        undone.push(id);
    }
    txn.commit().await?;
    Ok(undone)
}
