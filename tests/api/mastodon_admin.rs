//! Mastodon's admin API for domain blocks, as tools written for Mastodon (FediBlockHole)
//! call it: Mastodon's JSON, form and JSON bodies, pages by `Link` headers, 422 for a
//! block in the way, Mastodon's refusals; the blocks taking effect as the console's do;
//! the measures, the CSV export, and JSON errors for any `/api/` path.

use crate::helpers::*;
use reqwest::header::{HeaderMap, CONTENT_TYPE, LINK};
use serde_json::{json, Value};

const BLOCKS: &str = "/api/v1/admin/domain_blocks";

async fn form(app: &TestApp, token: &str, path: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(pairs).unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: Option<&str>,
    path: &str,
    body: Option<Value>,
) -> (u16, HeaderMap, Value) {
    let mut request = app.client.request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text:?}"));
    (status, headers, body)
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (u16, HeaderMap, Value) {
    send(app, reqwest::Method::GET, token, path, None).await
}

/// A staff member of `role` and their token.
async fn member(app: &TestApp, name: &str, role: &str) -> String {
    let (status, _) = app
        .admin_post(
            "/api/v1/admin/staff",
            json!({"username": name, "password": "correct horse battery", "role": role}),
        )
        .await;
    assert_eq!(status, 201);
    let answer: Value = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": name, "password": "correct horse battery"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["token"].as_str().unwrap().to_string()
}

/// The `(url, rel)` pairs of a `Link` header, in order.
fn links(headers: &HeaderMap) -> Vec<(String, String)> {
    let Some(value) = headers.get(LINK) else {
        return Vec::new();
    };
    value
        .to_str()
        .unwrap()
        .split(", ")
        .map(|part| {
            let (url, rel) = part.split_once("; ").unwrap();
            (
                url.trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string(),
                rel.trim_start_matches("rel=\"")
                    .trim_end_matches('"')
                    .to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn blocks_are_created_read_changed_and_lifted_in_mastodons_json_from_forms_and_json() {
    let app = spawn_app().await;
    // A form, as Mastodon's clients post.
    let (status, made) = form(
        &app,
        ADMIN_TOKEN,
        BLOCKS,
        &[
            ("domain", "Spam.Example"),
            ("severity", "suspend"),
            ("reject_media", "1"),
            ("reject_reports", "false"),
            ("public_comment", "Spam, lots"),
            ("private_comment", "seen in #42"),
            ("obfuscate", "true"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{made}");
    let id = made["id"].as_str().expect("the id is a string").to_string();
    assert_eq!(made["domain"], "spam.example");
    assert_eq!(made["digest"], tribune::blocklists::digest("spam.example"));
    assert_eq!(made["severity"], "suspend");
    assert_eq!(made["reject_media"], true);
    assert_eq!(made["reject_reports"], false);
    assert_eq!(made["public_comment"], "Spam, lots");
    assert_eq!(made["private_comment"], "seen in #42");
    assert_eq!(made["obfuscate"], true);
    let created_at = made["created_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(created_at).is_ok() && created_at.ends_with('Z'),
        "{created_at}"
    );

    // JSON, as FediBlockHole posts; Mastodon's defaults for what is not given.
    let (status, _, quiet) = send(
        &app,
        reqwest::Method::POST,
        Some(ADMIN_TOKEN),
        BLOCKS,
        Some(json!({"domain": "quiet.example"})),
    )
    .await;
    assert_eq!(status, 200, "{quiet}");
    assert_eq!(quiet["severity"], "silence");
    assert_eq!(quiet["reject_media"], false);
    assert!(quiet["public_comment"].is_null());

    let (status, _, one) = get(&app, Some(ADMIN_TOKEN), &format!("{BLOCKS}/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(one, made);
    let (_, _, all) = get(&app, Some(ADMIN_TOKEN), BLOCKS).await;
    assert_eq!(all, json!([quiet, made]), "newest first");

    // A partial update keeps what it does not name, the id and the domain too.
    let (status, _, changed) = send(
        &app,
        reqwest::Method::PUT,
        Some(ADMIN_TOKEN),
        &format!("{BLOCKS}/{id}"),
        Some(json!({"domain": "other.example", "severity": "silence", "public_comment": null})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["id"], made["id"]);
    assert_eq!(changed["domain"], "spam.example");
    assert_eq!(changed["severity"], "silence");
    assert_eq!(changed["reject_media"], true);
    assert!(changed["public_comment"].is_null());
    assert_eq!(changed["private_comment"], "seen in #42");
    assert_eq!(changed["created_at"], made["created_at"]);
    let put_form = app
        .client
        .put(app.url(&format!("{BLOCKS}/{id}")))
        .bearer_auth(ADMIN_TOKEN)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("reject_media=0&severity=noop")
        .send()
        .await
        .unwrap();
    assert_eq!(put_form.status(), 200);
    let changed: Value = put_form.json().await.unwrap();
    assert_eq!(changed["reject_media"], false);
    assert_eq!(changed["severity"], "noop");
    assert_eq!(changed["private_comment"], "seen in #42");

    let (status, _, bad) = send(
        &app,
        reqwest::Method::PUT,
        Some(ADMIN_TOKEN),
        &format!("{BLOCKS}/{id}"),
        Some(json!({"severity": "obliterate"})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(bad["error"].as_str().unwrap().contains("severity"), "{bad}");

    let (status, _, gone) = send(
        &app,
        reqwest::Method::DELETE,
        Some(ADMIN_TOKEN),
        &format!("{BLOCKS}/{id}"),
        None,
    )
    .await;
    assert_eq!((status, gone), (200, json!({})));
    for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
        let (status, _, missing) = send(
            &app,
            method,
            Some(ADMIN_TOKEN),
            &format!("{BLOCKS}/{id}"),
            None,
        )
        .await;
        assert_eq!(
            (status, missing),
            (404, json!({"error": "Record not found"}))
        );
    }
    let (status, _, missing) = send(
        &app,
        reqwest::Method::PUT,
        Some(ADMIN_TOKEN),
        &format!("{BLOCKS}/{id}"),
        Some(json!({"severity": "suspend"})),
    )
    .await;
    assert_eq!(
        (status, missing),
        (404, json!({"error": "Record not found"}))
    );
    let (status, _, _) = get(&app, Some(ADMIN_TOKEN), &format!("{BLOCKS}/not-an-id")).await;
    assert_eq!(status, 404);

    // The audit log says who did what, as for the console's changes.
    let audit = app.admin_get("/api/v1/admin/audit").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target_id"] == "spam.example")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "domain.remove",
            "domain.policy",
            "domain.policy",
            "domain.policy"
        ]
    );
}

#[tokio::test]
async fn a_block_in_the_way_is_a_422_naming_it_as_mastodon_does() {
    let app = spawn_app().await;
    let (status, first) = form(
        &app,
        ADMIN_TOKEN,
        BLOCKS,
        &[("domain", "bad.example"), ("severity", "silence")],
    )
    .await;
    assert_eq!(status, 200);
    let (status, again) = form(
        &app,
        ADMIN_TOKEN,
        BLOCKS,
        &[("domain", "bad.example"), ("severity", "suspend")],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        again["error"],
        "You have already imposed stricter limits on bad.example."
    );
    assert_eq!(again["existing_domain_block"], first);
    // A subdomain under a block at least as strict is refused; a stricter one is not.
    let (status, under) = form(
        &app,
        ADMIN_TOKEN,
        BLOCKS,
        &[("domain", "sub.bad.example"), ("severity", "noop")],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(under["existing_domain_block"]["domain"], "bad.example");
    let (status, stricter) = form(
        &app,
        ADMIN_TOKEN,
        BLOCKS,
        &[("domain", "sub.bad.example"), ("severity", "suspend")],
    )
    .await;
    assert_eq!(status, 200, "{stricter}");

    let (status, blank) = form(&app, ADMIN_TOKEN, BLOCKS, &[("severity", "suspend")]).await;
    assert_eq!(
        (status, blank),
        (
            422,
            json!({"error": "Validation failed: Domain can't be blank"})
        )
    );
    let (status, invalid) = form(&app, ADMIN_TOKEN, BLOCKS, &[("domain", "not a domain")]).await;
    assert_eq!(status, 422);
    assert!(invalid["error"].is_string());
    let long = "x".repeat(6_000);
    let (status, _) = form(
        &app,
        ADMIN_TOKEN,
        BLOCKS,
        &[("domain", "long.example"), ("public_comment", &long)],
    )
    .await;
    assert_eq!(status, 422);
    let not_json = app
        .client
        .post(app.url(BLOCKS))
        .bearer_auth(ADMIN_TOKEN)
        .header(CONTENT_TYPE, "application/json")
        .body("{domain")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 400);
    assert!(not_json.json::<Value>().await.unwrap()["error"].is_string());
    let (_, _, all) = get(&app, Some(ADMIN_TOKEN), BLOCKS).await;
    assert_eq!(all.as_array().unwrap().len(), 2, "nothing else was created");
}

#[tokio::test]
async fn pages_are_walked_by_their_link_headers_both_ways() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let (status, made) = form(
            &app,
            ADMIN_TOKEN,
            BLOCKS,
            &[
                ("domain", &format!("d{n}.example")),
                ("severity", "suspend"),
            ],
        )
        .await;
        assert_eq!(status, 200);
        ids.push(made["id"].as_str().unwrap().to_string());
    }
    ids.reverse(); // newest first, as pages come

    // Forwards by `rel="next"`, which comes first (FediBlockHole takes the first link).
    let mut seen = Vec::new();
    let mut url = app.url(&format!("{BLOCKS}?limit=2"));
    let mut pages = Vec::new();
    loop {
        let response = app
            .client
            .get(&url)
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let found = links(response.headers());
        let page: Vec<Value> = response.json().await.unwrap();
        seen.extend(page.iter().map(|b| b["id"].as_str().unwrap().to_string()));
        pages.push((page.len(), found.clone()));
        match found.first() {
            Some((next, rel)) if rel == "next" => {
                assert!(next.starts_with(&app.url(BLOCKS)), "{next}");
                assert!(next.contains("limit=2"), "{next}");
                url = next.clone();
            }
            _ => break,
        }
        assert!(pages.len() < 10, "the pages do not end");
    }
    assert_eq!(seen, ids);
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].1.len(), 2, "a full page links next and prev");
    assert_eq!(pages[2].0, 1);
    assert_eq!(pages[2].1.len(), 1, "the last page links prev only");
    assert_eq!(pages[2].1[0].1, "prev");

    // Backwards from the second page: its `prev` is the first page.
    let second = app.url(&format!("{BLOCKS}?limit=2&max_id={}", ids[1]));
    let response = app
        .client
        .get(&second)
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    let prev = links(response.headers())
        .into_iter()
        .find(|(_, rel)| rel == "prev")
        .unwrap()
        .0;
    let (_, _, first) = get(
        &app,
        Some(ADMIN_TOKEN),
        prev.trim_start_matches(&app.url("")),
    )
    .await;
    let first: Vec<&str> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(first, [ids[0].as_str(), ids[1].as_str()]);

    // since_id: newer than an id, the newest first.
    let (_, _, newer) = get(
        &app,
        Some(ADMIN_TOKEN),
        &format!("{BLOCKS}?since_id={}", ids[2]),
    )
    .await;
    assert_eq!(newer.as_array().unwrap().len(), 2);
    assert_eq!(newer[0]["id"], ids[0]);
    // The default page holds them all, linking prev only; an id that is not one is a 422.
    let (_, headers, all) = get(&app, Some(ADMIN_TOKEN), BLOCKS).await;
    assert_eq!(all.as_array().unwrap().len(), 5);
    assert_eq!(links(&headers).len(), 1);
    let (status, _, _) = get(&app, Some(ADMIN_TOKEN), &format!("{BLOCKS}?max_id=abc")).await;
    assert_eq!(status, 422);
    let (status, _, capped) = get(&app, Some(ADMIN_TOKEN), &format!("{BLOCKS}?limit=100000")).await;
    assert_eq!((status, capped.as_array().unwrap().len()), (200, 5));
}

#[tokio::test]
async fn tokens_and_roles_are_refused_in_mastodons_words() {
    let app = spawn_app().await;
    let invalid = json!({"error": "The access token is invalid"});
    for token in [None, Some("nope")] {
        let (status, headers, body) = get(&app, token, BLOCKS).await;
        assert_eq!((status, &body), (401, &invalid));
        assert!(headers.get("www-authenticate").is_some());
        let (status, _, body) = send(
            &app,
            reqwest::Method::POST,
            token,
            BLOCKS,
            Some(json!({"domain": "x.example"})),
        )
        .await;
        assert_eq!((status, &body), (401, &invalid));
    }
    let moderator = member(&app, "momo", "moderator").await;
    let editor = member(&app, "edith", "editor").await;
    let not_allowed = json!({"error": "This action is not allowed"});
    // Moderators read; only admins write.
    let (status, _, _) = get(&app, Some(&moderator), BLOCKS).await;
    assert_eq!(status, 200);
    let (status, body) = form(&app, &moderator, BLOCKS, &[("domain", "x.example")]).await;
    assert_eq!((status, &body), (403, &not_allowed));
    let (status, body) = form(&app, &moderator, BLOCKS, &[("nonsense", "{")]).await;
    assert_eq!((status, &body), (403, &not_allowed), "who asks comes first");
    let (status, _, body) = get(&app, Some(&editor), BLOCKS).await;
    assert_eq!((status, &body), (403, &not_allowed));
    let (status, _, body) = send(
        &app,
        reqwest::Method::POST,
        Some(&editor),
        "/api/v1/admin/measures",
        Some(json!({"keys": ["instance_follows"]})),
    )
    .await;
    assert_eq!((status, &body), (403, &not_allowed));
    let (status, made) = form(&app, ADMIN_TOKEN, BLOCKS, &[("domain", "x.example")]).await;
    assert_eq!(status, 200);
    let one = format!("{BLOCKS}/{}", made["id"].as_str().unwrap());
    for method in [reqwest::Method::PUT, reqwest::Method::DELETE] {
        let (status, _, body) = send(
            &app,
            method,
            Some(&moderator),
            &one,
            Some(json!({"severity": "noop"})),
        )
        .await;
        assert_eq!((status, &body), (403, &not_allowed));
    }
    let (status, _, _) = get(&app, Some(&moderator), &one).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn every_error_under_api_is_json_with_a_message() {
    let app = spawn_app().await;
    let (status, _, body) = get(&app, None, "/api/v1/nothing/here").await;
    assert_eq!(status, 404);
    assert!(body["error"].is_string(), "{body}");
    let (status, _, body) = get(&app, Some(ADMIN_TOKEN), "/api/v1/admin/nothing").await;
    assert_eq!(status, 404);
    assert!(body["error"].is_string(), "{body}");
    let (status, headers, body) = send(
        &app,
        reqwest::Method::PATCH,
        Some(ADMIN_TOKEN),
        BLOCKS,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 405);
    assert!(body["error"].is_string(), "{body}");
    assert!(headers.get("allow").is_some());
    assert_eq!(headers.get(CONTENT_TYPE).unwrap(), "application/json");
    // A path segment that does not parse, under another area.
    let (status, _, body) = send(
        &app,
        reqwest::Method::DELETE,
        Some(ADMIN_TOKEN),
        "/api/v1/admin/rules/not-a-number",
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"].is_string(), "{body}");
    // Pages outside /api/ keep their own answers.
    let page = app
        .client
        .get(app.url("/nothing/here"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert_ne!(
        page.headers()
            .get(CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string()),
        Some("application/json".to_string())
    );
}

#[tokio::test]
async fn a_block_made_here_refuses_the_domain_is_published_and_audited_with_its_member() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app
        .add_article("/2026/mastodon-admin", "Blocked here")
        .await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let total = || async { app.thread(article["url"].as_str().unwrap()).await["total"].clone() };
    // A comment from the fake server (on 127.0.0.1) before any block.
    let felix = fake.actor("felix", 0);
    assert_eq!(
        felix.send(&app, &mastodon_create(&felix, 1, ap_id)).await,
        202
    );
    app.drain().await;
    assert_eq!(total().await, 1);

    let alice = member(&app, "alice", "admin").await;
    let (status, _) = form(
        &app,
        &alice,
        BLOCKS,
        &[
            ("domain", "bad.example"),
            ("severity", "suspend"),
            ("public_comment", "Spam"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    // Refused before anything is fetched, subdomains too.
    let evil = fake
        .actor("evil", 1)
        .elsewhere("https://sub.bad.example/users/evil");
    assert_eq!(
        evil.send(&app, &mastodon_create(&evil, 2, ap_id)).await,
        403
    );

    // The fake server's own domain: its comment is hidden, the next one refused.
    let (status, made) = form(
        &app,
        &alice,
        BLOCKS,
        &[("domain", "127.0.0.1"), ("severity", "suspend")],
    )
    .await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(total().await, 0);
    assert_eq!(
        felix.send(&app, &mastodon_create(&felix, 3, ap_id)).await,
        403
    );

    let (status, public) = app.get_json("/api/v1/instance/domain_blocks").await;
    assert_eq!(status, 200);
    assert!(
        public
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["domain"] == "bad.example"
                && b["severity"] == "suspend"
                && b["comment"] == "Spam"),
        "{public}"
    );
    let audit = app.admin_get("/api/v1/admin/audit").await;
    assert!(
        audit.as_array().unwrap().iter().any(|e| e["who"] == "alice"
            && e["action"] == "domain.policy"
            && e["target_id"] == "bad.example"),
        "{audit}"
    );

    // Lifted here: the hidden comment is back, and the domain speaks again.
    let (status, _, _) = send(
        &app,
        reqwest::Method::DELETE,
        Some(&alice),
        &format!("{BLOCKS}/{}", made["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(total().await, 1);
    assert_eq!(
        felix.send(&app, &mastodon_create(&felix, 4, ap_id)).await,
        202
    );
    let (_, public) = app.get_json("/api/v1/instance/domain_blocks").await;
    assert!(!public.to_string().contains("127.0.0.1"), "{public}");
}

#[tokio::test]
async fn the_csv_export_is_mastodons() {
    let app = spawn_app().await;
    for pairs in [
        &[
            ("domain", "spam.example"),
            ("severity", "silence"),
            ("reject_media", "true"),
            ("public_comment", "Spam, lots"),
        ][..],
        &[
            ("domain", "bad.example"),
            ("severity", "suspend"),
            ("obfuscate", "true"),
        ][..],
    ] {
        let (status, _) = form(&app, ADMIN_TOKEN, BLOCKS, pairs).await;
        assert_eq!(status, 200);
    }
    let response = app
        .client
        .get(app.url("/api/v1/admin/blocklist/export"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate"
    );
    assert!(
        lines.contains(&"spam.example,silence,true,false,\"Spam, lots\",false"),
        "{csv}"
    );
    assert!(
        lines.contains(&"bad.example,suspend,false,false,,true"),
        "{csv}"
    );
    assert_eq!(lines.len(), 3);
    // It reads back as the list it is.
    let entries = tribune::blocklists::formats::parse(&csv).unwrap();
    assert_eq!(entries.len(), 2);

    let editor = member(&app, "edith", "editor").await;
    for (token, status) in [(None, 401), (Some(editor.as_str()), 403)] {
        let (got, _, body) = get(&app, token, "/api/v1/admin/blocklist/export").await;
        assert_eq!(got, status);
        assert!(body["error"].is_string());
    }
}

/// The measures FediBlockHole asks for: `instance_followers` counts the actors of a
/// domain following our sites, unknown keys are left out, known ones answer zeros.
#[tokio::test]
async fn measures_count_the_followers_of_a_domain_and_answer_every_known_key() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let follow = json!({"id": format!("{}#follows/1", felix.id), "type": "Follow", "actor": felix.id, "object": app.url("/sites/demo")});
    assert_eq!(felix.send(&app, &follow).await, 202);
    app.drain().await;

    let (status, _, measures) = send(
        &app,
        reqwest::Method::POST,
        Some(ADMIN_TOKEN),
        "/api/v1/admin/measures",
        Some(json!({
            "keys": ["instance_followers", "instance_follows", "no_such_key", "active_users"],
            "instance_followers": {"domain": "127.0.0.1"},
            "instance_follows": {"domain": "127.0.0.1"},
            "start_at": "2026-01-01", "end_at": "2026-01-07"
        })),
    )
    .await;
    assert_eq!(status, 200, "{measures}");
    let measures = measures.as_array().unwrap();
    let keys: Vec<&str> = measures
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["instance_followers", "instance_follows", "active_users"]
    );
    assert_eq!(measures[0]["total"], "1");
    assert!(measures[0]["unit"].is_null());
    assert_eq!(measures[1]["total"], "0");
    assert_eq!(measures[2]["previous_total"], "0");
    assert!(measures[0].get("previous_total").is_none());
    let data = measures[0]["data"].as_array().unwrap();
    assert_eq!(data.len(), 7);
    assert_eq!(
        data[0],
        json!({"date": "2026-01-01T00:00:00Z", "value": "0"})
    );

    // The last 30 days by default, and a form works too; today has the follow.
    let (status, measures) = form(
        &app,
        ADMIN_TOKEN,
        "/api/v1/admin/measures",
        &[
            ("keys[]", "instance_followers"),
            ("instance_followers[domain]", "127.0.0.1"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let data = measures[0]["data"].as_array().unwrap();
    assert_eq!(data.len(), 30);
    assert_eq!(data[29]["value"], "1");
    let (status, measures) = form(
        &app,
        ADMIN_TOKEN,
        "/api/v1/admin/measures",
        &[
            ("keys[]", "instance_followers"),
            ("instance_followers[domain]", "elsewhere.example"),
        ],
    )
    .await;
    assert_eq!((status, measures[0]["total"].clone()), (200, json!("0")));
    let (status, _, _) = send(
        &app,
        reqwest::Method::POST,
        Some(ADMIN_TOKEN),
        "/api/v1/admin/measures",
        Some(
            json!({"keys": ["instance_follows"], "start_at": "2020-01-01", "end_at": "2026-01-01"}),
        ),
    )
    .await;
    assert_eq!(status, 422, "a period of years is refused");
}

/// `instance_follows`: one Tribune following another's site, accepted, counts it.
#[tokio::test]
async fn measures_count_the_accounts_our_sites_follow_on_a_domain() {
    let a = spawn_app_with(Options {
        workers: true,
        ..Options::default()
    })
    .await;
    let b = spawn_app_with(Options {
        workers: true,
        ..Options::default()
    })
    .await;
    let (status, _) = a
        .admin_post(
            "/api/v1/admin/follows",
            json!({"site": "demo", "actor": b.url("/sites/demo")}),
        )
        .await;
    assert_eq!(status, 202);
    eventually("the follow to be accepted", || async {
        let list = a.admin_get("/api/v1/admin/follows?site=demo").await;
        (list[0]["state"] == "accepted").then_some(())
    })
    .await;
    let ask = json!({"keys": ["instance_follows"], "instance_follows": {"domain": "127.0.0.1"}});
    let (status, measures) = a.admin_post("/api/v1/admin/measures", ask.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(measures[0]["total"], "1");
    let (_, measures) = b.admin_post("/api/v1/admin/measures", ask).await;
    assert_eq!(measures[0]["total"], "0", "B follows nobody");
}
