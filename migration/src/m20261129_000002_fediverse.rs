//! What talking to the whole fediverse needs: every key an actor lists (RSA `publicKey`
//! and Ed25519 `assertionMethod` multikeys), account moves, likes and boosts, reports
//! (`Flag`), the crawl queue for whole conversations, and article deletion.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000002_fediverse"
    }
}

#[derive(DeriveIden)]
enum RemoteActors {
    Table,
    Id,
    MovedTo,
    KeysFetchedAt,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    DeletedAt,
}

#[derive(DeriveIden)]
enum ActorKeys {
    Table,
    Id,
    ActorId,
    KeyId,
    Algorithm,
    PublicKey,
}

#[derive(DeriveIden)]
enum Reactions {
    Table,
    Id,
    Kind,
    ActorId,
    ObjectApId,
    ArticleId,
    CommentId,
    ActivityId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    ActivityId,
    ActorId,
    Content,
    Objects,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CrawlJobs {
    Table,
    Id,
    Url,
    ArticleId,
    Depth,
    Status,
    Attempts,
    LastError,
    NextAttemptAt,
    LockedUntil,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RemoteActors::Table)
                .add_column(string_null(RemoteActors::MovedTo))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RemoteActors::Table)
                .add_column(big_integer_null(RemoteActors::KeysFetchedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Articles::Table)
                .add_column(big_integer_null(Articles::DeletedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ActorKeys::Table)
                .col(big_pk_auto(ActorKeys::Id))
                .col(big_integer(ActorKeys::ActorId))
                .col(string_uniq(ActorKeys::KeyId))
                .col(string(ActorKeys::Algorithm))
                .col(text(ActorKeys::PublicKey))
                .foreign_key(
                    ForeignKey::create()
                        .from(ActorKeys::Table, ActorKeys::ActorId)
                        .to(RemoteActors::Table, RemoteActors::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Reactions::Table)
                .col(big_pk_auto(Reactions::Id))
                .col(string(Reactions::Kind))
                .col(big_integer(Reactions::ActorId))
                .col(string(Reactions::ObjectApId))
                .col(big_integer(Reactions::ArticleId))
                .col(big_integer_null(Reactions::CommentId))
                .col(string(Reactions::ActivityId))
                .col(big_integer(Reactions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Reactions::Table, Reactions::ActorId)
                        .to(RemoteActors::Table, RemoteActors::Id),
                )
                .to_owned(),
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
        m.create_index(
            Index::create()
                .name("idx_reactions_article")
                .table(Reactions::Table)
                .col(Reactions::ArticleId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Reports::Table)
                .col(big_pk_auto(Reports::Id))
                .col(string_uniq(Reports::ActivityId))
                .col(big_integer(Reports::ActorId))
                .col(text(Reports::Content))
                .col(text(Reports::Objects))
                .col(big_integer(Reports::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CrawlJobs::Table)
                .col(big_pk_auto(CrawlJobs::Id))
                .col(string_uniq(CrawlJobs::Url))
                .col(big_integer(CrawlJobs::ArticleId))
                .col(integer(CrawlJobs::Depth))
                .col(string(CrawlJobs::Status))
                .col(integer(CrawlJobs::Attempts))
                .col(text_null(CrawlJobs::LastError))
                .col(big_integer(CrawlJobs::NextAttemptAt))
                .col(big_integer_null(CrawlJobs::LockedUntil))
                .col(big_integer(CrawlJobs::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_crawl_jobs_due")
                .table(CrawlJobs::Table)
                .col(CrawlJobs::Status)
                .col(CrawlJobs::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CrawlJobs::Table.into_iden(),
            Reports::Table.into_iden(),
            Reactions::Table.into_iden(),
            ActorKeys::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Articles::Table)
                .drop_column(Articles::DeletedAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RemoteActors::Table)
                .drop_column(RemoteActors::KeysFetchedAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RemoteActors::Table)
                .drop_column(RemoteActors::MovedTo)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
