//! Imported comments: found again by their key in the program they came from (unique
//! with the site and that program), stored once, updated in place, and their parents
//! resolved once the whole file has been read.

use super::entities::comment;
use crate::domain::CommentStatus;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// Where an imported comment belongs: the site, the program and its id there.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub site_id: i64,
    pub source: &'a str,
    pub key: &'a str,
}

/// What an import stores of a comment, as it stands after this import.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    /// The parent's key while that parent is not stored yet.
    pub parent_key: Option<String>,
    pub in_reply_to: String,
    pub content_html: String,
    pub status: CommentStatus,
    pub published: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub moderation_reason: Option<String>,
    pub moderation_note: Option<String>,
    pub moderated_by: Option<String>,
    pub author_name: Option<String>,
    pub author_email_hash: Option<String>,
    pub author_website: Option<String>,
}

impl Imported {
    /// Whether the stored row already says all this (a re-import of the same file). A
    /// parent still to be found is no change: a parent the file never gave was given
    /// up on the first time.
    pub fn same_as(&self, row: &comment::Model) -> bool {
        row.article_id == self.article_id
            && row.parent_id == self.parent_id
            && row.content_html == self.content_html
            && row.status == self.status
            && row.published == self.published
            && row.edited_at == self.edited_at
            && row.deleted_at.is_some() == self.deleted_at.is_some()
            && row.author_name == self.author_name
            && row.author_email_hash == self.author_email_hash
            && row.author_website == self.author_website
    }
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    key: Key<'_>,
) -> Result<Option<comment::Model>, DbErr> {
    comment::Entity::find()
        .filter(comment::Column::ImportSiteId.eq(key.site_id))
        .filter(comment::Column::ImportSource.eq(key.source))
        .filter(comment::Column::ImportKey.eq(key.key))
        .one(db)
        .await
}

/// Stores an imported comment unless its key is already stored (two imports at once
/// store it once), then gives it its local id built by `ap_id_of` from its row id.
/// `None` when another import stored it first.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    key: Key<'_>,
    c: &Imported,
    now: i64,
    ap_id_of: impl FnOnce(i64) -> String,
) -> Result<Option<comment::Model>, DbErr> {
    let placeholder = format!("urn:tribune:pending:{}", uuid::Uuid::new_v4());
    let inserted = comment::Entity::insert(comment::ActiveModel {
        article_id: Set(c.article_id),
        parent_id: Set(c.parent_id),
        ap_id: Set(placeholder.clone()),
        url: Set(None),
        in_reply_to: Set(c.in_reply_to.clone()),
        author_id: Set(None),
        content_html: Set(c.content_html.clone()),
        summary: Set(None),
        sensitive: Set(false),
        language: Set(None),
        attachments: Set("[]".into()),
        tags: Set("[]".into()),
        status: Set(c.status),
        published: Set(c.published),
        edited_at: Set(c.edited_at),
        deleted_at: Set(c.deleted_at),
        created_at: Set(now),
        verdict: Set(None),
        moderation_reason: Set(c.moderation_reason.clone()),
        moderation_note: Set(c.moderation_note.clone()),
        moderated_by: Set(c.moderated_by.clone()),
        moderated_at: Set(c.moderated_by.as_ref().map(|_| now)),
        import_site_id: Set(Some(key.site_id)),
        import_source: Set(Some(key.source.to_string())),
        import_key: Set(Some(key.key.to_string())),
        import_parent_key: Set(c.parent_key.clone()),
        author_name: Set(c.author_name.clone()),
        author_email_hash: Set(c.author_email_hash.clone()),
        author_website: Set(c.author_website.clone()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            comment::Column::ImportSiteId,
            comment::Column::ImportSource,
            comment::Column::ImportKey,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 0 {
        return Ok(None);
    }
    let Some(row) = comment::Entity::find()
        .filter(comment::Column::ApId.eq(placeholder.as_str()))
        .one(db)
        .await?
    else {
        return Err(DbErr::RecordNotFound(placeholder));
    };
    let ap_id = ap_id_of(row.id);
    comment::Entity::update_many()
        .col_expr(comment::Column::ApId, ap_id.clone().into())
        .filter(comment::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(Some(comment::Model { ap_id, ..row }))
}

/// Rewrites a stored imported comment with what this import says of it.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    id: i64,
    c: &Imported,
    now: i64,
) -> Result<(), DbErr> {
    use comment::Column;
    comment::Entity::update_many()
        .col_expr(Column::ArticleId, c.article_id.into())
        .col_expr(Column::ParentId, c.parent_id.into())
        .col_expr(Column::ImportParentKey, c.parent_key.clone().into())
        .col_expr(Column::InReplyTo, c.in_reply_to.clone().into())
        .col_expr(Column::ContentHtml, c.content_html.clone().into())
        .col_expr(Column::Status, c.status.into())
        .col_expr(Column::Published, c.published.into())
        .col_expr(Column::EditedAt, c.edited_at.into())
        .col_expr(Column::DeletedAt, c.deleted_at.into())
        .col_expr(Column::ModerationReason, c.moderation_reason.clone().into())
        .col_expr(Column::ModerationNote, c.moderation_note.clone().into())
        .col_expr(Column::ModeratedBy, c.moderated_by.clone().into())
        .col_expr(
            Column::ModeratedAt,
            c.moderated_by.as_ref().map(|_| now).into(),
        )
        .col_expr(Column::AuthorName, c.author_name.clone().into())
        .col_expr(Column::AuthorEmailHash, c.author_email_hash.clone().into())
        .col_expr(Column::AuthorWebsite, c.author_website.clone().into())
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Up to `limit` imported comments of a site and program still waiting for their
/// parent, after the row `after` (paged by id).
pub async fn waiting_for_parent<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    source: &str,
    after: i64,
    limit: u64,
) -> Result<Vec<(i64, String)>, DbErr> {
    let rows: Vec<(i64, Option<String>)> = comment::Entity::find()
        .select_only()
        .column(comment::Column::Id)
        .column(comment::Column::ImportParentKey)
        .filter(comment::Column::ImportSiteId.eq(site_id))
        .filter(comment::Column::ImportSource.eq(source))
        .filter(comment::Column::ImportParentKey.is_not_null())
        .filter(comment::Column::Id.gt(after))
        .order_by_asc(comment::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, key)| key.map(|k| (id, k)))
        .collect())
}

/// Hangs a waiting reply under its parent, now stored.
pub async fn set_parent<C: ConnectionTrait>(
    db: &C,
    id: i64,
    parent: &comment::Model,
) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::ParentId, Some(parent.id).into())
        .col_expr(comment::Column::InReplyTo, parent.ap_id.clone().into())
        .col_expr(
            comment::Column::ImportParentKey,
            Option::<String>::None.into(),
        )
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A reply whose parent the file never gave: it stays an answer to the article.
pub async fn give_up_parent<C: ConnectionTrait>(db: &C, id: i64) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(
            comment::Column::ImportParentKey,
            Option::<String>::None.into(),
        )
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
