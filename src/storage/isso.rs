//! Reading a foreign Isso database (SQLite, Isso 0.12–0.14's `threads` and `comments`
//! tables), read-only, a page of rows at a time: the file is someone else's, never
//! written, never migrated, and a large one is not loaded whole.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use std::path::Path;

/// A row of Isso's `threads`.
#[derive(Debug, Clone, PartialEq)]
pub struct IssoThread {
    pub id: i64,
    pub uri: String,
    pub title: Option<String>,
}

/// A row of Isso's `comments` (the columns an import keeps).
#[derive(Debug, Clone, PartialEq)]
pub struct IssoComment {
    pub id: i64,
    pub tid: i64,
    pub parent: Option<i64>,
    /// Seconds since the epoch (Isso's `time.time()`).
    pub created: f64,
    pub modified: Option<f64>,
    /// 1 accepted, 2 pending, 4 deleted (kept because it has replies).
    pub mode: i64,
    pub text: String,
    pub author: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

/// Opens the file read-only (one connection: reads are sequential). The file's schema is
/// not trusted: `trusted_schema=OFF` keeps its views and triggers from calling SQL
/// functions with side effects.
pub async fn open(path: &Path) -> Result<DatabaseConnection, DbErr> {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false)
        .pragma("trusted_schema", "OFF");
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(e))))?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// What `name` is in the file (`table`, `view`, `index`…), `None` when nothing: an
/// import reads tables only, never a view, whose query the file's author wrote.
pub async fn kind(db: &DatabaseConnection, name: &str) -> Result<Option<String>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT type FROM sqlite_master WHERE name = ?",
            [name.into()],
        ))
        .await?;
    row.map(|r| r.try_get::<String>("", "type")).transpose()
}

/// The columns a table has (empty when there is no such table).
pub async fn columns(db: &DatabaseConnection, table: &str) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT name FROM pragma_table_info(?)",
            [table.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "name"))
        .collect()
}

/// Threads after `after` (by id), at most `limit`.
pub async fn threads_after(
    db: &DatabaseConnection,
    after: i64,
    limit: u32,
) -> Result<Vec<IssoThread>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT id, uri, title FROM threads WHERE id > ? ORDER BY id LIMIT ?",
            [after.into(), limit.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(IssoThread {
                id: r.try_get("", "id")?,
                uri: r.try_get::<Option<String>>("", "uri")?.unwrap_or_default(),
                title: r.try_get("", "title")?,
            })
        })
        .collect()
}

/// Comments after `after` (by id: a parent before its replies), at most `limit`.
pub async fn comments_after(
    db: &DatabaseConnection,
    after: i64,
    limit: u32,
) -> Result<Vec<IssoComment>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT id, tid, parent, CAST(created AS REAL) AS created, \
             CAST(modified AS REAL) AS modified, mode, text, author, email, website \
             FROM comments WHERE id > ? ORDER BY id LIMIT ?",
            [after.into(), limit.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(IssoComment {
                id: r.try_get("", "id")?,
                tid: r.try_get::<Option<i64>>("", "tid")?.unwrap_or_default(),
                parent: r.try_get("", "parent")?,
                created: r.try_get::<Option<f64>>("", "created")?.unwrap_or_default(),
                modified: r.try_get("", "modified")?,
                mode: r.try_get::<Option<i64>>("", "mode")?.unwrap_or(1),
                text: r.try_get::<Option<String>>("", "text")?.unwrap_or_default(),
                author: r.try_get("", "author")?,
                email: r.try_get("", "email")?,
                website: r.try_get("", "website")?,
            })
        })
        .collect()
}
