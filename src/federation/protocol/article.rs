//! The `Article` a registered page becomes, as other servers fetch it, with the
//! `preview` `Note` (FEP-b2b8 "Long-form Text") that servers showing only short posts
//! display instead of a bare title.

use super::{context, policy::Policy, PUBLIC};
use crate::domain::Mode;
use serde::Serialize;
use serde_json::{json, Value};

/// Our `Article`. Mastodon (which converts an `Article` to a status) shows `name`, then
/// `summary`, then links `url`, all as plain text; servers that read FEP-b2b8's
/// `preview` (WordPress's plugin, Ghost, WriteFreely publish it) show that `Note`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleJson {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Plain text (FEP-b2b8: no markup, no entities).
    pub name: String,
    /// Plain text: Mastodon writes it as text under the title (HTML would show as tags).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub content: String,
    pub media_type: &'static str,
    pub url: String,
    /// The site actor, alone or first: Mastodon takes the first `attributedTo` as the
    /// status's account, and the site's followers must get the article from the site.
    /// The journalists who sign it follow.
    pub attributed_to: Value,
    /// FEP-b2b8's `preview`: a short `Note` (title, summary, link) for servers that
    /// show notes only.
    pub preview: Value,
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
    /// The journalist actors who sign it (`attributedTo` after the site).
    pub authors: Vec<String>,
    pub followers: &'a str,
    pub published: String,
    pub updated: Option<String>,
    pub replies: Vec<String>,
}

impl ArticleJson {
    pub fn build(p: ArticleParts<'_>) -> Value {
        // A publisher's CMS may send markup or entities: the summary is text.
        let summary = p
            .summary
            .map(crate::sanitize::text_of_html)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let title = crate::sanitize::text_of_html(p.title);
        let mut content = String::new();
        if let Some(summary) = &summary {
            content.push_str(&format!("<p>{}</p>", escaped(summary)));
        }
        let link = format!("<p><a href=\"{0}\">{0}</a></p>", escaped(p.page_url));
        content.push_str(&link);
        let attributed_to = if p.authors.is_empty() {
            Value::String(p.site_actor.to_string())
        } else {
            let mut all = vec![p.site_actor.to_string()];
            all.extend(p.authors.iter().filter(|a| *a != p.site_actor).cloned());
            json!(all)
        };
        // The preview: what a timeline shows, short (FEP-b2b8 suggests a few sentences),
        // with the link to read the whole article. A fragment id: it is served only
        // inside the article.
        let mut preview_html = format!("<p><strong>{}</strong></p>", escaped(&title));
        if let Some(summary) = &summary {
            preview_html.push_str(&format!("<p>{}</p>", escaped(&shortened(summary))));
        }
        preview_html.push_str(&link);
        let preview = json!({
            "id": format!("{}#preview", p.id),
            "type": "Note",
            "attributedTo": attributed_to,
            "content": preview_html,
            "mediaType": "text/html",
            "url": p.page_url,
            "published": p.published,
            "to": [PUBLIC],
            "cc": [p.followers],
        });
        let replies_id = format!("{}/replies", p.id);
        let interaction_policy = Policy::of_mode(p.mode).to_json(p.site_actor);
        let article = ArticleJson {
            context: context(),
            id: p.id.to_string(),
            kind: "Article",
            name: title,
            summary,
            content,
            media_type: "text/html",
            url: p.page_url.to_string(),
            attributed_to,
            preview,
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

fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The longest summary the preview carries (FEP-b2b8: "about 500 characters").
const PREVIEW_SUMMARY: usize = 500;

/// `text`, cut at a word before `PREVIEW_SUMMARY` characters with an ellipsis.
fn shortened(text: &str) -> String {
    if text.chars().count() <= PREVIEW_SUMMARY {
        return text.to_string();
    }
    let cut: String = text.chars().take(PREVIEW_SUMMARY).collect();
    let at_word = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(summary: Option<&'a str>, authors: Vec<String>) -> ArticleParts<'a> {
        ArticleParts {
            mode: Mode::Post,
            id: "https://c.example/articles/1",
            title: "Budget : ce qui change",
            summary,
            page_url: "https://news.example/budget?a=1&b=2",
            site_actor: "https://c.example/sites/demo",
            authors,
            followers: "https://c.example/sites/demo/followers",
            published: "2026-12-01T10:00:00Z".into(),
            updated: None,
            replies: Vec::new(),
        }
    }

    #[test]
    fn the_summary_is_plain_text_and_the_preview_is_a_note_with_the_link() {
        let article =
            ArticleJson::build(parts(Some("<p>Les <b>impôts</b> &amp; taxes</p>"), vec![]));
        assert_eq!(article["summary"], "Les impôts & taxes");
        assert_eq!(article["attributedTo"], "https://c.example/sites/demo");
        let preview = &article["preview"];
        assert_eq!(preview["type"], "Note");
        assert_eq!(preview["id"], "https://c.example/articles/1#preview");
        let content = preview["content"].as_str().unwrap();
        assert!(content.contains("Budget : ce qui change"));
        assert!(content.contains("Les impôts &amp; taxes"));
        assert!(content.contains("href=\"https://news.example/budget?a=1&amp;b=2\""));
    }

    #[test]
    fn a_signed_article_names_the_site_first_then_its_journalist() {
        let article =
            ArticleJson::build(parts(None, vec!["https://c.example/staff/camille".into()]));
        assert_eq!(
            article["attributedTo"],
            json!([
                "https://c.example/sites/demo",
                "https://c.example/staff/camille"
            ])
        );
        assert_eq!(article["preview"]["attributedTo"], article["attributedTo"]);
        assert!(article.get("summary").is_none());
    }

    #[test]
    fn a_long_summary_is_shortened_in_the_preview_at_a_word() {
        let long = "mot ".repeat(300);
        let article = ArticleJson::build(parts(Some(&long), vec![]));
        let content = article["preview"]["content"].as_str().unwrap();
        assert!(content.contains("mot…"));
        assert!(content.chars().count() < 700);
    }
}
