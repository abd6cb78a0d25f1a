//! Entries of subscribed blocklists keep what their list asked about disclosure: a
//! domain to publish only obfuscated (`obfuscate`), and the list's `private_comment`,
//! so the merge can carry both into our own policies instead of republishing the
//! domain in clear.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_140006_source_entry_privacy"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        m.alter_table(
            Table::alter()
                .table(Alias::new("blocklist_source_entries"))
                .add_column(
                    ColumnDef::new(Alias::new("obfuscate"))
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("blocklist_source_entries"))
                .add_column(ColumnDef::new(Alias::new("private_comment")).text().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["private_comment", "obfuscate"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("blocklist_source_entries"))
                    .drop_column(Alias::new(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
