//! Console sessions: staff tokens in a `Secure` (over https), `HttpOnly`,
//! `SameSite=Strict` cookie, looked up once per request by a layer on the console's
//! pages and forms. Pages take a `Session` (else the sign-in form); forms come as a
//! `SignedForm`, which also checks the CSRF token every form carries, derived from the
//! session. Signing in and out.

use super::page;
use crate::http::responses::{client_ip, esc};
use crate::{
    error::{Error, Result},
    services::staff::{self, Staff},
    state::AppState,
};
use axum::{
    extract::{ConnectInfo, Form, FromRequest, FromRequestParts, Request, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use serde::{de::DeserializeOwned, Deserialize};
use std::fmt::Write;

const COOKIE: &str = "tribune_session";

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(&format!("{COOKIE}="))
                .map(str::to_string)
        })
}

/// The signed-in staff member and their session token.
#[derive(Clone)]
pub struct Session {
    pub staff: Staff,
    token: String,
}

impl Session {
    /// The token every form of this session carries (templates put it in a hidden
    /// `csrf` field).
    pub fn csrf(&self) -> String {
        staff::csrf_of(&self.token)
    }

    /// The hidden field that proves a form was served to this session.
    pub fn csrf_field(&self) -> String {
        format!(
            "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
            staff::csrf_of(&self.token)
        )
    }
}

/// The layer: the session of the request's cookie, when it is alive, goes with the
/// request (any failure to find it is being signed out).
pub async fn sessions(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(token) = cookie_token(request.headers()) {
        if let Ok(staff) = staff::authenticate_session(&state, &token).await {
            request.extensions_mut().insert(Session { staff, token });
        }
    }
    next.run(request).await
}

/// A page for signed-in staff: anyone else gets the sign-in form.
impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| login_page(None))
    }
}

/// A form with no fields but the CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

/// A console form, `T` its fields: sent by a signed-in staff member (anyone else goes
/// back to `/admin`) with this session's CSRF token (else 403).
pub struct SignedForm<T = NoFields> {
    pub staff: Staff,
    pub form: T,
}

#[derive(Deserialize)]
struct WithCsrf<T> {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(flatten)]
    form: T,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for SignedForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let session = request.extensions().get::<Session>().cloned();
        let Form(WithCsrf { csrf, form }) = Form::<WithCsrf<T>>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(session) = session else {
            return Err(Redirect::to("/admin").into_response());
        };
        if csrf.as_deref() != Some(staff::csrf_of(&session.token).as_str()) {
            return Err(
                Error::Forbidden("the form is stale: reload the page".into()).into_response(),
            );
        }
        Ok(SignedForm {
            staff: session.staff,
            form,
        })
    }
}

/// The sign-in form, with why the last attempt failed.
pub(super) fn login_page(error: Option<&str>) -> Response {
    let mut body = String::new();
    if let Some(e) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", esc(e));
    }
    body.push_str("<form method=\"post\" action=\"/admin/login\" class=\"card\"><p><label>Identifiant <input name=\"username\" autocomplete=\"username\" required></label></p><p><label>Mot de passe <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p><p><button type=\"submit\">Se connecter</button></p></form>");
    page("Connexion", None, &body)
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

/// Signing in: the session cookie and back to the queue, or the form again (401, or
/// 429 with `Retry-After` past the attempts' limits).
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let from = client_ip(&state, peer, &headers);
    match staff::login(
        &state,
        from,
        &form.username,
        &form.password,
        staff::TokenKind::Session,
        "console session",
    )
    .await
    {
        Ok(token) => {
            let secure = if state.settings.server.public_url.scheme() == "https" {
                "; Secure"
            } else {
                ""
            };
            // The cookie lives as long as the session may (the server also ends it
            // when idle: `auth.session_idle_secs`).
            let max_age = state.settings.auth.session_max_secs;
            let cookie = format!(
                "{COOKIE}={token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
            );
            let mut response = Redirect::to("/admin").into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(Error::TooManyRequests(wait)) => {
            let mut response = login_page(Some(&format!(
                "Trop de tentatives : réessayez dans {wait} s."
            )));
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, wait.max(1).into());
            response
        }
        Err(e) if e.status().is_server_error() => e.into_response(),
        Err(_) => {
            let mut response = login_page(Some("Identifiant ou mot de passe incorrect."));
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
    }
}

/// Signing out: the session ends here, not only in this browser.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = cookie_token(&headers) {
        staff::revoke(&state, &token).await?;
    }
    let mut response = Redirect::to("/admin").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "tribune_session=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    Ok(response)
}
