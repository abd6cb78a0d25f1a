//! "Reply from your instance": a reader gives their handle (or just their server), we
//! check it (its form, then WebFinger on that server) and send them to their server's
//! page for answering one of our articles or comments, with our object's id.
//! FEP-3b86 intents first (the reply intent, then the object intent), then the
//! OStatus `subscribe` template Mastodon and most servers publish, then Mastodon's
//! `/authorize_interaction` path on that server, only once WebFinger confirmed it.
//!
//! A check is one unsigned WebFinger GET through the federation client (its SSRF guard,
//! timeouts and size limit): nothing a visitor types makes a site's actor sign or send
//! anything. A refused handle is a `Refusal` with a code the pages translate
//! (`interact-error-<code>`), never an error page.

use crate::{
    error::{Error, Result},
    federation::fetch::{links, FetchError},
    state::AppState,
    storage,
};
use serde_json::Value;
use std::time::Duration;
use url::Url;

const REPLY_INTENT: &str = "https://w3id.org/fep/3b86/Create";
const OBJECT_INTENT: &str = "https://w3id.org/fep/3b86/Object";
const SUBSCRIBE: &str = "http://ostatus.org/schema/1.0/subscribe";
/// The longest a reader waits for their server (https, then http in development).
const CHECK_TIMEOUT: Duration = Duration::from_secs(12);
/// Longer than any handle we know of (Mastodon: 30-character names, 253-byte hosts).
const MAX_HANDLE: usize = 320;

/// Why a handle cannot be used; `code()` names its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Nothing typed.
    Empty,
    /// Not `name@server` nor a server name ("Jean Dupont").
    Format,
    /// The server answered WebFinger with "no such account" (404, 410).
    UnknownAccount,
    /// No server there: no DNS name, refused connection, timeout, a refused address.
    Unreachable,
    /// Something answered, but not WebFinger (HTML, not JSON, a redirect loop).
    NotFediverse,
    /// The server failed (5xx, 429): worth trying later.
    ServerError,
}

impl Problem {
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Format => "format",
            Self::UnknownAccount => "unknown-account",
            Self::Unreachable => "unreachable",
            Self::NotFediverse => "not-fediverse",
            Self::ServerError => "server-error",
        }
    }
}

/// A handle refused, with what its message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub problem: Problem,
    pub user: String,
    pub host: String,
}

/// What a check found.
#[derive(Debug, Clone)]
pub enum Checked {
    /// The server confirmed the handle: `handle` as `user@host`, and where to send the
    /// reader when an object was named.
    Confirmed {
        handle: String,
        url: Option<Url>,
    },
    Refused(Refusal),
}

/// The article or comment a reader wants to answer, as the pages need it.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// The article's page (to go back to).
    pub article_url: Option<String>,
    /// The site's language and where it sends readers to join the fediverse.
    pub language: Option<String>,
    pub join_url: Option<String>,
}

/// The page and site of `uri` (an article's AP id or URL, or a comment's AP id);
/// `None` when it is not ours.
pub async fn target(state: &AppState, uri: &str) -> Result<Option<Target>> {
    let article = match storage::articles::find_by_ap_id_or_url(&state.db, uri).await? {
        Some(a) => Some(a),
        None => match storage::comments::find_by_ap_id(&state.db, uri).await? {
            Some(c) => storage::articles::find(&state.db, c.article_id).await?,
            None => None,
        },
    };
    Ok(article.map(|a| {
        let site = state.site_by_id(a.site_id);
        Target {
            article_url: Some(a.url),
            language: site.and_then(|s| s.language.clone()),
            join_url: site.map(|s| s.join_url.to_string()),
        }
    }))
}

/// `user@host` and `host` from what a reader typed (`user@host`, `@user@host`,
/// `acct:user@host`, a server name or URL); only a server: its own account
/// (`host@host`, the instance actor Mastodon answers for).
pub fn parse_handle(typed: &str) -> std::result::Result<(String, String), Refusal> {
    let refuse = |problem| Refusal {
        problem,
        user: String::new(),
        host: String::new(),
    };
    let handle = typed.trim();
    let handle = handle.strip_prefix("acct:").unwrap_or(handle);
    let handle = handle.strip_prefix('@').unwrap_or(handle);
    if handle.is_empty() {
        return Err(refuse(Problem::Empty));
    }
    if handle.len() > MAX_HANDLE || handle.chars().any(char::is_whitespace) {
        return Err(refuse(Problem::Format));
    }
    let (user, server) = match handle.split_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, handle),
    };
    // A server may come as a URL ("https://mastodon.social/").
    let server = match Url::parse(server) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && user.is_none() => u
            .host_str()
            .map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
            .unwrap_or_default(),
        _ => server.trim_end_matches('/').to_string(),
    };
    let host = valid_host(&server).ok_or_else(|| refuse(Problem::Format))?;
    match user {
        Some(u) if u.is_empty() || u.contains(['/', '?', '#', ':', '@']) => {
            Err(refuse(Problem::Format))
        }
        Some(u) => Ok((format!("{u}@{host}"), host)),
        None => Ok((format!("{host}@{host}"), host)),
    }
}

/// A server name as WebFinger is asked at: a domain with a dot or an IP address, with
/// an optional port; lowercased.
fn valid_host(server: &str) -> Option<String> {
    let server = server.to_ascii_lowercase();
    let (name, port) = match server.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':')?),
            };
            (&server[..inside.len() + 2], port)
        }
        None => match server.split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (server.as_str(), None),
        },
    };
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    match url::Host::parse(name).ok()? {
        url::Host::Domain(d) => {
            let labels_ok = d.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
            (d.contains('.') && labels_ok && d.len() <= 253).then_some(())?;
        }
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => {}
    }
    Some(server)
}

/// Checks `typed` (format, then WebFinger) and, when `uri` names one of our objects,
/// finds where its server lets the reader answer it. `Err` only for our own failures
/// (the database); an unknown `uri` is `Error::NotFound`.
pub async fn check(state: &AppState, uri: Option<&str>, typed: &str) -> Result<Checked> {
    if let Some(uri) = uri {
        if target(state, uri).await?.is_none() {
            return Err(Error::NotFound("object"));
        }
    }
    let (acct, host) = match parse_handle(typed) {
        Ok(parsed) => parsed,
        Err(refusal) => return Ok(Checked::Refused(refusal)),
    };
    let user = acct.split('@').next().unwrap_or("").to_string();
    let refused = |problem| {
        Ok(Checked::Refused(Refusal {
            problem,
            user: user.clone(),
            host: host.clone(),
        }))
    };
    // Fediverse servers answer on the default port; another is a development set-up,
    // and in production would let visitors knock on any port of any host through us.
    let explicit_port =
        Url::parse(&format!("https://{host}/")).map_or(true, |u| u.port().is_some());
    if explicit_port && !state.settings.federation.allow_private_networks {
        return refused(Problem::Unreachable);
    }
    // Only a server that answers WebFinger for this handle is a place to send the
    // reader: a host named in the request and confirmed by nobody would make our
    // domain an open redirector.
    let jrd = match tokio::time::timeout(
        CHECK_TIMEOUT,
        state.fetcher.webfinger_document(&acct, &host),
    )
    .await
    {
        Ok(Ok(jrd)) if jrd.is_object() => jrd,
        Ok(Ok(_)) => return refused(Problem::NotFediverse),
        Ok(Err(e)) => return refused(problem_of(&e)),
        Err(_) => return refused(Problem::Unreachable),
    };
    let url = match uri {
        // The template must lead to the handle's own server (or a host of the same
        // domain, as when `ana@example.com` lives on `social.example.com`): a server may
        // confirm its own accounts, not send our readers to a third party.
        Some(uri) => Some(
            match from_jrd(&jrd, uri).filter(|u| same_domain(u, &host)) {
                Some(url) => url,
                // A confirmed server without a template: Mastodon's page is the best guess.
                None => {
                    let Ok(mut fallback) =
                        Url::parse(&format!("https://{host}/authorize_interaction"))
                    else {
                        return refused(Problem::Format);
                    };
                    fallback.query_pairs_mut().append_pair("uri", uri);
                    fallback
                }
            },
        ),
        None => None,
    };
    Ok(Checked::Confirmed { handle: acct, url })
}

fn problem_of(e: &FetchError) -> Problem {
    match e {
        FetchError::Status { status, .. } if status.as_u16() == 404 || status.as_u16() == 410 => {
            Problem::UnknownAccount
        }
        FetchError::Gone => Problem::UnknownAccount,
        FetchError::Status { status, .. } if status.is_server_error() || status.as_u16() == 429 => {
            Problem::ServerError
        }
        FetchError::Network(_) | FetchError::Forbidden(_) => Problem::Unreachable,
        _ => Problem::NotFediverse,
    }
}

/// Whether `url`'s host is `host`, or one of them a subdomain of the other.
fn same_domain(url: &Url, host: &str) -> bool {
    let Some(target) = url.host_str().map(str::to_ascii_lowercase) else {
        return false;
    };
    let host = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
        .to_ascii_lowercase();
    target == host || target.ends_with(&format!(".{host}")) || host.ends_with(&format!(".{target}"))
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
    fn a_template_must_lead_to_the_handles_own_domain() {
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(same_domain(
            &url("https://social.example.com/x"),
            "example.com"
        ));
        assert!(same_domain(&url("https://example.com/x"), "example.com"));
        assert!(same_domain(
            &url("https://example.com/x"),
            "social.example.com"
        ));
        assert!(same_domain(
            &url("http://127.0.0.1:8080/x"),
            "127.0.0.1:8080"
        ));
        assert!(!same_domain(
            &url("https://phish.example/login"),
            "evil.example"
        ));
        assert!(!same_domain(
            &url("https://notexample.com/x"),
            "example.com"
        ));
    }

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

    #[test]
    fn a_handle_is_name_at_server_or_a_server() {
        let ok = |s: &str| parse_handle(s).map(|(a, _)| a);
        let problem = |s: &str| parse_handle(s).unwrap_err().problem;
        assert_eq!(ok("@ana@Mastodon.Social").unwrap(), "ana@mastodon.social");
        assert_eq!(ok("acct:ana@m.example").unwrap(), "ana@m.example");
        assert_eq!(
            ok("https://mastodon.social/").unwrap(),
            "mastodon.social@mastodon.social"
        );
        assert_eq!(
            ok("reader@127.0.0.1:8081").unwrap(),
            "reader@127.0.0.1:8081"
        );
        assert_eq!(problem("  "), Problem::Empty);
        assert_eq!(problem("Jean Dupont"), Problem::Format);
        assert_eq!(problem("jean"), Problem::Format);
        assert_eq!(problem("jean@gmail"), Problem::Format);
        assert_eq!(problem("@"), Problem::Empty);
        assert_eq!(problem("jean@"), Problem::Format);
        assert_eq!(problem("a@b@c.example"), Problem::Format);
        assert_eq!(problem("jean@exa_mple.fr"), Problem::Format);
        assert_eq!(problem("jean@example.fr:99999x"), Problem::Format);
    }
}
