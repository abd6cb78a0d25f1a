//! `tribune article add|list|delete`: registers an article (idempotent on its URL, as
//! the CMS API does), lists them with their counts, deletes one (followers are told).

use super::{flushed, said};
use crate::config::Settings;
use crate::services::articles::{self, register, RegisterArticle};
use crate::startup::init_state;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ArticleCommand {
    /// Register an article (idempotent on its URL); prints it as JSON. Registering a
    /// URL again updates the fields given and keeps the others.
    Add {
        /// Slug of a configured site.
        #[arg(long, default_value = "demo")]
        site: String,
        /// The article's canonical URL.
        #[arg(long)]
        url: String,
        /// Required for a new article.
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        summary: Option<String>,
        /// RFC 3339 publication time (default: now).
        #[arg(long)]
        published: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// List articles: id, site, comments, highlighted, state, title, URL (tab-separated;
    /// --json for one JSON object a line).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete an article, by id or URL: served as a Tombstone from then on, followers
    /// told. Asks for --yes.
    Delete {
        /// The article's id, page URL or ActivityPub id.
        article: String,
        /// Really delete it.
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(settings: Settings, command: ArticleCommand) -> anyhow::Result<()> {
    match command {
        ArticleCommand::Add {
            site,
            url,
            title,
            summary,
            published,
        } => {
            let state = init_state(settings).await?;
            let (article, created) = register(
                &state,
                RegisterArticle {
                    site,
                    url,
                    title,
                    // Not given: kept.
                    summary: summary.map(Some),
                    published,
                    author: None,
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
                    "summary": article.summary,
                    "created": created,
                })
            );
            flushed(&state).await
        }
        ArticleCommand::List { json } => {
            let state = init_state(settings).await?;
            for a in articles::list(&state).await.map_err(said)? {
                if json {
                    println!("{}", serde_json::to_string(&a)?);
                    continue;
                }
                let status = match (a.deleted, a.confirmed) {
                    (true, _) => "deleted",
                    (false, true) => "published",
                    (false, false) => "unconfirmed",
                };
                println!(
                    "{}\t{}\t{} comments\t{} highlighted\t{}\t{}\t{}",
                    a.id, a.site, a.comments, a.highlighted, status, a.title, a.url
                );
            }
            Ok(())
        }
        ArticleCommand::Delete { article, yes } => {
            let state = init_state(settings).await?;
            let found = match article.trim().parse::<i64>() {
                Ok(id) => articles::find(&state, id).await,
                Err(_) => articles::find_by_url(&state, &article).await,
            }
            .map_err(said)?;
            if !yes {
                anyhow::bail!(
                    "this deletes article {} ({}) for good; run again with --yes",
                    found.id,
                    found.url
                );
            }
            articles::delete(&state, found.id).await.map_err(said)?;
            println!("article {} deleted ({})", found.id, found.url);
            flushed(&state).await
        }
    }
}
