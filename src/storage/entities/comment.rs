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
    /// On an imported comment: the site it was imported for (with `import_source` and
    /// `import_key`, unique: a re-import finds its row).
    pub import_site_id: Option<i64>,
    /// On an imported comment: the program it came from (`disqus`, `wxr`…).
    pub import_source: Option<String>,
    /// On an imported comment: its id in that program.
    pub import_key: Option<String>,
    /// On an imported reply whose parent was not stored yet: the parent's key, resolved
    /// once the whole file is read.
    pub import_parent_key: Option<String>,
    /// On an imported comment: its author's name as that program showed it.
    pub author_name: Option<String>,
    /// On an imported comment: SHA-256 of its author's e-mail address. Never shown, never
    /// in an API answer: it only tells that two comments share an author.
    pub author_email_hash: Option<String>,
    /// On an imported comment: the website its author gave.
    pub author_website: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
