//! The console's settings: each site's mode and newcomer hold, the rules, and domain
//! policies, from templates (`console/rules.html`, `console/domains.html`) in the
//! staff member's language. The services check the roles (moderators and up).

use super::{
    screen,
    selection::{lang_of, problem},
    session::{Session, SignedForm},
};
use crate::{
    error::{Error, Result},
    moderation::{Mode, Severity},
    services::moderators::{self, DomainPolicyRequest, RuleRequest},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

/// A site's mode as the form shows it.
#[derive(Serialize)]
struct SiteModeView {
    slug: String,
    name: String,
    mode: Option<String>,
    hold_new_authors: i32,
}

/// Rules and modes.
pub async fn rules(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
) -> Response {
    let lang = lang_of(&headers);
    let staff = &session.staff;
    let result = async {
        let rules = moderators::rules(&state, staff).await?;
        let mut sites = Vec::new();
        for site in state.sites.values() {
            let stored = moderators::site_mode(&state, site.id).await?;
            sites.push(SiteModeView {
                slug: site.slug.clone(),
                name: site.name.clone(),
                mode: stored.map(|(mode, _)| mode.to_string()),
                hold_new_authors: stored.map(|(_, hold)| hold).unwrap_or(0),
            });
        }
        let kinds: Vec<String> = crate::moderation::compiled::KINDS
            .iter()
            .map(|(kind, _, _)| kind.to_string())
            .collect();
        let modes = [Mode::Post, Mode::Pre, Mode::Closed].map(|m| m.to_string());
        screen(
            "console/rules.html",
            lang,
            Some(staff),
            minijinja::context! { rules, sites, kinds, modes, csrf => session.csrf() },
        )
    }
    .await;
    result.unwrap_or_else(|e| problem(lang, staff, e))
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

/// Back to `to`, or the console's page for the error.
fn done(
    lang: crate::i18n::Lang,
    staff: &crate::services::staff::Staff,
    to: &str,
    r: Result<()>,
) -> Response {
    match r {
        Ok(()) => Redirect::to(to).into_response(),
        Err(e) => problem(lang, staff, e),
    }
}

pub async fn rules_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedForm { staff, form }: SignedForm<NewRule>,
) -> Response {
    let request = RuleRequest {
        site: Some(form.site).filter(|s| !s.is_empty()),
        kind: form.kind,
        pattern: form.pattern,
        action: None,
        note: None,
    };
    let result = moderators::add_rule(&state, &staff, request)
        .await
        .map(|_| ());
    done(lang_of(&headers), &staff, "/admin/rules", result)
}

pub async fn rule_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    SignedForm { staff, .. }: SignedForm,
) -> Response {
    let result = moderators::remove_rule(&state, &staff, id)
        .await
        .map(|_| ());
    done(lang_of(&headers), &staff, "/admin/rules", result)
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
    headers: HeaderMap,
    SignedForm { staff, form }: SignedForm<SiteMode>,
) -> Response {
    let result = async {
        let mode = form
            .mode
            .as_deref()
            .and_then(Mode::parse)
            .ok_or_else(|| Error::Unprocessable("mode".into()))?;
        let hold = form.hold_new_authors.and_then(|n| n.parse().ok());
        moderators::set_site_mode(&state, &staff, &form.site, mode, hold).await
    }
    .await;
    done(lang_of(&headers), &staff, "/admin/rules", result)
}

/// A domain policy as the table shows it.
#[derive(Serialize)]
struct PolicyView {
    domain: String,
    severity: String,
    reject_media: bool,
    reject_reports: bool,
    public_comment: Option<String>,
    source: String,
}

/// Domain policies.
pub async fn domains(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
) -> Response {
    let lang = lang_of(&headers);
    let staff = &session.staff;
    let result = async {
        staff.require(crate::services::staff::Role::Moderator)?;
        let policies: Vec<PolicyView> = moderators::domain_policies(&state)
            .await?
            .into_iter()
            .map(|p| PolicyView {
                domain: p.domain,
                severity: p.severity.to_string(),
                reject_media: p.reject_media,
                reject_reports: p.reject_reports,
                public_comment: p.public_comment,
                source: p.source,
            })
            .collect();
        screen(
            "console/domains.html",
            lang,
            Some(staff),
            minijinja::context! { policies, csrf => session.csrf() },
        )
    }
    .await;
    result.unwrap_or_else(|e| problem(lang, staff, e))
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
    headers: HeaderMap,
    SignedForm { staff, form }: SignedForm<DomainPolicy>,
) -> Response {
    let result = async {
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
        moderators::set_domain_policy(&state, &staff, request)
            .await
            .map(|_| ())
    }
    .await;
    done(lang_of(&headers), &staff, "/admin/domains", result)
}

/// The domain whose policy is lifted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Domain {
    domain: String,
}

pub async fn domains_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedForm { staff, form }: SignedForm<Domain>,
) -> Response {
    let result = moderators::remove_domain_policy(&state, &staff, &form.domain)
        .await
        .map(|_| ());
    done(lang_of(&headers), &staff, "/admin/domains", result)
}
