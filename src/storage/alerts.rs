//! Alerts: webhooks, the events raised, the durable queue of webhook POSTs and e-mails
//! (leased like the outbox, `storage::queue`), and what each staff member chose.

use super::{
    entities::{alert_delivery, alert_event, delivery, moderator, staff_alert, webhook},
    queue::Lease,
};
use crate::domain::DeliveryStatus;
use sea_orm::{
    sea_query::OnConflict, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub async fn insert_webhook<C: ConnectionTrait>(
    db: &C,
    url: &str,
    secret: &str,
    events: &str,
    site: Option<&str>,
    now: i64,
) -> Result<webhook::Model, DbErr> {
    webhook::ActiveModel {
        url: Set(url.to_string()),
        secret: Set(secret.to_string()),
        events: Set(events.to_string()),
        site: Set(site.map(str::to_string)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn webhooks<C: ConnectionTrait>(db: &C) -> Result<Vec<webhook::Model>, DbErr> {
    webhook::Entity::find()
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await
}

/// Deletes a webhook and cancels what was still queued for it; whether it existed.
pub async fn delete_webhook<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool, DbErr> {
    let deleted = webhook::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        > 0;
    alert_delivery::Entity::update_many()
        .col_expr(
            alert_delivery::Column::Status,
            DeliveryStatus::Cancelled.into(),
        )
        .filter(alert_delivery::Column::WebhookId.eq(id))
        .filter(alert_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .exec(db)
        .await?;
    Ok(deleted)
}

pub async fn insert_event<C: ConnectionTrait>(
    db: &C,
    event: &str,
    site: Option<&str>,
    item: &str,
    now: i64,
) -> Result<alert_event::Model, DbErr> {
    alert_event::ActiveModel {
        event: Set(event.to_string()),
        site: Set(site.map(str::to_string)),
        item: Set(item.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Events after `after` (an id) among `events`, oldest first, at most `limit`.
pub async fn events_after<C: ConnectionTrait>(
    db: &C,
    after: i64,
    events: &[String],
    limit: u64,
) -> Result<Vec<alert_event::Model>, DbErr> {
    alert_event::Entity::find()
        .filter(alert_event::Column::Id.gt(after))
        .filter(alert_event::Column::Event.is_in(events.iter().cloned()))
        .order_by_asc(alert_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The newest event's id (0 when none).
pub async fn last_event_id<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    Ok(alert_event::Entity::find()
        .select_only()
        .column_as(alert_event::Column::Id.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten()
        .unwrap_or(0))
}

/// The newest event of a kind.
pub async fn latest_event<C: ConnectionTrait>(
    db: &C,
    event: &str,
) -> Result<Option<alert_event::Model>, DbErr> {
    alert_event::Entity::find()
        .filter(alert_event::Column::Event.eq(event))
        .order_by_desc(alert_event::Column::Id)
        .one(db)
        .await
}

/// Outgoing deliveries (the federation outbox) that are dead letters.
pub async fn dead_deliveries<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    delivery::Entity::find()
        .filter(delivery::Column::Status.eq(DeliveryStatus::Dead))
        .count(db)
        .await
}

/// One webhook POST or e-mail to queue.
pub struct NewAlertDelivery {
    pub event_id: Option<i64>,
    pub event: String,
    pub channel: &'static str,
    pub webhook_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub target: String,
    pub subject: Option<String>,
    pub body: String,
    pub signature: Option<String>,
}

pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    d: NewAlertDelivery,
    now: i64,
) -> Result<(), DbErr> {
    alert_delivery::ActiveModel {
        event_id: Set(d.event_id),
        event: Set(d.event),
        channel: Set(d.channel.to_string()),
        webhook_id: Set(d.webhook_id),
        staff_id: Set(d.staff_id),
        target: Set(d.target),
        subject: Set(d.subject),
        body: Set(d.body),
        signature: Set(d.signature),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        delivered_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

const LEASE: Lease<alert_delivery::Entity> = Lease {
    id: alert_delivery::Column::Id,
    status: alert_delivery::Column::Status,
    pending: DeliveryStatus::Pending.as_str(),
    next_attempt_at: alert_delivery::Column::NextAttemptAt,
    locked_until: alert_delivery::Column::LockedUntil,
    attempts: alert_delivery::Column::Attempts,
};

/// Claims up to `limit` due rows for `lease_ms` (their `attempts` counting this one).
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: i64,
    lease_ms: i64,
    limit: u64,
) -> Result<Vec<alert_delivery::Model>, DbErr> {
    let mut rows = LEASE.claim(db, now, lease_ms, limit).await?;
    for row in &mut rows {
        row.attempts += 1;
    }
    Ok(rows)
}

pub async fn renew<C: ConnectionTrait>(db: &C, ids: &[i64], until: i64) -> Result<u64, DbErr> {
    LEASE.renew(db, ids, until).await
}

/// Records an attempt's end: `attempts` as counted, and the status it leads to.
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    id: i64,
    attempts: i32,
    status: DeliveryStatus,
    error: Option<String>,
    now: i64,
) -> Result<(), DbErr> {
    let delivered_at = (status == DeliveryStatus::Delivered).then_some(now);
    alert_delivery::Entity::update_many()
        .col_expr(alert_delivery::Column::Status, status.into())
        .col_expr(alert_delivery::Column::Attempts, attempts.into())
        .col_expr(alert_delivery::Column::LastError, error.into())
        .col_expr(alert_delivery::Column::DeliveredAt, delivered_at.into())
        .col_expr(
            alert_delivery::Column::LockedUntil,
            Option::<i64>::None.into(),
        )
        .filter(alert_delivery::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn retry_later<C: ConnectionTrait>(
    db: &C,
    id: i64,
    error: String,
    next_attempt_at: i64,
) -> Result<(), DbErr> {
    LEASE
        .retry_later(
            db,
            id,
            alert_delivery::Column::LastError,
            error,
            next_attempt_at,
        )
        .await
}

/// Rows in a status, newest first.
pub async fn deliveries_by_status<C: ConnectionTrait>(
    db: &C,
    status: DeliveryStatus,
    limit: u64,
) -> Result<Vec<alert_delivery::Model>, DbErr> {
    alert_delivery::Entity::find()
        .filter(alert_delivery::Column::Status.eq(status))
        .order_by_desc(alert_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// When the member's last digest was queued.
pub async fn last_digest_at<C: ConnectionTrait>(
    db: &C,
    staff_id: i64,
) -> Result<Option<i64>, DbErr> {
    alert_delivery::Entity::find()
        .select_only()
        .column_as(alert_delivery::Column::CreatedAt.max(), "max")
        .filter(alert_delivery::Column::StaffId.eq(staff_id))
        .filter(alert_delivery::Column::Event.eq("digest"))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await
        .map(Option::flatten)
}

/// What a member chose, per event.
pub async fn choices<C: ConnectionTrait>(
    db: &C,
    staff_id: i64,
) -> Result<Vec<staff_alert::Model>, DbErr> {
    staff_alert::Entity::find()
        .filter(staff_alert::Column::StaffId.eq(staff_id))
        .all(db)
        .await
}

pub async fn choose<C: ConnectionTrait>(
    db: &C,
    staff_id: i64,
    event: &str,
    mode: &str,
) -> Result<(), DbErr> {
    staff_alert::Entity::insert(staff_alert::ActiveModel {
        staff_id: Set(staff_id),
        event: Set(event.to_string()),
        mode: Set(mode.to_string()),
    })
    .on_conflict(
        OnConflict::columns([staff_alert::Column::StaffId, staff_alert::Column::Event])
            .update_column(staff_alert::Column::Mode)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Enabled members with an address who chose `mode` for `event`.
pub async fn members_choosing<C: ConnectionTrait>(
    db: &C,
    event: &str,
    mode: &str,
) -> Result<Vec<moderator::Model>, DbErr> {
    let ids: Vec<i64> = staff_alert::Entity::find()
        .select_only()
        .column(staff_alert::Column::StaffId)
        .filter(staff_alert::Column::Event.eq(event))
        .filter(staff_alert::Column::Mode.eq(mode))
        .into_tuple()
        .all(db)
        .await?;
    with_address(db, ids).await
}

/// Enabled members with an address who chose a digest of anything.
pub async fn digest_members<C: ConnectionTrait>(db: &C) -> Result<Vec<moderator::Model>, DbErr> {
    let ids: Vec<i64> = staff_alert::Entity::find()
        .select_only()
        .column(staff_alert::Column::StaffId)
        .filter(staff_alert::Column::Mode.eq("digest"))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    with_address(db, ids).await
}

async fn with_address<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<Vec<moderator::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    moderator::Entity::find()
        .filter(moderator::Column::Id.is_in(ids))
        .filter(moderator::Column::Disabled.eq(false))
        .filter(moderator::Column::Email.is_not_null())
        .order_by_asc(moderator::Column::Id)
        .all(db)
        .await
}

pub async fn set_email<C: ConnectionTrait>(
    db: &C,
    staff_id: i64,
    email: Option<&str>,
) -> Result<(), DbErr> {
    moderator::Entity::update_many()
        .col_expr(moderator::Column::Email, email.map(str::to_string).into())
        .filter(moderator::Column::Id.eq(staff_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_digest_after<C: ConnectionTrait>(
    db: &C,
    staff_id: i64,
    after: i64,
) -> Result<(), DbErr> {
    moderator::Entity::update_many()
        .col_expr(moderator::Column::DigestAfter, Some(after).into())
        .filter(moderator::Column::Id.eq(staff_id))
        .exec(db)
        .await?;
    Ok(())
}
