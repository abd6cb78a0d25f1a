//! Blocklist subscriptions: sources polled on a schedule, and what each one lists now
//! (for consensus across sources and for retractions).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000007_subscriptions"
    }
}

#[derive(DeriveIden)]
enum BlocklistSubscriptions {
    Table,
    Id,
    Url,
    Name,
    Priority,
    MaxSeverity,
    AutoApply,
    Excludes,
    Retraction,
    Authorization,
    IntervalSecs,
    Etag,
    LastModified,
    FetchedAt,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BlocklistSourceEntries {
    Table,
    Id,
    SubscriptionId,
    Domain,
    Digest,
    Severity,
    RejectMedia,
    RejectReports,
    PublicComment,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BlocklistSubscriptions::Table)
                .col(big_pk_auto(BlocklistSubscriptions::Id))
                .col(string_uniq(BlocklistSubscriptions::Url))
                .col(string(BlocklistSubscriptions::Name))
                .col(integer(BlocklistSubscriptions::Priority))
                .col(string(BlocklistSubscriptions::MaxSeverity))
                .col(boolean(BlocklistSubscriptions::AutoApply))
                .col(text(BlocklistSubscriptions::Excludes))
                .col(string(BlocklistSubscriptions::Retraction))
                .col(text_null(BlocklistSubscriptions::Authorization))
                .col(big_integer(BlocklistSubscriptions::IntervalSecs))
                .col(text_null(BlocklistSubscriptions::Etag))
                .col(text_null(BlocklistSubscriptions::LastModified))
                .col(big_integer_null(BlocklistSubscriptions::FetchedAt))
                .col(text_null(BlocklistSubscriptions::LastError))
                .col(big_integer(BlocklistSubscriptions::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BlocklistSourceEntries::Table)
                .col(big_pk_auto(BlocklistSourceEntries::Id))
                .col(big_integer(BlocklistSourceEntries::SubscriptionId))
                .col(string(BlocklistSourceEntries::Domain))
                .col(string_null(BlocklistSourceEntries::Digest))
                .col(string(BlocklistSourceEntries::Severity))
                .col(boolean(BlocklistSourceEntries::RejectMedia))
                .col(boolean(BlocklistSourceEntries::RejectReports))
                .col(text_null(BlocklistSourceEntries::PublicComment))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            BlocklistSourceEntries::Table,
                            BlocklistSourceEntries::SubscriptionId,
                        )
                        .to(BlocklistSubscriptions::Table, BlocklistSubscriptions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_source_entries_unique")
                .table(BlocklistSourceEntries::Table)
                .col(BlocklistSourceEntries::SubscriptionId)
                .col(BlocklistSourceEntries::Domain)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(BlocklistSourceEntries::Table)
                .to_owned(),
        )
        .await?;
        m.drop_table(
            Table::drop()
                .table(BlocklistSubscriptions::Table)
                .to_owned(),
        )
        .await
    }
}
