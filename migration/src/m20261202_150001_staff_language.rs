//! Staff members choose the console's language (`moderators.language`, a tag such as
//! `fr` or `en`); without one, the console follows the browser's `Accept-Language`.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_150001_staff_language"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Moderators::Table)
                .add_column(string_null(Moderators::Language))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Moderators::Table)
                .drop_column(Moderators::Language)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Moderators {
    Table,
    Language,
}
