//! `GET /threads?url=…`: the thread as a server-rendered page, the same content as the
//! embed, usable without JavaScript and by search engines (`&embed=1`: the variant for
//! an iframe on sites with strict CSPs). Replying and reporting work as plain forms.

use crate::http::responses::{client_ip, esc};
use crate::{
    error::Result,
    services::{
        self,
        moderators::reports::ReaderReport,
        threads::{CommentNode, ThreadView},
    },
    state::AppState,
};
use axum::{
    extract::{ConnectInfo, Form, Query, State},
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use std::fmt::Write;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub url: String,
    #[serde(default)]
    pub embed: Option<String>,
    #[serde(default)]
    pub reported: Option<String>,
}

/// The words of the page, per language.
struct Words {
    comments: fn(u64) -> String,
    selection: &'static str,
    highlighted_by: &'static str,
    all: &'static str,
    reply: &'static str,
    reply_short: &'static str,
    handle: &'static str,
    go: &'static str,
    copy: &'static str,
    report: &'static str,
    send: &'static str,
    reported: &'static str,
    deleted: &'static str,
    removed: &'static str,
    edited: &'static str,
    staff: &'static str,
    cw: &'static str,
    charter: &'static str,
    modes: [&'static str; 3],
    reasons: [(&'static str, &'static str); 6],
    back: &'static str,
}

const FR: Words = Words {
    comments: |n| match n {
        0 => "Aucun commentaire".into(),
        1 => "1 commentaire".into(),
        n => format!("{n} commentaires"),
    },
    selection: "Sélection de la rédaction",
    highlighted_by: "La rédaction a mis en valeur ce commentaire",
    all: "Tous les commentaires",
    reply: "Répondre depuis votre compte du fédivers",
    reply_short: "Répondre",
    handle: "Votre compte (nom@instance) ou votre instance",
    go: "Continuer",
    copy: "Ou copiez ce lien dans la recherche de votre instance :",
    report: "Signaler",
    send: "Envoyer",
    reported: "Merci, le signalement a été transmis.",
    deleted: "Commentaire supprimé.",
    removed: "Commentaire retiré par la modération",
    edited: "modifié",
    staff: "La rédaction",
    cw: "Avertissement de contenu",
    charter: "Lire la charte",
    modes: [
        "Les commentaires sont publiés sans modération a priori, merci de respecter notre charte.",
        "Les commentaires sont relus avant publication, merci de respecter notre charte.",
        "Les commentaires sont fermés.",
    ],
    reasons: [
        ("off_topic", "hors sujet"),
        ("repeated", "répété"),
        ("promotional", "promotionnel"),
        ("abusive", "grossier"),
        ("illegal", "illicite"),
        ("other", "autre"),
    ],
    back: "Retour à l'article",
};

const EN: Words = Words {
    comments: |n| match n {
        0 => "No comments".into(),
        1 => "1 comment".into(),
        n => format!("{n} comments"),
    },
    selection: "Editors' picks",
    highlighted_by: "The newsroom highlighted this comment",
    all: "All comments",
    reply: "Reply from your fediverse account",
    reply_short: "Reply",
    handle: "Your account (name@instance) or your instance",
    go: "Continue",
    copy: "Or paste this link into your instance's search:",
    report: "Report",
    send: "Send",
    reported: "Thank you, your report was sent.",
    deleted: "Comment deleted.",
    removed: "Comment removed by the moderators",
    edited: "edited",
    staff: "Newsroom",
    cw: "Content warning",
    charter: "Read the charter",
    modes: [
        "Comments are published without prior moderation; please follow our charter.",
        "Comments are reviewed before publication; please follow our charter.",
        "Comments are closed.",
    ],
    reasons: [
        ("off_topic", "off topic"),
        ("repeated", "repeated"),
        ("promotional", "promotional"),
        ("abusive", "abusive"),
        ("illegal", "illegal"),
        ("other", "other"),
    ],
    back: "Back to the article",
};

/// `dd/mm/yyyy hh:mm` (UTC) from RFC 3339.
fn when(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

const STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fff}main{max-width:46rem;margin:0 auto;padding:1rem}\
a{color:#0b57d0}ol{list-style:none;margin:0;padding:0}ol ol{margin-left:1.25rem;border-left:2px solid #d0d0d0;padding-left:1rem}\
article{padding:.75rem 0;border-top:1px solid #d0d0d0}.meta,.charter{color:#595959;font-size:.9em}.pick{background:#fff6d6;padding:.5rem 1rem;border-radius:.5rem}\
.badge{font-size:.75em;font-weight:700;border-radius:.25rem;padding:0 .35rem;background:#0b57d0;color:#fff}form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}\
input,select,button{font:inherit}details{margin:.25rem 0}.placeholder{color:#595959;font-style:italic}\
@media (prefers-color-scheme:dark){body{color:#ececec;background:#161616}a{color:#8ab4f8}.meta,.charter,.placeholder{color:#b5b5b5}.pick{background:#3a3320}article{border-color:#3c3c3c}}";

fn comment(
    out: &mut String,
    c: &CommentNode,
    w: &Words,
    charter: Option<&str>,
    in_selection: bool,
) {
    let _ = write!(out, "<article id=\"comment-{}\">", c.id);
    if c.deleted {
        match &c.removed_reason {
            Some(reason) => {
                let label = w
                    .reasons
                    .iter()
                    .find(|(k, _)| k == reason)
                    .map(|(_, v)| *v)
                    .unwrap_or(reason);
                let _ = write!(
                    out,
                    "<p class=\"placeholder\">{} ({}).",
                    w.removed,
                    esc(label)
                );
                if let Some(url) = charter {
                    let _ = write!(out, " <a href=\"{}\">{}</a>", esc(url), w.charter);
                }
                out.push_str("</p>");
            }
            None => {
                let _ = write!(out, "<p class=\"placeholder\">{}</p>", w.deleted);
            }
        }
    } else {
        out.push_str("<p class=\"meta\">");
        if let Some(a) = &c.author {
            let _ = write!(
                out,
                "<a href=\"{}\" rel=\"nofollow noopener ugc\"><strong>{}</strong></a> {} ",
                esc(a.url.as_deref().unwrap_or("#")),
                esc(a.name.as_deref().unwrap_or(&a.handle)),
                esc(&a.handle)
            );
        }
        if c.staff {
            let _ = write!(out, "<span class=\"badge\">{}</span> ", w.staff);
        }
        let _ = write!(
            out,
            "<time datetime=\"{}\">{}</time>",
            esc(&c.published),
            when(&c.published)
        );
        if c.edited.is_some() {
            let _ = write!(out, " ({})", w.edited);
        }
        out.push_str("</p>");
        if in_selection {
            if let Some(e) = &c.editorial {
                let _ = write!(out, "<p><strong>{}</strong>", w.highlighted_by);
                if let Some(note) = &e.note {
                    let _ = write!(out, " — {}", esc(note));
                }
                out.push_str("</p>");
            }
        }
        // content_html was sanitised when the comment was stored.
        match &c.summary {
            Some(cw) => {
                let _ = write!(
                    out,
                    "<details><summary>{} : {}</summary>{}</details>",
                    w.cw,
                    esc(cw),
                    c.content_html
                );
            }
            None => out.push_str(&c.content_html),
        }
        if !c.attachments.is_empty() {
            out.push_str("<ul>");
            for a in &c.attachments {
                let _ = write!(
                    out,
                    "<li><a href=\"{}\" rel=\"nofollow noopener ugc\">{}</a></li>",
                    esc(&a.url),
                    esc(a.alt.as_deref().unwrap_or("↗"))
                );
            }
            out.push_str("</ul>");
        }
        if !in_selection {
            reply_form(out, w, &c.ap_id, w.reply_short);
            let _ = write!(
                out,
                "<details><summary>{}</summary><form method=\"post\" action=\"/threads/report\"><input type=\"hidden\" name=\"comment\" value=\"{}\"><label>{} <select name=\"reason\">",
                w.report, c.id, w.report
            );
            for (k, v) in w.reasons {
                let _ = write!(out, "<option value=\"{k}\">{v}</option>");
            }
            let _ = write!(
                out,
                "</select></label><button type=\"submit\">{}</button></form></details>",
                w.send
            );
        }
    }
    if !in_selection && !c.children.is_empty() {
        out.push_str("<ol>");
        for child in &c.children {
            out.push_str("<li>");
            comment(out, child, w, charter, false);
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    out.push_str("</article>");
}

fn reply_form(out: &mut String, w: &Words, uri: &str, label: &str) {
    let _ = write!(
        out,
        "<details><summary>{label}</summary><form method=\"get\" action=\"/interact\"><input type=\"hidden\" name=\"uri\" value=\"{}\"><label>{} <input name=\"handle\" autocomplete=\"username\" required></label><button type=\"submit\">{}</button></form><p class=\"meta\">{} <code>{}</code></p></details>",
        esc(uri), w.handle, w.go, w.copy, esc(uri)
    );
}

/// Renders the whole page.
pub fn render(thread: &ThreadView, embedded: bool, reported: bool) -> String {
    let lang = thread
        .site
        .as_ref()
        .and_then(|s| s.language.as_deref())
        .unwrap_or("fr");
    let w = if lang.starts_with("en") { &EN } else { &FR };
    let charter = thread.site.as_ref().and_then(|s| s.charter_url.as_deref());
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{} — {}</title><link rel=\"alternate\" type=\"application/activity+json\" href=\"{}\"><link rel=\"canonical\" href=\"{}\"><style>{STYLE}</style></head><body><main>",
        esc(lang), esc(&(w.comments)(thread.total)), esc(&thread.article.title), esc(&thread.article.ap_id), esc(&thread.article.url)
    );
    if !embedded {
        let _ = write!(
            out,
            "<p><a href=\"{}\">{} : {}</a></p>",
            esc(&thread.article.url),
            w.back,
            esc(&thread.article.title)
        );
    }
    if reported {
        let _ = write!(out, "<p role=\"status\">{}</p>", w.reported);
    }
    let _ = write!(
        out,
        "<section aria-labelledby=\"t\"><h2 id=\"t\">{}</h2>",
        esc(&(w.comments)(thread.total))
    );
    if let Some(site) = &thread.site {
        let mode = match site.mode {
            crate::moderation::Mode::Post => w.modes[0],
            crate::moderation::Mode::Pre => w.modes[1],
            crate::moderation::Mode::Closed => w.modes[2],
        };
        let words = match (&site.charter_text, site.mode) {
            (Some(text), m) if m != crate::moderation::Mode::Closed => esc(text),
            _ => mode.to_string(),
        };
        let _ = write!(out, "<p class=\"charter\">{words}");
        if let Some(url) = charter {
            let _ = write!(out, " <a href=\"{}\">{}</a>", esc(url), w.charter);
        }
        out.push_str("</p>");
        if site.mode != crate::moderation::Mode::Closed {
            reply_form(&mut out, w, &thread.article.ap_id, w.reply);
        }
    }
    if !thread.highlighted.is_empty() {
        let _ = write!(
            out,
            "<section class=\"pick\" aria-labelledby=\"s\"><h3 id=\"s\">{}</h3><ol>",
            w.selection
        );
        for c in &thread.highlighted {
            out.push_str("<li>");
            comment(&mut out, c, w, charter, true);
            out.push_str("</li>");
        }
        out.push_str("</ol></section>");
    }
    let _ = write!(
        out,
        "<section aria-labelledby=\"a\"><h3 id=\"a\">{}</h3><ol>",
        w.all
    );
    for c in &thread.comments {
        out.push_str("<li>");
        comment(&mut out, c, w, charter, false);
        out.push_str("</li>");
    }
    out.push_str("</ol></section></section></main></body></html>");
    out
}

pub async fn thread_page(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response> {
    let thread = services::threads::thread(&state, q.url.trim(), Default::default()).await?;
    let embedded = q.embed.is_some();
    let html = render(&thread, embedded, q.reported.is_some());
    // Framing: only by the site's own pages, and only the embed variant.
    let ancestors = match (
        embedded,
        state.site(thread.site.as_ref().map(|s| s.slug.as_str()).unwrap_or("")),
    ) {
        (true, Some(site)) => site.origin.origin().ascii_serialization(),
        _ => "'none'".to_string(),
    };
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; form-action 'self' https: http:; base-uri 'none'; frame-ancestors {ancestors}"
    );
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    pub comment: i64,
    pub reason: String,
}

/// The no-JS report form: records the report, back to the page.
pub async fn report_form(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<ReportForm>,
) -> Result<Response> {
    let from = client_ip(&state, peer, &headers);
    let comment = form.comment;
    services::moderators::reports::report(
        &state,
        from,
        ReaderReport {
            comment,
            reason: form.reason,
            content: None,
        },
    )
    .await?;
    let url = services::threads::article_url_of(&state, comment)
        .await?
        .unwrap_or_default();
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    Ok(Redirect::to(&format!(
        "/threads?url={encoded}&reported=1#comment-{comment}"
    ))
    .into_response())
}
