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
        .await?;
        // Whether a journalist has signed anything is asked on every anonymous read of
        // their actor and WebFinger name: an index, not a scan of every comment.
        for (table, column, name) in [
            ("articles", "author_id", "idx_articles_author"),
            ("comments", "staff_id", "idx_comments_staff"),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Alias::new(table))
                    .col(Alias::new(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name) in [
            ("articles", "idx_articles_author"),
            ("comments", "idx_comments_staff"),
        ] {
            m.drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
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
