//! `GET /threads?url=…`: the thread as a server-rendered page, the same content as the
//! embed, usable without JavaScript and by search engines (`&embed=1`: the variant for
//! an iframe on sites with strict CSPs). Replying and reporting work as plain forms.

use crate::http::extract::{Form, Query};
use crate::http::{
    responses::{client_ip, from_our_pages},
    views,
};
use crate::{
    domain::Attachment,
    error::{Error, Result},
    i18n::Lang,
    sanitize::text_of_html,
    services::{
        self,
        moderators::{reports::ReaderReport, Reason},
        threads::{AuthorView, Byline, CommentNode, ThreadView},
    },
    state::AppState,
};
use axum::{
    extract::{ConnectInfo, State},
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub url: String,
    #[serde(default)]
    pub embed: Option<String>,
    #[serde(default)]
    pub reported: Option<String>,
}

/// What a comment shows folded ("Lire la suite") past this many characters of text.
const LONG: usize = 700;
/// The length of an excerpt: a folded comment's opening, a pick in the selection.
const EXCERPT: usize = 280;

/// A comment as the template shows it: its fields, and its excerpt when it is long.
#[derive(Serialize)]
struct Node<'a> {
    id: i64,
    ap_id: &'a str,
    author: Option<&'a AuthorView>,
    content_html: &'a str,
    summary: Option<&'a str>,
    attachments: &'a [Attachment],
    published: &'a str,
    edited: bool,
    deleted: bool,
    removed_reason: Option<&'a str>,
    highlighted: bool,
    staff: bool,
    /// How a newsroom member signed their reply (name and title).
    byline: Option<&'a Byline>,
    /// Set when the comment is long: it is shown folded, this excerpt first.
    excerpt: Option<String>,
    /// Emoji reactions and their counts.
    reactions: &'a [crate::services::threads::ReactionView],
    /// The program an imported comment came from, where the site shows it.
    imported_from: Option<&'a str>,
    children: Vec<Node<'a>>,
}

/// An editors' pick in the selection: an excerpt that links to its place in the thread.
#[derive(Serialize)]
struct Pick<'a> {
    id: i64,
    author: &'a str,
    staff: bool,
    note: Option<&'a str>,
    excerpt: String,
}

/// The first `max` characters of `text`, cut at a word, with an ellipsis when cut.
fn excerpt(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(head, _)| head).unwrap_or(&cut);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// The text of a comment, its paragraphs and lines apart.
fn text(html: &str) -> String {
    text_of_html(&html.replace("</p>", "</p> ").replace("<br", " <br"))
}

/// How deep replies nest on the page; deeper ones are listed, in order, under their
/// ancestor at this depth (a chain of hundreds of replies stays one readable list and
/// within the template engine's recursion limit).
const MAX_NEST: usize = 8;

/// Every reply below `c`, depth first, without recursion (a remote chain may be long).
fn descendants(c: &CommentNode) -> Vec<&CommentNode> {
    let mut out = Vec::new();
    let mut stack: Vec<&CommentNode> = c.children.iter().rev().collect();
    while let Some(k) = stack.pop() {
        out.push(k);
        stack.extend(k.children.iter().rev());
    }
    out
}

fn node(c: &CommentNode) -> Node<'_> {
    node_at(c, 1)
}

/// `c` at `depth` (1 for a top-level comment; 0: without its replies).
fn node_at(c: &CommentNode, depth: usize) -> Node<'_> {
    let text = text(&c.content_html);
    Node {
        id: c.id,
        ap_id: &c.ap_id,
        author: c.author.as_ref(),
        content_html: &c.content_html,
        summary: c.summary.as_deref(),
        attachments: &c.attachments,
        published: &c.published,
        edited: c.edited.is_some(),
        deleted: c.deleted,
        removed_reason: c.removed_reason.as_deref(),
        highlighted: c.highlighted,
        staff: c.staff,
        byline: c.byline.as_ref(),
        excerpt: (text.chars().count() > LONG).then(|| excerpt(&text, EXCERPT)),
        reactions: &c.reactions,
        imported_from: c.imported_from.as_deref(),
        children: match depth {
            0 => Vec::new(),
            d if d < MAX_NEST => c.children.iter().map(|k| node_at(k, d + 1)).collect(),
            _ => descendants(c).into_iter().map(leaf).collect(),
        },
    }
}

/// A reply listed flat past `MAX_NEST`: itself, its own replies listed beside it.
fn leaf(c: &CommentNode) -> Node<'_> {
    node_at(c, 0)
}

fn pick(c: &CommentNode) -> Pick<'_> {
    Pick {
        id: c.id,
        author: c
            .author
            .as_ref()
            .map(|a| a.name.as_deref().unwrap_or(&a.handle))
            .unwrap_or(""),
        staff: c.staff,
        note: c.editorial.as_ref().and_then(|e| e.note.as_deref()),
        excerpt: excerpt(&text(&c.content_html), EXCERPT),
    }
}

/// The language of the page: the site's, else the reader's, else French.
fn language(thread: &ThreadView, headers: &HeaderMap) -> Lang {
    Lang::negotiate(
        thread.site.as_ref().and_then(|s| s.language.as_deref()),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
        Lang::french(),
    )
}

/// Renders the whole page.
pub fn render(
    state: &AppState,
    thread: &ThreadView,
    lang: Lang,
    embedded: bool,
    reported: bool,
) -> Result<String> {
    let open = thread
        .site
        .as_ref()
        .is_none_or(|s| s.mode != crate::moderation::Mode::Closed);
    let reasons: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
    views::render(
        "thread/page.html",
        lang,
        serde_json::json!({
            "thread": {
                "article": &thread.article,
                "site": &thread.site,
                "total": thread.total,
            },
            "comments": thread.comments.iter().map(node).collect::<Vec<_>>(),
            "picks": thread.highlighted.iter().filter(|c| !c.deleted).map(pick).collect::<Vec<_>>(),
            "quotes": thread.quotes.iter().map(|q| node_at(q, 0)).collect::<Vec<_>>(),
            "quotes_total": thread.quotes_total,
            "alternate": state.urls.article_by_url(&thread.article.url),
            "embedded": embedded,
            "reported": reported,
            "open": open,
            "reasons": reasons,
        }),
    )
}

pub async fn thread_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response> {
    let thread = services::threads::thread(&state, q.url.trim(), Default::default()).await?;
    let embedded = q.embed.is_some();
    let lang = language(&thread, &headers);
    let html = render(&state, &thread, lang, embedded, q.reported.is_some())?;
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
    if !from_our_pages(&state, &headers) {
        return Err(Error::Forbidden(
            "reports come from the thread's page".into(),
        ));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_cuts_at_a_word_and_says_it_was_cut() {
        assert_eq!(excerpt("Court  texte\n", 280), "Court texte");
        assert_eq!(excerpt("Un deux trois, quatre", 16), "Un deux trois…");
        assert_eq!(
            text("<p>Un</p><p>deux<br>trois</p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["Un", "deux", "trois"]
        );
    }
}
