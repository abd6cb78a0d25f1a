//! Use cases: what the HTTP layer, the CLI and the workers call. Services talk to
//! `storage` for rows and to `federation` for the wire; they never see axum.

pub mod actors;
pub mod articles;
pub mod autoregister;
pub mod blocklist_feed;
pub mod blocklist_sources;
pub mod blocklists;
pub mod comments;
pub mod content;
pub mod crawl;
pub mod decisions;
pub mod feed_poll;
pub mod feeds;
pub mod follows;
pub mod highlights;
pub mod inbox;
pub mod interact;
pub mod moderation;
pub mod outbox;
pub mod reader_reports;
pub mod reports;
pub mod signatures;
pub mod sites;
pub mod staff;
pub mod staff_replies;
pub mod subscriptions;
pub mod threads;
