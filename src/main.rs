//! The `tribune` command: `serve` (the default), `migrate`, `article add`.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tribune::{
    config::Settings,
    services::{
        articles::{register, RegisterArticle},
        staff::{Role, Staff},
    },
    startup::{init_state, Application},
};

#[derive(Parser)]
#[command(name = "tribune", version, about = "Federated comments for publishers")]
struct Cli {
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
}

#[derive(Subcommand)]
enum BlocklistCommand {
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
enum SubscriptionCommand {
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

#[derive(Subcommand)]
enum StaffCommand {
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

#[derive(Subcommand)]
enum ArticleCommand {
    /// Register an article (idempotent on its URL); prints it as JSON.
    Add {
        /// Slug of a configured site.
        #[arg(long, default_value = "demo")]
        site: String,
        /// The article's canonical URL.
        #[arg(long)]
        url: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        summary: Option<String>,
        /// RFC 3339 publication time (default: now).
        #[arg(long)]
        published: Option<chrono::DateTime<chrono::Utc>>,
    },
}

fn main() -> ExitCode {
    // Before any thread exists: the runtime's threads then share two arenas.
    tribune::memory::limit_arenas();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(start()),
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // `TRIBUNE_LOG_FORMAT=json`: one JSON object a line, for log collectors.
    if std::env::var("TRIBUNE_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().init();
    } else {
        logs.init();
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let base = std::env::current_dir()?;
    let settings = Settings::load(&base)?;
    match cli.command.unwrap_or(Command::Serve {
        check_config: false,
    }) {
        Command::Serve { check_config: true } | Command::Migrate => {
            let state = init_state(settings).await?;
            tribune::storage::leases::check_writable(&state.db)
                .await
                .map_err(|e| anyhow::anyhow!("database is not writable: {e}"))?;
            println!("ok");
        }
        Command::Serve {
            check_config: false,
        } => {
            // Each connection is a descriptor: the default soft limit (1,024) would let
            // ~1,000 idle sockets lock readers out.
            match tribune::startup::raise_open_files_limit() {
                Ok((soft, _)) if (soft as usize) < settings.server.max_connections + 256 => {
                    tracing::warn!(
                        open_files = soft,
                        max_connections = settings.server.max_connections,
                        "the open-files limit is below server.max_connections plus headroom"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot raise the open-files limit"),
            }
            let app = Application::build(settings).await?;
            let state = app.state();
            tracing::info!(
                listen = %state.settings.server.listen,
                public_url = %state.settings.server.public_url,
                sites = state.sites.len(),
                "tribune serving"
            );
            app.run_until_stopped(shutdown_signal()).await?;
        }
        Command::Staff {
            command:
                StaffCommand::Add {
                    username,
                    password,
                    role,
                    display_name,
                },
        } => {
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role: admin, moderator or editor"))?;
            let state = init_state(settings).await?;
            let created = tribune::services::staff::create_from_cli(
                &state,
                tribune::services::staff::NewStaff {
                    username,
                    password,
                    role,
                    display_name,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{} ({}) created", created.username, created.role.as_str());
            // What a command wrote is on disk before it says so (see `Durability`).
            state.durability.flush(&state.db).await?;
        }
        Command::Blocklist { command } => {
            let state = init_state(settings).await?;
            let cli = Staff {
                id: None,
                name: "cli".into(),
                display_name: "Command line".into(),
                role: Role::Admin,
            };
            match command {
                BlocklistCommand::Import { file, source } => {
                    let text = std::fs::read_to_string(&file)
                        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
                    let source = source.unwrap_or_else(|| format!("file:{}", file.display()));
                    let started = std::time::Instant::now();
                    let report =
                        tribune::services::blocklists::import(&state, &cli, &text, &source)
                            .await
                            .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!(
                        "{} entries imported in {:.2} s ({} suspended; {} comments hidden; {} deliveries cancelled)",
                        report.entries,
                        started.elapsed().as_secs_f64(),
                        report.suspended,
                        report.comments_hidden,
                        report.deliveries_cancelled
                    );
                }
                BlocklistCommand::Subscriptions { command } => {
                    use tribune::services::blocklists::subscriptions;
                    let lines: Vec<String> = match command {
                        SubscriptionCommand::List => subscriptions::list(&state, &cli)
                            .await
                            .map_err(|e| anyhow::anyhow!("{e}"))?
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
                            let created = subscriptions::create(&state, &cli, new)
                                .await
                                .map_err(|e| anyhow::anyhow!("{e}"))?;
                            vec![format!("subscribed: {} ({})", created.url, created.id)]
                        }
                        SubscriptionCommand::Refresh => {
                            let mut out = Vec::new();
                            for s in storage_list(&state).await? {
                                if let Err(e) = subscriptions::fetch(&state, &s).await {
                                    out.push(format!("{}: {e}", s.url));
                                }
                            }
                            let changes = subscriptions::merge(&state, &cli, true)
                                .await
                                .map_err(|e| anyhow::anyhow!("{e}"))?;
                            out.extend(
                                changes.iter().map(|c| format!("{} {}", c.action, c.domain)),
                            );
                            out.push(format!("{} change(s)", changes.len()));
                            out
                        }
                    };
                    for line in lines {
                        println!("{line}");
                    }
                }
                BlocklistCommand::Export => {
                    let csv = tribune::services::blocklists::export_csv(&state)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    print!("{csv}");
                }
            }
            // What a command wrote is on disk before it says so (see `Durability`).
            state.durability.flush(&state.db).await?;
        }
        Command::Recheck { site, apply } => {
            let state = init_state(settings).await?;
            // The operator at the console acts as an administrator, audited as "cli".
            let staff = Staff {
                id: None,
                name: "cli".into(),
                display_name: "Command line".into(),
                role: Role::Admin,
            };
            let changes = tribune::services::moderators::recheck(&state, &staff, &site, apply)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for change in &changes {
                let rules: Vec<&str> = change
                    .verdict
                    .hits
                    .iter()
                    .map(|h| h.rule.as_str())
                    .collect();
                println!(
                    "comment {}: {} -> {} ({})",
                    change.comment,
                    change.from,
                    change.to,
                    rules.join(", ")
                );
            }
            let outcome = if apply {
                "changed"
            } else {
                "would change (run again with --apply)"
            };
            println!("{} comment(s) {outcome}", changes.len());
            // What a command wrote is on disk before it says so (see `Durability`).
            state.durability.flush(&state.db).await?;
        }
        Command::Article {
            command:
                ArticleCommand::Add {
                    site,
                    url,
                    title,
                    summary,
                    published,
                },
        } => {
            let state = init_state(settings).await?;
            let (article, created) = register(
                &state,
                RegisterArticle {
                    site,
                    url,
                    title,
                    summary,
                    published,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{}",
                serde_json::json!({
                    "id": article.id,
                    "ap_id": article.ap_id,
                    "url": article.url,
                    "title": article.title,
                    "created": created,
                })
            );
            // What a command wrote is on disk before it says so (see `Durability`).
            state.durability.flush(&state.db).await?;
        }
    }
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

async fn storage_list(
    state: &tribune::state::AppState,
) -> anyhow::Result<Vec<tribune::storage::entities::blocklist_subscription::Model>> {
    Ok(tribune::storage::subscriptions::list(&state.db).await?)
}
