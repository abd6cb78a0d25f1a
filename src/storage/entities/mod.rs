//! sea-orm entities: one per table, plain stored rows (never wire types).

pub mod article;
pub mod comment;
pub mod comment_revision;
pub mod delivery;
pub mod follower;
pub mod following;
pub mod inbox_activity;
pub mod keypair;
pub mod outbox_activity;
pub mod remote_actor;
pub mod site;
