//! Blocklists between servers: what we publish now (one row per domain), the
//! append-only log of changes (FIRES `changes?since=` and pushed `Add`/`Remove`), the
//! servers that follow our blocklist actor, and the kind and cursor of each source.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000008_blocklist_federation"
    }
}

#[derive(DeriveIden)]
enum BlocklistPublished {
    Table,
    PolicyDomain,
    Domain,
    Digest,
    Severity,
    RejectMedia,
    RejectReports,
    PublicComment,
}

#[derive(DeriveIden)]
enum BlocklistChanges {
    Table,
    Id,
    Domain,
    Digest,
    Action,
    Severity,
    RejectMedia,
    RejectReports,
    PublicComment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BlocklistFollowers {
    Table,
    Id,
    ActorApId,
    Inbox,
    FollowActivityId,
    State,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BlocklistSubscriptions {
    Table,
    Kind,
    Cursor,
    FollowActivityId,
    FollowState,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BlocklistPublished::Table)
                .col(string(BlocklistPublished::PolicyDomain).primary_key())
                .col(string(BlocklistPublished::Domain))
                .col(string(BlocklistPublished::Digest))
                .col(string(BlocklistPublished::Severity))
                .col(boolean(BlocklistPublished::RejectMedia))
                .col(boolean(BlocklistPublished::RejectReports))
                .col(text_null(BlocklistPublished::PublicComment))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BlocklistChanges::Table)
                .col(big_pk_auto(BlocklistChanges::Id))
                .col(string(BlocklistChanges::Domain))
                .col(string(BlocklistChanges::Digest))
                .col(string(BlocklistChanges::Action))
                .col(string(BlocklistChanges::Severity))
                .col(boolean(BlocklistChanges::RejectMedia))
                .col(boolean(BlocklistChanges::RejectReports))
                .col(text_null(BlocklistChanges::PublicComment))
                .col(big_integer(BlocklistChanges::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BlocklistFollowers::Table)
                .col(big_pk_auto(BlocklistFollowers::Id))
                .col(string_uniq(BlocklistFollowers::ActorApId))
                .col(string(BlocklistFollowers::Inbox))
                .col(string(BlocklistFollowers::FollowActivityId))
                .col(string(BlocklistFollowers::State))
                .col(big_integer(BlocklistFollowers::CreatedAt))
                .col(big_integer(BlocklistFollowers::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // One column per statement: SQLite alters one at a time.
        for column in [
            ColumnDef::new(BlocklistSubscriptions::Kind)
                .string()
                .not_null()
                .default("list")
                .to_owned(),
            ColumnDef::new(BlocklistSubscriptions::Cursor)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(BlocklistSubscriptions::FollowActivityId)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(BlocklistSubscriptions::FollowState)
                .string()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(BlocklistSubscriptions::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            BlocklistSubscriptions::FollowState,
            BlocklistSubscriptions::FollowActivityId,
            BlocklistSubscriptions::Cursor,
            BlocklistSubscriptions::Kind,
        ] {
            m.alter_table(
                Table::alter()
                    .table(BlocklistSubscriptions::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(BlocklistFollowers::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(BlocklistChanges::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(BlocklistPublished::Table).to_owned())
            .await?;
        Ok(())
    }
}
