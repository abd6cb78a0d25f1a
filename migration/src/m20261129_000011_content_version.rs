//! Counters of changes, bumped by triggers so no write path can forget them: row 1
//! counts every change readers can see (comments, their authors, reactions, highlights,
//! articles, sites), row 2 every change of the moderation settings held in memory
//! (rules, domain policies). Each process keeps rendered threads and counts, compiled
//! rules and the domain list in memory and revalidates them against these rows.
//! Paged threads get an index of comments by parent, and `thread_totals`: the visible
//! comments of each article, kept by triggers, so a page never counts the whole thread.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000011_content_version"
    }
}

/// The tables whose rows shape a thread or a count (counter 1) and the moderation
/// settings kept in memory (counter 2).
const TABLES: [(&str, i32); 8] = [
    ("comments", 1),
    ("remote_actors", 1),
    ("reactions", 1),
    ("highlights", 1),
    ("articles", 1),
    ("sites", 1),
    ("rules", 2),
    ("domain_policies", 2),
];

/// Whether the comment `row` (a table name, `OLD` or `NEW`) is shown to readers; an
/// author's deletion deletes their comments, so it needs no join.
fn visible(row: &str) -> String {
    format!(
        "({row}.status = 'published' AND {row}.deleted_at IS NULL AND {row}.suppressed_by IS NULL)"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE content_version (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared("INSERT INTO content_version (id, n) VALUES (1, 0), (2, 0)")
            .await?;
        db.execute_unprepared(
            "CREATE TABLE thread_totals (article_id BIGINT PRIMARY KEY, visible BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO thread_totals (article_id, visible) \
             SELECT article_id, COUNT(*) FROM comments WHERE {} GROUP BY article_id",
            visible("comments")
        ))
        .await?;
        match m.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION count_thread_totals() RETURNS trigger AS $$ \
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
                     END; $$ LANGUAGE plpgsql",
                    old = visible("OLD"),
                    new = visible("NEW"),
                ))
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER comments_thread_totals AFTER INSERT OR UPDATE OR DELETE ON comments \
                     FOR EACH ROW EXECUTE FUNCTION count_thread_totals()",
                )
                .await?;
                // An author's latest comments, newest first (SQLite's index on author_id
                // already orders by rowid).
                db.execute_unprepared(
                    "CREATE INDEX idx_comments_author_latest ON comments (author_id, id)",
                )
                .await?;
                // One bump per statement, not per row: bulk writes cost one update.
                db.execute_unprepared(
                    "CREATE FUNCTION bump_content_version() RETURNS trigger AS $$ \
                     BEGIN UPDATE content_version SET n = n + 1 \
                     WHERE id = CAST(TG_ARGV[0] AS INTEGER); RETURN NULL; END; \
                     $$ LANGUAGE plpgsql",
                )
                .await?;
                for (table, counter) in TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_content_version \
                         AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version('{counter}')"
                    ))
                    .await?;
                }
            }
            _ => {
                let (old, new) = (visible("OLD"), visible("NEW"));
                for sql in [
                    format!(
                        "CREATE TRIGGER comments_total_insert AFTER INSERT ON comments WHEN {new} \
                         BEGIN INSERT INTO thread_totals (article_id, visible) VALUES (NEW.article_id, 1) \
                         ON CONFLICT (article_id) DO UPDATE SET visible = visible + 1; END"
                    ),
                    format!(
                        "CREATE TRIGGER comments_total_delete AFTER DELETE ON comments WHEN {old} \
                         BEGIN UPDATE thread_totals SET visible = visible - 1 \
                         WHERE article_id = OLD.article_id; END"
                    ),
                    format!(
                        "CREATE TRIGGER comments_total_update AFTER UPDATE ON comments \
                         WHEN ({old}) <> ({new}) BEGIN \
                         UPDATE thread_totals SET visible = visible - 1 \
                           WHERE article_id = OLD.article_id AND {old}; \
                         INSERT INTO thread_totals (article_id, visible) \
                           SELECT NEW.article_id, 1 WHERE {new} \
                           ON CONFLICT (article_id) DO UPDATE SET visible = visible + 1; END"
                    ),
                ] {
                    db.execute_unprepared(&sql).await?;
                }
                // SQLite has row triggers only.
                for (table, counter) in TABLES {
                    for op in ["INSERT", "UPDATE", "DELETE"] {
                        let lower = op.to_lowercase();
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_content_version_{lower} AFTER {op} ON {table} \
                             BEGIN UPDATE content_version SET n = n + 1 WHERE id = {counter}; END"
                        ))
                        .await?;
                    }
                }
            }
        }
        m.create_index(
            Index::create()
                .name("idx_comments_parent")
                .table(Alias::new("comments"))
                .col(Alias::new("parent_id"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        m.drop_index(
            Index::drop()
                .name("idx_comments_parent")
                .table(Alias::new("comments"))
                .to_owned(),
        )
        .await?;
        match m.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS comments_thread_totals ON comments")
                    .await?;
                db.execute_unprepared("DROP INDEX IF EXISTS idx_comments_author_latest")
                    .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS count_thread_totals()")
                    .await?;
                for (table, _) in TABLES {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {table}_content_version ON {table}"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP FUNCTION IF EXISTS bump_content_version()")
                    .await?;
            }
            _ => {
                for op in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS comments_total_{op}"))
                        .await?;
                }
                for (table, _) in TABLES {
                    for op in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS {table}_content_version_{op}"
                        ))
                        .await?;
                    }
                }
            }
        }
        db.execute_unprepared("DROP TABLE content_version").await?;
        db.execute_unprepared("DROP TABLE thread_totals").await?;
        Ok(())
    }
}
