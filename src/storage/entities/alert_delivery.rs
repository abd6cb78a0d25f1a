//! Stored row of the `alert_deliveries` table: one webhook POST or one e-mail to one
//! staff member, leased, retried and dead-lettered like the outbox's deliveries.

use crate::domain::DeliveryStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alert_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The event (`None` for a digest, which gathers several).
    pub event_id: Option<i64>,
    pub event: String,
    /// `webhook` or `email`.
    pub channel: String,
    pub webhook_id: Option<i64>,
    pub staff_id: Option<i64>,
    /// The webhook's URL or the member's address.
    pub target: String,
    pub subject: Option<String>,
    /// The exact bytes POSTed (webhooks), or the e-mail's text.
    pub body: String,
    /// `sha256=<hex>` of `body` under the webhook's secret, computed when queued.
    pub signature: Option<String>,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: i64,
    pub locked_until: Option<i64>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
