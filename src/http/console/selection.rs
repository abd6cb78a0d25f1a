//! The editors' console ("Sélection"): recent articles to pick from, one article's
//! published comments with its selection (highlight with a note, edit the note,
//! remove, move up or down) and reply boxes that sign with one's own name and title,
//! and the form to set that signature. Every form is a `SignedForm`; the services
//! check the roles.

use super::{
    screen,
    session::{Session, SignedForm},
};
use crate::{
    error::{Error, Result},
    i18n::Lang,
    services::{newsroom, staff::Staff},
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

/// The console's language: the browser's choice between ours, French by default.
pub(super) fn lang_of(headers: &HeaderMap) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(None, accept, Lang::french())
}

/// A refused or failed console request: the service's error, which the console's error
/// layer (`errors::pages`) turns into a page in the staff member's language.
pub(super) fn problem(_lang: Lang, _staff: &Staff, error: Error) -> Response {
    error.into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

/// The articles to pick from, and how one signs.
pub async fn articles(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(saved): Query<Saved>,
    session: Session,
) -> Response {
    let lang = lang_of(&headers);
    let staff = &session.staff;
    let result = async {
        let articles = newsroom::selection::articles(&state, staff).await?;
        let signature = newsroom::selection::signature(&state, staff).await?;
        // Their fediverse handle, for the `fediverse:creator` tag of pages they sign.
        let handle = newsroom::journalists::of_staff(&state, staff)
            .await?
            .map(|j| j.handle(&state));
        screen(
            "console/selection.html",
            lang,
            Some(staff),
            minijinja::context! {
                articles,
                signature,
                handle,
                can_sign => staff.id.is_some(),
                saved => saved.saved.is_some(),
                csrf => session.csrf(),
                max_name => newsroom::selection::MAX_NAME,
                max_title => newsroom::selection::MAX_TITLE,
            },
        )
    }
    .await;
    result.unwrap_or_else(|e| problem(lang, staff, e))
}

/// One article: its selection in order and its published comments.
pub async fn article(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    session: Session,
) -> Response {
    let lang = lang_of(&headers);
    let staff = &session.staff;
    let result = async {
        let view = newsroom::selection::article(&state, staff, id).await?;
        let signature = newsroom::selection::signature(&state, staff).await?;
        let thread_url = format!(
            "/threads?url={}",
            url::form_urlencoded::byte_serialize(view.article.url.as_bytes()).collect::<String>()
        );
        screen(
            "console/selection_article.html",
            lang,
            Some(staff),
            minijinja::context! {
                view,
                signature,
                thread_url,
                csrf => session.csrf(),
                max_note => newsroom::highlights::MAX_NOTE,
                max_reply => newsroom::replies::MAX_CONTENT,
            },
        )
    }
    .await;
    result.unwrap_or_else(|e| problem(lang, staff, e))
}

/// A form about one comment of the article (highlight, note, remove, move, reply).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommentForm {
    /// The comment's id; none for a reply to the article itself. (Text: forms come
    /// flattened beside the CSRF token, where serde reads every value as a string.)
    comment: Option<String>,
    /// Highlight: the editorial note (empty: none).
    note: Option<String>,
    /// Move: `up` or `down`.
    direction: Option<String>,
    /// Reply: Markdown or plain text.
    content: Option<String>,
}

/// What a form on an article's selection does.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    SignedForm { staff, form }: SignedForm<CommentForm>,
) -> Response {
    let lang = lang_of(&headers);
    match act_on(&state, &staff, id, &action, form).await {
        Ok(anchor) => Redirect::to(&format!("/admin/selection/{id}{anchor}")).into_response(),
        Err(e) => problem(lang, &staff, e),
    }
}

/// Runs the action; the anchor to go back to.
async fn act_on(
    state: &AppState,
    staff: &Staff,
    article_id: i64,
    action: &str,
    form: CommentForm,
) -> Result<String> {
    let chosen = match form
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| Error::Unprocessable("comment: an id".into()))?,
        ),
        None => None,
    };
    let comment = || chosen.ok_or_else(|| Error::Unprocessable("comment".into()));
    match action {
        "highlight" => {
            let comment = comment()?;
            in_article(state, article_id, comment).await?;
            newsroom::highlights::highlight(state, staff, comment, form.note.clone()).await?;
            Ok("#selection".into())
        }
        "unhighlight" => {
            let comment = comment()?;
            in_article(state, article_id, comment).await?;
            newsroom::highlights::unhighlight(state, staff, comment).await?;
            Ok("#selection".into())
        }
        "move" => {
            let up = match form.direction.as_deref() {
                Some("up") => true,
                Some("down") => false,
                _ => return Err(Error::Unprocessable("direction: up or down".into())),
            };
            newsroom::selection::move_highlight(state, staff, article_id, comment()?, up).await?;
            Ok("#selection".into())
        }
        "reply" => {
            let content = form.content.as_deref().unwrap_or("");
            if let Some(comment) = chosen {
                in_article(state, article_id, comment).await?;
            }
            let id = newsroom::replies::reply(state, staff, article_id, chosen, content).await?;
            Ok(format!("#c{id}"))
        }
        _ => Err(Error::NotFound("action")),
    }
}

/// 404 unless the comment belongs to the article the form was on.
async fn in_article(state: &AppState, article_id: i64, comment_id: i64) -> Result<()> {
    match crate::services::threads::article_of(state, comment_id).await? {
        Some(id) if id == article_id => Ok(()),
        _ => Err(Error::NotFound("comment")),
    }
}

/// One's own name and title.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignatureForm {
    display_name: String,
    title: String,
}

pub async fn signature(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedForm { staff, form }: SignedForm<SignatureForm>,
) -> Response {
    let lang = lang_of(&headers);
    match newsroom::selection::set_signature(&state, &staff, &form.display_name, Some(&form.title))
        .await
    {
        Ok(_) => Redirect::to("/admin/selection?saved=1").into_response(),
        Err(e) => problem(lang, &staff, e),
    }
}
