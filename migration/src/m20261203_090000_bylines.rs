//! Bylines: `articles.author_id`, the staff member an article is signed by (its
//! journalist actor is named in `attributedTo`), and `comments.staff_id`, who wrote a
//! staff reply (its `Note` is that journalist's). Both null for what came before: those
//! stay the site actor's.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_090000_bylines"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("articles"))
                .add_column(ColumnDef::new(Alias::new("author_id")).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("comments"))
                .add_column(ColumnDef::new(Alias::new("staff_id")).big_integer().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("comments"))
                .drop_column(Alias::new("staff_id"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("articles"))
                .drop_column(Alias::new("author_id"))
                .to_owned(),
        )
        .await
    }
}
