//! The editors' selection as the console shows it: recent articles to pick from, one
//! article's published comments with its highlights in order, moving a highlight up or
//! down, and how a staff member signs their replies (name and title).

use crate::services::{
    newsroom::highlights,
    staff::{Role, Staff},
    threads::{self, Byline, CommentNode, Page},
};
use crate::{
    domain::from_millis,
    error::{Error, Result},
    state::AppState,
    storage,
};
use chrono::SecondsFormat;
use serde::Serialize;

/// How many recent articles the selection lists.
const RECENT: u64 = 100;
/// Longest display name and title one may sign with.
pub const MAX_NAME: usize = 80;
pub const MAX_TITLE: usize = 120;

/// An article the editors may pick comments from.
#[derive(Debug, Serialize)]
pub struct ArticlePick {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub site: String,
    /// RFC 3339.
    pub published: String,
    /// Comments readers see.
    pub comments: u64,
    pub highlighted: u64,
}

/// The most recently published articles, newest first, with their counts.
pub async fn articles(state: &AppState, staff: &Staff) -> Result<Vec<ArticlePick>> {
    staff.require(Role::Editor)?;
    Ok(storage::newsroom::recent_articles(&state.db, RECENT)
        .await?
        .into_iter()
        .map(|row| ArticlePick {
            site: state
                .site_by_id(row.article.site_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            id: row.article.id,
            title: row.article.title,
            url: row.article.url,
            published: from_millis(row.article.published)
                .to_rfc3339_opts(SecondsFormat::Secs, true),
            comments: row.visible,
            highlighted: row.highlighted,
        })
        .collect())
}

/// A published comment as the editors see it, flattened from the thread.
#[derive(Debug, Serialize)]
pub struct Pickable {
    #[serde(flatten)]
    pub comment: CommentNode,
    /// Replies above it (0: a top-level comment).
    pub depth: usize,
}

/// One article's selection and its published comments (the reader's thread, flattened
/// in reading order, placeholders left out).
#[derive(Debug, Serialize)]
pub struct ArticleSelection {
    pub article: ArticlePick,
    /// Highlights in the editors' order.
    pub highlighted: Vec<CommentNode>,
    pub comments: Vec<Pickable>,
}

pub async fn article(state: &AppState, staff: &Staff, id: i64) -> Result<ArticleSelection> {
    staff.require(Role::Editor)?;
    let row = storage::articles::find(&state.db, id)
        .await?
        .filter(|a| a.deleted_at.is_none())
        .ok_or(Error::NotFound("article"))?;
    let view = threads::thread(state, &row.ap_id, Page::default()).await?;
    let mut comments = Vec::new();
    flatten(view.comments, 0, &mut comments);
    Ok(ArticleSelection {
        article: ArticlePick {
            id: row.id,
            site: state
                .site_by_id(row.site_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            title: row.title,
            url: row.url,
            published: view.article.published,
            comments: view.total,
            highlighted: view.highlighted.len() as u64,
        },
        highlighted: view.highlighted,
        comments,
    })
}

fn flatten(nodes: Vec<CommentNode>, depth: usize, out: &mut Vec<Pickable>) {
    for mut node in nodes {
        let children = std::mem::take(&mut node.children);
        if !node.deleted {
            out.push(Pickable {
                comment: node,
                depth,
            });
        }
        flatten(children, depth + 1, out);
    }
}

/// Moves a highlighted comment one place up (`up`) or down in its article's selection.
pub async fn move_highlight(
    state: &AppState,
    staff: &Staff,
    article_id: i64,
    comment_id: i64,
    up: bool,
) -> Result<()> {
    staff.require(Role::Editor)?;
    let mut order: Vec<i64> = storage::highlights::for_article(&state.db, article_id)
        .await?
        .into_iter()
        .map(|h| h.comment_id)
        .collect();
    let at = order
        .iter()
        .position(|c| *c == comment_id)
        .ok_or(Error::NotFound("highlight"))?;
    let to = if up {
        at.checked_sub(1)
    } else {
        Some(at + 1).filter(|to| *to < order.len())
    };
    let Some(to) = to else {
        // Already first (or last): nothing moves.
        return Ok(());
    };
    order.swap(at, to);
    highlights::reorder(state, staff, article_id, order).await
}

/// How a staff member signs their replies (as the thread shows it).
pub type Signature = Byline;

/// The signature of the staff member acting (the bootstrap token signs as itself).
pub async fn signature(state: &AppState, staff: &Staff) -> Result<Signature> {
    let stored = match staff.id {
        Some(id) => storage::newsroom::signature(&state.db, id).await?,
        None => None,
    };
    Ok(match stored {
        Some((name, title)) => Signature { name, title },
        None => Signature {
            name: staff.display_name.clone(),
            title: None,
        },
    })
}

/// Sets one's own name and title (an empty title removes it).
pub async fn set_signature(
    state: &AppState,
    staff: &Staff,
    name: &str,
    title: Option<&str>,
) -> Result<Signature> {
    staff.require(Role::Editor)?;
    let Some(id) = staff.id else {
        return Err(Error::Unprocessable(
            "the bootstrap token has no account to sign with".into(),
        ));
    };
    let name = name.trim();
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(Error::Unprocessable(format!(
            "display_name: 1 to {MAX_NAME} characters"
        )));
    }
    if title.is_some_and(|t| t.chars().count() > MAX_TITLE) {
        return Err(Error::Unprocessable(format!(
            "title: {MAX_TITLE} characters at most"
        )));
    }
    if name
        .chars()
        .chain(title.unwrap_or("").chars())
        .any(char::is_control)
    {
        return Err(Error::Unprocessable(
            "display_name, title: no control characters".into(),
        ));
    }
    storage::newsroom::set_signature(&state.db, id, name, title).await?;
    staff
        .audit(
            &state.db,
            "staff.signature",
            "moderator",
            id,
            serde_json::json!({"display_name": name, "title": title}),
        )
        .await?;
    Ok(Signature {
        name: name.to_string(),
        title: title.map(str::to_string),
    })
}
