//! The editors' console ("Sélection"): highlight with a note, reorder, edit the note,
//! remove, reply as oneself (the thread then signs the reply with the name and title),
//! CSRF on every form, roles, bounded lengths, escaped output.

use crate::helpers::*;
use serde_json::{json, Value};

/// A signed-in console session: its cookie, and the CSRF token of its forms.
pub struct Console<'a> {
    app: &'a TestApp,
    cookie: String,
    pub csrf: String,
}

impl<'a> Console<'a> {
    /// Creates a staff account and signs it in to the console.
    pub async fn sign_in(app: &'a TestApp, username: &str, role: &str, name: &str) -> Console<'a> {
        let password = "a long enough password";
        let created = app
            .client
            .post(app.url("/api/v1/admin/staff"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({"username": username, "password": password, "role": role, "display_name": name}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        let signed_in = app
            .client
            .post(app.url("/admin/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(&[("username", username), ("password", password)]))
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
        let mut console = Console {
            app,
            cookie,
            csrf: String::new(),
        };
        let (_, page) = console.get("/admin/selection").await;
        console.csrf = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .expect("a form with its CSRF token")
            .split('"')
            .next()
            .unwrap()
            .to_string();
        console
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        self.get_in(path, "fr").await
    }

    pub async fn get_in(&self, path: &str, lang: &str) -> (u16, String) {
        let r = self
            .app
            .client
            .get(self.app.url(path))
            .header("cookie", &self.cookie)
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        // minijinja writes `/` as `&#x2f;` in values; a browser reads both the same.
        let status = r.status().as_u16();
        (status, r.text().await.unwrap().replace("&#x2f;", "/"))
    }

    /// POSTs a form with this session's CSRF token: the status and the `Location`.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.post_raw(path, &form).await
    }

    pub async fn post_raw(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let r = self
            .app
            .client
            .post(self.app.url(path))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(form))
            .send()
            .await
            .unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (r.status().as_u16(), location)
    }
}

/// A form body, URL-encoded.
pub fn encode(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// An article with three published comments; their ids in thread order.
async fn article_with_comments(app: &TestApp, path: &str) -> (Value, Vec<i64>) {
    let fake = FakeServer::start().await;
    let article = app.add_article(path, "Les retraites, ce qui change").await;
    for (n, name) in ["ana", "bob", "cleo"].iter().enumerate() {
        let actor = fake.actor(name, n % 2);
        let mut create = mastodon_create(&actor, n as u32 + 1, article["ap_id"].as_str().unwrap());
        create["object"]["content"] = json!(format!("<p>Commentaire {n} de {name}, argumenté</p>"));
        create["object"]
            .as_object_mut()
            .unwrap()
            .remove("contentMap");
        actor.send(app, &create).await;
        app.drain().await;
    }
    let thread = app.thread(article["url"].as_str().unwrap()).await;
    let ids = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    // Keep the fake server (its actors' keys) alive for the test's length.
    std::mem::forget(fake);
    (article, ids)
}

fn selection_ids(thread: &Value) -> Vec<i64> {
    thread["highlighted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

fn find(nodes: &Value, id: i64) -> Option<Value> {
    for n in nodes.as_array()? {
        if n["id"] == id {
            return Some(n.clone());
        }
        if let Some(found) = find(&n["children"], id) {
            return Some(found);
        }
    }
    None
}

#[tokio::test]
async fn an_editor_highlights_with_a_note_reorders_edits_removes_and_replies_as_herself() {
    let app = spawn_app().await;
    let (article, ids) = article_with_comments(&app, "/2026/retraites").await;
    let url = article["url"].as_str().unwrap();
    let id = article["id"].as_i64().unwrap();
    let lea = Console::sign_in(&app, "lea", "editor", "lea").await;

    // The entry point: recent articles by title with their published comments.
    let (status, list) = lea.get("/admin/selection").await;
    assert_eq!(status, 200);
    assert!(list.contains("Les retraites, ce qui change"), "{list}");
    assert!(list.contains(&format!("href=\"/admin/selection/{id}\"")));
    assert!(list.contains("3 commentaires"));

    // Her signature: name and title, from the console.
    let (status, back) = lea
        .post(
            "/admin/profile",
            &[
                ("display_name", "Léa Martin"),
                ("title", "cheffe du service Société"),
            ],
        )
        .await;
    assert_eq!((status, back.as_str()), (303, "/admin/selection?saved=1"));
    let (_, list) = lea.get("/admin/selection?saved=1").await;
    assert!(list.contains("Léa Martin") && list.contains("cheffe du service Société"));

    // Highlight two with a note, in that order.
    let path = |action: &str| format!("/admin/selection/{id}/{action}");
    let first = ids[0].to_string();
    let third = ids[2].to_string();
    let (status, back) = lea
        .post(
            &path("highlight"),
            &[("comment", &first), ("note", "Un éclairage utile")],
        )
        .await;
    assert_eq!(
        (status, back),
        (303, format!("/admin/selection/{id}#selection"))
    );
    lea.post(&path("highlight"), &[("comment", &third), ("note", "")])
        .await;
    let thread = app.thread(url).await;
    assert_eq!(selection_ids(&thread), vec![ids[0], ids[2]]);
    assert_eq!(
        thread["highlighted"][0]["editorial"]["note"],
        "Un éclairage utile"
    );
    assert_eq!(
        thread["highlighted"][0]["editorial"]["editor"],
        "Léa Martin"
    );
    assert!(thread["highlighted"][1]["editorial"]["note"].is_null());

    // The article's screen lists the selection first, in order, then every comment.
    let (status, page) = lea.get(&format!("/admin/selection/{id}")).await;
    assert_eq!(status, 200);
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at(&format!("id=\"s{}\"", ids[0])) < at(&format!("id=\"s{}\"", ids[2])));
    assert!(page.contains(&format!("id=\"c{}\"", ids[1])));
    assert!(page.contains("Un éclairage utile"));

    // Reorder: the third up, then up again does nothing (already first).
    let (status, _) = lea
        .post(&path("move"), &[("comment", &third), ("direction", "up")])
        .await;
    assert_eq!(status, 303);
    lea.post(&path("move"), &[("comment", &third), ("direction", "up")])
        .await;
    assert_eq!(selection_ids(&app.thread(url).await), vec![ids[2], ids[0]]);
    let (status, _) = lea
        .post(
            &path("move"),
            &[("comment", &third), ("direction", "sideways")],
        )
        .await;
    assert_eq!(status, 422);

    // Edit the note: the place in the selection is kept.
    lea.post(
        &path("highlight"),
        &[("comment", &first), ("note", "Note revue")],
    )
    .await;
    let thread = app.thread(url).await;
    assert_eq!(selection_ids(&thread), vec![ids[2], ids[0]]);
    assert_eq!(thread["highlighted"][1]["editorial"]["note"], "Note revue");

    // Remove one.
    let (status, _) = lea.post(&path("unhighlight"), &[("comment", &third)]).await;
    assert_eq!(status, 303);
    assert_eq!(selection_ids(&app.thread(url).await), vec![ids[0]]);
    let (status, _) = lea.post(&path("unhighlight"), &[("comment", &third)]).await;
    assert_eq!(status, 404, "no highlight left to remove");

    // Reply as herself to a comment, and to the article.
    let second = ids[1].to_string();
    let (status, back) = lea
        .post(
            &path("reply"),
            &[("comment", &second), ("content", "Merci, nous corrigeons.")],
        )
        .await;
    assert_eq!(status, 303);
    let reply_id: i64 = back.rsplit("#c").next().unwrap().parse().unwrap();
    let (status, _) = lea
        .post(
            &path("reply"),
            &[("content", "Le point sur les **chiffres**.")],
        )
        .await;
    assert_eq!(status, 303);
    let thread = app.thread(url).await;
    let reply = find(&thread["comments"][1]["children"], reply_id).expect("under the comment");
    assert_eq!(reply["staff"], true);
    assert_eq!(
        reply["byline"],
        json!({"name": "Léa Martin", "title": "cheffe du service Société"})
    );
    assert_eq!(reply["author"]["name"], "Léa Martin", "not the login name");
    assert!(reply["content_html"]
        .as_str()
        .unwrap()
        .contains("Merci, nous corrigeons."));
    let to_article = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["staff"] == true)
        .expect("a top-level staff reply");
    assert!(to_article["content_html"]
        .as_str()
        .unwrap()
        .contains("<strong>chiffres</strong>"));
    assert!(
        thread["comments"][0]["byline"].is_null(),
        "readers have none"
    );

    // A reply keeps the title it was signed with.
    lea.post(
        "/admin/profile",
        &[("display_name", "Léa Martin"), ("title", "")],
    )
    .await;
    let thread = app.thread(url).await;
    let reply = find(&thread["comments"], reply_id).unwrap();
    assert_eq!(reply["byline"]["title"], "cheffe du service Société");

    // The console's copy of the thread shows the byline and the badge apart.
    let (_, page) = lea.get(&format!("/admin/selection/{id}")).await;
    assert!(page.contains("<strong class=\"byline-name\">Léa Martin</strong>"));
    assert!(page.contains("<span class=\"badge\">La rédaction</span>"));
    let (_, english) = lea.get_in(&format!("/admin/selection/{id}"), "en").await;
    assert!(english.contains("Published comments") && english.contains("Move up"));
}

#[tokio::test]
async fn console_forms_need_the_session_csrf_bounded_fields_and_the_right_article() {
    let app = spawn_app().await;
    let (article, ids) = article_with_comments(&app, "/2026/bornes").await;
    let other = app.add_article("/2026/autre", "Un autre article").await;
    let id = article["id"].as_i64().unwrap();
    let url = article["url"].as_str().unwrap();
    let lea = Console::sign_in(&app, "lea", "editor", "Léa").await;
    let first = ids[0].to_string();
    let path = format!("/admin/selection/{id}/highlight");

    // CSRF: none, or another value, is refused; nothing changes.
    let (status, _) = lea
        .post_raw(&path, &[("comment", &first), ("note", "x")])
        .await;
    assert_eq!(status, 403);
    let (status, _) = lea
        .post_raw(&path, &[("csrf", "0123abcd"), ("comment", &first)])
        .await;
    assert_eq!(status, 403);
    let (status, _) = lea
        .post_raw("/admin/profile", &[("display_name", "Mallory")])
        .await;
    assert_eq!(status, 403);
    assert!(app.thread(url).await["highlighted"]
        .as_array()
        .unwrap()
        .is_empty());

    // Anonymous: the sign-in form for pages, back to /admin for forms.
    let anonymous = app
        .client
        .get(app.url("/admin/selection"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 200);
    assert!(anonymous
        .text()
        .await
        .unwrap()
        .contains("name=\"password\""));
    let anonymous = app
        .client
        .post(app.url(&path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[("comment", first.as_str())]))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["location"], "/admin");

    // Bounded lengths: a clear 422 in the console, never a 500.
    let long_note = "n".repeat(1_001);
    let (status, _) = lea
        .post(&path, &[("comment", &first), ("note", &long_note)])
        .await;
    assert_eq!(status, 422);
    let long_reply = "r".repeat(10_001);
    let reply = format!("/admin/selection/{id}/reply");
    assert_eq!(lea.post(&reply, &[("content", &long_reply)]).await.0, 422);
    assert_eq!(lea.post(&reply, &[("content", "   ")]).await.0, 422);
    let long_title = "t".repeat(121);
    let (status, _) = lea
        .post(
            "/admin/profile",
            &[("display_name", "Léa"), ("title", &long_title)],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        lea.post("/admin/profile", &[("display_name", " ")]).await.0,
        422
    );
    let (status, page) = lea.get("/admin/selection/999999").await;
    assert_eq!(status, 404);
    assert!(page.contains("Introuvable"), "a console page, not JSON");

    // A comment of another article is not this article's to pick.
    let other_path = format!("/admin/selection/{}/highlight", other["id"]);
    assert_eq!(lea.post(&other_path, &[("comment", &first)]).await.0, 404);
    let other_reply = format!("/admin/selection/{}/reply", other["id"]);
    assert_eq!(
        lea.post(
            &other_reply,
            &[("comment", &first), ("content", "Hors sujet")]
        )
        .await
        .0,
        404
    );

    // What staff type is escaped in the console.
    lea.post(
        "/admin/profile",
        &[
            ("display_name", "Léa <b>M</b>"),
            ("title", "Société & <i>co</i>"),
        ],
    )
    .await;
    let (_, page) = lea.get(&format!("/admin/selection/{id}")).await;
    assert!(page.contains("Léa &lt;b&gt;M&lt;/b&gt;"), "{page}");
    assert!(!page.contains("<i>co</i>"));
}

#[tokio::test]
async fn an_editor_cannot_reach_the_moderators_screens_and_moderators_use_the_selection() {
    let app = spawn_app().await;
    let (article, ids) = article_with_comments(&app, "/2026/roles").await;
    let id = article["id"].as_i64().unwrap();
    let lea = Console::sign_in(&app, "lea", "editor", "Léa").await;
    for page in [
        "/admin/rules",
        "/admin/domains",
        "/admin/blocklists",
        "/admin/reports",
        "/admin/audit",
    ] {
        let (status, body) = lea.get(page).await;
        assert_eq!(status, 403, "{page}");
        assert!(
            body.contains("pas accessible avec votre rôle"),
            "{page}: a console page, not JSON"
        );
    }
    for (form, fields) in [
        (
            "/admin/rules",
            vec![("kind", "word"), ("pattern", "magouille")],
        ),
        (
            "/admin/domains",
            vec![("domain", "bad.example"), ("severity", "suspend")],
        ),
        ("/admin/modes", vec![("site", "demo"), ("mode", "closed")]),
    ] {
        assert_eq!(lea.post(form, &fields).await.0, 403, "{form}");
    }
    assert!(
        app.admin_get("/api/v1/admin/rules")
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "the editor added no rule"
    );

    // A moderator (and an admin) use the editors' screens too.
    let camille = Console::sign_in(&app, "camille", "moderator", "Camille").await;
    let (status, _) = camille.get(&format!("/admin/selection/{id}")).await;
    assert_eq!(status, 200);
    let (status, _) = camille
        .post(
            &format!("/admin/selection/{id}/highlight"),
            &[("comment", &ids[1].to_string())],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        selection_ids(&app.thread(article["url"].as_str().unwrap()).await),
        vec![ids[1]]
    );

    // The API's field for one's signature.
    let (status, signed) = {
        let r = app
            .client
            .put(app.url("/api/v1/admin/profile"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({"display_name": "Admin"}))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(status, 422, "the bootstrap token has no account: {signed}");
}

#[tokio::test]
async fn the_reports_and_audit_screens_speak_the_moderators_language() {
    let app = spawn_app().await;
    let (article, ids) = article_with_comments(&app, "/2026/registres").await;
    let reported = app
        .client
        .post(app.url("/api/v1/reports"))
        .json(&json!({"comment": ids[1], "reason": "harassment", "content": "Il vise <b>une</b> lectrice"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reported.status(), 202);
    let camille = Console::sign_in(&app, "camille", "moderator", "Camille").await;
    camille
        .post(
            &format!("/admin/selection/{}/highlight", article["id"]),
            &[("comment", &ids[0].to_string()), ("note", "Bien vu")],
        )
        .await;

    let (status, reports) = camille.get("/admin/reports").await;
    assert_eq!(status, 200);
    assert!(reports.contains("Harcèlement"), "the reason's French name");
    assert!(
        reports.contains("Il vise &lt;b&gt;une&lt;/b&gt; lectrice"),
        "the reporter's text, escaped"
    );
    assert!(reports.contains(&format!("href=\"/admin/comments/{}\"", ids[1])));
    let (_, english) = camille.get_in("/admin/reports", "en").await;
    assert!(english.contains("Harassment") && english.contains("Open reports"));

    let (status, audit) = camille.get("/admin/audit").await;
    assert_eq!(status, 200);
    assert!(audit.contains("a mis en valeur un commentaire"), "{audit}");
    assert!(audit.contains("camille"));
    assert!(audit.contains(&format!("href=\"/admin/comments/{}\"", ids[0])));
    let (_, english) = camille.get_in("/admin/audit", "en").await;
    assert!(english.contains("highlighted a comment"));

    let (status, rules) = camille.get_in("/admin/rules", "en").await;
    assert_eq!(status, 200);
    assert!(rules.contains("Rules and modes") && rules.contains("suspect word"));
    let (status, blocklists) = camille.get("/admin/blocklists").await;
    assert_eq!(status, 200);
    assert!(blocklists.contains("Rien à relire"));
    assert!(
        blocklists.contains("décidés par les administrateurs"),
        "followers are for admins"
    );
}
