//! Which comments readers see: published, not deleted, not suppressed (a blocked author
//! or domain). Every public read, feed and count filters with it.

use crate::{domain::CommentStatus, storage::entities::comment};

/// Whether readers may see a comment: published, not deleted, not behind a block.
pub fn is_visible(c: &comment::Model) -> bool {
    c.status == CommentStatus::Published && c.deleted_at.is_none() && c.suppressed_by.is_none()
}
