//! Several `tribune serve` processes on one database (PostgreSQL in CI, a SQLite file
//! otherwise): they share the inbox and delivery queues, split the work, and deliver
//! nothing twice.

use crate::helpers::*;
use serde_json::json;
use std::collections::HashMap;

#[tokio::test]
async fn two_servers_on_one_database_split_the_deliveries_and_send_each_once() {
    let options = Options {
        workers: true,
        ..Options::default()
    };
    let settings = test_settings(&options).await;
    let a = spawn_settings(settings.clone()).await;
    // Same database, same public URL (one instance behind a load balancer).
    let mut second = settings;
    second.server.public_url = url::Url::parse(&a.address).unwrap();
    let b = spawn_settings(second).await;

    const FOLLOWERS: usize = 120;
    let fake = FakeServer::start().await;
    for n in 0..FOLLOWERS {
        // Each follower with its own inbox (no shared inbox): one delivery each.
        let actor = fake.actor_without_shared_inbox(&format!("f{n}"), n % 3);
        let follow = json!({"id": format!("{}#follows/1", actor.id), "type": "Follow",
                            "actor": actor.id, "object": a.url("/sites/demo")});
        // Alternate the servers the follows arrive at.
        let target = if n % 2 == 0 { &a } else { &b };
        let body = serde_json::to_vec(&follow).unwrap();
        let sent = through_balancer(
            &a.client,
            &actor,
            &a.url("/inbox"),
            &target.url("/inbox"),
            &body,
        )
        .await;
        assert_eq!(sent, 202);
    }
    eventually("every follow accepted", || async {
        let accepts = fake
            .received()
            .iter()
            .filter(|r| r.body["type"] == "Accept")
            .count();
        (accepts == FOLLOWERS).then_some(())
    })
    .await;
    a.add_article("/2026/scale-out", "Scale-out").await;
    eventually("the article at every follower", || async {
        let creates = fake
            .received()
            .iter()
            .filter(|r| r.body["type"] == "Create")
            .count();
        (creates >= FOLLOWERS).then_some(())
    })
    .await;

    let mut per_inbox: HashMap<(String, String), usize> = HashMap::new();
    for r in fake.received() {
        let kind = r.body["type"].as_str().unwrap_or("").to_string();
        *per_inbox.entry((r.path.clone(), kind)).or_default() += 1;
    }
    let twice: Vec<_> = per_inbox.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered twice: {twice:?}");
    assert_eq!(
        per_inbox.len(),
        2 * FOLLOWERS,
        "an Accept and a Create each"
    );

    // Both servers did part of the work.
    let delivered = |app: &TestApp| {
        let text = app.state.metrics.render();
        text.lines()
            .find(|l| l.starts_with("tribune_deliveries_total{outcome=\"delivered\"}"))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // The inbox may answer before the sender counts its delivery: wait for the count.
    let (by_a, by_b) = eventually("every delivery counted", || async {
        let (by_a, by_b) = (delivered(&a), delivered(&b));
        (by_a + by_b == (2 * FOLLOWERS) as f64).then_some((by_a, by_b))
    })
    .await;
    assert!(by_a > 0.0 && by_b > 0.0, "a: {by_a}, b: {by_b}");
}

fn delivered_in(metrics: &str) -> f64 {
    metrics
        .lines()
        .find(|l| l.starts_with("tribune_deliveries_total{outcome=\"delivered\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn two_tribune_processes_on_one_database_share_the_queues() {
    // No server in this process: the client's TLS provider is ours to install.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let database = fresh_database_url().await;
    let (port_a, port_b) = (free_port(), free_port());
    let public = format!("http://127.0.0.1:{port_a}");
    let client = reqwest::Client::new();
    let token = ("TRIBUNE_SERVER__METRICS_TOKEN", METRICS_TOKEN);
    let mut a = start_binary(port_a, &database, &[token]);
    wait_ready(&client, &public).await;
    // The second process answers as the same instance (behind one load balancer).
    let mut b = start_binary(
        port_b,
        &database,
        &[("TRIBUNE_SERVER__PUBLIC_URL", public.as_str()), token],
    );
    let base_b = format!("http://127.0.0.1:{port_b}");
    wait_ready(&client, &base_b).await;

    const FOLLOWERS: usize = 60;
    let fake = FakeServer::start().await;
    for n in 0..FOLLOWERS {
        let actor = fake.actor_without_shared_inbox(&format!("p{n}"), n % 3);
        let follow = json!({"id": format!("{}#follows/1", actor.id), "type": "Follow",
                            "actor": actor.id, "object": format!("{public}/sites/demo")});
        let body = serde_json::to_vec(&follow).unwrap();
        let inbox = if n % 2 == 0 { &public } else { &base_b };
        let sent = through_balancer(
            &client,
            &actor,
            &format!("{public}/inbox"),
            &format!("{inbox}/inbox"),
            &body,
        )
        .await;
        assert_eq!(sent, 202);
    }
    let count = |kind: &'static str| {
        let fake = &fake;
        move || async move {
            let n = fake
                .received()
                .iter()
                .filter(|r| r.body["type"] == kind)
                .count();
            (n >= FOLLOWERS).then_some(())
        }
    };
    eventually("every follow accepted", count("Accept")).await;
    let created = client
        .post(format!("{base_b}/api/v1/articles"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"site": "demo", "url": "http://127.0.0.1:8000/scale/1", "title": "Scale"}))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success());
    eventually("the article at every follower", count("Create")).await;

    let mut per_inbox: HashMap<(String, String), usize> = HashMap::new();
    for r in fake.received() {
        let kind = r.body["type"].as_str().unwrap_or("").to_string();
        *per_inbox.entry((r.path.clone(), kind)).or_default() += 1;
    }
    assert!(per_inbox.values().all(|n| *n == 1), "delivered twice");
    assert_eq!(per_inbox.len(), 2 * FOLLOWERS);
    let scrape = |base: String| {
        let client = client.clone();
        async move {
            client
                .get(format!("{base}/metrics"))
                .bearer_auth(METRICS_TOKEN)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let (by_a, by_b) = (
        delivered_in(&scrape(public.clone()).await),
        delivered_in(&scrape(base_b.clone()).await),
    );
    assert_eq!(by_a + by_b, (2 * FOLLOWERS) as f64);
    assert!(by_a > 0.0 && by_b > 0.0, "a: {by_a}, b: {by_b}");
    for server in [&mut a, &mut b] {
        server.kill().unwrap();
        server.wait().unwrap();
    }
}

#[tokio::test]
async fn a_cached_thread_shows_a_change_made_through_another_server_shortly_and_ones_own_at_once() {
    let settings = test_settings(&Options::default()).await;
    let a = spawn_settings(settings.clone()).await;
    let mut second = settings;
    second.server.public_url = url::Url::parse(&a.address).unwrap();
    let b = spawn_settings(second).await;
    let fake = FakeServer::start().await;
    let article = a.add_article("/2026/cached", "Cached").await;
    let url = article["url"].as_str().unwrap();
    let reader = fake.actor("cached", 0);
    let reply = mastodon_create(&reader, 1, article["ap_id"].as_str().unwrap());
    reader.send(&a, &reply).await;
    a.drain().await;
    // Both servers render the thread and keep it.
    assert_eq!(a.thread(url).await["total"], 1);
    assert_eq!(b.thread(url).await["total"], 1);
    let id = a.thread(url).await["comments"][0]["id"].as_i64().unwrap();

    let (status, _) = a
        .admin_post(
            &format!("/api/v1/admin/comments/{id}/hide"),
            json!({"reason": "off_topic"}),
        )
        .await;
    assert!((200..300).contains(&status));
    // The server that made the change shows it on the next read...
    assert_eq!(a.thread(url).await["total"], 0);
    // ...the other once its content-version check comes round (100 ms).
    eventually("the other server's cached thread updated", || async {
        (b.thread(url).await["total"] == 0).then_some(())
    })
    .await;
}

/// A POST signed for the instance's public URL (its `Host`) and handed to one of its
/// processes, as a load balancer in front of them does.
async fn through_balancer(
    client: &reqwest::Client,
    actor: &TestActor,
    public_inbox: &str,
    process_inbox: &str,
    body: &[u8],
) -> u16 {
    let mut request = actor
        .signed_post(client, public_inbox, body, &Spoil::default())
        .build()
        .unwrap();
    *request.url_mut() = url::Url::parse(process_inbox).unwrap();
    client.execute(request).await.unwrap().status().as_u16()
}
