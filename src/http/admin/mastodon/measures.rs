//! `POST /api/v1/admin/measures` as Mastodon serves it: `keys` (a list), each key's
//! parameters (`instance_follows: {domain}`…), `start_at` and `end_at` (dates), as JSON
//! (what FediBlockHole sends) or a form (`keys[]=…&instance_follows[domain]=…`).

use super::{Answer, MastodonStaff, Params};
use crate::{
    error::Error,
    services::moderators::measures::{self, Measure, MeasureRequest},
    state::AppState,
};
use axum::{extract::State, Json};
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::HashMap;

/// How many keys are read (Mastodon knows 14).
const MAX_KEYS: usize = 32;

fn date(params: &Params, key: &str) -> Result<Option<NaiveDate>, Error> {
    match params.0.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        // A date, or the date of a timestamp (`2022-09-14T00:00:00Z`).
        Some(Value::String(s)) => s
            .trim()
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Some)
            .ok_or_else(|| Error::Unprocessable(format!("{key} must be a date (YYYY-MM-DD)"))),
        Some(_) => Err(Error::Unprocessable(format!("{key} must be a date"))),
    }
}

/// Measures of the server, Mastodon's `Admin::Measure` list: `instance_follows` and
/// `instance_followers` counted for real for the `domain` given, every other key
/// Mastodon knows answered with zeros, unknown keys left out.
#[utoipa::path(post, path = "/api/v1/admin/measures", security(("bearer" = [])),
    request_body(content((Object = "application/json"), (Object = "application/x-www-form-urlencoded"))),
    responses((status = 200, body = [Measure]), (status = 401), (status = 403), (status = 422)))]
pub async fn measures(
    State(state): State<AppState>,
    MastodonStaff(staff): MastodonStaff,
    params: Params,
) -> Answer<Json<Vec<Measure>>> {
    let keys: Vec<String> = match params.0.get("keys") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|k| k.as_str().map(str::to_string))
            .take(MAX_KEYS)
            .collect(),
        Some(Value::String(one)) => vec![one.clone()],
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err(Error::Unprocessable("keys must be a list of keys".into()).into()),
    };
    let domains: HashMap<String, String> = keys
        .iter()
        .filter_map(|key| {
            let domain = params.0.get(key)?.get("domain")?.as_str()?;
            Some((key.clone(), domain.to_string()))
        })
        .collect();
    let request = MeasureRequest {
        keys,
        domains,
        start: date(&params, "start_at")?,
        end: date(&params, "end_at")?,
    };
    Ok(Json(measures::measures(&state, &staff, request).await?))
}
