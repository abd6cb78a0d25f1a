//! `tribune blocklist`: import a list file, export ours as Mastodon's CSV, and manage
//! blocklist subscriptions.

use super::{flushed, operator, said};
use crate::config::Settings;
use crate::services::blocklists::{self, subscriptions};
use crate::startup::init_state;
use crate::state::AppState;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum BlocklistCommand {
    /// Import a list: Mastodon CSV or JSON, GoToSocial JSON, FediBlockHole CSV or plain
    /// text (one domain per line).
    Import {
        file: std::path::PathBuf,
        /// Recorded as each policy's provenance (default: the file name).
        #[arg(long)]
        source: Option<String>,
    },
    /// Print our domain policies as Mastodon's CSV.
    Export,
    /// Blocklist subscriptions.
    Subscriptions {
        #[command(subcommand)]
        command: SubscriptionCommand,
    },
}

#[derive(Subcommand)]
pub enum SubscriptionCommand {
    /// List the subscriptions.
    List,
    /// Subscribe to a list at URL (applied at once; --draft keeps its entries waiting).
    Add {
        url: String,
        #[arg(long)]
        draft: bool,
        #[arg(long, default_value_t = 0)]
        priority: i32,
        /// `list` (any list format), `fires` (a FIRES dataset) or `activitypub` (another
        /// server's blocklist actor, followed for pushed changes).
        #[arg(long, default_value = "list")]
        kind: String,
    },
    /// Fetch every source now and apply the merged result.
    Refresh,
}

pub async fn run(settings: Settings, command: BlocklistCommand) -> anyhow::Result<()> {
    let state = init_state(settings).await?;
    match command {
        BlocklistCommand::Import { file, source } => import(&state, file, source).await?,
        BlocklistCommand::Export => {
            print!("{}", blocklists::export_csv(&state).await.map_err(said)?);
        }
        BlocklistCommand::Subscriptions { command } => {
            for line in subscription(&state, command).await? {
                println!("{line}");
            }
        }
    }
    flushed(&state).await
}

async fn import(
    state: &AppState,
    file: std::path::PathBuf,
    source: Option<String>,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let source = source.unwrap_or_else(|| format!("file:{}", file.display()));
    let started = std::time::Instant::now();
    let report = blocklists::import(state, &operator(), &text, &source)
        .await
        .map_err(said)?;
    println!(
        "{} entries imported in {:.2} s ({} suspended; {} comments hidden; {} deliveries cancelled)",
        report.entries,
        started.elapsed().as_secs_f64(),
        report.suspended,
        report.comments_hidden,
        report.deliveries_cancelled
    );
    Ok(())
}

/// The lines to print for a subscription command.
async fn subscription(
    state: &AppState,
    command: SubscriptionCommand,
) -> anyhow::Result<Vec<String>> {
    let cli = operator();
    Ok(match command {
        SubscriptionCommand::List => subscriptions::list(state, &cli)
            .await
            .map_err(said)?
            .into_iter()
            .map(|s| {
                format!(
                    "{}\t{}\t{}\t{}\t{}",
                    s.id,
                    s.kind,
                    s.url,
                    if s.auto_apply { "auto" } else { "draft" },
                    s.last_error.unwrap_or_default()
                )
            })
            .collect(),
        SubscriptionCommand::Add {
            url,
            draft,
            priority,
            kind,
        } => {
            let new = subscriptions::NewSubscription {
                url,
                kind: Some(kind),
                name: None,
                priority,
                max_severity: None,
                auto_apply: !draft,
                excludes: Vec::new(),
                retraction: None,
                authorization: None,
                interval_secs: None,
            };
            let created = subscriptions::create(state, &cli, new)
                .await
                .map_err(said)?;
            vec![format!("subscribed: {} ({})", created.url, created.id)]
        }
        SubscriptionCommand::Refresh => {
            let (failures, changes) = subscriptions::refresh_all(state, &cli)
                .await
                .map_err(said)?;
            let mut out: Vec<String> = failures
                .into_iter()
                .map(|(url, e)| format!("{url}: {e}"))
                .collect();
            out.extend(changes.iter().map(|c| format!("{} {}", c.action, c.domain)));
            out.push(format!("{} change(s)", changes.len()));
            out
        }
    })
}
