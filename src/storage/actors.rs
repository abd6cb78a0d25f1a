//! Remote actors we have seen, with their public keys.

use super::entities::{actor_key, remote_actor};
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

/// The fields of a remote actor we keep (filled by the service from the wire type).
#[derive(Debug, Clone)]
pub struct ActorRecord {
    pub ap_id: String,
    pub kind: String,
    pub domain: String,
    pub preferred_username: Option<String>,
    pub name: Option<String>,
    pub url: Option<String>,
    pub avatar_url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub public_key_id: Option<String>,
    pub public_key_pem: Option<String>,
    pub published: Option<i64>,
    pub fetched_at: i64,
    pub moved_to: Option<String>,
    /// Every verification key: `(key id, algorithm, public key)`.
    pub keys: Vec<(String, String, String)>,
}

/// Inserts or refreshes an actor by its AP id, replacing its keys; a refreshed actor
/// is no longer deleted. A key id another actor holds stays with it, unless it is in
/// `take_over` (keys provably this actor's: `actor#…`, or named by their own document).
pub async fn upsert<C: ConnectionTrait>(
    db: &C,
    r: ActorRecord,
    take_over: &[String],
) -> Result<remote_actor::Model, DbErr> {
    let ap_id = r.ap_id.clone();
    let keys = r.keys.clone();
    remote_actor::Entity::insert(remote_actor::ActiveModel {
        ap_id: Set(r.ap_id),
        kind: Set(r.kind),
        domain: Set(r.domain),
        preferred_username: Set(r.preferred_username),
        name: Set(r.name),
        url: Set(r.url),
        avatar_url: Set(r.avatar_url),
        inbox: Set(r.inbox),
        shared_inbox: Set(r.shared_inbox),
        public_key_id: Set(r.public_key_id),
        public_key_pem: Set(r.public_key_pem),
        published: Set(r.published),
        fetched_at: Set(r.fetched_at),
        deleted_at: Set(None),
        moved_to: Set(r.moved_to),
        keys_fetched_at: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(remote_actor::Column::ApId)
            .update_columns([
                remote_actor::Column::Kind,
                remote_actor::Column::Domain,
                remote_actor::Column::PreferredUsername,
                remote_actor::Column::Name,
                remote_actor::Column::Url,
                remote_actor::Column::AvatarUrl,
                remote_actor::Column::Inbox,
                remote_actor::Column::SharedInbox,
                remote_actor::Column::PublicKeyId,
                remote_actor::Column::PublicKeyPem,
                remote_actor::Column::Published,
                remote_actor::Column::FetchedAt,
                remote_actor::Column::DeletedAt,
                remote_actor::Column::MovedTo,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let actor = find_by_ap_id(db, &ap_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(ap_id))?;
    actor_key::Entity::delete_many()
        .filter(actor_key::Column::ActorId.eq(actor.id))
        .exec(db)
        .await?;
    for (key_id, algorithm, public_key) in keys {
        let conflict = if take_over.contains(&key_id) {
            OnConflict::column(actor_key::Column::KeyId)
                .update_columns([
                    actor_key::Column::ActorId,
                    actor_key::Column::Algorithm,
                    actor_key::Column::PublicKey,
                ])
                .to_owned()
        } else {
            OnConflict::column(actor_key::Column::KeyId)
                .do_nothing()
                .to_owned()
        };
        actor_key::Entity::insert(actor_key::ActiveModel {
            actor_id: Set(actor.id),
            key_id: Set(key_id),
            algorithm: Set(algorithm),
            public_key: Set(public_key),
            ..Default::default()
        })
        .on_conflict(conflict)
        .exec_without_returning(db)
        .await?;
    }
    Ok(actor)
}

/// The key with this id and the actor who owns it.
pub async fn find_key<C: ConnectionTrait>(
    db: &C,
    key_id: &str,
) -> Result<Option<(actor_key::Model, remote_actor::Model)>, DbErr> {
    let Some(key) = actor_key::Entity::find()
        .filter(actor_key::Column::KeyId.eq(key_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let actor = remote_actor::Entity::find_by_id(key.actor_id)
        .one(db)
        .await?;
    Ok(actor.map(|a| (key, a)))
}

/// Records that an actor's keys were just fetched again (refetches are rate limited).
pub async fn touch_keys_fetched<C: ConnectionTrait>(db: &C, id: i64, at: i64) -> Result<(), DbErr> {
    remote_actor::Entity::update_many()
        .col_expr(remote_actor::Column::KeysFetchedAt, at.into())
        .filter(remote_actor::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn find_by_ap_id<C: ConnectionTrait>(
    db: &C,
    ap_id: &str,
) -> Result<Option<remote_actor::Model>, DbErr> {
    remote_actor::Entity::find()
        .filter(remote_actor::Column::ApId.eq(ap_id))
        .one(db)
        .await
}

pub async fn find_many<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<Vec<remote_actor::Model>, DbErr> {
    remote_actor::Entity::find()
        .filter(remote_actor::Column::Id.is_in(ids))
        .all(db)
        .await
}

/// Marks an actor deleted (`Delete(Person)`); its comments are hidden by the caller.
pub async fn mark_deleted<C: ConnectionTrait>(db: &C, id: i64, at: i64) -> Result<(), DbErr> {
    remote_actor::Entity::update_many()
        .col_expr(remote_actor::Column::DeletedAt, at.into())
        .filter(remote_actor::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records where an account moved (`Move`).
pub async fn set_moved_to<C: ConnectionTrait>(db: &C, id: i64, target: &str) -> Result<(), DbErr> {
    remote_actor::Entity::update_many()
        .col_expr(
            remote_actor::Column::MovedTo,
            Some(target.to_string()).into(),
        )
        .filter(remote_actor::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
