//! Stored rows as the export writes them: ids and foreign keys replaced by the stable
//! keys of what they point to. The restore compares a stored row's form with the
//! file's to know whether anything would change.

use crate::storage::site_export::{self, Row};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::Value as Json;
use std::collections::HashMap;

/// The ids a column of these rows holds.
fn ids(rows: &[Row], column: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.get(column).and_then(Json::as_i64))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Replaces the id in `column` by the key `keys` has for it (null when none), in its
/// place (the file reads in the table's column order).
fn refer(row: &mut Row, column: &str, name: &str, keys: &HashMap<i64, String>) {
    let taken = std::mem::take(row);
    *row = taken
        .into_iter()
        .map(|(k, v)| {
            if k != column {
                return (k, v);
            }
            let key = v.as_i64().and_then(|id| keys.get(&id).cloned());
            (
                name.to_string(),
                key.map(Json::String).unwrap_or(Json::Null),
            )
        })
        .collect();
}

fn without(row: Row, columns: &[&str]) -> Row {
    row.into_iter()
        .filter(|(k, _)| !columns.contains(&k.as_str()))
        .collect()
}

/// What of the site a restore brings back (its settings; the rest is configuration).
pub fn site(row: Row) -> Row {
    [
        "slug",
        "name",
        "origin",
        "moderation_mode",
        "hold_new_authors",
    ]
    .iter()
    .filter_map(|k| row.get(*k).map(|v| (k.to_string(), v.clone())))
    .collect()
}

/// Columns of a remote actor that never travel: its keys are fetched from its server,
/// and when it was fetched is this server's own business (a restore plants actors as
/// never fetched, so that they are fetched again on next use).
pub const ACTOR_UNSAFE: &[&str] = &[
    "id",
    "public_key_id",
    "public_key_pem",
    "keys_fetched_at",
    "fetched_at",
];

pub fn actor(row: Row) -> Row {
    without(row, ACTOR_UNSAFE)
}

pub fn rule(row: Row) -> Row {
    without(row, &["id", "site_id"])
}

pub async fn articles<C: ConnectionTrait>(db: &C, rows: Vec<Row>) -> Result<Vec<Row>, DbErr> {
    let staff = site_export::staff_keys(db, &ids(&rows, "author_id")).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut row = without(row, &["id", "site_id"]);
            refer(&mut row, "author_id", "author", &staff);
            row
        })
        .collect())
}

pub async fn comments<C: ConnectionTrait>(db: &C, rows: Vec<Row>) -> Result<Vec<Row>, DbErr> {
    let own = ids(&rows, "id");
    let articles = site_export::article_keys(db, &ids(&rows, "article_id")).await?;
    let parents = site_export::comment_keys(db, &ids(&rows, "parent_id")).await?;
    let actors = site_export::actor_keys(db, &ids(&rows, "author_id")).await?;
    let staff = site_export::staff_keys(db, &ids(&rows, "staff_id")).await?;
    let mut revisions: HashMap<i64, Vec<Json>> = HashMap::new();
    for r in site_export::revisions_of(db, &own).await? {
        let comment = r
            .get("comment_id")
            .and_then(Json::as_i64)
            .unwrap_or_default();
        let r = without(r, &["id", "comment_id"]);
        revisions.entry(comment).or_default().push(Json::Object(r));
    }
    let mut reports: HashMap<i64, Vec<Json>> = HashMap::new();
    for r in site_export::reports_of(db, &own).await? {
        let comment = r
            .get("comment_id")
            .and_then(Json::as_i64)
            .unwrap_or_default();
        let r = without(r, &["id", "comment_id"]);
        reports.entry(comment).or_default().push(Json::Object(r));
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = site_export::id_of(&row);
            let mut row = without(row, &["id"]);
            refer(&mut row, "article_id", "article", &articles);
            refer(&mut row, "parent_id", "parent", &parents);
            refer(&mut row, "author_id", "author", &actors);
            refer(&mut row, "staff_id", "staff", &staff);
            row.insert(
                "revisions".into(),
                Json::Array(revisions.remove(&id).unwrap_or_default()),
            );
            row.insert(
                "reports".into(),
                Json::Array(reports.remove(&id).unwrap_or_default()),
            );
            row
        })
        .collect())
}

pub async fn highlights<C: ConnectionTrait>(db: &C, rows: Vec<Row>) -> Result<Vec<Row>, DbErr> {
    let comments = site_export::comment_keys(db, &ids(&rows, "comment_id")).await?;
    let staff = site_export::staff_keys(db, &ids(&rows, "editor_id")).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut row = without(row, &["id", "article_id"]);
            refer(&mut row, "comment_id", "comment", &comments);
            refer(&mut row, "editor_id", "editor", &staff);
            row
        })
        .collect())
}

pub async fn reactions<C: ConnectionTrait>(db: &C, rows: Vec<Row>) -> Result<Vec<Row>, DbErr> {
    let actors = site_export::actor_keys(db, &ids(&rows, "actor_id")).await?;
    let articles = site_export::article_keys(db, &ids(&rows, "article_id")).await?;
    let comments = site_export::comment_keys(db, &ids(&rows, "comment_id")).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut row = without(row, &["id"]);
            refer(&mut row, "actor_id", "actor", &actors);
            refer(&mut row, "article_id", "article", &articles);
            refer(&mut row, "comment_id", "comment", &comments);
            row
        })
        .collect())
}

/// Whether a stored row's form already says everything the file's row says (keys the
/// file does not name, or this version does not know, are left out of it).
pub fn same(stored: &Row, file: &Row) -> bool {
    file.iter()
        .all(|(k, v)| stored.get(k).is_none_or(|s| s == v))
}
