//! What stands between a password guesser and argon2: a rate per address, a bounded
//! exponential backoff per username, and a few hashing slots on blocking threads, so
//! that neither guesses nor a flood of logins (19 MiB of argon2 memory each) can take
//! the process down. Unknown usernames are hashed too (against a dummy hash made once
//! with the same parameters), so the answer's timing does not say who exists.

use crate::{
    config::AuthSettings,
    domain::hex,
    error::{Error, Result},
    runtime::limits::RateLimiter,
};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};
use tokio::sync::{OnceCell, Semaphore};

/// Usernames with failures kept before old ones are forgotten.
const MAX_TRACKED: usize = 100_000;

/// Failures of one username.
struct Failures {
    count: u32,
    last: Instant,
    locked_until: Instant,
}

/// Counts of the hashing, for metrics and for tests that prove the bounds.
#[derive(Default)]
pub struct HashStats {
    /// Password verifications run (known and unknown usernames alike).
    pub verified: AtomicU64,
    /// Hashes running now.
    pub running: AtomicUsize,
    /// The most that ever ran at once.
    pub peak: AtomicUsize,
}

/// The sign-in guard of one process.
pub struct LoginGuard {
    slots: Arc<Semaphore>,
    slot_wait: Duration,
    per_ip: RateLimiter<IpAddr>,
    failures: Mutex<HashMap<String, Failures>>,
    threshold: u32,
    backoff: Duration,
    backoff_max: Duration,
    dummy: OnceCell<String>,
    pub stats: Arc<HashStats>,
}

/// Addresses whose login rate is remembered at once (the limiter is bounded).
const LOGIN_TRACKED_ADDRESSES: usize = 65_536;

impl LoginGuard {
    pub fn new(settings: &AuthSettings) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(settings.hash_concurrency.max(1))),
            slot_wait: Duration::from_millis(settings.hash_wait_ms),
            per_ip: RateLimiter::new(
                settings.login_per_ip_per_minute,
                settings.login_burst,
                LOGIN_TRACKED_ADDRESSES,
            ),
            failures: Mutex::new(HashMap::new()),
            threshold: settings.login_failures_before_backoff.max(1),
            backoff: Duration::from_secs(settings.login_backoff_secs.max(1)),
            backoff_max: Duration::from_secs(settings.login_backoff_max_secs.max(1)),
            dummy: OnceCell::new(),
            stats: Arc::new(HashStats::default()),
        }
    }

    /// Checks the address's rate and the username's backoff: 429 with `Retry-After`
    /// past either. A refused attempt is not a failure, so waiting it out works.
    pub fn admit(&self, from: IpAddr, username: &str) -> Result<()> {
        self.per_ip.check(&from).map_err(Error::too_many)?;
        let now = Instant::now();
        let Ok(failures) = self.failures.lock() else {
            return Err(Error::TooManyRequests(1));
        };
        match failures.get(username) {
            Some(f) if f.locked_until > now => Err(Error::too_many(f.locked_until - now)),
            _ => Ok(()),
        }
    }

    /// Counts a wrong password: past the threshold the username waits `backoff`,
    /// doubling with each further failure, never more than `backoff_max`.
    pub fn failed(&self, username: &str) {
        let now = Instant::now();
        let Ok(mut failures) = self.failures.lock() else {
            return;
        };
        // A username quiet for a while starts again from zero.
        let forget = self.backoff_max * 4;
        if failures.len() >= MAX_TRACKED {
            failures.retain(|_, f| now.saturating_duration_since(f.last) < forget);
            if failures.len() >= MAX_TRACKED {
                failures.retain(|_, f| f.locked_until > now);
            }
        }
        let f = failures.entry(username.to_string()).or_insert(Failures {
            count: 0,
            last: now,
            locked_until: now,
        });
        if now.saturating_duration_since(f.last) >= forget {
            f.count = 0;
        }
        f.count = f.count.saturating_add(1);
        f.last = now;
        if f.count >= self.threshold {
            let doublings = (f.count - self.threshold).min(20);
            let wait = self
                .backoff
                .saturating_mul(1u32 << doublings)
                .min(self.backoff_max);
            f.locked_until = now + wait;
        }
    }

    /// A right password: the username's failures are forgotten.
    pub fn succeeded(&self, username: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(username);
        }
    }

    /// Whether `password` matches `stored` (a PHC string), or, for an unknown or
    /// disabled account (`None`), runs the same verification against the dummy hash
    /// and says no.
    pub async fn verify(&self, password: &str, stored: Option<String>) -> Result<bool> {
        let known = stored.is_some();
        let hash = match stored {
            Some(hash) => hash,
            None => self.dummy_hash().await?,
        };
        let password = password.to_string();
        let matches = self
            .on_slot(move || {
                PasswordHash::new(&hash)
                    .map(|parsed| {
                        Argon2::default()
                            .verify_password(password.as_bytes(), &parsed)
                            .is_ok()
                    })
                    .unwrap_or(false)
            })
            .await?;
        self.stats.verified.fetch_add(1, Ordering::Relaxed);
        Ok(known && matches)
    }

    /// Hashes a new password (argon2id, default parameters), on a slot.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.to_string();
        self.on_slot(move || {
            Argon2::default()
                .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
                .map(|h| h.to_string())
        })
        .await?
        .map_err(|e| Error::Internal(anyhow::anyhow!("argon2: {e}")))
    }

    /// A hash of a random password with the parameters of real ones, made once.
    async fn dummy_hash(&self) -> Result<String> {
        self.dummy
            .get_or_try_init(|| async {
                let mut bytes = [0u8; 32];
                ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
                    .map_err(|_| Error::Internal(anyhow::anyhow!("no randomness")))?;
                self.hash(&hex(&bytes)).await
            })
            .await
            .cloned()
    }

    /// Runs `work` on a blocking thread once a slot is free; 429 (`Retry-After: 1`)
    /// when none frees within the wait, rather than queueing without bound. The slot
    /// moves into the thread: a client hanging up cannot free it while it hashes.
    async fn on_slot<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let permit = tokio::time::timeout(self.slot_wait, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| Error::TooManyRequests(1))?
            .map_err(|e| Error::Internal(e.into()))?;
        let stats = self.stats.clone();
        tokio::task::spawn_blocking(move || {
            let now = stats.running.fetch_add(1, Ordering::SeqCst) + 1;
            stats.peak.fetch_max(now, Ordering::SeqCst);
            let out = work();
            stats.running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            out
        })
        .await
        .map_err(|e| Error::Internal(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(threshold: u32, base: u64, max: u64) -> LoginGuard {
        LoginGuard::new(&AuthSettings {
            login_failures_before_backoff: threshold,
            login_backoff_secs: base,
            login_backoff_max_secs: max,
            login_burst: 1_000,
            ..AuthSettings::default()
        })
    }

    fn wait_of(g: &LoginGuard, user: &str) -> Option<u64> {
        match g.admit("127.0.0.1".parse().unwrap(), user) {
            Ok(()) => None,
            Err(Error::TooManyRequests(s)) => Some(s),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn backoff_doubles_past_the_threshold_and_stops_at_the_maximum() {
        let g = guard(3, 2, 10);
        for _ in 0..2 {
            g.failed("alice");
        }
        assert_eq!(wait_of(&g, "alice"), None, "under the threshold");
        g.failed("alice");
        assert!(wait_of(&g, "alice").is_some_and(|s| s <= 3));
        g.failed("alice");
        assert!(wait_of(&g, "alice").is_some_and(|s| (4..=5).contains(&s)));
        for _ in 0..30 {
            g.failed("alice");
        }
        assert!(
            wait_of(&g, "alice").is_some_and(|s| s <= 11),
            "bounded by the maximum"
        );
        assert_eq!(wait_of(&g, "bob"), None, "usernames are apart");
        g.succeeded("alice");
        assert_eq!(wait_of(&g, "alice"), None, "a success forgets");
    }
}
