//! Writing the whole-site export: one JSON document, a page of rows at a time, so a
//! site of any size is exported in bounded memory and an HTTP answer starts at once.

use super::{forms, FORMAT, VERSION};
use crate::error::Error;
use crate::state::AppState;
use crate::storage::site_export::{self, Row};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// Rows read per query.
const PAGE: u64 = 200;

type Out<'a> = &'a mut (dyn AsyncWrite + Unpin + Send);

/// Writes the export of `site` to `out`.
pub async fn export(
    state: &AppState,
    site: &str,
    out: &mut (dyn AsyncWrite + Unpin + Send),
) -> Result<(), Error> {
    let site = state.sites.get(site).ok_or(Error::NotFound("site"))?;
    let db = &state.db;
    let row = site_export::site_row(db, site.id)
        .await?
        .ok_or(Error::NotFound("site"))?;
    write(
        out,
        format!("{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\n\"site\":").as_bytes(),
    )
    .await?;
    item(out, &forms::site(row)).await?;

    let mut list = List::open(out, "actors").await?;
    let mut after = 0;
    loop {
        let page = site_export::actors_page(db, site.id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = site_export::id_of(last);
        for row in page {
            list.push(out, &forms::actor(row)).await?;
        }
    }
    list.close(out).await?;

    let mut list = List::open(out, "articles").await?;
    let mut after = 0;
    loop {
        let page = site_export::articles_page(db, site.id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = site_export::id_of(last);
        for row in forms::articles(db, page).await? {
            list.push(out, &row).await?;
        }
    }
    list.close(out).await?;

    let mut list = List::open(out, "comments").await?;
    let mut after = 0;
    loop {
        let page = site_export::comments_page(db, site.id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = site_export::id_of(last);
        for row in forms::comments(db, page).await? {
            list.push(out, &row).await?;
        }
    }
    list.close(out).await?;

    let mut list = List::open(out, "highlights").await?;
    let mut after = 0;
    loop {
        let page = site_export::highlights_page(db, site.id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = site_export::id_of(last);
        for row in forms::highlights(db, page).await? {
            list.push(out, &row).await?;
        }
    }
    list.close(out).await?;

    let mut list = List::open(out, "reactions").await?;
    let mut after = 0;
    loop {
        let page = site_export::reactions_page(db, site.id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = site_export::id_of(last);
        for row in forms::reactions(db, page).await? {
            list.push(out, &row).await?;
        }
    }
    list.close(out).await?;

    let mut list = List::open(out, "rules").await?;
    for row in site_export::rules_of(db, site.id).await? {
        list.push(out, &forms::rule(row)).await?;
    }
    list.close(out).await?;

    write(out, b"}\n").await?;
    out.flush().await.map_err(io)?;
    Ok(())
}

/// An array being written, one row a line.
struct List {
    empty: bool,
}

impl List {
    async fn open(out: Out<'_>, name: &str) -> Result<List, Error> {
        write(out, format!(",\n\"{name}\":[").as_bytes()).await?;
        Ok(List { empty: true })
    }

    async fn push(&mut self, out: Out<'_>, row: &Row) -> Result<(), Error> {
        write(out, if self.empty { b"\n" } else { b",\n" }).await?;
        self.empty = false;
        item(out, row).await
    }

    async fn close(self, out: Out<'_>) -> Result<(), Error> {
        write(out, b"]").await
    }
}

async fn item(out: Out<'_>, row: &Row) -> Result<(), Error> {
    let bytes = serde_json::to_vec(row).map_err(|e| Error::Internal(e.into()))?;
    write(out, &bytes).await
}

async fn write(out: Out<'_>, bytes: &[u8]) -> Result<(), Error> {
    out.write_all(bytes).await.map_err(io)
}

fn io(e: std::io::Error) -> Error {
    Error::Internal(anyhow::Error::new(e).context("writing the site export"))
}
