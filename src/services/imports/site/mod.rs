//! Tribune's whole-site export, and its restore, which reads it back losslessly: one
//! JSON document, written and read as a stream (never whole in memory), whose rows
//! name each other by stable keys — articles and comments by their AP ids, remote
//! actors by theirs, staff by username — so a restore into another database rebuilds
//! the same site and a second restore changes nothing.
//!
//! ```text
//! {"format": "tribune-site", "version": 1,
//!  "site": {slug, name, origin, moderation_mode, hold_new_authors},
//!  "actors": [remote actors the comments and reactions name, without their keys],
//!  "articles": [every column; "author": staff username],
//!  "comments": [every column; "article", "parent", "author": AP ids; "staff": username;
//!               "revisions": [...], "reports": [...]],
//!  "highlights": [...; "comment": AP id, "editor": username],
//!  "reactions": [...; "actor", "article", "comment": AP ids],
//!  "rules": [the site's own rules]}
//! ```
//!
//! Not in it: what belongs to the server rather than the site (domain and actor
//! policies, rules for every site, staff accounts and their keys), the site's name,
//! origin and words (the configuration's), and remote actors' public keys, which a
//! restore must not be able to plant: they are fetched from their servers again.
//! Nor is the file trusted with what it does carry (`trust`): links are http(s) only,
//! a row speaks only for the server its id is on, planted actors are refreshed.

mod export;
mod forms;
mod restore;
mod trust;

pub use export::export;
pub use restore::restore;

/// The document's `format`, so that another JSON file is refused by name.
pub const FORMAT: &str = "tribune-site";
/// Raised when a change of the format could not be read by an older restore.
pub const VERSION: i64 = 1;

/// Refuses at once (before an answer starts streaming) a site this server does not have.
pub fn check_site(state: &crate::state::AppState, site: &str) -> Result<(), crate::error::Error> {
    state
        .sites
        .get(site)
        .map(|_| ())
        .ok_or(crate::error::Error::NotFound("site"))
}
