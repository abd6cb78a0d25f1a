//! PLACEHOLDER (sources helper replaces this file)
//! Tribune's own whole-site export, and its restore.

use super::model::ImportReport;
use crate::{error::Error, state::AppState};

/// Writes the whole site as JSON.
pub async fn export(
    _state: &AppState,
    _site: &str,
    _out: &mut (dyn tokio::io::AsyncWrite + Unpin + Send),
) -> Result<(), Error> {
    Err(Error::Unprocessable(
        "the site export is not built yet".into(),
    ))
}

/// Restores a whole-site export.
pub async fn restore(
    _state: &AppState,
    _site: &str,
    _file: std::fs::File,
    _dry_run: bool,
) -> Result<ImportReport, Error> {
    Err(Error::Unprocessable(
        "the site restore is not built yet".into(),
    ))
}
