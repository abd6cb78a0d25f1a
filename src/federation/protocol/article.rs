//! The `Article` a registered page becomes, as other servers fetch it.

use super::{context, policy::Policy, PUBLIC};
use crate::domain::Mode;
use serde::Serialize;
use serde_json::{json, Value};

/// Our `Article`. Mastodon shows `name`, then `content`, and links `url`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleJson {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub content: String,
    pub media_type: &'static str,
    pub url: String,
    pub attributed_to: String,
    pub published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub replies: Value,
    /// The editors' selection of comments, in order (like an actor's `featured`).
    pub featured: String,
    /// Who may reply, quote, like and boost, and whether replies and quotes wait for
    /// approval (the article's moderation mode): `policy::Policy`.
    pub interaction_policy: Value,
    /// Comments accepted at all (PeerTube's and WordPress's hint).
    pub comments_enabled: bool,
    /// FEP-7888: the conversation this article starts (not the JSON-LD `@context`).
    #[serde(rename = "context")]
    pub conversation: String,
}

/// What the article is built from.
pub struct ArticleParts<'a> {
    pub mode: Mode,
    pub id: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub page_url: &'a str,
    pub site_actor: &'a str,
    pub followers: &'a str,
    pub published: String,
    pub updated: Option<String>,
    pub replies: Vec<String>,
}

impl ArticleJson {
    pub fn build(p: ArticleParts<'_>) -> Value {
        let escaped = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let mut content = String::new();
        if let Some(summary) = p.summary {
            content.push_str(&format!("<p>{}</p>", escaped(summary)));
        }
        content.push_str(&format!(
            "<p><a href=\"{0}\">{0}</a></p>",
            escaped(p.page_url)
        ));
        let replies_id = format!("{}/replies", p.id);
        let interaction_policy = Policy::of_mode(p.mode).to_json(p.site_actor);
        let article = ArticleJson {
            context: context(),
            id: p.id.to_string(),
            kind: "Article",
            name: p.title.to_string(),
            summary: p.summary.map(str::to_string),
            content,
            media_type: "text/html",
            url: p.page_url.to_string(),
            attributed_to: p.site_actor.to_string(),
            published: p.published,
            updated: p.updated,
            to: vec![PUBLIC.to_string()],
            cc: vec![p.followers.to_string()],
            replies: json!({
                "id": replies_id,
                "type": "OrderedCollection",
                "totalItems": p.replies.len(),
                "first": {
                    "id": format!("{replies_id}?page=1"),
                    "type": "OrderedCollectionPage",
                    "partOf": replies_id,
                    "orderedItems": p.replies,
                }
            }),
            featured: format!("{}/featured", p.id),
            interaction_policy,
            comments_enabled: p.mode != Mode::Closed,
            conversation: format!("{}/context", p.id),
        };
        serde_json::to_value(article).unwrap_or(Value::Null)
    }
}
