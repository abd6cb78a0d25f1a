//! Reading requests without leaking the parser: JSON bodies, query strings and forms
//! that do not fit their type become `Error::Invalid` naming the field (422, or 400 for
//! a body that is not JSON at all), translated into the client's `Accept-Language` by
//! `error::language`. Handlers take `Query`/`Form` from here instead of axum's, and
//! JSON bodies go through `json_rejection`.

use crate::error::{Error, Invalid};
use axum::{
    extract::{
        rejection::{FormRejection, JsonRejection, QueryRejection},
        FromRequest, FromRequestParts, Request,
    },
    http::{request::Parts, StatusCode},
};
use serde::de::DeserializeOwned;

/// The field path and the parser's message, found in the error's chain (axum keeps
/// serde_path_to_error's error there).
fn path_and_message(error: &(dyn std::error::Error + 'static)) -> Option<(String, String)> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(e) = e.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
            return Some((e.path().to_string(), e.inner().to_string()));
        }
        if let Some(e) = e.downcast_ref::<serde_path_to_error::Error<serde_urlencoded::de::Error>>()
        {
            return Some((e.path().to_string(), e.inner().to_string()));
        }
        next = e.source();
    }
    None
}

/// The name between the first pair of backticks of a serde message ("missing field
/// `title`").
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// What did not fit, from serde's words: a missing or unknown field is named by the
/// message (its path is the object holding it), anything else by its path.
fn invalid_data(error: &(dyn std::error::Error + 'static), whole: &'static str) -> Invalid {
    let Some((path, message)) = path_and_message(error) else {
        return Invalid::request(whole);
    };
    let parent = (path != ".").then_some(path);
    let join = |name: &str| match &parent {
        Some(p) => format!("{p}.{name}"),
        None => name.to_string(),
    };
    if message.starts_with("missing field") {
        if let Some(name) = quoted(&message) {
            return Invalid::field(&join(name), "error-field-missing");
        }
    }
    if message.starts_with("unknown field") {
        if let Some(name) = quoted(&message) {
            return Invalid::field(&join(name), "error-field-unknown");
        }
    }
    match parent {
        Some(field) => Invalid::field(&field, "error-field-invalid"),
        None => Invalid::request(whole),
    }
}

/// A JSON body that could not be read: 422 naming the field when it is JSON of the
/// wrong shape, 400 when it is not JSON at all, 413 when it is too large.
pub fn json_rejection(rejection: JsonRejection) -> Error {
    match &rejection {
        JsonRejection::JsonDataError(e) => invalid_data(e, "error-body-invalid").into(),
        JsonRejection::JsonSyntaxError(_) => {
            Invalid::request("error-json-syntax").malformed().into()
        }
        JsonRejection::MissingJsonContentType(_) => Invalid::request("error-json-content-type")
            .malformed()
            .into(),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
        _ => Invalid::request("error-body-unreadable").malformed().into(),
    }
}

/// A query string that does not fit its type: 422 naming the parameter.
pub fn query_rejection(rejection: QueryRejection) -> Error {
    invalid_data(&rejection, "error-query-invalid").into()
}

/// A form that does not fit its type: 422 naming the field.
pub fn form_rejection(rejection: FormRejection) -> Error {
    match &rejection {
        FormRejection::FailedToDeserializeForm(_)
        | FormRejection::FailedToDeserializeFormBody(_) => {
            invalid_data(&rejection, "error-form-invalid").into()
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
        _ => Invalid::request("error-form-content-type")
            .malformed()
            .into(),
    }
}

/// axum's `Query`, with our rejection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(query_rejection)
    }
}

/// axum's `Form`, with our rejection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        axum::extract::Form::<T>::from_request(request, state)
            .await
            .map(|f| Form(f.0))
            .map_err(form_rejection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        count: u32,
    }

    fn rejected(body: &str) -> Invalid {
        let error = serde_path_to_error::deserialize::<_, Body>(
            &mut serde_json::Deserializer::from_str(body),
        )
        .unwrap_err();
        invalid_data(&error, "error-body-invalid")
    }

    #[test]
    fn the_field_is_named_from_serdes_error_without_its_words() {
        assert_eq!(
            rejected(r#"{"count": 1}"#),
            Invalid::field("title", "error-field-missing")
        );
        assert_eq!(
            rejected(r#"{"title": "x", "count": "many"}"#),
            Invalid::field("count", "error-field-invalid")
        );
        assert_eq!(rejected("[]"), Invalid::request("error-body-invalid"));
    }
}
