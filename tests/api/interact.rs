//! Checking a reader's fediverse address before sending them anywhere
//! (`/interact/check`), and the no-JS `/interact` answering a page in their language.

use crate::helpers::*;
use serde_json::{json, Value};

async fn check(app: &TestApp, query: &[(&str, &str)]) -> (u16, Value) {
    let response = app
        .client
        .get(app.url("/interact/check"))
        .query(query)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_name_that_is_not_an_address_is_refused_in_the_readers_language_before_any_request() {
    let app = spawn_app().await;
    let (status, fr) = check(&app, &[("handle", "Jean Dupont"), ("lang", "fr")]).await;
    assert_eq!(status, 200);
    assert_eq!(fr["ok"], false);
    assert_eq!(fr["error_code"], "format");
    assert!(fr["error"]
        .as_str()
        .unwrap()
        .starts_with("Ce n'est pas une adresse du fédivers : elle ressemble à nom@instance.fr"));
    let (_, en) = check(&app, &[("handle", "jean")]).await;
    assert_eq!(en["error_code"], "format");
    assert!(en["error"]
        .as_str()
        .unwrap()
        .starts_with("That is not a fediverse address"));
    let (_, empty) = check(&app, &[("handle", " "), ("lang", "fr")]).await;
    assert_eq!(empty["error_code"], "empty");
}

#[tokio::test]
async fn an_unknown_account_or_server_gets_its_own_message_and_a_good_handle_where_to_go() {
    let app = spawn_app().await;
    let article = app.add_article("/2026/check", "Check").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    // A server that answers 404 to every WebFinger.
    let nobody = FakeServer::start().await;
    let host = nobody.base.trim_start_matches("http://").to_string();
    let (status, unknown) = check(
        &app,
        &[
            ("handle", &format!("jean@{host}")),
            ("uri", ap_id),
            ("lang", "fr"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(unknown["error_code"], "unknown-account");
    assert_eq!(
        unknown["error"],
        format!("Le serveur {host} ne connaît pas le compte « jean ». Vérifiez l'orthographe de votre adresse.")
    );
    // Nobody listens there (a closed port).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (_, unreachable) = check(
        &app,
        &[
            ("handle", &format!("jean@127.0.0.1:{closed}")),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(unreachable["error_code"], "unreachable");
    assert!(unreachable["error"]
        .as_str()
        .unwrap()
        .starts_with(&format!("No server answers at 127.0.0.1:{closed}")));

    // A good handle: confirmed, with the page of the reader's server to answer from.
    let home = FakeServer::start().await;
    let home_host = home.base.trim_start_matches("http://").to_string();
    home.put(
        &format!(
            "/.well-known/webfinger?resource=acct%3Areader%40{}",
            home_host.replace(':', "%3A")
        ),
        json!({"subject": format!("acct:reader@{home_host}"), "links": [
            {"rel": "http://ostatus.org/schema/1.0/subscribe",
             "template": format!("{}/authorize_interaction?uri={{uri}}", home.base)}]}),
    );
    let (status, good) = check(
        &app,
        &[("handle", &format!("@reader@{home_host}")), ("uri", ap_id)],
    )
    .await;
    assert_eq!(status, 200, "{good}");
    assert_eq!(good["ok"], true);
    assert_eq!(good["handle"], format!("reader@{home_host}"));
    let encoded: String = url::form_urlencoded::byte_serialize(ap_id.as_bytes()).collect();
    assert_eq!(
        good["url"],
        format!("{}/authorize_interaction?uri={encoded}", home.base)
    );
    // Nothing was sent anywhere: the check is one unsigned GET.
    assert!(home.received().is_empty());
    assert!(home
        .fetches()
        .iter()
        .all(|(_, headers)| !headers.contains_key("signature")));

    let (status, not_ours) = check(
        &app,
        &[
            ("handle", &format!("reader@{home_host}")),
            ("uri", "https://elsewhere.example/x"),
        ],
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(not_ours["error_code"], "unknown-object");
}

#[tokio::test]
async fn without_javascript_a_refused_address_answers_a_page_with_the_form_again() {
    let app = spawn_app().await;
    let article = app.add_article("/2026/nojs", "Sans JS").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    let response = app
        .client
        .get(app.url("/interact"))
        .query(&[("uri", ap_id), ("handle", "Jean Dupont")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    // minijinja escapes `/` and `'` in what it prints: read the page as a browser would.
    let html = response
        .text()
        .await
        .unwrap()
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'");
    // The demo site is French: the page is too.
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(
        html.contains("Ce n'est pas une adresse du fédivers"),
        "{html}"
    );
    assert!(html.contains("value=\"Jean Dupont\""));
    assert!(html.contains("href=\"https://jointhefediverse.net/\""));
    assert!(html.contains(&format!("href=\"{}\"", article["url"].as_str().unwrap())));

    let english = app
        .client
        .get(app.url("/interact"))
        .query(&[
            ("uri", "https://elsewhere.example/x"),
            ("handle", "a@b.example"),
            ("lang", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(english.status(), 404);
    let html = english.text().await.unwrap();
    assert!(
        html.contains("This link leads to no article or comment of this site."),
        "{html}"
    );
}

#[tokio::test]
async fn handle_checks_are_limited_per_reader() {
    let app = spawn_settings(
        settings_with(|s| {
            s.limits.handle_checks_per_minute = 1;
            s.limits.handle_checks_burst = 2;
        })
        .await,
    )
    .await;
    let nobody = FakeServer::start().await;
    let handle = format!("jean@{}", nobody.base.trim_start_matches("http://"));
    let mut codes = Vec::new();
    for _ in 0..3 {
        let (status, body) = check(&app, &[("handle", &handle), ("lang", "fr")]).await;
        codes.push((status, body["error_code"].as_str().unwrap().to_string()));
    }
    assert_eq!(codes[1], (200, "unknown-account".to_string()));
    assert_eq!(codes[2], (429, "too-many".to_string()));
    assert_eq!(nobody.fetches().len(), 2, "the third asked nobody");
    // A mistyped address is answered at once, whatever the count.
    let (status, body) = check(&app, &[("handle", "Jean Dupont")]).await;
    assert_eq!((status, body["error_code"].as_str()), (200, Some("format")));
}

#[tokio::test]
async fn in_production_no_check_reaches_a_private_address_or_another_port() {
    let app =
        spawn_settings(settings_with(|s| s.federation.allow_private_networks = false).await).await;
    let local = FakeServer::start().await;
    let host = local.base.trim_start_matches("http://").to_string();
    for handle in [
        format!("jean@{host}"),
        "jean@127.0.0.1".into(),
        "jean@10.0.0.8".into(),
    ] {
        let (status, body) = check(&app, &[("handle", &handle), ("lang", "fr")]).await;
        assert_eq!(status, 200);
        assert_eq!(body["error_code"], "unreachable", "{handle}: {body}");
    }
    assert!(local.fetches().is_empty(), "nothing was asked of it");
}

#[tokio::test]
async fn an_address_whose_domain_redirects_webfinger_to_its_server_is_confirmed() {
    let app = spawn_app().await;
    let article = app.add_article("/2026/split", "Split").await;
    let ap_id = article["ap_id"].as_str().unwrap();
    // `ana@<domain>` lives on another host, as `@ana@example.com` on social.example.com.
    let domain = FakeServer::start().await;
    let server = FakeServer::start().await;
    let host = domain.base.trim_start_matches("http://").to_string();
    let query = format!(
        "/.well-known/webfinger?resource=acct%3Aana%40{}",
        host.replace(':', "%3A")
    );
    domain.put(&query, json!(format!("redirect:{}{query}", server.base)));
    server.put(
        &query,
        json!({"subject": format!("acct:ana@{host}"), "links": [
            {"rel": "http://ostatus.org/schema/1.0/subscribe",
             "template": format!("{}/authorize_interaction?uri={{uri}}", server.base)}]}),
    );
    let (status, good) = check(&app, &[("handle", &format!("ana@{host}")), ("uri", ap_id)]).await;
    assert_eq!(status, 200);
    assert_eq!(good["ok"], true, "{good}");
    assert!(good["url"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/authorize_interaction?uri=", server.base)));
}
