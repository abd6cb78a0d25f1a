//! A staff member's own settings: the console's language (`fr`, `en`… or none: the
//! browser's). Each member sets only their own.

use crate::{
    error::{Error, Result},
    i18n::Lang,
    services::staff::Staff,
    state::AppState,
    storage,
};

/// The language the staff member chose, if any (the bootstrap token has none).
pub async fn language(state: &AppState, staff: &Staff) -> Result<Option<String>> {
    match staff.id {
        Some(id) => Ok(storage::console::staff_language(&state.db, id).await?),
        None => Ok(None),
    }
}

/// Sets (or, with `None` or "auto", clears) the staff member's console language; only a
/// language the console has.
pub async fn set_language(state: &AppState, staff: &Staff, language: Option<&str>) -> Result<()> {
    let id = staff
        .id
        .ok_or_else(|| Error::Forbidden("this account has no settings".into()))?;
    let language = match language
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "auto")
    {
        Some(tag) => Some(
            Lang::of(tag)
                .filter(|l| l.code() == tag)
                .ok_or_else(|| Error::Unprocessable("language: one the console has".into()))?
                .code(),
        ),
        None => None,
    };
    storage::console::set_staff_language(&state.db, id, language).await?;
    Ok(())
}
