//! Staff: moderators with roles (admin > moderator > editor), passwords hashed with
//! argon2, API tokens stored as SHA-256 hashes, and the audit log every action writes.

use crate::{
    domain::now_millis,
    error::{Error, Result},
    state::AppState,
    storage::{self, staff::AuditRecord},
};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

/// What a staff member may do; each role includes the ones below it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Highlights comments, replies as staff, registers articles.
    Editor,
    /// Works the queue: approves, hides, deletes, blocks; edits rules and modes.
    Moderator,
    /// Everything, including staff accounts.
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "editor" => Some(Self::Editor),
            "moderator" => Some(Self::Moderator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Editor => "editor",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }
}

/// Who is acting.
#[derive(Debug, Clone)]
pub struct Staff {
    /// `None` for the configured bootstrap token.
    pub id: Option<i64>,
    pub name: String,
    pub display_name: String,
    pub role: Role,
}

impl Staff {
    /// 403 unless the role is at least `needed`.
    pub fn require(&self, needed: Role) -> Result<()> {
        if self.role >= needed {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "this needs the {} role",
                needed.as_str()
            )))
        }
    }

    /// Writes an audit entry for an action of this staff member.
    pub async fn audit<C: ConnectionTrait>(
        &self,
        db: &C,
        action: &str,
        target_type: &str,
        target_id: impl ToString,
        details: serde_json::Value,
    ) -> Result<()> {
        storage::staff::audit(
            db,
            AuditRecord {
                moderator_id: self.id,
                who: &self.name,
                action,
                target_type,
                target_id: &target_id.to_string(),
                details,
                now: now_millis(),
            },
        )
        .await?;
        Ok(())
    }
}

fn sha256_hex(token: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, token.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The staff member a bearer token belongs to: the configured bootstrap token (admin),
/// or a stored token of an enabled account.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Staff> {
    let token = token.trim();
    let configured = &state.settings.admin.token;
    // Compared through their hashes, so timing says nothing about the token.
    if !configured.is_empty() && sha256_hex(token) == sha256_hex(configured) {
        return Ok(Staff {
            id: None,
            name: "bootstrap".into(),
            display_name: "Administrator".into(),
            role: Role::Admin,
        });
    }
    let moderator = storage::staff::moderator_by_token(&state.db, &sha256_hex(token))
        .await?
        .filter(|m| !m.disabled)
        .ok_or_else(|| Error::Unauthorized("invalid token".into()))?;
    Ok(Staff {
        id: Some(moderator.id),
        role: Role::parse(&moderator.role).unwrap_or(Role::Editor),
        name: moderator.username,
        display_name: moderator.display_name,
    })
}

/// A new staff account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewStaff {
    pub username: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// A staff account as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// Creates a staff account (admins only).
pub async fn create(state: &AppState, by: &Staff, new: NewStaff) -> Result<StaffView> {
    by.require(Role::Admin)?;
    let username = new.username.trim().to_ascii_lowercase();
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    {
        return Err(Error::Unprocessable(
            "username: letters, digits, _ - . only".into(),
        ));
    }
    if new.password.chars().count() < 10 {
        return Err(Error::Unprocessable(
            "password: at least 10 characters".into(),
        ));
    }
    let password = new.password.clone();
    let hash = tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?
    .map_err(|e| Error::Internal(anyhow::anyhow!("argon2: {e}")))?;
    let display = new.display_name.unwrap_or_else(|| username.clone());
    let row = storage::staff::insert_moderator(
        &state.db,
        &username,
        &display,
        &hash,
        new.role.as_str(),
        now_millis(),
    )
    .await
    .map_err(|e| match crate::error::is_unique_violation(&e) {
        true => Error::Conflict(format!("{username} exists")),
        false => e.into(),
    })?;
    by.audit(
        &state.db,
        "staff.create",
        "moderator",
        row.id,
        serde_json::json!({"username": username, "role": new.role}),
    )
    .await?;
    Ok(StaffView {
        id: row.id,
        username: row.username,
        display_name: row.display_name,
        role: new.role,
    })
}

/// Trades a username and password for a new API token (shown once).
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    token_name: &str,
) -> Result<String> {
    let refused = || Error::Unauthorized("wrong username or password".into());
    let moderator =
        storage::staff::find_moderator_by_name(&state.db, &username.trim().to_ascii_lowercase())
            .await?
            .filter(|m| !m.disabled)
            .ok_or_else(refused)?;
    let hash = moderator.password_hash.clone();
    let password = password.to_string();
    let valid = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?;
    if !valid {
        return Err(refused());
    }
    issue_token(state, moderator.id, token_name).await
}

/// Issues a token for a staff account.
pub async fn issue_token(state: &AppState, moderator_id: i64, name: &str) -> Result<String> {
    let mut bytes = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .map_err(|_| Error::Internal(anyhow::anyhow!("no randomness")))?;
    let token = format!("trb_{}", URL_SAFE_NO_PAD.encode(bytes));
    storage::staff::insert_token(
        &state.db,
        moderator_id,
        &sha256_hex(&token),
        name,
        now_millis(),
    )
    .await?;
    Ok(token)
}

pub async fn list(state: &AppState) -> Result<Vec<StaffView>> {
    Ok(storage::staff::moderators(&state.db)
        .await?
        .into_iter()
        .map(|m| StaffView {
            id: m.id,
            role: Role::parse(&m.role).unwrap_or(Role::Editor),
            username: m.username,
            display_name: m.display_name,
        })
        .collect())
}

/// The CSRF token of a console session: derived from the session's token, so nothing
/// more is stored and it dies with the session.
pub fn csrf_of(session_token: &str) -> String {
    sha256_hex(&format!("csrf:{session_token}"))[..32].to_string()
}

/// Ends a session (or revokes a token).
pub async fn revoke(state: &AppState, token: &str) -> Result<()> {
    storage::staff::delete_token(&state.db, &sha256_hex(token)).await?;
    Ok(())
}

/// Creates a staff account from the command line (no one is signed in yet).
pub async fn create_from_cli(state: &AppState, new: NewStaff) -> Result<StaffView> {
    let cli = Staff {
        id: None,
        name: "cli".into(),
        display_name: "Command line".into(),
        role: Role::Admin,
    };
    create(state, &cli, new).await
}
