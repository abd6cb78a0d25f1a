//! Imports from the readers of `import_sources.rs` through the one writer, end to end:
//! a real Isso's database and a gzipped Remark42 backup stored and shown in their
//! threads with the dates the records carry, a second import unchanged, a dry run the
//! same; Tribune's own export through `tribune import tribune`'s path and the admin
//! route; imported comments surviving the whole-site export and restore.

use crate::helpers::*;
use futures::TryStreamExt;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use tribune::services::imports::{self, isso, site, Format, ImportReport, Record};
use tribune::storage::entities::{comment, delivery, outbox_activity};

async fn import(app: &TestApp, format: Format, path: &Path, dry_run: bool) -> ImportReport {
    imports::run(&app.state, "demo", format, path, dry_run, None)
        .await
        .expect("imported")
}

/// The counts a second import or a dry run is compared on.
fn counts(r: &ImportReport) -> [u64; 7] {
    [
        r.threads,
        r.articles_created,
        r.articles_matched,
        r.comments,
        r.comments_created,
        r.comments_updated,
        r.comments_unchanged,
    ]
}

async fn imported(app: &TestApp, key: &str) -> comment::Model {
    comment::Entity::find()
        .filter(comment::Column::ImportKey.eq(key))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("comment {key} stored"))
}

async fn nothing_queued(app: &TestApp) {
    let outbox = outbox_activity::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    let deliveries = delivery::Entity::find().count(&app.state.db).await.unwrap();
    assert_eq!((outbox, deliveries), (0, 0), "an import federates nothing");
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("tribune-{}-{name}", uuid::Uuid::new_v4()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn texts(nodes: &Value) -> Vec<String> {
    nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["content_html"].as_str().unwrap().trim().to_string())
        .collect()
}

#[tokio::test]
async fn a_real_isso_database_imports_with_its_threads_dates_and_statuses_once() {
    let isso_server = Isso::start(true).await;
    let path = "/2026/12/isso";
    let a = isso_server
        .post(
            path,
            json!({"text": "Premier *avis*", "author": "Léa", "title": "Isso"}),
        )
        .await;
    let a_id = a.comment["id"].as_i64().unwrap();
    let b = isso_server
        .post(
            path,
            json!({"text": "Une réponse", "author": "Bob", "parent": a_id}),
        )
        .await;
    let d = isso_server
        .post(path, json!({"text": "Bientôt effacé", "author": "Dan"}))
        .await;
    let d_id = d.comment["id"].as_i64().unwrap();
    let e = isso_server
        .post(
            path,
            json!({"text": "Répond à Dan", "author": "Eve", "parent": d_id}),
        )
        .await;
    let pending = isso_server
        .post(
            path,
            json!({"text": "Encore en attente", "author": "Fanny"}),
        )
        .await;
    for posted in [&a, &b, &d, &e] {
        isso_server
            .activate(posted.comment["id"].as_i64().unwrap())
            .await;
    }
    isso_server.delete(d_id, &d.cookie).await;
    let db = isso_server.stop();
    let records: Vec<Record> = isso::read(&db).await.unwrap().try_collect().await.unwrap();

    let app = spawn_app().await;
    let dry = import(&app, Format::Isso, &db, true).await;
    let first = import(&app, Format::Isso, &db, false).await;
    assert_eq!(counts(&dry), counts(&first), "the dry run foretold it");
    assert_eq!(
        (first.threads, first.articles_created, first.comments),
        (1, 1, 5)
    );
    assert_eq!(first.comments_created, 5, "{:?}", first.problems);
    nothing_queued(&app).await;

    // Every stored date is the one Isso kept.
    for record in &records {
        if let Record::Comment(c) = record {
            assert_eq!(imported(&app, &c.key).await.published, c.published);
        }
    }
    let thread = app.thread(&format!("{SITE_ORIGIN}{path}")).await;
    let tops = thread["comments"].as_array().unwrap();
    assert_eq!(
        tops.len(),
        2,
        "Léa's comment and Dan's placeholder: {thread}"
    );
    assert!(tops[0]["content_html"]
        .as_str()
        .unwrap()
        .contains("<em>avis</em>"));
    assert_eq!(tops[0]["author"]["name"], "Léa");
    assert_eq!(texts(&tops[0]["children"]), vec!["<p>Une réponse</p>"]);
    assert_eq!(tops[1]["deleted"], true, "kept for its reply");
    assert_eq!(texts(&tops[1]["children"]), vec!["<p>Répond à Dan</p>"]);
    let held = imported(&app, &pending.comment["id"].to_string()).await;
    assert_eq!(
        held.status.as_str(),
        "held",
        "Isso's pending stays for moderators"
    );

    let again = import(&app, Format::Isso, &db, false).await;
    assert_eq!(
        (
            again.comments_created,
            again.comments_updated,
            again.comments_unchanged
        ),
        (0, 0, 5)
    );
    assert_eq!(again.articles_matched, 1);
    std::fs::remove_dir_all(db.parent().unwrap()).ok();
}

#[tokio::test]
async fn a_gzipped_remark42_backup_registers_its_articles_quietly_and_keeps_replies() {
    let url = format!("{SITE_ORIGIN}/2026/12/remark");
    let other = format!("{SITE_ORIGIN}/2026/12/second");
    let user = |name: &str| json!({"name": name, "id": format!("github_{name}"), "picture": "", "admin": false});
    let lines = [
        json!({"version": 1, "users": [], "posts": [{"url": url}, {"url": other}]}),
        json!({"id": "c1", "pid": "", "text": "<p>Premier</p>", "user": user("Ana"),
               "locator": {"site": "news", "url": url}, "time": "2026-12-01T09:00:00+01:00", "title": "Remark"}),
        json!({"id": "c2", "pid": "c1", "text": "<p>Réponse</p>", "user": user("Bruno"),
               "locator": {"site": "news", "url": url}, "time": "2026-12-01T08:30:00.250Z"}),
        json!({"id": "c3", "pid": "c1", "text": "", "user": user("deleted"),
               "locator": {"site": "news", "url": url}, "time": "2026-12-01T10:00:00Z", "delete": true}),
        json!({"id": "c4", "pid": "", "text": "<p>Ailleurs</p>", "user": user("Ana"),
               "locator": {"site": "news", "url": other}, "time": "2026-12-02T12:00:00-05:00"}),
    ];
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for line in &lines {
        writeln!(gz, "{line}").unwrap();
    }
    let backup = temp_file("remark42.json.gz", &gz.finish().unwrap());

    let app = spawn_app().await;
    let report = import(&app, Format::Remark42, &backup, false).await;
    assert_eq!((report.articles_created, report.comments_created), (2, 4));
    nothing_queued(&app).await;
    assert_eq!(
        imported(&app, "c1").await.published,
        1_796_112_000_000,
        "09:00 at +01:00"
    );
    let thread = app.thread(&url).await;
    let tops = thread["comments"].as_array().unwrap();
    assert_eq!(tops.len(), 1);
    assert_eq!(tops[0]["author"]["name"], "Ana");
    assert_eq!(texts(&tops[0]["children"]), vec!["<p>Réponse</p>"]);
    // c3 answered c1 and was deleted: stored as such, not shown (nothing answers it).
    let deleted = imported(&app, "c3").await;
    assert!(deleted.deleted_at.is_some());
    assert_eq!(deleted.parent_id, Some(imported(&app, "c1").await.id));
    assert_eq!(
        texts(&app.thread(&other).await["comments"]),
        vec!["<p>Ailleurs</p>"]
    );
    let again = import(&app, Format::Remark42, &backup, false).await;
    assert_eq!(again.comments_unchanged, 4);
    std::fs::remove_file(backup).ok();
}

#[tokio::test]
async fn imported_comments_survive_the_site_export_and_restore_through_the_import_paths() {
    let source = spawn_app().await;
    let disqus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/imports/disqus.xml");
    import(&source, Format::Disqus, &disqus, false).await;
    let mut out = Vec::new();
    site::export(&source.state, "demo", &mut out).await.unwrap();
    let document: Value = serde_json::from_slice(&out).unwrap();
    let imported_rows = document["comments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["import_source"] == "disqus")
        .count();
    assert_eq!(imported_rows, 9, "the import's columns travel");
    let text = String::from_utf8_lossy(&out).to_lowercase();
    for address in ["gael.le.goff@example.bzh", "zoe@example.fr"] {
        assert!(
            !text.contains(address),
            "only the hash of {address} travels"
        );
    }
    let file = temp_file("site.json", &out);

    // `tribune import tribune FILE --site demo` takes this path.
    let target = spawn_app().await;
    let restored = import(&target, Format::Tribune, &file, false).await;
    assert_eq!(restored.format, "tribune");
    assert_eq!(restored.comments_created, 9, "{:?}", restored.problems);
    let mut again = Vec::new();
    site::export(&target.state, "demo", &mut again)
        .await
        .unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&again).unwrap(), document);
    nothing_queued(&target).await;

    // And the admin route, with `format=tribune`, as a raw body: all unchanged now.
    let response = target
        .client
        .post(target.url("/api/v1/admin/imports?format=tribune&site=demo"))
        .bearer_auth(ADMIN_TOKEN)
        .header("content-type", "application/json")
        .body(out.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["comments_unchanged"], 9, "{report}");
    assert_eq!(report["comments_created"], 0);
    std::fs::remove_file(file).ok();
}
