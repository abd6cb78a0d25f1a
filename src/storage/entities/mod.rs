//! sea-orm entities: one per table, plain stored rows (never wire types).

pub mod actor_key;
pub mod actor_policy;
pub mod api_token;
pub mod article;
pub mod audit_entry;
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
pub mod inbox_activity;
pub mod keypair;
pub mod moderator;
pub mod outbox_activity;
pub mod reaction;
pub mod remote_actor;
pub mod report;
pub mod rule;
pub mod site;
