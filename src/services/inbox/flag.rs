//! `Flag`: a report from another server. Kept when it names something of ours; each
//! reported comment goes to the moderators' queue. Domains with `reject_reports` are
//! ignored. The shapes servers send:
//! - Mastodon and GoToSocial: `object` = [the account, its statuses…];
//! - Misskey: `object` = the account only, the notes' URLs in `content`;
//! - Lemmy: `object` = one post.
//!
//! A comment is attached only when it is ours (in our threads) and, when the report
//! names an account, only when that account wrote it: a report naming Alice and Bob's
//! comment reports nothing of Bob's. Statuses are matched by id or by their page URL
//! (Misskey writes the `url` a note showed).

use super::Outcome;
use crate::{
    domain::now_millis,
    federation::protocol::inbound::Flag,
    services::{remote::actors, threads::comments::CommentError},
    state::AppState,
    storage::{self, entities::comment},
};
use std::collections::HashSet;

/// The objects of one `Flag` read; the rest are ignored.
const MAX_FLAG_OBJECTS: usize = 50;

pub async fn handle(state: &AppState, flag: &Flag) -> Result<Outcome, CommentError> {
    let actor = &flag.actor;
    if actor
        .host_str()
        .and_then(|h| state.moderation.domain_policy(h))
        .is_some_and(|p| p.reject_reports)
    {
        return Ok(Outcome::Ignored(
            "reports from this domain are rejected".into(),
        ));
    }
    // Mastodon sends the account and the statuses picked in its form: a handful. More
    // than this is not a report a moderator reads, only work (and alerts) for us.
    let objects: Vec<String> = flag
        .objects
        .iter()
        .take(MAX_FLAG_OBJECTS)
        .map(|u| u.to_string())
        .collect();
    // Who is reported: remote authors we know, or our site actors.
    let mut authors: HashSet<i64> = HashSet::new();
    let mut sites: HashSet<i64> = HashSet::new();
    for object in &objects {
        if let Some(site) = state.urls.site_slug_of(object).and_then(|s| state.site(s)) {
            sites.insert(site.id);
        } else if let Some(known) = storage::actors::find_by_ap_id(&state.db, object).await? {
            authors.insert(known.id);
        }
    }
    let names_an_account = !authors.is_empty() || !sites.is_empty();
    let mut named = objects.clone();
    // Misskey's notes are in its text; read only when the report names whose they are.
    if names_an_account {
        named.extend(
            flag.urls_in_content()
                .iter()
                .take(MAX_FLAG_OBJECTS)
                .map(|u| u.to_string()),
        );
    }
    let found = storage::reports::comments_named(&state.db, &named).await?;
    let ours = objects.iter().any(|o| state.urls.is_local(o)) || !found.is_empty();
    if !ours {
        return Ok(Outcome::Ignored("Flag of nothing of ours".into()));
    }
    let mut comments = Vec::new();
    for c in found {
        if !names_an_account || written_by(state, &c, &authors, &sites).await? {
            comments.push(c);
        }
    }
    let reporter = actors::get_or_fetch(state, actor).await?;
    let id = flag
        .id
        .as_deref()
        .ok_or_else(|| CommentError::Invalid("Flag without id".into()))?;
    let content = flag
        .content
        .as_deref()
        .map(crate::sanitize::text_of_html)
        .unwrap_or_default();
    let now = now_millis();
    // What the report names, with the comments found in its text (Misskey's).
    let mut reported = objects;
    for c in &comments {
        if !reported.contains(&c.ap_id) {
            reported.push(c.ap_id.clone());
        }
    }
    // The report, its comments' reports and their alerts are stored together.
    let txn = sea_orm::TransactionTrait::begin(&state.db).await?;
    if !storage::reports::insert_once(&txn, id, reporter.id, &content, &reported, now).await? {
        // The same Flag again (a redelivery, a replay): already in the queue, already told.
        return Ok(Outcome::Done);
    }
    for comment in comments {
        storage::reports::report_comment(
            &txn,
            comment.id,
            "remote",
            "other",
            &content,
            &reporter.ap_id,
            now,
        )
        .await?;
        crate::services::alerts::reported(&txn, state, &comment, "other").await?;
    }
    txn.commit().await?;
    Ok(Outcome::Done)
}

/// Whether the comment is one of the reported accounts': written by a named remote
/// author, or a staff reply of a named site.
async fn written_by(
    state: &AppState,
    c: &comment::Model,
    authors: &HashSet<i64>,
    sites: &HashSet<i64>,
) -> Result<bool, CommentError> {
    if let Some(author) = c.author_id {
        return Ok(authors.contains(&author));
    }
    if c.staff_name.is_none() || sites.is_empty() {
        return Ok(false);
    }
    Ok(storage::articles::find(&state.db, c.article_id)
        .await?
        .is_some_and(|a| sites.contains(&a.site_id)))
}
