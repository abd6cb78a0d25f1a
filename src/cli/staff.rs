//! `tribune staff add`: a staff account, to sign in to the console at `/admin`.

use super::{flushed, said};
use crate::config::Settings;
use crate::services::staff::{self, NewStaff, Role};
use crate::startup::init_state;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Create a staff account (to sign in to the console at /admin).
    Add {
        #[arg(long)]
        username: String,
        /// At least 10 characters; read from TRIBUNE_STAFF_PASSWORD when absent.
        #[arg(long, env = "TRIBUNE_STAFF_PASSWORD")]
        password: String,
        /// admin, moderator or editor.
        #[arg(long, default_value = "moderator")]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
    },
}

pub async fn run(settings: Settings, command: StaffCommand) -> anyhow::Result<()> {
    let StaffCommand::Add {
        username,
        password,
        role,
        display_name,
    } = command;
    let role =
        Role::parse(&role).ok_or_else(|| anyhow::anyhow!("role: admin, moderator or editor"))?;
    let state = init_state(settings).await?;
    let created = staff::create_from_cli(
        &state,
        NewStaff {
            username,
            password,
            role,
            display_name,
        },
    )
    .await
    .map_err(said)?;
    println!("{} ({}) created", created.username, created.role.as_str());
    flushed(&state).await
}
