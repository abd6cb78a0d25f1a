//! Bulk rows written straight into a bench server's database, for the growth scenarios
//! (1,000,000 comments, 1,000,000 domain policies, 10,000 rules): each copies a row the
//! server itself wrote through its API, so only the varying columns are spelled here.

use anyhow::{Context, Result};
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection};

pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    pub async fn open(url: &str) -> Result<Db> {
        let conn = Database::connect(url)
            .await
            .context("opening the bench database")?;
        if conn.get_database_backend() == DatabaseBackend::Sqlite {
            conn.execute_unprepared("PRAGMA busy_timeout = 60000")
                .await?;
        }
        Ok(Db { conn })
    }

    fn postgres(&self) -> bool {
        self.conn.get_database_backend() == DatabaseBackend::Postgres
    }

    pub async fn scalar(&self, sql: &str) -> Result<i64> {
        let row = self
            .conn
            .query_one_raw(sea_orm::Statement::from_string(
                self.conn.get_database_backend(),
                sql.to_string(),
            ))
            .await?
            .context("no row")?;
        Ok(row.try_get_by_index::<i64>(0)?)
    }

    /// `n` articles copied from article `template`, with URLs `{prefix}{i}`.
    pub async fn articles(&self, template: i64, prefix: &str, n: u64) -> Result<()> {
        let (with, from) = self.with_from(n);
        self.conn
            .execute_unprepared(&format!(
                "{with}INSERT INTO articles (site_id, ap_id, url, title, summary, published, created_at, updated_at) \
                 SELECT a.site_id, a.ap_id || '-bulk-' || i, '{prefix}' || i, a.title, a.summary, a.published, \
                   a.created_at, a.updated_at \
                 FROM articles a, {from} WHERE a.id = {template}"
            ))
            .await?;
        Ok(())
    }

    /// `per_article` comments on each article `articles_sql` selects (`id`, `ap_id`), copied from comment `template` with their own ids, authors and
    /// text, published a minute apart before the template (older than any rate window).
    pub async fn comments(
        &self,
        template: i64,
        articles_sql: &str,
        per_article: u64,
        authors: (i64, i64),
    ) -> Result<u64> {
        let (first_author, author_count) = authors;
        let (with, from) = self.with_from(per_article);
        let sql = format!(
            "{with}INSERT INTO comments (article_id, parent_id, ap_id, url, in_reply_to, author_id, content_html, \
               summary, sensitive, language, attachments, tags, status, published, created_at, verdict, text_hash, simhash) \
             SELECT art.id, NULL, c.ap_id || '/bulk/' || art.id || '/' || i, NULL, art.ap_id, \
               {first_author} + ((art.id * 7 + i) % {author_count}), \
               '<p>' || substr(c.content_html, 4 + (i % 40), 400) || ' ' || i || '</p>', \
               NULL, c.sensitive, c.language, c.attachments, c.tags, 'published', \
               c.published - ({per_article} - i) * 60000, c.created_at - ({per_article} - i) * 60000, \
               c.verdict, NULL, NULL \
             FROM comments c, ({articles_sql}) art, {from} WHERE c.id = {template}"
        );
        let result = self.conn.execute_unprepared(&sql).await?;
        Ok(result.rows_affected())
    }

    /// `n` rules copied from rule `template`, every tenth a regex.
    pub async fn rules(&self, words: i64, regex: i64, n: u64) -> Result<()> {
        for (template, count, pattern) in [
            (words, n - n / 10, "'benchword' || i || 'x'"),
            (regex, n / 10, "'\\bspam' || i || '[a-z]*\\d+'"),
        ] {
            if count == 0 {
                continue;
            }
            let (with, from) = self.with_from(count);
            self.conn
                .execute_unprepared(&format!(
                    "{with}INSERT INTO rules (site_id, kind, pattern, action, note, created_at) \
                     SELECT r.site_id, r.kind, {pattern}, r.action, r.note, r.created_at \
                     FROM rules r, {from} WHERE r.id = {template}"
                ))
                .await?;
        }
        Ok(())
    }

    /// `n` domain policies copied from the policy of `template`.
    pub async fn domain_policies(&self, template: &str, n: u64) -> Result<()> {
        let (with, from) = self.with_from(n);
        self.conn
            .execute_unprepared(&format!(
                "{with}INSERT INTO domain_policies (domain, severity, reject_media, reject_reports, public_comment, \
                   private_comment, obfuscate, source, created_at, updated_at, digest) \
                 SELECT 'bulk-' || i || '.example', p.severity, p.reject_media, p.reject_reports, p.public_comment, \
                   p.private_comment, p.obfuscate, p.source, p.created_at, p.updated_at, p.digest \
                 FROM domain_policies p, {from} WHERE p.domain = '{template}'"
            ))
            .await?;
        Ok(())
    }

    fn with_from(&self, n: u64) -> (String, String) {
        if self.postgres() {
            (
                String::new(),
                format!("generate_series(0, {}) AS s(i)", n - 1),
            )
        } else {
            (
                format!(
                    "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {}) ",
                    n - 1
                ),
                "s".to_string(),
            )
        }
    }

    pub async fn close(self) -> Result<()> {
        self.conn.close().await?;
        Ok(())
    }
}
