//! Where a row of a durable queue stands. Each queue has its own states: a delivery
//! can be dead or cancelled, an activity only ignored or failed. Workers claim only
//! `Pending` rows (see `storage::queue`).

text_enum! {
    /// A received activity (`inbox_activities`).
    #[derive(utoipa::ToSchema)]
    pub enum InboxStatus {
        /// Waiting for a worker (or being worked on, under a lease).
        Pending = "pending",
        Done = "done",
        /// Understood, and nothing to do.
        Ignored = "ignored",
        /// Could not be processed: set aside with its error.
        Failed = "failed",
    }
}

text_enum! {
    /// One delivery of an outgoing activity to one inbox (`deliveries`).
    #[derive(utoipa::ToSchema)]
    pub enum DeliveryStatus {
        Pending = "pending",
        Delivered = "delivered",
        /// The receiver refused for good (4xx other than 408/429) or the target is gone
        /// (410).
        Failed = "failed",
        /// Retried for the whole retry period without success: a dead letter.
        Dead = "dead",
        /// Dropped before sending: the target domain was suspended.
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// A collection to crawl (`crawl_jobs`).
    pub enum CrawlStatus {
        /// Due at `next_attempt_at` (again and again while its article is young).
        Pending = "pending",
        Done = "done",
        Failed = "failed",
    }
}
