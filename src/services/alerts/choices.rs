//! What each staff member gets: per event, an e-mail immediately, a place in the
//! digest, or nothing (the default), sent to their address (`moderators.email`).
//! Members set their own through the API or the console; admins and the command line
//! set anyone's address.

use crate::{
    error::{Error, Invalid, Result},
    services::staff::{Role, Staff},
    state::AppState,
    storage,
};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The modes a member may choose for an event.
pub const MODES: &[&str] = &["immediate", "digest", "off"];

/// A member's alerts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AlertChoices {
    /// Where e-mails go (none: no e-mail).
    pub email: Option<String>,
    /// Per event: `immediate`, `digest` or `off`.
    pub events: BTreeMap<String, String>,
    /// Whether the server can send e-mail at all (an `[smtp]` section).
    pub smtp: bool,
}

/// A change of one's alerts; what is absent stays.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeChoices {
    /// A new address; `""` removes it.
    #[serde(default)]
    pub email: Option<String>,
    /// Per event: `immediate`, `digest` or `off`.
    #[serde(default)]
    pub events: BTreeMap<String, String>,
}

fn own_id(staff: &Staff) -> Result<i64> {
    staff.id.ok_or_else(|| {
        Error::Forbidden("alerts belong to a staff account, not the bootstrap token".into())
    })
}

/// One's own alerts.
pub async fn mine(state: &AppState, staff: &Staff) -> Result<AlertChoices> {
    let id = own_id(staff)?;
    let member = storage::staff::find_moderator(&state.db, id)
        .await?
        .ok_or(Error::NotFound("staff account"))?;
    let mut events: BTreeMap<String, String> = super::EVENTS
        .iter()
        .map(|e| (e.to_string(), "off".to_string()))
        .collect();
    for choice in storage::alerts::choices(&state.db, id).await? {
        events.insert(choice.event, choice.mode);
    }
    Ok(AlertChoices {
        email: member.email,
        events,
        smtp: state.settings.smtp.is_some(),
    })
}

/// Changes one's own alerts: 422 naming the field for an unknown event or mode, or an
/// address that is not one.
pub async fn change(state: &AppState, staff: &Staff, req: ChangeChoices) -> Result<AlertChoices> {
    let id = own_id(staff)?;
    let email = req
        .email
        .as_deref()
        .map(crate::services::staff::checked_email)
        .transpose()?;
    for (event, mode) in &req.events {
        if !super::EVENTS.contains(&event.as_str()) {
            return Err(Invalid::field("events", "error-webhook-event")
                .with("event", event.chars().take(64).collect::<String>())
                .into());
        }
        if !MODES.contains(&mode.as_str()) {
            return Err(Invalid::field(&format!("events.{event}"), "error-alert-mode").into());
        }
    }
    let member = storage::staff::find_moderator(&state.db, id)
        .await?
        .ok_or(Error::NotFound("staff account"))?;
    let txn = state.db.begin().await?;
    if let Some(email) = email {
        storage::alerts::set_email(&txn, id, email.as_deref()).await?;
    }
    for (event, mode) in &req.events {
        storage::alerts::choose(&txn, id, event, mode).await?;
    }
    // A first digest covers what happens from now on, not the whole history.
    if member.digest_after.is_none() {
        let last = storage::alerts::last_event_id(&txn).await?;
        storage::alerts::set_digest_after(&txn, id, last).await?;
    }
    txn.commit().await?;
    mine(state, staff).await
}

/// Sets a member's address (admins; the command line acts as one).
pub async fn set_email_of(
    state: &AppState,
    by: &Staff,
    username: &str,
    email: &str,
) -> Result<Option<String>> {
    by.require(Role::Admin)?;
    let account =
        storage::staff::find_moderator_by_name(&state.db, &username.trim().to_ascii_lowercase())
            .await?
            .ok_or(Error::NotFound("staff account"))?;
    let email = crate::services::staff::checked_email(email)?;
    storage::alerts::set_email(&state.db, account.id, email.as_deref()).await?;
    by.audit(
        &state.db,
        "staff.email",
        "moderator",
        account.id,
        serde_json::json!({"username": account.username}),
    )
    .await?;
    Ok(email)
}
