//! `interaction_requests`: GoToSocial's interaction requests, both ways. A `ReplyRequest`
//! received (answered `Accept` or `Reject` once moderation decides) and an
//! `AnnounceRequest` the site actor sent before boosting a highlighted reply (the
//! `Announce` goes out only once its author's server accepted).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000002_consent"
    }
}

#[derive(DeriveIden)]
enum InteractionRequests {
    Table,
    Id,
    Kind,
    RequestId,
    Actor,
    Object,
    Instrument,
    CommentId,
    State,
    Authorization,
    CreatedAt,
    AnsweredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(InteractionRequests::Table)
                .col(big_pk_auto(InteractionRequests::Id))
                .col(string(InteractionRequests::Kind))
                .col(string_uniq(InteractionRequests::RequestId))
                .col(string(InteractionRequests::Actor))
                .col(string(InteractionRequests::Object))
                .col(string(InteractionRequests::Instrument))
                .col(big_integer(InteractionRequests::CommentId))
                .col(string(InteractionRequests::State))
                .col(string_null(InteractionRequests::Authorization))
                .col(big_integer(InteractionRequests::CreatedAt))
                .col(big_integer_null(InteractionRequests::AnsweredAt))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            (
                "idx_interaction_requests_comment",
                InteractionRequests::CommentId,
            ),
            (
                "idx_interaction_requests_instrument",
                InteractionRequests::Instrument,
            ),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(InteractionRequests::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(InteractionRequests::Table).to_owned())
            .await
    }
}
