//! Remote comments: finding the thread a reply belongs to (walking up unknown parents)
//! and storing a reply, sanitised, under its parent.

use crate::sanitize::{plain_text, sanitize_html, text_of_html};
use crate::services::{
    judging::{self, Draft},
    remote::actors,
};
use crate::{
    domain::{millis, now_millis, CommentStatus},
    federation::{fetch::FetchError, protocol::note::NoteDoc},
    moderation::Action,
    state::AppState,
    storage::{
        self,
        comments::NewComment,
        entities::{article, comment},
    },
};
use sea_orm::TransactionTrait;
use url::Url;

/// Why a comment could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    /// Worth another try later (network trouble, a remote 5xx, the database).
    #[error("{0}")]
    Transient(String),
    /// Will never work (malformed, spoofed, refused).
    #[error("{0}")]
    Invalid(String),
}

impl From<sea_orm::DbErr> for CommentError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Transient(format!("database: {e}"))
    }
}

impl From<FetchError> for CommentError {
    fn from(e: FetchError) -> Self {
        if e.is_transient() {
            Self::Transient(e.to_string())
        } else {
            Self::Invalid(e.to_string())
        }
    }
}

impl From<actors::ActorError> for CommentError {
    fn from(e: actors::ActorError) -> Self {
        match e {
            actors::ActorError::Fetch(f) => f.into(),
            actors::ActorError::Database(d) => d.into(),
            other => Self::Invalid(other.to_string()),
        }
    }
}

/// Where a reply goes: its article, and the comment it answers (none for the article).
pub struct Place {
    pub article: article::Model,
    pub parent: Option<comment::Model>,
}

/// Finds the thread `in_reply_to` belongs to. Unknown parents are fetched and stored on
/// the way up, to at most `max_reply_depth` hops; `None` if the chain never reaches one
/// of our articles.
pub async fn locate(state: &AppState, in_reply_to: &Url) -> Result<Option<Place>, CommentError> {
    let max_depth = state.settings.federation.max_reply_depth;
    let mut unknown: Vec<NoteDoc> = Vec::new();
    let mut target = in_reply_to.clone();
    let mut place = None;
    for _ in 0..=max_depth {
        if let Some(article) =
            storage::articles::find_by_ap_id_or_url(&state.db, target.as_str()).await?
        {
            place = Some(Place {
                article,
                parent: None,
            });
            break;
        }
        if let Some(parent) = storage::comments::find_by_ap_id(&state.db, target.as_str()).await? {
            if parent.quote_of.is_some() {
                // A quote is outside the tree (FEP-044f): what answers it is not ours.
                return Ok(None);
            }
            let article = storage::articles::find(&state.db, parent.article_id)
                .await?
                .ok_or_else(|| CommentError::Invalid("comment without article".into()))?;
            place = Some(Place {
                article,
                parent: Some(parent),
            });
            break;
        }
        if state.urls.is_local(target.as_str()) {
            // One of our URLs that is neither an article nor a comment: nothing to walk.
            return Ok(None);
        }
        let fetched = state.fetcher.fetch(&target).await?;
        let note =
            NoteDoc::parse(&fetched.json).map_err(|e| CommentError::Invalid(e.to_string()))?;
        if note.attributed_to.origin() != note.id.origin() {
            return Err(CommentError::Invalid(
                "parent attributed to another host".into(),
            ));
        }
        if !note.public {
            // A private post in the chain cannot be shown, nor what hangs below it.
            return Ok(None);
        }
        let Some(next) = note.in_reply_to.clone() else {
            return Ok(None);
        };
        unknown.push(note);
        target = next;
    }
    let Some(mut place) = place else {
        return Ok(None);
    };
    // Store the fetched ancestors from the top down, each under the previous one.
    while let Some(note) = unknown.pop() {
        let stored = store(state, &note, &place).await?;
        place.parent = Some(stored);
    }
    Ok(Some(place))
}

/// Stores a reply at its place (once: a replay returns the stored row).
pub async fn store(
    state: &AppState,
    note: &NoteDoc,
    place: &Place,
) -> Result<comment::Model, CommentError> {
    if let Some(existing) = storage::comments::find_by_ap_id(&state.db, note.id.as_str()).await? {
        return Ok(existing);
    }
    let new = prepare(state, note, place, sanitize_html(&note.content)).await?;
    // A held comment and its alert are stored together: none is lost to a crash.
    let txn = state.db.begin().await?;
    let (row, inserted) = storage::comments::insert_new(&txn, new).await?;
    if inserted {
        crate::services::alerts::if_held(&txn, state, &row).await?;
    }
    txn.commit().await?;
    Ok(row)
}

/// A remote post judged and ready to store at `place`, its HTML already sanitised
/// (`content_html`): what a reply and a quote (`quotes.rs`) share.
pub(super) async fn prepare(
    state: &AppState,
    note: &NoteDoc,
    place: &Place,
    content_html: String,
) -> Result<NewComment, CommentError> {
    let author = actors::get_or_fetch(state, &note.attributed_to).await?;
    let now = now_millis();
    // `summary` may carry HTML (ActivityStreams 2.0 §4): its text, escaped at output.
    let summary = note.summary.as_deref().map(text_of_html);
    // Every comment passes moderation before anyone sees it, and is stored whatever
    // the verdict (a rejected one can be reviewed and restored).
    let judgement = judging::judge(
        state,
        Draft {
            article: &place.article,
            author: Some(&author),
            content_html: &content_html,
            summary: summary.as_deref(),
            mentions: mentions(note),
            existing_id: None,
        },
    )
    .await?;
    let attachments = if judgement.verdict.strip_media {
        Vec::new()
    } else {
        sanitized_attachments(note)
    };
    let new = NewComment {
        article_id: place.article.id,
        parent_id: place.parent.as_ref().map(|p| p.id),
        ap_id: note.id.to_string(),
        url: note.url.clone(),
        in_reply_to: note
            .in_reply_to
            .as_ref()
            .map(Url::to_string)
            .unwrap_or_else(|| place.article.ap_id.clone()),
        author_id: Some(author.id),
        content_html,
        summary,
        sensitive: note.sensitive || note.summary.is_some(),
        language: note.language.clone(),
        attachments: serde_json::to_string(&attachments).unwrap_or_else(|_| "[]".into()),
        tags: serde_json::to_string(&note.tags).unwrap_or_else(|_| "[]".into()),
        status: CommentStatus::after(judgement.verdict.action),
        published: note.published.map(millis).unwrap_or(now).min(now),
        created_at: now,
        verdict: serde_json::to_string(&judgement.verdict).ok(),
        text_hash: Some(judgement.text_hash),
        simhash: Some(judgement.simhash),
    };
    state.metrics.verdict(judgement.verdict.action.as_str());
    if judgement.verdict.action != Action::Publish {
        tracing::info!(comment = %note.id, verdict = judgement.verdict.action.as_str(), "comment not published");
    }
    Ok(new)
}

fn mentions(note: &NoteDoc) -> usize {
    note.tags
        .iter()
        .filter(|t| matches!(t, crate::domain::Tag::Mention { .. }))
        .count()
}

/// Applies an `Update` to a stored comment, keeping the old version. The edit is
/// judged again: a published comment edited into something the rules refuse is taken
/// down (held or rejected); others keep the moderators' decision. `None` when a newer
/// version was stored meanwhile.
pub async fn edit(
    state: &AppState,
    current: comment::Model,
    note: &NoteDoc,
) -> Result<Option<comment::Model>, CommentError> {
    let content_html = match &current.quote_of {
        // A quote's edit comes with its fallback again.
        Some(quoted) => crate::sanitize::strip_quote_fallback(&note.content, &[quoted]),
        None => sanitize_html(&note.content),
    };
    // `summary` may carry HTML (ActivityStreams 2.0 §4): its text, escaped at output.
    let summary = note.summary.as_deref().map(text_of_html);
    let article = storage::articles::find(&state.db, current.article_id)
        .await?
        .ok_or_else(|| CommentError::Invalid("comment without article".into()))?;
    let author = match current.author_id {
        Some(id) => storage::actors::find_many(&state.db, vec![id]).await?.pop(),
        None => None,
    };
    let judgement = judging::judge(
        state,
        Draft {
            article: &article,
            author: author.as_ref(),
            content_html: &content_html,
            summary: summary.as_deref(),
            mentions: mentions(note),
            existing_id: Some(current.id),
        },
    )
    .await?;
    let takedown =
        current.status == CommentStatus::Published && judgement.verdict.action != Action::Publish;
    let attachments = if judgement.verdict.strip_media {
        Vec::new()
    } else {
        sanitized_attachments(note)
    };
    let edit = storage::comments::Edit {
        content_html,
        summary,
        sensitive: note.sensitive || note.summary.is_some(),
        language: note.language.clone(),
        attachments: serde_json::to_string(&attachments).unwrap_or_else(|_| "[]".into()),
        tags: serde_json::to_string(&note.tags).unwrap_or_else(|_| "[]".into()),
        edited_at: note.updated.map(millis).unwrap_or_else(now_millis),
        status: takedown.then(|| CommentStatus::after(judgement.verdict.action)),
        verdict: serde_json::to_string(&judgement.verdict).ok(),
        text_hash: judgement.text_hash,
        simhash: judgement.simhash,
    };
    // Federated edits arrive out of order: the storage keeps only the newest.
    let txn = state.db.begin().await?;
    let edited = storage::comments::apply_edit_if_newer(&txn, current, edit).await?;
    if let Some(row) = edited.as_ref().filter(|_| takedown) {
        crate::services::alerts::if_held(&txn, state, row).await?;
    }
    txn.commit().await?;
    Ok(edited)
}

fn sanitized_attachments(note: &NoteDoc) -> Vec<crate::domain::Attachment> {
    note.attachments
        .iter()
        .map(|a| crate::domain::Attachment {
            url: a.url.clone(),
            media_type: a.media_type.clone(),
            alt: a.alt.as_deref().map(plain_text),
        })
        .collect()
}

/// The article, and the comment if it is one, that an AP id names in our threads.
pub async fn target(
    state: &AppState,
    ap_id: &str,
) -> Result<Option<(article::Model, Option<comment::Model>)>, CommentError> {
    if let Some(article) = storage::articles::find_by_ap_id_or_url(&state.db, ap_id).await? {
        return Ok(Some((article, None)));
    }
    let Some(comment) = storage::comments::find_by_ap_id(&state.db, ap_id).await? else {
        return Ok(None);
    };
    Ok(storage::articles::find(&state.db, comment.article_id)
        .await?
        .map(|article| (article, Some(comment))))
}
