//! Sites may name an RSS, Atom or JSON Feed of their articles: Tribune polls it
//! (conditional GET), registers the new articles on the site's origin, and their
//! registration announces them to the site's followers.

use crate::services::articles::{register, RegisterArticle};
use crate::{
    domain::now_millis,
    federation::fetch::Validators,
    state::{AppState, Site},
    storage,
};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub published: Option<DateTime<Utc>>,
}

fn date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .or_else(|_| DateTime::parse_from_rfc2822(text.trim()))
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn plain(text: &str) -> String {
    crate::sanitize::text_of_html(text).trim().to_string()
}

/// Reads RSS 2.0, Atom or JSON Feed.
pub fn parse(body: &[u8]) -> Vec<FeedEntry> {
    let text = String::from_utf8_lossy(body);
    if text.trim_start().starts_with('{') {
        let Ok(feed) = serde_json::from_str::<serde_json::Value>(&text) else {
            return Vec::new();
        };
        return feed["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| {
                Some(FeedEntry {
                    url: i["url"].as_str().or_else(|| i["id"].as_str())?.to_string(),
                    title: plain(i["title"].as_str()?),
                    summary: i["summary"].as_str().map(plain),
                    published: i["date_published"].as_str().and_then(date),
                })
            })
            .collect();
    }
    let Ok(doc) = roxmltree::Document::parse(&text) else {
        return Vec::new();
    };
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    doc.descendants()
        .filter(|n| matches!(n.tag_name().name(), "item" | "entry"))
        .filter_map(|n| {
            let url = match n.tag_name().name() {
                "item" => child(n, "link")?,
                _ => n
                    .children()
                    .filter(|c| c.tag_name().name() == "link")
                    .find(|c| c.attribute("rel").is_none_or(|r| r == "alternate"))
                    .and_then(|c| c.attribute("href"))?
                    .to_string(),
            };
            Some(FeedEntry {
                url: url.trim().to_string(),
                title: plain(&child(n, "title")?),
                summary: child(n, "description")
                    .or_else(|| child(n, "summary"))
                    .map(|s| plain(&s)),
                published: child(n, "pubDate")
                    .or_else(|| child(n, "published"))
                    .or_else(|| child(n, "updated"))
                    .and_then(|d| date(&d)),
            })
        })
        .collect()
}

/// Polls one site's feed; returns how many articles were new.
pub async fn poll_site(state: &AppState, site: &Site) -> anyhow::Result<usize> {
    let Some(feed) = &site.feed_url else {
        return Ok(0);
    };
    let saved = storage::sites::feed_state(&state.db, site.id).await?;
    let validators = Validators {
        etag: saved.as_ref().and_then(|s| s.etag.clone()),
        last_modified: saved.as_ref().and_then(|s| s.last_modified.clone()),
    };
    let accept =
        "application/feed+json, application/atom+xml, application/rss+xml, application/xml;q=0.9";
    let fetched = state.fetcher.fetch_page(feed, accept, &validators).await?;
    let Some((body, fresh)) = fetched else {
        storage::sites::save_feed_state(
            &state.db,
            site.id,
            validators.etag,
            validators.last_modified,
            now_millis(),
        )
        .await?;
        return Ok(0);
    };
    let mut created = 0;
    for entry in parse(&body).into_iter().take(200) {
        let Ok(url) = url::Url::parse(&entry.url) else {
            continue;
        };
        if url.origin() != site.origin.origin() {
            continue;
        }
        let request = RegisterArticle {
            site: site.slug.clone(),
            url: entry.url.clone(),
            title: Some(entry.title.chars().take(500).collect()),
            // A feed entry without a summary keeps the one the article has.
            summary: entry.summary.map(|s| Some(s.chars().take(5_000).collect())),
            published: entry.published,
            author: None,
        };
        match register(state, request).await {
            Ok((_, true)) => created += 1,
            Ok((_, false)) => {}
            Err(e) => tracing::info!(url = %entry.url, error = %e, "feed entry not registered"),
        }
    }
    storage::sites::save_feed_state(
        &state.db,
        site.id,
        fresh.etag,
        fresh.last_modified,
        now_millis(),
    )
    .await?;
    Ok(created)
}

/// Polls every site's feed.
pub async fn poll_all(state: &AppState) -> usize {
    let mut created = 0;
    for site in state.sites.values() {
        match poll_site(state, site).await {
            Ok(n) => created += n,
            Err(e) => tracing::warn!(site = %site.slug, error = %e, "feed poll failed"),
        }
    }
    state.reads.written();
    created
}

/// Polls the feeds every `feed_poll_secs` until shutdown.
pub async fn run_worker(state: AppState, shutdown: tokio::sync::watch::Receiver<bool>) {
    let every = Duration::from_secs(state.settings.workers.feed_poll_secs.max(60));
    crate::services::workers::scheduled(&state, "feed_poll", every, shutdown, |_| async {
        poll_all(&state).await;
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_atom_and_json_feed_are_read() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><item><title>Un</title><link>https://n.example/1</link><pubDate>Mon, 02 Nov 2026 08:00:00 +0000</pubDate></item></channel></rss>"#;
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Deux</title><link rel="alternate" href="https://n.example/2"/><updated>2026-11-02T08:00:00Z</updated><summary>S</summary></entry></feed>"#;
        let json = br#"{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"x","url":"https://n.example/3","title":"Trois"}]}"#;
        assert_eq!(parse(rss)[0].url, "https://n.example/1");
        assert!(parse(rss)[0].published.is_some());
        assert_eq!(parse(atom)[0].summary.as_deref(), Some("S"));
        assert_eq!(parse(json)[0].title, "Trois");
    }
}
