//! Articles register themselves: when the embed asks for an unknown URL on a site's
//! origin, Tribune fetches that page (same origin only, behind the SSRF guard, rate
//! limited, failures remembered for a while) and reads its title, summary and date from
//! OpenGraph tags or JSON-LD. Such an article is a reader's: see `articles::Source`.

use crate::services::articles::{register_as, RegisterArticle, Source};
use crate::{
    error::Result, federation::fetch::Validators, state::AppState, storage,
    storage::entities::article,
};
use chrono::{DateTime, Utc};
use regex::Regex;
use std::{collections::HashMap, sync::OnceLock};
use url::Url;

/// What a page says about itself.
#[derive(Debug, Default, PartialEq)]
pub struct PageMeta {
    pub canonical: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub published: Option<DateTime<Utc>>,
}

fn decode(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

fn regexes() -> &'static (Regex, Regex, Regex, Regex) {
    static RE: OnceLock<(Regex, Regex, Regex, Regex)> = OnceLock::new();
    RE.get_or_init(|| {
        (
            Regex::new(r"(?is)<(meta|link)\s[^>]*>").expect("static regex"),
            Regex::new(r#"(?is)([a-z][a-z:_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')"#)
                .expect("static regex"),
            Regex::new(
                r#"(?is)<script[^>]*type\s*=\s*["']application/ld\+json["'][^>]*>(.*?)</script>"#,
            )
            .expect("static regex"),
            Regex::new(r"(?is)<title[^>]*>(.*?)</title>").expect("static regex"),
        )
    })
}

/// Reads OpenGraph / `article:` meta tags, the canonical link and JSON-LD
/// (`NewsArticle`, `Article`, `BlogPosting`), in that order of preference.
pub fn parse(html: &str) -> PageMeta {
    let (tag_re, attr_re, ld_re, title_re) = regexes();
    let mut meta = PageMeta::default();
    for tag in tag_re.find_iter(html) {
        let attrs: HashMap<String, String> = attr_re
            .captures_iter(tag.as_str())
            .map(|c| {
                let value = c
                    .get(2)
                    .or_else(|| c.get(3))
                    .map(|m| m.as_str())
                    .unwrap_or("");
                (c[1].to_ascii_lowercase(), decode(value))
            })
            .collect();
        let key = attrs
            .get("property")
            .or_else(|| attrs.get("name"))
            .map(|k| k.to_ascii_lowercase());
        let content = attrs.get("content").cloned();
        match (key.as_deref(), content) {
            (Some("og:title"), Some(c)) => meta.title = Some(c),
            (Some("og:description"), Some(c)) => meta.summary = Some(c),
            (Some("description"), Some(c)) if meta.summary.is_none() => meta.summary = Some(c),
            (Some("article:published_time"), Some(c)) => meta.published = c.parse().ok(),
            (Some("og:url"), Some(c)) if meta.canonical.is_none() => meta.canonical = Some(c),
            _ => {}
        }
        if attrs
            .get("rel")
            .is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
        {
            meta.canonical = attrs.get("href").cloned();
        }
    }
    for block in ld_re.captures_iter(html) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(block[1].trim()) else {
            continue;
        };
        let items = match &value {
            serde_json::Value::Array(items) => items.clone(),
            other => other
                .get("@graph")
                .and_then(|g| g.as_array())
                .cloned()
                .unwrap_or_else(|| vec![other.clone()]),
        };
        for item in items {
            let kind = item.get("@type").and_then(|t| t.as_str()).unwrap_or("");
            if ![
                "NewsArticle",
                "Article",
                "BlogPosting",
                "ReportageNewsArticle",
                "OpinionNewsArticle",
            ]
            .contains(&kind)
            {
                continue;
            }
            let text = |k: &str| item.get(k).and_then(|v| v.as_str()).map(decode);
            meta.title = meta.title.take().or_else(|| text("headline"));
            meta.summary = meta.summary.take().or_else(|| text("description"));
            meta.published = meta
                .published
                .or_else(|| text("datePublished").and_then(|d| d.parse().ok()));
        }
    }
    if meta.title.is_none() {
        meta.title = title_re.captures(html).map(|c| decode(&c[1]));
    }
    meta
}

/// The URL a reader's visit may register: no fragment, and of the query only the
/// parameters the site names as distinguishing articles (a search page that echoes
/// `?q=` in its title must not become an article titled by the reader).
pub fn normalise(url: &Url, allowed: &[String]) -> Url {
    let mut out = url.clone();
    out.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| allowed.iter().any(|a| a == k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    out.set_query(None);
    if !kept.is_empty() {
        out.query_pairs_mut().extend_pairs(kept);
    }
    out
}

/// Fetches and reads one page; `None` (remembered as failed) when it cannot be read.
async fn read_page(state: &AppState, url: &Url, now: i64) -> Option<PageMeta> {
    match state
        .fetcher
        .fetch_page(url, "text/html", &Validators::default())
        .await
    {
        Ok(Some((body, _))) => Some(parse(&String::from_utf8_lossy(&body))),
        Ok(None) | Err(_) => {
            state.autoregistry.failed(url.as_str(), now);
            None
        }
    }
}

/// The canonical URL a page gives, resolved and normalised; the page's own URL when it
/// gives none. `None` when it points off the site's origin.
fn canonical_of(meta: &PageMeta, page: &Url, allowed: &[String]) -> Option<Url> {
    match meta.canonical.as_deref() {
        None => Some(page.clone()),
        Some(c) => page
            .join(c)
            .ok()
            .filter(|c| c.origin() == page.origin())
            .map(|c| normalise(&c, allowed)),
    }
}

/// Registers the article at `url` from its own page, if `url` is on a site's origin.
/// `None` when it is not ours or cannot be registered now. The article is registered
/// as a reader's (see [`Source::Reader`]): the site actor says nothing about it until
/// the newsroom confirms it, and a visit never edits or revives a known article.
pub async fn from_page(state: &AppState, url: &str) -> Result<Option<article::Model>> {
    let Ok(parsed) = Url::parse(url) else {
        return Ok(None);
    };
    let Some(site) = state
        .sites
        .values()
        .find(|s| s.origin.origin() == parsed.origin())
    else {
        return Ok(None);
    };
    let allowed: &[String] = state
        .settings
        .sites
        .iter()
        .find(|s| s.slug == site.slug)
        .map(|s| s.self_register_query_params.as_slice())
        .unwrap_or(&[]);
    let requested = normalise(&parsed, allowed);
    // Already known under its normalised URL (a deleted one then answers 410).
    if let Some(known) = storage::articles::find_by_url(&state.db, requested.as_str()).await? {
        return Ok(Some(known));
    }
    let now = crate::domain::now_millis();
    if state.autoregistry.recently_failed(requested.as_str(), now)
        || !state.autoregistry.allow(site.id, now)
    {
        return Ok(None);
    }
    let Some(mut meta) = read_page(state, &requested, now).await else {
        return Ok(None);
    };
    let Some(mut canonical) = canonical_of(&meta, &requested, allowed) else {
        state.autoregistry.failed(requested.as_str(), now);
        return Ok(None);
    };
    if canonical != requested {
        // The page says it is another URL. That article, if known, is the answer as it
        // stands (never revived nor retitled by this visit); otherwise it counts only if
        // its own page says it is itself, and its own words are what we store.
        if let Some(known) = storage::articles::find_by_url(&state.db, canonical.as_str()).await? {
            return Ok(Some(known));
        }
        let Some(own) = read_page(state, &canonical, now).await else {
            return Ok(None);
        };
        if canonical_of(&own, &canonical, allowed).as_ref() != Some(&canonical) {
            state.autoregistry.failed(requested.as_str(), now);
            return Ok(None);
        }
        meta = own;
    }
    canonical.set_fragment(None);
    let Some(title) = meta.title.filter(|t| !t.is_empty()) else {
        state.autoregistry.failed(requested.as_str(), now);
        return Ok(None);
    };
    let request = RegisterArticle {
        site: site.slug.clone(),
        url: canonical.to_string(),
        title: Some(title.chars().take(500).collect()),
        summary: meta.summary.map(|s| Some(s.chars().take(5_000).collect())),
        published: meta.published,
        author: None,
    };
    match register_as(state, request, Source::Reader).await {
        Ok((article, _)) => Ok(Some(article)),
        Err(e) => {
            tracing::info!(url, error = %e, "page could not be registered");
            state.autoregistry.failed(requested.as_str(), now);
            Ok(None)
        }
    }
}

/// The article of the page at `url` (`GET /articles/by-url`): known by its page URL
/// (or its id), else registered now from its own page under the rules of
/// [`from_page`], so a reader's visit (or a server following a page's link) never makes
/// the site actor speak. Not found for a URL off every site's origin or a page that
/// cannot be read.
pub async fn article_of_page(state: &AppState, url: &str) -> Result<article::Model> {
    let url = url.trim();
    if let Some(known) = storage::articles::find_by_ap_id_or_url(&state.db, url).await? {
        return Ok(known);
    }
    from_page(state, url)
        .await?
        .ok_or(crate::error::Error::NotFound("article"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opengraph_and_json_ld_are_read() {
        let html = r#"<html><head><title>Fallback</title>
            <meta property="og:title" content="L&#39;article &amp; son titre">
            <meta content="Ce qu'il dit" property='og:description'>
            <link rel="canonical" href="/2026/story">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Ignored","datePublished":"2026-11-01T08:00:00Z"}</script>
            </head></html>"#;
        let meta = parse(html);
        assert_eq!(meta.title.as_deref(), Some("L'article & son titre"));
        assert_eq!(meta.summary.as_deref(), Some("Ce qu'il dit"));
        assert_eq!(meta.canonical.as_deref(), Some("/2026/story"));
        assert_eq!(
            meta.published.unwrap().to_rfc3339(),
            "2026-11-01T08:00:00+00:00"
        );
        assert_eq!(
            parse("<title> Just a title </title>").title.as_deref(),
            Some("Just a title")
        );
    }
}
