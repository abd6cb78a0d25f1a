//! Comments and their edit history.

use super::entities::{comment, comment_revision};
use crate::domain::CommentStatus;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};

/// What storing a comment needs.
#[derive(Debug, Clone)]
pub struct NewComment {
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
    pub attachments: String,
    pub tags: String,
    pub status: CommentStatus,
    pub published: i64,
    pub created_at: i64,
    /// JSON verdict of moderation.
    pub verdict: Option<String>,
    pub text_hash: Option<i64>,
    pub simhash: Option<i64>,
}

/// Inserts a comment unless one with the same AP id exists; returns the stored row
/// either way (replays and races store it once).
pub async fn insert_once<C: ConnectionTrait>(
    db: &C,
    c: NewComment,
) -> Result<comment::Model, DbErr> {
    Ok(insert_new(db, c).await?.0)
}

/// `insert_once`, saying whether this call stored it (false: it was there).
pub async fn insert_new<C: ConnectionTrait>(
    db: &C,
    c: NewComment,
) -> Result<(comment::Model, bool), DbErr> {
    use sea_orm::sea_query::OnConflict;
    let ap_id = c.ap_id.clone();
    let inserted = comment::Entity::insert(comment::ActiveModel {
        article_id: Set(c.article_id),
        parent_id: Set(c.parent_id),
        ap_id: Set(c.ap_id),
        url: Set(c.url),
        in_reply_to: Set(c.in_reply_to),
        author_id: Set(c.author_id),
        content_html: Set(c.content_html),
        summary: Set(c.summary),
        sensitive: Set(c.sensitive),
        language: Set(c.language),
        attachments: Set(c.attachments),
        tags: Set(c.tags),
        status: Set(c.status),
        published: Set(c.published),
        edited_at: Set(None),
        deleted_at: Set(None),
        created_at: Set(c.created_at),
        verdict: Set(c.verdict),
        text_hash: Set(c.text_hash),
        simhash: Set(c.simhash),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(comment::Column::ApId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let row = find_by_ap_id(db, &ap_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(ap_id))?;
    Ok((row, inserted > 0))
}

pub async fn find_by_ap_id<C: ConnectionTrait>(
    db: &C,
    ap_id: &str,
) -> Result<Option<comment::Model>, DbErr> {
    comment::Entity::find()
        .filter(comment::Column::ApId.eq(ap_id))
        .one(db)
        .await
}

/// Every comment of an article, oldest first, whatever its status; quotes are not
/// replies and are read apart (`storage::quotes`).
pub async fn list_for_article<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
) -> Result<Vec<comment::Model>, DbErr> {
    comment::Entity::find()
        .filter(comment::Column::ArticleId.eq(article_id))
        .filter(comment::Column::QuoteOf.is_null())
        .order_by_asc(comment::Column::Published)
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await
}

/// The edit of a comment: keeps the previous version in `comment_revisions`.
pub struct Edit {
    pub content_html: String,
    pub summary: Option<String>,
    pub sensitive: bool,
    pub language: Option<String>,
    pub attachments: String,
    pub tags: String,
    pub edited_at: i64,
    /// A new status when moderation of the edit says so.
    pub status: Option<CommentStatus>,
    pub verdict: Option<String>,
    pub text_hash: i64,
    pub simhash: i64,
}

pub async fn apply_edit<C: ConnectionTrait>(
    db: &C,
    current: comment::Model,
    edit: Edit,
) -> Result<comment::Model, DbErr> {
    comment_revision::ActiveModel {
        comment_id: Set(current.id),
        content_html: Set(current.content_html.clone()),
        summary: Set(current.summary.clone()),
        revised_at: Set(current.edited_at.unwrap_or(current.published)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut active = current.into_active_model();
    active.content_html = Set(edit.content_html);
    active.summary = Set(edit.summary);
    active.sensitive = Set(edit.sensitive);
    active.language = Set(edit.language);
    active.attachments = Set(edit.attachments);
    active.tags = Set(edit.tags);
    active.edited_at = Set(Some(edit.edited_at));
    active.text_hash = Set(Some(edit.text_hash));
    active.simhash = Set(Some(edit.simhash));
    if let Some(status) = edit.status {
        active.status = Set(status);
        active.verdict = Set(edit.verdict);
    }
    active.update(db).await
}

/// A federated edit: applied only when `edit.edited_at` is newer than the stored
/// version (`edited_at`, else `published`), compared in the `UPDATE` itself so that two
/// `Update`s processed at once cannot land out of order. `None` when it is not newer.
pub async fn apply_edit_if_newer<C: ConnectionTrait>(
    db: &C,
    current: comment::Model,
    edit: Edit,
) -> Result<Option<comment::Model>, DbErr> {
    use comment::Column;
    use sea_orm::Condition;
    let older = Condition::any()
        .add(Column::EditedAt.lt(edit.edited_at))
        .add(
            Condition::all()
                .add(Column::EditedAt.is_null())
                .add(Column::Published.lt(edit.edited_at)),
        );
    let mut update = comment::Entity::update_many()
        .col_expr(Column::ContentHtml, edit.content_html.into())
        .col_expr(Column::Summary, edit.summary.into())
        .col_expr(Column::Sensitive, edit.sensitive.into())
        .col_expr(Column::Language, edit.language.into())
        .col_expr(Column::Attachments, edit.attachments.into())
        .col_expr(Column::Tags, edit.tags.into())
        .col_expr(Column::EditedAt, Some(edit.edited_at).into())
        .col_expr(Column::TextHash, Some(edit.text_hash).into())
        .col_expr(Column::Simhash, Some(edit.simhash).into());
    if let Some(status) = edit.status {
        update = update
            .col_expr(Column::Status, status.into())
            .col_expr(Column::Verdict, edit.verdict.into());
    }
    let applied = update
        .filter(Column::Id.eq(current.id))
        .filter(older)
        .exec(db)
        .await?;
    if applied.rows_affected == 0 {
        return Ok(None);
    }
    comment_revision::ActiveModel {
        comment_id: Set(current.id),
        content_html: Set(current.content_html.clone()),
        summary: Set(current.summary.clone()),
        revised_at: Set(current.edited_at.unwrap_or(current.published)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    comment::Entity::find_by_id(current.id).one(db).await
}

/// Earlier versions of a comment, oldest first.
pub async fn revisions<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
) -> Result<Vec<comment_revision::Model>, DbErr> {
    comment_revision::Entity::find()
        .filter(comment_revision::Column::CommentId.eq(comment_id))
        .order_by_asc(comment_revision::Column::Id)
        .all(db)
        .await
}

/// Soft deletion: the row stays (its replies keep their place under a placeholder),
/// its content is emptied.
pub async fn soft_delete<C: ConnectionTrait>(db: &C, id: i64, at: i64) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::DeletedAt, at.into())
        .col_expr(comment::Column::ContentHtml, String::new().into())
        .col_expr(comment::Column::Attachments, "[]".into())
        .filter(comment::Column::Id.eq(id))
        .filter(comment::Column::DeletedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Soft-deletes every comment of an author (`Delete(Person)`).
pub async fn soft_delete_by_author<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
    at: i64,
) -> Result<u64, DbErr> {
    let result = comment::Entity::update_many()
        .col_expr(comment::Column::DeletedAt, at.into())
        .col_expr(comment::Column::ContentHtml, String::new().into())
        .col_expr(comment::Column::Attachments, "[]".into())
        .filter(comment::Column::AuthorId.eq(author_id))
        .filter(comment::Column::DeletedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Makes a row a staff reply: its public id, who wrote it and what they typed.
pub async fn make_local<C: ConnectionTrait>(
    db: &C,
    id: i64,
    ap_id: &str,
    staff_name: &str,
    source: &str,
) -> Result<comment::Model, DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::ApId, ap_id.into())
        .col_expr(
            comment::Column::StaffName,
            Some(staff_name.to_string()).into(),
        )
        .col_expr(comment::Column::Source, Some(source.to_string()).into())
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    comment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(ap_id.to_string()))
}
