//! FEP-8b32 Object Integrity Proofs: an activity's `proof`s read, and the
//! `eddsa-jcs-2022` ones verified as W3C "Data Integrity EdDSA Cryptosuites v1.0"
//! §3.3 says (JCS per RFC 8785, SHA-256, Ed25519). Which key may sign is the
//! services' business; this file only does the shapes and the arithmetic.

use super::signatures::PublicKey;
use ring::{
    digest::{digest, SHA256},
    signature::{UnparsedPublicKey, ED25519},
};
use serde_json::Value;

/// The one cryptosuite verified (FEP-8b32 recommends it; Fedify, Mitra and Hollo
/// sign with it).
pub const EDDSA_JCS_2022: &str = "eddsa-jcs-2022";

/// A proof found on a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A `DataIntegrityProof` with `eddsa-jcs-2022`: verified.
    Eddsa(Proof),
    /// Anything else (another cryptosuite or proof type): not understood, so neither
    /// a pass nor a failure. Holds the suite's (or type's) name for the logs.
    Unsupported(String),
}

/// An `eddsa-jcs-2022` proof, as it came.
#[derive(Debug, Clone, PartialEq)]
pub struct Proof {
    /// The key that made it (a key id of the actor, FEP-8b32).
    pub verification_method: String,
    raw: serde_json::Map<String, Value>,
}

/// Why a proof does not hold. Each refuses the activity that carries it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    #[error("integrity proof is malformed: {0}")]
    Malformed(&'static str),
    /// FEP-8b32: `proofPurpose` MUST be `assertionMethod`.
    #[error("integrity proof is not for assertionMethod")]
    WrongPurpose,
    #[error("integrity proof's key is not an Ed25519 key")]
    NotEd25519,
    #[error("integrity proof does not verify")]
    Invalid,
}

/// The most proofs one document may carry: each costs a canonicalisation of the whole
/// document and up to two Ed25519 checks, and FEP-8b32 senders add one (a proof set of
/// a few at most). More is refused, never verified one by one.
pub const MAX_PROOFS: usize = 4;

/// How many proofs a document carries (`proof`: one or many).
pub fn proof_count(document: &Value) -> usize {
    match document.get("proof") {
        None | Some(Value::Null) => 0,
        Some(Value::Array(items)) => items.len(),
        Some(_) => 1,
    }
}

/// The proofs of a document (`proof`: one or many; none when absent).
pub fn proofs(document: &Value) -> Vec<Found> {
    let items: Vec<&Value> = match document.get("proof") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    items.into_iter().map(found).collect()
}

fn found(proof: &Value) -> Found {
    let text = |name: &str| proof.get(name).and_then(Value::as_str);
    let kind = text("type").unwrap_or("");
    let suite = text("cryptosuite").unwrap_or("");
    match (proof.as_object(), kind, suite) {
        (Some(raw), "DataIntegrityProof", EDDSA_JCS_2022) => Found::Eddsa(Proof {
            verification_method: text("verificationMethod").unwrap_or("").to_string(),
            raw: raw.clone(),
        }),
        (_, "DataIntegrityProof", suite) => Found::Unsupported(suite.to_string()),
        (_, kind, _) => Found::Unsupported(kind.to_string()),
    }
}

impl Proof {
    /// Verifies the proof over `document` (the whole object that carries it) with
    /// `key`, per vc-di-eddsa §3.3.2 "Verify Proof (eddsa-jcs-2022)": the document
    /// without `proof` and the proof without `proofValue` are each canonicalised (JCS)
    /// and hashed (SHA-256); Ed25519 verifies the proof's hash then the document's.
    pub fn verify(&self, document: &Value, key: &PublicKey) -> Result<(), ProofError> {
        if self.raw.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod") {
            return Err(ProofError::WrongPurpose);
        }
        let PublicKey::Ed25519(key) = key else {
            return Err(ProofError::NotEd25519);
        };
        let signature = self
            .raw
            .get("proofValue")
            .and_then(Value::as_str)
            .and_then(|v| v.strip_prefix('z'))
            .and_then(|v| bs58::decode(v).into_vec().ok())
            .filter(|s| s.len() == 64)
            .ok_or(ProofError::Malformed(
                "proofValue is not a base58btc Ed25519 signature",
            ))?;
        let mut unsecured = document
            .as_object()
            .cloned()
            .ok_or(ProofError::Malformed("not an object"))?;
        unsecured.remove("proof");
        // FEP-8b32: a Linked Data Signature is added after the proof, so it is not
        // covered by it.
        unsecured.remove("signature");
        let mut config = self.raw.clone();
        config.remove("proofValue");
        if let Some(proof_context) = config.get("@context") {
            // §3.3.2 step 4: the document's context must start with the proof's, and
            // is then read as the proof's.
            let ours = as_list(unsecured.get("@context"));
            let theirs = as_list(Some(proof_context));
            if ours.len() < theirs.len() || ours[..theirs.len()] != theirs[..] {
                return Err(ProofError::Invalid);
            }
            unsecured.insert("@context".into(), proof_context.clone());
        }
        let document_hash = hash(&Value::Object(unsecured.clone()))?;
        // The proof configuration carries the document's `@context` (§3.3.5, and what
        // Fedify hashes though its proofs are sent without it); drafts before 2024
        // hashed the proof as written (Mitra's FEP-8b32 vector): either is accepted,
        // both being the same key's signature over the same document.
        let mut configs = Vec::with_capacity(2);
        if !config.contains_key("@context") {
            if let Some(context) = unsecured.get("@context") {
                let mut with_context = config.clone();
                with_context.insert("@context".into(), context.clone());
                configs.push(with_context);
            }
        }
        configs.push(config);
        let verifier = UnparsedPublicKey::new(&ED25519, key);
        for config in configs {
            let mut data = hash(&Value::Object(config))?;
            data.extend_from_slice(&document_hash);
            if verifier.verify(&data, &signature).is_ok() {
                return Ok(());
            }
        }
        Err(ProofError::Invalid)
    }
}

/// `@context` as a list (a single context is a list of one).
fn as_list(context: Option<&Value>) -> Vec<Value> {
    match context {
        None => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
    }
}

/// SHA-256 of the JCS (RFC 8785) form of `value`.
fn hash(value: &Value) -> Result<Vec<u8>, ProofError> {
    let canonical = serde_json_canonicalizer::to_vec(value)
        .map_err(|_| ProofError::Malformed("cannot be canonicalised"))?;
    Ok(digest(&SHA256, &canonical).as_ref().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The test key of vc-di-eddsa's and FEP-8b32's vectors.
    const VECTOR_KEY: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    fn key() -> PublicKey {
        PublicKey::from_multibase(VECTOR_KEY).unwrap()
    }

    fn the_proof(document: &Value) -> Proof {
        match proofs(document).pop() {
            Some(Found::Eddsa(proof)) => proof,
            other => panic!("no eddsa proof: {other:?}"),
        }
    }

    /// FEP-8b32's `fep-8b32.feature`, "Verifying a signature" (the proof carries the
    /// document's `@context`).
    fn fep_8b32_vector() -> Value {
        let context = json!([
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/data-integrity/v2"
        ]);
        json!({
            "@context": context,
            "id": "https://server.example/activities/1",
            "type": "Create",
            "actor": "https://server.example/users/alice",
            "object": {
                "id": "https://server.example/objects/1",
                "type": "Note",
                "attributedTo": "https://server.example/users/alice",
                "content": "Hello world",
                "location": {"type": "Place", "longitude": -71.184902, "latitude": 25.273962}
            },
            "proof": {
                "@context": context,
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-jcs-2022",
                "verificationMethod": "https://server.example/users/alice#ed25519-key",
                "proofPurpose": "assertionMethod",
                "proofValue": "z42ffGu6AUKPCFcFPiabmUvnGLPJzC7e4DGWC52NUasSSH37UMa9c58tdgVszUcZfytxa4fQ5TYHaJENCxUDe9SdL",
                "created": "2023-02-24T23:36:38Z"
            }
        })
    }

    #[test]
    fn the_fep_8b32_test_vector_verifies() {
        let doc = fep_8b32_vector();
        let proof = the_proof(&doc);
        assert_eq!(
            proof.verification_method,
            "https://server.example/users/alice#ed25519-key"
        );
        assert_eq!(proof.verify(&doc, &key()), Ok(()));
    }

    #[test]
    fn the_vc_di_eddsa_jcs_test_vector_verifies() {
        // vc-di-eddsa, "Representation: eddsa-jcs-2022".
        let context = json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2"
        ]);
        let doc = json!({
            "@context": context,
            "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
            "type": ["VerifiableCredential", "AlumniCredential"],
            "name": "Alumni Credential",
            "description": "A minimum viable example of an Alumni Credential.",
            "issuer": "https://vc.example/issuers/5678",
            "validFrom": "2023-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-jcs-2022",
                "created": "2023-02-24T23:36:38Z",
                "verificationMethod": format!("did:key:{VECTOR_KEY}#{VECTOR_KEY}"),
                "proofPurpose": "assertionMethod",
                "@context": context,
                "proofValue": "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
            }
        });
        assert_eq!(the_proof(&doc).verify(&doc, &key()), Ok(()));
    }

    #[test]
    fn a_proof_without_context_as_older_drafts_signed_verifies() {
        // Mitra's FEP-8b32 vector of 2023: the proof hashed as written.
        let doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
            "type": "Create",
            "actor": "https://server.example/users/alice",
            "object": {"type": "Note", "content": "Hello world"},
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-jcs-2022",
                "verificationMethod": "https://server.example/users/alice#ed25519-key",
                "proofPurpose": "assertionMethod",
                "proofValue": "z3sXaxjKs4M3BRicwWA9peyNPJvJqxtGsDmpt1jjoHCjgeUf71TRFz56osPSfDErszyLp5Ks1EhYSgpDaNM977Rg2",
                "created": "2023-02-24T23:36:38Z"
            }
        });
        assert_eq!(the_proof(&doc).verify(&doc, &key()), Ok(()));
    }

    #[test]
    fn tampered_content_or_proof_options_do_not_verify() {
        let mut doc = fep_8b32_vector();
        doc["object"]["content"] = json!("Hello world!");
        assert_eq!(
            the_proof(&doc).verify(&doc, &key()),
            Err(ProofError::Invalid)
        );

        let mut doc = fep_8b32_vector();
        doc["proof"]["created"] = json!("2023-02-24T23:36:39Z");
        assert_eq!(
            the_proof(&doc).verify(&doc, &key()),
            Err(ProofError::Invalid)
        );

        // Another context than the one signed.
        let mut doc = fep_8b32_vector();
        doc["@context"] = json!("https://www.w3.org/ns/activitystreams");
        assert_eq!(
            the_proof(&doc).verify(&doc, &key()),
            Err(ProofError::Invalid)
        );

        // Another key.
        let doc = fep_8b32_vector();
        let other = PublicKey::Ed25519(vec![7; 32]);
        assert_eq!(
            the_proof(&doc).verify(&doc, &other),
            Err(ProofError::Invalid)
        );
    }

    #[test]
    fn a_proof_for_another_purpose_or_with_an_rsa_key_is_refused() {
        let mut doc = fep_8b32_vector();
        doc["proof"]["proofPurpose"] = json!("authentication");
        assert_eq!(
            the_proof(&doc).verify(&doc, &key()),
            Err(ProofError::WrongPurpose)
        );
        let doc = fep_8b32_vector();
        assert_eq!(
            the_proof(&doc).verify(&doc, &PublicKey::Rsa(vec![1, 2, 3])),
            Err(ProofError::NotEd25519)
        );
        let mut doc = fep_8b32_vector();
        doc["proof"]["proofValue"] = json!("not base58");
        assert!(matches!(
            the_proof(&doc).verify(&doc, &key()),
            Err(ProofError::Malformed(_))
        ));
    }

    #[test]
    fn unknown_suites_and_proof_types_are_set_aside_not_failed() {
        let doc = json!({"proof": [
            {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"},
            {"type": "Ed25519Signature2020"},
            {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "verificationMethod": "k"}
        ]});
        let found = proofs(&doc);
        assert_eq!(found[0], Found::Unsupported("eddsa-rdfc-2022".into()));
        assert_eq!(found[1], Found::Unsupported("Ed25519Signature2020".into()));
        assert!(matches!(&found[2], Found::Eddsa(p) if p.verification_method == "k"));
        assert!(proofs(&json!({"type": "Create"})).is_empty());
    }

    /// RFC 8785 §3.2.2 and §3.2.3: what the canonicaliser must produce.
    #[test]
    fn jcs_matches_the_rfc_8785_examples() {
        let input = r#"{
            "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
            "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
            "literals": [null, true, false]
        }"#;
        let value: Value = serde_json::from_str(input).unwrap();
        assert_eq!(
            String::from_utf8(serde_json_canonicalizer::to_vec(&value).unwrap()).unwrap(),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        // Properties sort by their UTF-16 code units.
        let sorting: Value = serde_json::from_str(
            r#"{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
                "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}"#,
        )
        .unwrap();
        let canonical =
            String::from_utf8(serde_json_canonicalizer::to_vec(&sorting).unwrap()).unwrap();
        let order: Vec<&str> = canonical
            .split("\":\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(
            order,
            [
                "Carriage Return",
                "One",
                "Control",
                "Latin Small Letter O With Diaeresis",
                "Euro Sign",
                "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh"
            ]
        );
    }
}
