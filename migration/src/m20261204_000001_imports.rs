//! Imported comments (Disqus, WordPress, Isso, Remark42, Tribune's own export): the
//! program they came from and their id there, unique per site so that a re-import
//! finds the row it stored (even two imports at once); the author as that program kept
//! them (a name, a hash of the e-mail address that is never shown, a website); and the
//! key of a parent not yet stored (Disqus does not order posts), resolved at the end.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000001_imports"
    }
}

const COLUMNS: [&str; 7] = [
    "import_site_id",
    "import_source",
    "import_key",
    "import_parent_key",
    "author_name",
    "author_email_hash",
    "author_website",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for name in COLUMNS {
            let mut column = ColumnDef::new(Alias::new(name));
            if name == "import_site_id" {
                column.big_integer().null();
            } else {
                column.text().null();
            }
            m.alter_table(
                Table::alter()
                    .table(Alias::new("comments"))
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        // Rows that were not imported have NULLs, which never collide.
        m.create_index(
            Index::create()
                .name("idx_comments_import_key")
                .table(Alias::new("comments"))
                .col(Alias::new("import_site_id"))
                .col(Alias::new("import_source"))
                .col(Alias::new("import_key"))
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_comments_import_key")
                .table(Alias::new("comments"))
                .to_owned(),
        )
        .await?;
        for name in COLUMNS.iter().rev() {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("comments"))
                    .drop_column(Alias::new(*name))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
