//! Articles registering themselves, in memory: the rate per site and the pages that
//! recently failed to read (a restart only forgets them).

use std::{collections::HashMap, sync::Mutex};

/// Registrations one site may see per minute.
pub const PER_MINUTE: u32 = 30;
/// How long a page that could not be read is left alone.
pub const RETRY_AFTER_MS: i64 = 10 * 60 * 1000;

/// In-memory bookkeeping (a restart only forgets it).
#[derive(Default)]
pub struct AutoRegistry {
    /// Per site: `(window start, count)`.
    rate: Mutex<HashMap<i64, (i64, u32)>>,
    /// URL → when it last failed.
    failed: Mutex<HashMap<String, i64>>,
}

impl AutoRegistry {
    pub fn allow(&self, site_id: i64, now: i64) -> bool {
        let Ok(mut rate) = self.rate.lock() else {
            return false;
        };
        let entry = rate.entry(site_id).or_insert((now, 0));
        if now - entry.0 > 60_000 {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= PER_MINUTE
    }

    pub fn recently_failed(&self, url: &str, now: i64) -> bool {
        self.failed
            .lock()
            .map(|f| f.get(url).is_some_and(|at| now - at < RETRY_AFTER_MS))
            .unwrap_or(true)
    }

    pub fn failed(&self, url: &str, now: i64) {
        if let Ok(mut f) = self.failed.lock() {
            if f.len() > 10_000 {
                f.retain(|_, at| now - *at < RETRY_AFTER_MS);
            }
            f.insert(url.to_string(), now);
        }
    }
}
