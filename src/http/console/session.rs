//! Console sessions: staff tokens in a `Secure` (over https), `HttpOnly`,
//! `SameSite=Strict` cookie, looked up once per request by a layer on the console's
//! pages and forms. Pages take a `Session` (else the sign-in form); forms come as a
//! `SignedForm`, which also checks the CSRF token every form carries, derived from the
//! session. Signing in and out; the console's language (the member's choice, else
//! the browser's, else French) and setting it.

use crate::http::extract::Form;
use crate::http::responses::{client_ip, from_our_pages};
use crate::{
    error::{Error, Result},
    i18n::Lang,
    services::{
        preferences,
        staff::{self, Staff},
    },
    state::AppState,
};
use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use serde::{de::DeserializeOwned, Deserialize};

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

/// The signed-in staff member, their session token and the console's language.
#[derive(Clone)]
pub struct Session {
    pub staff: Staff,
    token: String,
    pub lang: Lang,
}

/// The console's language for a request: `chosen` (the member's setting) if we have
/// it, else the browser's `Accept-Language`, else French.
pub fn language(chosen: Option<&str>, headers: &HeaderMap) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(chosen, accept, Lang::french())
}

impl Session {
    /// The CSRF token of this session's forms (templates write it in a hidden field).
    pub fn csrf(&self) -> String {
        staff::csrf_of(&self.token)
    }
}

/// The layer: the session of the request's cookie, when it is alive, goes with the
/// request (any failure to find it is being signed out).
pub async fn sessions(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(token) = cookie_token(request.headers()) {
        if let Ok(staff) = staff::authenticate_session(&state, &token).await {
            let chosen = preferences::language(&state, &staff).await.ok().flatten();
            let lang = language(chosen.as_deref(), request.headers());
            request
                .extensions_mut()
                .insert(Session { staff, token, lang });
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
            .ok_or_else(|| login_page(language(None, &parts.headers), None))
    }
}

/// What a form with a wrong CSRF token is told (the console's error page knows it).
pub const STALE: &str = "the form is stale: reload the page";

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
            return Err(Error::Forbidden(STALE.into()).into_response());
        }
        Ok(SignedForm {
            staff: session.staff,
            form,
        })
    }
}

/// The sign-in form in `lang`, with why the last attempt failed (a message id).
pub(super) fn login_page(lang: Lang, error: Option<&str>) -> Response {
    super::screen(
        "console/login.html",
        lang,
        None,
        minijinja::context! { error },
    )
    .unwrap_or_else(IntoResponse::into_response)
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
    let lang = language(None, &headers);
    if !from_our_pages(&state, &headers) {
        return Error::Forbidden(STALE.into()).into_response();
    }
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
            let message = lang.t_args("console-login-too-many", &[("s", (wait as i64).into())]);
            let mut response = login_page(lang, Some(&message));
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, wait.max(1).into());
            response
        }
        Err(e) if e.status().is_server_error() => e.into_response(),
        Err(_) => {
            let mut response = login_page(lang, Some(&lang.t("console-login-wrong")));
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
    }
}

/// Signing out: the session ends here, not only in this browser.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if !from_our_pages(&state, &headers) {
        return Err(Error::Forbidden(STALE.into()));
    }
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

/// The language picker's field: a language the console has, or `auto` (the browser's).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LanguageForm {
    language: Option<String>,
}

/// Sets the signed-in member's console language, then back where they were.
pub async fn set_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedForm { staff, form }: SignedForm<LanguageForm>,
) -> Result<Response> {
    if form.language.as_deref().is_some_and(|l| l.len() > 16) {
        return Err(Error::Unprocessable("language".into()));
    }
    preferences::set_language(&state, &staff, form.language.as_deref()).await?;
    Ok(Redirect::to(&super::back(&state, &headers, &[])).into_response())
}
