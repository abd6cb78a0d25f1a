//! What the newsroom publishes beside readers' comments: editorial highlights ("mise en
//! valeur"), staff replies, and the feeds of its selection.

pub mod feeds;
pub mod highlights;
pub mod replies;
