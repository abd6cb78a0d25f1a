//! The `tribune` command line: `serve` (the default), `migrate`, and the operator's
//! commands (staff, articles, blocklists, re-checks). Like `http`, an outer layer: it
//! parses arguments, calls services and prints their answers.

mod article;
mod blocklist;
mod export;
mod import;
mod password;
mod recheck;
mod serve;
mod staff;

use crate::config::Settings;
use crate::services::staff::{Role, Staff};
use crate::state::AppState;
use clap::{Parser, Subcommand};

pub use article::ArticleCommand;
pub use blocklist::{BlocklistCommand, SubscriptionCommand};
pub use staff::StaffCommand;

#[derive(Parser)]
#[command(name = "tribune", version, about = "Federated comments for publishers")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations and serve (the default).
    Serve {
        /// Only load and check the configuration and the database, then exit.
        #[arg(long)]
        check_config: bool,
    },
    /// Run database migrations and exit.
    Migrate,
    /// Judge a site's comments again with today's rules: shows what would change,
    /// applies it with --apply.
    Recheck {
        #[arg(long, default_value = "demo")]
        site: String,
        #[arg(long)]
        apply: bool,
    },
    /// Import or export domain blocklists.
    Blocklist {
        #[command(subcommand)]
        command: BlocklistCommand,
    },
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Manage articles.
    Article {
        #[command(subcommand)]
        command: ArticleCommand,
    },
    /// Export a whole site as one JSON document (`tribune import tribune` reads it back).
    Export {
        #[arg(long)]
        site: String,
        /// The file to write (standard output when absent).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Import another comment system's archive for a site (nothing is federated).
    Import(import::ImportArgs),
}

/// Runs the command, with the settings layered from the working directory.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(&std::env::current_dir()?)?;
    match cli.command.unwrap_or(Command::Serve {
        check_config: false,
    }) {
        Command::Serve { check_config: true } | Command::Migrate => serve::check(settings).await,
        Command::Serve {
            check_config: false,
        } => serve::serve(settings).await,
        Command::Staff { command } => staff::run(settings, command).await,
        Command::Blocklist { command } => blocklist::run(settings, command).await,
        Command::Recheck { site, apply } => recheck::run(settings, &site, apply).await,
        Command::Article { command } => article::run(settings, command).await,
        Command::Export { site, out } => export::run(settings, &site, out).await,
        Command::Import(args) => import::run(settings, args).await,
    }
}

/// The operator at the command line acts as an administrator, audited as "cli".
fn operator() -> Staff {
    Staff {
        id: None,
        name: "cli".into(),
        display_name: "Command line".into(),
        role: Role::Admin,
    }
}

/// What a command wrote is on disk before it says so, as for an HTTP answer.
async fn flushed(state: &AppState) -> anyhow::Result<()> {
    crate::services::health::acknowledge_writes(state).await?;
    Ok(())
}

/// Service errors are printed with their safe message.
fn said(e: crate::error::Error) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}
