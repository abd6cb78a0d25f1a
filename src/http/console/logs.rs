//! The console's records: reports from other servers, the audit log, and where the
//! blocklists stand.

use super::{page, session::Session};
use crate::http::responses::esc;
use crate::{
    error::Result,
    services::{moderators, staff::Role},
    state::AppState,
};
use axum::{extract::State, response::Response};
use std::fmt::Write;

/// Reports from other servers (readers' reports are in the queue's "Signalés" tab).
pub async fn reports(
    State(state): State<AppState>,
    Session { staff, .. }: Session,
) -> Result<Response> {
    staff.require(Role::Moderator)?;
    let mut body = String::from("<p><a href=\"/admin?status=reported\">Commentaires signalés</a></p><table><thead><tr><th>Reçu</th><th>De</th><th>Objet</th><th>Motif</th></tr></thead><tbody>");
    for r in moderators::reports::list(&state).await? {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.created_at),
            esc(r.actor.as_deref().unwrap_or("")),
            esc(&r.objects.join(", ")),
            esc(&r.content)
        );
    }
    body.push_str("</tbody></table>");
    Ok(page("Signalements", Some(&staff), &body))
}

/// The audit log.
pub async fn audit(
    State(state): State<AppState>,
    Session { staff, .. }: Session,
) -> Result<Response> {
    let mut body = String::from("<table><thead><tr><th>Quand</th><th>Qui</th><th>Action</th><th>Cible</th><th>Détails</th></tr></thead><tbody>");
    for e in moderators::audit_log(&state, &staff).await? {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td><code>{}</code></td></tr>",
            esc(&e.at),
            esc(&e.who),
            esc(&e.action),
            esc(&e.target_type),
            esc(&e.target_id),
            esc(&e.details.to_string())
        );
    }
    body.push_str("</tbody></table>");
    Ok(page("Journal", Some(&staff), &body))
}

/// Blocklists (subscriptions and their sources come with the blocklist feature).
pub async fn blocklists(Session { staff, .. }: Session) -> Result<Response> {
    let body = "<p>Les politiques de domaine en vigueur sont sur la page <a href=\"/admin/domains\">Domaines</a>. Les abonnements à des listes de blocage partagées apparaîtront ici.</p>";
    Ok(page("Listes de blocage", Some(&staff), body))
}
