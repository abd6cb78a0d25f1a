//! Moderation: modes per site and article, rules, domain and actor policies, verdicts
//! with their reasons on comments, staff accounts with roles and tokens, the audit log,
//! and comment reports (from readers and from other servers).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000003_moderation"
    }
}

#[derive(DeriveIden)]
enum Sites {
    Table,
    ModerationMode,
    HoldNewAuthors,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    ModerationMode,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Verdict,
    ModerationReason,
    ModerationNote,
    ModeratedBy,
    ModeratedAt,
    SuppressedBy,
    TextHash,
    Simhash,
}

#[derive(DeriveIden)]
enum Rules {
    Table,
    Id,
    SiteId,
    Kind,
    Pattern,
    Action,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DomainPolicies {
    Table,
    Id,
    Domain,
    Severity,
    RejectMedia,
    RejectReports,
    PublicComment,
    PrivateComment,
    Obfuscate,
    Source,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActorPolicies {
    Table,
    Id,
    ActorApId,
    Action,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Moderators {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    Disabled,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    ModeratorId,
    TokenHash,
    Name,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ModeratorId,
    Who,
    Action,
    TargetType,
    TargetId,
    Details,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CommentReports {
    Table,
    Id,
    CommentId,
    Source,
    Reason,
    Content,
    Reporter,
    Status,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let add = |table: TableRef, col: ColumnDef| {
            Table::alter().table(table).add_column(col).to_owned()
        };
        m.alter_table(add(
            Sites::Table.into_table_ref(),
            string(Sites::ModerationMode).default("post").to_owned(),
        ))
        .await?;
        m.alter_table(add(
            Sites::Table.into_table_ref(),
            integer(Sites::HoldNewAuthors).default(0).to_owned(),
        ))
        .await?;
        m.alter_table(add(
            Articles::Table.into_table_ref(),
            string_null(Articles::ModerationMode),
        ))
        .await?;
        for col in [
            text_null(Comments::Verdict),
            string_null(Comments::ModerationReason),
            text_null(Comments::ModerationNote),
            string_null(Comments::ModeratedBy),
            big_integer_null(Comments::ModeratedAt),
            string_null(Comments::SuppressedBy),
            big_integer_null(Comments::TextHash),
            big_integer_null(Comments::Simhash),
        ] {
            m.alter_table(add(Comments::Table.into_table_ref(), col))
                .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_comments_text_hash")
                .table(Comments::Table)
                .col(Comments::TextHash)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Rules::Table)
                .col(big_pk_auto(Rules::Id))
                .col(big_integer_null(Rules::SiteId))
                .col(string(Rules::Kind))
                .col(text(Rules::Pattern))
                .col(string(Rules::Action))
                .col(text_null(Rules::Note))
                .col(big_integer(Rules::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DomainPolicies::Table)
                .col(big_pk_auto(DomainPolicies::Id))
                .col(string_uniq(DomainPolicies::Domain))
                .col(string(DomainPolicies::Severity))
                .col(boolean(DomainPolicies::RejectMedia))
                .col(boolean(DomainPolicies::RejectReports))
                .col(text_null(DomainPolicies::PublicComment))
                .col(text_null(DomainPolicies::PrivateComment))
                .col(boolean(DomainPolicies::Obfuscate))
                .col(string(DomainPolicies::Source))
                .col(big_integer(DomainPolicies::CreatedAt))
                .col(big_integer(DomainPolicies::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ActorPolicies::Table)
                .col(big_pk_auto(ActorPolicies::Id))
                .col(string_uniq(ActorPolicies::ActorApId))
                .col(string(ActorPolicies::Action))
                .col(text_null(ActorPolicies::Reason))
                .col(big_integer(ActorPolicies::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Moderators::Table)
                .col(big_pk_auto(Moderators::Id))
                .col(string_uniq(Moderators::Username))
                .col(string(Moderators::DisplayName))
                .col(string(Moderators::PasswordHash))
                .col(string(Moderators::Role))
                .col(boolean(Moderators::Disabled))
                .col(big_integer(Moderators::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(big_pk_auto(ApiTokens::Id))
                .col(big_integer(ApiTokens::ModeratorId))
                .col(string_uniq(ApiTokens::TokenHash))
                .col(string(ApiTokens::Name))
                .col(big_integer(ApiTokens::CreatedAt))
                .col(big_integer_null(ApiTokens::LastUsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ApiTokens::Table, ApiTokens::ModeratorId)
                        .to(Moderators::Table, Moderators::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_pk_auto(AuditLog::Id))
                .col(big_integer_null(AuditLog::ModeratorId))
                .col(string(AuditLog::Who))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::TargetType))
                .col(string(AuditLog::TargetId))
                .col(text(AuditLog::Details))
                .col(big_integer(AuditLog::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CommentReports::Table)
                .col(big_pk_auto(CommentReports::Id))
                .col(big_integer(CommentReports::CommentId))
                .col(string(CommentReports::Source))
                .col(string(CommentReports::Reason))
                .col(text(CommentReports::Content))
                .col(string(CommentReports::Reporter))
                .col(string(CommentReports::Status))
                .col(big_integer(CommentReports::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_comment_reports_comment")
                .table(CommentReports::Table)
                .col(CommentReports::CommentId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CommentReports::Table.into_iden(),
            AuditLog::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Moderators::Table.into_iden(),
            ActorPolicies::Table.into_iden(),
            DomainPolicies::Table.into_iden(),
            Rules::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
