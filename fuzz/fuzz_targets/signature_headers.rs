//! HTTP signature headers as a sender writes them (draft-cavage `Signature`,
//! RFC 9421 `Signature-Input`/`Signature`, digests): parsed and checked against the
//! policy, as the inbox does before any key is fetched. None may panic.
#![no_main]

use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;
use tribune::federation::{
    signatures::SignaturePolicy,
    verify::{IncomingSignature, RequestParts},
};

fuzz_target!(|input: (String, String, String, String, Vec<u8>)| {
    let (signature, signature_input, digest, date, body) = input;
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("signature", signature),
        ("signature-input", signature_input),
        ("digest", digest.clone()),
        ("content-digest", digest),
        ("date", date),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    headers.insert("host", HeaderValue::from_static("comments.example"));
    let Ok(signature) = IncomingSignature::from_headers(&headers) else {
        return;
    };
    let _ = signature.key_id();
    let method = Method::POST;
    let Ok(ours) = url::Url::parse("https://comments.example") else {
        return;
    };
    let request = RequestParts {
        method: &method,
        path_and_query: "/inbox",
        headers: &headers,
        target_uri: "https://comments.example/inbox".into(),
        ours: &ours,
    };
    let policy = SignaturePolicy {
        max_age_secs: 43_200,
        max_skew_secs: 3_600,
    };
    let _ = signature.check_policy(&request, &body, 1_795_000_000, policy);
});
