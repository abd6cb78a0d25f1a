//! Articles as the console lists them: title, site, date, comments counted by status,
//! and the article's own mode (open, pre-moderated, closed) or the site's. Editors may
//! read the list; changing a mode is for moderators (`policies::set_article_mode`).

use crate::services::staff::{Role, Staff};
use crate::{
    domain::{from_millis, CommentStatus, Mode},
    error::{Error, Result},
    state::AppState,
    storage,
};
use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: u32 = 25;
pub const MAX_PER_PAGE: u32 = 200;

/// An article with its counts.
#[derive(Debug, Serialize)]
pub struct ArticleLine {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub site: String,
    pub published: String,
    pub published_count: i64,
    pub held_count: i64,
    pub hidden_count: i64,
    /// The article's own mode; `None`: the site's.
    pub mode: Option<Mode>,
    /// The mode in force (the article's, else the site's).
    pub effective_mode: Mode,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ArticleFilter {
    pub site: Option<String>,
    pub page: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct ArticlePage {
    pub articles: Vec<ArticleLine>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// One page of articles, newest first (editors and up).
pub async fn list(state: &AppState, staff: &Staff, filter: ArticleFilter) -> Result<ArticlePage> {
    staff.require(Role::Editor)?;
    let site_id = match filter.site.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => Some(state.site(slug).ok_or(Error::NotFound("site"))?.id),
        None => None,
    };
    let per_page = PER_PAGE.min(MAX_PER_PAGE) as u64;
    let (_, total) = storage::console::articles_page(&state.db, site_id, 0, 0).await?;
    let pages = total.div_ceil(per_page).max(1) as u32;
    let page = filter.page.unwrap_or(1).clamp(1, pages);
    let (rows, _) =
        storage::console::articles_page(&state.db, site_id, (page as u64 - 1) * per_page, per_page)
            .await?;
    let counts =
        storage::console::comment_counts(&state.db, rows.iter().map(|r| r.id).collect()).await?;
    let mut articles = Vec::with_capacity(rows.len());
    for row in rows {
        let count = |status: CommentStatus| {
            counts
                .iter()
                .filter(|(a, s, _)| *a == row.id && *s == status)
                .map(|(_, _, n)| *n)
                .sum::<i64>()
        };
        let site_mode = super::site_mode(state, row.site_id)
            .await?
            .map(|(m, _)| m)
            .unwrap_or(Mode::Post);
        articles.push(ArticleLine {
            published_count: count(CommentStatus::Published),
            held_count: count(CommentStatus::Held),
            hidden_count: count(CommentStatus::Hidden),
            site: state
                .site_by_id(row.site_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            published: from_millis(row.published).to_rfc3339_opts(SecondsFormat::Secs, true),
            effective_mode: row.moderation_mode.unwrap_or(site_mode),
            mode: row.moderation_mode,
            id: row.id,
            title: row.title,
            url: row.url,
        });
    }
    Ok(ArticlePage {
        articles,
        total,
        page,
        pages,
    })
}
