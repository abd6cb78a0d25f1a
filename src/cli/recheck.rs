//! `tribune recheck`: a site's comments judged again with today's rules; what would
//! change is printed, and applied with `--apply`.

use super::{flushed, operator, said};
use crate::config::Settings;
use crate::startup::init_state;

pub async fn run(settings: Settings, site: &str, apply: bool) -> anyhow::Result<()> {
    let state = init_state(settings).await?;
    let changes = crate::services::moderators::recheck(&state, &operator(), site, apply)
        .await
        .map_err(said)?;
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
    flushed(&state).await
}
