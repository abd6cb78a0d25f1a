//! Mastodon's admin API, as tools written for Mastodon call it (FediBlockHole first):
//! domain blocks (`domain_blocks`) and measures (`measures`). What is Mastodon's here:
//! parameters as a form, JSON or the query string, all three as Rails merges them
//! (`Params`), and refusals in Mastodon's words (`MastodonError`, `MastodonStaff`).

pub mod domain_blocks;
pub mod measures;

use crate::error::Error;
use crate::http::{auth::Staff, error::respond};
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Map, Value};

/// An error answered as Mastodon answers it: a token refused is "The access token is
/// invalid" (401), a role short "This action is not allowed" (403), an unknown id
/// "Record not found" (404); anything else as everywhere (`{"error": …}`).
#[derive(Debug)]
pub struct MastodonError(pub Error);

impl From<Error> for MastodonError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

impl From<sea_orm::DbErr> for MastodonError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self(Error::Database(e))
    }
}

impl IntoResponse for MastodonError {
    fn into_response(self) -> Response {
        let (status, message) = match &self.0 {
            Error::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "The access token is invalid"),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, "This action is not allowed"),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "Record not found"),
            other => return respond(other),
        };
        tracing::debug!(error = %self.0, status = %status, "request refused");
        let mut response = (status, Json(json!({ "error": message }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        response
    }
}

/// Shorthand for these handlers' results.
pub type Answer<T> = std::result::Result<T, MastodonError>;

/// The staff member behind the bearer token, refused in Mastodon's words.
pub struct MastodonStaff(pub Staff);

impl<S: Send + Sync> FromRequestParts<S> for MastodonStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Staff::from_request_parts(parts, state).await {
            Ok(staff) => Ok(Self(staff)),
            Err(refused) if refused.status() == StatusCode::UNAUTHORIZED => {
                Err(MastodonError(Error::Unauthorized(String::new())).into_response())
            }
            Err(refused) => Err(refused),
        }
    }
}

/// The request's parameters as Rails reads them: the body (JSON, or a form where
/// `keys[]` makes a list and `a[b]` an object), then the query string for what the body
/// did not give.
#[derive(Debug, Default)]
pub struct Params(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = MastodonError;

    async fn from_request(request: Request, state: &S) -> Result<Self, MastodonError> {
        let query = request.uri().query().unwrap_or("").to_string();
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let body =
            Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
                    _ => Error::BadRequest("the request body could not be read".into()),
                })?;
        let mut params = if body.iter().all(u8::is_ascii_whitespace) {
            Map::new()
        } else if content_type == "application/json" || content_type.ends_with("+json") {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) => map,
                Ok(_) => {
                    return Err(
                        Error::Unprocessable("the body must be a JSON object".into()).into(),
                    )
                }
                Err(_) => return Err(Error::BadRequest("the body is not JSON".into()).into()),
            }
        } else if content_type == "application/x-www-form-urlencoded" {
            form_params(&body)
        } else {
            return Err(Error::BadRequest(
                "send the parameters as JSON (application/json) or a form (application/x-www-form-urlencoded)"
                    .into(),
            )
            .into());
        };
        for (key, value) in form_params(query.as_bytes()) {
            params.entry(key).or_insert(value);
        }
        Ok(Self(params))
    }
}

/// A form's (or query string's) pairs as Rails nests them, one level deep.
fn form_params(input: &[u8]) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, value) in url::form_urlencoded::parse(input) {
        let value = Value::String(value.into_owned());
        if let Some(list) = key.strip_suffix("[]") {
            match map
                .entry(list.to_string())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(items) => items.push(value),
                other => *other = Value::Array(vec![value]),
            }
        } else if let Some((outer, inner)) = key
            .strip_suffix(']')
            .and_then(|k| k.split_once('['))
            .filter(|(outer, inner)| !outer.is_empty() && !inner.contains(['[', ']']))
        {
            match map
                .entry(outer.to_string())
                .or_insert_with(|| Value::Object(Map::new()))
            {
                Value::Object(fields) => {
                    fields.insert(inner.to_string(), value);
                }
                other => *other = json!({ inner: value }),
            }
        } else {
            map.insert(key.into_owned(), value);
        }
    }
    map
}

/// A boolean as Rails casts one: `false`, `0`, `"0"`, `"f"`, `"false"`, `"off"` (any
/// case) are false, an empty string or `null` is not given, anything else is true.
pub fn boolean(params: &Map<String, Value>, key: &str) -> Option<bool> {
    match params.get(key)? {
        Value::Null => None,
        Value::Bool(b) => Some(*b),
        Value::Number(n) => Some(n.as_f64() != Some(0.0)),
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(!matches!(
            s.to_ascii_lowercase().as_str(),
            "0" | "f" | "false" | "off"
        )),
        _ => Some(true),
    }
}

/// A text parameter: `None` when not given, `Some(None)` when given as `null`; 422 when
/// it is not text.
pub fn text(params: &Map<String, Value>, key: &str) -> Result<Option<Option<String>>, Error> {
    match params.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
        Some(Value::Number(n)) => Ok(Some(Some(n.to_string()))),
        Some(_) => Err(Error::Unprocessable(format!("{key} must be text"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_nest_as_rails_does() {
        let map = form_params(
            b"keys[]=instance_follows&keys[]=instance_followers&instance_follows[domain]=a.example&domain=b.example",
        );
        assert_eq!(
            map["keys"],
            json!(["instance_follows", "instance_followers"])
        );
        assert_eq!(map["instance_follows"], json!({"domain": "a.example"}));
        assert_eq!(map["domain"], "b.example");
    }

    #[test]
    fn booleans_cast_as_rails_does() {
        let map =
            json!({"a": "true", "b": "0", "c": "", "d": false, "e": 1, "f": "off", "g": null});
        let map = map.as_object().unwrap();
        assert_eq!(boolean(map, "a"), Some(true));
        assert_eq!(boolean(map, "b"), Some(false));
        assert_eq!(boolean(map, "c"), None);
        assert_eq!(boolean(map, "d"), Some(false));
        assert_eq!(boolean(map, "e"), Some(true));
        assert_eq!(boolean(map, "f"), Some(false));
        assert_eq!(boolean(map, "g"), None);
        assert_eq!(boolean(map, "missing"), None);
    }
}
