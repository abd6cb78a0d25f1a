//! In-memory parts of the running server that services share: caches of what storage
//! holds, limiters, and the writers that batch durable writes. Built once at start-up
//! and held by `AppState`; they know nothing of HTTP.

pub mod autoregistry;
pub mod crawl_budget;
pub mod group_commit;
pub mod limits;
pub mod login_guard;
pub mod moderation_cache;
pub mod read_cache;
pub mod recent_comments;
pub mod report_limiter;
