//! Either kind of incoming signature, behind one face: RFC 9421 when the request has
//! `Signature-Input`, draft-cavage otherwise.

use super::{
    rfc9421::{Message, MessageSignature},
    signatures::{CavageSignature, PublicKey, SignatureError, SignaturePolicy, SignedRequest},
};
use http::{HeaderMap, Method};

/// The parts of a request a signature can cover.
pub struct RequestParts<'a> {
    pub method: &'a Method,
    pub path_and_query: &'a str,
    pub headers: &'a HeaderMap,
    /// `scheme://authority/path?query` of this request at our public URL: scheme and
    /// authority are ours (never the `Host` the sender wrote, nor a TLS proxy's hop),
    /// the path and query are as received.
    pub target_uri: String,
    /// Our public URL: the server a signature must be addressed to.
    pub ours: &'a url::Url,
}

/// A parsed incoming signature.
pub enum IncomingSignature {
    Cavage(CavageSignature),
    Rfc9421(MessageSignature),
}

impl IncomingSignature {
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, SignatureError> {
        if MessageSignature::present(headers) {
            MessageSignature::from_headers(headers).map(Self::Rfc9421)
        } else {
            CavageSignature::from_headers(headers).map(Self::Cavage)
        }
    }

    pub fn key_id(&self) -> &str {
        match self {
            Self::Cavage(s) => &s.key_id,
            Self::Rfc9421(s) => &s.key_id,
        }
    }

    pub fn check_policy(
        &self,
        req: &RequestParts<'_>,
        body: &[u8],
        now: i64,
        policy: SignaturePolicy,
    ) -> Result<(), SignatureError> {
        match self {
            Self::Cavage(s) => s.check_policy(&cavage(req), body, now, policy, req.ours),
            Self::Rfc9421(s) => s.check_policy(&message(req), body, now, policy, req.ours),
        }
    }

    pub fn verify(&self, req: &RequestParts<'_>, key: &PublicKey) -> Result<(), SignatureError> {
        match self {
            Self::Cavage(s) => s.verify(&cavage(req), key),
            Self::Rfc9421(s) => s.verify(&message(req), key),
        }
    }
}

fn cavage<'a>(req: &'a RequestParts<'a>) -> SignedRequest<'a> {
    SignedRequest {
        method: req.method,
        path_and_query: req.path_and_query,
        headers: req.headers,
    }
}

fn message<'a>(req: &'a RequestParts<'a>) -> Message<'a> {
    Message {
        method: req.method,
        target_uri: &req.target_uri,
        headers: req.headers,
    }
}
