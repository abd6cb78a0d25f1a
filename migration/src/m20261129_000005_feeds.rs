//! The state of each site's feed polling (conditional GET validators).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000005_feeds"
    }
}

#[derive(DeriveIden)]
enum FeedState {
    Table,
    Id,
    SiteId,
    Etag,
    LastModified,
    PolledAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(FeedState::Table)
                .col(big_pk_auto(FeedState::Id))
                .col(big_integer_uniq(FeedState::SiteId))
                .col(text_null(FeedState::Etag))
                .col(text_null(FeedState::LastModified))
                .col(big_integer(FeedState::PolledAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(FeedState::Table).to_owned())
            .await
    }
}
