//! Database migrations for Tribune: one file per migration, no entity imports, so the
//! schema history stays readable on its own and runs the same on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_foundation;
mod m20261129_000002_fediverse;
mod m20261129_000003_moderation;
mod m20261129_000004_highlights;
mod m20261129_000005_feeds;
mod m20261129_000006_blocklists;
mod m20261129_000007_subscriptions;
mod m20261129_000008_blocklist_federation;
mod m20261129_000009_host_health;
mod m20261129_000010_job_leases;
mod m20261129_000011_content_version;
mod m20261201_000012_article_confirmed;
mod m20261201_000012_auth_expiry;
mod m20261201_140006_source_entry_privacy;
mod m20261202_150000_staff_title;
mod m20261202_150001_staff_language;
mod m20261203_000001_quotes;
mod m20261203_000002_consent;
mod m20261203_000003_reactions;
mod m20261203_090000_bylines;
mod m20261204_000001_imports;
mod m20261204_000002_alerts;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_fediverse::Migration),
            Box::new(m20261129_000003_moderation::Migration),
            Box::new(m20261129_000004_highlights::Migration),
            Box::new(m20261129_000005_feeds::Migration),
            Box::new(m20261129_000006_blocklists::Migration),
            Box::new(m20261129_000007_subscriptions::Migration),
            Box::new(m20261129_000008_blocklist_federation::Migration),
            Box::new(m20261129_000009_host_health::Migration),
            Box::new(m20261129_000010_job_leases::Migration),
            Box::new(m20261129_000011_content_version::Migration),
            Box::new(m20261201_000012_article_confirmed::Migration),
            Box::new(m20261201_000012_auth_expiry::Migration),
            Box::new(m20261201_140006_source_entry_privacy::Migration),
            Box::new(m20261202_150000_staff_title::Migration),
            Box::new(m20261202_150001_staff_language::Migration),
            Box::new(m20261203_000001_quotes::Migration),
            Box::new(m20261203_000002_consent::Migration),
            Box::new(m20261203_000003_reactions::Migration),
            Box::new(m20261203_090000_bylines::Migration),
            Box::new(m20261204_000001_imports::Migration),
            Box::new(m20261204_000002_alerts::Migration),
        ]
    }
}
