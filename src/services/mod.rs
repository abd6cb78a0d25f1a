//! Use cases, one folder per part of the product: what the HTTP layer, the CLI and the
//! workers call. Services talk to `storage` for rows, to `federation` for the wire and
//! to `runtime` for in-memory caches and writers; they never see axum.
//!
//! - `inbox`: receiving activities (verify, store durably, then one handler per type).
//! - `delivery`: sending activities (the durable outbox) and our follows.
//! - `remote`: other servers' actors and keys, and who signed a request.
//! - `threads`: comments and their threads: reading, remote replies, crawling
//!   conversations, "reply from your instance".
//! - `articles`: sites and their articles: registering, self-registration, site feeds.
//! - `judging`: automatic moderation, a verdict for every comment.
//! - `moderators`: what moderators do (queue, approve, hide, block…), reports, data rights.
//! - `newsroom`: editorial highlights, staff replies, feeds of the selection.
//! - `blocklists`: shared blocklists: applied, published, subscribed to.
//! - `consent`: GoToSocial's interaction requests, received and sent.
//! - `staff`: staff accounts, roles, sign-in; `preferences`: their own settings.
//! - `workers`: leases and scheduled jobs.
//! - `health`: health, readiness and queue gauges; acknowledged writes put on disk.

pub mod alerts;
pub mod articles;
pub mod blocklists;
pub mod consent;
pub mod delivery;
pub mod health;
pub mod imports;
pub mod inbox;
pub mod judging;
pub mod moderators;
pub mod newsroom;
pub mod preferences;
pub mod remote;
pub mod staff;
pub mod threads;
pub mod workers;
