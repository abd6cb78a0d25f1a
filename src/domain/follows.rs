//! Follows between servers: the answer to ours, and our answer to theirs.

text_enum! {
    /// A `Follow` we sent (a site following an actor, or a blocklist source followed):
    /// what the other side answered.
    #[derive(utoipa::ToSchema)]
    pub enum FollowState {
        Pending = "pending",
        Accepted = "accepted",
        Rejected = "rejected",
    }
}

text_enum! {
    /// A server following our blocklist actor: waits for an admin's decision.
    #[derive(utoipa::ToSchema)]
    pub enum FollowerState {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
}
