//! `tribune staff add|list|passwd|email`: staff accounts, to sign in to the console at
//! `/admin`. Passwords come from a prompt or stdin (`password`), not the arguments.

use super::{flushed, operator, password, said};
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
        /// At least 10 characters; from TRIBUNE_STAFF_PASSWORD, else asked (or read
        /// from stdin when it is not a terminal). Prefer those to this option.
        #[arg(long, env = "TRIBUNE_STAFF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// admin, moderator or editor.
        #[arg(long, default_value = "moderator")]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        /// Where their alerts are e-mailed.
        #[arg(long)]
        email: Option<String>,
    },
    /// List staff accounts (id, username, role, display name).
    List,
    /// Set a staff account's password: asked twice without echo, or read from stdin
    /// when it is not a terminal. Signs the account out everywhere.
    Passwd { username: String },
    /// Set the address a staff account's alerts are e-mailed to ("" removes it).
    Email { username: String, address: String },
}

pub async fn run(settings: Settings, command: StaffCommand) -> anyhow::Result<()> {
    match command {
        StaffCommand::Add {
            username,
            password,
            role,
            display_name,
            email,
        } => {
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role: admin, moderator or editor"))?;
            let password = match password {
                Some(p) => p,
                None => password::read(&username)?,
            };
            let state = init_state(settings).await?;
            let created = staff::create_from_cli(
                &state,
                NewStaff {
                    username,
                    password,
                    role,
                    display_name,
                    email,
                },
            )
            .await
            .map_err(said)?;
            println!("{} ({}) created", created.username, created.role.as_str());
            flushed(&state).await
        }
        StaffCommand::List => {
            let state = init_state(settings).await?;
            let all = staff::list(&state).await.map_err(said)?;
            if all.is_empty() {
                println!("no staff account yet: tribune staff add --username NAME --role admin");
            }
            for s in all {
                println!(
                    "{}\t{}\t{}\t{}",
                    s.id,
                    s.username,
                    s.role.as_str(),
                    s.display_name
                );
            }
            Ok(())
        }
        StaffCommand::Passwd { username } => {
            let password = password::read(&username)?;
            let state = init_state(settings).await?;
            let changed = staff::set_password(&state, &operator(), &username, &password)
                .await
                .map_err(said)?;
            println!("password of {} changed", changed.username);
            flushed(&state).await
        }
        StaffCommand::Email { username, address } => {
            let state = init_state(settings).await?;
            let set = crate::services::alerts::choices::set_email_of(
                &state,
                &operator(),
                &username,
                &address,
            )
            .await
            .map_err(said)?;
            match set {
                Some(address) => println!("alerts of {username} go to {address}"),
                None => println!("{username} has no e-mail address any more"),
            }
            flushed(&state).await
        }
    }
}
