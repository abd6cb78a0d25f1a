//! Discovery: WebFinger, NodeInfo, actors, health, the OpenAPI document.

use crate::helpers::*;
use serde_json::Value;

#[tokio::test]
async fn webfinger_finds_the_site_actor() {
    let app = spawn_app().await;
    let host = app.address.trim_start_matches("http://");
    let response = app
        .client
        .get(app.url("/.well-known/webfinger"))
        .query(&[("resource", format!("acct:demo@{host}"))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/jrd+json"));
    let jrd: Value = response.json().await.unwrap();
    assert_eq!(jrd["subject"], format!("acct:demo@{host}"));
    let links = jrd["links"].as_array().unwrap();
    let me = links.iter().find(|l| l["rel"] == "self").unwrap();
    assert_eq!(me["type"], "application/activity+json");
    assert_eq!(me["href"], app.url("/sites/demo"));

    for missing in [
        format!("acct:nobody@{host}"),
        "acct:demo@elsewhere.example".to_string(),
    ] {
        let response = app
            .client
            .get(app.url("/.well-known/webfinger"))
            .query(&[("resource", missing)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
}

#[tokio::test]
async fn the_site_actor_is_a_followable_person_with_a_key() {
    let app = spawn_app().await;
    let actor: Value = app
        .client
        .get(app.url("/sites/demo"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(actor["type"], "Person");
    assert_eq!(actor["preferredUsername"], "demo");
    assert_eq!(actor["name"], "Demo News");
    assert_eq!(actor["inbox"], app.url("/sites/demo/inbox"));
    assert_eq!(actor["endpoints"]["sharedInbox"], app.url("/inbox"));
    assert_eq!(actor["outbox"], app.url("/sites/demo/outbox"));
    assert_eq!(actor["followers"], app.url("/sites/demo/followers"));
    assert_eq!(actor["featured"], app.url("/sites/demo/featured"));
    assert_eq!(actor["publicKey"]["id"], app.url("/sites/demo#main-key"));
    assert_eq!(actor["publicKey"]["owner"], app.url("/sites/demo"));
    assert!(actor["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----"));

    let browser = app
        .client
        .get(app.url("/sites/demo"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(browser.status(), 303);
    assert_eq!(browser.headers()["location"], format!("{SITE_ORIGIN}/"));

    let instance: Value = app
        .client
        .get(app.url("/actor"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(instance["type"], "Application");
    assert_eq!(instance["publicKey"]["id"], app.url("/actor#main-key"));
}

#[tokio::test]
async fn nodeinfo_describes_the_server() {
    let app = spawn_app().await;
    let links: Value = app
        .client
        .get(app.url("/.well-known/nodeinfo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let href = links["links"][0]["href"].as_str().unwrap().to_string();
    assert_eq!(href, app.url("/nodeinfo/2.1"));
    let info: Value = app
        .client
        .get(href)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["version"], "2.1");
    assert_eq!(info["software"]["name"], "tribune");
    assert_eq!(info["protocols"][0], "activitypub");
}

#[tokio::test]
async fn health_and_openapi_answer() {
    let app = spawn_app().await;
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/articles", "/api/v1/threads", "/healthz"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
}
