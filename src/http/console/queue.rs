//! The console's queue: held comments (or another tab) with the rules that fired and
//! a form per decision, and a comment in its context.

use super::{
    page,
    session::{Session, SignedForm},
};
use crate::http::responses::esc;
use crate::{
    domain::CommentStatus,
    error::{Error, Result},
    services::{
        self,
        moderators::{self, BlockScope, CommentDetail, QueueFilter},
        staff::Role,
    },
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use std::fmt::Write;

/// The queue: held comments (or another tab), with the rules that fired.
pub async fn queue(
    State(state): State<AppState>,
    Query(filter): Query<QueueFilter>,
    session: Session,
) -> Result<Response> {
    let staff = &session.staff;
    let status = filter
        .status
        .clone()
        .unwrap_or_else(|| CommentStatus::Held.to_string());
    let items = moderators::queue(&state, staff, filter).await?;
    let mut body = String::from("<nav class=\"tabs\" aria-label=\"Statut\">");
    for (s, label) in [
        (CommentStatus::Held.as_str(), "En attente"),
        ("reported", "Signalés"),
        (CommentStatus::Rejected.as_str(), "Refusés"),
        (CommentStatus::Hidden.as_str(), "Masqués"),
        (CommentStatus::Published.as_str(), "Publiés"),
    ] {
        let current = if s == status {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(body, "<a href=\"/admin?status={s}\"{current}>{label}</a>");
    }
    body.push_str("</nav><details id=\"shortcuts\"><summary>Raccourcis clavier</summary><p>j / k : suivant / précédent · a : approuver · h : masquer (choisir le motif) · e : mettre en valeur (écrire la note) · ? : cette aide</p></details>");
    if items.is_empty() {
        body.push_str("<p>Rien à traiter.</p>");
    }
    for item in &items {
        let _ = write!(
            body,
            "<article class=\"card queue-item\" tabindex=\"0\" id=\"c{}\" aria-label=\"Commentaire {}\"><p class=\"meta\"><strong>{}</strong> sur <a href=\"{}\">{}</a> · {} · <a href=\"/admin/comments/{}\">contexte</a></p>{}",
            item.id, item.id,
            esc(item.author_handle.as_deref().unwrap_or("la rédaction")),
            esc(&item.article_url), esc(&item.article_url), item.status, item.id, item.content_html
        );
        if let Some(v) = &item.verdict {
            body.push_str("<p class=\"meta\">Règles : ");
            for hit in &v.hits {
                let _ = write!(
                    body,
                    "<span class=\"hit\">{} — {}</span>",
                    esc(&hit.rule),
                    esc(&hit.reason)
                );
            }
            body.push_str("</p>");
        }
        if item.open_reports > 0 {
            let _ = write!(
                body,
                "<p class=\"meta\">{} signalement(s)</p>",
                item.open_reports
            );
        }
        let csrf = session.csrf_field();
        let id = item.id;
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/admin/comments/{id}/approve\" class=\"inline\">{csrf}<button type=\"submit\" data-action=\"approve\">Approuver</button></form>\
<form method=\"post\" action=\"/admin/comments/{id}/hide\" class=\"inline\">{csrf}<label>Motif <select name=\"reason\"><option value=\"off_topic\">hors sujet</option><option value=\"repeated\">répété</option><option value=\"promotional\">promotionnel</option><option value=\"abusive\">grossier</option><option value=\"illegal\">illicite</option><option value=\"other\">autre</option></select></label><input name=\"note\" aria-label=\"Note de modération\" placeholder=\"note\"><button type=\"submit\">Masquer</button></form>\
<form method=\"post\" action=\"/admin/comments/{id}/highlight\" class=\"inline\">{csrf}<input name=\"note\" aria-label=\"Note éditoriale\" placeholder=\"note éditoriale\"><button type=\"submit\">Mettre en valeur</button></form>\
<form method=\"post\" action=\"/admin/comments/{id}/block\" class=\"inline\">{csrf}<input type=\"hidden\" name=\"scope\" value=\"actor\"><button type=\"submit\">Bloquer l'auteur</button></form>\
<form method=\"post\" action=\"/admin/comments/{id}/block\" class=\"inline\">{csrf}<input type=\"hidden\" name=\"scope\" value=\"domain\"><button type=\"submit\">Suspendre le domaine</button></form>\
<form method=\"post\" action=\"/admin/comments/{id}/delete\" class=\"inline\">{csrf}<button type=\"submit\">Supprimer</button></form></article>"
        );
    }
    Ok(page("File d'attente", Some(staff), &body))
}

/// A comment in its context: the thread, the author's other comments, the rules.
pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Session { staff, .. }: Session,
) -> Result<Response> {
    staff.require(Role::Moderator)?;
    let CommentDetail {
        comment: c,
        article,
        verdict,
        by_author,
    } = moderators::comment_detail(&state, id).await?;
    let mut body = format!(
        "<p class=\"meta\">Article : <a href=\"/threads?url={}\">{}</a> · statut {}</p><div class=\"card\">{}</div>",
        url::form_urlencoded::byte_serialize(article.url.as_bytes()).collect::<String>(),
        esc(&article.title),
        c.status,
        c.content_html
    );
    if let Some(v) = verdict {
        body.push_str("<h2>Règles déclenchées</h2><ul>");
        for hit in v.hits {
            let _ = write!(
                body,
                "<li>{} ({}) — {}</li>",
                esc(&hit.rule),
                hit.action.as_str(),
                esc(&hit.reason)
            );
        }
        body.push_str("</ul>");
    }
    if c.author_id.is_some() {
        body.push_str("<h2>Autres commentaires de l'auteur</h2><ul>");
        for other in by_author {
            let _ = write!(
                body,
                "<li><a href=\"/admin/comments/{}\">#{}</a> ({}) {}</li>",
                other.id,
                other.id,
                other.status,
                esc(&crate::moderation::text::html_to_text(&other.content_html)
                    .chars()
                    .take(140)
                    .collect::<String>())
            );
        }
        body.push_str("</ul>");
    }
    Ok(page(&format!("Commentaire #{id}"), Some(&staff), &body))
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
}

/// A decision from the queue (approve, hide, highlight, block, delete), back to it.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    SignedForm { staff, form }: SignedForm<Decision>,
) -> Result<Response> {
    let note = form.note.as_deref().filter(|n| !n.trim().is_empty());
    match action.as_str() {
        "approve" => moderators::approve(&state, &staff, id).await?,
        "hide" => {
            let reason = form.reason.as_deref().unwrap_or("other");
            moderators::hide(&state, &staff, id, reason, note).await?
        }
        "delete" => moderators::delete(&state, &staff, id).await?,
        "highlight" => {
            services::newsroom::highlights::highlight(&state, &staff, id, note.map(str::to_string))
                .await?;
        }
        "block" => {
            let scope = if form.scope.as_deref() == Some("domain") {
                BlockScope::Domain
            } else {
                BlockScope::Actor
            };
            moderators::block_from_comment(&state, &staff, id, scope, None).await?;
        }
        _ => return Err(Error::NotFound("action")),
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .filter(|r| r.starts_with(state.urls.base()))
        .map(str::to_string)
        .unwrap_or_else(|| "/admin".into());
    Ok(Redirect::to(&back).into_response())
}
