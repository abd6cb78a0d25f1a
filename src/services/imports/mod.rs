//! Imports of other comment systems' archives (Disqus, WordPress, Isso, Remark42) and of
//! Tribune's own whole-site export: readers turn a file into [`model::Record`]s, one
//! writer stores them as local comments, quietly (nothing is federated).

pub mod disqus;
pub mod isso;
pub mod model;
pub mod remark42;
pub mod site;
pub mod upload;
pub mod writer;
pub mod wxr;
mod xml;

pub use model::{email_hash, Body, Format, ImportError, ImportedAuthor, ImportedComment};
pub use model::{ImportReport, ImportedStatus, ImportedThread, Record, Records};
pub use writer::Progress;

use crate::{
    error::{Error, Invalid, Result},
    state::AppState,
};
use std::path::Path;

/// The records of an export file in `format` (not Tribune's own: [`site::restore`]).
pub async fn open(format: Format, path: &Path) -> std::result::Result<Records, ImportError> {
    let file = || {
        std::fs::File::open(path)
            .map_err(|e| ImportError::new(format!("cannot open {}: {e}", path.display())))
    };
    match format {
        Format::Disqus => Ok(disqus::read(file()?)),
        Format::Wxr => Ok(wxr::read(file()?)),
        Format::Remark42 => Ok(remark42::read(file()?)),
        Format::Isso => isso::read(path).await,
        Format::Tribune => Err(ImportError::new(
            "Tribune's own export is restored, not read as records",
        )),
    }
}

/// Imports the file at `path` for the site `site` (what `tribune import` and
/// `POST /api/v1/admin/imports` do): nothing is written with `dry_run`, and the report
/// is the same.
pub async fn run(
    state: &AppState,
    site: &str,
    format: Format,
    path: &Path,
    dry_run: bool,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    if state.site(site).is_none() {
        return Err(Invalid::field("site", "error-site-unknown")
            .with("site", site)
            .into());
    }
    if format == Format::Tribune {
        let file = std::fs::File::open(path)
            .map_err(|e| Error::Unprocessable(format!("cannot open the file: {e}")))?;
        return site::restore(state, site, file, dry_run).await;
    }
    let records = open(format, path)
        .await
        .map_err(|e| Error::Unprocessable(e.message))?;
    writer::import(state, site, format, records, dry_run, progress).await
}
