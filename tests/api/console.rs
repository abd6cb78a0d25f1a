//! The moderation console: sign-in, sessions, CSRF, the queue.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_moderator_signs_in_and_approves_from_the_queue_with_csrf_protection() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app.add_article("/2026/console", "Console").await;
    app.client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "pre"}))
        .send()
        .await
        .unwrap();
    let a = fake.actor("a", 0);
    a.send(
        &app,
        &mastodon_create(&a, 1, article["ap_id"].as_str().unwrap()),
    )
    .await;
    app.drain().await;
    app.client.post(app.url("/api/v1/admin/staff")).bearer_auth(ADMIN_TOKEN)
        .json(&json!({"username": "mod", "password": "a long enough password", "role": "moderator", "display_name": "Modération"}))
        .send().await.unwrap();

    let signed_out = app.client.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(signed_out.status(), 200);
    let csp = signed_out.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(signed_out
        .text()
        .await
        .unwrap()
        .contains("name=\"password\""));
    let form =
        |user: &str, pass: &str| format!("username={user}&password={}", pass.replace(' ', "+"));
    let wrong = app
        .client
        .post(app.url("/admin/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form("mod", "nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let signed_in = app
        .client
        .post(app.url("/admin/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form("mod", "a long enough password"))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/admin"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();

    let queue = app
        .client
        .get(app.url("/admin"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        queue.contains("Article en pré-modération"),
        "the rules that fired are shown, in French"
    );
    let csrf = queue
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let id = app
        .client
        .get(app.url("/api/v1/admin/queue"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json::<Vec<serde_json::Value>>()
        .await
        .unwrap()[0]["id"]
        .clone();

    let forged = app
        .client
        .post(app.url(&format!("/admin/comments/{id}/approve")))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf=wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        0
    );
    let approved = app
        .client
        .post(app.url(&format!("/admin/comments/{id}/approve")))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), 303);
    assert_eq!(
        app.thread(article["url"].as_str().unwrap()).await["total"],
        1
    );

    for page in [
        "/admin/rules",
        "/admin/domains",
        "/admin/reports",
        "/admin/audit",
        &format!("/admin/comments/{id}"),
    ] {
        let r = app
            .client
            .get(app.url(page))
            .header("cookie", &session)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{page}");
    }
    let out = app
        .client
        .post(app.url("/admin/logout"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let after = app
        .client
        .get(app.url("/admin"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(after.contains("name=\"password\""), "the session ended");
}
