//! Reading a whole-site export back into a site: the document is parsed on a blocking
//! thread, each row handed over a bounded channel as soon as it is read, and stored by
//! its stable key — found again on a second restore, which then changes nothing. A
//! dry run writes nothing and reports the same counts. Nothing is federated.

use super::{forms, trust, FORMAT, VERSION};
use crate::error::Error;
use crate::services::imports::model::{Format, ImportReport};
use crate::state::AppState;
use crate::storage::site_export::{self as store, Row};
use futures::{channel::mpsc, SinkExt, StreamExt};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

/// Rows read ahead of the writer at most.
const AHEAD: usize = 64;
/// Problems listed in the report (all are counted in `skipped`).
const PROBLEMS: usize = 100;
/// Revisions, and reports, one comment may bring at most.
const MAX_PARTS: usize = 1000;
/// The largest row (as JSON text): a row is held whole in memory, so a larger one
/// refuses the file before it is.
const MAX_ROW: u64 = 1 << 20;

/// What the parser hands over.
enum Item {
    Format(String),
    Version(i64),
    Site(Row),
    Row(Section, Row),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    Actors,
    Articles,
    Comments,
    Highlights,
    Reactions,
    Rules,
}

impl Section {
    fn of(name: &str) -> Option<Section> {
        Some(match name {
            "actors" => Section::Actors,
            "articles" => Section::Articles,
            "comments" => Section::Comments,
            "highlights" => Section::Highlights,
            "reactions" => Section::Reactions,
            "rules" => Section::Rules,
            _ => return None,
        })
    }
}

type Tx = mpsc::Sender<Result<Item, String>>;

/// Restores the export in `file` into `site`.
pub async fn restore(
    state: &AppState,
    site: &str,
    file: std::fs::File,
    dry_run: bool,
) -> Result<ImportReport, Error> {
    let site = state.sites.get(site).ok_or(Error::NotFound("site"))?;
    let (tx, mut rx) = mpsc::channel::<Result<Item, String>>(AHEAD);
    let parser = tokio::task::spawn_blocking(move || parse(file, tx));
    let mut run = Run {
        state,
        site_id: site.id,
        dry_run,
        report: ImportReport {
            format: Format::Tribune.as_str().into(),
            site: site.slug.clone(),
            dry_run,
            ..Default::default()
        },
        orphans: Vec::new(),
        rules_changed: false,
        format_seen: false,
    };
    while let Some(item) = rx.next().await {
        let item =
            item.map_err(|e| Error::Unprocessable(format!("not a Tribune site export: {e}")))?;
        run.item(item).await?;
    }
    drop(rx);
    parser.await.map_err(|e| Error::Internal(e.into()))?;
    if !run.format_seen {
        return Err(Error::Unprocessable(
            "not a Tribune site export: no \"format\"".into(),
        ));
    }
    run.finish().await?;
    Ok(run.report)
}

struct Run<'a> {
    state: &'a AppState,
    site_id: i64,
    dry_run: bool,
    report: ImportReport,
    /// Replies stored before the comment they answer: (their id, the parent's AP id).
    orphans: Vec<(i64, String)>,
    rules_changed: bool,
    format_seen: bool,
}

impl Run<'_> {
    fn problem(&mut self, what: String) {
        self.report.skipped += 1;
        if self.report.problems.len() < PROBLEMS {
            self.report.problems.push(what);
        }
    }

    async fn item(&mut self, item: Item) -> Result<(), Error> {
        match item {
            Item::Format(f) if f == FORMAT => self.format_seen = true,
            Item::Format(f) => {
                return Err(Error::Unprocessable(format!(
                    "not a Tribune site export (format {f:?})"
                )))
            }
            Item::Version(v) if v == VERSION => {}
            Item::Version(v) => {
                return Err(Error::Unprocessable(format!(
                    "site export version {v} is not one this Tribune reads ({VERSION})"
                )))
            }
            _ if !self.format_seen => {
                return Err(Error::Unprocessable(
                    "not a Tribune site export: \"format\" must come first".into(),
                ))
            }
            Item::Site(row) => {
                if !self.dry_run {
                    store::set_site_moderation(&self.state.db, self.site_id, &row).await?;
                }
            }
            Item::Row(section, row) => {
                let outcome = match section {
                    Section::Actors => self.actor(row).await,
                    Section::Articles => self.article(row).await,
                    Section::Comments => self.comment(row).await,
                    Section::Highlights => self.highlight(row).await,
                    Section::Reactions => self.reaction(row).await,
                    Section::Rules => self.rule(row).await,
                };
                if let Err(Skip(why)) = outcome {
                    self.problem(why);
                }
            }
        }
        Ok(())
    }

    async fn finish(&mut self) -> Result<(), Error> {
        for (id, parent) in std::mem::take(&mut self.orphans) {
            match store::comment_id(&self.state.db, &parent).await? {
                Some((parent_id, _)) => store::set_parent(&self.state.db, id, parent_id).await?,
                None => self.problem(format!(
                    "comment {id}: its parent {parent} is not in the export"
                )),
            }
        }
        if self.rules_changed && !self.dry_run {
            self.state.moderation.forget_rules(Some(self.site_id));
        }
        Ok(())
    }

    async fn actor(&mut self, row: Row) -> Result<(), Skip> {
        let ap_id = text(&row, "ap_id")?;
        let db = &self.state.db;
        // What this server already knows of an actor is newer than any file.
        if store::actor_id(db, &ap_id)
            .await
            .map_err(Skip::db)?
            .is_some()
            || self.dry_run
        {
            return Ok(());
        }
        let row = trust::actor(forms::actor(row), &ap_id)
            .map_err(|why| Skip(format!("actor {ap_id}: {why}")))?;
        store::insert::<store::ActorModel, _>(db, &row)
            .await
            .map_err(|e| Skip(format!("actor {ap_id}: {e}")))?;
        Ok(())
    }

    async fn article(&mut self, row: Row) -> Result<(), Skip> {
        self.report.threads += 1;
        let ap_id = text(&row, "ap_id")?;
        let url = text(&row, "url")?;
        let db = &self.state.db;
        if let Some((_, site)) = store::article_site(db, &ap_id).await.map_err(Skip::db)? {
            if site != self.site_id {
                return Err(Skip(format!("article {ap_id} belongs to another site")));
            }
        }
        let stored = store::article_by_key(db, self.site_id, &ap_id, &url)
            .await
            .map_err(Skip::db)?;
        let mut resolved = row.clone();
        resolved.remove("author");
        resolved.insert("site_id".into(), self.site_id.into());
        let author = self.staff(&row, "author").await?;
        resolved.insert(
            "author_id".into(),
            author.map(Json::from).unwrap_or(Json::Null),
        );
        match stored {
            Some(stored) => {
                self.report.articles_matched += 1;
                let id = store::id_of(&stored);
                let form = forms::articles(db, vec![stored]).await.map_err(Skip::db)?;
                if !form.first().is_some_and(|f| forms::same(f, &row)) && !self.dry_run {
                    store::update::<store::ArticleModel, _>(db, id, &resolved)
                        .await
                        .map_err(|e| Skip(format!("article {ap_id}: {e}")))?;
                }
            }
            None => {
                self.report.articles_created += 1;
                if !self.dry_run {
                    store::insert::<store::ArticleModel, _>(db, &resolved)
                        .await
                        .map_err(|e| Skip(format!("article {ap_id}: {e}")))?;
                }
            }
        }
        Ok(())
    }

    async fn comment(&mut self, row: Row) -> Result<(), Skip> {
        self.report.comments += 1;
        let ap_id = text(&row, "ap_id")?;
        self.authorship(&row, &ap_id)?;
        let db = &self.state.db;
        let article = text(&row, "article")?;
        let article_id = match store::article_site(db, &article).await.map_err(Skip::db)? {
            Some((id, site)) if site == self.site_id => Some(id),
            Some(_) => {
                return Err(Skip(format!(
                    "comment {ap_id}: its article is another site's"
                )))
            }
            None if self.dry_run => None,
            None => {
                return Err(Skip(format!(
                    "comment {ap_id}: its article {article} is not in the export"
                )))
            }
        };
        let stored = store::comment_by_ap_id(db, &ap_id)
            .await
            .map_err(Skip::db)?;
        if let Some((_, site)) = &stored {
            if *site != self.site_id {
                return Err(Skip(format!("comment {ap_id} belongs to another site")));
            }
        }
        let Some(article_id) = article_id else {
            self.report.comments_created += 1; // its article is new too (dry run)
            return Ok(());
        };
        let mut resolved = row.clone();
        for key in [
            "article",
            "parent",
            "author",
            "staff",
            "revisions",
            "reports",
        ] {
            resolved.remove(key);
        }
        resolved.insert("article_id".into(), article_id.into());
        sanitized(&mut resolved);
        self.comment_links(&mut resolved, row.get("author").and_then(Json::as_str));
        let author = match row.get("author").and_then(Json::as_str) {
            Some(actor) => match store::actor_id(db, actor).await.map_err(Skip::db)? {
                Some(id) => Some(id),
                None if self.dry_run => None,
                None => {
                    return Err(Skip(format!(
                        "comment {ap_id}: its author {actor} is not in the export"
                    )))
                }
            },
            None => None,
        };
        resolved.insert(
            "author_id".into(),
            author.map(Json::from).unwrap_or(Json::Null),
        );
        let staff = self.staff(&row, "staff").await?;
        resolved.insert(
            "staff_id".into(),
            staff.map(Json::from).unwrap_or(Json::Null),
        );
        let parent = row.get("parent").and_then(Json::as_str).map(str::to_string);
        let parent_id = match &parent {
            Some(p) => store::comment_id(db, p)
                .await
                .map_err(Skip::db)?
                .map(|(id, _)| id),
            None => None,
        };
        resolved.insert(
            "parent_id".into(),
            parent_id.map(Json::from).unwrap_or(Json::Null),
        );

        let (id, known) = match stored {
            Some((stored, _)) => {
                let id = store::id_of(&stored);
                let form = forms::comments(db, vec![stored]).await.map_err(Skip::db)?;
                let form = form.into_iter().next().unwrap_or_default();
                if forms::same(&form, &row) {
                    self.report.comments_unchanged += 1;
                    return Ok(());
                }
                self.report.comments_updated += 1;
                if self.dry_run {
                    return Ok(());
                }
                if parent_id.is_none() {
                    resolved.remove("parent_id"); // an orphan keeps what it had
                }
                store::update::<store::CommentModel, _>(db, id, &resolved)
                    .await
                    .map_err(|e| Skip(format!("comment {ap_id}: {e}")))?;
                (id, form)
            }
            None => {
                self.report.comments_created += 1;
                if self.dry_run {
                    return Ok(());
                }
                let id = store::insert::<store::CommentModel, _>(db, &resolved)
                    .await
                    .map_err(|e| Skip(format!("comment {ap_id}: {e}")))?;
                (id, Row::new())
            }
        };
        if let (Some(parent), None) = (parent, parent_id) {
            self.orphans.push((id, parent));
        }
        // Revisions and reports the server does not have yet.
        for (key, parts) in [("revisions", true), ("reports", false)] {
            let had = known
                .get(key)
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            for part in row.get(key).and_then(Json::as_array).into_iter().flatten() {
                let Json::Object(part) = part else { continue };
                if had
                    .iter()
                    .any(|h| h.as_object().is_some_and(|h| forms::same(h, part)))
                {
                    continue;
                }
                let mut part = part.clone();
                part.insert("comment_id".into(), id.into());
                sanitized(&mut part);
                let stored = if parts {
                    store::insert::<store::RevisionModel, _>(db, &part).await
                } else {
                    store::insert::<store::ReportModel, _>(db, &part).await
                };
                stored.map_err(|e| Skip(format!("comment {ap_id}: {key}: {e}")))?;
            }
        }
        Ok(())
    }

    async fn highlight(&mut self, row: Row) -> Result<(), Skip> {
        let comment = text(&row, "comment")?;
        // Its `Announce` is ours (its `Undo` is sent in our name): another id is refused.
        let announce = text(&row, "announce_id")?;
        if !trust::ours(&announce, self.state.urls.base()) {
            return Err(Skip(format!(
                "highlight of {comment}: its announce {announce} is not this server's"
            )));
        }
        let db = &self.state.db;
        let Some((comment_id, article_id)) = self.own_comment(&comment).await? else {
            return Ok(()); // dry run: the comment is new
        };
        let mut resolved = row.clone();
        resolved.remove("comment");
        resolved.remove("editor");
        resolved.insert("comment_id".into(), comment_id.into());
        resolved.insert("article_id".into(), article_id.into());
        let editor = self.staff(&row, "editor").await?;
        resolved.insert(
            "editor_id".into(),
            editor.map(Json::from).unwrap_or(Json::Null),
        );
        let stored = match store::highlight_of(db, comment_id)
            .await
            .map_err(Skip::db)?
        {
            Some(s) => Some((store::id_of(&s), one(forms::highlights(db, vec![s]).await)?)),
            None => None,
        };
        self.upsert::<store::HighlightModel>(stored, &row, resolved, "highlight")
            .await
    }

    async fn reaction(&mut self, row: Row) -> Result<(), Skip> {
        let activity = text(&row, "activity_id")?;
        let actor = text(&row, "actor")?;
        if !trust::same_server(&activity, &actor) {
            return Err(Skip(format!(
                "reaction {activity}: not on its actor {actor}'s server"
            )));
        }
        let article = text(&row, "article")?;
        let db = &self.state.db;
        let actor_id = store::actor_id(db, &actor).await.map_err(Skip::db)?;
        let article_id = match store::article_site(db, &article).await.map_err(Skip::db)? {
            Some((id, site)) if site == self.site_id => Some(id),
            Some(_) => return Err(Skip(format!("reaction {activity}: another site's article"))),
            None => None,
        };
        let comment_id = match row.get("comment").and_then(Json::as_str) {
            Some(c) => match self.own_comment(c).await? {
                Some((id, _)) => Some(id),
                None => return Ok(()),
            },
            None => None,
        };
        let (Some(actor_id), Some(article_id)) = (actor_id, article_id) else {
            if self.dry_run {
                return Ok(());
            }
            return Err(Skip(format!(
                "reaction {activity}: its actor or article is not in the export"
            )));
        };
        let mut resolved = row.clone();
        for key in ["actor", "article", "comment"] {
            resolved.remove(key);
        }
        resolved.insert("actor_id".into(), actor_id.into());
        resolved.insert("article_id".into(), article_id.into());
        trust::web_urls(&mut resolved, &["emoji_icon"]);
        resolved.insert(
            "comment_id".into(),
            comment_id.map(Json::from).unwrap_or(Json::Null),
        );
        let stored = match store::reaction_by_activity(db, &activity)
            .await
            .map_err(Skip::db)?
        {
            Some(s) => Some((store::id_of(&s), one(forms::reactions(db, vec![s]).await)?)),
            None => None,
        };
        self.upsert::<store::ReactionModel>(stored, &row, resolved, "reaction")
            .await
    }

    async fn rule(&mut self, row: Row) -> Result<(), Skip> {
        let kind = text(&row, "kind")?;
        let pattern = text(&row, "pattern")?;
        let db = &self.state.db;
        let stored = store::rule_of(db, self.site_id, &kind, &pattern)
            .await
            .map_err(Skip::db)?
            .map(|s| (store::id_of(&s), forms::rule(s)));
        let mut resolved = row.clone();
        resolved.insert("site_id".into(), self.site_id.into());
        self.rules_changed = true;
        self.upsert::<store::RuleModel>(stored, &row, resolved, "rule")
            .await
    }

    /// Inserts the row, or updates the stored one when its form differs.
    async fn upsert<A>(
        &self,
        stored: Option<(i64, Row)>,
        row: &Row,
        resolved: Row,
        what: &str,
    ) -> Result<(), Skip>
    where
        A: sea_orm::ActiveModelTrait + Send,
        <<A::Entity as sea_orm::EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType:
            Into<i64>,
    {
        if self.dry_run {
            return Ok(());
        }
        let db = &self.state.db;
        let failed = |e: sea_orm::DbErr| Skip(format!("{what}: {e}"));
        match stored {
            Some((id, form)) => {
                if !forms::same(&form, row) {
                    store::update::<A, _>(db, id, &resolved)
                        .await
                        .map_err(failed)?;
                }
            }
            None => {
                store::insert::<A, _>(db, &resolved).await.map_err(failed)?;
            }
        }
        Ok(())
    }

    /// Refuses a comment that speaks for someone else: a staff reply must carry one of
    /// this server's ids, a remote author's comment an id of their server; and one
    /// with more revisions or reports than any real comment has.
    fn authorship(&self, row: &Row, ap_id: &str) -> Result<(), Skip> {
        let staff = ["staff", "staff_name", "staff_id"]
            .iter()
            .any(|k| row.get(*k).is_some_and(|v| !v.is_null()));
        if staff && !trust::ours(ap_id, self.state.urls.base()) {
            return Err(Skip(format!(
                "comment {ap_id}: a staff reply whose id is not this server's"
            )));
        }
        if let Some(author) = row.get("author").and_then(Json::as_str) {
            if !trust::same_server(ap_id, author) {
                return Err(Skip(format!(
                    "comment {ap_id}: not on its author {author}'s server"
                )));
            }
        }
        for key in ["revisions", "reports"] {
            if row.get(key).and_then(Json::as_array).map_or(0, Vec::len) > MAX_PARTS {
                return Err(Skip(format!(
                    "comment {ap_id}: more than {MAX_PARTS} {key}"
                )));
            }
        }
        Ok(())
    }

    /// A comment's links and references as they may be stored: http(s) links only;
    /// a quote's `QuoteRequest` kept only when its author's server named it (it is the
    /// author's activity, which our `Accept` answers; `highlights.announce_id` is the
    /// one that must be ours); an imported comment belongs to the site restored into.
    fn comment_links(&self, resolved: &mut Row, author: Option<&str>) {
        trust::web_urls(resolved, &["url", "author_website"]);
        trust::web_url_list(resolved, "attachments");
        trust::web_url_list(resolved, "tags");
        if let Some(request) = resolved.get_mut("quote_request") {
            let theirs = request
                .as_str()
                .zip(author)
                .is_some_and(|(r, a)| trust::same_server(r, a));
            if !theirs {
                *request = Json::Null;
            }
        }
        if let Some(site) = resolved.get_mut("import_site_id") {
            if !site.is_null() {
                *site = self.site_id.into();
            }
        }
    }

    /// A comment of this site by AP id: `(id, article id)`; `None` in a dry run when it
    /// would be new.
    async fn own_comment(&self, ap_id: &str) -> Result<Option<(i64, i64)>, Skip> {
        let db = &self.state.db;
        let Some((id, article_id)) = store::comment_id(db, ap_id).await.map_err(Skip::db)? else {
            if self.dry_run {
                return Ok(None);
            }
            return Err(Skip(format!("{ap_id}: no such comment in the export")));
        };
        let keys = store::article_keys(db, &[article_id])
            .await
            .map_err(Skip::db)?;
        let Some(article) = keys.get(&article_id) else {
            return Err(Skip(format!("{ap_id}: no article")));
        };
        match store::article_site(db, article).await.map_err(Skip::db)? {
            Some((_, site)) if site == self.site_id => Ok(Some((id, article_id))),
            _ => Err(Skip(format!("{ap_id} belongs to another site"))),
        }
    }

    /// The staff member a row names by username, when this server has them.
    async fn staff(&mut self, row: &Row, key: &str) -> Result<Option<i64>, Skip> {
        let Some(username) = row.get(key).and_then(Json::as_str) else {
            return Ok(None);
        };
        let found = store::staff_id(&self.state.db, username)
            .await
            .map_err(Skip::db)?;
        if found.is_none() {
            let why = format!("staff member {username:?} is not on this server: left unsigned");
            if !self.report.problems.contains(&why) && self.report.problems.len() < PROBLEMS {
                self.report.problems.push(why);
            }
        }
        Ok(found)
    }
}

/// The one form of a one-row query.
fn one(forms: Result<Vec<Row>, sea_orm::DbErr>) -> Result<Row, Skip> {
    Ok(forms.map_err(Skip::db)?.pop().unwrap_or_default())
}

/// A row left out, with why.
struct Skip(String);

impl Skip {
    fn db(e: sea_orm::DbErr) -> Skip {
        Skip(format!("storage: {e}"))
    }
}

/// A file is not trusted with markup: comment HTML goes through the same sanitiser as
/// any received comment (what Tribune exported is already within it, so it is kept as
/// it was).
fn sanitized(row: &mut Row) {
    if let Some(Json::String(html)) = row.get_mut("content_html") {
        *html = crate::sanitize::sanitize_html(html);
    }
}

fn text(row: &Row, key: &str) -> Result<String, Skip> {
    row.get(key)
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| Skip(format!("a row without {key:?}")))
}

/// Parses the document, handing each part over as it is read.
fn parse(file: std::fs::File, mut tx: Tx) {
    let budget = Rc::new(Budget::default());
    let reader = Bounded {
        inner: std::io::BufReader::new(file),
        budget: budget.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let outcome = Document {
        tx: tx.clone(),
        budget,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Err(e) = outcome {
        if !e.to_string().contains(STOPPED) {
            let why = if e.is_io() {
                e.to_string() // `Bounded`'s refusal, which names the row
            } else if e.is_eof() {
                "the file ends early".to_string()
            } else {
                format!("line {}, column {}: {e}", e.line(), e.column())
            };
            let _ = futures::executor::block_on(tx.send(Err(why)));
        }
    }
}

/// The writer stopped listening (it failed): the parser stops too.
const STOPPED: &str = "restore stopped";

fn send<E: de::Error>(tx: &mut Tx, item: Item) -> Result<(), E> {
    futures::executor::block_on(tx.send(Ok(item))).map_err(|_| E::custom(STOPPED))
}

/// How much of the document the current value has read, shared by the parser's
/// visitors (which say where a value starts) and the reader (which counts).
#[derive(Default)]
struct Budget {
    read: Cell<u64>,
    start: Cell<u64>,
    /// What is being read, for the refusal: `row 3 of "comments"`.
    what: RefCell<String>,
}

impl Budget {
    fn starts(&self, what: String) {
        self.start.set(self.read.get());
        *self.what.borrow_mut() = what;
    }
}

/// The file as the parser reads it: refused as soon as one value passes `MAX_ROW`.
struct Bounded<R> {
    inner: R,
    budget: Rc<Budget>,
}

impl<R: std::io::Read> std::io::Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let b = &self.budget;
        b.read.set(b.read.get() + n as u64);
        if b.read.get() - b.start.get() > MAX_ROW {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} is larger than {} MiB", b.what.borrow(), MAX_ROW >> 20),
            ));
        }
        Ok(n)
    }
}

struct Document {
    tx: Tx,
    budget: Rc<Budget>,
}

impl<'de> DeserializeSeed<'de> for Document {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Tribune site export (a JSON object)")
    }

    fn visit_map<M: MapAccess<'de>>(mut self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<String>()? {
            self.budget.starts(format!("{key:?}"));
            match key.as_str() {
                "format" => {
                    let f: String = map.next_value()?;
                    send(&mut self.tx, Item::Format(f))?;
                }
                "version" => {
                    let v: i64 = map.next_value()?;
                    send(&mut self.tx, Item::Version(v))?;
                }
                "site" => {
                    let site: Row = map.next_value()?;
                    send(&mut self.tx, Item::Site(site))?;
                }
                name => match Section::of(name) {
                    Some(section) => map.next_value_seed(Rows {
                        tx: self.tx.clone(),
                        budget: self.budget.clone(),
                        name: key.clone(),
                        section,
                    })?,
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
            }
        }
        Ok(())
    }
}

/// One array of rows, each sent as soon as it is read.
struct Rows {
    tx: Tx,
    budget: Rc<Budget>,
    name: String,
    section: Section,
}

impl<'de> DeserializeSeed<'de> for Rows {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<S: SeqAccess<'de>>(mut self, mut seq: S) -> Result<(), S::Error> {
        for n in 1.. {
            self.budget.starts(format!("row {n} of {:?}", self.name));
            let Some(row) = seq.next_element::<Row>()? else {
                break;
            };
            send(&mut self.tx, Item::Row(self.section, row))?;
        }
        Ok(())
    }
}
