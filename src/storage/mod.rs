//! Storage: the only layer that runs queries. sea-orm over SQLite (default, WAL) or
//! PostgreSQL, chosen by the database URL; migrations run at start.

pub mod actors;
pub mod alerts;
pub mod articles;
pub mod blocklist_feed;
pub mod bylines;
pub mod columns;
pub mod comments;
pub mod console;
pub mod crawl;
pub mod data_rights;
pub mod domain_blocks;
pub mod entities;
pub mod follows;
pub mod highlights;
pub mod host_health;
pub mod imports;
pub mod inbox;
pub mod interaction_requests;
pub mod isso;
pub mod keys;
pub mod leases;
pub mod moderation;
pub mod newsroom;
pub mod outbox;
pub mod queue;
pub mod quotes;
pub mod reactions;
pub mod reports;
pub mod secrets;
pub mod site_export;
pub mod sites;
pub mod staff;
pub mod subscriptions;
pub mod threads;

use crate::config::DatabaseSettings;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use std::time::Duration;

pub use sea_orm::DatabaseConnection as Db;

/// Opens the database (creating the SQLite file and its folder if needed), turns on
/// WAL for SQLite, and runs pending migrations.
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(&settings.url) {
        if let Some(dir) = std::path::Path::new(&path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
            }
        }
    }
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    options.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            // Commits survive a process crash; what must also survive a power loss
            // is followed by `Durability::flush` (see there).
            .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
    });
    options.map_sqlx_postgres_opts(|o| o.options([("synchronous_commit", "off")]));
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Whether the database answers (for `/healthz`).
/// Makes committed writes survive a power loss.
///
/// Background work (processing a stored activity, a delivery's status) commits without
/// waiting for the disk: a crash of the process loses nothing, a power loss may roll
/// back the last commits, and what they did is redone (the inbox row and the outbox
/// row roll back with them). What was acknowledged to someone — an inbox activity
/// answered 202, an admin's change — is followed by `flush`, which waits until every
/// commit before it is on disk:
/// - SQLite runs in WAL mode with `synchronous = NORMAL`; `flush` is one `fsync` of the
///   WAL file, which holds every commit in order.
/// - PostgreSQL sessions run with `synchronous_commit = off`; `flush` commits one small
///   transaction with it on, which waits for the WAL up to its commit record, hence for
///   every earlier commit.
#[derive(Debug, Clone, Default)]
pub enum Durability {
    #[default]
    Nothing,
    SqliteWal(std::path::PathBuf),
    Postgres,
}

impl Durability {
    pub fn for_url(url: &str) -> Self {
        if url.starts_with("postgres") {
            return Self::Postgres;
        }
        match sqlite_path(url).filter(|p| !p.is_empty() && !p.contains(":memory:")) {
            Some(path) => Self::SqliteWal(std::path::PathBuf::from(format!("{path}-wal"))),
            None => Self::Nothing,
        }
    }

    /// Waits until every commit made so far is on disk.
    pub async fn flush(&self, db: &DatabaseConnection) -> Result<(), DbErr> {
        match self {
            Self::Nothing => Ok(()),
            Self::SqliteWal(wal) => {
                let wal = wal.clone();
                tokio::task::spawn_blocking(move || match std::fs::File::open(&wal) {
                    Ok(file) => file.sync_data(),
                    // No WAL yet: nothing was written since the last checkpoint, which
                    // synced.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    Err(e) => Err(e),
                })
                .await
                .map_err(|e| DbErr::Custom(format!("flushing the WAL: {e}")))?
                .map_err(|e| DbErr::Custom(format!("flushing the WAL: {e}")))
            }
            Self::Postgres => {
                use sea_orm::TransactionTrait;
                let txn = db.begin().await?;
                txn.execute_unprepared("SET LOCAL synchronous_commit = on")
                    .await?;
                // A transaction id makes the commit write a record, and wait for it.
                txn.execute_unprepared("SELECT txid_current()").await?;
                txn.commit().await
            }
        }
    }
}

pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// Waiting rows of each durable queue: `(queue, count, oldest due time in ms)`.
pub async fn queue_stats(
    db: &DatabaseConnection,
) -> Result<Vec<(&'static str, u64, Option<i64>)>, DbErr> {
    use crate::domain::{CrawlStatus, DeliveryStatus, InboxStatus};
    use entities::{crawl_job, delivery, inbox_activity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let inbox: Option<(i64, Option<i64>)> = inbox_activity::Entity::find()
        .select_only()
        .column_as(inbox_activity::Column::Id.count(), "n")
        .column_as(inbox_activity::Column::ReceivedAt.min(), "oldest")
        .filter(inbox_activity::Column::Status.eq(InboxStatus::Pending))
        .into_tuple()
        .one(db)
        .await?;
    let deliveries: Option<(i64, Option<i64>)> = delivery::Entity::find()
        .select_only()
        .column_as(delivery::Column::Id.count(), "n")
        .column_as(delivery::Column::CreatedAt.min(), "oldest")
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .into_tuple()
        .one(db)
        .await?;
    let crawl: Option<(i64, Option<i64>)> = crawl_job::Entity::find()
        .select_only()
        .column_as(crawl_job::Column::Id.count(), "n")
        .column_as(crawl_job::Column::CreatedAt.min(), "oldest")
        .filter(crawl_job::Column::Status.eq(CrawlStatus::Pending))
        .into_tuple()
        .one(db)
        .await?;
    Ok([
        ("inbox", inbox),
        ("deliveries", deliveries),
        ("crawl", crawl),
    ]
    .into_iter()
    .map(|(name, row)| {
        let (n, oldest) = row.unwrap_or((0, None));
        (name, n.max(0) as u64, oldest)
    })
    .collect())
}
