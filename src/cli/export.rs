//! `tribune export --site S [--out FILE]`: the whole-site export, to a file or to
//! standard output, written as it is read (any size in bounded memory).

use super::said;
use crate::config::Settings;
use crate::startup::init_state;
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;

pub async fn run(settings: Settings, site: &str, out: Option<PathBuf>) -> anyhow::Result<()> {
    let state = init_state(settings).await?;
    crate::services::imports::site::check_site(&state, site).map_err(said)?;
    match out {
        Some(path) => {
            // Written beside, then renamed: a failed export leaves no half file.
            let partial = path.with_extension("partial");
            let file = tokio::fs::File::create(&partial).await?;
            let mut writer = tokio::io::BufWriter::new(file);
            crate::services::imports::site::export(&state, site, &mut writer)
                .await
                .map_err(said)?;
            writer.flush().await?;
            writer.get_ref().sync_all().await?;
            tokio::fs::rename(&partial, &path).await?;
            eprintln!("site {site} exported to {}", path.display());
        }
        None => {
            let mut writer = tokio::io::BufWriter::new(tokio::io::stdout());
            crate::services::imports::site::export(&state, site, &mut writer)
                .await
                .map_err(said)?;
            writer.flush().await?;
        }
    }
    Ok(())
}
