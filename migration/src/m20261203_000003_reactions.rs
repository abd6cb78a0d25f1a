//! Reactions keep their emoji: `reactions.emoji` (a unicode emoji or a custom `:name:`,
//! `NULL` for a plain `Like` or `Announce`) and `reactions.emoji_icon` (a custom emoji's
//! image URL, kept as data). One actor may react with several emoji to one object, so
//! the unique index takes the emoji in; `COALESCE` makes a plain like (no emoji) still
//! one per actor, since both SQLite and PostgreSQL count NULLs as distinct in a unique
//! index.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000003_reactions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        m.alter_table(
            Table::alter()
                .table(Reactions::Table)
                .add_column(string_null(Reactions::Emoji))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Reactions::Table)
                .add_column(string_null(Reactions::EmojiIcon))
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_reactions_unique")
                .table(Reactions::Table)
                .to_owned(),
        )
        .await?;
        // An expression index: the same text on both databases.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_reactions_unique_emoji ON reactions \
                 (kind, actor_id, object_ap_id, (COALESCE(emoji, '')))",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX idx_reactions_unique_emoji")
            .await?;
        // Back to one reaction per actor, kind and object: the extra emoji go.
        m.get_connection()
            .execute_unprepared(
                "DELETE FROM reactions WHERE emoji IS NOT NULL AND id NOT IN \
                 (SELECT MIN(id) FROM reactions GROUP BY kind, actor_id, object_ap_id)",
            )
            .await?;
        m.create_index(
            Index::create()
                .name("idx_reactions_unique")
                .table(Reactions::Table)
                .col(Reactions::Kind)
                .col(Reactions::ActorId)
                .col(Reactions::ObjectApId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Reactions::Table)
                .drop_column(Reactions::EmojiIcon)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Reactions::Table)
                .drop_column(Reactions::Emoji)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Reactions {
    Table,
    Emoji,
    EmojiIcon,
    Kind,
    ActorId,
    ObjectApId,
}
