//! PLACEHOLDER (sources helper replaces this file)
//! Isso's SQLite database, read as import records.

use super::model::{ImportError, Records};

/// Reads an Isso database.
pub async fn read(_path: &std::path::Path) -> Result<Records, ImportError> {
    Err(ImportError::new("the Isso import is not built yet"))
}
