//! sea-orm entities: one per table, plain stored rows (never wire types). States and
//! kinds are the domain's text enums, stored as their text (see `storage::columns`).

pub mod actor_key;
pub mod actor_policy;
pub mod api_token;
pub mod article;
pub mod audit_entry;
pub mod blocklist_change;
pub mod blocklist_follower;
pub mod blocklist_published;
pub mod blocklist_source_entry;
pub mod blocklist_subscription;
pub mod comment;
pub mod comment_report;
pub mod comment_revision;
pub mod crawl_job;
pub mod delivery;
pub mod domain_policy;
pub mod feed_state;
pub mod follower;
pub mod following;
pub mod highlight;
pub mod host_health;
pub mod inbox_activity;
pub mod interaction_request;
pub mod job_lease;
pub mod keypair;
pub mod moderator;
pub mod outbox_activity;
pub mod reaction;
pub mod remote_actor;
pub mod report;
pub mod rule;
pub mod server_secret;
pub mod site;
