//! FEP-8b32 integrity proofs on what arrives: an activity whose `eddsa-jcs-2022` proof
//! fails (bad signature, a key that is not its actor's) is refused — at the inbox when
//! the key is already stored, else when the activity is processed. A proof in a suite
//! we do not know is logged and set aside; a valid one changes nothing else (the HTTP
//! signature is still required).

use crate::{
    error::Error,
    federation::{
        proof::{proof_count, proofs, Found, Proof, ProofError, MAX_PROOFS},
        protocol::id_of,
        signatures::PublicKey,
    },
    services::{
        remote::actors::{self, key_claim, ActorError, KeyClaim},
        threads::comments::CommentError,
    },
    state::AppState,
    storage::entities::remote_actor,
};
use serde_json::Value;

/// The inbox's check, once the HTTP signature named `signer` (the activity's actor).
/// Proofs whose key is not stored yet are left for processing.
pub async fn at_inbox(
    state: &AppState,
    activity: &Value,
    signer: &remote_actor::Model,
) -> Result<(), Error> {
    if proof_count(activity) > MAX_PROOFS {
        return Err(Error::BadRequest(format!(
            "more than {MAX_PROOFS} integrity proofs"
        )));
    }
    for proof in eddsa_proofs(activity) {
        let method = proof.verification_method.as_str();
        // A key on another host than the actor is never the actor's (keys are stored
        // only from their owner's host): no need to fetch anything to say so.
        if !same_host(method, &signer.ap_id) {
            return Err(refused(
                &signer.ap_id,
                "integrity proof's key is not the actor's",
            ));
        }
        let stored = match actors::stored_key(state, method).await {
            Ok(stored) => stored,
            Err(ActorError::Database(e)) => return Err(Error::Database(e)),
            Err(e) => return Err(refused(&signer.ap_id, &e.to_string())),
        };
        let Some((key, owner)) = stored else {
            continue;
        };
        // A key held under a weak claim is re-confirmed by processing, which fetches.
        if key_claim(method, &owner.ap_id) == KeyClaim::Foreign {
            continue;
        }
        if owner.id != signer.id {
            return Err(refused(
                &signer.ap_id,
                "integrity proof is signed with another actor's key",
            ));
        }
        match verify_or_refetch(state, &proof, activity, key, &owner).await {
            Ok(()) => {}
            Err(Refusal::Storage(e)) => return Err(Error::Database(e)),
            Err(Refusal::Malformed(why)) => {
                tracing::info!(actor = %signer.ap_id, error = %why, "inbox integrity proof refused");
                return Err(Error::BadRequest(why));
            }
            Err(Refusal::Refused(why)) => return Err(refused(&signer.ap_id, &why)),
        }
    }
    Ok(())
}

/// The worker's check before an activity is handled: every `eddsa-jcs-2022` proof
/// must verify with a key of the activity's actor (fetched if need be).
pub async fn when_processed(state: &AppState, activity: &Value) -> Result<(), CommentError> {
    if proof_count(activity) > MAX_PROOFS {
        return Err(CommentError::Invalid(format!(
            "more than {MAX_PROOFS} integrity proofs"
        )));
    }
    let found = eddsa_proofs(activity);
    if found.is_empty() {
        return Ok(());
    }
    let actor = activity
        .get("actor")
        .and_then(id_of)
        .ok_or_else(|| CommentError::Invalid("activity without actor".into()))?;
    for proof in found {
        let method = proof.verification_method.as_str();
        if !same_host(method, actor.as_str()) {
            return Err(dropped(&actor, "integrity proof's key is not the actor's"));
        }
        let (key, owner) = actors::verification_key(state, method).await?;
        if owner.ap_id != actor.as_str() {
            return Err(dropped(
                &actor,
                "integrity proof is signed with another actor's key",
            ));
        }
        match verify_or_refetch(state, &proof, activity, key, &owner).await {
            Ok(()) => {}
            Err(Refusal::Storage(e)) => return Err(e.into()),
            Err(Refusal::Malformed(why) | Refusal::Refused(why)) => {
                return Err(dropped(&actor, &why))
            }
        }
    }
    Ok(())
}

/// The `eddsa-jcs-2022` proofs of an activity; the others are logged and ignored.
fn eddsa_proofs(activity: &Value) -> Vec<Proof> {
    proofs(activity)
        .into_iter()
        .filter_map(|found| match found {
            Found::Eddsa(proof) => Some(proof),
            Found::Unsupported(suite) => {
                tracing::info!(suite = %suite, "integrity proof in an unsupported suite ignored");
                None
            }
        })
        .collect()
}

enum Refusal {
    Storage(sea_orm::DbErr),
    Malformed(String),
    Refused(String),
}

/// Verifies with the stored key; a failure with it fetches the owner's keys again
/// once (rate limited, as for HTTP signatures: keys rotate) and tries the new one.
async fn verify_or_refetch(
    state: &AppState,
    proof: &Proof,
    activity: &Value,
    key: PublicKey,
    owner: &remote_actor::Model,
) -> Result<(), Refusal> {
    match proof.verify(activity, &key) {
        Ok(()) => return Ok(()),
        Err(ProofError::Malformed(why)) => {
            return Err(Refusal::Malformed(ProofError::Malformed(why).to_string()))
        }
        Err(e @ ProofError::WrongPurpose) => return Err(Refusal::Malformed(e.to_string())),
        Err(ProofError::Invalid | ProofError::NotEd25519) => {}
    }
    let refreshed = match actors::refetch_key(state, &proof.verification_method, owner).await {
        Ok(refreshed) => refreshed,
        Err(ActorError::Database(e)) => return Err(Refusal::Storage(e)),
        Err(_) => None,
    };
    match refreshed {
        Some((key, again)) if again.id == owner.id => proof
            .verify(activity, &key)
            .map_err(|e| Refusal::Refused(e.to_string())),
        _ => Err(Refusal::Refused(ProofError::Invalid.to_string())),
    }
}

/// Whether two URLs are on the same host and port.
fn same_host(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => {
            a.host().is_some()
                && a.host() == b.host()
                && a.port_or_known_default() == b.port_or_known_default()
        }
        _ => false,
    }
}

fn refused(actor: &str, why: &str) -> Error {
    tracing::info!(actor = %actor, error = %why, "inbox integrity proof refused");
    Error::Unauthorized(why.to_string())
}

fn dropped(actor: &url::Url, why: &str) -> CommentError {
    tracing::warn!(actor = %actor, error = %why, "activity dropped: integrity proof");
    CommentError::Invalid(why.to_string())
}
