//! Staff roles.

text_enum! {
    /// What a staff member may do; each role includes the ones below it (ordered).
    #[derive(PartialOrd, Ord, utoipa::ToSchema)]
    pub enum Role {
        /// Highlights comments, replies as staff, registers articles.
        Editor = "editor",
        /// Works the queue: approves, hides, deletes, blocks; edits rules and modes.
        Moderator = "moderator",
        /// Everything, including staff accounts.
        Admin = "admin",
    }
}
