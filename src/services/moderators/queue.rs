//! The moderators' queue: comments by status with the rules that fired, reports and
//! who decided; one comment in detail.

use crate::services::staff::{Role, Staff};
use crate::{
    domain::{from_millis, CommentStatus},
    error::{Error, Result},
    moderation::Verdict,
    state::AppState,
    storage::{
        self,
        entities::{article, comment},
    },
};
use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};

/// A comment in the moderation queue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueItem {
    pub id: i64,
    pub ap_id: String,
    pub article_id: i64,
    pub article_url: String,
    pub site: String,
    pub author: Option<String>,
    pub author_handle: Option<String>,
    pub content_html: String,
    pub summary: Option<String>,
    pub status: CommentStatus,
    /// What automatic moderation decided, and which rules fired.
    pub verdict: Option<Verdict>,
    pub moderation_reason: Option<String>,
    pub moderation_note: Option<String>,
    pub moderated_by: Option<String>,
    /// Hidden by a block of its author or domain.
    pub suppressed_by: Option<String>,
    pub open_reports: usize,
    pub published: String,
}

/// Queue filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct QueueFilter {
    pub site: Option<String>,
    /// `held` (default), `rejected`, `hidden`, `published`, `reported` or `all`.
    pub status: Option<String>,
    pub article: Option<i64>,
    /// Only comments on which this rule fired (`rule:3`, `builtin:max_links`…).
    pub rule: Option<String>,
}

pub async fn queue(state: &AppState, staff: &Staff, filter: QueueFilter) -> Result<Vec<QueueItem>> {
    staff.require(Role::Moderator)?;
    let status = filter
        .status
        .as_deref()
        .unwrap_or(CommentStatus::Held.as_str());
    let reports = storage::reports::open_comment_reports(&state.db).await?;
    let statuses: Vec<CommentStatus> = match status {
        "reported" | "all" => vec![],
        other => vec![CommentStatus::parse(other)
            .ok_or_else(|| Error::Unprocessable(format!("unknown status {other}")))?],
    };
    let mut article_ids = match &filter.site {
        Some(slug) => {
            let site = state.site(slug).ok_or(Error::NotFound("site"))?;
            Some(storage::moderation::article_ids_of_site(&state.db, site.id).await?)
        }
        None => None,
    };
    if let Some(article) = filter.article {
        article_ids = Some(match article_ids {
            Some(ids) => ids.into_iter().filter(|id| *id == article).collect(),
            None => vec![article],
        });
    }
    let only =
        (status == "reported").then(|| reports.iter().map(|r| r.comment_id).collect::<Vec<_>>());
    let rows = storage::moderation::queue(&state.db, &statuses, article_ids, only, 500).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let verdict: Option<Verdict> = row
            .verdict
            .as_deref()
            .and_then(|v| serde_json::from_str(v).ok());
        if let Some(rule) = &filter.rule {
            if !verdict
                .as_ref()
                .is_some_and(|v| v.hits.iter().any(|h| &h.rule == rule))
            {
                continue;
            }
        }
        items.push(item(state, row, verdict, &reports).await?);
    }
    Ok(items)
}

async fn item(
    state: &AppState,
    row: comment::Model,
    verdict: Option<Verdict>,
    reports: &[storage::entities::comment_report::Model],
) -> Result<QueueItem> {
    let article = storage::articles::find(&state.db, row.article_id).await?;
    let author = match row.author_id {
        Some(id) => storage::actors::find_many(&state.db, vec![id]).await?.pop(),
        None => None,
    };
    Ok(QueueItem {
        site: article
            .as_ref()
            .and_then(|a| state.site_by_id(a.site_id))
            .map(|s| s.slug.clone())
            .unwrap_or_default(),
        article_url: article.map(|a| a.url).unwrap_or_default(),
        author_handle: author.as_ref().map(crate::services::remote::actors::handle),
        author: author.map(|a| a.ap_id),
        open_reports: reports.iter().filter(|r| r.comment_id == row.id).count(),
        published: from_millis(row.published).to_rfc3339_opts(SecondsFormat::Secs, true),
        id: row.id,
        ap_id: row.ap_id,
        article_id: row.article_id,
        content_html: row.content_html,
        summary: row.summary,
        status: row.status,
        verdict,
        moderation_reason: row.moderation_reason,
        moderation_note: row.moderation_note,
        moderated_by: row.moderated_by,
        suppressed_by: row.suppressed_by,
    })
}

/// A comment as the console shows it in its context: its article, the rules that
/// fired, and the author's latest comments.
pub struct CommentDetail {
    pub comment: comment::Model,
    pub article: article::Model,
    pub verdict: Option<Verdict>,
    pub by_author: Vec<comment::Model>,
}

/// A comment in its context (callers check the role).
pub async fn comment_detail(state: &AppState, id: i64) -> Result<CommentDetail> {
    let comment = storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    let article = storage::articles::find(&state.db, comment.article_id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    let verdict = comment
        .verdict
        .as_deref()
        .and_then(|v| serde_json::from_str::<Verdict>(v).ok());
    let by_author = match comment.author_id {
        Some(author) => storage::moderation::recent_by_author(&state.db, author, 20).await?,
        None => Vec::new(),
    };
    Ok(CommentDetail {
        comment,
        article,
        verdict,
        by_author,
    })
}
