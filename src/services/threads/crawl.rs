//! Whole conversations: when a comment arrives we also read its `replies` collection
//! and its FEP-7888 `context` collection, so that replies which never mentioned us (a
//! reply to a reply, made on a third server) still reach the thread. Bounded in depth,
//! pages and items per collection; a collection is read again every few hours while
//! its article is young.
//!
//! A crawl is something a remote sender makes us do, so it is bounded (issue 14: one
//! `Create` whose collections listed more collections once stored 13,534 comments and
//! sent 400 GETs to a third party): items per collection read
//! (`crawl_max_items_per_activity`), comments and queued collections per article
//! (`crawl_max_per_article`), GETs per remote host per hour
//! (`crawl_max_fetches_per_host_per_hour`), and only hosts that take part in the
//! thread are fetched from: the host of a comment already in it (which includes the
//! sender of the activity that queued the collection, whose note was stored first).

use crate::services::threads::comments::{self, CommentError};
use crate::{
    domain::{now_millis, CrawlStatus},
    federation::protocol::{id_of, many, note::NoteDoc},
    state::AppState,
    storage::{self, entities::crawl_job},
};
use serde_json::Value;
use std::time::Duration;
use url::Url;

/// Pages read per collection.
const MAX_PAGES: usize = 5;

/// Fetches `url` for the crawl, if its host's budget allows.
async fn fetch(state: &AppState, url: &Url) -> Result<Value, CommentError> {
    let per_hour = state
        .settings
        .federation
        .crawl_max_fetches_per_host_per_hour;
    if !state.crawl_budget.spend(url, per_hour, now_millis()) {
        return Err(CommentError::Transient(format!(
            "crawl budget of {} spent for this hour",
            url.origin().ascii_serialization()
        )));
    }
    Ok(state.fetcher.fetch(url).await?.json)
}
/// How often a collection is read again, and for how long after the article.
const RECRAWL_MS: i64 = 6 * 3600 * 1000;
const RECRAWL_FOR_MS: i64 = 14 * 24 * 3600 * 1000;
const MAX_ATTEMPTS: i32 = 5;

/// Queues the collections of a comment that just arrived at `depth` replies below
/// the first one we received.
pub async fn after_store(
    state: &AppState,
    note: &NoteDoc,
    article_id: i64,
    depth: i32,
) -> Result<(), sea_orm::DbErr> {
    if depth > state.settings.federation.crawl_max_depth {
        return Ok(());
    }
    let now = now_millis();
    for url in [&note.replies, &note.context].into_iter().flatten() {
        // Only the note's own server lists its replies; it takes part (its note is in
        // the thread now).
        if state.urls.is_local(url.as_str()) || url.origin() != note.id.origin() {
            continue;
        }
        if storage::crawl::jobs_for_article(&state.db, article_id).await?
            >= state.settings.federation.crawl_max_per_article
        {
            tracing::info!(article_id, "crawl bound reached: collection not queued");
            return Ok(());
        }
        storage::crawl::enqueue(&state.db, url.as_str(), article_id, depth, now).await?;
    }
    Ok(())
}

/// Runs every due crawl job; returns how many ran.
pub async fn process_due(state: &AppState) -> Result<usize, sea_orm::DbErr> {
    let mut ran = 0;
    loop {
        let jobs = storage::crawl::claim_due(
            &state.db,
            now_millis(),
            state.settings.workers.lease_secs * 1000,
            8,
        )
        .await?;
        if jobs.is_empty() {
            return Ok(ran);
        }
        let _leases = crate::services::workers::keep_leases(
            state,
            crate::services::workers::Queue::Crawl,
            jobs.iter().map(|j| j.id).collect(),
        );
        for job in jobs {
            ran += 1;
            let result = run(state, &job).await;
            finish(state, &job, result).await?;
        }
        state.reads.written();
    }
}

async fn finish(
    state: &AppState,
    job: &crawl_job::Model,
    result: Result<usize, CommentError>,
) -> Result<(), sea_orm::DbErr> {
    let now = now_millis();
    match result {
        Ok(found) => {
            tracing::debug!(url = %job.url, found, "collection crawled");
            let young = storage::articles::find(&state.db, job.article_id)
                .await?
                .is_some_and(|a| now - a.published < RECRAWL_FOR_MS && a.deleted_at.is_none());
            if young {
                storage::crawl::reschedule(
                    &state.db,
                    job.id,
                    CrawlStatus::Pending,
                    None,
                    now + RECRAWL_MS,
                    true,
                )
                .await
            } else {
                storage::crawl::reschedule(&state.db, job.id, CrawlStatus::Done, None, now, true)
                    .await
            }
        }
        Err(CommentError::Transient(e)) if job.attempts < MAX_ATTEMPTS => {
            let backoff = 60_000i64 << job.attempts.clamp(0, 10);
            storage::crawl::reschedule(
                &state.db,
                job.id,
                CrawlStatus::Pending,
                Some(e),
                now + backoff,
                false,
            )
            .await
        }
        Err(e) => {
            storage::crawl::reschedule(
                &state.db,
                job.id,
                CrawlStatus::Failed,
                Some(e.to_string()),
                now,
                false,
            )
            .await
        }
    }
}

/// Reads one collection and lands every reply in it that belongs to our thread;
/// returns how many new comments it brought.
async fn run(state: &AppState, job: &crawl_job::Model) -> Result<usize, CommentError> {
    let url = Url::parse(&job.url).map_err(|e| CommentError::Invalid(e.to_string()))?;
    let federation = &state.settings.federation;
    let max_items = federation.crawl_max_items_per_activity;
    let items = collect_items(state, &url, max_items).await?;
    let mut found = 0;
    for item in items.into_iter().take(max_items) {
        if storage::crawl::comments_in_article(&state.db, job.article_id).await?
            >= federation.crawl_max_per_article
        {
            tracing::info!(article_id = job.article_id, "crawl bound reached");
            break;
        }
        let Some(id) = id_of(&item) else { continue };
        if state.urls.is_local(id.as_str())
            || storage::comments::find_by_ap_id(&state.db, id.as_str())
                .await?
                .is_some()
        {
            continue;
        }
        // An embedded item is authentic when it comes from its own host; else fetch it.
        let document = if item.is_object() && id.origin() == url.origin() {
            item
        } else {
            // A collection may name anything: fetch only from hosts in the thread, so
            // a sender cannot spend a third party's bandwidth in our name.
            if id.origin() != url.origin()
                && !storage::crawl::origin_in_thread(
                    &state.db,
                    job.article_id,
                    &id.origin().ascii_serialization(),
                )
                .await?
            {
                tracing::debug!(item = %id, "crawled item on a host outside the thread");
                continue;
            }
            match fetch(state, &id).await {
                Ok(json) => json,
                Err(e) => {
                    tracing::debug!(item = %id, error = %e, "crawled item unavailable");
                    continue;
                }
            }
        };
        let Ok(note) = NoteDoc::parse(&document) else {
            continue;
        };
        // Its author lives where it does (scheme, host and port: two servers may share
        // a host name).
        if note.attributed_to.origin() != note.id.origin() || !note.public {
            continue;
        }
        let Some(in_reply_to) = &note.in_reply_to else {
            continue;
        };
        let Some(place) = comments::locate(state, in_reply_to).await? else {
            continue;
        };
        if place.article.id != job.article_id {
            continue;
        }
        comments::store(state, &note, &place).await?;
        after_store(state, &note, job.article_id, job.depth + 1).await?;
        found += 1;
    }
    Ok(found)
}

/// The items of a collection: inline, in its `first` page, and in following pages on
/// the same host, up to `MAX_PAGES` pages and `max_items` items.
async fn collect_items(
    state: &AppState,
    url: &Url,
    max_items: usize,
) -> Result<Vec<Value>, CommentError> {
    let collection = fetch(state, url).await?;
    let mut items = page_items(&collection);
    let mut next = match collection.get("first") {
        Some(first @ Value::Object(_)) => {
            items.extend(page_items(first));
            first.get("next").and_then(id_of)
        }
        Some(other) => id_of(other),
        None => None,
    };
    let mut pages = 0;
    while let Some(page_url) = next.take() {
        pages += 1;
        if pages > MAX_PAGES || items.len() >= max_items || page_url.origin() != url.origin() {
            break;
        }
        let page = fetch(state, &page_url).await?;
        items.extend(page_items(&page));
        next = page.get("next").and_then(id_of);
    }
    Ok(items)
}

fn page_items(page: &Value) -> Vec<Value> {
    many(page.get("orderedItems").or_else(|| page.get("items")))
        .into_iter()
        .cloned()
        .collect()
}

/// Runs the crawler until `shutdown` turns true.
pub async fn run_worker(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let poll = Duration::from_millis(state.settings.workers.poll_interval_ms.max(1000));
    loop {
        if let Err(e) = process_due(&state).await {
            tracing::error!(error = %e, "crawl worker");
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
