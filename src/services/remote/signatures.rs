//! Verifying who signed a request: parse either signature kind, enforce the policy,
//! get the signer's key (cached, else fetched) and check it, fetching the key again
//! once (rate limited) when a cached key fails, since keys rotate.

use crate::services::remote::actors::{self, ActorError};
use crate::{
    federation::{
        fetch::FetchError,
        signatures::{SignatureError, SignaturePolicy},
        verify::{IncomingSignature, RequestParts},
    },
    state::AppState,
    storage::entities::remote_actor,
};
use http::{HeaderMap, Method};

/// Why a request's signer could not be established.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("signature: {0}")]
    Signature(#[from] SignatureError),
    #[error("cannot get the signer's key: {0}")]
    Key(ActorError),
    /// The signer's actor answers 410: it was deleted and we never knew its key.
    #[error("signer is gone")]
    Gone,
    /// Our storage failed while getting the key: nothing is wrong with the signature,
    /// so the sender must hear 503 and retry, never 401 (which Mastodon takes as final).
    #[error("storage: {0}")]
    Storage(sea_orm::DbErr),
}

impl From<ActorError> for VerifyError {
    fn from(e: ActorError) -> Self {
        match e {
            ActorError::Fetch(FetchError::Gone) => Self::Gone,
            ActorError::Database(db) => Self::Storage(db),
            other => Self::Key(other),
        }
    }
}

impl From<VerifyError> for crate::error::Error {
    /// Storage failures are 503; everything else about a signature is 401.
    fn from(e: VerifyError) -> Self {
        match e {
            VerifyError::Storage(db) => Self::Database(db),
            other => Self::Unauthorized(other.to_string()),
        }
    }
}

/// The request as the verifier needs it, bound to our public URL: the target URI an
/// RFC 9421 signature covers is our origin and the path as received, whatever `Host`
/// the sender wrote (a request signed for another server then fails), and the cavage
/// `Host` is compared with our authority in the policy check.
pub fn request_parts<'a>(
    state: &'a AppState,
    method: &'a Method,
    path_and_query: &'a str,
    headers: &'a HeaderMap,
) -> RequestParts<'a> {
    let ours = &state.settings.server.public_url;
    RequestParts {
        method,
        path_and_query,
        headers,
        // `origin()` drops a default port, as RFC 9421 §2.2.3 normalises `@authority`.
        target_uri: format!("{}{path_and_query}", ours.origin().ascii_serialization()),
        ours,
    }
}

/// Verifies the request's signature and returns the signing actor.
pub async fn verify(
    state: &AppState,
    req: &RequestParts<'_>,
    body: &[u8],
) -> Result<remote_actor::Model, VerifyError> {
    let signature = check(state, req, body)?;
    verify_signer(state, req, &signature).await
}

/// The checks that need no key: the signature is there, covers what it must, is
/// recent, and the body matches its digest.
pub fn check(
    state: &AppState,
    req: &RequestParts<'_>,
    body: &[u8],
) -> Result<IncomingSignature, VerifyError> {
    let signature = IncomingSignature::from_headers(req.headers)?;
    let policy = SignaturePolicy {
        max_age_secs: state.settings.federation.signature_max_age_secs,
        max_skew_secs: state.settings.federation.signature_max_skew_secs,
    };
    signature.check_policy(req, body, chrono::Utc::now().timestamp(), policy)?;
    Ok(signature)
}

/// Gets the signer's key and verifies a checked signature with it.
pub async fn verify_signer(
    state: &AppState,
    req: &RequestParts<'_>,
    signature: &IncomingSignature,
) -> Result<remote_actor::Model, VerifyError> {
    let key_id = signature.key_id();
    let (key, signer) = actors::verification_key(state, key_id).await?;
    match signature.verify(req, &key) {
        Ok(()) => Ok(signer),
        Err(SignatureError::Invalid) => {
            let refreshed = actors::refetch_key(state, key_id, &signer).await?;
            let Some((key, signer)) = refreshed else {
                return Err(SignatureError::Invalid.into());
            };
            signature.verify(req, &key)?;
            Ok(signer)
        }
        Err(e) => Err(e.into()),
    }
}
