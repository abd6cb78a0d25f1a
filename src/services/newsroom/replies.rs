//! Staff replies: an editor or journalist answers a comment (or the article), signed
//! with their own name and title (kept on the reply as written). The reply is a local
//! comment, written in Markdown or plain text and rendered to sanitised
//! HTML, published as a `Note` that mentions whom it answers, delivered to their server
//! and to the site's followers; editable (`Update`) and deletable (`Delete`). A staff
//! member's reply is a `Note` of their journalist actor (`journalists.rs`), signed with
//! their key, and the site actor boosts it (`Announce`) to its followers unless the
//! site's `announce_staff_replies` is off; the bootstrap token's replies are the site's.

use super::journalists::{self, Journalist};
use crate::sanitize::sanitize_html;
use crate::services::{
    delivery,
    staff::{Role, Staff},
    threads::visible::is_visible,
};
use crate::{
    domain::{from_millis, now_millis, CommentStatus, Tag},
    error::{Error, Result},
    federation::protocol::{
        activity,
        note::{local_note, LocalNote},
        policy::Policy,
        tombstone,
    },
    state::{AppState, Site},
    storage::{
        self,
        comments::NewComment,
        entities::{article, comment, remote_actor},
    },
};
use chrono::SecondsFormat;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::{json, Value};

/// The longest staff reply.
pub const MAX_CONTENT: usize = 10_000;

/// Markdown (plain text is Markdown too) to sanitised HTML.
pub fn render(source: &str) -> String {
    let parser =
        pulldown_cmark::Parser::new_ext(source, pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    sanitize_html(&html)
}

fn validate(content: &str) -> Result<&str> {
    let content = content.trim();
    if content.is_empty() || content.chars().count() > MAX_CONTENT {
        return Err(Error::Unprocessable(format!(
            "content: 1 to {MAX_CONTENT} characters"
        )));
    }
    Ok(content)
}

/// Answers a comment (`comment` set) or the article itself.
pub async fn reply(
    state: &AppState,
    staff: &Staff,
    article_id: i64,
    comment_id: Option<i64>,
    content: &str,
) -> Result<i64> {
    staff.require(Role::Editor)?;
    let content = validate(content)?;
    let article = storage::articles::find(&state.db, article_id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    let parent = match comment_id {
        Some(id) => Some(
            storage::moderation::find_comment(&state.db, id)
                .await?
                .filter(is_visible)
                .ok_or(Error::NotFound("comment"))?,
        ),
        None => None,
    };
    let site = state
        .site_by_id(article.site_id)
        .ok_or(Error::NotFound("site"))?;
    let addressee = match parent.as_ref().and_then(|p| p.author_id) {
        Some(id) => storage::actors::find_many(&state.db, vec![id]).await?.pop(),
        None => None,
    };
    // The mention comes first, as Mastodon writes replies.
    let mention_html = addressee.as_ref().map(|a| {
        let name = a.preferred_username.clone().unwrap_or_else(|| "someone".into());
        let href = a.url.clone().unwrap_or_else(|| a.ap_id.clone());
        format!(r#"<span class="h-card"><a href="{href}" class="u-url mention">@<span>{name}</span></a></span> "#)
    });
    let body = render(content);
    let content_html = match &mention_html {
        Some(m) => match body.strip_prefix("<p>") {
            Some(rest) => sanitize_html(&format!("<p>{m}{rest}")),
            None => sanitize_html(&format!("{m}{body}")),
        },
        None => body,
    };
    let tags: Vec<Tag> = addressee
        .iter()
        .map(|a| Tag::Mention {
            href: a.ap_id.clone(),
            name: Some(crate::services::remote::actors::handle(a)),
        })
        .collect();
    let now = now_millis();
    let in_reply_to = parent
        .as_ref()
        .map(|p| p.ap_id.clone())
        .unwrap_or_else(|| article.ap_id.clone());
    // Signed with the author's own name and title, as they are now.
    let signed = super::selection::signature(state, staff).await?;
    // Written as the journalist, whose key exists before anything is queued.
    let journalist = journalists::of_staff(state, staff).await?;
    if let Some(j) = &journalist {
        journalists::keys(state, &j.username).await?;
    }
    let mode = crate::services::judging::mode_of(state, &article).await?;
    let txn = state.db.begin().await?;
    let placeholder = format!("urn:tribune:pending:{}", uuid::Uuid::new_v4());
    let row = storage::comments::insert_once(
        &txn,
        NewComment {
            article_id: article.id,
            parent_id: parent.as_ref().map(|p| p.id),
            ap_id: placeholder,
            url: None,
            in_reply_to,
            author_id: None,
            content_html,
            summary: None,
            sensitive: false,
            language: None,
            attachments: "[]".into(),
            tags: serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into()),
            status: CommentStatus::Published,
            published: now,
            created_at: now,
            verdict: None,
            text_hash: None,
            simhash: None,
        },
    )
    .await?;
    let row = storage::comments::make_local(
        &txn,
        row.id,
        &state.urls.comment(row.id),
        &signed.name,
        content,
    )
    .await?;
    storage::newsroom::set_reply_title(&txn, row.id, signed.title.as_deref()).await?;
    if let Some(j) = &journalist {
        storage::bylines::set_reply_author(&txn, row.id, j.id).await?;
    }
    let row = comment::Model {
        staff_title: signed.title.clone(),
        staff_id: journalist.as_ref().map(|j| j.id),
        ..row
    };
    let voice = journalists::Voice::of(state, site, journalist.as_ref());
    let note = note_of(
        state,
        site,
        &article,
        &row,
        addressee.as_ref(),
        &voice,
        mode,
    );
    let create = activity::wrap(
        "Create",
        &format!("{}/activity", row.ap_id),
        &voice.actor,
        note,
    );
    let inboxes = inboxes(&txn, site, addressee.as_ref()).await?;
    delivery::enqueue_as(&txn, &voice.owner, &voice.key_id, &create, &inboxes).await?;
    if journalist.is_some() && announces_staff_replies(state, site) {
        // The site's followers follow the site, not the journalist: the site boosts it
        // so that it reaches their timelines (a Create from an account nobody follows
        // is kept by Mastodon only when it answers someone they follow).
        let followers = storage::follows::follower_inboxes(&txn, site.id).await?;
        if !followers.is_empty() {
            let boost = activity::announce(
                &format!("{}#announce", row.ap_id),
                &state.urls.site_actor(&site.slug),
                &[state.urls.site_followers(&site.slug), voice.actor.clone()],
                &row.ap_id,
            );
            delivery::enqueue(&txn, site, &boost, &followers).await?;
        }
    }
    staff
        .audit(
            &txn,
            "comment.reply",
            "comment",
            row.id,
            json!({"in_reply_to": row.in_reply_to}),
        )
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(row.id)
}

/// Answers the comment `comment_id` as the newsroom, in its article's thread.
pub async fn reply_to_comment(
    state: &AppState,
    staff: &Staff,
    comment_id: i64,
    content: &str,
) -> Result<i64> {
    let parent = storage::moderation::find_comment(&state.db, comment_id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    reply(state, staff, parent.article_id, Some(comment_id), content).await
}

/// Edits a staff reply; the fediverse gets an `Update`.
pub async fn edit(state: &AppState, staff: &Staff, id: i64, content: &str) -> Result<()> {
    staff.require(Role::Editor)?;
    let content = validate(content)?;
    let (current, article, site, addressee) = load_local(state, id).await?;
    let journalist = author_of(state, &current).await?;
    let mode = crate::services::judging::mode_of(state, &article).await?;
    let mention = current
        .content_html
        .find("</span></a></span> ")
        .map(|end| &current.content_html[..end + 19]);
    let body = render(content);
    let content_html = match (mention, body.strip_prefix("<p>")) {
        (Some(m), Some(rest)) => sanitize_html(&format!("{m}{rest}")),
        _ => body,
    };
    let now = now_millis();
    let tags = current.tags.clone();
    let txn = state.db.begin().await?;
    let edited = storage::comments::apply_edit(
        &txn,
        current,
        storage::comments::Edit {
            content_html,
            summary: None,
            sensitive: false,
            language: None,
            attachments: "[]".into(),
            tags,
            edited_at: now,
            status: None,
            verdict: None,
            text_hash: 0,
            simhash: 0,
        },
    )
    .await?;
    let edited = storage::comments::make_local(
        &txn,
        edited.id,
        &edited.ap_id,
        edited.staff_name.as_deref().unwrap_or(&staff.display_name),
        content,
    )
    .await?;
    // The Update comes from the author of the Note (Mastodon applies it only then).
    let voice = journalists::Voice::of(state, site, journalist.as_ref());
    let note = note_of(
        state,
        site,
        &article,
        &edited,
        addressee.as_ref(),
        &voice,
        mode,
    );
    let update = activity::wrap(
        "Update",
        &format!("{}#updates/{now}", edited.ap_id),
        &voice.actor,
        note,
    );
    let inboxes = inboxes(&txn, site, addressee.as_ref()).await?;
    delivery::enqueue_as(&txn, &voice.owner, &voice.key_id, &update, &inboxes).await?;
    staff
        .audit(&txn, "comment.edit", "comment", id, json!({}))
        .await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(())
}

/// Tells the fediverse a staff reply was deleted (called in the deletion's transaction).
pub async fn federate_delete<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    comment: &comment::Model,
) -> Result<()> {
    if comment.staff_name.is_none() {
        return Ok(());
    }
    let Some(article) = storage::articles::find(db, comment.article_id).await? else {
        return Ok(());
    };
    let Some(site) = state.site_by_id(article.site_id) else {
        return Ok(());
    };
    let addressee = addressee_of(db, comment).await?;
    // Deleted by whoever it is attributed to (Mastodon ignores a Delete from another).
    let journalist = author_of(state, comment).await?;
    let voice = journalists::Voice::of(state, site, journalist.as_ref());
    let delete = activity::delete(
        &format!("{}#delete", comment.ap_id),
        &voice.actor,
        &comment.ap_id,
        &state.urls.site_followers(&site.slug),
    );
    let inboxes = inboxes(db, site, addressee.as_ref()).await?;
    delivery::enqueue_as(db, &voice.owner, &voice.key_id, &delete, &inboxes).await?;
    Ok(())
}

/// The `Note` of a staff reply, as served at its URL (`None` for other comments).
pub async fn document(state: &AppState, id: i64) -> Result<Option<(Value, bool)>> {
    let Some(comment) = storage::moderation::find_comment(&state.db, id).await? else {
        return Ok(None);
    };
    if comment.staff_name.is_none() {
        return Ok(None);
    }
    if comment.deleted_at.is_some() {
        let gone = serde_json::to_value(tombstone(comment.ap_id.as_str(), "Note"))
            .map_err(anyhow::Error::from)?;
        return Ok(Some((gone, false)));
    }
    let Some(article) = storage::articles::find(&state.db, comment.article_id).await? else {
        return Ok(None);
    };
    let Some(site) = state.site_by_id(article.site_id) else {
        return Ok(None);
    };
    let addressee = addressee_of(&state.db, &comment).await?;
    let journalist = author_of(state, &comment).await?;
    let voice = journalists::Voice::of(state, site, journalist.as_ref());
    let mode = crate::services::judging::mode_of(state, &article).await?;
    let mut note = note_of(
        state,
        site,
        &article,
        &comment,
        addressee.as_ref(),
        &voice,
        mode,
    );
    // Its `replies` with their first page inline: a bare link is fetched again by
    // Mastodon on every `Create` it sees.
    match crate::services::articles::comment_replies(state, comment.id).await {
        Ok((id, items)) => {
            note["replies"] = crate::federation::protocol::collection::embedded_replies(&id, items)
        }
        // A staff reply readers cannot see has no replies to list.
        Err(crate::error::Error::NotFound(_)) => {}
        Err(e) => return Err(e),
    }
    Ok(Some((note, true)))
}

async fn load_local(
    state: &AppState,
    id: i64,
) -> Result<(
    comment::Model,
    article::Model,
    &Site,
    Option<remote_actor::Model>,
)> {
    let comment = storage::moderation::find_comment(&state.db, id)
        .await?
        .filter(|c| c.staff_name.is_some() && c.deleted_at.is_none())
        .ok_or(Error::NotFound("staff reply"))?;
    let article = storage::articles::find(&state.db, comment.article_id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    let site = state
        .site_by_id(article.site_id)
        .ok_or(Error::NotFound("site"))?;
    let addressee = addressee_of(&state.db, &comment).await?;
    Ok((comment, article, site, addressee))
}

/// Whom a staff reply answers (the author of its parent comment, if remote).
async fn addressee_of<C: ConnectionTrait>(
    db: &C,
    comment: &comment::Model,
) -> Result<Option<remote_actor::Model>> {
    let Some(parent) = comment.parent_id else {
        return Ok(None);
    };
    let Some(parent) = storage::moderation::find_comment(db, parent).await? else {
        return Ok(None);
    };
    Ok(match parent.author_id {
        Some(id) => storage::actors::find_many(db, vec![id]).await?.pop(),
        None => None,
    })
}

/// Where a staff reply goes: the addressee's inbox and the site's followers.
async fn inboxes<C: ConnectionTrait>(
    db: &C,
    site: &Site,
    addressee: Option<&remote_actor::Model>,
) -> Result<Vec<String>> {
    let mut inboxes = storage::follows::follower_inboxes(db, site.id).await?;
    if let Some(a) = addressee {
        inboxes.insert(0, a.inbox.clone());
    }
    Ok(inboxes)
}

/// The journalist who wrote a staff reply (`None`: the site's).
async fn author_of(state: &AppState, comment: &comment::Model) -> Result<Option<Journalist>> {
    journalists::author_of(state, comment).await
}

/// Whether the site boosts its journalists' replies (`announce_staff_replies`).
fn announces_staff_replies(state: &AppState, site: &Site) -> bool {
    state
        .settings
        .sites
        .iter()
        .find(|s| s.slug == site.slug)
        .is_none_or(|s| s.announce_staff_replies)
}

fn note_of(
    state: &AppState,
    site: &Site,
    article: &article::Model,
    c: &comment::Model,
    addressee: Option<&remote_actor::Model>,
    voice: &journalists::Voice,
    mode: crate::domain::Mode,
) -> Value {
    let time = |ms: i64| from_millis(ms).to_rfc3339_opts(SecondsFormat::Secs, true);
    let handle = addressee.map(crate::services::remote::actors::handle);
    local_note(LocalNote {
        id: &c.ap_id,
        author: &voice.actor,
        followers: &state.urls.site_followers(&site.slug),
        in_reply_to: &c.in_reply_to,
        context: &format!("{}/context", article.ap_id),
        url: &format!("{}#comment-{}", article.url, c.id),
        content_html: &c.content_html,
        published: time(c.published),
        updated: c.edited_at.map(time),
        mention: addressee
            .zip(handle.as_deref())
            .map(|(a, h)| (a.ap_id.as_str(), h)),
        interaction_policy: Policy::of_mode(mode).to_json(&voice.actor),
    })
}
