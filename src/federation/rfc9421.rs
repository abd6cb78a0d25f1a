//! HTTP Message Signatures, RFC 9421 (what Fedify-based servers send first, and
//! Mastodon 4.5 verifies): `Signature-Input`/`Signature`, with `Content-Digest`
//! (RFC 9530) for bodies. Verification of `rsa-v1_5-sha256`, `rsa-pss-sha512` and
//! `ed25519`; signing with our RSA keys for peers that refuse draft-cavage.

use super::signatures::{
    digest_matches_content_digest, PublicKey, SignatureError, SignaturePolicy, Signer,
};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use http::{HeaderMap, HeaderValue, Method};
use ring::signature::{self, UnparsedPublicKey};

/// One signature taken from `Signature-Input` and `Signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSignature {
    pub label: String,
    /// Covered component identifiers, serialised as they were received
    /// (`"@method"`, `"content-digest"`…).
    pub components: Vec<String>,
    /// The signature parameters as received: the value of `@signature-params`.
    pub params_raw: String,
    pub key_id: String,
    pub alg: Option<String>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
    pub signature: Vec<u8>,
}

/// What the signature base is built from.
pub struct Message<'a> {
    pub method: &'a Method,
    /// Full target URI (`https://host/path?query`), as the sender addressed it.
    pub target_uri: &'a str,
    pub headers: &'a HeaderMap,
}

impl MessageSignature {
    /// Whether the request carries an RFC 9421 signature.
    pub fn present(headers: &HeaderMap) -> bool {
        headers.contains_key("signature-input")
    }

    /// Reads the first signature whose label appears in both headers.
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, SignatureError> {
        let input = joined(headers, "signature-input").ok_or(SignatureError::Missing)?;
        let signatures = joined(headers, "signature").ok_or(SignatureError::Missing)?;
        let mut values = std::collections::HashMap::new();
        for member in split_top_level(&signatures) {
            let (label, value) = member
                .split_once('=')
                .ok_or(SignatureError::Malformed("Signature member"))?;
            let value = value.trim();
            let bytes = value
                .strip_prefix(':')
                .and_then(|v| v.strip_suffix(':'))
                .ok_or(SignatureError::Malformed(
                    "Signature is not a byte sequence",
                ))?;
            values.insert(label.trim().to_string(), bytes.to_string());
        }
        for member in split_top_level(&input) {
            let Some((label, value)) = member.split_once('=') else {
                continue;
            };
            let label = label.trim();
            let Some(encoded) = values.get(label) else {
                continue;
            };
            let mut parsed = parse_input(label, value.trim())?;
            parsed.signature = B64
                .decode(encoded.as_bytes())
                .map_err(|_| SignatureError::Malformed("signature is not base64"))?;
            return Ok(parsed);
        }
        Err(SignatureError::Malformed(
            "no Signature for any Signature-Input",
        ))
    }

    fn covers(&self, name: &str) -> bool {
        self.components.iter().any(|c| c == &format!("\"{name}\""))
    }

    /// The same policy as for draft-cavage, as Mastodon 4.5 applies it: the method,
    /// the target and the authority are covered, the target is ours (`msg.target_uri`
    /// is built from our public URL, so a signature made for another server's
    /// `@authority` / `@target-uri` does not verify), a time (`created` or `date`)
    /// within the window, and the body digest on POST.
    pub fn check_policy(
        &self,
        msg: &Message<'_>,
        body: &[u8],
        now: i64,
        policy: SignaturePolicy,
        ours: &url::Url,
    ) -> Result<(), SignatureError> {
        // Without `@method` a signed GET could be replayed as a POST (RFC 9421 §7.2.1).
        if !self.covers("@method") {
            return Err(SignatureError::MissingComponent("@method"));
        }
        // A `host` header alone does not count: only the derived components are what
        // the server itself saw (RFC 9421 §2.2.3), and Mastodon requires them too.
        if !(self.covers("@authority") || self.covers("@target-uri")) {
            return Err(SignatureError::MissingComponent("@authority"));
        }
        if !(self.covers("@target-uri") || self.covers("@request-target") || self.covers("@path")) {
            return Err(SignatureError::MissingComponent("@target-uri"));
        }
        let target =
            url::Url::parse(msg.target_uri).map_err(|_| SignatureError::Malformed("target URI"))?;
        if target.host() != ours.host()
            || target.port_or_known_default() != ours.port_or_known_default()
        {
            return Err(SignatureError::WrongAuthority);
        }
        // A covered `Host` is checked too: it must not name another server.
        if self.covers("host") {
            let host = joined(msg.headers, "host")
                .ok_or_else(|| SignatureError::AbsentHeader("host".into()))?;
            if !super::signatures::is_authority_of(&host, ours) {
                return Err(SignatureError::WrongAuthority);
            }
        }
        let signed_time = match (self.created, self.covers("date")) {
            (Some(created), _) => created,
            (None, true) => {
                let date = msg
                    .headers
                    .get("date")
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| SignatureError::AbsentHeader("date".into()))?;
                httpdate::parse_http_date(date)
                    .map_err(|_| SignatureError::Malformed("Date is not an HTTP date"))?
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .map_err(|_| SignatureError::Expired)?
            }
            (None, false) => return Err(SignatureError::MissingComponent("created")),
        };
        if signed_time > now + policy.max_skew_secs || signed_time < now - policy.max_age_secs {
            return Err(SignatureError::Expired);
        }
        if self.expires.is_some_and(|e| e + policy.max_skew_secs < now) {
            return Err(SignatureError::Expired);
        }
        if *msg.method == Method::POST {
            if !self.covers("content-digest") {
                return Err(SignatureError::MissingComponent("content-digest"));
            }
            digest_matches_content_digest(
                msg.headers
                    .get("content-digest")
                    .and_then(|v| v.to_str().ok()),
                body,
            )?;
        }
        Ok(())
    }

    /// The signature base (RFC 9421 §2.5).
    pub fn base(&self, msg: &Message<'_>) -> Result<String, SignatureError> {
        let uri =
            url::Url::parse(msg.target_uri).map_err(|_| SignatureError::Malformed("target URI"))?;
        let authority = match (uri.host_str(), uri.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => return Err(SignatureError::Malformed("target URI without host")),
        };
        let mut out = String::new();
        for component in &self.components {
            let name = component
                .strip_prefix('"')
                .and_then(|c| c.strip_suffix('"'))
                .ok_or(SignatureError::Malformed(
                    "component parameters are not supported",
                ))?;
            let value = match name {
                "@method" => msg.method.as_str().to_string(),
                "@target-uri" => msg.target_uri.to_string(),
                "@authority" => authority.to_ascii_lowercase(),
                "@scheme" => uri.scheme().to_string(),
                "@request-target" => match uri.query() {
                    Some(q) => format!("{}?{q}", uri.path()),
                    None => uri.path().to_string(),
                },
                "@path" => uri.path().to_string(),
                "@query" => format!("?{}", uri.query().unwrap_or("")),
                derived if derived.starts_with('@') => {
                    return Err(SignatureError::Malformed("unsupported derived component"))
                }
                header => joined(msg.headers, header)
                    .ok_or_else(|| SignatureError::AbsentHeader(header.to_string()))?,
            };
            out.push_str(&format!("{component}: {value}\n"));
        }
        out.push_str(&format!("\"@signature-params\": {}", self.params_raw));
        Ok(out)
    }

    /// Verifies the signature with the signer's key.
    pub fn verify(&self, msg: &Message<'_>, key: &PublicKey) -> Result<(), SignatureError> {
        let base = self.base(msg)?;
        let algorithm: &dyn signature::VerificationAlgorithm = match (self.alg.as_deref(), key) {
            (None | Some("rsa-v1_5-sha256"), PublicKey::Rsa(_)) => {
                &signature::RSA_PKCS1_2048_8192_SHA256
            }
            (Some("rsa-pss-sha512"), PublicKey::Rsa(_)) => &signature::RSA_PSS_2048_8192_SHA512,
            (None | Some("ed25519"), PublicKey::Ed25519(_)) => &signature::ED25519,
            _ => return Err(SignatureError::UnsupportedAlgorithm),
        };
        UnparsedPublicKey::new(algorithm, key.bytes())
            .verify(base.as_bytes(), &self.signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

/// Signs a request with RFC 9421 (`rsa-v1_5-sha256` over `@method`, `@target-uri`,
/// and `content-digest` for bodies), adding `Content-Digest`, `Signature-Input` and
/// `Signature` to `headers`.
pub fn sign(
    signer: &Signer,
    method: &Method,
    url: &url::Url,
    headers: &mut HeaderMap,
    body: Option<&[u8]>,
) -> Result<(), SignatureError> {
    let mut components = vec!["\"@method\"", "\"@target-uri\""];
    if let Some(body) = body {
        let digest = format!(
            "sha-256=:{}:",
            B64.encode(ring::digest::digest(&ring::digest::SHA256, body))
        );
        headers.insert(
            "content-digest",
            HeaderValue::from_str(&digest).map_err(|_| SignatureError::Malformed("digest"))?,
        );
        components.push("\"content-digest\"");
    }
    let created = chrono::Utc::now().timestamp();
    let params_raw = format!(
        "({});created={created};keyid=\"{}\";alg=\"rsa-v1_5-sha256\"",
        components.join(" "),
        signer.key_id
    );
    let template = MessageSignature {
        label: "sig1".into(),
        components: components.iter().map(|c| c.to_string()).collect(),
        params_raw: params_raw.clone(),
        key_id: signer.key_id.clone(),
        alg: Some("rsa-v1_5-sha256".into()),
        created: Some(created),
        expires: None,
        signature: Vec::new(),
    };
    let mut target = url.clone();
    target.set_fragment(None);
    let base = template.base(&Message {
        method,
        target_uri: target.as_str(),
        headers,
    })?;
    let sig = signer.sign_bytes(base.as_bytes())?;
    let insert = |headers: &mut HeaderMap, name: &'static str, value: String| {
        HeaderValue::from_str(&value)
            .map(|v| {
                headers.insert(name, v);
            })
            .map_err(|_| SignatureError::Malformed("header value"))
    };
    insert(headers, "signature-input", format!("sig1={params_raw}"))?;
    insert(headers, "signature", format!("sig1=:{}:", B64.encode(sig)))
}

fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::trim)
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Splits a structured-field dictionary into members at commas outside quotes and
/// parentheses.
fn split_top_level(input: &str) -> Vec<String> {
    let mut members = Vec::new();
    let mut current = String::new();
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in input.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                members.push(std::mem::take(&mut current).trim().to_string());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        members.push(current.trim().to_string());
    }
    members
}

/// Parses `("@method" "content-digest");created=1;keyid="k";alg="ed25519"`.
fn parse_input(label: &str, value: &str) -> Result<MessageSignature, SignatureError> {
    let rest = value.strip_prefix('(').ok_or(SignatureError::Malformed(
        "Signature-Input is not an inner list",
    ))?;
    let close = rest
        .find(')')
        .ok_or(SignatureError::Malformed("unterminated inner list"))?;
    let components: Vec<String> = rest[..close]
        .split_ascii_whitespace()
        .map(str::to_string)
        .collect();
    if components.iter().any(|c| !c.starts_with('"')) {
        return Err(SignatureError::Malformed("component is not a string"));
    }
    let mut parsed = MessageSignature {
        label: label.to_string(),
        components,
        params_raw: value.to_string(),
        key_id: String::new(),
        alg: None,
        created: None,
        expires: None,
        signature: Vec::new(),
    };
    for param in rest[close + 1..]
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (name, val) = param.split_once('=').unwrap_or((param, "?1"));
        let unquoted = val.trim_matches('"').to_string();
        match name {
            "keyid" => parsed.key_id = unquoted,
            "alg" => parsed.alg = Some(unquoted),
            "created" => {
                parsed.created = Some(
                    val.parse()
                        .map_err(|_| SignatureError::Malformed("created"))?,
                )
            }
            "expires" => {
                parsed.expires = Some(
                    val.parse()
                        .map_err(|_| SignatureError::Malformed("expires"))?,
                )
            }
            _ => {}
        }
    }
    if parsed.key_id.is_empty() {
        return Err(SignatureError::Malformed("keyid missing"));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: SignaturePolicy = SignaturePolicy {
        max_age_secs: 43_200,
        max_skew_secs: 3_600,
    };

    #[test]
    fn parses_the_rfc_example_input() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "signature-input",
            HeaderValue::from_static(
                r#"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
            ),
        );
        headers.insert("signature", HeaderValue::from_static("sig-b21=:AAAA:"));
        let sig = MessageSignature::from_headers(&headers).unwrap();
        assert_eq!(sig.key_id, "test-key-rsa-pss");
        assert_eq!(sig.created, Some(1618884473));
        assert!(sig.components.is_empty());
    }

    #[test]
    fn what_we_sign_verifies_and_a_changed_target_does_not() {
        let pair = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
        let signer =
            Signer::from_pkcs8_pem("https://a.example/actor#main-key".into(), &pair.private_key)
                .unwrap();
        let key = PublicKey::from_pem(&pair.public_key).unwrap();
        let url = url::Url::parse("https://b.example/inbox").unwrap();
        let body = br#"{"type":"Follow"}"#;
        let mut headers = HeaderMap::new();
        sign(&signer, &Method::POST, &url, &mut headers, Some(body)).unwrap();
        let sig = MessageSignature::from_headers(&headers).unwrap();
        let msg = Message {
            method: &Method::POST,
            target_uri: url.as_str(),
            headers: &headers,
        };
        let ours = url::Url::parse("https://b.example").unwrap();
        sig.check_policy(&msg, body, chrono::Utc::now().timestamp(), POLICY, &ours)
            .unwrap();
        sig.verify(&msg, &key).unwrap();
        let elsewhere = Message {
            target_uri: "https://b.example/other",
            ..msg
        };
        assert_eq!(sig.verify(&elsewhere, &key), Err(SignatureError::Invalid));
        assert_eq!(
            sig.check_policy(&msg, b"{}", chrono::Utc::now().timestamp(), POLICY, &ours),
            Err(SignatureError::DigestMismatch)
        );
        let other = url::Url::parse("https://c.example").unwrap();
        let replayed = Message {
            target_uri: "https://c.example/inbox",
            ..msg
        };
        assert_eq!(
            sig.check_policy(
                &replayed,
                body,
                chrono::Utc::now().timestamp(),
                POLICY,
                &other
            ),
            Ok(())
        );
        assert_eq!(sig.verify(&replayed, &key), Err(SignatureError::Invalid));
    }
}
