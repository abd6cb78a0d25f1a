//! Feeds of the newsroom's selection (Atom, RFC 4287, and JSON Feed 1.1) and comment
//! counts for lists of articles.

use crate::services::{remote::actors::handle, threads::visible::is_visible};
use crate::{
    domain::{from_millis, now_millis},
    error::{Error, Result},
    state::AppState,
    storage,
};
use chrono::SecondsFormat;
use serde_json::{json, Value};

/// One highlighted comment in a feed.
pub struct FeedItem {
    pub id: String,
    pub url: String,
    pub title: String,
    pub note: Option<String>,
    pub content_html: String,
    pub author_name: String,
    pub author_url: Option<String>,
    pub published: i64,
    pub highlighted_at: i64,
}

/// A site's selection.
pub struct Feed {
    pub id: String,
    pub json_url: String,
    pub title: String,
    pub home: String,
    pub site_name: String,
    pub items: Vec<FeedItem>,
}

fn time(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

impl Feed {
    /// RFC 4287.
    pub fn atom(&self) -> String {
        let updated = self
            .items
            .iter()
            .map(|i| i.highlighted_at)
            .max()
            .unwrap_or_else(now_millis);
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>{}</id>\n  <title>{}</title>\n  <updated>{}</updated>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <author><name>{}</name></author>\n  <generator>Tribune</generator>\n",
            xml(&self.id), xml(&self.title), time(updated), xml(&self.id), xml(&self.home), xml(&self.site_name)
        );
        for item in &self.items {
            out.push_str(&format!(
                "  <entry>\n    <id>{}</id>\n    <title>{}</title>\n    <updated>{}</updated>\n    <published>{}</published>\n    <author><name>{}</name>{}</author>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n{}    <content type=\"html\">{}</content>\n  </entry>\n",
                xml(&item.id),
                xml(&item.title),
                time(item.highlighted_at),
                time(item.published),
                xml(&item.author_name),
                item.author_url.as_deref().map(|u| format!("<uri>{}</uri>", xml(u))).unwrap_or_default(),
                xml(&item.url),
                item.note.as_deref().map(|n| format!("    <summary>{}</summary>\n", xml(n))).unwrap_or_default(),
                xml(&item.content_html),
            ));
        }
        out.push_str("</feed>\n");
        out
    }

    /// JSON Feed 1.1.
    pub fn json(&self) -> Value {
        json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.title,
            "home_page_url": self.home,
            "feed_url": self.json_url,
            "authors": [{"name": self.site_name}],
            "items": self.items.iter().map(|i| json!({
                "id": i.id,
                "url": i.url,
                "title": i.title,
                "summary": i.note,
                "content_html": i.content_html,
                "date_published": time(i.published),
                "date_modified": time(i.highlighted_at),
                "authors": [{"name": i.author_name, "url": i.author_url}],
            })).collect::<Vec<_>>(),
        })
    }
}

/// The 50 newest highlights of a site.
pub async fn highlights(state: &AppState, slug: &str) -> Result<Feed> {
    let site = state.site(slug).ok_or(Error::NotFound("site"))?;
    let article_ids = storage::moderation::article_ids_of_site(&state.db, site.id).await?;
    let mut items = Vec::new();
    for h in storage::highlights::latest(&state.db, article_ids, 50).await? {
        let Some(c) = storage::moderation::find_comment(&state.db, h.comment_id)
            .await?
            .filter(is_visible)
        else {
            continue;
        };
        let Some(article) = storage::articles::find(&state.db, c.article_id).await? else {
            continue;
        };
        let author = match c.author_id {
            Some(id) => storage::actors::find_many(&state.db, vec![id]).await?.pop(),
            None => None,
        };
        let (author_name, author_url) = match (&author, &c.staff_name) {
            (Some(a), _) => (
                a.name.clone().unwrap_or_else(|| handle(a)),
                a.url.clone().or(Some(a.ap_id.clone())),
            ),
            // A staff reply: signed with the name and title it was written with.
            (None, Some(name)) => (
                match &c.staff_title {
                    Some(title) => format!("{name}, {title}"),
                    None => name.clone(),
                },
                Some(site.origin.to_string()),
            ),
            (None, None) => (site.name.clone(), None),
        };
        items.push(FeedItem {
            id: c.ap_id.clone(),
            url: format!("{}#comment-{}", article.url, c.id),
            title: format!("{author_name} — {}", article.title),
            note: h.note.clone(),
            content_html: c.content_html.clone(),
            author_name,
            author_url,
            published: c.published,
            highlighted_at: h.created_at,
        });
    }
    let base = format!("{}/sites/{slug}/highlights", state.urls.base());
    Ok(Feed {
        id: format!("{base}.atom"),
        json_url: format!("{base}.json"),
        title: format!("{} — Sélection de la rédaction", site.name),
        home: site.origin.to_string(),
        site_name: site.name.clone(),
        items,
    })
}

/// The counts as the API serves them (JSON), kept by the read cache until the next
/// write.
pub async fn rendered_counts(
    state: &AppState,
    urls: Vec<String>,
) -> Result<std::sync::Arc<crate::runtime::read_cache::Rendered>> {
    let key = format!("counts {urls:?}");
    state
        .reads
        .get_or_render(&state.db, &key, || async {
            let counts = counts(state, urls).await?;
            serde_json::to_vec(&counts).map_err(|e| crate::error::Error::Internal(e.into()))
        })
        .await
}

/// Published and highlighted comments of each known article URL.
pub async fn counts(state: &AppState, urls: Vec<String>) -> Result<Value> {
    let mut out = serde_json::Map::new();
    for url in urls {
        let Some(article) = storage::articles::find_by_ap_id_or_url(&state.db, &url).await? else {
            continue;
        };
        if article.deleted_at.is_some() {
            continue;
        }
        let (total, highlighted) = storage::threads::visible_counts(&state.db, article.id).await?;
        out.insert(url, json!({"total": total, "highlighted": highlighted}));
    }
    Ok(Value::Object(out))
}
