//! Outgoing HTTP for federation: signed GETs of remote ActivityPub documents (authorized
//! fetch, signed by the instance actor) and signed POSTs to inboxes, behind an SSRF guard
//! and with size and time limits.
//!
//! We do not use activitypub_federation's `fetch_object_http`: it refuses hosts given as
//! IP literals and explicit ports outside its debug mode, and signs with the slow `rsa`
//! crate. Its `ValidatingDnsResolver` does guard our client's DNS answers.

use super::signatures::Signer;
use activitypub_federation::resolver::ValidatingDnsResolver;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::Value;
use std::{net::IpAddr, sync::Arc, time::Duration};
use url::{Host, Url};

/// What we ask for when fetching an ActivityPub document.
pub const ACCEPT_ACTIVITY: &str = r#"application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams""#;
/// The media type we send and serve.
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// Why a fetch or a delivery failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused address: {0}")]
    Forbidden(String),
    #[error("object is gone")]
    Gone,
    #[error("remote answered {status}")]
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
    },
    #[error("response is not ActivityPub JSON")]
    ContentType,
    #[error("response is larger than allowed")]
    TooLarge,
    #[error("response is not valid JSON: {0}")]
    Json(String),
    #[error("document id does not match where it was fetched from")]
    WrongId,
    #[error("too many redirects")]
    Redirects,
    #[error("network: {0}")]
    Network(String),
    #[error("signing: {0}")]
    Signing(String),
}

impl FetchError {
    /// Whether trying again later could succeed (network trouble, 5xx, 429).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Status { status, .. } => {
                status.is_server_error()
                    || *status == StatusCode::TOO_MANY_REQUESTS
                    || *status == StatusCode::REQUEST_TIMEOUT
            }
            _ => false,
        }
    }
}

/// A client error with its causes (the resolver's refusal, the connection's error):
/// reqwest's own message alone says only "error sending request". No URL (it may
/// carry credentials).
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// HTTP validators for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Redirect hops followed on a first fetch (never on the fetch that confirms an id).
const MAX_REDIRECTS: usize = 3;

/// The `id` of a fetched document, as a URL without its fragment.
fn document_id(json: &Value) -> Result<Url, FetchError> {
    let mut id = json
        .get("id")
        .and_then(Value::as_str)
        .and_then(|s| Url::parse(s).ok())
        .ok_or(FetchError::WrongId)?;
    id.set_fragment(None);
    Ok(id)
}

/// A fetched document, and the id it was confirmed at.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub url: Url,
    pub json: Value,
}

/// Which kind of signature a host accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SignatureStyle {
    Cavage,
    Rfc9421,
}

impl SignatureStyle {
    fn other(self) -> Self {
        match self {
            Self::Cavage => Self::Rfc9421,
            Self::Rfc9421 => Self::Cavage,
        }
    }
}

/// The HTTP client of federation, with its policy.
#[derive(Clone)]
pub struct Fetcher {
    /// What each host accepted last (a cache: losing it costs one extra request).
    styles: Arc<std::sync::Mutex<std::collections::HashMap<String, SignatureStyle>>>,
    client: reqwest::Client,
    allow_private: bool,
    max_bytes: usize,
    instance_signer: Arc<Signer>,
}

impl Fetcher {
    pub fn new(
        allow_private: bool,
        timeout: Duration,
        max_bytes: usize,
        instance_signer: Arc<Signer>,
    ) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("Tribune/", env!("CARGO_PKG_VERSION")))
            // Redirects are followed by hand so that each hop passes the guard.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .dns_resolver(Arc::new(ValidatingDnsResolver::new(vec![], !allow_private)))
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Self {
            styles: Arc::default(),
            client,
            allow_private,
            max_bytes,
            instance_signer,
        })
    }

    /// Refuses URLs we must never request: other schemes, plain http and IP literals in
    /// private ranges unless private networks are allowed. Host names are checked again
    /// after DNS resolution by the client's resolver.
    pub fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        match url.scheme() {
            "https" => {}
            "http" if self.allow_private => {}
            _ => return Err(FetchError::Forbidden(format!("scheme of {url}"))),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FetchError::Forbidden("credentials in URL".into()));
        }
        if self.allow_private {
            return Ok(());
        }
        let ip: Option<IpAddr> = match url.host() {
            Some(Host::Ipv4(ip)) => Some(ip.into()),
            Some(Host::Ipv6(ip)) => Some(ip.into()),
            Some(Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => {
                return Err(FetchError::Forbidden(d.to_string()))
            }
            Some(Host::Domain(_)) => None,
            None => return Err(FetchError::Forbidden("no host".into())),
        };
        match ip {
            Some(ip) if !is_public_ip(ip) => Err(FetchError::Forbidden(ip.to_string())),
            _ => Ok(()),
        }
    }

    /// GETs an ActivityPub document, signed by the instance actor, checking the content
    /// type (Mastodon GHSA-jhrq-qvrm-qr36) and who the document is.
    ///
    /// Redirects decide nothing about identity: a document counts only where it was
    /// served from its own `id` (fragments aside). When the last hop was not the
    /// document's id (a URL that answers `302` to another server's account, an open
    /// redirect, a server that serves objects away from their ids as WordPress and
    /// PeerTube can), the id itself is fetched, on its own host and with no redirect,
    /// and must answer with the same id. `Fetched::url` is that id: callers that need
    /// the document to be the one they asked for (an actor) compare it.
    pub async fn fetch(&self, url: &Url) -> Result<Fetched, FetchError> {
        let (served_from, json) = self.get_document(url, MAX_REDIRECTS).await?;
        let id = document_id(&json)?;
        if id == served_from {
            return Ok(Fetched { url: id, json });
        }
        let (_, confirmed) = self.get_document(&id, 0).await?;
        if document_id(&confirmed)? == id {
            return Ok(Fetched {
                url: id,
                json: confirmed,
            });
        }
        Err(FetchError::WrongId)
    }

    /// One signed GET of a document, following at most `redirects` hops, each through
    /// the guard; answers the URL the document came from (no fragment) and the document.
    async fn get_document(&self, url: &Url, redirects: usize) -> Result<(Url, Value), FetchError> {
        let mut current = url.clone();
        for _ in 0..=redirects {
            self.check_url(&current)?;
            let mut headers = HeaderMap::new();
            headers.insert("accept", HeaderValue::from_static(ACCEPT_ACTIVITY));
            let mut target = current.clone();
            target.set_fragment(None);
            let response = self
                .send_signed(&self.instance_signer, Method::GET, &target, headers, None)
                .await?;
            let status = response.status();
            if status.is_redirection() {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| target.join(l).ok())
                    .ok_or_else(|| FetchError::Network("redirect without location".into()))?;
                current = location;
                continue;
            }
            if status == StatusCode::GONE {
                return Err(FetchError::Gone);
            }
            if !status.is_success() {
                return Err(FetchError::Status {
                    status,
                    retry_after: retry_after(response.headers()),
                });
            }
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase();
            let essence = content_type.split(';').next().unwrap_or("").trim();
            if essence != "application/activity+json" && essence != "application/ld+json" {
                return Err(FetchError::ContentType);
            }
            let body = self.read_limited(response).await?;
            let json =
                serde_json::from_slice(&body).map_err(|e| FetchError::Json(e.to_string()))?;
            return Ok((target, json));
        }
        Err(FetchError::Redirects)
    }

    /// Resolves `user@host` to its actor URL through WebFinger (RFC 7033).
    pub async fn webfinger(&self, handle: &str, host: &str) -> Result<Url, FetchError> {
        let jrd = self.webfinger_document(handle, host).await?;
        let actor = links(&jrd)
            .find(|l| {
                l.get("rel").and_then(Value::as_str) == Some("self")
                    && l.get("type").and_then(Value::as_str).is_some_and(|t| {
                        t.starts_with("application/activity+json")
                            || t.starts_with("application/ld+json")
                    })
            })
            .and_then(|l| l.get("href").and_then(Value::as_str))
            .and_then(|h| Url::parse(h).ok())
            .ok_or(FetchError::WrongId);
        actor
    }

    /// The WebFinger document of `acct:handle` on `host`. Plain http is tried after
    /// https only where private networks are allowed (development).
    pub async fn webfinger_document(&self, handle: &str, host: &str) -> Result<Value, FetchError> {
        let schemes: &[&str] = if self.allow_private {
            &["https", "http"]
        } else {
            &["https"]
        };
        let mut last = FetchError::Network("no scheme tried".into());
        for scheme in schemes {
            let mut url = Url::parse(&format!("{scheme}://{host}/.well-known/webfinger"))
                .map_err(|_| FetchError::Forbidden(host.to_string()))?;
            url.query_pairs_mut()
                .append_pair("resource", &format!("acct:{handle}"));
            match self.get_jrd(&url).await {
                Ok(json) => return Ok(json),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// A WebFinger document, following at most `MAX_REDIRECTS` hops, each through the
    /// guard: a domain whose accounts live on another host (`@ana@example.com` served by
    /// `social.example.com`) redirects its `/.well-known/webfinger` there.
    async fn get_jrd(&self, url: &Url) -> Result<Value, FetchError> {
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            self.check_url(&current)?;
            let response = self
                .client
                .get(current.clone())
                .header("accept", "application/jrd+json, application/json")
                .send()
                .await
                .map_err(|e| FetchError::Network(describe(e)))?;
            if !response.status().is_redirection() {
                return self.read_jrd(response).await;
            }
            current = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .and_then(|l| current.join(l).ok())
                .ok_or_else(|| FetchError::Network("redirect without location".into()))?;
            // A hop to another port is not a fediverse server's habit, and would let a
            // visitor's check knock on any port of a public host through us.
            if current.port().is_some() && !self.allow_private {
                return Err(FetchError::Forbidden("a redirect to another port".into()));
            }
        }
        Err(FetchError::Redirects)
    }

    async fn read_jrd(&self, response: reqwest::Response) -> Result<Value, FetchError> {
        if !response.status().is_success() {
            return Err(FetchError::Status {
                status: response.status(),
                retry_after: None,
            });
        }
        let body = self.read_limited(response).await?;
        serde_json::from_slice(&body).map_err(|e| FetchError::Json(e.to_string()))
    }

    /// POSTs a signed activity to an inbox.
    pub async fn deliver(
        &self,
        signer: &Signer,
        inbox: &Url,
        body: &[u8],
    ) -> Result<(), FetchError> {
        self.check_url(inbox)?;
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static(ACTIVITY_JSON));
        headers.insert("accept", HeaderValue::from_static(ACCEPT_ACTIVITY));
        let response = self
            .send_signed(signer, Method::POST, inbox, headers, Some(body))
            .await?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status == StatusCode::GONE {
            Err(FetchError::Gone)
        } else {
            Err(FetchError::Status {
                status,
                retry_after: retry_after(response.headers()),
            })
        }
    }

    /// POSTs a webhook's JSON `body` with its `headers`, behind the same guard as
    /// every request (the scheme and address rules, the resolver refusing private
    /// addresses in production), following no redirect and reading at most 4 KiB of
    /// what it answers.
    pub async fn post_webhook(
        &self,
        url: &Url,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<(), FetchError> {
        self.check_url(url)?;
        let mut response = self
            .client
            .post(url.clone())
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(|e| FetchError::Network(describe(e)))?;
        let status = response.status();
        // Drain a little so the connection can be reused; a large answer is dropped.
        let mut read = 0;
        while read < 4096 {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                _ => break,
            }
        }
        if status.is_success() {
            Ok(())
        } else {
            Err(FetchError::Status {
                status,
                retry_after: retry_after(response.headers()),
            })
        }
    }

    /// Sends a signed request with the scheme this host accepts: draft-cavage first (as
    /// Mastodon sends), RFC 9421 on a 401 ("double knock", as Fedify does the other way
    /// round), remembering per host what worked.
    async fn send_signed(
        &self,
        signer: &Signer,
        method: Method,
        url: &Url,
        base_headers: HeaderMap,
        body: Option<&[u8]>,
    ) -> Result<reqwest::Response, FetchError> {
        // Remembered per authority (host and port): two servers on one host may differ.
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => String::new(),
        };
        let first = self
            .styles
            .lock()
            .map(|m| m.get(&host).copied())
            .ok()
            .flatten()
            .unwrap_or(SignatureStyle::Cavage);
        let mut style = first;
        loop {
            let mut headers = base_headers.clone();
            match style {
                SignatureStyle::Cavage => signer.sign(&method, url, &mut headers, body),
                SignatureStyle::Rfc9421 => {
                    super::rfc9421::sign(signer, &method, url, &mut headers, body)
                }
            }
            .map_err(|e| FetchError::Signing(e.to_string()))?;
            let mut request = self
                .client
                .request(method.clone(), url.clone())
                .headers(headers);
            if let Some(body) = body {
                request = request.body(body.to_vec());
            }
            let response = request
                .send()
                .await
                .map_err(|e| FetchError::Network(describe(e)))?;
            let refused = response.status() == StatusCode::UNAUTHORIZED;
            if !refused {
                if style != first {
                    if let Ok(mut styles) = self.styles.lock() {
                        styles.insert(host, style);
                    }
                }
                return Ok(response);
            }
            if style != first {
                return Ok(response);
            }
            style = style.other();
        }
    }

    /// GETs a publisher's page or feed (not ActivityPub: unsigned), behind the same
    /// guard and limits, with a conditional GET when validators are given. `None` when
    /// unchanged (304). Redirects are followed only on the same origin.
    pub async fn fetch_page(
        &self,
        url: &Url,
        accept: &'static str,
        validators: &Validators,
    ) -> Result<Option<(Vec<u8>, Validators)>, FetchError> {
        self.fetch_page_with(url, accept, validators, None).await
    }

    /// `fetch_page` with credentials (an `Authorization` header, e.g. for a private
    /// blocklist).
    pub async fn fetch_page_with(
        &self,
        url: &Url,
        accept: &'static str,
        validators: &Validators,
        authorization: Option<&str>,
    ) -> Result<Option<(Vec<u8>, Validators)>, FetchError> {
        let mut current = url.clone();
        for _ in 0..4 {
            self.check_url(&current)?;
            let mut request = self.client.get(current.clone()).header("accept", accept);
            if let Some(credentials) = authorization {
                request = request.header("authorization", credentials);
            }
            if let Some(etag) = &validators.etag {
                request = request.header("if-none-match", etag);
            }
            if let Some(modified) = &validators.last_modified {
                request = request.header("if-modified-since", modified);
            }
            let response = request
                .send()
                .await
                .map_err(|e| FetchError::Network(describe(e)))?;
            let status = response.status();
            if status == StatusCode::NOT_MODIFIED {
                return Ok(None);
            }
            if status.is_redirection() {
                let next = response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| current.join(l).ok())
                    .filter(|n| n.origin() == url.origin())
                    .ok_or(FetchError::Redirects)?;
                current = next;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Status {
                    status,
                    retry_after: retry_after(response.headers()),
                });
            }
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let fresh = Validators {
                etag: header("etag"),
                last_modified: header("last-modified"),
            };
            return Ok(Some((self.read_limited(response).await?, fresh)));
        }
        Err(FetchError::Redirects)
    }

    async fn read_limited(&self, mut response: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        if response
            .content_length()
            .is_some_and(|len| len as usize > self.max_bytes)
        {
            return Err(FetchError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| FetchError::Network(describe(e)))?
        {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(FetchError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// The `links` of a WebFinger document.
pub fn links(jrd: &Value) -> impl Iterator<Item = &Value> {
    jrd.get("links")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?;
    if let Ok(secs) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    when.duration_since(std::time::SystemTime::now()).ok()
}

/// Whether an address is reachable on the public internet (not loopback, private,
/// link-local — cloud metadata lives at 169.254.169.254 —, multicast, CGNAT,
/// documentation or reserved ranges).
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 0x40)
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_ip(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0xdb8)
                || (s[0] == 0x64 && s[1] == 0xff9b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_metadata_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "169.254.169.254",
            "192.168.1.1",
            "::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public_ip(ip.parse().unwrap()), "{ip}");
        }
        assert!(is_public_ip("93.184.216.34".parse().unwrap()));
        assert!(is_public_ip("2a01:4f8::1".parse().unwrap()));
    }
}
