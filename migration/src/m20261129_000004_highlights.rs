//! The newsroom's voice: editorial highlights ("mise en valeur") in the editors' order,
//! and staff replies (local comments written by the newsroom).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000004_highlights"
    }
}

#[derive(DeriveIden)]
enum Highlights {
    Table,
    Id,
    CommentId,
    ArticleId,
    Note,
    EditorId,
    EditorName,
    Position,
    AnnounceId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    StaffName,
    Source,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Highlights::Table)
                .col(big_pk_auto(Highlights::Id))
                .col(big_integer_uniq(Highlights::CommentId))
                .col(big_integer(Highlights::ArticleId))
                .col(text_null(Highlights::Note))
                .col(big_integer_null(Highlights::EditorId))
                .col(string(Highlights::EditorName))
                .col(big_integer(Highlights::Position))
                .col(string(Highlights::AnnounceId))
                .col(big_integer(Highlights::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_highlights_article")
                .table(Highlights::Table)
                .col(Highlights::ArticleId)
                .col(Highlights::Position)
                .to_owned(),
        )
        .await?;
        for col in [
            string_null(Comments::StaffName),
            text_null(Comments::Source),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Comments::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Highlights::Table).to_owned())
            .await
    }
}
