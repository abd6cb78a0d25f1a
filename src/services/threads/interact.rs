//! "Reply from your instance": a reader gives their handle (or just their server), we
//! find their server's interaction page and send them there with our object's id.
//! FEP-3b86 intents first (the reply intent, then the object intent), then the
//! OStatus `subscribe` template Mastodon and most servers publish, then Mastodon's
//! `/authorize_interaction` path on that server, only once WebFinger confirmed it.

use crate::{
    error::{Error, Result},
    federation::fetch::links,
    state::AppState,
    storage,
};
use serde_json::Value;
use url::Url;

const REPLY_INTENT: &str = "https://w3id.org/fep/3b86/Create";
const OBJECT_INTENT: &str = "https://w3id.org/fep/3b86/Object";
const SUBSCRIBE: &str = "http://ostatus.org/schema/1.0/subscribe";

/// Where to send a reader who wants to answer `uri` (one of our articles or
/// comments) from the account `handle` (`user@host`, `@user@host`, or a server name).
pub async fn interaction_url(state: &AppState, uri: &str, handle: &str) -> Result<Url> {
    let known = storage::articles::find_by_ap_id_or_url(&state.db, uri)
        .await?
        .is_some()
        || storage::comments::find_by_ap_id(&state.db, uri)
            .await?
            .is_some();
    if !known {
        return Err(Error::NotFound("object"));
    }
    let handle = handle
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    if handle.is_empty() {
        return Err(Error::Unprocessable(
            "give your handle (name@server) or your server".into(),
        ));
    }
    let (acct, host) = match handle.split_once('@') {
        Some((user, host)) if !user.is_empty() && !host.is_empty() => {
            (format!("{user}@{host}"), host.to_string())
        }
        Some(_) => {
            return Err(Error::Unprocessable(
                "a handle looks like name@server".into(),
            ))
        }
        None => {
            // Only a server: its own (instance actor) account is what WebFinger knows.
            let host = Url::parse(handle)
                .ok()
                .and_then(|u| {
                    u.host_str().map(|h| match u.port() {
                        Some(p) => format!("{h}:{p}"),
                        None => h.to_string(),
                    })
                })
                .unwrap_or_else(|| handle.trim_end_matches('/').to_string());
            (format!("{host}@{host}"), host)
        }
    };
    if host.contains(['/', '?', '#', ' ']) {
        return Err(Error::Unprocessable("not a server name".into()));
    }
    // Only a server that answers WebFinger for this handle is a place to send the
    // reader: a host named in the request and confirmed by nobody would make our
    // domain an open redirector.
    let jrd = state
        .fetcher
        .webfinger_document(&acct, &host)
        .await
        .map_err(|_| Error::Unprocessable("no server answered for that handle".into()))?;
    if let Some(url) = from_jrd(&jrd, uri) {
        return Ok(url);
    }
    // A confirmed server without a template: Mastodon's page is the best guess.
    let mut fallback = Url::parse(&format!("https://{host}/authorize_interaction"))
        .map_err(|_| Error::Unprocessable("not a server name".into()))?;
    fallback.query_pairs_mut().append_pair("uri", uri);
    Ok(fallback)
}

/// The interaction URL a WebFinger document offers for `uri`.
fn from_jrd(jrd: &Value, uri: &str) -> Option<Url> {
    let template = |rel: &str| {
        links(jrd).find_map(|l| {
            (l.get("rel").and_then(Value::as_str) == Some(rel))
                .then(|| l.get("template").and_then(Value::as_str))
                .flatten()
        })
    };
    let encoded: String = url::form_urlencoded::byte_serialize(uri.as_bytes()).collect();
    let filled = if let Some(t) = template(REPLY_INTENT) {
        t.replace("{inReplyTo}", &encoded)
    } else if let Some(t) = template(OBJECT_INTENT) {
        t.replace("{object}", &encoded)
    } else {
        template(SUBSCRIBE)?.replace("{uri}", &encoded)
    };
    Url::parse(&filled)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_reply_intent_wins_over_the_subscribe_template() {
        let jrd = json!({"links": [
            {"rel": SUBSCRIBE, "template": "https://m.example/authorize_interaction?uri={uri}"},
            {"rel": REPLY_INTENT, "template": "https://m.example/share?inReplyTo={inReplyTo}"}
        ]});
        let url = from_jrd(&jrd, "https://t.example/articles/1?x=1").unwrap();
        assert_eq!(
            url.as_str(),
            "https://m.example/share?inReplyTo=https%3A%2F%2Ft.example%2Farticles%2F1%3Fx%3D1"
        );
        let mastodon = json!({"links": [{"rel": SUBSCRIBE, "template": "https://m.example/authorize_interaction?uri={uri}"}]});
        assert_eq!(
            from_jrd(&mastodon, "https://t.example/articles/1")
                .unwrap()
                .as_str(),
            "https://m.example/authorize_interaction?uri=https%3A%2F%2Ft.example%2Farticles%2F1"
        );
    }
}
