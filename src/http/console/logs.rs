//! The console's records: readers' and servers' reports, and the audit log, from
//! templates in the staff member's language (reasons and actions by their translated
//! names, dates by `when`/`ago`).

use super::{
    screen,
    selection::{lang_of, problem},
    session::Session,
};
use crate::{i18n::Lang, services::moderators, state::AppState};
use axum::{extract::State, http::HeaderMap, response::Response};
use serde::Serialize;

/// Open reports shown at most.
const REPORTS: usize = 300;

/// A message id's words when there is one, else the raw value (a reason or action we
/// have no name for yet).
fn label(lang: Lang, id: &str, raw: &str) -> String {
    if lang.has(id) {
        lang.t(id)
    } else {
        raw.to_string()
    }
}

#[derive(Serialize)]
struct Report {
    #[serde(flatten)]
    report: moderators::reports::OpenCommentReport,
    label: String,
}

/// Reports: readers' (and servers') open reports on comments, then the `Flag`s servers
/// sent.
pub async fn reports(
    State(state): State<AppState>,
    headers: HeaderMap,
    Session { staff, .. }: Session,
) -> Response {
    let lang = lang_of(&headers);
    let result = async {
        let open: Vec<Report> = moderators::reports::open_comment_reports(&state, &staff, REPORTS)
            .await?
            .into_iter()
            .map(|report| Report {
                label: label(
                    lang,
                    &format!("report-reason-{}", report.reason),
                    &report.reason,
                ),
                report,
            })
            .collect();
        let flags = moderators::reports::list(&state).await?;
        screen(
            "console/reports.html",
            lang,
            Some(&staff),
            minijinja::context! { open, flags },
        )
    }
    .await;
    result.unwrap_or_else(|e| problem(lang, &staff, e))
}

#[derive(Serialize)]
struct Entry {
    #[serde(flatten)]
    entry: moderators::AuditView,
    label: String,
    /// Where the target is in the console, if it has a page.
    link: Option<String>,
    details: Option<String>,
}

/// The audit log: who did what, when.
pub async fn audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Session { staff, .. }: Session,
) -> Response {
    let lang = lang_of(&headers);
    let result = async {
        let entries: Vec<Entry> = moderators::audit_log(&state, &staff)
            .await?
            .into_iter()
            .map(|entry| {
                let id = format!("audit-action-{}", entry.action.replace('.', "-"));
                let link = match entry.target_type.as_str() {
                    "comment" => Some(format!("/admin/comments/{}", entry.target_id)),
                    "article" => Some(format!("/admin/selection/{}", entry.target_id)),
                    _ => None,
                };
                let details = match &entry.details {
                    serde_json::Value::Object(map) if map.is_empty() => None,
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                };
                Entry {
                    label: label(lang, &id, &entry.action),
                    link,
                    details,
                    entry,
                }
            })
            .collect();
        screen(
            "console/audit.html",
            lang,
            Some(&staff),
            minijinja::context! { entries },
        )
    }
    .await;
    result.unwrap_or_else(|e| problem(lang, &staff, e))
}
