//! The thread of an article as readers see it: published comments as a tree, deleted or
//! removed ones as placeholders only where they still have visible replies.

pub mod comments;
pub mod crawl;
pub mod interact;
pub mod quotes;
pub mod visible;

use crate::services::{newsroom::highlights::Editorial, remote::actors::handle};
use crate::{
    domain::{from_millis, Attachment, Tag},
    error::{Error, Result},
    federation::protocol::approval::ReplyAuthorization,
    state::AppState,
    storage::{
        self,
        entities::{article, comment, highlight, remote_actor},
    },
};
use chrono::SecondsFormat;
use serde::Serialize;
use std::collections::HashMap;

/// `GET /api/v1/threads` answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThreadView {
    pub article: ArticleView,
    /// The site: its moderation mode, its charter, its language.
    pub site: Option<SiteView>,
    /// Published comments in the thread.
    pub total: u64,
    /// Editors' picks, in their order, each with its note (`editorial`); they stay in
    /// the tree too, marked `highlighted`.
    pub highlighted: Vec<CommentNode>,
    /// Top-level comments, oldest first, each with its replies.
    pub comments: Vec<CommentNode>,
    /// Citations: published posts quoting the article or a staff reply (FEP-044f),
    /// newest first as Mastodon lists a post's quotes (they are not a conversation to
    /// read in order but what is being said about the article now); never in
    /// `comments` nor in `total`.
    pub quotes: Vec<CommentNode>,
    /// How many `quotes` there are (of the latest 500).
    pub quotes_total: u64,
    /// When the thread is read by pages (`limit`): the `after` of the next page, `null`
    /// on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<i64>,
}

/// Which part of a thread to read: every comment, or `limit` top-level comments (with
/// all their replies) after the top-level comment `after`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Page {
    pub limit: Option<u64>,
    pub after: Option<i64>,
}

/// The most top-level comments one page may hold.
pub const MAX_PAGE: u64 = 500;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SiteView {
    pub slug: String,
    pub name: String,
    /// `post`, `pre` or `closed` (for this article).
    pub mode: crate::moderation::Mode,
    pub charter_url: Option<String>,
    /// The site's own words above the thread (else the mode's sentence).
    pub charter_text: Option<String>,
    pub language: Option<String>,
    /// Where readers with no fediverse account learn how to join (the site's choice).
    pub join_url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleView {
    pub id: i64,
    pub url: String,
    pub ap_id: String,
    pub title: String,
    pub summary: Option<String>,
    pub published: String,
    /// `Like`s of the article from the fediverse.
    pub likes: u64,
    /// Boosts (`Announce`) of the article.
    pub announces: u64,
    /// The journalist who signs it: `handle` is what the page's
    /// `<meta name="fediverse:creator">` names; `null` when the site signs alone.
    pub author: Option<AuthorView>,
    /// Emoji reactions to the article, most used first.
    pub reactions: Vec<ReactionView>,
}

/// One emoji and how many reacted with it (`EmojiReact`, Misskey's reactions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReactionView {
    /// A unicode emoji, or a custom one's `:name:`.
    pub emoji: String,
    pub count: u64,
    /// A custom emoji's image (an http(s) URL its server gave); `null` for unicode.
    pub icon: Option<String>,
}

/// Reactions shown per target, at most: one emoji each from many actors still makes a
/// list readers can take in.
const MAX_REACTIONS_SHOWN: usize = 20;

fn reaction_views(context: &Context<'_>, target: Option<i64>) -> Vec<ReactionView> {
    context
        .reactions
        .get(&target)
        .map(|list| {
            list.iter()
                .take(MAX_REACTIONS_SHOWN)
                .map(|e| ReactionView {
                    emoji: e.emoji.clone(),
                    count: e.count,
                    icon: e.icon.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuthorView {
    /// `@name@host`.
    pub handle: String,
    pub name: Option<String>,
    /// Profile page.
    pub url: Option<String>,
    pub avatar: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommentNode {
    pub id: i64,
    pub ap_id: String,
    pub url: Option<String>,
    pub in_reply_to: String,
    /// `null` on placeholders.
    pub author: Option<AuthorView>,
    /// Sanitised HTML; empty on placeholders.
    pub content_html: String,
    /// Content warning.
    pub summary: Option<String>,
    pub sensitive: bool,
    pub language: Option<String>,
    pub attachments: Vec<Attachment>,
    /// Mentions, hashtags and custom emoji.
    pub tags: Vec<Tag>,
    pub published: String,
    /// When the author last edited it.
    pub edited: Option<String>,
    /// A placeholder for a deleted or removed comment that keeps its replies in place.
    pub deleted: bool,
    /// Why the moderators removed it (`off_topic`, `repeated`…), on placeholders.
    pub removed_reason: Option<String>,
    pub highlighted: bool,
    /// The editors' note, who highlighted it and when.
    pub editorial: Option<Editorial>,
    /// Written by the newsroom (a staff reply from the site).
    pub staff: bool,
    /// On staff replies: who signed it, their name and title as written (shown beside
    /// the newsroom's badge, not in the handle); `null` on readers' comments.
    pub byline: Option<Byline>,
    pub likes: u64,
    pub announces: u64,
    /// Emoji reactions, most used first.
    pub reactions: Vec<ReactionView>,
    /// The program an imported comment came from ("Disqus", "WordPress"…), where its
    /// site shows it (`show_import_source`); `null` otherwise.
    pub imported_from: Option<String>,
    #[schema(no_recursion)]
    pub children: Vec<CommentNode>,
}

/// How a staff member signs: their name, and their title ("cheffe du service
/// Société") when they gave one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Byline {
    pub name: String,
    pub title: Option<String>,
}

/// Likes and boosts per target (`None`: the article).
pub type Counts = HashMap<Option<i64>, (u64, u64)>;

fn time(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The thread as the API serves it (JSON), rendered once and kept by the read cache
/// until the next write.
pub async fn rendered_thread(
    state: &AppState,
    url: &str,
    page: Page,
) -> Result<std::sync::Arc<crate::runtime::read_cache::Rendered>> {
    let key = format!("thread {:?} {:?} {url}", page.limit, page.after);
    state
        .reads
        .get_or_render(&state.db, &key, || async {
            let view = thread(state, url, page).await?;
            serde_json::to_vec(&view).map_err(|e| Error::Internal(e.into()))
        })
        .await
}

/// The thread of the article registered at `url` (its page URL or its AP id), whole or
/// one page of it.
pub async fn thread(state: &AppState, url: &str, page: Page) -> Result<ThreadView> {
    let article = match storage::articles::find_by_ap_id_or_url(&state.db, url).await? {
        Some(article) => article,
        // A page of one of our sites we have not seen: it registers itself.
        None => crate::services::articles::autoregister::from_page(state, url)
            .await?
            .ok_or(Error::NotFound("article"))?,
    };
    if article.deleted_at.is_some() {
        return Err(Error::Gone("article"));
    }
    let highlights = storage::highlights::for_article(&state.db, article.id).await?;
    // A page reads its top-level comments and their replies only, so the first page of
    // a 100,000-comment thread costs what it costs in a short one.
    let (comments, paged) = match page.limit {
        None => (
            storage::comments::list_for_article(&state.db, article.id).await?,
            None,
        ),
        Some(limit) => {
            let limit = limit.clamp(1, MAX_PAGE);
            let (mut rows, more) =
                storage::threads::top_level_page(&state.db, article.id, page.after, limit).await?;
            let next = rows.last().map(|c| c.id).filter(|_| more);
            let roots: Vec<i64> = rows.iter().map(|c| c.id).collect();
            rows.extend(storage::threads::descendants(&state.db, &roots).await?);
            let (total, _) = storage::threads::visible_counts(&state.db, article.id).await?;
            (rows, Some((next, total)))
        }
    };
    // Highlighted comments outside the page still head it, in the editors' selection.
    let extra = match paged {
        Some(_) => {
            let on_page: std::collections::HashSet<i64> = comments.iter().map(|c| c.id).collect();
            let outside = highlights
                .iter()
                .map(|h| h.comment_id)
                .filter(|id| !on_page.contains(id))
                .collect();
            storage::threads::find_many(&state.db, outside).await?
        }
        None => Vec::new(),
    };
    // The latest ones: a thread shows what is said about the article now, not all of it.
    let quotes = storage::quotes::for_article(&state.db, article.id, MAX_PAGE).await?;
    let author_ids: Vec<i64> = comments
        .iter()
        .chain(&extra)
        .chain(&quotes)
        .filter_map(|c| c.author_id)
        .collect();
    let authors: HashMap<i64, remote_actor::Model> =
        storage::actors::find_many(&state.db, author_ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    let reactions = storage::reactions::counts_for_article(&state.db, article.id).await?;
    let site = state.site_by_id(article.site_id);
    let staff_author = site.map(|site| AuthorView {
        handle: format!("@{}@{}", site.slug, state.settings.public_host()),
        name: Some(site.name.clone()),
        url: Some(site.origin.to_string()),
        avatar: None,
    });
    // Staff replies show their journalist's handle (the site's when there is none).
    let staff_ids: Vec<i64> = comments
        .iter()
        .chain(&extra)
        .filter_map(|c| c.staff_id)
        .collect();
    let journalists = crate::services::newsroom::journalists::handles(state, staff_ids).await?;
    let journalist_view = |j: &crate::services::newsroom::journalists::Journalist| AuthorView {
        handle: j.handle(state),
        name: Some(j.display_name.clone()),
        url: Some(j.actor(state)),
        avatar: None,
    };
    let staff_handles = journalists
        .values()
        .map(|j| (j.id, journalist_view(j)))
        .collect();
    let article_author = crate::services::articles::author_of(state, &article)
        .await?
        .map(|j| journalist_view(&j));
    let mode = crate::services::judging::mode_of(state, &article).await?;
    let site_view = site.map(|s| SiteView {
        slug: s.slug.clone(),
        name: s.name.clone(),
        mode,
        charter_url: s.charter_url.as_ref().map(|u| u.to_string()),
        charter_text: s.charter_text.clone(),
        language: s.language.clone(),
        join_url: s.join_url.to_string(),
    });
    let context = Context {
        site: site_view,
        authors: &authors,
        counts: &reactions.counts,
        reactions: &reactions.emoji,
        highlights: highlights.iter().map(|h| (h.comment_id, h)).collect(),
        staff_author,
        staff_handles,
        article_author,
        show_import_source: site
            .and_then(|s| state.settings.sites.iter().find(|c| c.slug == s.slug))
            .is_some_and(|s| s.show_import_source),
    };
    let mut view = build(&article, comments, &context, &highlights);
    view.quotes = quotes
        .into_iter()
        .filter_map(|q| node(q, Vec::new(), &context, &mut view.quotes_total))
        .filter(|n| !n.deleted)
        .collect();
    if let Some((next, total)) = paged {
        view.total = total;
        view.next = next;
        let mut picked: HashMap<i64, CommentNode> = extra
            .into_iter()
            .filter_map(|c| node(c, Vec::new(), &context, &mut 0))
            .filter(|n| !n.deleted)
            .map(|n| (n.id, n))
            .collect();
        // Rebuild the selection in the editors' order from both sources.
        let mut on_page: HashMap<i64, CommentNode> = std::mem::take(&mut view.highlighted)
            .into_iter()
            .map(|n| (n.id, n))
            .collect();
        view.highlighted = highlights
            .iter()
            .filter_map(|h| {
                on_page
                    .remove(&h.comment_id)
                    .or_else(|| picked.remove(&h.comment_id))
            })
            .collect();
    }
    Ok(view)
}

/// The page URL of the article a comment answers (where a reader goes back to).
pub async fn article_url_of(state: &AppState, comment_id: i64) -> Result<Option<String>> {
    let Some(comment) = storage::moderation::find_comment(&state.db, comment_id).await? else {
        return Ok(None);
    };
    Ok(storage::articles::find(&state.db, comment.article_id)
        .await?
        .map(|a| a.url))
}

/// The article a comment belongs to (`None` for an unknown comment).
pub async fn article_of(state: &AppState, comment_id: i64) -> Result<Option<i64>> {
    Ok(storage::moderation::find_comment(&state.db, comment_id)
        .await?
        .map(|c| c.article_id))
}

/// The `ReplyAuthorization` of a reply we published (GoToSocial's reply approval); 404
/// for anything else.
pub async fn approval(state: &AppState, comment_id: i64) -> Result<ReplyAuthorization> {
    let missing = || Error::NotFound("approval");
    let comment = storage::moderation::find_comment(&state.db, comment_id)
        .await?
        // A quote is not a reply: its stamp is its `QuoteAuthorization`, never this.
        .filter(|c| c.quote_of.is_none() && visible::is_visible(c))
        .ok_or_else(missing)?;
    let article = storage::articles::find(&state.db, comment.article_id)
        .await?
        .ok_or_else(missing)?;
    let site = state.site_by_id(article.site_id).ok_or_else(missing)?;
    Ok(ReplyAuthorization::new(
        state.urls.approval(comment.id),
        state.urls.site_actor(&site.slug),
        comment.ap_id,
        comment.in_reply_to,
    ))
}

/// What the tree is built with besides the comments.
pub struct Context<'a> {
    pub site: Option<SiteView>,
    pub authors: &'a HashMap<i64, remote_actor::Model>,
    pub counts: &'a Counts,
    /// Emoji reactions per target (`None`: the article).
    pub reactions: &'a HashMap<Option<i64>, Vec<storage::reactions::EmojiCount>>,
    pub highlights: HashMap<i64, &'a highlight::Model>,
    /// How staff replies are signed: the site.
    pub staff_author: Option<AuthorView>,
    /// Journalists' actors by staff id: their replies show their handle.
    pub staff_handles: HashMap<i64, AuthorView>,
    /// The journalist who signs the article.
    pub article_author: Option<AuthorView>,
    /// Whether imported comments say where they came from (the site's setting).
    pub show_import_source: bool,
}

/// Builds the tree from the rows; pure, so it is tested without a database.
pub fn build(
    article: &article::Model,
    comments: Vec<comment::Model>,
    context: &Context<'_>,
    highlights: &[highlight::Model],
) -> ThreadView {
    let mut children_of: HashMap<Option<i64>, Vec<comment::Model>> = HashMap::new();
    for c in comments {
        children_of.entry(c.parent_id).or_default().push(c);
    }
    let mut total = 0;
    let comments = nodes(None, &mut children_of, context, &mut total);
    let (likes, announces) = context.counts.get(&None).copied().unwrap_or_default();
    // The selection, in the editors' order, without the replies (they are in the tree).
    let mut by_id = HashMap::new();
    collect(&comments, &mut by_id);
    let highlighted = highlights
        .iter()
        .filter_map(|h| by_id.get(&h.comment_id))
        .filter(|n| !n.deleted)
        .map(|n| CommentNode {
            children: Vec::new(),
            ..(*n).clone()
        })
        .collect();
    ThreadView {
        article: ArticleView {
            id: article.id,
            url: article.url.clone(),
            ap_id: article.ap_id.clone(),
            title: article.title.clone(),
            summary: article.summary.clone(),
            published: time(article.published),
            likes,
            announces,
            reactions: reaction_views(context, None),
            author: context.article_author.clone(),
        },
        site: context.site.clone(),
        total,
        highlighted,
        comments,
        quotes: Vec::new(),
        quotes_total: 0,
        next: None,
    }
}

fn collect<'a>(nodes: &'a [CommentNode], out: &mut HashMap<i64, &'a CommentNode>) {
    for node in nodes {
        out.insert(node.id, node);
        collect(&node.children, out);
    }
}

fn nodes(
    parent: Option<i64>,
    children_of: &mut HashMap<Option<i64>, Vec<comment::Model>>,
    context: &Context<'_>,
    total: &mut u64,
) -> Vec<CommentNode> {
    let Some(rows) = children_of.remove(&parent) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let children = nodes(Some(c.id), children_of, context, total);
        out.extend(node(c, children, context, total));
    }
    out
}

/// One comment as readers see it, with its replies already built; `None` when it is
/// hidden and nothing below it is visible.
fn node(
    c: comment::Model,
    children: Vec<CommentNode>,
    context: &Context<'_>,
    total: &mut u64,
) -> Option<CommentNode> {
    let (likes, announces) = context.counts.get(&Some(c.id)).copied().unwrap_or_default();
    let author = c.author_id.and_then(|id| context.authors.get(&id));
    let staff = c.staff_name.is_some();
    let visible = visible::is_visible(&c) && author.is_none_or(|a| a.deleted_at.is_none());
    if !visible && children.is_empty() {
        return None;
    }
    if visible {
        *total += 1;
    }
    Some(CommentNode {
        id: c.id,
        ap_id: c.ap_id,
        url: c.url.filter(|_| visible),
        in_reply_to: c.in_reply_to,
        author: match (visible, author, &c.staff_name) {
            (false, _, _) => None,
            (true, Some(a), _) => Some(AuthorView {
                handle: handle(a),
                name: a.name.clone(),
                url: a.url.clone().or_else(|| Some(a.ap_id.clone())),
                avatar: a.avatar_url.clone(),
            }),
            // A staff reply: its journalist's actor, else the site; signed by the name
            // as written.
            (true, None, Some(name)) => c
                .staff_id
                .and_then(|id| context.staff_handles.get(&id))
                .or(context.staff_author.as_ref())
                .cloned()
                .map(|author| AuthorView {
                    name: Some(name.clone()),
                    ..author
                }),
            // An imported comment: its author as the other program knew them (never
            // their e-mail address or its hash), their website as their link.
            (true, None, None) => c.import_source.as_ref().map(|_| AuthorView {
                handle: String::new(),
                name: c.author_name.clone(),
                url: c.author_website.clone(),
                avatar: None,
            }),
        },
        content_html: if visible {
            c.content_html
        } else {
            String::new()
        },
        summary: c.summary.filter(|_| visible),
        sensitive: visible && c.sensitive,
        language: c.language,
        attachments: if visible {
            serde_json::from_str(&c.attachments).unwrap_or_default()
        } else {
            Vec::new()
        },
        tags: if visible {
            serde_json::from_str(&c.tags).unwrap_or_default()
        } else {
            Vec::new()
        },
        published: time(c.published),
        edited: c.edited_at.map(time),
        deleted: !visible,
        removed_reason: if visible || c.deleted_at.is_some() {
            None
        } else {
            c.moderation_reason.clone()
        },
        highlighted: visible && context.highlights.contains_key(&c.id),
        editorial: context
            .highlights
            .get(&c.id)
            .filter(|_| visible)
            .map(|h| Editorial::from(*h)),
        staff,
        byline: c.staff_name.clone().filter(|_| visible).map(|name| Byline {
            name,
            title: c.staff_title.clone(),
        }),
        likes,
        announces,
        reactions: if visible {
            reaction_views(context, Some(c.id))
        } else {
            Vec::new()
        },
        imported_from: c
            .import_source
            .as_deref()
            .filter(|_| visible && context.show_import_source)
            .and_then(crate::services::imports::Format::parse)
            .map(|f| f.display_name().to_string()),
        children,
    })
}
