//! A journalist's actor: a staff member who signs articles and replies, as a `Person` of
//! its own, with `attributionDomains` (Mastodon ≥ 4.3's author attribution: a page
//! on one of these domains may name the account in `<meta name="fediverse:creator">`,
//! and Mastodon's preview card then shows the author).

use super::{actor::PublicKeyJson, context};
use serde::Serialize;
use serde_json::Value;

/// What the actor is built from.
pub struct JournalistParts<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    /// Their title ("cheffe du service Société"), as plain text.
    pub title: Option<&'a str>,
    pub inbox: &'a str,
    pub shared_inbox: &'a str,
    pub outbox: &'a str,
    pub followers: &'a str,
    pub key_id: &'a str,
    pub public_key_pem: &'a str,
    /// Every site's host: the pages that may credit them.
    pub attribution_domains: Vec<String>,
    pub published: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct JournalistJson<'a> {
    #[serde(rename = "@context")]
    context: Value,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    preferred_username: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    inbox: &'a str,
    outbox: &'a str,
    followers: &'a str,
    endpoints: Value,
    public_key: PublicKeyJson,
    attribution_domains: Vec<String>,
    manually_approves_followers: bool,
    discoverable: bool,
    indexable: bool,
    published: String,
}

/// The `@context` of a journalist: ours, plus Mastodon's `attributionDomains` term
/// (`toot:attributionDomains`, a list of ids), which a JSON-LD processor drops otherwise.
fn journalist_context() -> Value {
    let mut ctx = context();
    if let Some(Value::Object(terms)) = ctx.as_array_mut().and_then(|items| items.last_mut()) {
        terms.insert(
            "attributionDomains".into(),
            serde_json::json!({"@id": "toot:attributionDomains", "@type": "@id"}),
        );
        terms.insert("indexable".into(), serde_json::json!("toot:indexable"));
        terms.insert(
            "discoverable".into(),
            serde_json::json!("toot:discoverable"),
        );
    }
    ctx
}

/// The journalist's `Person`. `summary` is HTML (as actors' are): the title, escaped.
pub fn journalist(p: JournalistParts<'_>) -> Value {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let doc = JournalistJson {
        context: journalist_context(),
        id: p.id,
        kind: "Person",
        preferred_username: p.username,
        name: p.display_name,
        summary: p.title.map(|t| format!("<p>{}</p>", escape(t))),
        inbox: p.inbox,
        outbox: p.outbox,
        followers: p.followers,
        endpoints: serde_json::json!({"sharedInbox": p.shared_inbox}),
        public_key: PublicKeyJson {
            id: p.key_id.to_string(),
            owner: p.id.to_string(),
            public_key_pem: p.public_key_pem.to_string(),
        },
        attribution_domains: p.attribution_domains,
        // Follows are not taken (FEDERATION.md "Bylines"): the site is what to follow.
        manually_approves_followers: true,
        discoverable: true,
        indexable: false,
        published: p.published,
    };
    serde_json::to_value(doc).unwrap_or(Value::Null)
}
