//! Domain policies as Mastodon's admin API speaks of them (`Admin::DomainBlock`), so
//! that tools written for Mastodon (FediBlockHole…) manage ours: paged by id, created
//! (refused when the domain, or a parent with limits at least as strict, has one),
//! changed field by field, lifted. Every write goes through the console's path
//! (`policies::write_domain_policy`): same effects, same audit entry.

use super::policies::{lift_domain_policy, write_domain_policy, DomainPolicyRequest, PolicyWrite};
use crate::services::staff::{Role, Staff};
use crate::{
    blocklists::digest,
    domain::{from_millis, DomainName, Severity},
    error::{Error, Result},
    state::AppState,
    storage::{self, entities::domain_policy},
};
use serde::Serialize;

/// The most a page holds (Mastodon: twice its default of 100).
pub const MAX_LIMIT: u64 = 200;
/// A page's size when the client names none.
pub const DEFAULT_LIMIT: u64 = 100;
/// The longest comment kept (characters): the public one is published with the list.
pub const MAX_COMMENT_CHARS: usize = 5_000;

/// Mastodon's `Admin::DomainBlock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DomainBlockView {
    /// The policy's id, as a string (Mastodon's ids are).
    pub id: String,
    pub domain: String,
    /// SHA-256 (hex) of the domain.
    pub digest: String,
    /// ISO 8601, in UTC, to the millisecond.
    pub created_at: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: Option<String>,
    pub public_comment: Option<String>,
    pub obfuscate: bool,
}

impl From<&domain_policy::Model> for DomainBlockView {
    fn from(p: &domain_policy::Model) -> Self {
        Self {
            id: p.id.to_string(),
            domain: p.domain.clone(),
            digest: p.digest.clone().unwrap_or_else(|| digest(&p.domain)),
            created_at: from_millis(p.created_at)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            severity: p.severity,
            reject_media: p.reject_media,
            reject_reports: p.reject_reports,
            private_comment: p.private_comment.clone(),
            public_comment: p.public_comment.clone(),
            obfuscate: p.obfuscate,
        }
    }
}

/// The fields a client gave (`None`: not given). A comment may be given as `null`
/// (`Some(None)`) to clear it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockFields {
    pub domain: Option<String>,
    pub severity: Option<Severity>,
    pub reject_media: Option<bool>,
    pub reject_reports: Option<bool>,
    pub private_comment: Option<Option<String>>,
    pub public_comment: Option<Option<String>>,
    pub obfuscate: Option<bool>,
}

/// A page, and where the next (older) and previous (newer) pages start.
#[derive(Debug, Clone)]
pub struct Page {
    pub blocks: Vec<DomainBlockView>,
    /// `max_id` of the next page, when this one is full.
    pub next_max_id: Option<i64>,
    /// `min_id` of the previous page, unless this one is empty.
    pub prev_min_id: Option<i64>,
}

/// Which page (ids as Mastodon's `max_id`, `since_id`, `min_id`).
#[derive(Debug, Clone, Copy, Default)]
pub struct PageQuery {
    pub limit: Option<u64>,
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
}

/// What creating a block ended in.
#[derive(Debug, Clone)]
pub enum Created {
    Done(DomainBlockView),
    /// Refused: this block is in the way (the same domain, or a parent at least as strict).
    Exists(DomainBlockView),
}

/// A page of blocks, the newest first (moderators and up).
pub async fn list(state: &AppState, staff: &Staff, q: PageQuery) -> Result<Page> {
    staff.require(Role::Moderator)?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let rows = storage::domain_blocks::page(
        &state.db,
        storage::domain_blocks::Window {
            limit,
            max_id: q.max_id,
            since_id: q.since_id,
            min_id: q.min_id,
        },
    )
    .await?;
    Ok(Page {
        next_max_id: (rows.len() as u64 == limit)
            .then(|| rows.last().map(|r| r.id))
            .flatten(),
        prev_min_id: rows.first().map(|r| r.id),
        blocks: rows.iter().map(DomainBlockView::from).collect(),
    })
}

/// One block (moderators and up).
pub async fn get(state: &AppState, staff: &Staff, id: i64) -> Result<DomainBlockView> {
    staff.require(Role::Moderator)?;
    Ok(DomainBlockView::from(&load(state, id).await?))
}

async fn load(state: &AppState, id: i64) -> Result<domain_policy::Model> {
    storage::domain_blocks::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("domain block"))
}

fn check_comment(field: &str, comment: &Option<Option<String>>) -> Result<()> {
    match comment {
        Some(Some(text)) if text.chars().count() > MAX_COMMENT_CHARS => Err(Error::Unprocessable(
            format!("Validation failed: {field} is too long (maximum is {MAX_COMMENT_CHARS} characters)"),
        )),
        _ => Ok(()),
    }
}

/// Whether a block with these limits is stricter than `other` (Mastodon's
/// `DomainBlock#stricter_than?`): a suspend always is; otherwise it must not lower the
/// severity nor drop a rejection.
pub fn stricter_than(
    severity: Severity,
    reject_media: bool,
    reject_reports: bool,
    other: &domain_policy::Model,
) -> bool {
    if severity == Severity::Suspend {
        return true;
    }
    if severity.rank() < other.severity.rank() {
        return false;
    }
    (reject_media || !other.reject_media) && (reject_reports || !other.reject_reports)
}

/// Creates a block (admins): Mastodon's defaults (`silence`, nothing rejected), refused
/// when the domain has one or a parent's is at least as strict.
pub async fn create(state: &AppState, staff: &Staff, fields: BlockFields) -> Result<Created> {
    staff.require(Role::Admin)?;
    let raw = fields.domain.as_deref().map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Err(Error::Unprocessable(
            "Validation failed: Domain can't be blank".into(),
        ));
    }
    let name = DomainName::parse(raw)?;
    check_comment("Private comment", &fields.private_comment)?;
    check_comment("Public comment", &fields.public_comment)?;
    let req = DomainPolicyRequest {
        domain: name.to_string(),
        severity: fields.severity.unwrap_or(Severity::Silence),
        reject_media: fields.reject_media.unwrap_or(false),
        reject_reports: fields.reject_reports.unwrap_or(false),
        public_comment: fields.public_comment.flatten(),
        private_comment: fields.private_comment.flatten(),
        obfuscate: fields.obfuscate.unwrap_or(false),
    };
    // Mastodon's `DomainBlock.rule_for`: the name's own block, else its closest parent's.
    let candidates: Vec<String> = name.and_parents().map(str::to_string).collect();
    let rule = storage::domain_blocks::of_domains(&state.db, candidates)
        .await?
        .into_iter()
        .max_by_key(|p| p.domain.len());
    if let Some(existing) = rule {
        if existing.domain == name.as_str()
            || !stricter_than(
                req.severity,
                req.reject_media,
                req.reject_reports,
                &existing,
            )
        {
            return Ok(Created::Exists(DomainBlockView::from(&existing)));
        }
    }
    let domain = name.into_string();
    let write = PolicyWrite {
        digest: Some(digest(&domain)),
        domain: domain.clone(),
        req,
    };
    match write_domain_policy(state, staff, write, true).await? {
        Some((policy, _)) => Ok(Created::Done(DomainBlockView::from(&policy))),
        // Created by someone else in the meantime.
        None => {
            let existing = storage::domain_blocks::of_domains(&state.db, vec![domain])
                .await?
                .pop()
                .ok_or(Error::Conflict("domain block".into()))?;
            Ok(Created::Exists(DomainBlockView::from(&existing)))
        }
    }
}

/// Changes the fields given of a block (admins); its domain stays (Mastodon ignores one
/// given), its id too.
pub async fn update(
    state: &AppState,
    staff: &Staff,
    id: i64,
    fields: BlockFields,
) -> Result<DomainBlockView> {
    staff.require(Role::Admin)?;
    let row = load(state, id).await?;
    check_comment("Private comment", &fields.private_comment)?;
    check_comment("Public comment", &fields.public_comment)?;
    let req = DomainPolicyRequest {
        domain: row.domain.clone(),
        severity: fields.severity.unwrap_or(row.severity),
        reject_media: fields.reject_media.unwrap_or(row.reject_media),
        reject_reports: fields.reject_reports.unwrap_or(row.reject_reports),
        public_comment: fields.public_comment.unwrap_or(row.public_comment.clone()),
        private_comment: fields
            .private_comment
            .unwrap_or(row.private_comment.clone()),
        obfuscate: fields.obfuscate.unwrap_or(row.obfuscate),
    };
    // An obfuscated entry (imported with its digest only) keeps its name and digest.
    let digest = row
        .digest
        .clone()
        .or_else(|| (!row.domain.contains('*')).then(|| digest(&row.domain)));
    let write = PolicyWrite {
        domain: row.domain.clone(),
        digest,
        req,
    };
    let (policy, _) = write_domain_policy(state, staff, write, false)
        .await?
        .ok_or(Error::NotFound("domain block"))?;
    Ok(DomainBlockView::from(&policy))
}

/// Lifts a block (admins): its domain's hidden comments come back.
pub async fn delete(state: &AppState, staff: &Staff, id: i64) -> Result<()> {
    staff.require(Role::Admin)?;
    let row = load(state, id).await?;
    lift_domain_policy(state, staff, &row.domain)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::NotFound("domain block"),
            other => other,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(severity: Severity, reject_media: bool, reject_reports: bool) -> domain_policy::Model {
        domain_policy::Model {
            id: 1,
            domain: "example.com".into(),
            severity,
            reject_media,
            reject_reports,
            public_comment: None,
            private_comment: None,
            obfuscate: false,
            source: "local".into(),
            created_at: 0,
            updated_at: 0,
            digest: None,
        }
    }

    #[test]
    fn stricter_as_mastodon_says() {
        use Severity::*;
        assert!(stricter_than(
            Suspend,
            false,
            false,
            &block(Suspend, true, true)
        ));
        assert!(!stricter_than(
            Silence,
            true,
            true,
            &block(Suspend, false, false)
        ));
        assert!(!stricter_than(
            Noop,
            true,
            true,
            &block(Silence, false, false)
        ));
        assert!(stricter_than(
            Silence,
            false,
            false,
            &block(Noop, false, false)
        ));
        assert!(stricter_than(
            Silence,
            true,
            false,
            &block(Silence, true, false)
        ));
        assert!(!stricter_than(
            Silence,
            false,
            false,
            &block(Silence, true, false)
        ));
        assert!(!stricter_than(
            Noop,
            false,
            false,
            &block(Noop, false, true)
        ));
    }

    #[test]
    fn the_view_is_mastodons() {
        let mut p = block(Severity::Noop, false, false);
        p.id = 42;
        p.created_at = 1_668_586_534_238;
        let view = serde_json::to_value(DomainBlockView::from(&p)).unwrap();
        assert_eq!(view["id"], "42");
        assert_eq!(view["created_at"], "2022-11-16T08:15:34.238Z");
        assert_eq!(view["severity"], "noop");
        assert_eq!(
            view["digest"],
            "a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947"
        );
        assert!(view["public_comment"].is_null());
    }
}
