//! Other servers as we know them: remote actors fetched and cached with their keys,
//! and who signed a request.

pub mod actors;
pub mod signatures;
