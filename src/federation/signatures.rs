//! HTTP message signatures, draft-cavage flavour (what Mastodon, Pleroma, GoToSocial and
//! most of the fediverse send): parsing, the policy a request must meet, verification and
//! signing, with `ring` on the hot paths (the `rsa` crate is ~11x slower).
//!
//! Spec: draft-cavage-http-signatures-12; digests: RFC 3230 `Digest` and RFC 9530
//! `Content-Digest`.

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use ring::signature::{self, RsaKeyPair, UnparsedPublicKey};

/// Why a request's signature was refused. Every variant is a 401 for the client.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("request is not signed")]
    Missing,
    #[error("malformed Signature header: {0}")]
    Malformed(&'static str),
    #[error("unsupported signature algorithm")]
    UnsupportedAlgorithm,
    #[error("signature does not cover {0}")]
    MissingComponent(&'static str),
    /// Signed for another server (its `Host` / `@authority` is not ours): a replay of a
    /// request someone made to them.
    #[error("signature is addressed to another server")]
    WrongAuthority,
    #[error("signed header {0} is absent from the request")]
    AbsentHeader(String),
    #[error("signature date is outside the accepted window")]
    Expired,
    #[error("body digest is missing")]
    MissingDigest,
    #[error("body digest does not match")]
    DigestMismatch,
    #[error("signer's public key is unusable")]
    BadKey,
    #[error("signature does not verify")]
    Invalid,
}

/// A parsed `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CavageSignature {
    pub key_id: String,
    pub algorithm: Option<String>,
    pub headers: Vec<String>,
    pub signature: Vec<u8>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
}

/// How strict verification is; built from the federation settings.
#[derive(Debug, Clone, Copy)]
pub struct SignaturePolicy {
    /// How old `Date`/`(created)` may be, in seconds.
    pub max_age_secs: i64,
    /// How far in the future they may be (clock skew), in seconds.
    pub max_skew_secs: i64,
}

/// The parts of an incoming request that a signature covers.
pub struct SignedRequest<'a> {
    pub method: &'a Method,
    /// Path and query exactly as received (the `(request-target)`).
    pub path_and_query: &'a str,
    pub headers: &'a HeaderMap,
}

impl CavageSignature {
    /// Reads the `Signature` header (or `Authorization: Signature …`, which some
    /// implementations of older drafts send).
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, SignatureError> {
        if let Some(value) = headers.get("signature") {
            let value = value
                .to_str()
                .map_err(|_| SignatureError::Malformed("not ASCII"))?;
            return Self::parse(value);
        }
        if let Some(value) = headers.get(http::header::AUTHORIZATION) {
            let value = value
                .to_str()
                .map_err(|_| SignatureError::Malformed("not ASCII"))?;
            if let Some(rest) = value.strip_prefix("Signature ") {
                return Self::parse(rest);
            }
        }
        Err(SignatureError::Missing)
    }

    /// Parses `keyId="…",algorithm="…",headers="…",signature="…"`.
    pub fn parse(value: &str) -> Result<Self, SignatureError> {
        let mut key_id = None;
        let mut algorithm = None;
        let mut headers = None;
        let mut signature = None;
        let mut created = None;
        let mut expires = None;
        for (name, val) in parse_params(value)? {
            match name.to_ascii_lowercase().as_str() {
                "keyid" => key_id = Some(val),
                "algorithm" => algorithm = Some(val.to_ascii_lowercase()),
                "headers" => {
                    headers = Some(
                        val.split_ascii_whitespace()
                            .map(str::to_ascii_lowercase)
                            .collect::<Vec<_>>(),
                    )
                }
                "signature" => {
                    signature = Some(
                        B64.decode(val.as_bytes())
                            .map_err(|_| SignatureError::Malformed("signature is not base64"))?,
                    )
                }
                "created" => {
                    created = Some(
                        val.parse()
                            .map_err(|_| SignatureError::Malformed("created is not a number"))?,
                    )
                }
                "expires" => {
                    expires = Some(
                        val.trim()
                            .parse::<f64>()
                            .map_err(|_| SignatureError::Malformed("expires is not a number"))?
                            as i64,
                    )
                }
                _ => {}
            }
        }
        Ok(Self {
            key_id: key_id.ok_or(SignatureError::Malformed("keyId missing"))?,
            algorithm,
            // The draft's default when `headers` is absent is `(created)`; older drafts
            // said `date`. Either way the policy below then refuses it.
            headers: headers.unwrap_or_else(|| vec!["date".to_string()]),
            signature: signature.ok_or(SignatureError::Malformed("signature missing"))?,
            created,
            expires,
        })
    }

    /// Enforces what a signature must cover (target, host, date or created, and the
    /// body digest on POST), that the signed `Host` is `ours` (the public URL), the date
    /// window both ways and the digest itself.
    pub fn check_policy(
        &self,
        req: &SignedRequest<'_>,
        body: &[u8],
        now: i64,
        policy: SignaturePolicy,
        ours: &url::Url,
    ) -> Result<(), SignatureError> {
        let covers = |name: &str| self.headers.iter().any(|h| h == name);
        if !covers("(request-target)") {
            return Err(SignatureError::MissingComponent("(request-target)"));
        }
        if !covers("host") {
            return Err(SignatureError::MissingComponent("host"));
        }
        // The signed `Host` names the server the request was made for; without this
        // check any server a user delivers to could replay the request here within the
        // date window. One value only: several would be joined into the signed line.
        let mut hosts = req.headers.get_all(http::header::HOST).iter();
        match (hosts.next(), hosts.next()) {
            (Some(host), None) if host.to_str().is_ok_and(|h| is_authority_of(h.trim(), ours)) => {}
            (None, _) => return Err(SignatureError::AbsentHeader("host".into())),
            _ => return Err(SignatureError::WrongAuthority),
        }
        let signed_time = if covers("(created)") {
            self.created
                .ok_or(SignatureError::Malformed("created missing"))?
        } else if covers("date") {
            let date = header_str(req.headers, "date")
                .ok_or_else(|| SignatureError::AbsentHeader("date".into()))?;
            httpdate::parse_http_date(date)
                .map_err(|_| SignatureError::Malformed("Date is not an HTTP date"))?
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .map_err(|_| SignatureError::Expired)?
        } else {
            return Err(SignatureError::MissingComponent("date"));
        };
        if signed_time > now + policy.max_skew_secs || signed_time < now - policy.max_age_secs {
            return Err(SignatureError::Expired);
        }
        if let Some(expires) = self.expires {
            if expires + policy.max_skew_secs < now {
                return Err(SignatureError::Expired);
            }
        }
        if *req.method == Method::POST {
            if covers("digest") {
                verify_digest(header_str(req.headers, "digest"), body)?;
            } else if covers("content-digest") {
                digest_matches_content_digest(header_str(req.headers, "content-digest"), body)?;
            } else {
                return Err(SignatureError::MissingComponent("digest"));
            }
        }
        Ok(())
    }

    /// Builds the signing string from the request, in the order of `headers=`.
    pub fn signing_string(&self, req: &SignedRequest<'_>) -> Result<String, SignatureError> {
        let mut lines = Vec::with_capacity(self.headers.len());
        for name in &self.headers {
            let value = match name.as_str() {
                "(request-target)" => format!(
                    "{} {}",
                    req.method.as_str().to_ascii_lowercase(),
                    req.path_and_query
                ),
                "(created)" => self
                    .created
                    .ok_or(SignatureError::Malformed("created missing"))?
                    .to_string(),
                "(expires)" => self
                    .expires
                    .ok_or(SignatureError::Malformed("expires missing"))?
                    .to_string(),
                other => {
                    let values: Vec<&str> = req
                        .headers
                        .get_all(other)
                        .iter()
                        .filter_map(|v| v.to_str().ok())
                        .map(str::trim)
                        .collect();
                    if values.is_empty() {
                        return Err(SignatureError::AbsentHeader(other.to_string()));
                    }
                    values.join(", ")
                }
            };
            lines.push(format!("{name}: {value}"));
        }
        Ok(lines.join("\n"))
    }

    /// Verifies the signature over the request with the signer's public key.
    pub fn verify(&self, req: &SignedRequest<'_>, key: &PublicKey) -> Result<(), SignatureError> {
        let message = self.signing_string(req)?;
        let algorithm: &dyn signature::VerificationAlgorithm =
            match (self.algorithm.as_deref(), key) {
                // hs2019 means "whatever the key is": Mastodon and GoToSocial mean
                // RSASSA-PKCS1-v1_5 with SHA-256 by it for RSA keys.
                (None | Some("hs2019") | Some("rsa-sha256"), PublicKey::Rsa(_)) => {
                    &signature::RSA_PKCS1_2048_8192_SHA256
                }
                (Some("rsa-sha512"), PublicKey::Rsa(_)) => &signature::RSA_PKCS1_2048_8192_SHA512,
                // `ed25519-sha512` is what Misskey's signer (after joyent's
                // http-signature) writes for an Ed25519 key: plain Ed25519 over the
                // signing string, SHA-512 being Ed25519's own hash.
                (
                    None | Some("hs2019") | Some("ed25519") | Some("ed25519-sha512"),
                    PublicKey::Ed25519(_),
                ) => &signature::ED25519,
                _ => return Err(SignatureError::UnsupportedAlgorithm),
            };
        UnparsedPublicKey::new(algorithm, key.bytes())
            .verify(message.as_bytes(), &self.signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

/// A remote actor's verification key, decoded once from its PEM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// PKCS#1 `RSAPublicKey` DER, as `ring` wants it.
    Rsa(Vec<u8>),
    Ed25519(Vec<u8>),
}

/// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

impl PublicKey {
    /// Decodes `BEGIN PUBLIC KEY` (SPKI, RSA or Ed25519) or `BEGIN RSA PUBLIC KEY`.
    pub fn from_pem(pem: &str) -> Result<Self, SignatureError> {
        use rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey};
        use rsa::pkcs8::DecodePublicKey;
        let der = pem_to_der(pem).ok_or(SignatureError::BadKey)?;
        if der.len() == 44 && der.starts_with(&ED25519_SPKI_PREFIX) {
            return Ok(Self::Ed25519(der[12..].to_vec()));
        }
        let rsa = rsa::RsaPublicKey::from_public_key_der(&der)
            .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(&der))
            .map_err(|_| SignatureError::BadKey)?;
        let pkcs1 = rsa.to_pkcs1_der().map_err(|_| SignatureError::BadKey)?;
        Ok(Self::Rsa(pkcs1.as_bytes().to_vec()))
    }

    /// Decodes a FEP-521a `publicKeyMultibase` (`z` + base58btc of a multicodec key):
    /// Ed25519 (`0xed01`) or RSA (`0x1205`, PKCS#1 DER).
    pub fn from_multibase(value: &str) -> Result<Self, SignatureError> {
        let encoded = value.strip_prefix('z').ok_or(SignatureError::BadKey)?;
        let bytes = bs58::decode(encoded)
            .into_vec()
            .map_err(|_| SignatureError::BadKey)?;
        match bytes.as_slice() {
            [0xed, 0x01, key @ ..] if key.len() == 32 => Ok(Self::Ed25519(key.to_vec())),
            [0x85, 0x24, der @ ..] => Ok(Self::Rsa(der.to_vec())),
            _ => Err(SignatureError::BadKey),
        }
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Self::Rsa(b) | Self::Ed25519(b) => b,
        }
    }
}

/// A local actor's RSA signing key and its public `keyId`.
pub struct Signer {
    pub key_id: String,
    key: RsaKeyPair,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .finish()
    }
}

impl Signer {
    /// Loads a PKCS#8 PEM private key.
    pub fn from_pkcs8_pem(key_id: String, pem: &str) -> Result<Self, SignatureError> {
        let der = pem_to_der(pem).ok_or(SignatureError::BadKey)?;
        let key = RsaKeyPair::from_pkcs8(&der).map_err(|_| SignatureError::BadKey)?;
        Ok(Self { key_id, key })
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
    pub fn sign_bytes(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                message,
                &mut sig,
            )
            .map_err(|_| SignatureError::BadKey)?;
        Ok(sig)
    }

    /// Signs an outgoing request the way Mastodon does: cavage `rsa-sha256` over
    /// `(request-target) host date digest content-type` for POST and
    /// `(request-target) host date accept` for GET. Adds `Host`, `Date`, `Digest` (POST)
    /// and `Signature` to `headers`; the caller sets `Content-Type`/`Accept` first.
    pub fn sign(
        &self,
        method: &Method,
        url: &url::Url,
        headers: &mut HeaderMap,
        body: Option<&[u8]>,
    ) -> Result<(), SignatureError> {
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => return Err(SignatureError::Malformed("url has no host")),
        };
        insert(headers, "host", &host)?;
        insert(
            headers,
            "date",
            &httpdate::fmt_http_date(std::time::SystemTime::now()),
        )?;
        let mut names = vec!["(request-target)", "host", "date"];
        if let Some(body) = body {
            insert(headers, "digest", &digest_header(body))?;
            names.push("digest");
            if headers.contains_key("content-type") {
                names.push("content-type");
            }
        } else if headers.contains_key("accept") {
            names.push("accept");
        }
        let path_and_query = match url.query() {
            Some(q) => format!("{}?{}", url.path(), q),
            None => url.path().to_string(),
        };
        let template = CavageSignature {
            key_id: self.key_id.clone(),
            algorithm: Some("rsa-sha256".into()),
            headers: names.iter().map(|s| s.to_string()).collect(),
            signature: Vec::new(),
            created: None,
            expires: None,
        };
        let message = template.signing_string(&SignedRequest {
            method,
            path_and_query: &path_and_query,
            headers,
        })?;
        let sig = self.sign_bytes(message.as_bytes())?;
        let value = format!(
            "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{}\"",
            self.key_id,
            names.join(" "),
            B64.encode(sig)
        );
        insert(headers, "signature", &value)
    }
}

/// Whether `authority` (a `Host` value or an RFC 9421 `@authority`: `host[:port]`)
/// names the server at `ours`. Host names compare case-insensitively (RFC 9110 §4.2.3)
/// and a default port may be written or left out, as senders differ on it; anything
/// with user info, a path or a query is not an authority.
pub fn is_authority_of(authority: &str, ours: &url::Url) -> bool {
    if authority.is_empty()
        || authority
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '@' | '?' | '#') || c.is_whitespace())
    {
        return false;
    }
    let Ok(parsed) = url::Url::parse(&format!("{}://{authority}/", ours.scheme())) else {
        return false;
    };
    parsed.host().is_some()
        && parsed.host() == ours.host()
        && parsed.port_or_known_default() == ours.port_or_known_default()
}

/// `SHA-256=<base64>` of a body, as the `Digest` header carries it.
pub fn digest_header(body: &[u8]) -> String {
    format!(
        "SHA-256={}",
        B64.encode(ring::digest::digest(&ring::digest::SHA256, body))
    )
}

fn verify_digest(header: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::MissingDigest)?;
    let expected = B64.encode(ring::digest::digest(&ring::digest::SHA256, body));
    let mut supported = false;
    // RFC 3230: comma-separated `algorithm=value`; the algorithm token is
    // case-insensitive (bovine sends `sha-256=`). Every SHA-256 given must match.
    for item in header.split(',') {
        let Some((alg, value)) = item.trim().split_once('=') else {
            continue;
        };
        if alg.trim().eq_ignore_ascii_case("sha-256") {
            supported = true;
            if value.trim() != expected {
                return Err(SignatureError::DigestMismatch);
            }
        }
    }
    if supported {
        Ok(())
    } else {
        Err(SignatureError::MissingDigest)
    }
}

/// Checks an RFC 9530 `Content-Digest` against the body (SHA-256 or SHA-512).
pub fn digest_matches_content_digest(
    header: Option<&str>,
    body: &[u8],
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::MissingDigest)?;
    let mut supported = false;
    // RFC 9530: a structured-field dictionary, `sha-256=:<base64>:`.
    for item in header.split(',') {
        let Some((alg, value)) = item.trim().split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches(':');
        let (algorithm, digest) = match alg.trim().to_ascii_lowercase().as_str() {
            "sha-256" => (&ring::digest::SHA256, value),
            "sha-512" => (&ring::digest::SHA512, value),
            _ => continue,
        };
        supported = true;
        if B64.encode(ring::digest::digest(algorithm, body)) != digest {
            return Err(SignatureError::DigestMismatch);
        }
    }
    if supported {
        Ok(())
    } else {
        Err(SignatureError::MissingDigest)
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) -> Result<(), SignatureError> {
    let value =
        HeaderValue::from_str(value).map_err(|_| SignatureError::Malformed("header value"))?;
    headers.insert(HeaderName::from_static(name), value);
    Ok(())
}

/// Splits `a="x",b=1` into pairs; quoted values may contain commas and `\"`.
fn parse_params(input: &str) -> Result<Vec<(String, String)>, SignatureError> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while matches!(chars.peek(), Some(c) if c.is_whitespace() || *c == ',') {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' {
                break;
            }
            name.push(c);
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(SignatureError::Malformed("parameter without value"));
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        closed = true;
                        break;
                    }
                    c => value.push(c),
                }
            }
            if !closed {
                return Err(SignatureError::Malformed("unterminated quote"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        out.push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok(out)
}

/// Decodes the base64 body of a PEM block.
pub fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && !l.is_empty())
        .collect();
    B64.decode(body.as_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;
    const POLICY: SignaturePolicy = SignaturePolicy {
        max_age_secs: 43_200,
        max_skew_secs: 3_600,
    };

    fn keypair() -> (Signer, PublicKey) {
        let pair = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
        (
            Signer::from_pkcs8_pem("https://a.example/u#main-key".into(), &pair.private_key)
                .unwrap(),
            PublicKey::from_pem(&pair.public_key).unwrap(),
        )
    }

    #[test]
    fn parses_a_mastodon_signature_header() {
        let sig = CavageSignature::parse(
            r#"keyId="https://m.example/users/a#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="AAAA""#,
        )
        .unwrap();
        assert_eq!(sig.key_id, "https://m.example/users/a#main-key");
        assert_eq!(sig.headers.len(), 5);
        assert_eq!(sig.signature, vec![0, 0, 0]);
    }

    #[test]
    fn a_request_signed_by_us_verifies_and_a_tampered_one_does_not() {
        let (signer, public) = keypair();
        let url = url::Url::parse("https://b.example/inbox?x=1").unwrap();
        let body = br#"{"type":"Create"}"#;
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            HeaderValue::from_static("application/activity+json"),
        );
        signer
            .sign(&Method::POST, &url, &mut headers, Some(body))
            .unwrap();
        let sig = CavageSignature::from_headers(&headers).unwrap();
        let req = SignedRequest {
            method: &Method::POST,
            path_and_query: "/inbox?x=1",
            headers: &headers,
        };
        let now = chrono::Utc::now().timestamp();
        let ours = url::Url::parse("https://b.example").unwrap();
        sig.check_policy(&req, body, now, POLICY, &ours).unwrap();
        sig.verify(&req, &public).unwrap();

        assert_eq!(
            sig.check_policy(&req, b"{}", now, POLICY, &ours),
            Err(SignatureError::DigestMismatch)
        );
        // The same request replayed to another server.
        let elsewhere = url::Url::parse("https://c.example").unwrap();
        assert_eq!(
            sig.check_policy(&req, body, now, POLICY, &elsewhere),
            Err(SignatureError::WrongAuthority)
        );
        let other_path = SignedRequest {
            path_and_query: "/inbox",
            ..req
        };
        assert_eq!(
            sig.verify(&other_path, &public),
            Err(SignatureError::Invalid)
        );
    }

    /// A cavage request signed with an Ed25519 key, as Misskey signs with its
    /// additional key: `algorithm="ed25519-sha512"` over the usual headers.
    fn ed25519_signed(algorithm: &str) -> (HeaderMap, PublicKey, ring::signature::Ed25519KeyPair) {
        use ring::signature::KeyPair;
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let public = PublicKey::Ed25519(pair.public_key().as_ref().to_vec());
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("b.example"));
        headers.insert(
            "date",
            HeaderValue::from_static("Tue, 14 Nov 2023 22:13:20 GMT"),
        );
        headers.insert(
            "digest",
            HeaderValue::from_str(&digest_header(b"{}")).unwrap(),
        );
        let base = format!(
            "(request-target): post /inbox\nhost: b.example\ndate: {}\ndigest: {}",
            "Tue, 14 Nov 2023 22:13:20 GMT",
            digest_header(b"{}")
        );
        let sig = B64.encode(pair.sign(base.as_bytes()));
        headers.insert(
            "signature",
            HeaderValue::from_str(&format!(
                r#"keyId="https://mk.example/users/1#ed25519-key",algorithm="{algorithm}",headers="(request-target) host date digest",signature="{sig}""#
            ))
            .unwrap(),
        );
        (headers, public, pair)
    }

    #[test]
    fn misskeys_ed25519_sha512_signature_verifies_and_a_tampered_one_does_not() {
        for algorithm in ["ed25519-sha512", "ED25519-SHA512", "hs2019", "ed25519"] {
            let (headers, public, _) = ed25519_signed(algorithm);
            let sig = CavageSignature::from_headers(&headers).unwrap();
            let req = SignedRequest {
                method: &Method::POST,
                path_and_query: "/inbox",
                headers: &headers,
            };
            assert_eq!(sig.verify(&req, &public), Ok(()), "{algorithm}");
            let elsewhere = SignedRequest {
                path_and_query: "/other",
                ..req
            };
            assert_eq!(
                sig.verify(&elsewhere, &public),
                Err(SignatureError::Invalid)
            );
        }
    }

    #[test]
    fn an_algorithm_naming_another_kind_of_key_is_refused() {
        let (headers, _, _) = ed25519_signed("ed25519-sha512");
        let sig = CavageSignature::from_headers(&headers).unwrap();
        let req = SignedRequest {
            method: &Method::POST,
            path_and_query: "/inbox",
            headers: &headers,
        };
        let (_, rsa) = keypair();
        assert_eq!(
            sig.verify(&req, &rsa),
            Err(SignatureError::UnsupportedAlgorithm)
        );
        let (headers, ed, _) = ed25519_signed("rsa-sha256");
        let sig = CavageSignature::from_headers(&headers).unwrap();
        let req = SignedRequest {
            method: &Method::POST,
            path_and_query: "/inbox",
            headers: &headers,
        };
        assert_eq!(
            sig.verify(&req, &ed),
            Err(SignatureError::UnsupportedAlgorithm)
        );
    }

    #[test]
    fn digest_algorithm_token_is_case_insensitive() {
        let body = b"hello";
        let lower = digest_header(body).replacen("SHA-256", "sha-256", 1);
        assert_eq!(verify_digest(Some(&lower), body), Ok(()));
        let content = format!(
            "sha-256=:{}:",
            B64.encode(ring::digest::digest(&ring::digest::SHA256, body))
        );
        assert_eq!(digest_matches_content_digest(Some(&content), body), Ok(()));
        assert_eq!(
            digest_matches_content_digest(Some(&content), b"other"),
            Err(SignatureError::DigestMismatch)
        );
    }

    #[test]
    fn an_authority_is_ours_only_with_our_host_and_port() {
        let ours = url::Url::parse("https://Comments.Example").unwrap();
        for yes in [
            "comments.example",
            "COMMENTS.example",
            "comments.example:443",
        ] {
            assert!(is_authority_of(yes, &ours), "{yes}");
        }
        for no in [
            "",
            "other.example",
            "comments.example:8443",
            "comments.example.evil",
            "evil@comments.example",
            "comments.example/inbox",
            "comments.example ",
        ] {
            assert!(!is_authority_of(no, &ours), "{no}");
        }
        let local = url::Url::parse("http://127.0.0.1:8080").unwrap();
        assert!(is_authority_of("127.0.0.1:8080", &local));
        assert!(!is_authority_of("127.0.0.1", &local));
        assert!(!is_authority_of("localhost:8080", &local));
        let v6 = url::Url::parse("http://[::1]:8080").unwrap();
        assert!(is_authority_of("[::1]:8080", &v6));
    }

    #[test]
    fn signatures_without_required_components_are_refused() {
        let ours = url::Url::parse("https://b.example").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("b.example"));
        headers.insert(
            "date",
            HeaderValue::from_str(&httpdate::fmt_http_date(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(NOW as u64),
            ))
            .unwrap(),
        );
        let req = SignedRequest {
            method: &Method::POST,
            path_and_query: "/inbox",
            headers: &headers,
        };
        let no_digest = CavageSignature::parse(
            r#"keyId="k",headers="(request-target) host date",signature="AAAA""#,
        )
        .unwrap();
        assert_eq!(
            no_digest.check_policy(&req, b"", NOW, POLICY, &ours),
            Err(SignatureError::MissingComponent("digest"))
        );
        let no_host =
            CavageSignature::parse(r#"keyId="k",headers="(request-target) date",signature="AAAA""#)
                .unwrap();
        assert_eq!(
            no_host.check_policy(&req, b"", NOW, POLICY, &ours),
            Err(SignatureError::MissingComponent("host"))
        );
        let future = CavageSignature::parse(
            r#"keyId="k",headers="(request-target) host (created) digest",created="1700007201",signature="AAAA""#,
        )
        .unwrap();
        assert_eq!(
            future.check_policy(&req, b"", NOW, POLICY, &ours),
            Err(SignatureError::Expired)
        );
    }
}
