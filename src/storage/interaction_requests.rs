//! Interaction requests (GoToSocial's consent), received and sent.

use super::entities::interaction_request::{self, Column, Entity};
use crate::domain::{ConsentKind, ConsentState};
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter,
};

/// What a new request stores.
pub struct NewRequest<'a> {
    pub kind: ConsentKind,
    pub request_id: &'a str,
    pub actor: &'a str,
    pub object: &'a str,
    pub instrument: &'a str,
    pub comment_id: i64,
    pub state: ConsentState,
    pub now: i64,
}

/// Records a request once (a replayed one keeps the first row); returns the row.
pub async fn insert_once<C: ConnectionTrait>(
    db: &C,
    r: NewRequest<'_>,
) -> Result<interaction_request::Model, DbErr> {
    let answered = (r.state != ConsentState::Pending).then_some(r.now);
    Entity::insert(interaction_request::ActiveModel {
        kind: Set(r.kind),
        request_id: Set(r.request_id.to_string()),
        actor: Set(r.actor.to_string()),
        object: Set(r.object.to_string()),
        instrument: Set(r.instrument.to_string()),
        comment_id: Set(r.comment_id),
        state: Set(r.state),
        authorization: Set(None),
        created_at: Set(r.now),
        answered_at: Set(answered),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(Column::RequestId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Entity::find()
        .filter(Column::RequestId.eq(r.request_id))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("interaction request".into()))
}

/// The request of `kind` about `comment_id` (one per comment and kind).
pub async fn for_comment<C: ConnectionTrait>(
    db: &C,
    kind: ConsentKind,
    comment_id: i64,
) -> Result<Option<interaction_request::Model>, DbErr> {
    Entity::find()
        .filter(Column::Kind.eq(kind))
        .filter(Column::CommentId.eq(comment_id))
        .one(db)
        .await
}

/// A request we sent, named by its own id or by its instrument (an answer may name
/// either).
pub async fn sent_named<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<interaction_request::Model>, DbErr> {
    Entity::find()
        .filter(Column::Kind.eq(ConsentKind::AnnounceSent))
        .filter(
            Condition::any()
                .add(Column::RequestId.eq(id))
                .add(Column::Instrument.eq(id)),
        )
        .one(db)
        .await
}

/// Settles a pending request; false when it was no longer pending (answered already,
/// or withdrawn).
pub async fn settle<C: ConnectionTrait>(
    db: &C,
    id: i64,
    state: ConsentState,
    authorization: Option<&str>,
    now: i64,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::State, sea_orm::sea_query::Expr::value(state))
        .col_expr(
            Column::Authorization,
            sea_orm::sea_query::Expr::value(authorization.map(str::to_string)),
        )
        .col_expr(Column::AnsweredAt, sea_orm::sea_query::Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(ConsentState::Pending))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Forgets a request (a highlight removed: a late answer finds nothing).
pub async fn delete<C: ConnectionTrait>(db: &C, id: i64) -> Result<(), DbErr> {
    Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
