//! Journalists' actors: a staff member who signs an article or writes a staff reply is a
//! `Person` of its own (`/staff/{username}`, `acct:{username}@{host}`), with its own key
//! (`keypairs.owner` = `staff:{username}`, made on first need) and `attributionDomains`
//! listing every site, so pages can credit them (`<meta name="fediverse:creator">`).
//!
//! Which names are theirs: the server's own actors come first. A username equal to a
//! site's slug, to `blocklist` or to the host name (the instance actor's WebFinger
//! name) has no journalist actor: WebFinger keeps answering with the site (or the
//! server's actor), and that member's bylines and replies stay the site's. A staff
//! member who never signed anything is not served either (no login name is published
//! before its owner publishes under it); a disabled one is gone (410).

use crate::{
    domain::from_millis,
    error::{Error, Result},
    federation::{
        protocol::{
            journalist::{self, JournalistParts},
            tombstone,
        },
        signatures::Signer,
    },
    services::staff::Staff,
    state::{AppState, Site},
    storage::{self, entities::moderator},
};
use chrono::SecondsFormat;
use serde_json::Value;
use std::{collections::BTreeSet, sync::Arc};

/// A staff member as a journalist actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journalist {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub title: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
}

impl Journalist {
    fn of(m: moderator::Model) -> Self {
        Self {
            id: m.id,
            username: m.username,
            display_name: m.display_name,
            title: m.title,
            disabled: m.disabled,
            created_at: m.created_at,
        }
    }

    /// Their actor's id.
    pub fn actor(&self, state: &AppState) -> String {
        state.urls.staff_actor(&self.username)
    }

    /// `@username@host`, what `fediverse:creator` names.
    pub fn handle(&self, state: &AppState) -> String {
        format!("@{}@{}", self.username, state.settings.public_host())
    }
}

/// The outbox owner of what `username` signs (`keypairs.owner`).
pub fn key_owner(username: &str) -> String {
    format!("staff:{username}")
}

/// Whether `username` is a name the server's own actors answer to (a site, the
/// blocklist actor, the instance actor): such a staff member gets no actor.
pub fn name_is_reserved(state: &AppState, username: &str) -> bool {
    username.eq_ignore_ascii_case(&state.settings.public_host())
        || username.eq_ignore_ascii_case("blocklist")
        || state
            .sites
            .keys()
            .any(|slug| slug.eq_ignore_ascii_case(username))
}

/// The staff member `row` as a journalist, unless their name is reserved.
fn usable(state: &AppState, row: moderator::Model) -> Option<Journalist> {
    (!name_is_reserved(state, &row.username)).then(|| Journalist::of(row))
}

/// The journalist the acting staff member signs as (`None` for the bootstrap token and
/// for reserved names: the site signs alone).
pub async fn of_staff(state: &AppState, staff: &Staff) -> Result<Option<Journalist>> {
    let Some(id) = staff.id else {
        return Ok(None);
    };
    by_id(state, id).await
}

/// The journalist with this staff id (disabled ones included: what they signed stays
/// theirs).
pub async fn by_id(state: &AppState, id: i64) -> Result<Option<Journalist>> {
    Ok(storage::staff::find_moderator(&state.db, id)
        .await?
        .and_then(|row| usable(state, row)))
}

/// The journalist a registration names by username: 422 for an unknown, disabled or
/// reserved name (a byline must lead to an actor that answers).
pub async fn author_named(state: &AppState, username: &str) -> Result<Journalist> {
    let username = username.trim().trim_start_matches('@').to_ascii_lowercase();
    let invalid = || {
        Error::Invalid(
            crate::error::Invalid::field("author", "error-author-unknown")
                .with("author", &username),
        )
    };
    let row = storage::staff::find_moderator_by_name(&state.db, &username)
        .await?
        .filter(|m| !m.disabled)
        .ok_or_else(invalid)?;
    usable(state, row).ok_or_else(invalid)
}

/// Handles of these staff members' actors, by staff id (reserved and disabled ones
/// left out: their replies show the site's handle).
pub async fn handles(
    state: &AppState,
    ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, Journalist>> {
    Ok(storage::bylines::moderators_by_id(&state.db, ids)
        .await?
        .into_iter()
        .filter(|m| !m.disabled)
        .filter_map(|m| usable(state, m))
        .map(|j| (j.id, j))
        .collect())
}

/// The signer and public key of `username`'s actor, the key made on first need.
pub async fn keys(state: &AppState, username: &str) -> Result<(Arc<Signer>, String)> {
    let keys = crate::services::articles::sites::keypair(&state.db, &key_owner(username)).await?;
    let signer = Signer::from_pkcs8_pem(state.urls.staff_key_id(username), &keys.private_key_pem)
        .map_err(|e| Error::Internal(anyhow::anyhow!("staff {username} key: {e}")))?;
    Ok((Arc::new(signer), keys.public_key_pem))
}

/// Every site's host: where pages may name a journalist as their author (Mastodon
/// matches the page's host against these, subdomains included).
fn attribution_domains(state: &AppState) -> Vec<String> {
    state
        .sites
        .values()
        .filter_map(|s| s.origin.host_str().map(str::to_ascii_lowercase))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The journalist whose actor `username` is, if it is served: `Ok(None)` for no such
/// actor (unknown, reserved, never signed anything).
async fn served(state: &AppState, username: &str) -> Result<Option<Journalist>> {
    let Some(row) = storage::staff::find_moderator_by_name(&state.db, username).await? else {
        return Ok(None);
    };
    let Some(journalist) = usable(state, row) else {
        return Ok(None);
    };
    if !storage::bylines::has_signed(&state.db, journalist.id).await? {
        return Ok(None);
    }
    Ok(Some(journalist))
}

/// The actor document of `username` and whether it is alive (`false`: a `Tombstone`,
/// served with 410, for a disabled member); `None` when there is no such actor.
pub async fn document(state: &AppState, username: &str) -> Result<Option<(Value, bool)>> {
    let Some(journalist) = served(state, username).await? else {
        return Ok(None);
    };
    let id = journalist.actor(state);
    if journalist.disabled {
        let gone = serde_json::to_value(tombstone(id, "Person")).map_err(anyhow::Error::from)?;
        return Ok(Some((gone, false)));
    }
    // Only the public half: no private key is parsed to answer a GET.
    let public_key_pem =
        crate::services::articles::sites::keypair(&state.db, &key_owner(&journalist.username))
            .await?
            .public_key_pem;
    let urls = &state.urls;
    let name = &journalist.username;
    let doc = journalist::journalist(JournalistParts {
        id: &id,
        username: name,
        display_name: &journalist.display_name,
        title: journalist.title.as_deref(),
        inbox: &urls.shared_inbox(),
        shared_inbox: &urls.shared_inbox(),
        outbox: &urls.staff_outbox(name),
        followers: &urls.staff_followers(name),
        key_id: &urls.staff_key_id(name),
        public_key_pem: &public_key_pem,
        attribution_domains: attribution_domains(state),
        published: from_millis(journalist.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    Ok(Some((doc, true)))
}

/// The journalist WebFinger's `acct:{name}@host` names, when that actor is served and
/// alive (the caller has already given the name to the server's own actors first).
pub async fn webfinger(state: &AppState, name: &str) -> Result<Option<String>> {
    let name = name.to_ascii_lowercase();
    Ok(served(state, &name)
        .await?
        .filter(|j| !j.disabled)
        .map(|j| j.actor(state)))
}

/// Whether the actor `username` is served and alive (its outbox and followers answer).
pub async fn is_alive(state: &AppState, username: &str) -> Result<bool> {
    Ok(served(state, username).await?.is_some_and(|j| !j.disabled))
}

/// Who a staff reply speaks as: its journalist's actor and key, or the site's.
pub struct Voice {
    pub actor: String,
    /// `keypairs.owner` of the key that signs.
    pub owner: String,
    pub key_id: String,
}

impl Voice {
    pub fn of(state: &AppState, site: &Site, journalist: Option<&Journalist>) -> Self {
        match journalist {
            Some(j) => Self {
                actor: j.actor(state),
                owner: key_owner(&j.username),
                key_id: state.urls.staff_key_id(&j.username),
            },
            None => Self {
                actor: state.urls.site_actor(&site.slug),
                owner: format!("site:{}", site.slug),
                key_id: site.signer.key_id.clone(),
            },
        }
    }
}

/// The journalist who wrote a staff reply (`None`: the site's, or not a staff reply).
pub async fn author_of(
    state: &AppState,
    comment: &crate::storage::entities::comment::Model,
) -> crate::error::Result<Option<Journalist>> {
    match comment.staff_id {
        Some(id) => by_id(state, id).await,
        None => Ok(None),
    }
}

/// Who speaks for `comment`: its journalist when it is one of their replies, else the
/// site (also who authorises quotes of it: FEP-044f checks a stamp against the quoted
/// post's author).
pub async fn voice_of(
    state: &AppState,
    site: &Site,
    comment: &crate::storage::entities::comment::Model,
) -> crate::error::Result<Voice> {
    let journalist = author_of(state, comment).await?;
    Ok(Voice::of(state, site, journalist.as_ref()))
}
