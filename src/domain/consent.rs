//! GoToSocial's interaction requests (consent both ways): which kind, and where one stands.

text_enum! {
    /// An interaction request: received (a polite reply to our threads) or sent (the
    /// site actor asking before it boosts a highlighted reply).
    pub enum ConsentKind {
        ReplyReceived = "reply_received",
        AnnounceSent = "announce_sent",
    }
}

text_enum! {
    /// Where a request stands. `Forbidden`: the post's policy refuses the interaction,
    /// so nothing was asked (kept so that nothing is undone that never was).
    pub enum ConsentState {
        Pending = "pending",
        Accepted = "accepted",
        Rejected = "rejected",
        Forbidden = "forbidden",
    }
}
