//! Webhooks: registered by admins through the API (or declared in the configuration's
//! `[[webhooks]]`), each for some events and one site or all. A POST's body is signed
//! with the webhook's secret (`X-Tribune-Signature: sha256=<hex HMAC-SHA256>`), which
//! is kept but never shown again.

use crate::{
    config::MIN_WEBHOOK_SECRET_CHARS,
    domain::{from_millis, now_millis},
    error::{Error, Invalid, Result},
    services::staff::{Role, Staff},
    state::AppState,
    storage,
};
use chrono::SecondsFormat;
use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};
use url::Url;

/// A webhook to register.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where events are POSTed (http or https; https only in production).
    pub url: String,
    /// The HMAC-SHA256 key of the signatures, 16 characters at least.
    pub secret: String,
    /// Among `comment.held`, `comment.reported`, `notice.received`, `deliveries.dead`.
    pub events: Vec<String>,
    /// A site's slug; every site when absent.
    #[serde(default)]
    pub site: Option<String>,
}

/// A webhook as admins see it (never its secret).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub site: Option<String>,
    pub created_at: String,
}

/// The longest webhook URL and secret accepted.
const MAX_URL: usize = 2048;
const MAX_SECRET: usize = 256;

fn view(row: storage::entities::webhook::Model) -> WebhookView {
    WebhookView {
        id: row.id,
        url: row.url,
        events: split(&row.events),
        site: row.site,
        created_at: from_millis(row.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

fn split(events: &str) -> Vec<String> {
    events
        .split(',')
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect()
}

/// Registers a webhook (admins): 422 naming the field for a URL that is not http(s)
/// or that the fetcher's address rules refuse (a private address in production), an
/// unknown event, an unknown site or a short secret.
pub async fn create(state: &AppState, by: &Staff, new: NewWebhook) -> Result<WebhookView> {
    by.require(Role::Admin)?;
    let url = Url::parse(new.url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .filter(|_| new.url.len() <= MAX_URL)
        .ok_or_else(|| Invalid::field("url", "error-field-url"))?;
    state
        .fetcher
        .check_url(&url)
        .map_err(|_| Invalid::field("url", "error-webhook-url-refused"))?;
    let secret_chars = new.secret.chars().count();
    if !(MIN_WEBHOOK_SECRET_CHARS..=MAX_SECRET).contains(&secret_chars) {
        return Err(Invalid::field("secret", "error-webhook-secret")
            .with("min", MIN_WEBHOOK_SECRET_CHARS)
            .into());
    }
    if new.events.is_empty() {
        return Err(Invalid::field("events", "error-field-empty").into());
    }
    let mut events: Vec<&str> = Vec::new();
    for event in &new.events {
        let known = super::EVENTS
            .iter()
            .find(|e| **e == event.as_str())
            .ok_or_else(|| {
                Invalid::field("events", "error-webhook-event")
                    .with("event", event.chars().take(64).collect::<String>())
            })?;
        if !events.contains(known) {
            events.push(known);
        }
    }
    let site = match new.site.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(slug) => Some(state.site(slug).map(|s| s.slug.clone()).ok_or_else(|| {
            Invalid::field("site", "error-site-unknown")
                .with("site", slug.chars().take(64).collect::<String>())
        })?),
    };
    let row = storage::alerts::insert_webhook(
        &state.db,
        url.as_str(),
        &new.secret,
        &events.join(","),
        site.as_deref(),
        now_millis(),
    )
    .await?;
    by.audit(
        &state.db,
        "webhook.create",
        "webhook",
        row.id,
        serde_json::json!({"url": row.url, "events": events, "site": site}),
    )
    .await?;
    Ok(view(row))
}

/// Registered webhooks (admins), then those of the configuration (id 0).
pub async fn list(state: &AppState, by: &Staff) -> Result<Vec<WebhookView>> {
    by.require(Role::Admin)?;
    let mut all: Vec<WebhookView> = storage::alerts::webhooks(&state.db)
        .await?
        .into_iter()
        .map(view)
        .collect();
    all.extend(state.settings.webhooks.iter().map(|w| WebhookView {
        id: 0,
        url: w.url.to_string(),
        events: w.events.clone(),
        site: w.site.clone(),
        created_at: String::new(),
    }));
    Ok(all)
}

/// Deletes a registered webhook (admins) and cancels what was queued for it.
pub async fn delete(state: &AppState, by: &Staff, id: i64) -> Result<()> {
    by.require(Role::Admin)?;
    if !storage::alerts::delete_webhook(&state.db, id).await? {
        return Err(Error::NotFound("webhook"));
    }
    by.audit(
        &state.db,
        "webhook.delete",
        "webhook",
        id,
        serde_json::json!({}),
    )
    .await?;
    Ok(())
}

/// Where one event goes.
pub(super) struct Target {
    /// `None` for a webhook of the configuration.
    pub id: Option<i64>,
    pub url: String,
    pub secret: String,
}

/// The webhooks that want `event` of `site` (a server-wide event goes to all).
pub(super) async fn targets<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    event: &str,
    site: Option<&str>,
) -> std::result::Result<Vec<Target>, DbErr> {
    let wants = |events: &[String], hook_site: Option<&str>| {
        events.iter().any(|e| e == event)
            && match (hook_site, site) {
                (None, _) | (_, None) => true,
                (Some(h), Some(s)) => h == s,
            }
    };
    let mut targets: Vec<Target> = storage::alerts::webhooks(db)
        .await?
        .into_iter()
        .filter(|w| wants(&split(&w.events), w.site.as_deref()))
        .map(|w| Target {
            id: Some(w.id),
            url: w.url,
            secret: w.secret,
        })
        .collect();
    targets.extend(
        state
            .settings
            .webhooks
            .iter()
            .filter(|w| wants(&w.events, w.site.as_deref()))
            .map(|w| Target {
                id: None,
                url: w.url.to_string(),
                secret: w.secret.clone(),
            }),
    );
    Ok(targets)
}

/// `sha256=<hex>` of the HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, body);
    format!("sha256={}", crate::domain::hex(tag.as_ref()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_signature_is_the_hmac_sha256_of_the_body_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            super::signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
