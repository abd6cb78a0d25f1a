//! The integration tests' helpers, by role; every test file takes them all with
//! `use crate::helpers::*`.

mod app;
mod fake_server;
mod fixtures;
mod isso;
mod process;
mod python;
mod signing;

pub use app::*;
pub use fake_server::*;
pub use fixtures::*;
pub use isso::*;
pub use process::*;
pub use python::*;
pub use signing::*;
