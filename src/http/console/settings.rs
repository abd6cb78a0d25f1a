//! The console's settings: each site's mode and newcomer hold, the rules, and domain
//! policies.

use super::{
    page,
    session::{Session, SignedForm},
};
use crate::http::responses::esc;
use crate::{
    error::{Error, Result},
    moderation::{Mode, Severity},
    services::{
        moderators::{self, DomainPolicyRequest, RuleRequest},
        staff::Role,
    },
    state::AppState,
};
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use std::fmt::Write;

/// Rules and modes.
pub async fn rules(State(state): State<AppState>, session: Session) -> Result<Response> {
    let staff = &session.staff;
    let csrf = session.csrf_field();
    let mut body = String::from("<h2>Modes</h2>");
    for site in state.sites.values() {
        let stored = moderators::site_mode(&state, site.id).await?;
        let mode = stored.map(|(mode, _)| mode);
        let hold_new_authors = stored.map(|(_, hold)| hold).unwrap_or(0);
        let _ = write!(body, "<form method=\"post\" action=\"/admin/modes\" class=\"card\">{csrf}<input type=\"hidden\" name=\"site\" value=\"{}\"><strong>{}</strong> <label>Mode <select name=\"mode\">", esc(&site.slug), esc(&site.name));
        for (m, label) in [
            (Mode::Post, "publication puis modération"),
            (Mode::Pre, "modération avant publication"),
            (Mode::Closed, "fermé"),
        ] {
            let selected = if Some(m) == mode { " selected" } else { "" };
            let _ = write!(body, "<option value=\"{m}\"{selected}>{label}</option>");
        }
        let _ = write!(body, "</select></label> <label>Retenir les nouveaux jusqu'à <input name=\"hold_new_authors\" type=\"number\" min=\"0\" value=\"{}\"> commentaires approuvés</label> <button type=\"submit\">Enregistrer</button></form>", hold_new_authors);
    }
    body.push_str("<h2>Règles</h2><table><thead><tr><th>#</th><th>Site</th><th>Type</th><th>Motif</th><th>Action</th><th></th></tr></thead><tbody>");
    for rule in moderators::rules(&state, staff).await? {
        let _ = write!(body, "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td><form method=\"post\" action=\"/admin/rules/{}/delete\">{csrf}<button type=\"submit\">Retirer</button></form></td></tr>",
            rule.id, esc(rule.site.as_deref().unwrap_or("tous")), rule.kind, esc(&rule.pattern), rule.action, rule.id);
    }
    body.push_str("</tbody></table><form method=\"post\" action=\"/admin/rules\" class=\"card\"><h3>Ajouter une règle</h3>");
    body.push_str(&csrf);
    body.push_str("<label>Type <select name=\"kind\">");
    for (kind, _, help) in crate::moderation::compiled::KINDS {
        let _ = write!(
            body,
            "<option value=\"{kind}\" title=\"{}\">{kind}</option>",
            esc(help)
        );
    }
    body.push_str("</select></label> <label>Motif <input name=\"pattern\" required></label> <label>Site <select name=\"site\"><option value=\"\">tous</option>");
    for site in state.sites.values() {
        let _ = write!(body, "<option value=\"{0}\">{0}</option>", esc(&site.slug));
    }
    body.push_str("</select></label> <button type=\"submit\">Ajouter</button></form>");
    Ok(page("Règles et modes", Some(staff), &body))
}

/// A rule added from the console (the action is the kind's own).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewRule {
    /// A site's slug; empty for every site.
    site: String,
    kind: String,
    pattern: String,
}

pub async fn rules_post(
    State(state): State<AppState>,
    SignedForm { staff, form }: SignedForm<NewRule>,
) -> Result<Response> {
    let request = RuleRequest {
        site: Some(form.site).filter(|s| !s.is_empty()),
        kind: form.kind,
        pattern: form.pattern,
        action: None,
        note: None,
    };
    moderators::add_rule(&state, &staff, request).await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

pub async fn rule_delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedForm { staff, .. }: SignedForm,
) -> Result<Response> {
    moderators::remove_rule(&state, &staff, id).await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

/// A site's mode and newcomer hold.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SiteMode {
    site: String,
    /// `post`, `pre` or `closed` (422 otherwise).
    mode: Option<String>,
    /// A count of approved comments; anything else leaves the hold as it is.
    hold_new_authors: Option<String>,
}

pub async fn modes_post(
    State(state): State<AppState>,
    SignedForm { staff, form }: SignedForm<SiteMode>,
) -> Result<Response> {
    let mode = form
        .mode
        .as_deref()
        .and_then(Mode::parse)
        .ok_or_else(|| Error::Unprocessable("mode".into()))?;
    let hold = form.hold_new_authors.and_then(|n| n.parse().ok());
    moderators::set_site_mode(&state, &staff, &form.site, mode, hold).await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

/// Domain policies.
pub async fn domains(State(state): State<AppState>, session: Session) -> Result<Response> {
    let staff = &session.staff;
    staff.require(Role::Moderator)?;
    let csrf = session.csrf_field();
    let mut body = String::from("<table><thead><tr><th>Domaine</th><th>Sévérité</th><th>Médias refusés</th><th>Signalements refusés</th><th>Origine</th><th></th></tr></thead><tbody>");
    for p in moderators::domain_policies(&state).await? {
        let _ = write!(body, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><form method=\"post\" action=\"/admin/domains/delete\">{csrf}<input type=\"hidden\" name=\"domain\" value=\"{}\"><button type=\"submit\">Lever</button></form></td></tr>",
            esc(&p.domain), p.severity, p.reject_media, p.reject_reports, esc(&p.source), esc(&p.domain));
    }
    let _ = write!(body, "</tbody></table><form method=\"post\" action=\"/admin/domains\" class=\"card\">{csrf}<label>Domaine <input name=\"domain\" required></label> <label>Sévérité <select name=\"severity\"><option value=\"suspend\">suspendre</option><option value=\"silence\">limiter</option><option value=\"noop\">aucune</option></select></label> <label><input type=\"checkbox\" name=\"reject_media\" value=\"1\"> refuser les médias</label> <label><input type=\"checkbox\" name=\"reject_reports\" value=\"1\"> refuser les signalements</label> <button type=\"submit\">Appliquer</button></form>");
    Ok(page("Domaines", Some(staff), &body))
}

/// A domain policy set from the console (the checkboxes count when present).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DomainPolicy {
    domain: String,
    /// `suspend`, `silence` or `noop` (422 otherwise).
    severity: Option<String>,
    reject_media: Option<String>,
    reject_reports: Option<String>,
}

pub async fn domains_post(
    State(state): State<AppState>,
    SignedForm { staff, form }: SignedForm<DomainPolicy>,
) -> Result<Response> {
    let severity = form
        .severity
        .as_deref()
        .and_then(Severity::parse)
        .ok_or_else(|| Error::Unprocessable("severity".into()))?;
    let request = DomainPolicyRequest {
        domain: form.domain,
        severity,
        reject_media: form.reject_media.is_some(),
        reject_reports: form.reject_reports.is_some(),
        public_comment: None,
        private_comment: None,
        obfuscate: false,
    };
    moderators::set_domain_policy(&state, &staff, request).await?;
    Ok(Redirect::to("/admin/domains").into_response())
}

/// The domain whose policy is lifted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Domain {
    domain: String,
}

pub async fn domains_delete(
    State(state): State<AppState>,
    SignedForm { staff, form }: SignedForm<Domain>,
) -> Result<Response> {
    moderators::remove_domain_policy(&state, &staff, &form.domain).await?;
    Ok(Redirect::to("/admin/domains").into_response())
}
