//! Quotes (FEP-044f): a post that quotes one of our articles or staff replies is stored
//! as a comment row marked as a quote, so that moderation, the console and the
//! moderators' actions treat it like any comment. `quote_of` is the id of what it
//! quotes (a quote is never a reply: no parent, outside the tree); `quote_request` the
//! `QuoteRequest` it came with (the `Accept`/`Reject` answers it); `quote_revoked_at`
//! when its stamp (`QuoteAuthorization`) was revoked. `thread_totals` counts replies
//! only, so its triggers now leave quotes out.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000001_quotes"
    }
}

/// Whether the comment `row` counts in `thread_totals`; `quotes` says whether quotes
/// are left out (this migration) or not (the one before).
fn visible(row: &str, quotes: bool) -> String {
    let quote = if quotes {
        format!(" AND {row}.quote_of IS NULL")
    } else {
        String::new()
    };
    format!(
        "({row}.status = 'published' AND {row}.deleted_at IS NULL AND {row}.suppressed_by IS NULL{quote})"
    )
}

/// (Re)creates the triggers that keep `thread_totals`, as `m20261129_000011` wrote them
/// but with `visible` as given.
async fn totals_triggers(m: &SchemaManager<'_>, quotes: bool) -> Result<(), DbErr> {
    let db = m.get_connection();
    let (old, new) = (visible("OLD", quotes), visible("NEW", quotes));
    match m.get_database_backend() {
        sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
            // The trigger calls the function by name: replacing it is enough.
            db.execute_unprepared(&format!(
                "CREATE OR REPLACE FUNCTION count_thread_totals() RETURNS trigger AS $$ \
                 DECLARE was BOOLEAN := FALSE; now_visible BOOLEAN := FALSE; \
                 BEGIN \
                   IF TG_OP <> 'INSERT' THEN was := {old}; END IF; \
                   IF TG_OP <> 'DELETE' THEN now_visible := {new}; END IF; \
                   IF was AND NOT now_visible THEN \
                     UPDATE thread_totals SET visible = visible - 1 WHERE article_id = OLD.article_id; \
                   ELSIF now_visible AND NOT was THEN \
                     INSERT INTO thread_totals (article_id, visible) VALUES (NEW.article_id, 1) \
                     ON CONFLICT (article_id) DO UPDATE SET visible = thread_totals.visible + 1; \
                   END IF; \
                   RETURN NULL; \
                 END; $$ LANGUAGE plpgsql"
            ))
            .await?;
        }
        _ => {
            // One call, so one connection: a pooled connection that did not see the
            // drops would find the old triggers still in its cached schema.
            let mut script: Vec<String> = ["insert", "update", "delete"]
                .iter()
                .map(|op| format!("DROP TRIGGER IF EXISTS comments_total_{op};"))
                .collect();
            script.extend([
                format!(
                    "CREATE TRIGGER comments_total_insert AFTER INSERT ON comments WHEN {new} \
                     BEGIN INSERT INTO thread_totals (article_id, visible) VALUES (NEW.article_id, 1) \
                     ON CONFLICT (article_id) DO UPDATE SET visible = visible + 1; END;"
                ),
                format!(
                    "CREATE TRIGGER comments_total_delete AFTER DELETE ON comments WHEN {old} \
                     BEGIN UPDATE thread_totals SET visible = visible - 1 \
                     WHERE article_id = OLD.article_id; END;"
                ),
                format!(
                    "CREATE TRIGGER comments_total_update AFTER UPDATE ON comments \
                     WHEN ({old}) <> ({new}) BEGIN \
                     UPDATE thread_totals SET visible = visible - 1 \
                       WHERE article_id = OLD.article_id AND {old}; \
                     INSERT INTO thread_totals (article_id, visible) \
                       SELECT NEW.article_id, 1 WHERE {new} \
                       ON CONFLICT (article_id) DO UPDATE SET visible = visible + 1; END;"
                ),
            ]);
            db.execute_unprepared(&script.join(" ")).await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ColumnDef::new(Alias::new("quote_of"))
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(Alias::new("quote_request"))
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(Alias::new("quote_revoked_at"))
                .big_integer()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("comments"))
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        // The citations of an article are read apart from its replies.
        m.create_index(
            Index::create()
                .name("idx_comments_quote_of")
                .table(Alias::new("comments"))
                .col(Alias::new("article_id"))
                .col(Alias::new("quote_of"))
                .to_owned(),
        )
        .await?;
        totals_triggers(m, true).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        totals_triggers(m, false).await?;
        m.drop_index(
            Index::drop()
                .name("idx_comments_quote_of")
                .table(Alias::new("comments"))
                .to_owned(),
        )
        .await?;
        for column in ["quote_revoked_at", "quote_request", "quote_of"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("comments"))
                    .drop_column(Alias::new(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
