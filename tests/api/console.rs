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

/// A staff account signed in to the console: its cookie and its forms' CSRF token.
pub(crate) struct Console {
    cookie: String,
    csrf: String,
}

pub(crate) async fn sign_in(app: &TestApp, user: &str, role: &str) -> Console {
    let password = "a long enough password";
    let created = app
        .client
        .post(app.url("/api/v1/admin/staff"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"username": user, "password": password, "role": role, "display_name": user}))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{}", created.status());
    let signed_in = app
        .client
        .post(app.url("/admin/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "username={user}&password={}",
            password.replace(' ', "+")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = app
        .client
        .get(app.url("/admin/articles"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("a form with a CSRF token")
        .split('"')
        .next()
        .unwrap()
        .to_string();
    Console { cookie, csrf }
}

impl Console {
    pub(crate) async fn get(&self, app: &TestApp, path: &str) -> (u16, String) {
        let r = app
            .client
            .get(app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form (with this session's CSRF token unless `body` has one); the status
    /// and where it redirects.
    pub(crate) async fn post(&self, app: &TestApp, path: &str, body: &str) -> (u16, String) {
        let body = if body.contains("csrf=") {
            body.to_string()
        } else {
            format!("csrf={}&{body}", self.csrf)
        };
        let r = app
            .client
            .post(app.url(path))
            .header("cookie", &self.cookie)
            .header("referer", app.url("/admin?status=held"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (status, if location.is_empty() { text } else { location })
    }
}

/// A pre-moderated site with `n` held comments by ana (even) and bob (odd), each
/// saying "comment number <i>"; the article and the comments' ids, newest first.
async fn held_comments(app: &TestApp, fake: &FakeServer, n: u32) -> (Value, Vec<i64>) {
    let article = app
        .add_article("/2026/queue", "Le budget de la ville")
        .await;
    app.client
        .put(app.url("/api/v1/admin/sites/demo/moderation"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mode": "pre"}))
        .send()
        .await
        .unwrap();
    let ana = fake.actor("ana", 0);
    let bob = fake.actor("bob", 1);
    for i in 0..n {
        let who = if i % 2 == 0 { &ana } else { &bob };
        let mut create = mastodon_create(who, i + 1, article["ap_id"].as_str().unwrap());
        create["object"]["content"] = json!(format!("<p>comment number {i} zz{i}zz</p>"));
        create["object"]
            .as_object_mut()
            .unwrap()
            .remove("contentMap");
        create["object"]["tag"] = json!([]);
        who.send(app, &create).await;
    }
    app.drain().await;
    let ids = app
        .client
        .get(app.url("/api/v1/admin/queue?per_page=500"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    (article, ids)
}

fn count_items(page: &str) -> usize {
    page.matches("class=\"card queue-item").count()
}

use serde_json::Value;

#[tokio::test]
async fn the_queue_is_paged_counted_searched_and_filtered_in_french() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (article, ids) = held_comments(&app, &fake, 30).await;
    assert_eq!(ids.len(), 30);
    let m = sign_in(&app, "mod", "moderator").await;

    let (status, first) = m.get(&app, "/admin").await;
    assert_eq!(status, 200);
    assert_eq!(count_items(&first), 25, "25 a page");
    assert!(
        first.contains("En attente <span class=\"count\">30</span>"),
        "held count"
    );
    assert!(first.contains("Page 1 sur 2"));
    assert!(first.contains("Le budget de la ville"), "articles by title");
    assert!(
        first.contains("Article en pré-modération"),
        "the rule, in French"
    );
    assert!(!first.contains("mode:pre —") && !first.contains("comments are moderated"));
    let (_, second) = m.get(&app, "/admin?status=held&page=2").await;
    assert_eq!(count_items(&second), 5);

    let (_, text) = m.get(&app, "/admin?status=held&q=zz7zz").await;
    assert_eq!(count_items(&text), 1, "text search");
    assert!(text.contains("zz7zz"));
    let (_, by_bob) = m
        .get(&app, "/admin?status=held&author=bob&per_page=50")
        .await;
    assert!(
        by_bob.contains("En attente <span class=\"count\">15</span>"),
        "author search counts"
    );
    let host = fake
        .base
        .trim_start_matches("http://")
        .split(':')
        .next()
        .unwrap()
        .to_string();
    let (_, by_domain) = m
        .get(&app, &format!("/admin?status=held&domain={host}"))
        .await;
    assert!(by_domain.contains("En attente <span class=\"count\">30</span>"));
    let (_, by_rule) = m.get(&app, "/admin?status=held&rule=mode:pre").await;
    assert!(by_rule.contains("En attente <span class=\"count\">30</span>"));
    let (_, by_other_rule) = m
        .get(&app, "/admin?status=held&rule=builtin:max_links")
        .await;
    assert_eq!(count_items(&by_other_rule), 0);
    let (_, by_article) = m
        .get(
            &app,
            &format!("/admin?status=held&article={}", article["id"]),
        )
        .await;
    assert!(by_article.contains("En attente <span class=\"count\">30</span>"));
    let (status, _) = m.get(&app, &format!("/admin?q={}", "x".repeat(201))).await;
    assert_eq!(status, 422, "bounded query length");

    // The API pages too, past any fixed cap, and says how many there are.
    let r = app
        .client
        .get(app.url("/api/v1/admin/queue?per_page=10&page=3"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-total-count"], "30");
    assert_eq!(r.json::<Vec<Value>>().await.unwrap().len(), 10);

    // Actions fit the state: held ones can be approved; published ones cannot.
    assert!(first.contains("data-action=\"approve\""));
    let (status, _) = m
        .post(&app, &format!("/admin/comments/{}/approve", ids[0]), "")
        .await;
    assert_eq!(status, 303);
    let (_, published) = m.get(&app, "/admin?status=published").await;
    assert_eq!(count_items(&published), 1);
    assert!(
        !published.contains("data-action=\"approve\""),
        "no Approuver on published"
    );
    assert!(published.contains("data-action=\"hide\"") && published.contains("Supprimer"));
    let (status, _) = m
        .post(&app, &format!("/admin/comments/{}/reject", ids[0]), "")
        .await;
    assert_eq!(status, 409, "a published comment cannot be rejected");
    // Delete asks first.
    let (status, to) = m
        .post(&app, &format!("/admin/comments/{}/delete", ids[0]), "")
        .await;
    assert_eq!(
        (status, to.as_str()),
        (
            303,
            format!("/admin/comments/{}/confirm/delete", ids[0]).as_str()
        )
    );
    let (status, confirm) = m.get(&app, &to).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("ne peut pas être annulée"));
}

#[tokio::test]
async fn a_bulk_hide_with_a_reason_can_be_undone_by_its_moderator_within_the_window_only() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (article, ids) = held_comments(&app, &fake, 4).await;
    let camille = sign_in(&app, "camille", "moderator").await;
    let dom = sign_in(&app, "dom", "moderator").await;

    let picks: String = ids[..3].iter().map(|id| format!("&c{id}=1")).collect();
    let (status, to) = camille
        .post(
            &app,
            "/admin/bulk",
            &format!("action=hide&reason=abusive&note=insultes{picks}"),
        )
        .await;
    assert_eq!(status, 303);
    assert!(
        to.starts_with("/admin?status=held&") && to.contains("undo="),
        "{to}"
    );
    let (_, hidden) = camille.get(&app, "/admin?status=hidden").await;
    assert_eq!(count_items(&hidden), 3);
    assert!(hidden.contains("Grossier ou injurieux") && hidden.contains("insultes"));
    assert!(hidden.contains("Décision de camille"), "who acted");
    let (_, flash) = camille.get(&app, &to).await;
    assert!(flash.contains("3 commentaires masqués.") && flash.contains("Annuler"));
    let undo = to.split("undo=").nth(1).unwrap().split('&').next().unwrap();
    let undo = url::form_urlencoded::parse(format!("ids={undo}").as_bytes())
        .next()
        .unwrap()
        .1
        .to_string();

    // Another moderator cannot undo camille's decision, nor can a forged form.
    let (status, page) = dom.post(&app, "/admin/undo", &format!("ids={undo}")).await;
    assert_eq!(status, 403);
    assert!(
        page.contains("<html") && !page.contains("{\"error\""),
        "an HTML page"
    );
    let (status, _) = camille
        .post(&app, "/admin/undo", &format!("csrf=forged&ids={undo}"))
        .await;
    assert_eq!(status, 403);
    let (status, _) = camille
        .post(&app, "/admin/undo", &format!("ids={undo}"))
        .await;
    assert_eq!(status, 303);
    let (_, held) = camille.get(&app, "/admin?status=held").await;
    assert_eq!(count_items(&held), 4, "back in the queue");
    let audit = app.admin_get("/api/v1/admin/audit").await;
    let undos = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "comment.undo" && a["who"] == "camille")
        .count();
    assert_eq!(undos, 3, "audited");
    // Undone once: not twice.
    let (status, _) = camille
        .post(&app, "/admin/undo", &format!("ids={undo}"))
        .await;
    assert_eq!(status, 409);

    // Past the window, not even its moderator can.
    let (_, to) = camille
        .post(
            &app,
            &format!("/admin/comments/{}/hide", ids[3]),
            "reason=hate",
        )
        .await;
    let late = to
        .split("undo=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared("UPDATE audit_log SET created_at = created_at - 60000")
        .await
        .unwrap();
    let (status, page) = camille
        .post(&app, "/admin/undo", &format!("ids={late}"))
        .await;
    assert_eq!(status, 409);
    assert!(page.contains("délai pour annuler"));
    let _ = article;
}

#[tokio::test]
async fn editors_get_pages_not_json_and_roles_hold_on_the_server() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (article, ids) = held_comments(&app, &fake, 1).await;
    let editor = sign_in(&app, "lea", "editor").await;

    let r = app
        .client
        .get(app.url("/admin"))
        .header("cookie", &editor.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/selection");
    for page in [
        "/admin/rules",
        &format!("/admin/comments/{}", ids[0]),
        "/admin/live?after=0",
    ] {
        let r = app
            .client
            .get(app.url(page))
            .header("cookie", &editor.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{page}");
        if page != "/admin/live?after=0" {
            assert!(r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"));
            let body = r.text().await.unwrap();
            assert!(body.contains("pas accessible avec votre rôle"), "{body}");
            assert!(!body.contains("moderator role"), "no English");
        }
    }
    let (status, list) = editor.get(&app, "/admin/articles").await;
    assert_eq!(status, 200);
    assert!(list.contains("Le budget de la ville"));
    assert!(
        !list.contains("name=\"mode\""),
        "the switch is for moderators"
    );
    let (status, _) = editor
        .post(
            &app,
            &format!("/admin/articles/{}/mode", article["id"]),
            "mode=closed",
        )
        .await;
    assert_eq!(status, 403, "refused by the service too");
    let (status, _) = editor
        .post(
            &app,
            &format!("/admin/comments/{}/hide", ids[0]),
            "reason=hate",
        )
        .await;
    assert_eq!(status, 403);
    let picks = format!("action=hide&reason=hate&c{}=1", ids[0]);
    let (status, _) = editor.post(&app, "/admin/bulk", &picks).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_moderator_closes_an_article_and_picks_the_console_language() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let (article, _) = held_comments(&app, &fake, 1).await;
    let m = sign_in(&app, "mod", "moderator").await;
    let id = article["id"].as_i64().unwrap();

    let (_, list) = m.get(&app, "/admin/articles").await;
    assert!(list.contains("Comme le site (pré-modérés)"), "{list}");
    let (status, _) = m
        .post(&app, &format!("/admin/articles/{id}/mode"), "mode=bogus")
        .await;
    assert_eq!(status, 422);
    let (status, _) = m
        .post(
            &app,
            &format!("/admin/articles/{id}/mode"),
            "csrf=forged&mode=closed",
        )
        .await;
    assert_eq!(status, 403, "CSRF");
    let (status, _) = m
        .post(&app, &format!("/admin/articles/{id}/mode"), "mode=closed")
        .await;
    assert_eq!(status, 303);
    let (_, list) = m.get(&app, "/admin/articles").await;
    assert!(
        list.contains("<option value=\"closed\" selected>fermés</option>"),
        "{list}"
    );
    let audit = app.admin_get("/api/v1/admin/audit").await;
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "article.moderation" && a["who"] == "mod"));
    // A reply to a closed article is refused.
    let cleo = fake.actor("cleo", 2);
    cleo.send(
        &app,
        &mastodon_create(&cleo, 99, article["ap_id"].as_str().unwrap()),
    )
    .await;
    app.drain().await;
    let (_, rejected) = m.get(&app, "/admin?status=rejected").await;
    assert!(rejected.contains("Commentaires fermés"), "{rejected}");

    // The browser's language, then the member's own choice.
    let r = app
        .client
        .get(app.url("/admin/articles"))
        .header("cookie", &m.cookie)
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(r.contains("<html lang=\"en\"") && r.contains("As the site"));
    let (status, _) = m.post(&app, "/admin/language", "language=xx").await;
    assert_eq!(status, 422);
    let (status, _) = m.post(&app, "/admin/language", "language=en").await;
    assert_eq!(status, 303);
    let (_, queue) = m.get(&app, "/admin?status=rejected").await;
    assert!(queue.contains("<html lang=\"en\"") && queue.contains("Comments closed"));
    // The sign-in page follows the browser.
    let login = app
        .client
        .get(app.url("/admin"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(login.contains("Password") && login.contains("name=\"password\""));

    // New held comments for the live queue.
    let (status, live) = m.get(&app, "/admin/live?after=0").await;
    assert_eq!(status, 200);
    let live: Value = serde_json::from_str(&live).unwrap();
    assert_eq!(live["count"], 1);
    assert!(live["html"].as_str().unwrap().contains("queue-item"));
    let (_, none) = m
        .get(&app, &format!("/admin/live?after={}", live["max_id"]))
        .await;
    assert_eq!(serde_json::from_str::<Value>(&none).unwrap()["count"], 0);
}

#[tokio::test]
async fn a_reported_comment_shows_its_reasons_and_an_undone_hide_reopens_them() {
    let app = spawn_app().await;
    let fake = FakeServer::start().await;
    let article = app
        .add_article("/2026/reported", "Un article signalé")
        .await;
    let ana = fake.actor("ana", 0);
    ana.send(
        &app,
        &mastodon_create(&ana, 1, article["ap_id"].as_str().unwrap()),
    )
    .await;
    app.drain().await;
    let comment = app.thread(article["url"].as_str().unwrap()).await["comments"][0]["id"].clone();
    let reported = app
        .client
        .post(app.url("/api/v1/reports"))
        .json(
            &json!({"comment": comment, "reason": "harassment", "content": "il vise une personne"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(reported.status(), 202);
    let m = sign_in(&app, "mod", "moderator").await;
    let (_, tab) = m.get(&app, "/admin?status=reported").await;
    assert!(tab.contains("Signalés <span class=\"count\">1</span>"));
    assert!(tab.contains("Harcèlement") && tab.contains("il vise une personne"));
    assert!(tab.contains("Garder (classer les signalements)"));
    assert!(!tab.contains("data-action=\"approve\""));
    let (_, by_reason) = m.get(&app, "/admin?status=reported&reason=hate").await;
    assert_eq!(count_items(&by_reason), 0, "filtered by reason");
    let (_, to) = m
        .post(
            &app,
            &format!("/admin/comments/{comment}/hide"),
            "reason=harassment",
        )
        .await;
    let (_, after) = m.get(&app, "/admin?status=reported").await;
    assert!(after.contains("Signalés <span class=\"count\">0</span>"));
    let ids = to.split("undo=").nth(1).unwrap().split('&').next().unwrap();
    let (status, _) = m.post(&app, "/admin/undo", &format!("ids={ids}")).await;
    assert_eq!(status, 303);
    let (_, back) = m.get(&app, "/admin?status=reported").await;
    assert!(
        back.contains("Signalés <span class=\"count\">1</span>"),
        "reports open again"
    );
    assert!(back.contains("Publiés <span class=\"count\">1</span>"));
}
