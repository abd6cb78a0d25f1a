//! The console's queue: tabs with counts, search and filters, pages of 25, each
//! comment with the rules that fired (translated), its reports and decisions, and the
//! actions that fit its state; bulk actions on the checked comments; the undo flash;
//! and the small JSON endpoint the script polls for new held comments.

use super::{
    back, hits, screen,
    session::{Session, SignedForm},
};
use crate::{
    error::{Error, Result},
    i18n::Lang,
    services::{
        moderators::{self, queue::TABS, BlockScope, QueueFilter, QueueItem, Reason, RuleView},
        staff::{Role, Staff},
    },
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    Json,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the last action left for the flash: the audit rows to undo, what was done and
/// to how many comments.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flash {
    undo: Option<String>,
    done: Option<String>,
    n: Option<u32>,
}

/// The actions that fit a comment in this state (the template renders each).
fn actions_for(item: &QueueItem) -> Vec<&'static str> {
    use crate::domain::CommentStatus::*;
    match item.status {
        Held => vec!["approve", "reject", "hide", "block", "suspend"],
        Published if item.open_reports > 0 => vec!["keep", "hide", "delete", "block"],
        Published => vec!["hide", "delete", "block"],
        Hidden | Rejected => vec!["restore", "delete"],
    }
}

/// A queue item as the template shows it.
#[derive(Serialize)]
pub struct ItemView<'a> {
    #[serde(flatten)]
    pub item: &'a QueueItem,
    pub hits: Vec<hits::HitLine>,
    pub actions: Vec<&'static str>,
    pub reasons_known: bool,
}

pub fn views<'a>(lang: Lang, items: &'a [QueueItem], rules: &[RuleView]) -> Vec<ItemView<'a>> {
    let rules: HashMap<i64, &RuleView> = rules.iter().map(|r| (r.id, r)).collect();
    items
        .iter()
        .map(|item| ItemView {
            hits: item
                .verdict
                .as_ref()
                .map(|v| hits::lines(lang, &v.hits, &rules))
                .unwrap_or_default(),
            actions: actions_for(item),
            reasons_known: item
                .moderation_reason
                .as_deref()
                .is_some_and(|r| Reason::parse(r).is_some()),
            item,
        })
        .collect()
}

fn reasons() -> Vec<&'static str> {
    Reason::ALL.iter().map(|r| r.as_str()).collect()
}

/// The queue (moderators); an editor is sent to the selection, theirs to use.
pub async fn queue(
    State(state): State<AppState>,
    Query(filter): Query<QueueFilter>,
    Query(flash): Query<Flash>,
    session: Session,
) -> Result<Response> {
    let staff = &session.staff;
    if staff.role < Role::Moderator {
        return Ok(Redirect::to("/admin/selection").into_response());
    }
    let lang = session.lang;
    let page = moderators::queue_page(&state, staff, filter.clone()).await?;
    let rules = moderators::rules(&state, staff).await?;
    let items = views(lang, &page.items, &rules);
    let undo: Vec<i64> = flash
        .undo
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter_map(|s| s.parse().ok())
        .take(moderators::undo::MAX_AT_ONCE)
        .collect();
    let done = flash.done.filter(|d| {
        [
            "hide", "approve", "reject", "restore", "delete", "keep", "block", "suspend", "undone",
        ]
        .contains(&d.as_str())
    });
    let sites: Vec<(&str, &str)> = state
        .sites
        .values()
        .map(|s| (s.slug.as_str(), s.name.as_str()))
        .collect();
    let max_id = page.items.iter().map(|i| i.id).max().unwrap_or(0);
    screen(
        "console/queue.html",
        lang,
        Some(staff),
        minijinja::context! {
            items, page, filter, sites, tabs => TABS, reasons => reasons(),
            csrf => session.csrf(),
            undo => undo.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            done, done_n => flash.n.unwrap_or(1), max_id,
            window => moderators::undo::WINDOW_MS / 1000,
        },
    )
}

/// The fields of the queue's forms (each decision reads its own).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Decision {
    /// Hide: the moderation note; highlight: the editorial note.
    note: Option<String>,
    /// Hide: why (`other` when absent).
    reason: Option<String>,
    /// Block: `domain`, else the author.
    scope: Option<String>,
    /// Delete, block, suspend: `yes` once confirmed.
    confirm: Option<String>,
}

/// Notes and reasons are short.
fn note_of(note: &Option<String>) -> Result<Option<&str>> {
    let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 1_000) {
        return Err(Error::Unprocessable("note: 1000 characters at most".into()));
    }
    Ok(note)
}

/// One decision; the audit row's id when it can be undone.
async fn decide(
    state: &AppState,
    staff: &Staff,
    id: i64,
    action: &str,
    form: &Decision,
) -> Result<Option<i64>> {
    let note = note_of(&form.note)?;
    Ok(match action {
        "approve" | "keep" => Some(moderators::approve(state, staff, id).await?),
        "reject" => Some(
            moderators::reject(
                state,
                staff,
                id,
                form.reason.as_deref().filter(|r| !r.is_empty()),
                note,
            )
            .await?,
        ),
        "hide" => {
            let reason = form
                .reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .unwrap_or("other");
            Some(moderators::hide(state, staff, id, reason, note).await?)
        }
        "restore" => Some(moderators::restore(state, staff, id).await?),
        "delete" => {
            moderators::delete(state, staff, id).await?;
            None
        }
        "highlight" => {
            crate::services::newsroom::highlights::highlight(
                state,
                staff,
                id,
                note.map(str::to_string),
            )
            .await?;
            None
        }
        "block" | "suspend" => {
            let scope = if action == "suspend" || form.scope.as_deref() == Some("domain") {
                BlockScope::Domain
            } else {
                BlockScope::Actor
            };
            moderators::block_from_comment(state, staff, id, scope, None).await?;
            None
        }
        _ => return Err(Error::NotFound("action")),
    })
}

/// Whether an action cannot be undone, so asks first.
pub fn needs_confirmation(action: &str) -> bool {
    matches!(action, "delete" | "block" | "suspend")
}

/// A decision from the queue or the comment's page, back there with the undo flash.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    SignedForm { staff, form }: SignedForm<Decision>,
) -> Result<Response> {
    if needs_confirmation(&action) && form.confirm.as_deref() != Some("yes") {
        return Ok(Redirect::to(&format!("/admin/comments/{id}/confirm/{action}")).into_response());
    }
    let audit = decide(&state, &staff, id, &action, &form).await?;
    let mut extra = vec![("done", action.clone())];
    if let Some(audit) = audit {
        extra.push(("undo", audit.to_string()));
    }
    Ok(Redirect::to(&back(&state, &headers, &extra)).into_response())
}

/// The bulk form: the action, its reason and note, and the checked comments (`c<id>`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Bulk {
    action: String,
    reason: Option<String>,
    note: Option<String>,
    #[serde(flatten)]
    picked: HashMap<String, String>,
}

/// One action on every checked comment (at most a page's worth), back with one undo
/// for them all.
pub async fn bulk(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedForm { staff, form }: SignedForm<Bulk>,
) -> Result<Response> {
    staff.require(Role::Moderator)?;
    if !["hide", "approve", "reject"].contains(&form.action.as_str()) {
        return Err(Error::Unprocessable(
            "action: hide, approve or reject".into(),
        ));
    }
    let mut ids: Vec<i64> = form
        .picked
        .keys()
        .filter_map(|k| k.strip_prefix('c')?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > moderators::undo::MAX_AT_ONCE {
        return Err(Error::Unprocessable("pick 1 to 500 comments".into()));
    }
    let decision = Decision {
        note: form.note,
        reason: form.reason,
        ..Default::default()
    };
    let mut audits = Vec::with_capacity(ids.len());
    for id in &ids {
        // A comment the action no longer fits (approved meanwhile by someone else) is
        // left as it is; the others go on.
        match decide(&state, &staff, *id, &form.action, &decision).await {
            Ok(Some(a)) => audits.push(a.to_string()),
            Ok(None) | Err(Error::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let extra = [
        ("done", form.action.clone()),
        ("n", audits.len().to_string()),
        ("undo", audits.join(",")),
    ];
    Ok(Redirect::to(&back(&state, &headers, &extra)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UndoForm {
    /// Audit row ids, comma-separated.
    ids: String,
}

/// Undoes the flash's decisions (the service checks whose and how recent).
pub async fn undo(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedForm { staff, form }: SignedForm<UndoForm>,
) -> Result<Response> {
    if form.ids.len() > 8 * moderators::undo::MAX_AT_ONCE {
        return Err(Error::Unprocessable("ids".into()));
    }
    let ids: Vec<i64> = form
        .ids
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .map_err(|_| Error::Unprocessable("ids".into()))
        })
        .collect::<Result<_>>()?;
    let undone = moderators::undo::undo(&state, &staff, &ids).await?;
    let extra = [
        ("done", "undone".to_string()),
        ("n", undone.len().to_string()),
    ];
    Ok(Redirect::to(&back(&state, &headers, &extra)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Live {
    after: i64,
}

/// New held comments since `after`, rendered as the queue renders them, for the
/// script to put on top of the list.
pub async fn live(
    State(state): State<AppState>,
    Query(live): Query<Live>,
    session: Session,
) -> Result<Json<serde_json::Value>> {
    let staff = &session.staff;
    let ids = moderators::queue::held_since(&state, staff, live.after).await?;
    if ids.is_empty() {
        return Ok(Json(
            serde_json::json!({ "count": 0, "max_id": live.after, "html": "" }),
        ));
    }
    let page = moderators::queue_page(
        &state,
        staff,
        QueueFilter {
            per_page: Some(ids.len() as u32),
            ..Default::default()
        },
    )
    .await?;
    let fresh: Vec<QueueItem> = page
        .items
        .into_iter()
        .filter(|i| i.id > live.after)
        .collect();
    let rules = moderators::rules(&state, staff).await?;
    let items = views(session.lang, &fresh, &rules);
    let html = crate::http::views::render(
        "console/queue_items.html",
        session.lang,
        minijinja::context! { items, csrf => session.csrf(), reasons => reasons(), status => "held", bulk => true },
    )?;
    Ok(Json(serde_json::json!({
        "count": fresh.len(),
        "message": session.lang.t_args("queue-live-new", &[("n", (fresh.len() as i64).into())]),
        "max_id": fresh.iter().map(|i| i.id).max().unwrap_or(live.after),
        "html": html,
    })))
}
