//! Everything that knows ActivityStreams shapes and HTTP signatures: wire types,
//! signing and verification, object integrity proofs (FEP-8b32), and the signed HTTP
//! client.

pub mod fetch;
pub mod proof;
pub mod protocol;
pub mod rfc9421;
pub mod signatures;
pub mod verify;
