//! What the newsroom publishes beside readers' comments: editorial highlights ("mise en
//! valeur"), staff replies signed by their author, the feeds of its selection, and the
//! selection as the editors' console shows it.

pub mod feeds;
pub mod highlights;
pub mod journalists;
pub mod replies;
pub mod selection;
