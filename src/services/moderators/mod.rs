//! What moderators do, one file per kind of decision: the queue (`queue`), actions on a
//! comment (`actions`: approve, hide, restore, delete), blocks from a comment and actor
//! policies (`blocks`), trusted and watched authors (`trust`), domain policies and
//! modes (`policies`), rules and re-checks (`rules`), the audit log (`audit`), undoing a decision (`undo`), a comment in its
//! context (`detail`), articles and their modes (`articles`); reports (`reports`), forwarded
//! to the author's server as a `Flag` (`forward`), and data rights
//! (`data_rights`); Mastodon's admin API for domain blocks (`domain_blocks`) and the
//! measures FediBlockHole asks for (`measures`). Every action leaves an audit row, written in the transaction of the
//! change.

pub mod actions;
pub mod articles;
pub mod audit;
pub mod blocks;
pub mod data_rights;
pub mod detail;
pub mod domain_blocks;
pub mod forward;
pub mod measures;
pub mod policies;
pub mod queue;
pub mod reports;
pub mod rules;
pub mod trust;
pub mod undo;

pub use actions::{approve, delete, hide, reject, restore};
pub use audit::{audit_log, AuditView};
pub use blocks::{
    actor_policies, allow_actor, block_actor, block_from_comment, remove_actor_policy, BlockScope,
};
pub use policies::{
    domain_policies, remove_domain_policy, set_article_mode, set_domain_policy, set_site_mode,
    site_mode, DomainPolicyRequest,
};
pub use queue::{queue, queue_page, QueueFilter, QueueItem, QueuePage};
pub use rules::{add_rule, recheck, remove_rule, rules, RecheckChange, RuleRequest, RuleView};
pub use trust::{set_trust, set_trust_of_author, trust_levels, AuthorTrust};

use crate::{
    error::{Error, Result},
    state::AppState,
    storage::{self, entities::comment},
};
use serde::{Deserialize, Serialize};

/// Why a moderator removed a comment, as newsrooms' charters say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Hors sujet.
    OffTopic,
    /// Répété.
    Repeated,
    /// Promotionnel.
    Promotional,
    /// Grossier.
    Abusive,
    /// Harcèlement: aimed at a person, repeatedly or by many.
    Harassment,
    /// Haine: against a group for what it is (origin, religion, sex, orientation…).
    Hate,
    /// Désinformation: false information presented as fact.
    Disinformation,
    /// Illicite.
    Illegal,
    /// Autre.
    Other,
}

impl Reason {
    /// Every reason, in the order readers and moderators are offered them.
    pub const ALL: [Reason; 9] = [
        Self::OffTopic,
        Self::Repeated,
        Self::Promotional,
        Self::Abusive,
        Self::Harassment,
        Self::Hate,
        Self::Disinformation,
        Self::Illegal,
        Self::Other,
    ];

    /// Accepts the English ids and the French words of the charter.
    pub fn parse(s: &str) -> Option<Self> {
        let folded = crate::moderation::text::fold(s.trim()).replace([' ', '-'], "_");
        match folded.as_str() {
            "off_topic" | "hors_sujet" => Some(Self::OffTopic),
            "repeated" | "repete" | "spam" => Some(Self::Repeated),
            "promotional" | "promotionnel" | "advertising" => Some(Self::Promotional),
            "abusive" | "grossier" | "insult" | "abuse" => Some(Self::Abusive),
            "harassment" | "harcelement" => Some(Self::Harassment),
            "hate" | "haine" | "hate_speech" => Some(Self::Hate),
            "disinformation" | "desinformation" | "misinformation" | "fake_news" => {
                Some(Self::Disinformation)
            }
            "illegal" | "illicite" => Some(Self::Illegal),
            "other" | "autre" => Some(Self::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OffTopic => "off_topic",
            Self::Repeated => "repeated",
            Self::Promotional => "promotional",
            Self::Abusive => "abusive",
            Self::Harassment => "harassment",
            Self::Hate => "hate",
            Self::Disinformation => "disinformation",
            Self::Illegal => "illegal",
            Self::Other => "other",
        }
    }
}

async fn load(state: &AppState, id: i64) -> Result<comment::Model> {
    storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))
}
