//! Stored row of the `comments` table.

use crate::domain::CommentStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub ap_id: String,
    pub url: Option<String>,
    pub in_reply_to: String,
    pub author_id: Option<i64>,
    pub content_html: String,
    pub summary: Option<String>,
    pub sensitive: bool,
    pub language: Option<String>,
    /// JSON list of `domain::Attachment`.
    pub attachments: String,
    /// JSON list of `domain::Tag` (mentions, hashtags, custom emoji).
    pub tags: String,
    pub status: CommentStatus,
    pub published: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
    /// JSON `domain::Verdict`: what moderation decided and why.
    pub verdict: Option<String>,
    /// Category of a moderator's removal (`off_topic`, `repeated`…).
    pub moderation_reason: Option<String>,
    pub moderation_note: Option<String>,
    pub moderated_by: Option<String>,
    pub moderated_at: Option<i64>,
    /// Set while a block of its author or domain hides it (`actor:<id>`,
    /// `domain:<name>`); cleared when the block is lifted.
    pub suppressed_by: Option<String>,
    /// Hash of the normalised text (exact repeats).
    pub text_hash: Option<i64>,
    /// SimHash of the normalised text (near repeats).
    pub simhash: Option<i64>,
    /// For staff replies: who wrote it, as shown (the author is the site actor).
    pub staff_name: Option<String>,
    /// For staff replies: what was typed (Markdown or plain text).
    pub source: Option<String>,
    /// For staff replies: the author's title when it was written.
    pub staff_title: Option<String>,
    /// On a quote (FEP-044f): the id of what it quotes (our article or staff reply). A
    /// quote is outside the tree: no parent, no replies, counted apart.
    pub quote_of: Option<String>,
    /// On a quote: the id of the `QuoteRequest` it came with, which our `Accept` or
    /// `Reject` answers (`None` when it came only as a `Create`).
    pub quote_request: Option<String>,
    /// On a quote: when its `QuoteAuthorization` was revoked (`Delete` sent).
    pub quote_revoked_at: Option<i64>,
    /// For staff replies: who wrote it (`moderators.id`); its `Note` is their journalist
    /// actor's. `None` for the bootstrap token's replies and older ones (the site's).
    pub staff_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
