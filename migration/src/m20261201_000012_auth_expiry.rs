//! Staff tokens and console sessions get a kind and an expiry (checked on every
//! request, purged when past), and the server gets a table of its own secrets (the
//! HMAC key of readers' address hashes), generated once and kept like the site keys.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000012_auth_expiry"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column at a time.
        m.alter_table(
            Table::alter()
                .table(ApiTokens::Table)
                .add_column(string(ApiTokens::Kind).default("api"))
                .to_owned(),
        )
        .await?;
        // Rows from before this migration have none: the service counts their
        // lifetime from `created_at`.
        m.alter_table(
            Table::alter()
                .table(ApiTokens::Table)
                .add_column(big_integer_null(ApiTokens::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_api_tokens_expires_at")
                .table(ApiTokens::Table)
                .col(ApiTokens::ExpiresAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ServerSecrets::Table)
                .col(big_pk_auto(ServerSecrets::Id))
                .col(string_uniq(ServerSecrets::Name))
                .col(text(ServerSecrets::Value))
                .col(big_integer(ServerSecrets::CreatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ServerSecrets::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("idx_api_tokens_expires_at")
                .table(ApiTokens::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ApiTokens::Table)
                .drop_column(ApiTokens::ExpiresAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ApiTokens::Table)
                .drop_column(ApiTokens::Kind)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Kind,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ServerSecrets {
    Table,
    Id,
    Name,
    Value,
    CreatedAt,
}
