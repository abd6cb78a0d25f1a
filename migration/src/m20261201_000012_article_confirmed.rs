//! `articles.confirmed_at`: when staff, the CMS API or the site's feed vouched for an
//! article. A page that registered itself from a reader's visit stays unconfirmed, and
//! the site actor federates nothing about it until then (issue 14, "Trust").

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000012_article_confirmed"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("articles"))
                .add_column(
                    ColumnDef::new(Alias::new("confirmed_at"))
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // Articles registered before this migration were announced already.
        m.get_connection()
            .execute_unprepared("UPDATE articles SET confirmed_at = created_at")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("articles"))
                .drop_column(Alias::new("confirmed_at"))
                .to_owned(),
        )
        .await
    }
}
