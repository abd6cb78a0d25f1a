//! Public reads (threads, counts) rendered once and kept in memory while nothing readers
//! see has changed, so a read costs a hash lookup and an `If-None-Match` no database work.
//!
//! Freshness: every write to the tables a read is built from bumps one counter in the
//! database (triggers, migration `content_version`), whichever process made it. A read
//! is served from memory only if the counter still equals the one the entry was
//! rendered at, as read by a check that started at most `MAX_AGE` ago and after this
//! process's last write (`written`, called by every write request and worker round).
//! So this process's own changes show at once, other processes' (several servers on
//! one database, a CLI) within `MAX_AGE`, and readers arriving together share one
//! check: under load a read costs no query at all.

use crate::error::Result;
use bytes::Bytes;
use sea_orm::{DatabaseConnection, DbErr};
use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// How long a check of the content version answers for, where this process wrote
/// nothing since: the delay before another process's change is seen.
const MAX_AGE: Duration = Duration::from_millis(100);
use tokio::sync::Notify;

/// A rendered read.
#[derive(Debug)]
pub struct Rendered {
    /// The content version it was rendered at.
    pub version: i64,
    /// A strong entity tag of the body (RFC 9110 §8.8.3), quoted.
    pub etag: String,
    pub body: Bytes,
}

/// The cache; one per process.
pub struct ReadCache {
    entries: Mutex<Entries>,
    /// One render at a time per key: readers arriving while it renders wait for it
    /// rather than render the same thread again (and hold its rows in memory twice).
    rendering: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    check: Mutex<Check>,
    checked: Notify,
    capacity: usize,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Arc<Rendered>>,
    bytes: usize,
}

#[derive(Default)]
struct Check {
    /// Checks started and finished, numbered from 1.
    started: u64,
    finished: u64,
    running: bool,
    version: i64,
    /// When the last finished check started.
    finished_started_at: Option<Instant>,
    /// The first check that started after this process's last write.
    floor: u64,
}

/// Ends a running check even when the request that ran it is dropped mid-query.
struct Running<'a>(&'a ReadCache);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        lock(&self.0.check).running = false;
        self.0.checked.notify_waiters();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves plain data behind: keep going.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ReadCache {
    /// A cache holding at most `capacity` bytes of bodies.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::default(),
            rendering: Mutex::default(),
            check: Mutex::default(),
            checked: Notify::new(),
            capacity,
        }
    }

    /// This process changed something readers see: the next reads check again.
    pub fn written(&self) {
        let mut check = lock(&self.check);
        check.floor = check.started + 1;
    }

    /// The content version, as of a check started less than `MAX_AGE` ago and after
    /// this process's last write, or else after this call.
    pub async fn version(&self, db: &DatabaseConnection) -> std::result::Result<i64, DbErr> {
        let wanted = {
            let check = lock(&self.check);
            let recent = check
                .finished_started_at
                .is_some_and(|at| at.elapsed() < MAX_AGE);
            if recent && check.finished >= check.floor.max(1) {
                return Ok(check.version);
            }
            check.started + 1
        };
        loop {
            let notified = self.checked.notified();
            tokio::pin!(notified);
            // Registered before looking, so a check ending in between still wakes us.
            notified.as_mut().enable();
            let number = {
                let mut check = lock(&self.check);
                if check.finished >= wanted {
                    return Ok(check.version);
                }
                if check.running {
                    None
                } else {
                    check.running = true;
                    check.started += 1;
                    Some((check.started, Instant::now()))
                }
            };
            let Some((number, started_at)) = number else {
                notified.await;
                continue;
            };
            let guard = Running(self);
            let version = crate::storage::threads::content_version(db).await?;
            {
                let mut check = lock(&self.check);
                check.version = version;
                check.finished = number;
                check.finished_started_at = Some(started_at);
            }
            drop(guard);
            // `number` was started after this call, so it answers it.
            return Ok(version);
        }
    }

    /// The read under `key`: from memory when still current, else rendered by `render`
    /// and kept.
    pub async fn get_or_render<F, Fut>(
        &self,
        db: &DatabaseConnection,
        key: &str,
        render: F,
    ) -> Result<Arc<Rendered>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<u8>>>,
    {
        let version = self.version(db).await?;
        if let Some(hit) = self.current(key, version) {
            return Ok(hit);
        }
        let turn = lock(&self.rendering)
            .entry(key.to_string())
            .or_default()
            .clone();
        let rendered = {
            let _turn = turn.lock().await;
            // Whoever rendered while we waited did it at a version at least as new.
            match self.current(key, version) {
                Some(hit) => Ok(hit),
                None => self.render(key, version, render).await,
            }
        };
        {
            let mut rendering = lock(&self.rendering);
            // The map's handle and ours: nobody else waits on this key.
            if Arc::strong_count(&turn) <= 2 {
                rendering.remove(key);
            }
        }
        rendered
    }

    /// The entry under `key` if rendered at `version` or later.
    fn current(&self, key: &str, version: i64) -> Option<Arc<Rendered>> {
        lock(&self.entries)
            .map
            .get(key)
            .filter(|hit| hit.version >= version)
            .cloned()
    }

    async fn render<F, Fut>(&self, key: &str, version: i64, render: F) -> Result<Arc<Rendered>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<u8>>>,
    {
        // Rendered after the version was read: if a write lands meanwhile, the entry is
        // older than the counter and the next read renders again.
        let body = render().await?;
        let rendered = Arc::new(Rendered {
            version,
            etag: etag(&body),
            body: Bytes::from(body),
        });
        let mut entries = lock(&self.entries);
        let size = key.len() + rendered.body.len();
        if size <= self.capacity {
            if entries.bytes + size > self.capacity {
                // Full: start again rather than track recency on every hit.
                entries.map.clear();
                entries.bytes = 0;
            }
            if let Some(old) = entries.map.insert(key.to_string(), rendered.clone()) {
                entries.bytes -= key.len() + old.body.len();
            }
            entries.bytes += size;
        }
        Ok(rendered)
    }
}

/// A strong ETag: the first 96 bits of the body's SHA-256, hex, quoted.
pub fn etag(body: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, body);
    let mut out = String::with_capacity(26);
    out.push('"');
    for b in &digest.as_ref()[..12] {
        out.push_str(&format!("{b:02x}"));
    }
    out.push('"');
    out
}

/// Whether an `If-None-Match` value names this tag (or `*`).
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|t| t == etag || t == "*" || t.strip_prefix("W/") == Some(etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_are_read_weakly() {
        let tag = etag(b"hello");
        assert!(matches(&tag, &tag));
        assert!(matches(&format!("\"x\", W/{tag}"), &tag));
        assert!(matches("*", &tag));
        assert!(!matches("\"other\"", &tag));
    }
}
