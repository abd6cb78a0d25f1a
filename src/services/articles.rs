//! Registering articles and rendering them as ActivityPub `Article`s.

use crate::{
    domain::{from_millis, millis, now_millis, CommentStatus},
    error::{is_unique_violation, Error, Result},
    federation::protocol::{
        article::{ArticleJson, ArticleParts},
        collection::OrderedCollection,
    },
    state::AppState,
    storage::{self, articles::NewArticle, entities::article},
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

/// A registration request (API and CLI).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RegisterArticle {
    /// Slug of a configured site.
    pub site: String,
    /// The article's canonical URL on the site's origin.
    pub url: String,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// RFC 3339; defaults to now.
    #[serde(default)]
    pub published: Option<DateTime<Utc>>,
}

const MAX_TITLE: usize = 500;
const MAX_SUMMARY: usize = 5_000;

/// Registers an article, idempotently on its URL: returns the row and whether it was
/// created now.
pub async fn register(state: &AppState, req: RegisterArticle) -> Result<(article::Model, bool)> {
    let site = state
        .site(&req.site)
        .ok_or_else(|| Error::Unprocessable(format!("unknown site {:?}", req.site)))?;
    let url = Url::parse(req.url.trim())
        .map_err(|_| Error::Unprocessable("url is not a valid URL".into()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Unprocessable("url must be http(s)".into()));
    }
    if url.origin() != site.origin.origin() {
        return Err(Error::Unprocessable(format!(
            "url is not on the site's origin {}",
            site.origin.origin().ascii_serialization()
        )));
    }
    let title = req.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(Error::Unprocessable(format!(
            "title must be 1 to {MAX_TITLE} characters"
        )));
    }
    let summary = req
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if summary.is_some_and(|s| s.chars().count() > MAX_SUMMARY) {
        return Err(Error::Unprocessable(format!(
            "summary must be at most {MAX_SUMMARY} characters"
        )));
    }
    let mut canonical = url.clone();
    canonical.set_fragment(None);
    if let Some(existing) = storage::articles::find_by_url(&state.db, canonical.as_str()).await? {
        return Ok((existing, false));
    }
    let now = now_millis();
    let new = NewArticle {
        site_id: site.id,
        url: canonical.as_str(),
        title,
        summary,
        published: req.published.map(millis).unwrap_or(now),
        now,
    };
    match storage::articles::insert(&state.db, new, |id| state.urls.article(id)).await {
        Ok(row) => Ok((row, true)),
        // Registered concurrently by someone else: that row is the answer.
        Err(e) if is_unique_violation(&e) => {
            storage::articles::find_by_url(&state.db, canonical.as_str())
                .await?
                .map(|row| (row, false))
                .ok_or(Error::Database(e))
        }
        Err(e) => Err(e.into()),
    }
}

fn rfc3339(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Visible comments of an article (published, not deleted), oldest first.
async fn visible_comments(
    state: &AppState,
    article: &article::Model,
) -> Result<Vec<storage::entities::comment::Model>> {
    Ok(storage::comments::list_for_article(&state.db, article.id)
        .await?
        .into_iter()
        .filter(|c| c.status == CommentStatus::Published.as_str() && c.deleted_at.is_none())
        .collect())
}

/// The `Article` document of a registered article.
pub async fn ap_document(state: &AppState, article: &article::Model) -> Result<Value> {
    let site = state
        .site_by_id(article.site_id)
        .ok_or(Error::NotFound("site"))?;
    let replies = visible_comments(state, article)
        .await?
        .into_iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| c.ap_id)
        .collect();
    Ok(ArticleJson::build(ArticleParts {
        id: &article.ap_id,
        title: &article.title,
        summary: article.summary.as_deref(),
        page_url: &article.url,
        site_actor: &state.urls.site_actor(&site.slug),
        followers: &state.urls.site_followers(&site.slug),
        published: rfc3339(article.published),
        updated: (article.updated_at > article.created_at).then(|| rfc3339(article.updated_at)),
        replies,
    }))
}

/// `replies`: the direct replies to the article.
pub async fn replies_collection(
    state: &AppState,
    article: &article::Model,
) -> Result<OrderedCollection> {
    let items = visible_comments(state, article)
        .await?
        .into_iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| Value::String(c.ap_id))
        .collect();
    Ok(OrderedCollection::new(
        format!("{}/replies", article.ap_id),
        items,
    ))
}

/// `context` (FEP-7888/FEP-f228): every object of the conversation, the article first.
pub async fn context_collection(
    state: &AppState,
    article: &article::Model,
) -> Result<OrderedCollection> {
    let mut items = vec![Value::String(article.ap_id.clone())];
    items.extend(
        visible_comments(state, article)
            .await?
            .into_iter()
            .map(|c| Value::String(c.ap_id)),
    );
    let mut collection = OrderedCollection::new(format!("{}/context", article.ap_id), items);
    collection.attributed_to = state
        .site_by_id(article.site_id)
        .map(|s| state.urls.site_actor(&s.slug));
    Ok(collection)
}
