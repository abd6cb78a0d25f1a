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
    /// A field of the request that does not hold (422; 400 when the body is not even
    /// JSON), named, with a message translated where the answer is written.
    #[error("{0}")]
    Invalid(Invalid),
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
            Self::Invalid(i) if i.malformed => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadGateway(_) => StatusCode::BAD_GATEWAY,
            Self::Database(e) if is_unique_violation(e) => StatusCode::CONFLICT,
            Self::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// What is wrong with a request: the field (when one is to blame), a message id of
/// `locales/<lang>/errors.ftl` and its arguments. `Display` is the English message
/// (logs, the command line); HTTP answers in the client's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: Option<String>,
    pub message: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Not even the expected syntax (a body that is not JSON): 400 rather than 422.
    pub malformed: bool,
}

impl Invalid {
    /// `field` breaks the rule `message` (`error-…` in errors.ftl, given `$field`).
    pub fn field(field: &str, message: &'static str) -> Self {
        Self {
            field: Some(field.to_string()),
            message,
            args: Vec::new(),
            malformed: false,
        }
    }

    /// The request as a whole (no one field to blame).
    pub fn request(message: &'static str) -> Self {
        Self {
            field: None,
            message,
            args: Vec::new(),
            malformed: false,
        }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn malformed(mut self) -> Self {
        self.malformed = true;
        self
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Arg;
        let mut args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, Arg::Str(v.as_str())))
            .collect();
        if let Some(field) = &self.field {
            args.push(("field", Arg::Str(field)));
        }
        lang.t_args(self.message, &args)
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message_in(crate::i18n::Lang::english()))
    }
}

impl From<Invalid> for Error {
    fn from(invalid: Invalid) -> Self {
        Self::Invalid(invalid)
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
