//! Shared blocklists: the sources we subscribe to, and the log of the list we publish.
//! (Their entries' severities are `Severity`, shared with domain policies.)

text_enum! {
    /// What a subscribed source is, so how it is read.
    #[derive(utoipa::ToSchema)]
    pub enum SourceKind {
        /// A URL serving a list in any known format.
        List = "list",
        /// A FIRES dataset, read by its change feed.
        Fires = "fires",
        /// Another server's blocklist actor, followed for pushed changes.
        ActivityPub = "activitypub",
    }
}

text_enum! {
    /// What happens to a policy when its source no longer lists the domain.
    #[derive(utoipa::ToSchema)]
    pub enum Retraction {
        /// The policy goes.
        Remove = "remove",
        /// The policy stays, no longer tied to the source.
        Keep = "keep",
    }
}

text_enum! {
    /// A line of the log of our published blocklist (FIRES `changes`).
    pub enum ListChange {
        /// A domain listed, or its entry changed.
        Add = "add",
        /// A domain no longer listed (a FIRES retraction).
        Remove = "remove",
    }
}
