//! The foundation schema: sites and their keys, articles, remote actors, comments with
//! their edit history, the durable inbox, followers/following and the durable outbox.
//!
//! Times that queues compare (`next_attempt_at`, `locked_until`) and every other
//! timestamp are stored as Unix milliseconds (BIGINT): they compare correctly on both
//! SQLite (where datetimes are text) and PostgreSQL. Raw activities are kept as TEXT,
//! never `jsonb`, which would reorder keys and lose the bytes that were signed.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000001_foundation"
    }
}

#[derive(DeriveIden)]
enum Keypairs {
    Table,
    Id,
    Owner,
    PublicKeyPem,
    PrivateKeyPem,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sites {
    Table,
    Id,
    Slug,
    Name,
    Origin,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
    SiteId,
    ApId,
    Url,
    Title,
    Summary,
    Published,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RemoteActors {
    Table,
    Id,
    ApId,
    Kind,
    Domain,
    PreferredUsername,
    Name,
    Url,
    AvatarUrl,
    Inbox,
    SharedInbox,
    PublicKeyId,
    PublicKeyPem,
    Published,
    FetchedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    ArticleId,
    ParentId,
    ApId,
    Url,
    InReplyTo,
    AuthorId,
    ContentHtml,
    Summary,
    Sensitive,
    Language,
    Attachments,
    Tags,
    Status,
    Published,
    EditedAt,
    DeletedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CommentRevisions {
    Table,
    Id,
    CommentId,
    ContentHtml,
    Summary,
    RevisedAt,
}

#[derive(DeriveIden)]
enum InboxActivities {
    Table,
    Id,
    ActivityId,
    ActorId,
    Kind,
    Raw,
    Status,
    Attempts,
    LastError,
    ReceivedAt,
    NextAttemptAt,
    LockedUntil,
    ProcessedAt,
}

#[derive(DeriveIden)]
enum Followers {
    Table,
    Id,
    SiteId,
    ActorId,
    FollowActivityId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Following {
    Table,
    Id,
    SiteId,
    TargetApId,
    TargetInbox,
    FollowActivityId,
    State,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OutboxActivities {
    Table,
    Id,
    ActivityId,
    SignerKey,
    SignerKeyId,
    Raw,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Id,
    OutboxId,
    Inbox,
    Status,
    Attempts,
    LastError,
    NextAttemptAt,
    LockedUntil,
    DeliveredAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Keypairs::Table)
                .col(big_pk_auto(Keypairs::Id))
                .col(string_uniq(Keypairs::Owner))
                .col(text(Keypairs::PublicKeyPem))
                .col(text(Keypairs::PrivateKeyPem))
                .col(big_integer(Keypairs::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sites::Table)
                .col(big_pk_auto(Sites::Id))
                .col(string_uniq(Sites::Slug))
                .col(string(Sites::Name))
                .col(string(Sites::Origin))
                .col(big_integer(Sites::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Articles::Table)
                .col(big_pk_auto(Articles::Id))
                .col(big_integer(Articles::SiteId))
                .col(string_uniq(Articles::ApId))
                .col(string_uniq(Articles::Url))
                .col(text(Articles::Title))
                .col(text_null(Articles::Summary))
                .col(big_integer(Articles::Published))
                .col(big_integer(Articles::CreatedAt))
                .col(big_integer(Articles::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Articles::Table, Articles::SiteId)
                        .to(Sites::Table, Sites::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RemoteActors::Table)
                .col(big_pk_auto(RemoteActors::Id))
                .col(string_uniq(RemoteActors::ApId))
                .col(string(RemoteActors::Kind))
                .col(string(RemoteActors::Domain))
                .col(string_null(RemoteActors::PreferredUsername))
                .col(text_null(RemoteActors::Name))
                .col(text_null(RemoteActors::Url))
                .col(text_null(RemoteActors::AvatarUrl))
                .col(text(RemoteActors::Inbox))
                .col(text_null(RemoteActors::SharedInbox))
                .col(string_null(RemoteActors::PublicKeyId))
                .col(text_null(RemoteActors::PublicKeyPem))
                .col(big_integer_null(RemoteActors::Published))
                .col(big_integer(RemoteActors::FetchedAt))
                .col(big_integer_null(RemoteActors::DeletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_remote_actors_key_id")
                .table(RemoteActors::Table)
                .col(RemoteActors::PublicKeyId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Comments::Table)
                .col(big_pk_auto(Comments::Id))
                .col(big_integer(Comments::ArticleId))
                .col(big_integer_null(Comments::ParentId))
                .col(string_uniq(Comments::ApId))
                .col(text_null(Comments::Url))
                .col(text(Comments::InReplyTo))
                .col(big_integer_null(Comments::AuthorId))
                .col(text(Comments::ContentHtml))
                .col(text_null(Comments::Summary))
                .col(boolean(Comments::Sensitive))
                .col(string_null(Comments::Language))
                .col(text(Comments::Attachments))
                .col(text(Comments::Tags))
                .col(string(Comments::Status))
                .col(big_integer(Comments::Published))
                .col(big_integer_null(Comments::EditedAt))
                .col(big_integer_null(Comments::DeletedAt))
                .col(big_integer(Comments::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Comments::Table, Comments::ArticleId)
                        .to(Articles::Table, Articles::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Comments::Table, Comments::ParentId)
                        .to(Comments::Table, Comments::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Comments::Table, Comments::AuthorId)
                        .to(RemoteActors::Table, RemoteActors::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_comments_article")
                .table(Comments::Table)
                .col(Comments::ArticleId)
                .col(Comments::Published)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_comments_author")
                .table(Comments::Table)
                .col(Comments::AuthorId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CommentRevisions::Table)
                .col(big_pk_auto(CommentRevisions::Id))
                .col(big_integer(CommentRevisions::CommentId))
                .col(text(CommentRevisions::ContentHtml))
                .col(text_null(CommentRevisions::Summary))
                .col(big_integer(CommentRevisions::RevisedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CommentRevisions::Table, CommentRevisions::CommentId)
                        .to(Comments::Table, Comments::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InboxActivities::Table)
                .col(big_pk_auto(InboxActivities::Id))
                .col(string_uniq(InboxActivities::ActivityId))
                .col(string(InboxActivities::ActorId))
                .col(string(InboxActivities::Kind))
                .col(text(InboxActivities::Raw))
                .col(string(InboxActivities::Status))
                .col(integer(InboxActivities::Attempts))
                .col(text_null(InboxActivities::LastError))
                .col(big_integer(InboxActivities::ReceivedAt))
                .col(big_integer(InboxActivities::NextAttemptAt))
                .col(big_integer_null(InboxActivities::LockedUntil))
                .col(big_integer_null(InboxActivities::ProcessedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_inbox_pending")
                .table(InboxActivities::Table)
                .col(InboxActivities::Status)
                .col(InboxActivities::NextAttemptAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Followers::Table)
                .col(big_pk_auto(Followers::Id))
                .col(big_integer(Followers::SiteId))
                .col(big_integer(Followers::ActorId))
                .col(string(Followers::FollowActivityId))
                .col(big_integer(Followers::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Followers::Table, Followers::SiteId)
                        .to(Sites::Table, Sites::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Followers::Table, Followers::ActorId)
                        .to(RemoteActors::Table, RemoteActors::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_followers_unique")
                .table(Followers::Table)
                .col(Followers::SiteId)
                .col(Followers::ActorId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Following::Table)
                .col(big_pk_auto(Following::Id))
                .col(big_integer(Following::SiteId))
                .col(string(Following::TargetApId))
                .col(text(Following::TargetInbox))
                .col(string_uniq(Following::FollowActivityId))
                .col(string(Following::State))
                .col(big_integer(Following::CreatedAt))
                .col(big_integer(Following::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Following::Table, Following::SiteId)
                        .to(Sites::Table, Sites::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_following_unique")
                .table(Following::Table)
                .col(Following::SiteId)
                .col(Following::TargetApId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OutboxActivities::Table)
                .col(big_pk_auto(OutboxActivities::Id))
                .col(string_uniq(OutboxActivities::ActivityId))
                .col(string(OutboxActivities::SignerKey))
                .col(string(OutboxActivities::SignerKeyId))
                .col(text(OutboxActivities::Raw))
                .col(big_integer(OutboxActivities::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Deliveries::Table)
                .col(big_pk_auto(Deliveries::Id))
                .col(big_integer(Deliveries::OutboxId))
                .col(text(Deliveries::Inbox))
                .col(string(Deliveries::Status))
                .col(integer(Deliveries::Attempts))
                .col(text_null(Deliveries::LastError))
                .col(big_integer(Deliveries::NextAttemptAt))
                .col(big_integer_null(Deliveries::LockedUntil))
                .col(big_integer_null(Deliveries::DeliveredAt))
                .col(big_integer(Deliveries::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Deliveries::Table, Deliveries::OutboxId)
                        .to(OutboxActivities::Table, OutboxActivities::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deliveries_pending")
                .table(Deliveries::Table)
                .col(Deliveries::Status)
                .col(Deliveries::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Deliveries::Table.into_iden(),
            OutboxActivities::Table.into_iden(),
            Following::Table.into_iden(),
            Followers::Table.into_iden(),
            InboxActivities::Table.into_iden(),
            CommentRevisions::Table.into_iden(),
            Comments::Table.into_iden(),
            RemoteActors::Table.into_iden(),
            Articles::Table.into_iden(),
            Sites::Table.into_iden(),
            Keypairs::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
