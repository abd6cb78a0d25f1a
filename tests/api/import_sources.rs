//! Import sources: a real Isso's database and Remark42's backups (built from its
//! source's structs) read as records, and Tribune's whole-site export, which restores
//! into a fresh database as the very same document.

use crate::helpers::*;
use futures::TryStreamExt;
use serde_json::{json, Value};
use std::io::Write;
use tribune::services::imports::{
    isso, remark42, site, Body, ImportedStatus, ImportedThread, Record,
};

async fn records(stream: tribune::services::imports::Records) -> Vec<Record> {
    stream.try_collect().await.expect("the file reads")
}

fn split(
    records: Vec<Record>,
) -> (
    Vec<ImportedThread>,
    Vec<tribune::services::imports::ImportedComment>,
) {
    let mut threads = Vec::new();
    let mut comments = Vec::new();
    for r in records {
        match r {
            Record::Thread(t) => threads.push(t),
            Record::Comment(c) => comments.push(c),
        }
    }
    (threads, comments)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[tokio::test]
async fn a_real_isso_database_reads_with_its_threads_replies_dates_and_statuses() {
    let isso = Isso::start(true).await;
    let before = now_ms();
    let article = "/2026/12/article";
    let post = |uri: &'static str, body: Value| {
        let isso = &isso;
        async move { isso.post(uri, body).await }
    };
    let alice = post(
        article,
        json!({"text": "Premier *commentaire*", "author": "Léa & Max",
        "email": "Lea@Example.fr", "website": "https://lea.example", "title": "Un article"}),
    )
    .await;
    assert_eq!(alice.status, 202, "moderation holds it");
    let a = alice.comment["id"].as_i64().unwrap();
    let bob = post(
        article,
        json!({"text": "Réponse de Bob", "author": "Bob", "parent": a}),
    )
    .await;
    let b = bob.comment["id"].as_i64().unwrap();
    // Isso keeps one level: a reply to a reply answers the top comment.
    let carole = post(
        article,
        json!({"text": "Réponse à Bob", "author": "Carole", "parent": b}),
    )
    .await;
    let c = carole.comment["id"].as_i64().unwrap();
    let dan = post(article, json!({"text": "Bientôt effacé", "author": "Dan"})).await;
    let d = dan.comment["id"].as_i64().unwrap();
    let eve = post(
        article,
        json!({"text": "Répond à Dan", "author": "Eve", "parent": d}),
    )
    .await;
    let e = eve.comment["id"].as_i64().unwrap();
    let pending = post(
        article,
        json!({"text": "Encore en attente", "author": "Fanny"}),
    )
    .await;
    let f = pending.comment["id"].as_i64().unwrap();
    let other = post(
        "/2026/12/other",
        json!({"text": "Ailleurs", "title": "Autre article"}),
    )
    .await;
    let g = other.comment["id"].as_i64().unwrap();
    for id in [a, b, c, d, e, g] {
        isso.activate(id).await;
    }
    isso.edit(&alice, "Premier *commentaire*, corrigé").await;
    isso.delete(d, &dan.cookie).await;
    let after = now_ms();
    let db = isso.stop();

    let (threads, comments) = split(records(isso::read(&db).await.unwrap()).await);
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0].url, article);
    assert_eq!(threads[0].title.as_deref(), Some("Un article"));
    assert_eq!(threads[1].url, "/2026/12/other");
    assert_eq!(comments.len(), 7);
    let by_key = |id: i64| comments.iter().find(|x| x.key == id.to_string()).unwrap();
    let first = by_key(a);
    assert_eq!(first.thread_key, threads[0].key);
    assert_eq!(first.parent_key, None);
    assert_eq!(
        first.author.name.as_deref(),
        Some("Léa & Max"),
        "Isso's escaping undone"
    );
    assert_eq!(first.author.email.as_deref(), Some("Lea@Example.fr"));
    assert_eq!(first.author.website.as_deref(), Some("https://lea.example"));
    assert_eq!(
        first.body,
        Body::Markdown("Premier *commentaire*, corrigé".into())
    );
    assert_eq!(first.status, ImportedStatus::Published);
    assert!(first.published >= before - 1000 && first.published <= after + 1000);
    let edited = first.edited.expect("the edit is kept");
    assert!(edited >= first.published && edited <= after + 1000);
    assert_eq!(by_key(b).parent_key, Some(a.to_string()));
    assert_eq!(
        by_key(c).parent_key,
        Some(a.to_string()),
        "Isso's one level"
    );
    assert_eq!(by_key(d).status, ImportedStatus::Deleted);
    assert_eq!(by_key(d).body, Body::Markdown(String::new()));
    assert_eq!(by_key(d).author.name, None, "Isso wiped its author");
    assert_eq!(by_key(e).parent_key, Some(d.to_string()));
    assert_eq!(by_key(f).status, ImportedStatus::Held);
    assert_eq!(by_key(g).thread_key, threads[1].key);
    assert_eq!(by_key(g).author.name, None);
    let mut times: Vec<i64> = comments.iter().map(|x| x.published).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "in the order written"
    );
    times.dedup();
    assert_eq!(times.len(), 7, "times kept to the millisecond");
    std::fs::remove_dir_all(db.parent().unwrap()).ok();
}

#[tokio::test]
async fn a_file_that_is_not_an_isso_database_is_refused_by_name() {
    let dir = std::env::temp_dir().join(format!("tribune-notisso-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = dir.join("comments.db");
    std::fs::write(
        &text,
        "this is not SQLite at all, just some text long enough",
    )
    .unwrap();
    let error = isso::read(&text).await.err().expect("refused");
    assert!(
        error.message.contains("is not an Isso database"),
        "{}",
        error.message
    );

    let other = dir.join("other.db");
    let made = std::process::Command::new(python_bin("python"))
        .arg("-c")
        .arg("import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('CREATE TABLE threads (id INTEGER, uri TEXT, title TEXT)')")
        .arg(&other)
        .status()
        .unwrap();
    assert!(made.success());
    let error = isso::read(&other).await.err().expect("refused");
    assert!(
        error.message.contains("no comments.tid column"),
        "{}",
        error.message
    );
    let error = isso::read(&dir.join("missing.db"))
        .await
        .err()
        .expect("refused");
    assert!(error.message.contains("no such file"), "{}", error.message);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn an_isso_file_whose_tables_are_views_is_refused_by_name() {
    let path = std::env::temp_dir().join(format!("tribune-view-{}.db", uuid::Uuid::new_v4()));
    // A view's query is the file author's SQL, run by whoever reads it.
    let made = std::process::Command::new(python_bin("python"))
        .arg("-c")
        .arg(
            "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); \
             db.execute('CREATE TABLE threads (id INTEGER, uri TEXT, title TEXT)'); \
             db.execute(\"CREATE VIEW comments AS SELECT 1 AS tid, 1 AS id, NULL AS parent, \
               0.0 AS created, NULL AS modified, 1 AS mode, 'x' AS text, NULL AS author, \
               NULL AS email, NULL AS website\"); db.commit()",
        )
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    let error = isso::read(&path).await.err().expect("refused");
    assert!(
        error.message.contains("comments is a view, not a table"),
        "{}",
        error.message
    );
    std::fs::remove_file(path).ok();
}

/// A Remark42 backup as `native.go` writes it: the meta record, then one
/// `store.Comment` a line (Go's encoder: `omitempty` fields left out, RFC 3339 times).
fn remark42_backup() -> String {
    let meta = json!({"version": 1,
        "users": [{"id": "github_1", "blocked": {"status": false, "until": "0001-01-01T00:00:00Z"}, "verified": true}],
        "posts": [{"url": "https://news.example/2026/12/remark", "read_only": false},
                  {"url": "https://news.example/2026/12/second", "read_only": true}]});
    let user = |name: &str, id: &str| json!({"name": name, "id": id, "picture": "", "ip": "293ec5b0cf154855258824ec7fac5dc63d176915", "admin": false});
    let locator = |url: &str| json!({"site": "news", "url": url});
    let lines = [
        meta,
        json!({"id": "c1", "pid": "", "text": "<p>Premier <em>avis</em></p>\n", "orig": "Premier *avis*",
               "user": user("Ana", "github_1"), "locator": locator("https://news.example/2026/12/remark"),
               "score": 2, "votes": {"github_2": true}, "vote": 0, "time": "2026-12-01T09:00:00+01:00",
               "title": "Un article Remark"}),
        json!({"id": "c2", "pid": "c1", "text": "<p>Réponse</p>\n", "orig": "Réponse",
               "user": user("Bruno", "google_2"), "locator": locator("https://news.example/2026/12/remark"),
               "score": 0, "vote": 0, "time": "2026-12-01T08:30:00.250Z",
               "edit": {"time": "2026-12-01T08:45:00Z", "summary": ""}, "title": "Un article Remark"}),
        json!({"id": "c3", "pid": "c1", "text": "", "user": {"name": "deleted", "id": "deleted", "picture": "", "admin": false},
               "locator": locator("https://news.example/2026/12/remark"), "score": 0, "vote": 0,
               "time": "2026-12-01T10:00:00Z", "delete": true}),
        json!({"id": "c4", "pid": "", "text": "<p>Ailleurs</p>", "user": user("Ana", "github_1"),
               "locator": locator("https://news.example/2026/12/second"), "score": 0, "vote": 0,
               "time": "2026-12-02T12:00:00-05:00", "pin": true}),
    ];
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("tribune-{}-{name}", uuid::Uuid::new_v4()));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[tokio::test]
async fn a_remark42_backup_reads_the_same_plain_or_gzipped() {
    let plain = temp_file("remark42.json", remark42_backup().as_bytes());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(remark42_backup().as_bytes()).unwrap();
    let gzipped = temp_file("remark42.json.gz", &gz.finish().unwrap());

    let from_plain = records(remark42::read(std::fs::File::open(&plain).unwrap())).await;
    let from_gz = records(remark42::read(std::fs::File::open(&gzipped).unwrap())).await;
    assert_eq!(from_plain, from_gz);
    let (threads, comments) = split(from_plain);
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0].key, "https://news.example/2026/12/remark");
    assert_eq!(threads[0].url, threads[0].key);
    assert_eq!(threads[0].title.as_deref(), Some("Un article Remark"));
    assert_eq!(threads[1].title, None);
    assert_eq!(comments.len(), 4);
    assert_eq!(comments[0].parent_key, None);
    assert_eq!(
        comments[0].body,
        Body::Html("<p>Premier <em>avis</em></p>\n".into())
    );
    assert_eq!(comments[0].author.name.as_deref(), Some("Ana"));
    assert_eq!(comments[0].author.email, None);
    // 09:00 at +01:00 is 08:00 UTC.
    assert_eq!(comments[0].published, 1_796_112_000_000);
    assert_eq!(comments[1].parent_key.as_deref(), Some("c1"));
    assert_eq!(comments[1].published, 1_796_113_800_250);
    assert_eq!(comments[1].edited, Some(1_796_114_700_000));
    assert_eq!(comments[2].status, ImportedStatus::Deleted);
    assert_eq!(comments[0].status, ImportedStatus::Published);
    assert_eq!(comments[3].thread_key, threads[1].key);
    assert_eq!(comments[3].published, 1_796_230_800_000);
    std::fs::remove_file(plain).ok();
    std::fs::remove_file(gzipped).ok();
}

#[tokio::test]
async fn a_file_that_is_not_a_remark42_backup_is_refused_with_where() {
    for (bytes, expected) in [
        (&b"<disqus></disqus>"[..], "not a Remark42 backup"),
        (&b"{\"version\":7,\"users\":[],\"posts\":[]}\n"[..], "version 7"),
        (
            &b"{\"version\":1}\n{\"id\":\"a\",\"locator\":{\"url\":\"https://x.example/\"},\"time\":\"2026-12-01T10:00:00Z\"}\n{\"id\": oops}\n"[..],
            "line 3",
        ),
        (
            &b"{\"version\":1}\n{\"id\":\"a\",\"locator\":{\"url\":\"u\"},\"time\":\"hier\"}\n"[..],
            "bad time",
        ),
    ] {
        let path = temp_file("bad.json", bytes);
        let read: Result<Vec<Record>, _> =
            remark42::read(std::fs::File::open(&path).unwrap()).try_collect().await;
        let error = read.expect_err("refused");
        assert!(error.message.contains(expected), "{expected}: {}", error.message);
        std::fs::remove_file(path).ok();
    }
}

#[tokio::test]
async fn a_gzipped_remark42_line_over_4_mib_is_refused_by_its_number_quickly() {
    let comment = json!({"id": "a", "locator": {"url": "https://x.example/"},
        "time": "2026-12-01T10:00:00Z", "text": "y".repeat(5 << 20)});
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(format!("{{\"version\":1}}\n{comment}\n").as_bytes())
        .unwrap();
    let path = temp_file("long.json.gz", &gz.finish().unwrap());
    let started = std::time::Instant::now();
    let read: Result<Vec<Record>, _> = remark42::read(std::fs::File::open(&path).unwrap())
        .try_collect()
        .await;
    let error = read.expect_err("refused");
    assert!(
        error.message.contains("line 2 is longer than 4 MiB"),
        "{}",
        error.message
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    std::fs::remove_file(path).ok();
}

const PASSWORD: &str = "a long enough password";

async fn staff(app: &TestApp, username: &str, role: &str) -> String {
    let (status, _) = app
        .admin_post(
            "/api/v1/admin/staff",
            json!({"username": username, "password": PASSWORD, "role": role}),
        )
        .await;
    assert_eq!(status, 201);
    let token: Value = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["token"].as_str().unwrap().to_string()
}

async fn as_staff(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A site with a bit of everything: remote comments and a reply to one, an edit, a
/// staff reply signed by a journalist, a highlight, likes, a reader's report, a
/// moderator's removal with its reason and note, the site's own rule and mode.
async fn busy_site() -> (TestApp, FakeServer) {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let editor = staff(&app, "camille", "editor").await;
    let article = app.add_article("/2026/12/export", "Exporté").await;
    let ap = article["ap_id"].as_str().unwrap();
    app.add_article("/2026/12/empty", "Sans commentaire").await;
    let ana = fake.actor("ana", 0);
    let bob = fake.actor("bob", 1);
    let first = mastodon_create(&ana, 1, ap);
    ana.send(&app, &first).await;
    app.drain().await;
    let note = first["object"]["id"].as_str().unwrap().to_string();
    bob.send(&app, &mastodon_create(&bob, 2, &note)).await;
    bob.send(&app, &mastodon_create(&bob, 3, ap)).await;
    app.drain().await;
    let mut edited = first["object"].clone();
    edited["content"] = json!("<p>Edited: second thoughts</p>");
    edited.as_object_mut().unwrap().remove("contentMap");
    edited["updated"] = json!("2026-11-02T11:00:00Z");
    ana.send(
        &app,
        &json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}#updates/1"), "type": "Update", "actor": ana.id, "object": edited}),
    )
    .await;
    bob.send(&app, &json!({"id": format!("{}#likes/1", bob.id), "type": "Like", "actor": bob.id, "object": note}))
        .await;
    ana.send(&app, &json!({"id": format!("{}#likes/2", ana.id), "type": "Like", "actor": ana.id, "object": ap}))
        .await;
    app.drain().await;
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    fn flat(comments: &Value, ids: &mut Vec<i64>) {
        for c in comments.as_array().unwrap() {
            ids.push(c["id"].as_i64().unwrap());
            flat(&c["children"], ids);
        }
    }
    let mut ids = Vec::new();
    flat(&thread["comments"], &mut ids);
    assert_eq!(ids.len(), 3, "{thread}");
    let (status, _) = as_staff(
        &app,
        &editor,
        &format!("/api/v1/admin/comments/{}/reply", ids[0]),
        json!({"content": "Merci, **bonne remarque**."}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = as_staff(
        &app,
        &editor,
        &format!("/api/v1/admin/comments/{}/highlight", ids[0]),
        json!({"note": "Le meilleur avis"}),
    )
    .await;
    assert_eq!(status, 200);
    let reported = app
        .client
        .post(app.url("/threads/report"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("comment={}&reason=abusive", ids[1]))
        .send()
        .await
        .unwrap();
    assert_eq!(reported.status(), 303);
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{}/hide", ids[2]),
            json!({"reason": "off_topic", "note": "Hors sujet"}),
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app
        .admin_post(
            "/api/v1/admin/rules",
            json!({"site": "demo", "kind": "banned_word", "pattern": "arnaque"}),
        )
        .await;
    assert_eq!(status, 201);
    let mode = app
        .client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "pre", "hold_new_authors": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(mode.status(), 204);
    app.deliver().await;
    (app, fake)
}

async fn exported(app: &TestApp) -> Value {
    let mut out = Vec::new();
    site::export(&app.state, "demo", &mut out).await.unwrap();
    serde_json::from_slice(&out).expect("the export is one JSON document")
}

async fn restored(
    app: &TestApp,
    document: &Value,
    dry_run: bool,
) -> tribune::services::imports::ImportReport {
    let path = temp_file("site.json", document.to_string().as_bytes());
    let report = site::restore(
        &app.state,
        "demo",
        std::fs::File::open(&path).unwrap(),
        dry_run,
    )
    .await
    .unwrap();
    std::fs::remove_file(path).ok();
    report
}

/// A fresh server answering at `source`'s public URL, as when a site moves to another
/// database: the ids of its staff replies and announces are still its own.
async fn same_domain(source: &TestApp) -> TestApp {
    let base = reqwest::Url::parse(source.state.urls.base()).unwrap();
    spawn_settings(settings_with(|s| s.server.public_url = base).await).await
}

#[tokio::test]
async fn a_site_export_restores_into_a_fresh_database_as_the_same_document_and_twice_changes_nothing(
) {
    let (source, _fake) = busy_site().await;
    let original = exported(&source).await;
    assert_eq!(original["format"], "tribune-site");
    assert_eq!(original["version"], 1);
    assert_eq!(original["site"]["moderation_mode"], "pre");
    assert_eq!(original["site"]["hold_new_authors"], 2);
    let comments = original["comments"].as_array().unwrap();
    assert_eq!(
        comments.len(),
        4,
        "three remote comments and the staff reply"
    );
    assert_eq!(original["articles"].as_array().unwrap().len(), 2);
    assert_eq!(original["actors"].as_array().unwrap().len(), 2);
    assert!(
        original["actors"][0].get("public_key_pem").is_none(),
        "keys never travel"
    );
    assert!(original["actors"][0].get("id").is_none(), "no row ids");
    let reply = comments
        .iter()
        .find(|c| c["parent"].is_string() && c["staff"].is_null())
        .unwrap();
    assert_eq!(reply["parent"], comments[0]["ap_id"]);
    assert_eq!(comments[0]["revisions"].as_array().unwrap().len(), 1);
    assert_eq!(comments[0]["sensitive"], false, "booleans as booleans");
    let staff_reply = comments
        .iter()
        .find(|c| c["staff"] == "camille")
        .expect("signed by its journalist");
    assert!(staff_reply["source"]
        .as_str()
        .unwrap()
        .contains("bonne remarque"));
    assert!(comments
        .iter()
        .any(|c| c["reports"].as_array().unwrap().len() == 1));
    let hidden = comments
        .iter()
        .find(|c| c["moderation_reason"] == "off_topic")
        .unwrap();
    assert_eq!(hidden["moderation_note"], "Hors sujet");
    assert_eq!(original["highlights"][0]["editor"], "camille");
    assert_eq!(original["highlights"][0]["note"], "Le meilleur avis");
    assert_eq!(original["reactions"].as_array().unwrap().len(), 2);
    assert_eq!(original["rules"][0]["pattern"], "arnaque");

    // A dry run into a fresh server: the counts of the real restore, nothing written.
    let preview = same_domain(&source).await;
    let dry = restored(&preview, &original, true).await;
    assert_eq!(
        (dry.comments, dry.comments_created, dry.articles_created),
        (4, 4, 2)
    );
    assert!(dry.dry_run);
    assert_eq!(exported(&preview).await["comments"], json!([]));

    let target = same_domain(&source).await;
    staff(&target, "camille", "editor").await;
    let report = restored(&target, &original, false).await;
    assert_eq!(report.format, "tribune");
    assert_eq!((report.threads, report.articles_created), (2, 2));
    assert_eq!((report.comments, report.comments_created), (4, 4));
    assert_eq!(report.skipped, 0, "{:?}", report.problems);
    assert_eq!(
        exported(&target).await,
        original,
        "the same document, ids aside"
    );

    let again = restored(&target, &original, false).await;
    assert_eq!(
        (
            again.articles_created,
            again.articles_matched,
            again.comments_created,
            again.comments_updated,
            again.comments_unchanged
        ),
        (0, 2, 0, 0, 4)
    );
    assert_eq!(exported(&target).await, original);

    // Restored comments are the site's like any other: the thread shows them.
    let url = original["articles"][0]["url"].as_str().unwrap();
    let shown = |t: Value| t["comments"].as_array().unwrap().len();
    assert!(shown(source.thread(url).await) > 0);
    assert_eq!(
        shown(target.thread(url).await),
        shown(source.thread(url).await)
    );
}

#[tokio::test]
async fn a_site_export_changed_since_updates_in_place_and_another_file_is_refused() {
    let (source, _fake) = busy_site().await;
    let original = exported(&source).await;
    let target = same_domain(&source).await;
    staff(&target, "camille", "editor").await;
    restored(&target, &original, false).await;
    let mut changed = original.clone();
    changed["comments"][0]["moderation_note"] = json!("Vu en réunion");
    let report = restored(&target, &changed, false).await;
    assert_eq!((report.comments_updated, report.comments_unchanged), (1, 3));
    assert_eq!(exported(&target).await, changed);

    // Markup is sanitised like any received comment's.
    let mut script = original.clone();
    script["comments"][0]["content_html"] = json!("<p>Bonjour</p><script>alert(1)</script>");
    restored(&target, &script, false).await;
    let html = exported(&target).await["comments"][0]["content_html"].clone();
    assert_eq!(html, "<p>Bonjour</p>");

    for (document, expected) in [
        (
            json!({"format": "other", "version": 1}),
            "not a Tribune site export",
        ),
        (json!({"format": "tribune-site", "version": 9}), "version 9"),
        (json!([1, 2]), "not a Tribune site export"),
    ] {
        let path = temp_file("bad.json", document.to_string().as_bytes());
        let error = site::restore(
            &target.state,
            "demo",
            std::fs::File::open(&path).unwrap(),
            false,
        )
        .await
        .expect_err("refused");
        assert_eq!(error.status(), 422);
        assert!(error.to_string().contains(expected), "{expected}: {error}");
        std::fs::remove_file(path).ok();
    }
}

#[tokio::test]
async fn the_export_route_is_for_admins_streams_an_attachment_and_knows_its_sites() {
    let (app, _fake) = busy_site().await;
    let path = app.url("/api/v1/admin/sites/demo/export");
    let anonymous = app.client.get(&path).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let body: Value = anonymous.json().await.unwrap();
    assert!(
        body["error"].is_string() || body["message"].is_string(),
        "{body}"
    );
    let editor = staff(&app, "dominique", "editor").await;
    let refused = app
        .client
        .get(&path)
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let unknown = app
        .client
        .get(app.url("/api/v1/admin/sites/nowhere/export"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.json::<Value>().await.is_ok(), "a JSON error");

    let response = app
        .client
        .get(&path)
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"tribune-demo.json\""
    );
    let document: Value = response.json().await.unwrap();
    assert_eq!(document, exported(&app).await);
    let openapi = app.get_json("/api/openapi.json").await.1;
    assert!(openapi["paths"]["/api/v1/admin/sites/{slug}/export"]["get"].is_object());
}

#[tokio::test]
async fn tribune_export_writes_the_site_to_a_file_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("tribune-export-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("tribune.db").display());
    let run = |args: &[&str]| {
        tribune_command()
            .env("TRIBUNE_DATABASE__URL", &url)
            .args(args)
            .output()
            .unwrap()
    };
    let added = run(&[
        "article",
        "add",
        "--site",
        "demo",
        "--url",
        "http://127.0.0.1:8000/2026/cli",
        "--title",
        "CLI",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let out = dir.join("demo.json");
    let exported = run(&["export", "--site", "demo", "--out", out.to_str().unwrap()]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let document: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(document["format"], "tribune-site");
    assert_eq!(document["articles"][0]["title"], "CLI");
    let to_stdout = run(&["export", "--site", "demo"]);
    assert_eq!(
        serde_json::from_slice::<Value>(&to_stdout.stdout).unwrap(),
        document
    );
    let unknown = run(&["export", "--site", "nowhere"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("site not found"));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_restore_keeps_only_web_links_and_refuses_rows_that_speak_for_another_server() {
    let (source, _fake) = busy_site().await;
    let original = exported(&source).await;
    let mut document = original.clone();
    let remote = original["comments"][0].clone();
    let author = remote["author"].as_str().unwrap().to_string();
    let base = source.state.urls.base().to_string();

    let mut imported = remote.clone();
    for (key, value) in [
        ("ap_id", json!(format!("{base}/imported/disqus/1"))),
        ("author", Value::Null),
        ("parent", Value::Null),
        ("url", json!("javascript:alert(2)")),
        ("import_source", json!("disqus")),
        ("import_key", json!("1")),
        ("import_site_id", json!(77)),
        ("author_name", json!("Eve")),
        ("author_website", json!("javascript:alert(1)")),
        (
            "attachments",
            json!(r#"[{"url":"javascript:alert(3)","media_type":"image/png","alt":null}]"#),
        ),
        ("revisions", json!([])),
        ("reports", json!([])),
    ] {
        imported[key] = value;
    }
    let mut forged = remote.clone();
    forged["ap_id"] = json!("https://elsewhere.example/notes/forged");
    forged["revisions"] = json!([]);
    let mut staff_forged = original["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["staff"] == "camille")
        .unwrap()
        .clone();
    staff_forged["ap_id"] = json!("https://elsewhere.example/staff/1");
    let comments = document["comments"].as_array_mut().unwrap();
    comments.extend([imported, forged, staff_forged]);
    // The file's word on an actor's server and freshness is not taken.
    document["actors"][0]["domain"] = json!("bank.example");
    document["actors"][0]["fetched_at"] = json!(4_102_444_800_000_i64);

    let target = same_domain(&source).await;
    staff(&target, "camille", "editor").await;
    let report = restored(&target, &document, false).await;
    assert_eq!(report.skipped, 2, "{:?}", report.problems);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("forged")
                && p.contains(&format!("not on its author {author}'s server"))),
        "{:?}",
        report.problems
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("staff/1")
                && p.contains("staff reply whose id is not this server's")),
        "{:?}",
        report.problems
    );

    let url = original["articles"][0]["url"].as_str().unwrap();
    let thread = target.thread(url).await;
    let eve = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["author"]["name"] == "Eve")
        .unwrap_or_else(|| panic!("the imported comment is shown: {thread}"));
    assert_eq!(eve["author"]["url"], Value::Null, "{eve}");
    let stored = exported(&target).await;
    let eve = stored["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["author_name"] == "Eve")
        .unwrap();
    assert_eq!(eve["url"], Value::Null);
    assert_eq!(eve["attachments"], "[]");
    assert_eq!(
        eve["import_site_id"],
        target.state.sites.get("demo").unwrap().id
    );

    let ap_id = original["actors"][0]["ap_id"].as_str().unwrap();
    let planted = &stored["actors"][0];
    assert_eq!(planted["ap_id"], ap_id);
    let host = reqwest::Url::parse(ap_id).unwrap();
    assert_eq!(
        planted["domain"],
        format!("{}:{}", host.host_str().unwrap(), host.port().unwrap())
    );
    use sea_orm::EntityTrait;
    let actors = tribune::storage::entities::remote_actor::Entity::find()
        .all(&target.state.db)
        .await
        .unwrap();
    assert!(actors.iter().all(|a| a.fetched_at == 0), "{actors:?}");

    // An actor this server knows is matched, never overwritten by a file.
    let mut again = original.clone();
    again["actors"][0]["name"] = json!("Impostor");
    again["actors"][0]["inbox"] = json!("https://elsewhere.example/inbox");
    restored(&target, &again, false).await;
    let actor = &exported(&target).await["actors"][0];
    assert_eq!(actor["name"], original["actors"][0]["name"]);
    assert_eq!(actor["inbox"], original["actors"][0]["inbox"]);
}

#[tokio::test]
async fn a_site_export_row_over_1_mib_refuses_the_file_by_its_place() {
    let (source, _fake) = busy_site().await;
    let mut document = exported(&source).await;
    document["comments"][1]["content_html"] = json!("a".repeat(1_200_000));
    let path = temp_file("big.json", document.to_string().as_bytes());
    let target = same_domain(&source).await;
    let error = site::restore(
        &target.state,
        "demo",
        std::fs::File::open(&path).unwrap(),
        false,
    )
    .await
    .expect_err("refused");
    std::fs::remove_file(path).ok();
    match error {
        tribune::error::Error::Unprocessable(why) => assert!(
            why.contains("row 2 of \"comments\" is larger than 1 MiB"),
            "{why}"
        ),
        other => panic!("{other:?}"),
    }
}
