//! What a restore does not take on the file's word. A site export is a file someone
//! hands the admin: its links obey the URL rule every received document obeys, its
//! rows may not speak for a server other than the one whose ids they carry, and the
//! actors it plants are only hints, refreshed from their servers on next use.

use crate::federation::protocol::{authority, web_url};
use crate::storage::site_export::Row;
use serde_json::Value as Json;

/// The server (`host[:port]`) of an http(s) URL.
pub fn server_of(url: &str) -> Option<String> {
    web_url(url).as_ref().and_then(authority)
}

/// Whether `id` is on the same server as `author` (an activity or a note of a remote
/// actor can only be theirs if their server gave it its id).
pub fn same_server(id: &str, author: &str) -> bool {
    server_of(id).is_some_and(|s| Some(s) == server_of(author))
}

/// Whether `id` is one of this server's own URLs (under its public base).
pub fn ours(id: &str, base: &str) -> bool {
    id.strip_prefix(base)
        .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('#'))
}

/// Columns holding a link: left null unless it is http(s).
pub fn web_urls(row: &mut Row, columns: &[&str]) {
    for column in columns {
        if let Some(v) = row.get_mut(*column) {
            if v.as_str().is_some_and(|u| web_url(u).is_none()) {
                *v = Json::Null;
            }
        }
    }
}

/// A JSON list stored as text (`attachments`, `tags`): an item whose `url` or `href` is
/// not http(s) is dropped. The text is kept as written when nothing is (so that a
/// restore of Tribune's own export is byte for byte); unreadable, it becomes `[]`.
pub fn web_url_list(row: &mut Row, column: &str) {
    let Some(Json::String(text)) = row.get_mut(column) else {
        return;
    };
    let Ok(Json::Array(items)) = serde_json::from_str::<Json>(text) else {
        *text = "[]".into();
        return;
    };
    let count = items.len();
    let kept: Vec<Json> = items.into_iter().filter(linkable).collect();
    if kept.len() != count {
        *text = Json::Array(kept).to_string();
    }
}

fn linkable(item: &Json) -> bool {
    item.is_object()
        && ["url", "href"].iter().all(|k| match item.get(k) {
            None | Some(Json::Null) => true,
            Some(Json::String(u)) => web_url(u).is_some(),
            Some(_) => false,
        })
}

/// A remote actor of the file as it may be planted: its `domain` is its id's server
/// (not what the file says), `fetched_at` 0 so that it is fetched again on next use,
/// its links http(s), its inboxes on its own server (else its deliveries would go to a
/// server the file chose). `Err` says why it is refused.
pub fn actor(mut row: Row, ap_id: &str) -> Result<Row, String> {
    let server = server_of(ap_id).ok_or("its id is not an http(s) URL")?;
    row.insert("domain".into(), server.clone().into());
    row.insert("fetched_at".into(), 0.into());
    web_urls(&mut row, &["url", "avatar_url", "moved_to"]);
    let on_its_server =
        |v: Option<&Json>| v.and_then(Json::as_str).and_then(server_of) == Some(server.clone());
    if !on_its_server(row.get("inbox")) {
        return Err("its inbox is not on its server".into());
    }
    if !on_its_server(row.get("shared_inbox")) {
        row.insert("shared_inbox".into(), Json::Null);
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(value: Json) -> Row {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn links_other_than_http_are_dropped() {
        let mut r = row(
            json!({"url": "javascript:alert(1)", "author_website": "https://a.example/",
            "attachments": r#"[{"url":"data:text/html,x"},{"url":"https://a.example/i.png"}]"#,
            "tags": r#"[{"type":"hashtag","href":null,"name":"x"}]"#}),
        );
        web_urls(&mut r, &["url", "author_website"]);
        web_url_list(&mut r, "attachments");
        web_url_list(&mut r, "tags");
        assert_eq!(r["url"], Json::Null);
        assert_eq!(r["author_website"], "https://a.example/");
        assert_eq!(r["attachments"], r#"[{"url":"https://a.example/i.png"}]"#);
        assert_eq!(r["tags"], r#"[{"type":"hashtag","href":null,"name":"x"}]"#);
    }

    #[test]
    fn a_planted_actor_is_its_ids_server_and_stale() {
        let planted = actor(
            row(json!({"domain": "bank.example", "fetched_at": 99,
                "inbox": "https://a.example/inbox", "shared_inbox": "https://b.example/inbox"})),
            "https://a.example/users/ana",
        )
        .unwrap();
        assert_eq!(planted["domain"], "a.example");
        assert_eq!(planted["fetched_at"], 0);
        assert_eq!(planted["shared_inbox"], Json::Null);
        let elsewhere = row(json!({"inbox": "https://b.example/inbox"}));
        assert!(actor(elsewhere, "https://a.example/users/ana").is_err());
        assert!(ours("https://t.example/c/1", "https://t.example"));
        assert!(!ours("https://t.example.evil/c/1", "https://t.example"));
        assert!(same_server(
            "https://a.example/n/1",
            "https://a.example/u/a"
        ));
        assert!(!same_server(
            "https://b.example/n/1",
            "https://a.example/u/a"
        ));
    }
}
