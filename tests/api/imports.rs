//! Imports of other comment systems' archives (issue 18): Disqus's XML export and
//! WordPress's WXR, built from their formats' documentation (`tests/data/imports/`),
//! stored as local comments with their threading, dates, authors and statuses; a
//! second import changes nothing; a dry run reports the same and writes nothing;
//! nothing is federated; the admin route and the command line.

use crate::helpers::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use std::path::PathBuf;
use tribune::services::imports::{self, Format};
use tribune::storage::entities::{article, comment, delivery, outbox_activity};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/imports")
        .join(name)
}

async fn import(app: &TestApp, format: Format, file: &str, dry_run: bool) -> Value {
    let report = imports::run(&app.state, "demo", format, &data(file), dry_run, None)
        .await
        .expect("imported");
    serde_json::to_value(report).unwrap()
}

async fn imported_rows(app: &TestApp) -> Vec<comment::Model> {
    comment::Entity::find()
        .filter(comment::Column::ImportSource.is_not_null())
        .order_by_asc(comment::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

fn by_key<'a>(rows: &'a [comment::Model], key: &str) -> &'a comment::Model {
    rows.iter()
        .find(|c| c.import_key.as_deref() == Some(key))
        .unwrap_or_else(|| panic!("comment {key} imported"))
}

fn ms(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp_millis()
}

async fn queued(app: &TestApp) -> u64 {
    outbox_activity::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
        + delivery::Entity::find().count(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn a_disqus_export_keeps_its_threads_dates_authors_and_statuses_and_sends_nothing() {
    let app = spawn_app().await;
    let before = queued(&app).await;
    let report = import(&app, Format::Disqus, "disqus.xml", false).await;
    assert_eq!(report["threads"], 3, "{report}");
    assert_eq!(report["articles_created"], 2, "{report}");
    assert_eq!(report["comments"], 10, "{report}");
    assert_eq!(report["comments_created"], 9, "{report}");
    assert_eq!(report["skipped"], 1, "the thread of another site: {report}");
    assert!(report["problems"][0]
        .as_str()
        .unwrap()
        .contains("other.example"));
    assert_eq!(queued(&app).await, before, "nothing federated");

    let rows = imported_rows(&app).await;
    assert_eq!(rows.len(), 9);
    // Threading, including the reply that came before the post it answers.
    let first = by_key(&rows, "9001");
    let reply = by_key(&rows, "9003");
    let deeper = by_key(&rows, "9004");
    assert_eq!(first.parent_id, None);
    assert_eq!(reply.parent_id, Some(first.id));
    assert_eq!(reply.in_reply_to, first.ap_id);
    assert_eq!(reply.import_parent_key, None, "resolved");
    assert_eq!(deeper.parent_id, Some(reply.id));
    // Dates as Disqus wrote them.
    assert_eq!(first.published, ms("2024-03-01T09:00:00Z"));
    assert_eq!(reply.published, ms("2024-03-01T10:15:30Z"));
    // Local comments under our own ids, no remote actor.
    assert_eq!(first.ap_id, app.state.urls.comment(first.id));
    assert_eq!(first.author_id, None);
    assert_eq!(first.staff_name, None);
    // Authors: names kept, the address only as a hash.
    assert_eq!(first.author_name.as_deref(), Some("Zoé Łukasiewicz-Núñez"));
    assert_eq!(
        first.author_email_hash,
        imports::email_hash("zoe@example.fr")
    );
    assert_eq!(deeper.author_email_hash, first.author_email_hash);
    // HTML sanitised once: scripts gone, entities read.
    assert!(
        !reply.content_html.contains("script"),
        "{}",
        reply.content_html
    );
    assert!(reply.content_html.contains("<b>d'accord</b> &amp; merci"));
    assert!(by_key(&rows, "9002")
        .content_html
        .contains("3 &lt; 4 &amp; 5 &gt; 2"));
    // Statuses.
    use tribune::domain::CommentStatus;
    let spam = by_key(&rows, "9007");
    assert_eq!(spam.status, CommentStatus::Rejected);
    assert!(spam.moderation_reason.is_some());
    assert_eq!(by_key(&rows, "9008").status, CommentStatus::Held);
    let deleted = by_key(&rows, "9005");
    assert!(deleted.deleted_at.is_some());
    assert_eq!(deleted.content_html, "");

    // Articles by URL as the site stores them: https, no query, no fragment.
    let velo = article::Entity::find()
        .filter(article::Column::Url.eq("https://news.example/2024/04/velo"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("registered from http://…?utm_source=rss#comments");
    assert_eq!(velo.title, "Le vélo en ville");

    // Readers see them like any other comment.
    let thread = app
        .thread("https://news.example/2024/03/municipales-le-debat")
        .await;
    assert_eq!(thread["total"], 5, "{thread}");
    assert_eq!(
        thread["article"]["title"],
        "Municipales : le débat & ses suites"
    );
    let top = &thread["comments"][0];
    assert_eq!(top["author"]["name"], "Zoé Łukasiewicz-Núñez");
    assert_eq!(
        top["children"][0]["children"][0]["author"]["name"],
        "Zoé Łukasiewicz-Núñez"
    );
    let text = thread.to_string();
    assert!(!text.contains("email"), "no e-mail hash in the API");
    assert!(!text.contains(first.author_email_hash.as_deref().unwrap()));
    assert!(
        top["imported_from"].is_null(),
        "the site does not show it by default"
    );
    // The deleted post stays as a placeholder above its reply.
    let placeholder = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["deleted"] == true)
        .expect("placeholder");
    assert_eq!(placeholder["children"][0]["author"]["name"], "Camille");

    // The no-JS page names them.
    let page = app
        .client
        .get(app.url("/threads?url=https://news.example/2024/03/municipales-le-debat"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Gaël Le Goff"), "{page}");

    // The fediverse is not shown them: the article's replies do not list them.
    let document: Value = app
        .client
        .get(app.url(&format!("/articles/{}", first.article_id)))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !document
            .to_string()
            .contains(&format!("\"{}\"", first.ap_id)),
        "{document}"
    );
}

#[tokio::test]
async fn a_second_import_changes_nothing_and_an_edit_is_an_update() {
    let app = spawn_app().await;
    let first = import(&app, Format::Disqus, "disqus.xml", false).await;
    let rows = imported_rows(&app).await;
    let second = import(&app, Format::Disqus, "disqus.xml", false).await;
    assert_eq!(second["comments_created"], 0, "{second}");
    assert_eq!(second["comments_updated"], 0, "{second}");
    assert_eq!(
        second["comments_unchanged"], first["comments_created"],
        "{second}"
    );
    assert_eq!(second["articles_created"], 0);
    assert_eq!(second["articles_matched"], 2);
    assert_eq!(imported_rows(&app).await, rows, "nothing rewritten");

    // The same file with one message edited and one post marked spam.
    let text = std::fs::read_to_string(data("disqus.xml"))
        .unwrap()
        .replace("Une réponse à la réponse.", "Une réponse corrigée.")
        .replace(
            "<isSpam>false</isSpam>\n    <author>\n      <name>Ἀριστοτέλης",
            "<isSpam>true</isSpam>\n    <author>\n      <name>Ἀριστοτέλης",
        );
    let changed = std::env::temp_dir().join(format!("disqus-{}.xml", uuid::Uuid::new_v4()));
    std::fs::write(&changed, text).unwrap();
    let third = imports::run(&app.state, "demo", Format::Disqus, &changed, false, None)
        .await
        .unwrap();
    std::fs::remove_file(&changed).ok();
    assert_eq!(third.comments_updated, 2, "{third:?}");
    assert_eq!(third.comments_created, 0);
    let rows = imported_rows(&app).await;
    assert!(by_key(&rows, "9004").content_html.contains("corrigée"));
    assert_eq!(
        by_key(&rows, "9009").status,
        tribune::domain::CommentStatus::Rejected
    );
}

#[tokio::test]
async fn a_dry_run_reports_what_the_import_does_and_writes_nothing() {
    let app = spawn_app().await;
    for (format, file) in [
        (Format::Disqus, "disqus.xml"),
        (Format::Wxr, "wordpress.xml"),
    ] {
        let articles = article::Entity::find().count(&app.state.db).await.unwrap();
        let dry = import(&app, format, file, true).await;
        assert_eq!(dry["dry_run"], true);
        assert!(imported_rows(&app)
            .await
            .iter()
            .all(|c| c.import_source.as_deref() != Some(format.as_str())));
        assert_eq!(
            article::Entity::find().count(&app.state.db).await.unwrap(),
            articles,
            "no article registered"
        );
        let real = import(&app, format, file, false).await;
        let mut dry = dry;
        dry["dry_run"] = json!(false);
        assert_eq!(dry, real, "the dry run is the real run's report");
        // A dry run of a second import says nothing would change.
        let again = import(&app, format, file, true).await;
        assert_eq!(again["comments_unchanged"], real["comments_created"]);
    }
}

#[tokio::test]
async fn a_wordpress_export_keeps_replies_statuses_and_websites_and_leaves_pingbacks_out() {
    let app = spawn_app().await;
    let report = import(&app, Format::Wxr, "wordpress.xml", false).await;
    assert_eq!(
        report["threads"], 2,
        "the page without comments registers nothing: {report}"
    );
    assert_eq!(report["articles_created"], 2);
    assert_eq!(report["comments"], 6, "the pingback is left out: {report}");
    assert_eq!(report["comments_created"], 6);
    let rows = imported_rows(&app).await;
    use tribune::domain::CommentStatus;
    let helene = by_key(&rows, "101");
    let reply = by_key(&rows, "102");
    assert_eq!(reply.parent_id, Some(helene.id));
    assert_eq!(
        helene.published,
        ms("2025-01-02T09:15:00Z"),
        "comment_date_gmt"
    );
    assert_eq!(
        helene.author_website.as_deref(),
        Some("https://helene.example/")
    );
    assert_eq!(reply.author_website, None, "javascript: is no website");
    assert!(helene
        .content_html
        .contains("<p>Enfin un article clair.</p>"));
    assert!(helene.content_html.contains("<em>emphase</em><br>"));
    assert_eq!(by_key(&rows, "104").status, CommentStatus::Rejected);
    assert_eq!(by_key(&rows, "201").status, CommentStatus::Held);
    let trashed = by_key(&rows, "202");
    assert!(trashed.deleted_at.is_some());
    assert_eq!(
        trashed.published,
        ms("2025-02-10T13:00:00Z"),
        "comment_date when no GMT date"
    );
    let thread = app.thread("https://news.example/2025/01/budget/").await;
    assert_eq!(thread["total"], 2, "{thread}");
    assert_eq!(
        thread["comments"][0]["author"]["url"],
        "https://helene.example/"
    );
    let page = app
        .client
        .get(app.url("/threads?url=https://news.example/2025/01/budget/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(
            r#"href="https:&#x2f;&#x2f;helene.example&#x2f;" rel="nofollow ugc">Hélène Dupré</a>"#
        ),
        "{page}"
    );
    let second = import(&app, Format::Wxr, "wordpress.xml", false).await;
    assert_eq!(second["comments_unchanged"], 6, "{second}");
}

#[tokio::test]
async fn a_site_that_wants_it_says_where_imported_comments_came_from() {
    let app = spawn_settings(settings_with(|s| s.sites[0].show_import_source = true).await).await;
    import(&app, Format::Disqus, "disqus.xml", false).await;
    let thread = app
        .thread("https://news.example/2024/03/municipales-le-debat")
        .await;
    assert_eq!(thread["comments"][0]["imported_from"], "Disqus");
    let page = app
        .client
        .get(app.url("/threads?url=https://news.example/2024/03/municipales-le-debat"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("importé de Disqus"), "{page}");
}

#[tokio::test]
async fn imported_comments_are_searched_and_moderated_in_the_console() {
    let app = spawn_app().await;
    import(&app, Format::Disqus, "disqus.xml", false).await;
    let held = app.admin_get("/api/v1/admin/queue?status=held").await;
    let text = held.to_string();
    assert!(text.contains("En attente de modération"), "{held}");
    let by_author = app
        .admin_get("/api/v1/admin/queue?status=all&author=gael")
        .await
        .to_string();
    let by_author_accented = app
        .admin_get("/api/v1/admin/queue?status=all&author=Gaël")
        .await
        .to_string();
    assert!(
        by_author_accented.contains("Je réponds à Zoé"),
        "{by_author_accented}"
    );
    assert!(!by_author.contains("Premier commentaire"));
    let rows = imported_rows(&app).await;
    let pending = by_key(&rows, "9008");
    // Its page names the imported author, said to be no fediverse account.
    let moderator = crate::console::sign_in(&app, "momo", "moderator").await;
    let (status, page) = moderator
        .get(&app, &format!("/admin/comments/{}", pending.id))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains(pending.author_name.as_deref().unwrap()),
        "{page}"
    );
    assert!(page.contains("ancien système de commentaires"), "{page}");
    let before = queued(&app).await;
    let (status, _) = app
        .admin_post(
            &format!("/api/v1/admin/comments/{}/approve", pending.id),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let thread = app.thread("https://news.example/2024/04/velo").await;
    assert_eq!(thread["total"], 2, "approved: {thread}");
    assert_eq!(
        queued(&app).await,
        before,
        "an imported comment has no server to tell"
    );
}

fn multipart(boundary: &str, fields: &[(&str, &str)], file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.xml\"\r\nContent-Type: application/xml\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[tokio::test]
async fn the_admin_route_imports_multipart_or_raw_bodies_for_admins_only() {
    let app = spawn_settings(settings_with(|s| s.imports.max_upload_bytes = 64 * 1024).await).await;
    let file = std::fs::read(data("disqus.xml")).unwrap();
    let url = app.url("/api/v1/admin/imports");
    // Anonymous, then an editor.
    let anonymous = app
        .client
        .post(&url)
        .body(file.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let (status, _) = app
        .admin_post(
            "/api/v1/admin/staff",
            json!({"username": "eve", "password": "a long enough password", "role": "editor",
                   "display_name": "Eve"}),
        )
        .await;
    assert_eq!(status, 201);
    let token: Value = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "eve", "password": "a long enough password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let editor = app
        .client
        .post(format!("{url}?format=disqus&site=demo"))
        .bearer_auth(token["token"].as_str().unwrap())
        .body(file.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(editor.status(), 403);
    assert!(imported_rows(&app).await.is_empty());

    // A dry run as a raw body.
    let dry = app
        .client
        .post(format!("{url}?format=disqus&site=demo&dry_run=true"))
        .bearer_auth(ADMIN_TOKEN)
        .header("content-type", "application/xml")
        .body(file.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(dry.status(), 200);
    let dry: Value = dry.json().await.unwrap();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["comments_created"], 9);
    assert!(imported_rows(&app).await.is_empty());

    // Multipart, its fields in the form.
    let boundary = "----tribune-boundary-7MA4YWxkTrZu0gW";
    let real = app
        .client
        .post(&url)
        .bearer_auth(ADMIN_TOKEN)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(multipart(
            boundary,
            &[("format", "disqus"), ("site", "demo")],
            &file,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(real.status(), 200);
    let real: Value = real.json().await.unwrap();
    assert_eq!(real["comments_created"], 9, "{real}");
    assert_eq!(imported_rows(&app).await.len(), 9);

    // Refusals, each a JSON message.
    let refuse = |query: &'static str, body: Vec<u8>| {
        let client = app.client.clone();
        let url = format!("{url}{query}");
        async move {
            let response = client
                .post(url)
                .bearer_auth(ADMIN_TOKEN)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, body)
        }
    };
    let (status, body) = refuse("?format=coral&site=demo", file.clone()).await;
    assert_eq!(status, 422);
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("format"),
        "{body}"
    );
    let (status, body) = refuse("?format=disqus&site=nowhere", file.clone()).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = refuse(
        "?format=disqus&site=demo",
        b"<disqus><post dsq:id=\"1\"></disqus>".to_vec(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("Disqus"),
        "{body}"
    );
    let (status, body) = refuse("?format=wxr&site=demo", file.clone()).await;
    assert_eq!(status, 422, "a Disqus file is no WXR: {body}");
    let (status, _) = refuse("?format=disqus&site=demo", vec![b' '; 65 * 1024]).await;
    assert_eq!(status, 413);
}

#[test]
fn the_command_line_imports_a_file_and_reports() {
    let dir = std::env::temp_dir().join(format!("tribune-import-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    let config = dir.join("news.toml");
    std::fs::write(
        &config,
        "[[sites]]\nslug = \"demo\"\nname = \"News\"\norigin = \"https://news.example\"\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let output = crate::helpers::tribune_command()
            .env("TRIBUNE_DATABASE__URL", &db)
            .env("TRIBUNE_CONFIG", &config)
            .arg("import")
            .arg("disqus")
            .arg(data("disqus.xml"))
            .args(["--site", "demo"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let dry = run(&["--dry-run"]);
    assert!(dry.contains("dry run"), "{dry}");
    assert!(dry.contains("9 created"), "{dry}");
    let real: Value = serde_json::from_str(&run(&["--json"])).unwrap();
    assert_eq!(real["comments_created"], 9);
    let again = run(&[]);
    assert!(again.contains("9 unchanged"), "{again}");
    let bad = crate::helpers::tribune_command()
        .env("TRIBUNE_DATABASE__URL", &db)
        .env("TRIBUNE_CONFIG", &config)
        .args(["import", "coral", "x.json"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    std::fs::remove_dir_all(&dir).ok();
}
