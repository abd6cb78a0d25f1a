//! Imports of other comment systems' archives (Disqus, WordPress, Isso, Remark42) and of
//! Tribune's own whole-site export: readers turn a file into [`model::Record`]s, one
//! writer stores them as local comments, quietly (nothing is federated).

pub mod isso;
pub mod model;
pub mod remark42;
pub mod site;

pub use model::{email_hash, Body, Format, ImportError, ImportedAuthor, ImportedComment};
pub use model::{ImportReport, ImportedStatus, ImportedThread, Record, Records};
