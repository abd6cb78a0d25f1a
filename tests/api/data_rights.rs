//! Access and erasure requests for one remote actor: the export holds what we keep
//! (comments with earlier versions, reactions); erasure leaves tombstones so replies by
//! others keep their place, and nothing else.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn an_actor_is_exported_then_erased_with_tombstones_keeping_the_thread() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (felix, nina) = (fake.actor("felix", 0), fake.actor("nina", 1));
    let article = app.add_article("/2026/rights", "Rights").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let create = mastodon_create(&felix, 1, ap_id);
    assert_eq!(felix.send(&app, &create).await, 202);
    app.drain().await;
    let mut note = create["object"].clone();
    note["content"] = json!("<p>Edited: my address is 12 rue des Lilas</p>");
    note.as_object_mut().unwrap().remove("contentMap");
    note["updated"] = json!("2026-11-02T11:00:00Z");
    let update = json!({"id": format!("{}/statuses/1#updates/1", felix.id), "type": "Update",
                        "actor": felix.id, "object": note});
    assert_eq!(felix.send(&app, &update).await, 202);
    let like = json!({"id": format!("{}#likes/1", felix.id), "type": "Like",
                      "actor": felix.id, "object": ap_id});
    assert_eq!(felix.send(&app, &like).await, 202);
    // Nina answers Felix: her reply must keep its place after the erasure.
    let felix_note = create["object"]["id"].as_str().unwrap();
    assert_eq!(
        nina.send(&app, &mastodon_create(&nina, 2, felix_note))
            .await,
        202
    );
    app.drain().await;

    let export = app
        .admin_get(&format!("/api/v1/admin/actors/export?actor={}", felix.id))
        .await;
    assert_eq!(export["actor"]["id"], felix.id);
    assert_eq!(export["actor"]["name"], "felix (test)");
    let comments = export["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1);
    assert!(comments[0]["content_html"]
        .as_str()
        .unwrap()
        .contains("rue des Lilas"));
    assert_eq!(comments[0]["earlier_versions"].as_array().unwrap().len(), 1);
    assert_eq!(export["reactions"][0]["type"], "like");

    let (status, erased) = app
        .admin_post("/api/v1/admin/actors/erase", json!({"actor": felix.id}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(erased["comments_erased"], 1);

    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let tombstone = &thread["comments"][0];
    assert!(!tombstone["deleted"].is_null(), "{thread}");
    assert!(!thread.to_string().contains("Lilas"));
    assert_eq!(
        tombstone["children"][0]["author"]["handle"]
            .as_str()
            .unwrap()
            .split('@')
            .nth(1),
        Some("nina"),
        "the reply keeps its place: {thread}"
    );
    let after = app
        .admin_get(&format!("/api/v1/admin/actors/export?actor={}", felix.id))
        .await;
    assert!(after["actor"]["name"].is_null());
    assert_eq!(after["comments"][0]["content_html"], "");
    assert_eq!(after["comments"][0]["earlier_versions"], json!([]));
    assert_eq!(after["reactions"], json!([]));
    let (missing, _) = app
        .get_json("/api/v1/admin/actors/export?actor=https://nowhere.example/u/x")
        .await;
    assert_eq!(missing, 401, "admins only");
}
