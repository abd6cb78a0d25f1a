//! The crawler's GETs per remote host in a fixed one-hour window, kept in memory.

use std::{collections::HashMap, sync::Mutex};
use url::Url;

const HOUR_MS: i64 = 3600 * 1000;
/// Hosts the budget remembers before it forgets finished windows.
const MAX_HOSTS: usize = 10_000;

/// The crawler's GETs per remote host in a fixed one-hour window, in memory (a restart
/// forgets it; every process has its own). Bounded: stale windows are dropped when the
/// map grows, and a full map of live windows refuses new hosts.
#[derive(Default)]
pub struct HostBudget {
    hosts: Mutex<HashMap<String, (i64, u32)>>,
}

impl HostBudget {
    /// Spends one GET to `url`'s host; `false` when the hour's budget is spent.
    pub fn spend(&self, url: &Url, per_hour: u32, now: i64) -> bool {
        let Ok(mut hosts) = self.hosts.lock() else {
            return false;
        };
        let host = url.origin().ascii_serialization();
        if !hosts.contains_key(&host) && hosts.len() >= MAX_HOSTS {
            hosts.retain(|_, (start, _)| now - *start < HOUR_MS);
            if hosts.len() >= MAX_HOSTS {
                return false;
            }
        }
        let entry = hosts.entry(host).or_insert((now, 0));
        if now - entry.0 >= HOUR_MS {
            *entry = (now, 0);
        }
        if entry.1 >= per_hour {
            return false;
        }
        entry.1 += 1;
        true
    }
}
