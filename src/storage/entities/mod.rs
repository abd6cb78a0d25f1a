//! sea-orm entities: one per table, plain stored rows (never wire types).

pub mod actor_key;
pub mod article;
pub mod comment;
pub mod comment_revision;
pub mod crawl_job;
pub mod delivery;
pub mod follower;
pub mod following;
pub mod inbox_activity;
pub mod keypair;
pub mod outbox_activity;
pub mod reaction;
pub mod remote_actor;
pub mod report;
pub mod site;
