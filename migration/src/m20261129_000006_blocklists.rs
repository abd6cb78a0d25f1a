//! Blocklists: each domain policy keeps the SHA-256 digest of its domain, so entries
//! imported obfuscated (`ex*mple.com` with a digest, as Mastodon publishes them) still
//! match.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000006_blocklists"
    }
}

#[derive(DeriveIden)]
enum DomainPolicies {
    Table,
    Digest,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(DomainPolicies::Table)
                .add_column(string_null(DomainPolicies::Digest))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_domain_policies_digest")
                .table(DomainPolicies::Table)
                .col(DomainPolicies::Digest)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(DomainPolicies::Table)
                .drop_column(DomainPolicies::Digest)
                .to_owned(),
        )
        .await
    }
}
