//! Readers' reports per address, counted in memory, and the HMAC key of reporters'
//! address hashes once read.

use std::{collections::HashMap, net::IpAddr, sync::Mutex};

/// Reports one address may send per window.
pub const PER_WINDOW: u32 = 10;
pub const WINDOW_MS: i64 = 3600 * 1000;

/// Counts per address, in memory: a restart forgetting them costs nothing. Also holds
/// the HMAC key of reporters' address hashes once read.
#[derive(Default)]
pub struct ReportLimiter(
    Mutex<HashMap<IpAddr, (u32, i64)>>,
    pub tokio::sync::OnceCell<ring::hmac::Key>,
);

impl ReportLimiter {
    /// Whether `addr` may report now (and counts it).
    pub fn allow(&self, addr: IpAddr, now: i64) -> bool {
        let Ok(mut map) = self.0.lock() else {
            return false;
        };
        if map.len() > 100_000 {
            map.retain(|_, (_, start)| now - *start < WINDOW_MS);
        }
        let entry = map.entry(addr).or_insert((0, now));
        if now - entry.1 >= WINDOW_MS {
            *entry = (0, now);
        }
        entry.0 += 1;
        entry.0 <= PER_WINDOW
    }
}
