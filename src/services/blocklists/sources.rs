//! Reading blocklists that servers publish as datasets: a FIRES dataset (its snapshot
//! once, then its change feed from where we stopped) and another server's blocklist
//! actor (followed for pushed changes, its dataset read the same way to catch up after
//! we were away).

use crate::{
    blocklists::{
        digest,
        fires::{self, Record},
    },
    domain::{now_millis, FollowState, Severity},
    error::{Error, Result},
    federation::{
        fetch::Validators,
        protocol::{activity, actor::RemoteActorDoc, blocklist, fires as wire},
    },
    state::AppState,
    storage::{self, entities::blocklist_subscription as sub},
};
use sea_orm::{ConnectionTrait, DbErr, TransactionTrait};
use serde_json::Value;
use std::collections::HashMap;
use url::Url;

/// Pages read in one refresh at most (a million entries at 1,000 a page).
const MAX_PAGES: usize = 1_000;

/// A blocklist actor: its id, its inbox and the dataset it advertises.
pub(crate) async fn blocklist_actor(
    state: &AppState,
    url: &Url,
) -> Result<(Url, String, Option<Url>)> {
    let fetched = state
        .fetcher
        .fetch(url)
        .await
        .map_err(|e| Error::BadGateway(format!("the blocklist actor cannot be read: {e}")))?;
    let doc = RemoteActorDoc::parse(&fetched.json)
        .map_err(|e| Error::Unprocessable(format!("not an actor: {e}")))?;
    let dataset = blocklist::dataset_of(&fetched.json);
    Ok((doc.id, doc.inbox.to_string(), dataset))
}

/// Sends the instance actor's `Follow` to a blocklist actor (the admin there decides).
pub(crate) async fn follow(state: &AppState, id: i64, actor: &Url, inbox: &str) -> Result<()> {
    let ours = Url::parse(&state.urls.instance_actor())
        .map_err(|e| Error::Unprocessable(e.to_string()))?;
    let follow_id = Url::parse(&format!(
        "{}/follows/{}",
        state.urls.instance_actor(),
        uuid::Uuid::new_v4()
    ))
    .map_err(|e| Error::Unprocessable(e.to_string()))?;
    let follow = activity::follow(&follow_id, &ours, actor);
    let txn = state.db.begin().await?;
    storage::outbox::enqueue(
        &txn,
        follow_id.as_str(),
        "instance",
        &state.urls.instance_key_id(),
        &follow.to_string(),
        &[inbox.to_string()],
        now_millis(),
    )
    .await?;
    storage::subscriptions::set_follow(&txn, id, follow_id.as_str(), FollowState::Pending).await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

/// Reads a blocklist actor's dataset (following it first if we never did).
pub(crate) async fn read_actor(state: &AppState, source: &sub::Model) -> Result<()> {
    let url = Url::parse(&source.url).map_err(|e| Error::Unprocessable(e.to_string()))?;
    let (actor, inbox, dataset) = blocklist_actor(state, &url).await?;
    if source.follow_activity_id.is_none() {
        follow(state, source.id, &actor, &inbox).await?;
    }
    let dataset = dataset
        .ok_or_else(|| Error::BadGateway("the actor advertises no blocklist dataset".into()))?;
    read_dataset(state, source, &dataset, true).await
}

/// Reads a FIRES dataset: the whole snapshot the first time, then the changes since
/// the last one read. `signed`: as our instance actor (a blocklist actor's dataset is
/// for its approved followers).
pub(crate) async fn read_dataset(
    state: &AppState,
    source: &sub::Model,
    dataset: &Url,
    signed: bool,
) -> Result<()> {
    let doc = get_json(state, source, dataset, signed).await?;
    let link = |snake: &str, fallback: &str| -> Result<Url> {
        let url = match wire::dataset_link(&doc, snake) {
            Some(u) => dataset.join(&u),
            None => Url::parse(&format!(
                "{}/{fallback}",
                dataset.as_str().trim_end_matches('/')
            )),
        }
        .map_err(|e| Error::BadGateway(format!("dataset link: {e}")))?;
        same_origin(dataset, url)
    };
    let txn = state.db.begin().await?;
    match &source.cursor {
        None => {
            let mut url = link("snapshot", "snapshot")?;
            let mut rows = Vec::new();
            let mut cursor = None;
            for n in 0..MAX_PAGES {
                let page = read_page(state, source, &url, signed).await?;
                if n == 0 {
                    cursor = page.last_change_id.clone();
                }
                rows.extend(
                    page.records
                        .into_iter()
                        .filter_map(|r| r.entry)
                        .filter_map(|e| source_row(source, e)),
                );
                match page.next {
                    Some(next) => url = same_origin(dataset, parse(&url, &next)?)?,
                    None => break,
                }
            }
            storage::subscriptions::replace_entries(&txn, source.id, rows).await?;
            storage::subscriptions::set_cursor(&txn, source.id, cursor).await?;
        }
        Some(since) => {
            let mut url = link("changes", "changes")?;
            url.query_pairs_mut().append_pair("since", since);
            let mut cursor = since.clone();
            for _ in 0..MAX_PAGES {
                let page = read_page(state, source, &url, signed).await?;
                if page.records.is_empty() {
                    break;
                }
                if let Some(last) = page.records.last().and_then(|r| r.change_id.clone()) {
                    cursor = last;
                }
                apply_records(&txn, source, page.records).await?;
                match page.next {
                    Some(next) => url = same_origin(dataset, parse(&url, &next)?)?,
                    None => break,
                }
            }
            storage::subscriptions::set_cursor(&txn, source.id, Some(cursor)).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

fn parse(base: &Url, link: &str) -> Result<Url> {
    base.join(link)
        .map_err(|e| Error::BadGateway(format!("page link: {e}")))
}

/// Pages of a dataset stay on its server.
fn same_origin(dataset: &Url, url: Url) -> Result<Url> {
    if url.origin() == dataset.origin() {
        Ok(url)
    } else {
        Err(Error::BadGateway(format!(
            "{url} is not on the dataset's server"
        )))
    }
}

async fn read_page(
    state: &AppState,
    source: &sub::Model,
    url: &Url,
    signed: bool,
) -> Result<fires::Page> {
    fires::parse_page(&get_json(state, source, url, signed).await?)
        .map_err(|e| Error::BadGateway(format!("the dataset cannot be read: {e}")))
}

async fn get_json(state: &AppState, source: &sub::Model, url: &Url, signed: bool) -> Result<Value> {
    if signed {
        return state
            .fetcher
            .fetch(url)
            .await
            .map(|f| f.json)
            .map_err(|e| Error::BadGateway(format!("{url}: {e}")));
    }
    let fetched = state
        .fetcher
        .fetch_page_with(
            url,
            "application/json, application/ld+json;q=0.9",
            &Validators::default(),
            source.authorization.as_deref(),
        )
        .await
        .map_err(|e| Error::BadGateway(format!("{url}: {e}")))?;
    let (body, _) =
        fetched.ok_or_else(|| Error::BadGateway(format!("{url}: not modified, unasked")))?;
    serde_json::from_slice(&body).map_err(|e| Error::BadGateway(format!("{url}: {e}")))
}

/// A listed entry as this source may impose it (its cap applied), or `None` when the
/// source may not touch the domain.
pub(crate) fn source_row(
    source: &sub::Model,
    e: crate::blocklists::Entry,
) -> Option<storage::entities::blocklist_source_entry::ActiveModel> {
    let excludes: Vec<String> = serde_json::from_str(&source.excludes).unwrap_or_default();
    if excludes
        .iter()
        .any(|x| e.domain == *x || e.domain.ends_with(&format!(".{x}")))
    {
        return None;
    }
    let severity = Severity::of_rank(e.severity.rank().min(source.max_severity.rank()));
    let digest = e
        .digest
        .clone()
        .or_else(|| (!e.is_obfuscated()).then(|| digest(&e.domain)));
    Some(storage::subscriptions::entry_row(
        storage::subscriptions::EntryRow {
            subscription_id: source.id,
            domain: &e.domain,
            digest,
            severity,
            reject_media: e.reject_media,
            reject_reports: e.reject_reports,
            // A list that hides a domain (or knows only its digest) keeps it hidden
            // when we republish it.
            obfuscate: e.obfuscate || e.is_obfuscated(),
            public_comment: e.public_comment,
            private_comment: e.private_comment,
        },
    ))
}

/// Applies records in order (the last one about a domain wins): listed entries are
/// stored as the source may impose them, retracted ones dropped.
pub(crate) async fn apply_records<C: ConnectionTrait>(
    db: &C,
    source: &sub::Model,
    records: Vec<Record>,
) -> std::result::Result<(), DbErr> {
    let mut last: HashMap<String, Option<crate::blocklists::Entry>> = HashMap::new();
    for record in records {
        last.insert(record.domain, record.entry);
    }
    let (mut upserts, mut retracted) = (Vec::new(), Vec::new());
    for (domain, entry) in last {
        match entry.and_then(|e| source_row(source, e)) {
            Some(row) => upserts.push(row),
            None => retracted.push(domain),
        }
    }
    storage::subscriptions::delete_entries(db, source.id, retracted).await?;
    storage::subscriptions::upsert_entries(db, upserts).await
}
