//! The recent comments the rate and repetition rules count, kept in memory and topped up
//! from the database before each judgement (so comments stored by other processes count
//! too): a judgement reads the few rows stored since the last one instead of thousands.

use crate::storage::{self, moderation::RecentRow};
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::{BTreeMap, HashSet};
use tokio::sync::Mutex;

/// How many comments are kept. Rate windows needing more (over 50,000 comments in a
/// rate rule's window) count what is kept.
const CAPACITY: usize = 50_000;
/// Ids are read again this far back on PostgreSQL, where a transaction may commit after
/// a later id did and its row must still be seen (transactions in flight at once are
/// bounded by the connection pool). SQLite has one writer: ids commit in order.
const OVERLAP_IDS: i64 = 128;

/// The window.
#[derive(Default)]
pub struct RecentComments {
    inner: Mutex<Window>,
}

#[derive(Default)]
pub struct Window {
    /// By `(created_at, id)`, oldest first.
    rows: BTreeMap<(i64, i64), RecentRow>,
    ids: HashSet<i64>,
    highest: Option<i64>,
}

impl RecentComments {
    /// The window, topped up with what was stored since the last call and trimmed to
    /// `since` (Unix ms).
    pub async fn current(
        &self,
        db: &DatabaseConnection,
        since: i64,
    ) -> Result<tokio::sync::MutexGuard<'_, Window>, DbErr> {
        let mut window = self.inner.lock().await;
        let overlap = match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => OVERLAP_IDS,
            _ => 0,
        };
        let after = window.highest.map_or(i64::MIN, |h| h - overlap);
        let rows = storage::moderation::recent_rows(db, after, CAPACITY as u64).await?;
        for row in rows {
            window.highest = Some(window.highest.map_or(row.id, |h| h.max(row.id)));
            if row.created_at >= since && window.ids.insert(row.id) {
                window.rows.insert((row.created_at, row.id), row);
            }
        }
        let Window { rows, ids, .. } = &mut *window;
        while let Some(entry) = rows.first_entry() {
            if entry.key().0 >= since && ids.len() <= CAPACITY {
                break;
            }
            ids.remove(&entry.remove().id);
        }
        Ok(window)
    }
}

impl Window {
    /// Newest first.
    pub fn newest(&self) -> impl Iterator<Item = &RecentRow> {
        self.rows.values().rev()
    }

    /// Comments since `since` that match `keep`.
    pub fn count_since(&self, since: i64, keep: impl Fn(&RecentRow) -> bool) -> u32 {
        self.rows
            .range((since, i64::MIN)..)
            .filter(|(_, r)| keep(r))
            .count() as u32
    }
}

/// Whether `host` (`name[:port]`) is `domain` or one of its subdomains.
pub fn in_domain(host: &str, domain: &str) -> bool {
    let name = host.split(':').next().unwrap_or(host);
    name == domain
        || host == domain
        || name
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}
