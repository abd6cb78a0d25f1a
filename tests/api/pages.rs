//! The no-JS thread page and the embed script as served.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn the_thread_page_works_without_javascript_and_escapes_what_it_shows() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/nojs", "Un <titre> & plus").await;
    let felix = fake.actor("felix", 0);
    let mut create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    create["object"]["content"] = json!("<p>Bonjour <script>alert(1)</script>le monde</p>");
    create["object"]["summary"] = json!("Spoiler <b>alert</b>");
    felix.send(&app, &create).await;
    app.drain().await;
    let comment = app.thread(article["url"].as_str().unwrap()).await["comments"][0]["id"].clone();
    app.client
        .post(app.url(&format!("/api/v1/admin/comments/{comment}/highlight")))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"note": "Bien <vu>"}))
        .send()
        .await
        .unwrap();

    let response = app
        .client
        .get(app.url("/threads"))
        .query(&[("url", article["url"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    // minijinja escapes `/` too (`&#x2f;`, which browsers read as `/`).
    let html = response.text().await.unwrap().replace("&#x2f;", "/");
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("1 commentaire"));
    assert!(html.contains("Sélection de la rédaction"));
    assert!(html.contains("Bien &lt;vu&gt;"), "notes are escaped");
    assert!(
        html.contains("Un &lt;titre&gt; &amp; plus"),
        "titles are escaped"
    );
    assert!(
        !html.contains("<script"),
        "no script at all, nor the one the comment tried"
    );
    assert!(html.contains("<details><summary>Avertissement de contenu : Spoiler alert</summary>"));
    // The pick and its place in the thread have ids of their own, and link to each other.
    assert_eq!(
        html.matches(&format!("id=\"comment-{comment}\"")).count(),
        1
    );
    assert_eq!(html.matches(&format!("id=\"pick-{comment}\"")).count(), 1);
    assert!(html.contains(&format!("href=\"#comment-{comment}\"")));
    assert!(
        html.contains(&format!("href=\"#pick-{comment}\"")),
        "the thread copy is marked"
    );
    assert!(
        html.contains("action=\"/interact\""),
        "replying is a plain form"
    );
    let by_url: String =
        url::form_urlencoded::byte_serialize(article["url"].as_str().unwrap().as_bytes()).collect();
    assert!(
        html.contains(&format!(
            "<link rel=\"alternate\" type=\"application/activity+json\" href=\"{}\">",
            app.url(&format!("/articles/by-url?url={by_url}"))
        )),
        "the ActivityPub twin is linked by the page's URL"
    );

    // The iframe variant may be framed by the site only.
    let framed = app
        .client
        .get(app.url("/threads"))
        .query(&[("url", article["url"].as_str().unwrap()), ("embed", "1")])
        .send()
        .await
        .unwrap();
    assert!(framed.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains(&format!("frame-ancestors {SITE_ORIGIN}")));

    // Reporting without JavaScript: a form post, back to the page.
    let reported = app
        .client
        .post(app.url("/threads/report"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("comment={comment}&reason=abusive"))
        .send()
        .await
        .unwrap();
    assert_eq!(reported.status(), 303);
    assert!(reported.headers()["location"]
        .to_str()
        .unwrap()
        .contains("reported=1"));
    let missing = app
        .client
        .get(app.url("/threads"))
        .query(&[("url", "https://news.example/none")])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_embed_script_is_small_cached_and_public_apis_answer_the_sites_origin_only() {
    let app = spawn_app().await;
    let script = app.client.get(app.url("/embed.js")).send().await.unwrap();
    assert_eq!(script.status(), 200);
    assert!(script.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/javascript"));
    let etag = script.headers()["etag"].to_str().unwrap().to_string();
    let body = script.bytes().await.unwrap();
    // The budget: under 30 KB gzipped (measured with the system's gzip).
    let mut gzip = std::process::Command::new("gzip")
        .arg("-9c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    gzip.stdin.take().unwrap().write_all(&body).unwrap();
    let gzipped = gzip.wait_with_output().unwrap().stdout.len();
    assert!(gzipped < 30 * 1024, "{gzipped} bytes gzipped");
    let again = app
        .client
        .get(app.url("/embed.js"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let article = app.add_article("/2026/cors", "Cors").await;
    let thread_url = app.url(&format!(
        "/api/v1/threads?url={}",
        article["url"].as_str().unwrap()
    ));
    let ours = app
        .client
        .get(&thread_url)
        .header("origin", SITE_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(ours.headers()["access-control-allow-origin"], SITE_ORIGIN);
    let tag = ours.headers()["etag"].to_str().unwrap().to_string();
    let theirs = app
        .client
        .get(&thread_url)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(theirs
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let unchanged = app
        .client
        .get(&thread_url)
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304, "an unchanged thread revalidates");
}

#[tokio::test]
async fn the_thread_page_folds_long_comments_dates_them_in_words_and_speaks_english_for_english_sites(
) {
    let app = spawn_settings(
        settings_with(|s| {
            s.sites[0].language = Some("en".into());
        })
        .await,
    )
    .await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/long", "Long").await;
    let ana = fake.actor("ana", 0);
    let mut create = mastodon_create(&ana, 1, article["ap_id"].as_str().unwrap());
    let long = format!(
        "<p>{}</p><p>{}https://example.com/{}</p>",
        "Un long paragraphe qui dit beaucoup de choses. ".repeat(20),
        "Et la fin. ",
        "a".repeat(300)
    );
    create["object"]["content"] = json!(long);
    create["object"]["published"] = json!("2026-12-01T19:58:00Z");
    create["object"].as_object_mut().unwrap().remove("summary");
    create["object"]
        .as_object_mut()
        .unwrap()
        .remove("contentMap");
    ana.send(&app, &create).await;
    app.drain().await;

    let html = app
        .client
        .get(app.url("/threads"))
        .query(&[("url", article["url"].as_str().unwrap())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("1 comment"));
    assert!(html.contains("All comments"));
    assert!(html.contains("<details class=\"long\">"), "folded");
    assert!(html.contains("Read more"));
    assert!(
        html.contains("Dec 1") && html.contains("at 7:58 PM</time>"),
        "dates in words"
    );
    assert!(!html.contains("01/12/2026"), "no numeric dates");
    for reason in tribune::services::moderators::Reason::ALL {
        assert!(
            html.contains(&format!("<option value=\"{}\">", reason.as_str())),
            "{reason:?}"
        );
    }
    assert!(
        html.contains(">Harassment<"),
        "reasons in the page's language"
    );
}
