//! The one writer of every import: records stored for a site, in batches (one
//! transaction per batch), articles matched by URL or registered quietly (nothing is
//! federated: no `Create`, no delivery), comments stored as local comments under our
//! own ids with their threading, dates, authors and statuses, found again by their key
//! so that importing the same file twice changes nothing. A dry run does the same in
//! one transaction that is rolled back, so its report is the real one's.

use super::model::{email_hash, Body, Format, ImportReport, ImportedComment, ImportedStatus};
use super::model::{ImportedThread, Record, Records};
use crate::{
    domain::{now_millis, CommentStatus},
    error::{Error, Invalid, Result},
    sanitize::{plain_text, sanitize_html},
    services::moderators::Reason,
    state::{AppState, Site},
    storage::{
        self,
        articles::NewArticle,
        imports::{Imported, Key},
    },
};
use futures::StreamExt;
use sea_orm::{DatabaseTransaction, TransactionTrait};
use std::collections::HashMap;
use url::Url;

/// Records written per transaction.
const BATCH: usize = 500;
/// Problems listed in the report (all are counted).
const MAX_PROBLEMS: usize = 100;
const MAX_NAME: usize = 200;
const MAX_WEBSITE: usize = 500;

/// Called with the number of records read so far (the command line's progress bar).
pub type Progress<'a> = Option<&'a (dyn Fn(u64) + Sync)>;

/// An article a thread key leads to: its row and its AP id (what a top-level comment
/// answers), or why its comments cannot be stored.
type Article = std::result::Result<(i64, String), String>;

struct Run<'a> {
    state: &'a AppState,
    site: &'a Site,
    format: Format,
    report: ImportReport,
    threads: HashMap<String, Article>,
    now: i64,
}

/// Stores `records` for the site `site`.
pub async fn import(
    state: &AppState,
    site: &str,
    format: Format,
    mut records: Records,
    dry_run: bool,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let site = state
        .site(site)
        .ok_or_else(|| Invalid::field("site", "error-site-unknown").with("site", site))?;
    let mut run = Run {
        state,
        site,
        format,
        report: ImportReport {
            format: format.as_str().into(),
            site: site.slug.clone(),
            dry_run,
            ..ImportReport::default()
        },
        threads: HashMap::new(),
        now: now_millis(),
    };
    // A dry run writes into one transaction it never commits: what it reads back (a
    // parent stored earlier in the file, an article it registered) is what the real run
    // would read.
    let outer = if dry_run {
        Some(state.db.begin().await?)
    } else {
        None
    };
    let mut read = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let next = records.next().await;
        let done = next.is_none();
        if let Some(record) = next {
            batch.push(record.map_err(|e| Error::Unprocessable(e.message))?);
            read += 1;
        }
        if batch.len() >= BATCH || (done && !batch.is_empty()) {
            let txn = match &outer {
                Some(outer) => outer.begin().await?,
                None => state.db.begin().await?,
            };
            for record in batch.drain(..) {
                run.record(&txn, record).await?;
            }
            txn.commit().await?;
            if let Some(progress) = progress {
                progress(read);
            }
        }
        if done {
            break;
        }
    }
    run.resolve_parents(outer.as_ref()).await?;
    if let Some(outer) = outer {
        outer.rollback().await?;
    }
    Ok(run.report)
}

impl Run<'_> {
    fn problem(&mut self, what: String) {
        self.report.skipped += 1;
        if self.report.problems.len() < MAX_PROBLEMS {
            self.report.problems.push(what);
        }
    }

    async fn record(&mut self, txn: &DatabaseTransaction, record: Record) -> Result<()> {
        match record {
            Record::Thread(t) => {
                self.report.threads += 1;
                let article = self.article(txn, &t).await?;
                self.threads.insert(t.key, article);
            }
            Record::Comment(c) => {
                self.report.comments += 1;
                self.comment(txn, c).await?;
            }
        }
        Ok(())
    }

    /// The site's article at a thread's URL, registered quietly when missing.
    async fn article(&mut self, txn: &DatabaseTransaction, t: &ImportedThread) -> Result<Article> {
        let Some(url) = self.article_url(&t.url) else {
            return Ok(Err(format!(
                "thread {}: {} is not a page of {}",
                t.key,
                t.url,
                self.site.origin.origin().ascii_serialization()
            )));
        };
        if let Some(row) = storage::articles::find_by_url(txn, url.as_str()).await? {
            self.report.articles_matched += 1;
            return Ok(Ok((row.id, row.ap_id)));
        }
        let title = t
            .title
            .as_deref()
            .map(crate::sanitize::text_of_html)
            .map(|s| s.trim().chars().take(500).collect::<String>())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| url.to_string());
        // Registered as the newsroom's (an administrator imports it) but announced to
        // nobody: an archive is not news. No `announce`, no outbox row.
        let row = storage::articles::insert(
            txn,
            NewArticle {
                site_id: self.site.id,
                url: url.as_str(),
                title: &title,
                summary: None,
                published: self.now,
                now: self.now,
                confirmed: true,
            },
            |id| self.state.urls.article(id),
        )
        .await?;
        self.report.articles_created += 1;
        Ok(Ok((row.id, row.ap_id)))
    }

    /// A thread's URL as the site's articles are stored: absolute on the site's origin
    /// (a path is joined to it, `http` read as the site's scheme), without fragment,
    /// with only the query parameters that name an article (`self_register_query_params`).
    fn article_url(&self, url: &str) -> Option<Url> {
        let origin = &self.site.origin;
        let mut url = Url::parse(url.trim())
            .or_else(|_| origin.join(url.trim()))
            .ok()?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str() != origin.host_str() {
            return None;
        }
        if url.scheme() != origin.scheme() {
            url.set_scheme(origin.scheme()).ok()?;
        }
        if url.port_or_known_default() != origin.port_or_known_default() {
            url.set_port(origin.port()).ok()?;
        }
        let allowed = self
            .state
            .settings
            .sites
            .iter()
            .find(|s| s.slug == self.site.slug)
            .map(|s| s.self_register_query_params.as_slice())
            .unwrap_or_default();
        Some(crate::services::articles::autoregister::normalise(
            &url, allowed,
        ))
    }

    async fn comment(&mut self, txn: &DatabaseTransaction, c: ImportedComment) -> Result<()> {
        let article = match self.threads.get(&c.thread_key) {
            Some(a) => a.clone(),
            // A reader that names threads by URL only (Remark42's `locator.url`).
            None => {
                let t = ImportedThread {
                    key: c.thread_key.clone(),
                    url: c.thread_key.clone(),
                    title: None,
                };
                self.report.threads += 1;
                let a = self.article(txn, &t).await?;
                self.threads.insert(t.key, a.clone());
                a
            }
        };
        let (article_id, article_ap_id) = match article {
            Ok(a) => a,
            Err(why) => {
                self.problem(format!("comment {}: {why}", c.key));
                return Ok(());
            }
        };
        let source = self.format.as_str();
        let key = Key {
            site_id: self.site.id,
            source,
            key: &c.key,
        };
        let parent = match &c.parent_key {
            Some(p) => {
                storage::imports::find(
                    txn,
                    Key {
                        site_id: self.site.id,
                        source,
                        key: p,
                    },
                )
                .await?
            }
            None => None,
        };
        let wanted = self.imported(&c, article_id, &article_ap_id, parent.as_ref());
        match storage::imports::find(txn, key).await? {
            None => {
                let urls = &self.state.urls;
                match storage::imports::insert(txn, key, &wanted, self.now, |id| urls.comment(id))
                    .await?
                {
                    Some(_) => self.report.comments_created += 1,
                    // Another import stored it a moment ago.
                    None => self.report.comments_unchanged += 1,
                }
            }
            Some(row) if wanted.same_as(&row) => self.report.comments_unchanged += 1,
            Some(row) => {
                storage::imports::update(txn, row.id, &wanted, self.now).await?;
                self.report.comments_updated += 1;
            }
        }
        Ok(())
    }

    /// What is stored of an imported comment.
    fn imported(
        &self,
        c: &ImportedComment,
        article_id: i64,
        article_ap_id: &str,
        parent: Option<&storage::entities::comment::Model>,
    ) -> Imported {
        let name = c.author.name.as_deref().map(plain_text).and_then(|n| {
            let n: String = n.trim().chars().take(MAX_NAME).collect();
            (!n.is_empty()).then_some(n)
        });
        let website = c
            .author
            .website
            .as_deref()
            .map(str::trim)
            .filter(|w| w.len() <= MAX_WEBSITE)
            .and_then(crate::federation::protocol::web_url)
            .map(String::from);
        let via = format!("import:{}", self.format.as_str());
        let (status, reason, note, by) = match c.status {
            ImportedStatus::Published | ImportedStatus::Deleted => {
                (CommentStatus::Published, None, None, None)
            }
            ImportedStatus::Held => (CommentStatus::Held, None, None, None),
            ImportedStatus::Spam => (
                CommentStatus::Rejected,
                Some(Reason::Promotional.as_str().to_string()),
                Some(format!("marked spam in {}", self.format.as_str())),
                Some(via),
            ),
        };
        let deleted = c.status == ImportedStatus::Deleted;
        Imported {
            article_id,
            parent_id: parent.map(|p| p.id),
            parent_key: match parent {
                Some(_) => None,
                None => c.parent_key.clone(),
            },
            in_reply_to: parent
                .map(|p| p.ap_id.clone())
                .unwrap_or_else(|| article_ap_id.to_string()),
            content_html: if deleted {
                String::new()
            } else {
                render(&c.body)
            },
            status,
            published: c.published,
            edited_at: c.edited,
            deleted_at: deleted.then(|| c.edited.unwrap_or(c.published)),
            moderation_reason: reason,
            moderation_note: note,
            moderated_by: by,
            author_name: name,
            author_email_hash: c.author.email.as_deref().and_then(email_hash),
            author_website: website,
        }
    }

    /// Replies stored before the comment they answer (Disqus does not order posts) are
    /// hung under it now that the whole file is in.
    async fn resolve_parents(&mut self, outer: Option<&DatabaseTransaction>) -> Result<()> {
        let source = self.format.as_str();
        let mut after = 0;
        loop {
            let txn = match outer {
                Some(outer) => outer.begin().await?,
                None => self.state.db.begin().await?,
            };
            let waiting = storage::imports::waiting_for_parent(
                &txn,
                self.site.id,
                source,
                after,
                BATCH as u64,
            )
            .await?;
            let Some(last) = waiting.last().map(|(id, _)| *id) else {
                txn.commit().await?;
                return Ok(());
            };
            for (id, parent_key) in waiting {
                let key = Key {
                    site_id: self.site.id,
                    source,
                    key: &parent_key,
                };
                match storage::imports::find(&txn, key).await? {
                    Some(parent) => storage::imports::set_parent(&txn, id, &parent).await?,
                    None => {
                        storage::imports::give_up_parent(&txn, id).await?;
                        // Stored all the same: said, not skipped.
                        if self.report.problems.len() < MAX_PROBLEMS {
                            self.report.problems.push(format!(
                                "a reply answers {parent_key}, which the file does not hold: kept as an answer to the article"
                            ));
                        }
                    }
                }
            }
            txn.commit().await?;
            after = last;
        }
    }
}

/// An imported text as sanitised HTML, rendered and sanitised once like any comment.
pub fn render(body: &Body) -> String {
    match body {
        Body::Html(html) => sanitize_html(html),
        Body::Markdown(source) => {
            let parser = pulldown_cmark::Parser::new_ext(
                source,
                pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
            );
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, parser);
            sanitize_html(&html)
        }
        Body::Text(text) => {
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace("\r\n", "\n");
            let html: String = escaped
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
                .collect();
            sanitize_html(&html)
        }
    }
}
