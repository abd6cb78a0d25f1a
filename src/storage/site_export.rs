//! The queries of a whole-site export and its restore. Rows travel as JSON objects of
//! every column (so a column added later is exported and restored without this file
//! changing), in one canonical form whatever the database: booleans as booleans,
//! integers as integers. References between rows are resolved here by their stable
//! keys (AP ids, staff usernames), never row ids, which a restore re-assigns.

use super::entities::{
    article, comment, comment_report, comment_revision, highlight, moderator, reaction,
    remote_actor, rule, site,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ColumnType, ConnectionTrait, DbErr, EntityTrait, IdenStatic,
    Iterable, QueryFilter, QueryOrder, QuerySelect, Select, Value,
};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// One stored row: column name → value.
pub type Row = Map<String, Json>;

/// The row's id (every table here has an integer `id`).
pub fn id_of(row: &Row) -> i64 {
    row.get("id").and_then(Json::as_i64).unwrap_or_default()
}

/// Rows of a query, each in canonical form.
async fn rows<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    select: Select<E>,
) -> Result<Vec<Row>, DbErr> {
    let found = select.into_json().all(db).await?;
    Ok(found.into_iter().map(canonical::<E>).collect())
}

/// The same row whatever the database wrote: SQLite gives booleans as 0/1.
fn canonical<E: EntityTrait>(value: Json) -> Row {
    let Json::Object(mut map) = value else {
        return Row::new();
    };
    let mut out = Row::new();
    for column in E::Column::iter() {
        let name = column.as_str();
        let v = map.remove(name).unwrap_or(Json::Null);
        let v = match (column.def().get_column_type(), v) {
            (ColumnType::Boolean, Json::Number(n)) => Json::Bool(n.as_i64() != Some(0)),
            (ColumnType::Boolean, Json::String(s)) => Json::Bool(s == "1" || s == "true"),
            (
                ColumnType::Integer | ColumnType::BigInteger | ColumnType::SmallInteger,
                Json::Number(n),
            ) if n.as_i64().is_none() => Json::from(n.as_f64().unwrap_or_default() as i64),
            (_, v) => v,
        };
        out.insert(name.to_string(), v);
    }
    out
}

/// A row of the file as an active model of `A`: every column it names, but the id.
fn active<A: ActiveModelTrait>(row: &Row) -> Result<A, DbErr> {
    let mut model = A::default();
    for column in <A::Entity as EntityTrait>::Column::iter() {
        let name = column.as_str();
        if name == "id" {
            continue;
        }
        let Some(v) = row.get(name) else { continue };
        let bad = || DbErr::Type(format!("{name}: unexpected value {v}"));
        let value = match column.def().get_column_type() {
            ColumnType::Boolean => Value::Bool(match v {
                Json::Null => None,
                Json::Bool(b) => Some(*b),
                Json::Number(n) => Some(n.as_i64() != Some(0)),
                _ => return Err(bad()),
            }),
            ColumnType::Integer | ColumnType::SmallInteger => Value::Int(match v {
                Json::Null => None,
                Json::Number(n) => Some(n.as_i64().ok_or_else(bad)? as i32),
                _ => return Err(bad()),
            }),
            ColumnType::BigInteger => Value::BigInt(match v {
                Json::Null => None,
                Json::Number(n) => Some(n.as_i64().ok_or_else(bad)?),
                _ => return Err(bad()),
            }),
            ColumnType::Double | ColumnType::Float => Value::Double(match v {
                Json::Null => None,
                Json::Number(n) => n.as_f64(),
                _ => return Err(bad()),
            }),
            _ => Value::String(match v {
                Json::Null => None,
                Json::String(s) => Some(s.clone()),
                _ => return Err(bad()),
            }),
        };
        model.try_set(column, value)?;
    }
    Ok(model)
}

/// Inserts a row of the file; its id.
pub async fn insert<A, C>(db: &C, row: &Row) -> Result<i64, DbErr>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
    <<A::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: Into<i64>,
{
    let model: A = active(row)?;
    let done = A::Entity::insert(model).exec(db).await?;
    Ok(done.last_insert_id.into())
}

/// Overwrites the stored row `id` with a row of the file.
pub async fn update<A, C>(db: &C, id: i64, row: &Row) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let model: A = active(row)?;
    let id_column = <A::Entity as EntityTrait>::Column::iter()
        .find(|c| c.as_str() == "id")
        .ok_or_else(|| DbErr::Custom("no id column".into()))?;
    A::Entity::update_many()
        .set(model)
        .filter(id_column.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub type ActorModel = remote_actor::ActiveModel;
pub type ArticleModel = article::ActiveModel;
pub type CommentModel = comment::ActiveModel;
pub type RevisionModel = comment_revision::ActiveModel;
pub type ReportModel = comment_report::ActiveModel;
pub type HighlightModel = highlight::ActiveModel;
pub type ReactionModel = reaction::ActiveModel;
pub type RuleModel = rule::ActiveModel;

pub async fn site_row<C: ConnectionTrait>(db: &C, site_id: i64) -> Result<Option<Row>, DbErr> {
    Ok(rows(db, site::Entity::find_by_id(site_id)).await?.pop())
}

/// The site's moderation settings, as a restore brings them back.
pub async fn set_site_moderation<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    row: &Row,
) -> Result<(), DbErr> {
    let mut keep = Row::new();
    for key in ["moderation_mode", "hold_new_authors"] {
        if let Some(v) = row.get(key) {
            keep.insert(key.into(), v.clone());
        }
    }
    update::<site::ActiveModel, _>(db, site_id, &keep).await
}

fn site_articles(site_id: i64) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(article::Column::Id)
        .from(article::Entity)
        .and_where(Expr::col(article::Column::SiteId).eq(site_id))
        .to_owned()
}

/// Remote actors the site's comments and reactions name, by id, a page after `after`.
pub async fn actors_page<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<Row>, DbErr> {
    let authors = Query::select()
        .column(comment::Column::AuthorId)
        .from(comment::Entity)
        .and_where(Expr::col(comment::Column::ArticleId).in_subquery(site_articles(site_id)))
        .to_owned();
    let reactors = Query::select()
        .column(reaction::Column::ActorId)
        .from(reaction::Entity)
        .and_where(Expr::col(reaction::Column::ArticleId).in_subquery(site_articles(site_id)))
        .to_owned();
    let select = remote_actor::Entity::find()
        .filter(remote_actor::Column::Id.gt(after))
        .filter(
            sea_orm::Condition::any()
                .add(remote_actor::Column::Id.in_subquery(authors))
                .add(remote_actor::Column::Id.in_subquery(reactors)),
        )
        .order_by_asc(remote_actor::Column::Id)
        .limit(limit);
    rows(db, select).await
}

pub async fn articles_page<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<Row>, DbErr> {
    let select = article::Entity::find()
        .filter(article::Column::SiteId.eq(site_id))
        .filter(article::Column::Id.gt(after))
        .order_by_asc(article::Column::Id)
        .limit(limit);
    rows(db, select).await
}

pub async fn comments_page<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<Row>, DbErr> {
    let select = comment::Entity::find()
        .filter(comment::Column::ArticleId.in_subquery(site_articles(site_id)))
        .filter(comment::Column::Id.gt(after))
        .order_by_asc(comment::Column::Id)
        .limit(limit);
    rows(db, select).await
}

pub async fn highlights_page<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<Row>, DbErr> {
    let select = highlight::Entity::find()
        .filter(highlight::Column::ArticleId.in_subquery(site_articles(site_id)))
        .filter(highlight::Column::Id.gt(after))
        .order_by_asc(highlight::Column::Id)
        .limit(limit);
    rows(db, select).await
}

pub async fn reactions_page<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<Row>, DbErr> {
    let select = reaction::Entity::find()
        .filter(reaction::Column::ArticleId.in_subquery(site_articles(site_id)))
        .filter(reaction::Column::Id.gt(after))
        .order_by_asc(reaction::Column::Id)
        .limit(limit);
    rows(db, select).await
}

/// The site's own rules (rules for every site belong to the server, not to it).
pub async fn rules_of<C: ConnectionTrait>(db: &C, site_id: i64) -> Result<Vec<Row>, DbErr> {
    let select = rule::Entity::find()
        .filter(rule::Column::SiteId.eq(site_id))
        .order_by_asc(rule::Column::Id);
    rows(db, select).await
}

/// Revisions of these comments, oldest first.
pub async fn revisions_of<C: ConnectionTrait>(db: &C, comments: &[i64]) -> Result<Vec<Row>, DbErr> {
    let select = comment_revision::Entity::find()
        .filter(comment_revision::Column::CommentId.is_in(comments.iter().copied()))
        .order_by_asc(comment_revision::Column::Id);
    rows(db, select).await
}

/// Readers' and servers' reports of these comments, oldest first.
pub async fn reports_of<C: ConnectionTrait>(db: &C, comments: &[i64]) -> Result<Vec<Row>, DbErr> {
    let select = comment_report::Entity::find()
        .filter(comment_report::Column::CommentId.is_in(comments.iter().copied()))
        .order_by_asc(comment_report::Column::Id);
    rows(db, select).await
}

/// AP ids of these articles.
pub async fn article_keys<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>, DbErr> {
    let found: Vec<(i64, String)> = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .column(article::Column::ApId)
        .filter(article::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

/// AP ids of these comments.
pub async fn comment_keys<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>, DbErr> {
    let found: Vec<(i64, String)> = comment::Entity::find()
        .select_only()
        .column(comment::Column::Id)
        .column(comment::Column::ApId)
        .filter(comment::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

/// AP ids of these remote actors.
pub async fn actor_keys<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>, DbErr> {
    let found: Vec<(i64, String)> = remote_actor::Entity::find()
        .select_only()
        .column(remote_actor::Column::Id)
        .column(remote_actor::Column::ApId)
        .filter(remote_actor::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

/// Usernames of these staff members.
pub async fn staff_keys<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>, DbErr> {
    let found: Vec<(i64, String)> = moderator::Entity::find()
        .select_only()
        .column(moderator::Column::Id)
        .column(moderator::Column::Username)
        .filter(moderator::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

pub async fn actor_id<C: ConnectionTrait>(db: &C, ap_id: &str) -> Result<Option<i64>, DbErr> {
    remote_actor::Entity::find()
        .select_only()
        .column(remote_actor::Column::Id)
        .filter(remote_actor::Column::ApId.eq(ap_id))
        .into_tuple()
        .one(db)
        .await
}

pub async fn staff_id<C: ConnectionTrait>(db: &C, username: &str) -> Result<Option<i64>, DbErr> {
    moderator::Entity::find()
        .select_only()
        .column(moderator::Column::Id)
        .filter(moderator::Column::Username.eq(username))
        .into_tuple()
        .one(db)
        .await
}

/// The stored article of a site with this AP id, else with this URL.
pub async fn article_by_key<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    ap_id: &str,
    url: &str,
) -> Result<Option<Row>, DbErr> {
    let select = article::Entity::find()
        .filter(article::Column::SiteId.eq(site_id))
        .filter(
            sea_orm::Condition::any()
                .add(article::Column::ApId.eq(ap_id))
                .add(article::Column::Url.eq(url)),
        )
        .order_by_desc(article::Column::ApId.eq(ap_id))
        .limit(1);
    Ok(rows(db, select).await?.pop())
}

/// The article of any site with this AP id: `(id, site_id)`.
pub async fn article_site<C: ConnectionTrait>(
    db: &C,
    ap_id: &str,
) -> Result<Option<(i64, i64)>, DbErr> {
    article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .column(article::Column::SiteId)
        .filter(article::Column::ApId.eq(ap_id))
        .into_tuple()
        .one(db)
        .await
}

/// The stored comment with this AP id, and the site of its article.
pub async fn comment_by_ap_id<C: ConnectionTrait>(
    db: &C,
    ap_id: &str,
) -> Result<Option<(Row, i64)>, DbErr> {
    let Some(row) = rows(
        db,
        comment::Entity::find().filter(comment::Column::ApId.eq(ap_id)),
    )
    .await?
    .pop() else {
        return Ok(None);
    };
    let article_id = row
        .get("article_id")
        .and_then(Json::as_i64)
        .unwrap_or_default();
    let site_id: Option<i64> = article::Entity::find_by_id(article_id)
        .select_only()
        .column(article::Column::SiteId)
        .into_tuple()
        .one(db)
        .await?;
    Ok(Some((row, site_id.unwrap_or_default())))
}

pub async fn comment_id<C: ConnectionTrait>(
    db: &C,
    ap_id: &str,
) -> Result<Option<(i64, i64)>, DbErr> {
    comment::Entity::find()
        .select_only()
        .column(comment::Column::Id)
        .column(comment::Column::ArticleId)
        .filter(comment::Column::ApId.eq(ap_id))
        .into_tuple()
        .one(db)
        .await
}

/// Sets a comment's parent once it is known (a reply stored before it).
pub async fn set_parent<C: ConnectionTrait>(db: &C, id: i64, parent: i64) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::ParentId, Expr::value(parent))
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn highlight_of<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
) -> Result<Option<Row>, DbErr> {
    Ok(rows(
        db,
        highlight::Entity::find().filter(highlight::Column::CommentId.eq(comment_id)),
    )
    .await?
    .pop())
}

pub async fn reaction_by_activity<C: ConnectionTrait>(
    db: &C,
    activity_id: &str,
) -> Result<Option<Row>, DbErr> {
    Ok(rows(
        db,
        reaction::Entity::find().filter(reaction::Column::ActivityId.eq(activity_id)),
    )
    .await?
    .pop())
}

pub async fn rule_of<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    kind: &str,
    pattern: &str,
) -> Result<Option<Row>, DbErr> {
    let select = rule::Entity::find()
        .filter(rule::Column::SiteId.eq(site_id))
        .filter(rule::Column::Kind.eq(kind))
        .filter(rule::Column::Pattern.eq(pattern));
    Ok(rows(db, select).await?.pop())
}
