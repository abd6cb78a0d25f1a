//! The moderation console at `/admin`: server-rendered pages for the staff (sign-in,
//! queue with keyboard shortcuts, a comment in its context, rules and modes, domain
//! policies, reports, audit log). Sessions are staff tokens in a `Secure` (over https),
//! `HttpOnly`, `SameSite=Strict` cookie; every form carries a CSRF token derived from
//! the session.

use super::pages::esc;
use crate::{
    domain::CommentStatus,
    error::{Error, Result},
    moderation::Mode,
    services::{
        self,
        moderators::{self, BlockScope, DomainPolicyRequest, QueueFilter, RuleRequest},
        staff::{self, Role, Staff},
    },
    state::AppState,
    storage,
};
use axum::{
    extract::{ConnectInfo, Form, Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use std::{collections::HashMap, fmt::Write};

const COOKIE: &str = "tribune_session";
const SCRIPT: &str = include_str!("../../assets/console.js");

const STYLE: &str = "body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;background:#f6f6f6}header.top{background:#1b1b1b;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}\
header.top a{color:#fff}main{max-width:64rem;margin:0 auto;padding:1rem}.card{background:#fff;border:1px solid #d0d0d0;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}\
.card:focus{outline:3px solid #0b57d0}.meta{color:#595959;font-size:.9em}.hit{display:inline-block;background:#eee;border-radius:.25rem;padding:0 .3rem;margin:.1rem;font-size:.85em}\
form.inline{display:inline-flex;gap:.3rem;align-items:center;margin:.2rem .4rem .2rem 0}button{font:inherit;cursor:pointer}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}\
nav.tabs a{margin-right:.8rem}.error{color:#a00000}";

fn page(title: &str, staff: Option<&Staff>, body: &str) -> Response {
    let mut out = format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{} — Tribune</title><style>{STYLE}</style></head><body>",
        esc(title)
    );
    if let Some(staff) = staff {
        let _ = write!(
            out,
            "<header class=\"top\"><strong>Tribune</strong><nav aria-label=\"Console\"><a href=\"/admin\">File d'attente</a> <a href=\"/admin/rules\">Règles et modes</a> <a href=\"/admin/domains\">Domaines</a> <a href=\"/admin/reports\">Signalements</a> <a href=\"/admin/audit\">Journal</a> <a href=\"/admin/blocklists\">Listes de blocage</a></nav><span>{} ({})</span><form method=\"post\" action=\"/admin/logout\" class=\"inline\"><button type=\"submit\">Se déconnecter</button></form></header>",
            esc(&staff.display_name),
            staff.role.as_str()
        );
    }
    let _ = write!(
        out,
        "<main><h1>{}</h1>{body}</main><script src=\"/admin/console.js\"></script></body></html>",
        esc(title)
    );
    let mut response = Html(out).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(&format!("{COOKIE}="))
                .map(str::to_string)
        })
}

/// The signed-in staff member and their session token.
async fn session(state: &AppState, headers: &HeaderMap) -> Option<(Staff, String)> {
    let token = cookie_token(headers)?;
    let staff = staff::authenticate_session(state, &token).await.ok()?;
    Some((staff, token))
}

fn csrf_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        staff::csrf_of(token)
    )
}

fn check_csrf(token: &str, form: &HashMap<String, String>) -> Result<()> {
    match form.get("csrf") {
        Some(given) if given == &staff::csrf_of(token) => Ok(()),
        _ => Err(Error::Forbidden(
            "the form is stale: reload the page".into(),
        )),
    }
}

/// The staff member behind a console form: signed in (else `None`: back to sign-in)
/// and carrying this session's CSRF token (else 403).
async fn form_staff(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Option<Staff>> {
    let Some((staff, token)) = session(state, headers).await else {
        return Ok(None);
    };
    check_csrf(&token, form)?;
    Ok(Some(staff))
}

fn login_page(error: Option<&str>) -> Response {
    let mut body = String::new();
    if let Some(e) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", esc(e));
    }
    body.push_str("<form method=\"post\" action=\"/admin/login\" class=\"card\"><p><label>Identifiant <input name=\"username\" autocomplete=\"username\" required></label></p><p><label>Mot de passe <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p><p><button type=\"submit\">Se connecter</button></p></form>");
    page("Connexion", None, &body)
}

pub async fn script() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/javascript; charset=utf-8",
        )],
        SCRIPT,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let from = super::responses::client_ip(&state, peer, &headers);
    match staff::login(
        &state,
        from,
        &form.username,
        &form.password,
        staff::TokenKind::Session,
        "console session",
    )
    .await
    {
        Ok(token) => {
            let secure = if state.settings.server.public_url.scheme() == "https" {
                "; Secure"
            } else {
                ""
            };
            // The cookie lives as long as the session may (the server also ends it
            // when idle: `auth.session_idle_secs`).
            let max_age = state.settings.auth.session_max_secs;
            let cookie = format!(
                "{COOKIE}={token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
            );
            let mut response = Redirect::to("/admin").into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(Error::TooManyRequests(wait)) => {
            let mut response = login_page(Some(&format!(
                "Trop de tentatives : réessayez dans {wait} s."
            )));
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, wait.max(1).into());
            response
        }
        Err(e) if e.status().is_server_error() => e.into_response(),
        Err(_) => {
            let mut response = login_page(Some("Identifiant ou mot de passe incorrect."));
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = cookie_token(&headers) {
        staff::revoke(&state, &token).await?;
    }
    let mut response = Redirect::to("/admin").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "tribune_session=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    Ok(response)
}

/// The queue: held comments (or another tab), with the rules that fired.
pub async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<QueueFilter>,
) -> Result<Response> {
    let Some((staff, token)) = session(&state, &headers).await else {
        return Ok(login_page(None));
    };
    let status = filter
        .status
        .clone()
        .unwrap_or_else(|| CommentStatus::Held.to_string());
    let items = moderators::queue(&state, &staff, filter).await?;
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
        let csrf = csrf_field(&token);
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
    Ok(page("File d'attente", Some(&staff), &body))
}

/// A comment in its context: the thread, the author's other comments, the rules.
pub async fn comment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response> {
    let Some((staff, _)) = session(&state, &headers).await else {
        return Ok(login_page(None));
    };
    staff.require(Role::Moderator)?;
    let c = storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    let article = storage::articles::find(&state.db, c.article_id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    let mut body = format!(
        "<p class=\"meta\">Article : <a href=\"/threads?url={}\">{}</a> · statut {}</p><div class=\"card\">{}</div>",
        url::form_urlencoded::byte_serialize(article.url.as_bytes()).collect::<String>(),
        esc(&article.title),
        c.status,
        c.content_html
    );
    if let Some(v) = c
        .verdict
        .as_deref()
        .and_then(|v| serde_json::from_str::<crate::moderation::Verdict>(v).ok())
    {
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
    if let Some(author_id) = c.author_id {
        body.push_str("<h2>Autres commentaires de l'auteur</h2><ul>");
        for other in storage::moderation::recent_by_author(&state.db, author_id, 20).await? {
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

/// A decision from the queue (approve, hide, highlight, block, delete), back to it.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let Some(staff) = form_staff(&state, &headers, &form).await? else {
        return Ok(Redirect::to("/admin").into_response());
    };
    let note = form
        .get("note")
        .map(String::as_str)
        .filter(|n| !n.trim().is_empty());
    match action.as_str() {
        "approve" => moderators::approve(&state, &staff, id).await?,
        "hide" => {
            moderators::hide(
                &state,
                &staff,
                id,
                form.get("reason").map(String::as_str).unwrap_or("other"),
                note,
            )
            .await?
        }
        "delete" => moderators::delete(&state, &staff, id).await?,
        "highlight" => {
            services::newsroom::highlights::highlight(&state, &staff, id, note.map(str::to_string))
                .await?;
        }
        "block" => {
            let scope = if form.get("scope").map(String::as_str) == Some("domain") {
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

/// Rules and modes.
pub async fn rules(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let Some((staff, token)) = session(&state, &headers).await else {
        return Ok(login_page(None));
    };
    let csrf = csrf_field(&token);
    let mut body = String::from("<h2>Modes</h2>");
    for site in state.sites.values() {
        let row = storage::sites::find(&state.db, site.id).await?;
        let mode = row.as_ref().map(|r| r.moderation_mode);
        let _ = write!(body, "<form method=\"post\" action=\"/admin/modes\" class=\"card\">{csrf}<input type=\"hidden\" name=\"site\" value=\"{}\"><strong>{}</strong> <label>Mode <select name=\"mode\">", esc(&site.slug), esc(&site.name));
        for (m, label) in [
            (Mode::Post, "publication puis modération"),
            (Mode::Pre, "modération avant publication"),
            (Mode::Closed, "fermé"),
        ] {
            let selected = if Some(m) == mode { " selected" } else { "" };
            let _ = write!(body, "<option value=\"{m}\"{selected}>{label}</option>");
        }
        let _ = write!(body, "</select></label> <label>Retenir les nouveaux jusqu'à <input name=\"hold_new_authors\" type=\"number\" min=\"0\" value=\"{}\"> commentaires approuvés</label> <button type=\"submit\">Enregistrer</button></form>", row.map(|r| r.hold_new_authors).unwrap_or(0));
    }
    body.push_str("<h2>Règles</h2><table><thead><tr><th>#</th><th>Site</th><th>Type</th><th>Motif</th><th>Action</th><th></th></tr></thead><tbody>");
    for rule in moderators::rules(&state, &staff).await? {
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
    Ok(page("Règles et modes", Some(&staff), &body))
}

pub async fn rules_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let Some(staff) = form_staff(&state, &headers, &form).await? else {
        return Ok(Redirect::to("/admin").into_response());
    };
    let site = form.get("site").filter(|s| !s.is_empty()).cloned();
    moderators::add_rule(
        &state,
        &staff,
        RuleRequest {
            site,
            kind: form.get("kind").cloned().unwrap_or_default(),
            pattern: form.get("pattern").cloned().unwrap_or_default(),
            action: None,
            note: None,
        },
    )
    .await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

pub async fn rule_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let Some(staff) = form_staff(&state, &headers, &form).await? else {
        return Ok(Redirect::to("/admin").into_response());
    };
    moderators::remove_rule(&state, &staff, id).await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

pub async fn modes_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let Some(staff) = form_staff(&state, &headers, &form).await? else {
        return Ok(Redirect::to("/admin").into_response());
    };
    let mode = form
        .get("mode")
        .and_then(|m| Mode::parse(m))
        .ok_or_else(|| Error::Unprocessable("mode".into()))?;
    let hold = form.get("hold_new_authors").and_then(|n| n.parse().ok());
    moderators::set_site_mode(
        &state,
        &staff,
        form.get("site").map(String::as_str).unwrap_or(""),
        mode,
        hold,
    )
    .await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

/// Domain policies.
pub async fn domains(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let Some((staff, token)) = session(&state, &headers).await else {
        return Ok(login_page(None));
    };
    staff.require(Role::Moderator)?;
    let csrf = csrf_field(&token);
    let mut body = String::from("<table><thead><tr><th>Domaine</th><th>Sévérité</th><th>Médias refusés</th><th>Signalements refusés</th><th>Origine</th><th></th></tr></thead><tbody>");
    for p in storage::moderation::domain_policies(&state.db).await? {
        let _ = write!(body, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><form method=\"post\" action=\"/admin/domains/delete\">{csrf}<input type=\"hidden\" name=\"domain\" value=\"{}\"><button type=\"submit\">Lever</button></form></td></tr>",
            esc(&p.domain), p.severity, p.reject_media, p.reject_reports, esc(&p.source), esc(&p.domain));
    }
    let _ = write!(body, "</tbody></table><form method=\"post\" action=\"/admin/domains\" class=\"card\">{csrf}<label>Domaine <input name=\"domain\" required></label> <label>Sévérité <select name=\"severity\"><option value=\"suspend\">suspendre</option><option value=\"silence\">limiter</option><option value=\"noop\">aucune</option></select></label> <label><input type=\"checkbox\" name=\"reject_media\" value=\"1\"> refuser les médias</label> <label><input type=\"checkbox\" name=\"reject_reports\" value=\"1\"> refuser les signalements</label> <button type=\"submit\">Appliquer</button></form>");
    Ok(page("Domaines", Some(&staff), &body))
}

pub async fn domains_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let Some(staff) = form_staff(&state, &headers, &form).await? else {
        return Ok(Redirect::to("/admin").into_response());
    };
    let severity = form
        .get("severity")
        .and_then(|s| crate::moderation::Severity::parse(s))
        .ok_or_else(|| Error::Unprocessable("severity".into()))?;
    moderators::set_domain_policy(
        &state,
        &staff,
        DomainPolicyRequest {
            domain: form.get("domain").cloned().unwrap_or_default(),
            severity,
            reject_media: form.contains_key("reject_media"),
            reject_reports: form.contains_key("reject_reports"),
            public_comment: None,
            private_comment: None,
            obfuscate: false,
        },
    )
    .await?;
    Ok(Redirect::to("/admin/domains").into_response())
}

pub async fn domains_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let Some(staff) = form_staff(&state, &headers, &form).await? else {
        return Ok(Redirect::to("/admin").into_response());
    };
    moderators::remove_domain_policy(
        &state,
        &staff,
        form.get("domain").map(String::as_str).unwrap_or(""),
    )
    .await?;
    Ok(Redirect::to("/admin/domains").into_response())
}

/// Reports from other servers (readers' reports are in the queue's "Signalés" tab).
pub async fn reports(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let Some((staff, _)) = session(&state, &headers).await else {
        return Ok(login_page(None));
    };
    staff.require(Role::Moderator)?;
    let mut body = String::from("<p><a href=\"/admin?status=reported\">Commentaires signalés</a></p><table><thead><tr><th>Reçu</th><th>De</th><th>Objet</th><th>Motif</th></tr></thead><tbody>");
    for r in services::moderators::reports::list(&state).await? {
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
pub async fn audit(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let Some((staff, _)) = session(&state, &headers).await else {
        return Ok(login_page(None));
    };
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
pub async fn blocklists(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let Some((staff, _)) = session(&state, &headers).await else {
        return Ok(login_page(None));
    };
    let body = "<p>Les politiques de domaine en vigueur sont sur la page <a href=\"/admin/domains\">Domaines</a>. Les abonnements à des listes de blocage partagées apparaîtront ici.</p>";
    Ok(page("Listes de blocage", Some(&staff), body))
}
