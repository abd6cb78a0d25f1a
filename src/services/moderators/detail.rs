//! One comment as a moderator weighs it: the comment, its parent and replies, and its
//! author's card (name, handle, avatar, first seen, comments by status, recent
//! history, the policies of the author — blocked, trusted, watched — and of their
//! server).

use super::queue::{items, QueueItem};
use crate::services::staff::{Role, Staff};
use crate::{
    domain::{from_millis, Mode, TrustLevel},
    error::{Error, Result},
    state::AppState,
    storage,
};
use chrono::SecondsFormat;
use serde::Serialize;

/// The article a comment is on.
#[derive(Debug, Serialize)]
pub struct ArticleBrief {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub mode: Option<Mode>,
}

/// One of the author's comments, in short.
#[derive(Debug, Serialize)]
pub struct Recent {
    pub id: i64,
    pub status: String,
    pub excerpt: String,
    pub published: String,
}

/// Who wrote the comment, as a moderator needs to know them.
#[derive(Debug, Serialize)]
pub struct AuthorCard {
    pub handle: String,
    pub name: Option<String>,
    pub avatar_url: Option<String>,
    pub url: Option<String>,
    pub domain: String,
    pub first_seen: Option<String>,
    /// `(status, count)`.
    pub counts: Vec<(String, i64)>,
    pub recent: Vec<Recent>,
    /// The server's policy: `suspend`, `silence` or `noop`, and its public comment.
    pub domain_policy: Option<(String, Option<String>)>,
    /// A policy on the author themselves (`block`, `allow` or `watch`).
    pub actor_policy: Option<String>,
    /// Their level (`trusted`, `watched`; `normal` without one, `None` when blocked).
    pub trust: Option<TrustLevel>,
    /// Why the moderator blocked, trusted or watched them.
    pub policy_reason: Option<String>,
}

/// A comment in its thread, with its author.
#[derive(Debug, Serialize)]
pub struct CommentView {
    pub comment: QueueItem,
    pub article: ArticleBrief,
    pub parent: Option<QueueItem>,
    pub replies: Vec<QueueItem>,
    pub author: Option<AuthorCard>,
}

fn is_web(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn iso(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A comment in its context (moderators and up).
pub async fn comment_view(state: &AppState, staff: &Staff, id: i64) -> Result<CommentView> {
    staff.require(Role::Moderator)?;
    let row = storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    let article = storage::articles::find(&state.db, row.article_id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    let parent = match row.parent_id {
        Some(p) => storage::moderation::find_comment(&state.db, p).await?,
        None => None,
    };
    let replies = storage::console::replies(&state.db, id, 50).await?;
    let author = match row.author_id {
        Some(a) => author_card(state, a).await?,
        None => None,
    };
    let mut comment = items(state, vec![row]).await?;
    Ok(CommentView {
        comment: comment.pop().ok_or(Error::NotFound("comment"))?,
        article: ArticleBrief {
            id: article.id,
            title: article.title,
            url: article.url,
            mode: article.moderation_mode,
        },
        parent: match parent {
            Some(p) => items(state, vec![p]).await?.pop(),
            None => None,
        },
        replies: items(state, replies).await?,
        author,
    })
}

async fn author_card(state: &AppState, author_id: i64) -> Result<Option<AuthorCard>> {
    let Some(actor) = storage::actors::find_many(&state.db, vec![author_id])
        .await?
        .pop()
    else {
        return Ok(None);
    };
    let counts = storage::console::author_counts(&state.db, author_id)
        .await?
        .into_iter()
        .map(|(s, n)| (s.to_string(), n))
        .collect();
    let first_seen = storage::console::author_first_seen(&state.db, author_id)
        .await?
        .map(iso);
    let recent = storage::moderation::recent_by_author(&state.db, author_id, 10)
        .await?
        .into_iter()
        .map(|c| Recent {
            id: c.id,
            status: c.status.to_string(),
            excerpt: crate::moderation::text::html_to_text(&c.content_html)
                .chars()
                .take(140)
                .collect(),
            published: iso(c.published),
        })
        .collect();
    // The host, then its parents (a policy on a parent covers its subdomains).
    let host = actor.domain.split(':').next().unwrap_or("").to_string();
    let mut domains = vec![host.clone()];
    let mut rest = host.as_str();
    while let Some((_, parent)) = rest.split_once('.') {
        if !parent.contains('.') {
            break;
        }
        domains.push(parent.to_string());
        rest = parent;
    }
    let domain_policy = storage::console::domain_policy_of(&state.db, domains)
        .await?
        .map(|p| (p.severity.to_string(), p.public_comment));
    let policy = storage::moderation::actor_policy(&state.db, &actor.ap_id).await?;
    let trust = match &policy {
        Some(p) => TrustLevel::of(p.action),
        None => Some(TrustLevel::Normal),
    };
    let actor_policy = policy.as_ref().map(|p| p.action.to_string());
    let policy_reason = policy.and_then(|p| p.reason);
    Ok(Some(AuthorCard {
        handle: crate::services::remote::actors::handle(&actor),
        name: actor.name,
        // Remote text: only web addresses become links and images.
        avatar_url: actor.avatar_url.filter(|u| is_web(u)),
        url: actor.url.filter(|u| is_web(u)),
        domain: actor.domain,
        first_seen,
        counts,
        recent,
        domain_policy,
        actor_policy,
        trust,
        policy_reason,
    }))
}
