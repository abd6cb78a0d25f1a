//! `moderators.title` ("cheffe du service Société"): how a staff member signs, beside
//! their name; and `comments.staff_title`, the title a staff reply was signed with (a
//! byline stays as it was printed, whatever the author's title becomes).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_150000_staff_title"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("moderators"))
                .add_column(ColumnDef::new(Alias::new("title")).string().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("comments"))
                .add_column(ColumnDef::new(Alias::new("staff_title")).string().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("comments"))
                .drop_column(Alias::new("staff_title"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("moderators"))
                .drop_column(Alias::new("title"))
                .to_owned(),
        )
        .await
    }
}
