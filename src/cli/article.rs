//! `tribune article add`: registers an article (idempotent on its URL), as the CMS API
//! does, and prints it as JSON.

use super::{flushed, said};
use crate::config::Settings;
use crate::services::articles::{register, RegisterArticle};
use crate::startup::init_state;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ArticleCommand {
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

pub async fn run(settings: Settings, command: ArticleCommand) -> anyhow::Result<()> {
    let ArticleCommand::Add {
        site,
        url,
        title,
        summary,
        published,
    } = command;
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
    .map_err(said)?;
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
    flushed(&state).await
}
