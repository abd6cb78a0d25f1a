//! Scheduled jobs (feed polling, blocklist refreshes) run in one process at a time when
//! several share the database: a lease per job, held by one process until it expires.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000010_job_leases"
    }
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    Until,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(JobLeases::Table)
                .col(string(JobLeases::Name).primary_key())
                .col(string(JobLeases::Holder))
                .col(big_integer(JobLeases::Until))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(JobLeases::Table).to_owned())
            .await
    }
}
