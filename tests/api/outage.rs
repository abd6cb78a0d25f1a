//! A follower's server goes down (503, then nothing at all) and comes back: every
//! activity reaches it once it is back, the queue shows the retries, and while it is
//! unreachable it is not hammered.

use crate::helpers::*;
use axum::{body::Bytes, extract::State, http::StatusCode, routing::post, Router};
use serde_json::{json, Value};
use std::sync::{
    atomic::{AtomicU16, Ordering},
    Arc, Mutex,
};

/// An inbox that answers `status`, and keeps what it accepted.
#[derive(Default)]
struct Inbox {
    status: AtomicU16,
    received: Mutex<Vec<Value>>,
}

async fn serve_inbox(inbox: Arc<Inbox>, port: u16) -> tokio::task::JoinHandle<()> {
    let app = Router::new()
        .route(
            "/inbox",
            post(|State(inbox): State<Arc<Inbox>>, body: Bytes| async move {
                let status = inbox.status.load(Ordering::SeqCst);
                if status == 202 {
                    inbox
                        .received
                        .lock()
                        .unwrap()
                        .push(serde_json::from_slice(&body).unwrap());
                }
                StatusCode::from_u16(status).unwrap()
            }),
        )
        .with_state(inbox);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    })
}

#[tokio::test]
async fn a_follower_down_for_a_while_receives_everything_once_back() {
    let mut settings = test_settings(&Options::default()).await;
    settings.workers.delivery_first_retry_ms = 20;
    settings.workers.unreachable_after = 3;
    settings.workers.unreachable_probe_secs = 1;
    let app = spawn_settings(settings).await;

    // The follower's inbox answers 503 at first.
    let inbox = Arc::new(Inbox::default());
    inbox.status.store(503, Ordering::SeqCst);
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let server = serve_inbox(inbox.clone(), port).await;
    let fake = FakeServer::start().await;
    let felix = fake.actor("felix", 0);
    let mut doc: Value = reqwest::get(&felix.id).await.unwrap().json().await.unwrap();
    let inbox_url = format!("http://127.0.0.1:{port}/inbox");
    doc["inbox"] = json!(inbox_url);
    doc["endpoints"]["sharedInbox"] = json!(inbox_url);
    fake.put("/users/felix", doc);
    let follow = json!({"id": format!("{}#follows/1", felix.id), "type": "Follow",
                        "actor": felix.id, "object": app.url("/sites/demo")});
    assert_eq!(felix.send(&app, &follow).await, 202);
    app.drain().await;
    for n in 0..3 {
        app.add_article(&format!("/2026/outage-{n}"), "Outage")
            .await;
    }
    // Accept + 3 Creates, all refused with 503: the host becomes unreachable.
    app.deliver().await;
    let pending = app
        .admin_get("/api/v1/admin/deliveries?status=pending")
        .await;
    assert_eq!(pending.as_array().unwrap().len(), 4);
    // Each refused with 503 (or already held: the host is unreachable after three).
    assert!(
        pending.as_array().unwrap().iter().all(|d| {
            let error = d["last_error"].as_str().unwrap();
            error.contains("503") || error.contains("unreachable")
        }),
        "{pending}"
    );

    // Then nothing at all: the server is gone. Deliveries wait; one probe a second
    // finds the door closed.
    server.abort();
    let _ = server.await;
    eventually("a probe to find nothing listening", || async {
        app.deliver().await;
        let pending = app
            .admin_get("/api/v1/admin/deliveries?status=pending")
            .await;
        let errors: Vec<String> = pending
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["last_error"].as_str().unwrap_or("").to_string())
            .collect();
        (errors.iter().any(|e| e.contains("network"))
            && errors.iter().any(|e| e.contains("unreachable")))
        .then_some(())
    })
    .await;

    // Back, answering 202; it speaks to us (a like), so its deliveries resume now.
    inbox.status.store(202, Ordering::SeqCst);
    let _server = serve_inbox(inbox.clone(), port).await;
    let article = app.add_article("/2026/outage-0", "Outage").await;
    let like = json!({"id": format!("{}#likes/1", felix.id), "type": "Like",
                      "actor": felix.id, "object": article["ap_id"]});
    assert_eq!(felix.send(&app, &like).await, 202);
    app.deliver().await;
    let received = inbox.received.lock().unwrap().clone();
    let mut ids: Vec<&str> = received.iter().map(|a| a["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(received.len(), 4, "each activity once: {ids:?}");
    assert_eq!(ids.len(), 4);
    assert_eq!(received.iter().filter(|a| a["type"] == "Create").count(), 3);
    let delivered = app
        .admin_get("/api/v1/admin/deliveries?status=delivered")
        .await;
    assert!(delivered
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["attempts"].as_i64().unwrap() >= 2));
}
