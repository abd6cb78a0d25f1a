//! Hosts that stopped answering our deliveries: failures in a row, and since when the
//! host counts as unreachable (then only a probe now and then is sent).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000009_host_health"
    }
}

#[derive(DeriveIden)]
enum HostHealth {
    Table,
    Host,
    Failures,
    LastFailureAt,
    UnreachableSince,
    LastProbeAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HostHealth::Table)
                .col(string(HostHealth::Host).primary_key())
                .col(integer(HostHealth::Failures))
                .col(big_integer(HostHealth::LastFailureAt))
                .col(big_integer_null(HostHealth::UnreachableSince))
                .col(big_integer_null(HostHealth::LastProbeAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(HostHealth::Table).to_owned())
            .await
    }
}
