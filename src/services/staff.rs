//! Staff: moderators with roles (admin > moderator > editor), passwords hashed with
//! argon2 (behind the login guard), API tokens and console sessions stored as SHA-256
//! hashes with an expiry checked on every request, and the audit log every action writes.

use crate::{
    domain::now_millis,
    error::{Error, Result},
    state::AppState,
    storage::{self, staff::AuditRecord},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

pub use crate::domain::Role;

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

    /// Writes an audit entry for an action of this staff member; its id.
    pub async fn audit<C: ConnectionTrait>(
        &self,
        db: &C,
        action: &str,
        target_type: &str,
        target_id: impl ToString,
        details: serde_json::Value,
    ) -> Result<i64> {
        let id = storage::staff::audit(
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
        Ok(id)
    }
}

fn sha256(token: &str) -> ring::digest::Digest {
    ring::digest::digest(&ring::digest::SHA256, token.as_bytes())
}

fn sha256_hex(token: &str) -> String {
    crate::domain::sha256_hex(token.as_bytes())
}

/// Equality of two byte strings in time that depends on their length only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Whether `given` is the configured secret (the bootstrap admin token, the metrics
/// token): compared through their hashes and in constant time, so neither the timing
/// nor the length of the answer says anything about the secret.
pub fn secret_matches(given: &str, configured: &str) -> bool {
    constant_time_eq(sha256(given).as_ref(), sha256(configured).as_ref())
}

/// What a stored token is for: a bearer token of the API or a console cookie. Each is
/// accepted only where it belongs, and lives by its own clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Api,
    Session,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Session => "session",
        }
    }
}

/// Whether a stored token still works at `now` (Unix ms). Tokens end at their
/// `expires_at` (rows from before expiries: `created_at` plus the current lifetime);
/// sessions also end after `session_idle_secs` without use.
pub fn token_alive(
    settings: &crate::config::AuthSettings,
    kind: TokenKind,
    created_at: i64,
    last_used_at: Option<i64>,
    expires_at: Option<i64>,
    now: i64,
) -> bool {
    let lifetime = match kind {
        TokenKind::Api => settings.token_ttl_secs,
        TokenKind::Session => settings.session_max_secs,
    };
    let expires = expires_at.unwrap_or_else(|| created_at.saturating_add(lifetime * 1000));
    if now >= expires {
        return false;
    }
    match kind {
        TokenKind::Api => true,
        TokenKind::Session => {
            let last = last_used_at.unwrap_or(created_at);
            now.saturating_sub(last) < settings.session_idle_secs.saturating_mul(1000)
        }
    }
}

/// The staff member a bearer token belongs to: the configured bootstrap token (admin),
/// or an unexpired API token of an enabled account.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Staff> {
    let token = token.trim();
    let configured = state.settings.admin.token.trim();
    if !configured.is_empty() && secret_matches(token, configured) {
        return Ok(Staff {
            id: None,
            name: "bootstrap".into(),
            display_name: "Administrator".into(),
            role: Role::Admin,
        });
    }
    by_token(state, token, TokenKind::Api).await
}

/// The staff member of a console session cookie (never the bootstrap token, never an
/// API token).
pub async fn authenticate_session(state: &AppState, token: &str) -> Result<Staff> {
    by_token(state, token.trim(), TokenKind::Session).await
}

async fn by_token(state: &AppState, token: &str, kind: TokenKind) -> Result<Staff> {
    let refused = || Error::Unauthorized("invalid or expired token".into());
    let hash = sha256_hex(token);
    let (row, moderator) = storage::staff::token_and_moderator(&state.db, &hash, kind.as_str())
        .await?
        .ok_or_else(refused)?;
    let now = now_millis();
    let auth = &state.settings.auth;
    if !token_alive(
        auth,
        kind,
        row.created_at,
        row.last_used_at,
        row.expires_at,
        now,
    ) {
        // Dead for good: no reason to keep the row until the next purge.
        storage::staff::delete_token(&state.db, &hash).await?;
        return Err(refused());
    }
    if moderator.disabled {
        return Err(refused());
    }
    // Idle expiry counts from the last use; written at most every minute (or a quarter
    // of the idle time), not on every request.
    let every = (auth.session_idle_secs * 1000 / 4).clamp(1, 60_000);
    if row.last_used_at.is_none_or(|last| now - last >= every) {
        storage::staff::touch_token(&state.db, row.id, now).await?;
    }
    Ok(Staff {
        id: Some(moderator.id),
        role: moderator.role,
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
    /// Where their alerts are e-mailed (optional).
    #[serde(default)]
    pub email: Option<String>,
}

/// A checked address (`None` for an empty one).
pub fn checked_email(email: &str) -> Result<Option<String>> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(None);
    }
    if email.len() > 254 || email.parse::<lettre::Address>().is_err() {
        return Err(crate::error::Invalid::field("email", "error-email-invalid").into());
    }
    Ok(Some(email.to_string()))
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
    // It names a journalist's actor (`/staff/{username}`): `.` and `..` would be paths.
    if !username.starts_with(|c: char| c.is_ascii_alphanumeric())
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    {
        return Err(Error::Unprocessable(
            "username: letters, digits, _ - . only, starting with a letter or digit".into(),
        ));
    }
    if new.password.chars().count() < 10 {
        return Err(Error::Unprocessable(
            "password: at least 10 characters".into(),
        ));
    }
    let email = match new.email.as_deref() {
        Some(email) => checked_email(email)?,
        None => None,
    };
    let hash = state.logins.hash(&new.password).await?;
    let display = new.display_name.unwrap_or_else(|| username.clone());
    let row = storage::staff::insert_moderator(
        &state.db,
        &username,
        &display,
        &hash,
        new.role,
        now_millis(),
    )
    .await
    .map_err(|e| match crate::error::is_unique_violation(&e) {
        true => Error::Conflict(format!("{username} exists")),
        false => e.into(),
    })?;
    if email.is_some() {
        storage::alerts::set_email(&state.db, row.id, email.as_deref()).await?;
    }
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

/// Trades a username and password for a new token of `kind` (shown once). 429 with
/// `Retry-After` past the address's rate, during the username's backoff, or when no
/// hashing slot frees in time; an unknown or disabled username costs the same hash.
pub async fn login(
    state: &AppState,
    from: IpAddr,
    username: &str,
    password: &str,
    kind: TokenKind,
    token_name: &str,
) -> Result<String> {
    let username = username.trim().to_ascii_lowercase();
    // Names longer than any account's are not worth a map entry.
    let username: String = username.chars().take(64).collect();
    state.logins.admit(from, &username)?;
    let moderator = storage::staff::find_moderator_by_name(&state.db, &username)
        .await?
        .filter(|m| !m.disabled);
    let stored = moderator.as_ref().map(|m| m.password_hash.clone());
    let valid = state.logins.verify(password, stored).await?;
    let Some(moderator) = moderator.filter(|_| valid) else {
        state.logins.failed(&username);
        // Debug-formatted: a username is the caller's text and may hold newlines.
        tracing::info!(%from, username = ?username, "failed staff sign-in");
        return Err(Error::Unauthorized("wrong username or password".into()));
    };
    state.logins.succeeded(&username);
    purge_expired(state).await?;
    issue_token(state, moderator.id, kind, token_name).await
}

/// Deletes expired tokens and sessions (run at each sign-in, so the table holds only
/// live rows plus those that died since).
pub async fn purge_expired(state: &AppState) -> Result<u64> {
    let auth = &state.settings.auth;
    let now = now_millis();
    let oldest_lifetime = auth.token_ttl_secs.max(auth.session_max_secs) * 1000;
    Ok(storage::staff::purge_expired(
        &state.db,
        now,
        now - auth.session_idle_secs * 1000,
        now - oldest_lifetime,
    )
    .await?)
}

/// Issues a token of `kind` for a staff account, expiring after the configured
/// lifetime (API tokens) or the absolute session lifetime (sessions).
pub async fn issue_token(
    state: &AppState,
    moderator_id: i64,
    kind: TokenKind,
    name: &str,
) -> Result<String> {
    let mut bytes = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .map_err(|_| Error::Internal(anyhow::anyhow!("no randomness")))?;
    let token = format!("trb_{}", URL_SAFE_NO_PAD.encode(bytes));
    let auth = &state.settings.auth;
    let lifetime = match kind {
        TokenKind::Api => auth.token_ttl_secs,
        TokenKind::Session => auth.session_max_secs,
    };
    let now = now_millis();
    storage::staff::insert_token(
        &state.db,
        storage::staff::NewToken {
            moderator_id,
            token_hash: &sha256_hex(&token),
            name,
            kind: kind.as_str(),
            expires_at: now.saturating_add(lifetime * 1000),
            now,
        },
    )
    .await?;
    Ok(token)
}

/// Moves a token's or session's expiry to `at` (Unix ms): cutting a leaked token's
/// life short without revoking the others.
pub async fn set_expiry(state: &AppState, token: &str, at: i64) -> Result<()> {
    storage::staff::set_token_expiry(&state.db, &sha256_hex(token.trim()), at).await?;
    Ok(())
}

pub async fn list(state: &AppState) -> Result<Vec<StaffView>> {
    Ok(storage::staff::moderators(&state.db)
        .await?
        .into_iter()
        .map(|m| StaffView {
            id: m.id,
            role: m.role,
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
    storage::staff::delete_token(&state.db, &sha256_hex(token.trim())).await?;
    Ok(())
}

/// Sets a staff account's password (admins; the command line acts as one): the same
/// rule as at creation, and every token and session of the account ends.
pub async fn set_password(
    state: &AppState,
    by: &Staff,
    username: &str,
    password: &str,
) -> Result<StaffView> {
    by.require(Role::Admin)?;
    let username = username.trim().to_ascii_lowercase();
    let account = storage::staff::find_moderator_by_name(&state.db, &username)
        .await?
        .ok_or(Error::NotFound("staff account"))?;
    if password.chars().count() < 10 {
        return Err(Error::Unprocessable(
            "password: at least 10 characters".into(),
        ));
    }
    let hash = state.logins.hash(password).await?;
    let txn = state.db.begin().await?;
    storage::staff::set_password(&txn, account.id, &hash).await?;
    by.audit(
        &txn,
        "staff.password",
        "moderator",
        account.id,
        serde_json::json!({"username": username}),
    )
    .await?;
    txn.commit().await?;
    Ok(StaffView {
        id: account.id,
        username: account.username,
        display_name: account.display_name,
        role: account.role,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AuthSettings;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn a_session_ends_when_idle_or_at_its_absolute_limit_and_a_token_at_its_expiry() {
        let auth = AuthSettings {
            session_idle_secs: 3_600,
            session_max_secs: 24 * 3_600,
            token_ttl_secs: 48 * 3_600,
            ..AuthSettings::default()
        };
        let alive = |kind, last, expires, now| token_alive(&auth, kind, 0, last, expires, now);
        let session = TokenKind::Session;
        assert!(alive(session, None, Some(24 * HOUR), HOUR - 1));
        assert!(
            !alive(session, None, Some(24 * HOUR), HOUR),
            "idle since sign-in"
        );
        assert!(alive(
            session,
            Some(20 * HOUR),
            Some(24 * HOUR),
            20 * HOUR + HOUR / 2
        ));
        assert!(
            !alive(session, Some(24 * HOUR - 1), Some(24 * HOUR), 24 * HOUR),
            "used, but past the absolute limit"
        );
        // Rows from before expiries count from their creation.
        assert!(!alive(session, Some(24 * HOUR), None, 24 * HOUR + 1));
        let api = TokenKind::Api;
        assert!(
            alive(api, None, None, 47 * HOUR),
            "API tokens have no idle limit"
        );
        assert!(!alive(api, None, None, 48 * HOUR));
        assert!(!alive(api, None, Some(HOUR), HOUR));
    }

    #[test]
    fn constant_time_equality_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
