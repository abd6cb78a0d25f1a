//! Production concerns as an operator meets them: metrics and readiness, rate limits
//! answered with 429 and `Retry-After`, and the SSRF guard with private networks
//! refused.

use crate::helpers::*;
use serde_json::json;

fn metric(text: &str, name_and_labels: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name_and_labels))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name_and_labels} in\n{text}"))
}

async fn metrics(app: &TestApp) -> String {
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    response.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_inbox_outcomes_processing_verdicts_and_queues() {
    // Queue gauges read afresh on each scrape, to see them move.
    let mut settings = test_settings(&Options::default()).await;
    settings.server.metrics_cache_secs = 0;
    let app = spawn_settings(settings).await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let article = app.add_article("/2026/metrics", "Metrics").await;
    let create = mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap());
    assert_eq!(felix.send(&app, &create).await, 202);
    let unsigned = app
        .client
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .body(create.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);

    let before = metrics(&app).await;
    assert_eq!(
        metric(
            &before,
            "tribune_inbox_requests_total{outcome=\"accepted\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &before,
            "tribune_inbox_requests_total{outcome=\"signature\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(&before, "tribune_queue_depth{queue=\"inbox\"}"),
        1.0,
        "not processed yet"
    );
    app.drain().await;
    let after = metrics(&app).await;
    assert_eq!(metric(&after, "tribune_queue_depth{queue=\"inbox\"}"), 0.0);
    assert_eq!(
        metric(
            &after,
            "tribune_inbox_processing_seconds_count{kind=\"Create\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &after,
            "tribune_moderation_verdicts_total{outcome=\"publish\"}"
        ),
        1.0
    );
    // The time spent matching that comment against the rules.
    assert_eq!(
        metric(&after, "tribune_moderation_rules_seconds_count"),
        1.0
    );
}

#[tokio::test]
async fn readiness_needs_the_database_and_running_workers() {
    let app = spawn_app_with(Options {
        workers: true,
        ..Options::default()
    })
    .await;
    let (status, body) = eventually("the workers to go round", || async {
        let (status, body) = app.get_json("/readyz").await;
        (status == 200).then_some((status, body))
    })
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"database": true, "workers": true, "writes": true})
    );
    let (live, _) = app.get_json("/healthz").await;
    assert_eq!(live, 200);
}

#[tokio::test]
async fn past_the_limits_readers_and_servers_get_429_with_retry_after() {
    let mut settings = test_settings(&Options::default()).await;
    settings.limits.public_per_minute = 60;
    settings.limits.public_burst = 3;
    settings.limits.inbox_per_domain_per_minute = 60;
    settings.limits.inbox_burst = 2;
    let app = spawn_settings(settings).await;
    let thread = "/api/v1/threads?url=https://news.example/none";
    for _ in 0..3 {
        assert_eq!(app.get_json(thread).await.0, 404);
    }
    let limited = app.client.get(app.url(thread)).send().await.unwrap();
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");

    // One remote domain, two actors: the third POST in a burst waits.
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/limits", "Limits").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let (a, b) = (fake.actor("a", 0), fake.actor("b", 1));
    assert_eq!(a.send(&app, &mastodon_create(&a, 1, ap_id)).await, 202);
    assert_eq!(b.send(&app, &mastodon_create(&b, 2, ap_id)).await, 202);
    assert_eq!(a.send(&app, &mastodon_create(&a, 3, ap_id)).await, 429);
    let text = metrics(&app).await;
    assert_eq!(
        metric(
            &text,
            "tribune_inbox_requests_total{outcome=\"rate_limited\"}"
        ),
        1.0
    );
}

/// A name of this machine that resolves to loopback (other than `localhost`).
fn loopback_name() -> String {
    let hosts = std::fs::read_to_string("/etc/hosts").unwrap();
    hosts
        .lines()
        .filter(|l| l.starts_with("127.") || l.starts_with("::1"))
        .flat_map(|l| l.split_whitespace().skip(1))
        .find(|name| *name != "localhost" && !name.starts_with('#'))
        .expect("a loopback name in /etc/hosts")
        .to_string()
}

#[tokio::test]
async fn with_private_networks_refused_no_request_reaches_them() {
    let mut settings = test_settings(&Options::default()).await;
    settings.federation.allow_private_networks = false;
    let app = spawn_settings(settings).await;
    let fetcher = &app.state.fetcher;
    for target in [
        "https://127.0.0.1/actor".to_string(),
        "https://169.254.169.254/latest/meta-data/".to_string(),
        "https://10.1.2.3/users/a".to_string(),
        "https://[::1]/actor".to_string(),
        "https://localhost/actor".to_string(),
        format!("https://{}/actor", loopback_name()),
        "http://example.com/actor".to_string(),
    ] {
        let url = url::Url::parse(&target).unwrap();
        let error = fetcher.fetch(&url).await.unwrap_err().to_string();
        // Refused by its address, or by the resolver's answer: never connected to.
        assert!(
            error.contains("refused address") || error.contains("resolves to internal IP"),
            "{target}: {error}"
        );
    }

    // An actor (and its key) on a loopback server: refused, and never fetched.
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let article = app.add_article("/2026/ssrf", "SSRF").await;
    let status = felix
        .send(
            &app,
            &mastodon_create(&felix, 1, article["ap_id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 401);
    assert!(fake.fetches().is_empty(), "nothing was fetched from it");
}

#[tokio::test]
async fn admins_see_deliveries_waiting_for_a_server_that_is_down() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    // Felix's server takes no deliveries: nothing listens where its inbox is.
    let (_, mut doc) = {
        let response = reqwest::get(&felix.id).await.unwrap();
        (
            response.status(),
            response.json::<serde_json::Value>().await.unwrap(),
        )
    };
    doc["inbox"] = json!("http://127.0.0.1:9/inbox");
    doc["endpoints"]["sharedInbox"] = json!("http://127.0.0.1:9/inbox");
    fake.put("/users/felix", doc);
    let follow = json!({"id": format!("{}#follows/1", felix.id), "type": "Follow",
                        "actor": felix.id, "object": app.url("/sites/demo")});
    assert_eq!(felix.send(&app, &follow).await, 202);
    app.drain().await;
    app.deliver().await;

    let waiting = app
        .admin_get("/api/v1/admin/deliveries?status=pending")
        .await;
    let accept = &waiting[0];
    assert_eq!(accept["inbox"], "http://127.0.0.1:9/inbox");
    assert_eq!(accept["attempts"], 1);
    assert!(accept["last_error"].as_str().unwrap().contains("network"));
    assert!(accept["activity"]
        .as_str()
        .unwrap()
        .contains("/activities/accept/"));
    assert_eq!(
        app.admin_get("/api/v1/admin/deliveries").await,
        json!([]),
        "no dead letters yet"
    );
    let done = app.admin_get("/api/v1/admin/inbox?status=done").await;
    assert_eq!(done[0]["kind"], "Follow");
    let anonymous = app.get_json("/api/v1/admin/deliveries").await.0;
    assert_eq!(anonymous, 401);
    let text = metrics(&app).await;
    assert_eq!(
        metric(&text, "tribune_deliveries_total{outcome=\"retry\"}"),
        1.0
    );
}

#[tokio::test]
async fn responses_carry_security_headers_and_hsts_over_https() {
    let mut settings = test_settings(&Options::default()).await;
    settings.server.public_url = url::Url::parse("https://comments.example").unwrap();
    let app = spawn_settings(settings).await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let plain = spawn_app().await;
    let response = plain
        .client
        .get(plain.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());
}
