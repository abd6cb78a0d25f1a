//! The one error type of the service layer. Each variant says its HTTP status (the
//! `http` crate's, no web framework here); `crate::http` turns it into a response with a
//! safe message, logs get the cause chain.

use http::StatusCode;

/// An error a request can end in.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("{0} was deleted")]
    Gone(&'static str),
    #[error("request body is too large")]
    PayloadTooLarge,
    /// With the seconds to wait (`Retry-After`).
    #[error("too many requests, try again in {0} s")]
    TooManyRequests(u64),
    #[error("{0}")]
    Unprocessable(String),
    #[error("remote server: {0}")]
    BadGateway(String),
    /// Storage failed (disk full, read-only, the database down): 503 with `Retry-After`,
    /// so that a remote server retries instead of dropping the activity (Mastodon treats
    /// any 4xx on an inbox POST as final). Unique violations stay 409.
    #[error("storage is unavailable, try again later")]
    Database(#[from] sea_orm::DbErr),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// Past a rate limit, with how long to wait.
    pub fn too_many(wait: std::time::Duration) -> Self {
        Self::TooManyRequests(wait.as_secs() + 1)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadGateway(_) => StatusCode::BAD_GATEWAY,
            Self::Database(e) if is_unique_violation(e) => StatusCode::CONFLICT,
            Self::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A domain that does not parse was given: 422.
impl From<crate::domain::DomainNameError> for Error {
    fn from(e: crate::domain::DomainNameError) -> Self {
        Self::Unprocessable(e.to_string())
    }
}

/// What a storage failure asks the client to wait before retrying: long enough for an
/// operator to notice, short enough that a sender's retry schedule is barely touched.
pub const STORAGE_RETRY_AFTER_SECS: u64 = 30;

/// Unique-constraint violations are conflicts, never a raw 500.
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Shorthand for service results.
pub type Result<T, E = Error> = std::result::Result<T, E>;
