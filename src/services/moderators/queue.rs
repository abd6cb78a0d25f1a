//! The moderators' queue: comments by tab (held, reported, rejected, hidden,
//! published), searched (text, author, domain) and filtered (site, article, rule,
//! reason) in the database, paged with a count per tab; each with its article's title,
//! the rules that fired, open reports, the decision and who took it.

use crate::services::staff::{Role, Staff};
use crate::{
    domain::{from_millis, CommentStatus, DomainName, TrustLevel},
    error::{Error, Result},
    moderation::Verdict,
    state::AppState,
    storage::{
        self,
        console::QueueQuery,
        entities::{comment, comment_report},
    },
};
use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The queue's tabs, in the order the console shows them.
pub const TABS: [&str; 5] = ["held", "reported", "rejected", "hidden", "published"];

/// A page holds this many comments unless asked otherwise, and never more than `MAX`.
pub const PER_PAGE: u32 = 25;
pub const MAX_PER_PAGE: u32 = 500;
/// Longest search text accepted (characters).
pub const MAX_QUERY: usize = 200;
/// At most this many authors match one author or domain search.
const MAX_AUTHORS: u64 = 1_000;

/// An open report as the queue shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportBrief {
    /// What the console's "forward to their server" names.
    pub id: i64,
    pub reason: String,
    /// `reader` or `remote`.
    pub source: String,
    /// What the reporter wrote (plain text).
    pub content: String,
}

/// A comment in the moderation queue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueItem {
    pub id: i64,
    pub ap_id: String,
    pub article_id: i64,
    pub article_url: String,
    pub article_title: String,
    pub site: String,
    pub author: Option<String>,
    pub author_handle: Option<String>,
    pub author_name: Option<String>,
    /// `trusted` or `watched` as moderators marked the author; `null` otherwise.
    pub author_trust: Option<TrustLevel>,
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
    pub reports: Vec<ReportBrief>,
    /// In the newsroom's selection.
    pub highlighted: bool,
    /// A staff reply (the newsroom's own).
    pub staff_name: Option<String>,
    /// A quote (FEP-044f, a "citation"), not a reply: the id of what it quotes.
    pub quote_of: Option<String>,
    pub published: String,
}

/// Queue filters and the page asked for.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct QueueFilter {
    pub site: Option<String>,
    /// `held` (default), `rejected`, `hidden`, `published`, `reported` or `all`.
    pub status: Option<String>,
    pub article: Option<i64>,
    /// Only comments on which this rule fired (`rule:3`, `builtin:max_links`…).
    pub rule: Option<String>,
    /// Text in the comment (200 characters at most).
    pub q: Option<String>,
    /// Part of the author's handle or name.
    pub author: Option<String>,
    /// The author's server (its subdomains too).
    pub domain: Option<String>,
    /// A charter reason: the moderator's, or an open report's.
    pub reason: Option<String>,
    /// From 1.
    pub page: Option<u32>,
    /// 25 unless asked, 500 at most.
    pub per_page: Option<u32>,
}

/// One page of the queue with what the console needs around it.
#[derive(Debug, Serialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    /// Comments matching in this tab.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
    /// `(tab, count)` with the same search and filters.
    pub counts: Vec<(String, u64)>,
    pub status: String,
}

fn trimmed(s: &Option<String>, what: &str) -> Result<Option<String>> {
    let Some(s) = s.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if s.chars().count() > MAX_QUERY {
        return Err(Error::Unprocessable(format!(
            "{what}: {MAX_QUERY} characters at most"
        )));
    }
    Ok(Some(s.to_lowercase()))
}

/// The query for a tab, from the filters (validated and bounded).
async fn query_of(state: &AppState, filter: &QueueFilter) -> Result<QueueQuery> {
    let mut q = QueueQuery {
        site_id: match filter.site.as_deref().filter(|s| !s.is_empty()) {
            Some(slug) => Some(state.site(slug).ok_or(Error::NotFound("site"))?.id),
            None => None,
        },
        article_id: filter.article,
        text: trimmed(&filter.q, "q")?,
        rule: trimmed(&filter.rule, "rule")?,
        ..Default::default()
    };
    if let Some(reason) = filter.reason.as_deref().filter(|r| !r.is_empty()) {
        let reason = super::Reason::parse(reason)
            .ok_or_else(|| Error::Unprocessable("reason: one of the charter's".into()))?;
        q.reason = Some(reason.as_str().to_string());
    }
    let author = trimmed(&filter.author, "author")?;
    let author = author.map(|a| a.trim_start_matches('@').to_string());
    // "@name@host" searches the name on that host.
    let (author, mut domain) = match author.as_deref().and_then(|a| a.split_once('@')) {
        Some((name, host)) if !host.is_empty() => (Some(name.to_string()), Some(host.to_string())),
        _ => (author, None),
    };
    if let Some(d) = trimmed(&filter.domain, "domain")? {
        domain = Some(DomainName::parse(&d)?.into_string());
    }
    // Imported comments' authors have no actor: their name is searched on the row.
    q.author_name = author
        .as_deref()
        .filter(|a| !a.is_empty() && domain.is_none())
        .map(str::to_lowercase);
    if author.is_some() || domain.is_some() {
        q.author_ids = Some(
            storage::console::actors_matching(
                &state.db,
                author.as_deref().filter(|a| !a.is_empty()),
                domain.as_deref(),
                MAX_AUTHORS,
            )
            .await?,
        );
    }
    Ok(q)
}

fn for_tab(mut q: QueueQuery, tab: &str) -> Result<QueueQuery> {
    match tab {
        "all" => {}
        // Reported: published comments readers or servers flagged, still open.
        "reported" => {
            q.reported = true;
            q.statuses = vec![CommentStatus::Published, CommentStatus::Held];
        }
        other => {
            q.statuses = vec![CommentStatus::parse(other)
                .ok_or_else(|| Error::Unprocessable(format!("unknown status {other}")))?]
        }
    }
    Ok(q)
}

/// A page of the queue, with every tab's count (moderators and up).
pub async fn queue_page(state: &AppState, staff: &Staff, filter: QueueFilter) -> Result<QueuePage> {
    staff.require(Role::Moderator)?;
    let status = filter
        .status
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| CommentStatus::Held.to_string());
    let per_page = filter.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE);
    let base = query_of(state, &filter).await?;
    let query = for_tab(base.clone(), &status)?;
    let total = storage::console::queue_count(&state.db, &query).await?;
    let pages = total.div_ceil(per_page as u64).max(1) as u32;
    let page = filter.page.unwrap_or(1).clamp(1, pages);
    let rows = storage::console::queue_page(
        &state.db,
        &query,
        (page as u64 - 1) * per_page as u64,
        per_page as u64,
    )
    .await?;
    let mut counts = Vec::with_capacity(TABS.len());
    for tab in TABS {
        let n = if tab == status {
            total
        } else {
            storage::console::queue_count(&state.db, &for_tab(base.clone(), tab)?).await?
        };
        counts.push((tab.to_string(), n));
    }
    Ok(QueuePage {
        items: items(state, rows).await?,
        total,
        page,
        per_page,
        pages,
        counts,
        status,
    })
}

/// The queue as the API lists it: one page (100 unless asked) and the total.
pub async fn queue(
    state: &AppState,
    staff: &Staff,
    mut filter: QueueFilter,
) -> Result<(Vec<QueueItem>, u64)> {
    filter.per_page.get_or_insert(100);
    let page = queue_page(state, staff, filter).await?;
    Ok((page.items, page.total))
}

/// Held comments newer than `after` (the live queue), at most 50 ids, newest first.
pub async fn held_since(state: &AppState, staff: &Staff, after: i64) -> Result<Vec<i64>> {
    staff.require(Role::Moderator)?;
    Ok(storage::console::newest_ids(&state.db, CommentStatus::Held, after, 50).await?)
}

/// Rows made queue items, with their articles, authors (and their levels), reports and
/// highlights read once per page.
pub async fn items(state: &AppState, rows: Vec<comment::Model>) -> Result<Vec<QueueItem>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut reports: HashMap<i64, Vec<comment_report::Model>> = HashMap::new();
    for r in storage::console::open_reports_of(&state.db, ids).await? {
        reports.entry(r.comment_id).or_default().push(r);
    }
    let mut authors = HashMap::new();
    let author_ids: Vec<i64> = rows.iter().filter_map(|r| r.author_id).collect();
    for a in storage::actors::find_many(&state.db, author_ids).await? {
        authors.insert(a.id, a);
    }
    let mut levels = HashMap::new();
    let ap_ids = authors.values().map(|a| a.ap_id.clone()).collect();
    for p in storage::moderation::actor_policies_of(&state.db, ap_ids).await? {
        if let Some(level) = TrustLevel::of(p.action) {
            levels.insert(p.actor_ap_id, level);
        }
    }
    let mut articles = HashMap::new();
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        if let std::collections::hash_map::Entry::Vacant(e) = articles.entry(row.article_id) {
            e.insert(storage::articles::find(&state.db, row.article_id).await?);
        }
        let article = articles.get(&row.article_id).cloned().flatten();
        let highlighted = storage::highlights::find_by_comment(&state.db, row.id)
            .await?
            .is_some();
        let author = row.author_id.and_then(|id| authors.get(&id));
        let reports = reports.remove(&row.id).unwrap_or_default();
        items.push(QueueItem {
            site: article
                .as_ref()
                .and_then(|a| state.site_by_id(a.site_id))
                .map(|s| s.slug.clone())
                .unwrap_or_default(),
            article_title: article
                .as_ref()
                .map(|a| a.title.clone())
                .unwrap_or_default(),
            article_url: article.map(|a| a.url).unwrap_or_default(),
            author_handle: author.map(crate::services::remote::actors::handle),
            // An imported comment's author has no actor: the name its program kept.
            author_name: author
                .and_then(|a| a.name.clone())
                .or_else(|| row.author_name.clone()),
            author_trust: author.and_then(|a| levels.get(&a.ap_id).copied()),
            author: author.map(|a| a.ap_id.clone()),
            open_reports: reports.len(),
            reports: reports
                .into_iter()
                .map(|r| ReportBrief {
                    id: r.id,
                    reason: r.reason,
                    source: r.source,
                    content: r.content,
                })
                .collect(),
            highlighted,
            published: from_millis(row.published).to_rfc3339_opts(SecondsFormat::Secs, true),
            verdict: row
                .verdict
                .as_deref()
                .and_then(|v| serde_json::from_str(v).ok()),
            id: row.id,
            quote_of: row.quote_of,
            ap_id: row.ap_id,
            article_id: row.article_id,
            content_html: row.content_html,
            summary: row.summary,
            status: row.status,
            moderation_reason: row.moderation_reason,
            moderation_note: row.moderation_note,
            moderated_by: row.moderated_by,
            suppressed_by: row.suppressed_by,
            staff_name: row.staff_name,
        });
    }
    Ok(items)
}
