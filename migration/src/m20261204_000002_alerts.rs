//! Alerts to staff: webhooks admins register (`webhooks`), the events raised
//! (`alert_events`, which digests read), the durable queue of what is sent for them
//! (`alert_deliveries`: one row per webhook POST or per e-mail to one member, leased
//! and retried like the outbox), each member's choice per event (`staff_alerts`), and
//! the members' e-mail addresses and digest cursor (`moderators.email`,
//! `moderators.digest_after`).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000002_alerts"
    }
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Url,
    Secret,
    Events,
    Site,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AlertEvents {
    Table,
    Id,
    Event,
    Site,
    Item,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AlertDeliveries {
    Table,
    Id,
    EventId,
    Event,
    Channel,
    WebhookId,
    StaffId,
    Target,
    Subject,
    Body,
    Signature,
    Status,
    Attempts,
    LastError,
    NextAttemptAt,
    LockedUntil,
    DeliveredAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffAlerts {
    Table,
    StaffId,
    Event,
    Mode,
}

#[derive(DeriveIden)]
enum Moderators {
    Table,
    Email,
    DigestAfter,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Webhooks::Table)
                .col(big_pk_auto(Webhooks::Id))
                .col(string(Webhooks::Url))
                .col(string(Webhooks::Secret))
                .col(string(Webhooks::Events))
                .col(string_null(Webhooks::Site))
                .col(big_integer(Webhooks::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AlertEvents::Table)
                .col(big_pk_auto(AlertEvents::Id))
                .col(string(AlertEvents::Event))
                .col(string_null(AlertEvents::Site))
                .col(text(AlertEvents::Item))
                .col(big_integer(AlertEvents::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_alert_events_event")
                .table(AlertEvents::Table)
                .col(AlertEvents::Event)
                .col(AlertEvents::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AlertDeliveries::Table)
                .col(big_pk_auto(AlertDeliveries::Id))
                .col(big_integer_null(AlertDeliveries::EventId))
                .col(string(AlertDeliveries::Event))
                .col(string(AlertDeliveries::Channel))
                .col(big_integer_null(AlertDeliveries::WebhookId))
                .col(big_integer_null(AlertDeliveries::StaffId))
                .col(string(AlertDeliveries::Target))
                .col(string_null(AlertDeliveries::Subject))
                .col(text(AlertDeliveries::Body))
                .col(string_null(AlertDeliveries::Signature))
                .col(string(AlertDeliveries::Status))
                .col(integer(AlertDeliveries::Attempts))
                .col(text_null(AlertDeliveries::LastError))
                .col(big_integer(AlertDeliveries::NextAttemptAt))
                .col(big_integer_null(AlertDeliveries::LockedUntil))
                .col(big_integer_null(AlertDeliveries::DeliveredAt))
                .col(big_integer(AlertDeliveries::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_alert_deliveries_due")
                .table(AlertDeliveries::Table)
                .col(AlertDeliveries::Status)
                .col(AlertDeliveries::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StaffAlerts::Table)
                .col(big_integer(StaffAlerts::StaffId))
                .col(string(StaffAlerts::Event))
                .col(string(StaffAlerts::Mode))
                .primary_key(
                    Index::create()
                        .col(StaffAlerts::StaffId)
                        .col(StaffAlerts::Event),
                )
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per statement.
        m.alter_table(
            Table::alter()
                .table(Moderators::Table)
                .add_column(string_null(Moderators::Email))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Moderators::Table)
                .add_column(big_integer_null(Moderators::DigestAfter))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Moderators::DigestAfter, Moderators::Email] {
            m.alter_table(
                Table::alter()
                    .table(Moderators::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(StaffAlerts::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(AlertDeliveries::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(AlertEvents::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Webhooks::Table).to_owned())
            .await
    }
}
