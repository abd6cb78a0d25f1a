//! Stored row of the `interaction_requests` table.

use crate::domain::{ConsentKind, ConsentState};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interaction_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: ConsentKind,
    /// The `ReplyRequest`'s id (theirs) or the `AnnounceRequest`'s (ours).
    pub request_id: String,
    /// Who asked (received), or who must answer: the reply's author (sent).
    pub actor: String,
    /// The post interacted with: our article or comment, or the highlighted reply.
    pub object: String,
    /// The interaction: the reply's id, or the `Announce` we would send.
    pub instrument: String,
    /// The comment concerned: the reply received, or the one highlighted.
    pub comment_id: i64,
    pub state: ConsentState,
    /// The authorization the answer named (`AnnounceAuthorization` for ours).
    pub authorization: Option<String>,
    pub created_at: i64,
    pub answered_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
