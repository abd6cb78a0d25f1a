//! `kill -9` at any moment loses nothing acknowledged: the real binary is killed several
//! times while signed replies stream in and articles fan out to followers on slow
//! inboxes; after the last restart every acknowledged reply is in its thread once, and
//! every follower received every activity (at least once: a kill between sending and
//! recording is retried; receivers dedupe by activity id, as Tribune's inbox does).

use crate::helpers::*;
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    routing::post,
    Router,
};
use serde_json::{json, Value};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

/// Inboxes that take their time (so kills land mid-delivery) and note what came.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

async fn slow_inboxes() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route(
            "/inbox/{name}",
            post(
                |State(seen): State<Seen>, Path(name): Path<String>, body: Bytes| async move {
                    tokio::time::sleep(Duration::from_millis(150)).await;
                    let activity: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let id = activity["id"].as_str().unwrap_or("").to_string();
                    seen.lock().unwrap().push((name, id));
                    StatusCode::ACCEPTED
                },
            ),
        )
        .with_state(seen.clone());
    (serve_on_loopback(app).await, seen)
}

#[tokio::test]
async fn kill_9_mid_stream_loses_nothing_acknowledged() {
    const FOLLOWERS: usize = 8;
    const REPLIES: u32 = 80;
    let (port, database, base, client) = binary_setup().await;
    let mut server = start_binary(port, &database, &[]);
    wait_ready(&client, &base).await;

    let (inboxes, seen) = slow_inboxes().await;
    let fake = FakeServer::start().await;
    let mut actors = Vec::new();
    for n in 0..FOLLOWERS {
        let actor =
            fake.actor_with_inbox(&format!("f{n}"), n % 3, &format!("{inboxes}/inbox/f{n}"));
        let follow = json!({"id": format!("{}#follows/1", actor.id), "type": "Follow",
                            "actor": actor.id, "object": format!("{base}/sites/demo")});
        let body = serde_json::to_vec(&follow).unwrap();
        let sent = actor
            .signed_post(&client, &format!("{base}/inbox"), &body, &Spoil::default())
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 202);
        actors.push(actor);
    }
    eventually("every follow processed", || async {
        let followers: Value = client
            .get(format!("{base}/sites/demo/followers"))
            .header("accept", "application/activity+json")
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        (followers["totalItems"] == FOLLOWERS).then_some(())
    })
    .await;
    let register = |n: u32| {
        let client = client.clone();
        let base = base.clone();
        async move {
            let response = client
                .post(format!("{base}/api/v1/articles"))
                .bearer_auth(ADMIN_TOKEN)
                .json(
                    &json!({"site": "demo", "url": format!("http://127.0.0.1:8000/crash/{n}"),
                              "title": format!("Article {n}")}),
                )
                .send()
                .await
                .ok()?;
            response.status().is_success().then_some(())?;
            response.json::<Value>().await.ok()
        }
    };
    let first = register(0).await.unwrap();
    let article_ap_id = first["ap_id"].as_str().unwrap().to_string();
    let mut registered: HashSet<String> = HashSet::from([first["ap_id"].as_str().unwrap().into()]);

    // Replies stream in from another task while this one kills and restarts the server.
    let sent_count = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let sender = {
        let (client, base, actors, article, sent_count) = (
            client.clone(),
            base.clone(),
            actors.clone(),
            article_ap_id.clone(),
            sent_count.clone(),
        );
        tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for i in 1..=REPLIES {
                let actor = &actors[i as usize % FOLLOWERS];
                let reply = mastodon_create(actor, i, &article);
                let body = serde_json::to_vec(&reply).unwrap();
                let sent = actor
                    .signed_post(&client, &format!("{base}/inbox"), &body, &Spoil::default())
                    .send()
                    .await;
                if sent.is_ok_and(|r| r.status() == 202) {
                    acknowledged.push(reply["object"]["id"].as_str().unwrap().to_string());
                }
                sent_count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                // A steady stream rather than one burst, so kills land amid it.
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            acknowledged
        })
    };
    let mut kills = 0;
    for round in 1..=4u32 {
        if let Some(article) = register(round).await {
            registered.insert(article["ap_id"].as_str().unwrap().to_string());
        }
        // Kill once the stream has moved on by a dozen replies since the last restart.
        let mark = sent_count.load(std::sync::atomic::Ordering::SeqCst);
        eventually("more replies in the stream", || async {
            (sent_count.load(std::sync::atomic::Ordering::SeqCst) >= mark + 12).then_some(())
        })
        .await;
        // kill -9, mid-stream, with deliveries in flight; then start again.
        server.kill().unwrap();
        server.wait().unwrap();
        kills += 1;
        server = start_binary(port, &database, &[]);
        wait_ready(&client, &base).await;
    }
    let acknowledged = sender.await.unwrap();
    assert!(!acknowledged.is_empty());
    assert!(kills >= 4);

    // Everything acknowledged is stored and judged, once (whatever the verdict: the
    // same text again and again is held by the repetition rule).
    let ids: Vec<String> = eventually("every acknowledged reply stored", || async {
        let queue: Value = client
            .get(format!("{base}/api/v1/admin/queue?status=all"))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        let ids: Vec<String> = queue
            .as_array()?
            .iter()
            .filter_map(|c| c["ap_id"].as_str().map(str::to_string))
            .collect();
        acknowledged
            .iter()
            .all(|id| ids.contains(id))
            .then_some(ids)
    })
    .await;
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "no reply twice");
    // A reply committed just before a kill may be stored without its 202 having left:
    // stored ⊇ acknowledged, never more than was sent.
    assert!(ids.len() <= REPLIES as usize);
    for id in &acknowledged {
        assert!(unique.contains(id), "{id} was acknowledged and is missing");
    }

    // Every follower gets the Accept and every article's Create, at least once.
    let expected = FOLLOWERS * (1 + registered.len());
    let delivered = eventually("every delivery done", || async {
        let seen = seen.lock().unwrap().clone();
        let distinct: HashSet<(String, String)> = seen.iter().cloned().collect();
        (distinct.len() >= expected).then_some(seen)
    })
    .await;
    let mut per_delivery: HashMap<(String, String), usize> = HashMap::new();
    for d in &delivered {
        *per_delivery.entry(d.clone()).or_default() += 1;
    }
    assert_eq!(per_delivery.len(), expected);
    let repeated = per_delivery.values().filter(|n| **n > 1).count();
    // Only a kill between a receiver's 202 and our record of it resends: at most a
    // worker's batch (128 deliveries, recorded together) per kill.
    assert!(
        repeated <= kills * 128,
        "{repeated} deliveries repeated with {kills} kills"
    );
    eprintln!("crash test: {kills} kills, {} replies acknowledged, {expected} deliveries, {repeated} sent twice", acknowledged.len());
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let (port, database, base, client) = binary_setup().await;
    let mut server = start_binary(port, &database, &[]);
    wait_ready(&client, &base).await;
    let terminated = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let status = eventually("the server to exit", || {
        let exited = server.try_wait().unwrap();
        async move { exited }
    })
    .await;
    assert!(status.success(), "{status:?}");
    assert!(client.get(format!("{base}/healthz")).send().await.is_err());
}
