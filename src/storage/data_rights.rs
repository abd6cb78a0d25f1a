//! Everything stored about one remote actor, read out or erased (GDPR access and
//! erasure requests).

use super::entities::{
    comment, comment_revision, follower, inbox_activity, reaction, remote_actor, report,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// What we hold about an actor.
pub struct Holdings {
    pub actor: remote_actor::Model,
    pub comments: Vec<(comment::Model, Vec<comment_revision::Model>)>,
    pub reactions: Vec<reaction::Model>,
    pub reports: Vec<report::Model>,
    pub follows: Vec<follower::Model>,
}

pub async fn holdings<C: ConnectionTrait>(
    db: &C,
    actor: remote_actor::Model,
) -> Result<Holdings, DbErr> {
    let comments = comment::Entity::find()
        .filter(comment::Column::AuthorId.eq(actor.id))
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
    let mut revisions = comment_revision::Entity::find()
        .filter(comment_revision::Column::CommentId.is_in(ids))
        .order_by_asc(comment_revision::Column::Id)
        .all(db)
        .await?;
    let comments = comments
        .into_iter()
        .map(|c| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                revisions.drain(..).partition(|r| r.comment_id == c.id);
            revisions = rest;
            (c, mine)
        })
        .collect();
    Ok(Holdings {
        reactions: reaction::Entity::find()
            .filter(reaction::Column::ActorId.eq(actor.id))
            .all(db)
            .await?,
        reports: report::Entity::find()
            .filter(report::Column::ActorId.eq(actor.id))
            .all(db)
            .await?,
        follows: follower::Entity::find()
            .filter(follower::Column::ActorId.eq(actor.id))
            .all(db)
            .await?,
        comments,
        actor,
    })
}

/// Erases an actor's data. Comments become tombstones (no content, no attachments,
/// no warning text; the row stays so replies keep their place); earlier versions,
/// reactions, reports, follows and the raw activities they sent go; the actor keeps
/// only its id (so what it sends again is recognised) and is marked deleted.
pub async fn erase<C: ConnectionTrait>(
    db: &C,
    actor: &remote_actor::Model,
    at: i64,
) -> Result<u64, DbErr> {
    let ids: Vec<i64> = comment::Entity::find()
        .filter(comment::Column::AuthorId.eq(actor.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    comment_revision::Entity::delete_many()
        .filter(comment_revision::Column::CommentId.is_in(ids.clone()))
        .exec(db)
        .await?;
    let erased = comment::Entity::update_many()
        .col_expr(comment::Column::ContentHtml, String::new().into())
        .col_expr(comment::Column::Summary, Option::<String>::None.into())
        .col_expr(comment::Column::Attachments, "[]".into())
        .col_expr(comment::Column::Tags, "[]".into())
        .col_expr(comment::Column::Source, Option::<String>::None.into())
        .col_expr(comment::Column::DeletedAt, Some(at).into())
        .filter(comment::Column::Id.is_in(ids))
        .exec(db)
        .await?
        .rows_affected;
    reaction::Entity::delete_many()
        .filter(reaction::Column::ActorId.eq(actor.id))
        .exec(db)
        .await?;
    report::Entity::delete_many()
        .filter(report::Column::ActorId.eq(actor.id))
        .exec(db)
        .await?;
    follower::Entity::delete_many()
        .filter(follower::Column::ActorId.eq(actor.id))
        .exec(db)
        .await?;
    inbox_activity::Entity::delete_many()
        .filter(inbox_activity::Column::ActorId.eq(actor.ap_id.as_str()))
        .exec(db)
        .await?;
    remote_actor::Entity::update_many()
        .col_expr(
            remote_actor::Column::PreferredUsername,
            Option::<String>::None.into(),
        )
        .col_expr(remote_actor::Column::Name, Option::<String>::None.into())
        .col_expr(remote_actor::Column::Url, Option::<String>::None.into())
        .col_expr(
            remote_actor::Column::AvatarUrl,
            Option::<String>::None.into(),
        )
        .col_expr(remote_actor::Column::DeletedAt, Some(at).into())
        .filter(remote_actor::Column::Id.eq(actor.id))
        .exec(db)
        .await?;
    Ok(erased)
}
