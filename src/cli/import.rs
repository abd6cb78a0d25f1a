//! `tribune import disqus|wxr|isso|remark42|tribune FILE --site S [--dry-run]`: another
//! comment system's archive imported for a site (nothing federated), with a progress
//! bar on a terminal and the report at the end.

use super::{flushed, said};
use crate::config::Settings;
use crate::services::imports::{self, Format, ImportReport};
use crate::startup::init_state;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// disqus, wxr, isso, remark42 or tribune (a whole-site export).
    #[arg(value_parser = parse_format)]
    format: Format,
    /// The export file.
    file: PathBuf,
    /// Slug of a configured site.
    #[arg(long, default_value = "demo")]
    site: String,
    /// Report what would change, writing nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown format (one of {})", names.join(", "))
    })
}

pub async fn run(settings: Settings, args: ImportArgs) -> anyhow::Result<()> {
    let state = init_state(settings).await?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} records read ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    });
    let tick = |read: u64| {
        if let Some(bar) = &bar {
            bar.set_position(read);
        }
    };
    let report = imports::run(
        &state,
        &args.site,
        args.format,
        &args.file,
        args.dry_run,
        Some(&tick),
    )
    .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report.map_err(said)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", human(&report));
    }
    flushed(&state).await
}

/// The report as lines a person reads.
fn human(r: &ImportReport) -> String {
    let mut out = String::new();
    let head = if r.dry_run {
        "dry run, nothing written"
    } else {
        "imported"
    };
    out.push_str(&format!("{} for site {} ({head})\n", r.format, r.site));
    out.push_str(&format!(
        "threads: {} ({} articles registered, {} matched)\n",
        r.threads, r.articles_created, r.articles_matched
    ));
    out.push_str(&format!(
        "comments: {} ({} created, {} updated, {} unchanged, {} skipped)\n",
        r.comments, r.comments_created, r.comments_updated, r.comments_unchanged, r.skipped
    ));
    for p in &r.problems {
        out.push_str(&format!("  {p}\n"));
    }
    out
}
