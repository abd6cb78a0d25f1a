//! Registering articles and rendering them as ActivityPub `Article`s.

pub mod autoregister;
pub mod site_feed;
pub mod sites;

use crate::moderation::Mode;
use crate::{
    domain::{from_millis, millis, now_millis},
    error::{is_unique_violation, Error, Invalid, Result},
    federation::protocol::{
        activity,
        article::{ArticleJson, ArticleParts},
        collection::{OrderedCollection, OrderedCollectionPage},
    },
    services::delivery,
    state::{AppState, Site},
    storage::{self, articles::NewArticle, entities::article},
};
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// A registration request (API and CLI). Registering a URL again updates the article
/// with the fields given and keeps the others: a field left out is never wiped;
/// `"summary": null` (or `""`) removes the summary.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RegisterArticle {
    /// Slug of a configured site.
    pub site: String,
    /// The article's canonical URL on the site's origin.
    pub url: String,
    /// Required to create an article; left out, an update keeps the title.
    #[serde(default)]
    pub title: Option<String>,
    /// Left out: kept (none on a new article); `null` or `""`: removed.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub summary: Option<Option<String>>,
    /// RFC 3339; a new article defaults to now, an update keeps its date.
    #[serde(default)]
    pub published: Option<DateTime<Utc>>,
    /// The staff member who signs it (their username): their journalist actor is named
    /// in the `Article`'s `attributedTo`, after the site. Left out: kept; `null` or
    /// `""`: the site alone.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub author: Option<Option<String>>,
}

/// A field that is there, `null` or not: `Some(None)` for `null`, so that a field left
/// out (`None`, by `default`) and a field cleared can be told apart.
fn present<'de, D, T>(deserializer: D) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

const MAX_TITLE: usize = 500;
const MAX_SUMMARY: usize = 5_000;

/// Who asks for an article to be registered: it decides whether the site actor speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Staff, the CMS API (`POST /api/v1/articles`), the CLI or the site's feed: the
    /// newsroom vouches for the page, so followers hear about it.
    Newsroom,
    /// A reader's visit (the embed or the no-JS page): the article exists so the thread
    /// works, but nothing is federated about it, nothing it says can be changed by a
    /// visit, and a deleted article stays deleted (DESIGN "Trust rules").
    Reader,
}

/// Registers an article for the newsroom, idempotently on its URL: returns the row and
/// whether it was created now.
pub async fn register(state: &AppState, req: RegisterArticle) -> Result<(article::Model, bool)> {
    register_as(state, req, Source::Newsroom).await
}

/// Registers an article on behalf of `source`.
pub async fn register_as(
    state: &AppState,
    req: RegisterArticle,
    source: Source,
) -> Result<(article::Model, bool)> {
    let site = state
        .site(&req.site)
        .ok_or_else(|| Invalid::field("site", "error-site-unknown").with("site", &req.site))?;
    let url = Url::parse(req.url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| Invalid::field("url", "error-field-url"))?;
    if url.origin() != site.origin.origin() {
        return Err(Invalid::field("url", "error-field-off-site")
            .with("origin", site.origin.origin().ascii_serialization())
            .into());
    }
    let title = req.title.as_deref().map(str::trim);
    match title {
        Some("") => return Err(Invalid::field("title", "error-field-empty").into()),
        Some(t) if t.chars().count() > MAX_TITLE => {
            return Err(Invalid::field("title", "error-field-too-long")
                .with("max", MAX_TITLE)
                .into())
        }
        _ => {}
    }
    // `None`: not given (kept); `Some(None)`: removed. Plain text: a CMS's markup and
    // entities are dropped (Mastodon shows an `Article`'s summary as text).
    let summary_text: Option<Option<String>> = req.summary.as_ref().map(|s| {
        s.as_deref()
            .map(crate::sanitize::text_of_html)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    });
    let summary: Option<Option<&str>> = summary_text.as_ref().map(|s| s.as_deref());
    // `None`: not given (kept); `Some(None)`: the site alone. Readers never name one.
    let author: Option<Option<i64>> = match (&req.author, source) {
        (_, Source::Reader) | (None, _) => None,
        (Some(None), _) => Some(None),
        (Some(Some(name)), _) if name.trim().is_empty() => Some(None),
        (Some(Some(name)), _) => Some(Some(
            crate::services::newsroom::journalists::author_named(state, name)
                .await?
                .id,
        )),
    };
    if summary
        .flatten()
        .is_some_and(|s| s.chars().count() > MAX_SUMMARY)
    {
        return Err(Invalid::field("summary", "error-field-too-long")
            .with("max", MAX_SUMMARY)
            .into());
    }
    let mut canonical = url.clone();
    canonical.set_fragment(None);
    let published = req.published.map(millis);
    let now = now_millis();
    if let Some(existing) = storage::articles::find_by_url(&state.db, canonical.as_str()).await? {
        // A visit never edits, revives or announces anything: the row is the answer
        // (a deleted one then answers 410).
        if source == Source::Reader {
            return Ok((existing, false));
        }
        // What is not given stays as it is.
        let title = title.unwrap_or(&existing.title);
        let summary = summary.unwrap_or(existing.summary.as_deref());
        // The newsroom confirming a page a reader's visit registered: followers hear of
        // it for the first time, with the newsroom's title.
        let confirming = existing.confirmed_at.is_none();
        let author = author.unwrap_or(existing.author_id);
        let changed = existing.title != title
            || existing.author_id != author
            || existing.summary.as_deref() != summary
            || published.is_some_and(|p| p != existing.published)
            || existing.deleted_at.is_some();
        if !confirming && !changed {
            return Ok((existing, false));
        }
        // A re-registration that changes the article tells followers (`Update`, or
        // `Create` for one that had been deleted or was never announced).
        let kind = if confirming || existing.deleted_at.is_some() {
            "Create"
        } else {
            "Update"
        };
        let txn = state.db.begin().await?;
        storage::articles::update_fields(
            &txn,
            existing.id,
            title,
            summary,
            published.unwrap_or(existing.published),
            now,
        )
        .await?;
        if confirming {
            storage::articles::confirm(&txn, existing.id, now).await?;
        }
        if existing.author_id != author {
            storage::bylines::set_article_author(&txn, existing.id, author).await?;
        }
        let updated = storage::articles::find(&txn, existing.id)
            .await?
            .ok_or(Error::NotFound("article"))?;
        announce(state, &txn, site, &updated, kind).await?;
        txn.commit().await?;
        state.delivery_wakeup.notify_one();
        return Ok((updated, false));
    }
    let title = title.ok_or_else(|| Invalid::field("title", "error-field-missing"))?;
    let new = NewArticle {
        site_id: site.id,
        url: canonical.as_str(),
        title,
        summary: summary.flatten(),
        published: published.unwrap_or(now),
        now,
        confirmed: source == Source::Newsroom,
    };
    let txn = state.db.begin().await?;
    let row = match storage::articles::insert(&txn, new, |id| state.urls.article(id)).await {
        Ok(row) => row,
        // Registered concurrently by someone else: that row is the answer.
        Err(e) if is_unique_violation(&e) => {
            drop(txn);
            return storage::articles::find_by_url(&state.db, canonical.as_str())
                .await?
                .map(|row| (row, false))
                .ok_or(Error::Database(e));
        }
        Err(e) => return Err(e.into()),
    };
    let row = match author.flatten() {
        Some(author_id) => {
            storage::bylines::set_article_author(&txn, row.id, Some(author_id)).await?;
            article::Model {
                author_id: Some(author_id),
                ..row
            }
        }
        None => row,
    };
    if source == Source::Newsroom {
        announce(state, &txn, site, &row, "Create").await?;
    }
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok((row, true))
}

/// Queues `Create`/`Update(Article)` for the site's followers, one delivery per
/// shared inbox, in the caller's transaction.
async fn announce<C: sea_orm::ConnectionTrait>(
    state: &AppState,
    db: &C,
    site: &Site,
    article: &article::Model,
    kind: &str,
) -> Result<()> {
    let inboxes = storage::follows::follower_inboxes(db, site.id).await?;
    if inboxes.is_empty() {
        return Ok(());
    }
    let mode = crate::services::judging::mode_of(state, article).await?;
    let authors = authors_of(state, article).await?;
    let document = document(state, site, article, Vec::new(), mode, authors);
    let id = state.urls.new_activity(&site.slug, kind);
    let activity = activity::wrap(kind, &id, &state.urls.site_actor(&site.slug), document);
    delivery::enqueue(db, site, &activity, &inboxes).await?;
    Ok(())
}

/// A registered article, deleted ones included (they are served as `Tombstone`s).
pub async fn find(state: &AppState, id: i64) -> Result<article::Model> {
    storage::articles::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("article"))
}

/// An article as the command line lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleLine {
    pub id: i64,
    pub site: String,
    pub title: String,
    pub url: String,
    /// Published comments readers see.
    pub comments: u64,
    pub highlighted: u64,
    pub deleted: bool,
    /// Registered by the newsroom (or confirmed), not only by a reader's visit.
    pub confirmed: bool,
}

/// Every article with its counts, oldest first.
pub async fn list(state: &AppState) -> Result<Vec<ArticleLine>> {
    let mut lines = Vec::new();
    for a in storage::articles::all(&state.db).await? {
        let (comments, highlighted) = storage::threads::visible_counts(&state.db, a.id).await?;
        lines.push(ArticleLine {
            id: a.id,
            site: state
                .site_by_id(a.site_id)
                .map(|s| s.slug.clone())
                .unwrap_or_default(),
            title: a.title,
            url: a.url,
            comments,
            highlighted,
            deleted: a.deleted_at.is_some(),
            confirmed: a.confirmed_at.is_some(),
        });
    }
    Ok(lines)
}

/// The article registered at a page URL (or with that AP id), deleted ones included.
pub async fn find_by_url(state: &AppState, url: &str) -> Result<article::Model> {
    storage::articles::find_by_ap_id_or_url(&state.db, url.trim())
        .await?
        .ok_or(Error::NotFound("article"))
}

/// How many sites and articles this server has (NodeInfo's users and posts).
pub async fn usage(state: &AppState) -> Result<(u64, u64)> {
    let sites = storage::sites::count(&state.db).await?;
    let articles = storage::articles::count(&state.db).await?;
    Ok((sites, articles))
}

/// Deletes an article: served as a `Tombstone` (410) from then on, followers told.
pub async fn delete(state: &AppState, id: i64) -> Result<()> {
    let article = storage::articles::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    if article.deleted_at.is_some() {
        return Ok(());
    }
    let site = state
        .site_by_id(article.site_id)
        .ok_or(Error::NotFound("site"))?;
    let txn = state.db.begin().await?;
    storage::articles::mark_deleted(&txn, id, now_millis()).await?;
    let inboxes = storage::follows::follower_inboxes(&txn, site.id).await?;
    if !inboxes.is_empty() {
        let activity = activity::delete(
            &state.urls.new_activity(&site.slug, "delete"),
            &state.urls.site_actor(&site.slug),
            &article.ap_id,
            &state.urls.site_followers(&site.slug),
        );
        delivery::enqueue(&txn, site, &activity, &inboxes).await?;
    }
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

fn rfc3339(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Visible comments of an article (published, not deleted), oldest first, as the
/// fediverse sees them: imported comments are not federated (they have no `Note` to
/// fetch), so its collections do not list them.
async fn visible_comments(
    state: &AppState,
    article: &article::Model,
) -> Result<Vec<storage::entities::comment::Model>> {
    Ok(storage::comments::list_for_article(&state.db, article.id)
        .await?
        .into_iter()
        .filter(crate::services::threads::visible::is_visible)
        .filter(|c| c.import_source.is_none())
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
    let mode = crate::services::judging::mode_of(state, article).await?;
    let authors = authors_of(state, article).await?;
    Ok(document(state, site, article, replies, mode, authors))
}

/// The journalist who signs `article`, if any and still active.
pub async fn author_of(
    state: &AppState,
    article: &article::Model,
) -> Result<Option<crate::services::newsroom::journalists::Journalist>> {
    match article.author_id {
        Some(id) => Ok(crate::services::newsroom::journalists::by_id(state, id)
            .await?
            .filter(|j| !j.disabled)),
        None => Ok(None),
    }
}

/// The actors `attributedTo` names after the site: the signing journalist, unless
/// disabled (their actor is gone).
async fn authors_of(state: &AppState, article: &article::Model) -> Result<Vec<String>> {
    Ok(author_of(state, article)
        .await?
        .map(|j| j.actor(state))
        .into_iter()
        .collect())
}

fn document(
    state: &AppState,
    site: &Site,
    article: &article::Model,
    replies: Vec<String>,
    mode: Mode,
    authors: Vec<String>,
) -> Value {
    ArticleJson::build(ArticleParts {
        mode,
        id: &article.ap_id,
        title: &article.title,
        summary: article.summary.as_deref(),
        page_url: &article.url,
        site_actor: &state.urls.site_actor(&site.slug),
        authors,
        followers: &state.urls.site_followers(&site.slug),
        published: rfc3339(article.published),
        updated: (article.updated_at > article.created_at).then(|| rfc3339(article.updated_at)),
        replies,
    })
}

/// The direct replies to the article, as listed in its `replies` (published only).
async fn reply_ids(state: &AppState, article: &article::Model) -> Result<Vec<Value>> {
    Ok(visible_comments(state, article)
        .await?
        .into_iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| Value::String(c.ap_id))
        .collect())
}

/// `replies`: the direct replies to the article, on its first page inline (as the
/// `Article` embeds it).
pub async fn replies_collection(
    state: &AppState,
    article: &article::Model,
) -> Result<OrderedCollection> {
    Ok(OrderedCollection::with_first_page(
        format!("{}/replies", article.ap_id),
        reply_ids(state, article).await?,
    ))
}

/// `replies?page=1`: that first (and only) page on its own.
pub async fn replies_page(
    state: &AppState,
    article: &article::Model,
) -> Result<OrderedCollectionPage> {
    Ok(OrderedCollectionPage::only(
        &format!("{}/replies", article.ap_id),
        reply_ids(state, article).await?,
    ))
}

/// A staff reply's own replies (published only), with the collection's id: the
/// `replies` of its `Note`. Not found unless it is a staff reply readers can see.
pub async fn comment_replies(state: &AppState, comment_id: i64) -> Result<(String, Vec<Value>)> {
    let visible = crate::services::threads::visible::is_visible;
    let comment = storage::moderation::find_comment(&state.db, comment_id)
        .await?
        .filter(|c| c.staff_name.is_some() && visible(c))
        .ok_or(Error::NotFound("comment"))?;
    let items = storage::comments::list_for_article(&state.db, comment.article_id)
        .await?
        .into_iter()
        .filter(|c| c.parent_id == Some(comment.id) && visible(c))
        .map(|c| Value::String(c.ap_id))
        .collect();
    Ok((format!("{}/replies", comment.ap_id), items))
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
