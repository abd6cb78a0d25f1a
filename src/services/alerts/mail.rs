//! E-mail to staff: the messages (subject and plain text in the member's language,
//! from `locales/*/alerts.ftl`, with the link to the item in the console; a comment
//! appears as its plain text, never its HTML) and sending them over SMTP with lettre
//! (implicit TLS, STARTTLS, or plain text for a relay on loopback).

use super::Alert;
use crate::{
    config::SmtpSettings,
    domain::Role,
    i18n::{Arg, Lang},
    state::AppState,
    storage::entities::{alert_event, moderator},
};
use lettre::{
    message::{header::ContentType, Mailbox},
    transport::smtp::{
        authentication::Credentials, client::Certificate, client::Tls, client::TlsParameters,
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use serde_json::Value;

/// Whether a member's role lets them see what the event is about: comments are the
/// moderators', dead letters the admins'.
pub fn may_receive(member: &moderator::Model, event: &str) -> bool {
    let needed = match event {
        super::DELIVERIES_DEAD => Role::Admin,
        _ => Role::Moderator,
    };
    member.role >= needed
}

/// The member's language, else the site's, else French.
pub fn language_of(state: &AppState, member: &moderator::Model, site: Option<&str>) -> Lang {
    member
        .language
        .as_deref()
        .and_then(Lang::of)
        .or_else(|| {
            site.and_then(|s| state.site(s))
                .and_then(|s| s.language.as_deref())
                .and_then(Lang::of)
        })
        .unwrap_or_else(Lang::french)
}

/// One line of text: no control characters (a title cannot add header lines).
fn line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn field<'a>(item: &'a Value, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The words of one event's item: its title line and its details, each line ending.
fn describe(lang: Lang, event: &str, site: Option<&str>, item: &Value) -> (String, String) {
    let site = site.unwrap_or("");
    let title = field(item, "article_title").map(line).unwrap_or_default();
    let kind = format!("alert-event-{}", event.replace('.', "-"));
    let headline = match event {
        super::DELIVERIES_DEAD => lang.t_args(
            &kind,
            &[(
                "count",
                Arg::Num(item.get("count").and_then(Value::as_f64).unwrap_or(0.0)),
            )],
        ),
        _ => lang.t_args(
            &kind,
            &[("site", Arg::Str(site)), ("title", Arg::Str(&title))],
        ),
    };
    let mut text = String::new();
    let mut add = |id: &str, name: &str| {
        if let Some(value) = field(item, name) {
            text.push_str(&lang.t_args(id, &[("value", Arg::Str(&line(value)))]));
            text.push('\n');
        }
    };
    add("alert-line-article", "article_url");
    add("alert-line-author", "author");
    add("alert-line-reason", "reason");
    add("alert-line-excerpt", "excerpt");
    add("alert-line-link", "console_url");
    (line(&headline), text)
}

/// An immediate alert: its subject and text.
pub fn immediate(lang: Lang, alert: &Alert) -> (String, String) {
    let (headline, details) = describe(lang, alert.event, alert.site.as_deref(), &alert.item);
    let text = format!("{headline}\n\n{details}\n-- \n{}\n", lang.t("alert-footer"));
    (headline, text)
}

/// A digest of `events`: its subject and text.
pub fn digest(lang: Lang, events: &[alert_event::Model]) -> (String, String) {
    let subject = line(&lang.t_args(
        "alert-digest-subject",
        &[("count", Arg::Num(events.len() as f64))],
    ));
    let mut text = format!("{subject}\n\n");
    for event in events {
        let item: Value = serde_json::from_str(&event.item).unwrap_or(Value::Null);
        let (headline, details) = describe(lang, &event.event, event.site.as_deref(), &item);
        text.push_str(&format!("* {headline}\n{details}\n"));
    }
    text.push_str(&format!("-- \n{}\n", lang.t("alert-footer")));
    (subject, text)
}

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The server may accept it later (down, busy, a 4xx reply).
    #[error("{0}")]
    Transient(String),
    /// It never will (a bad address, no SMTP configured, a 5xx reply).
    #[error("{0}")]
    Permanent(String),
}

/// Sends one plain-text message.
pub async fn send(
    smtp: Option<&SmtpSettings>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), SendError> {
    let smtp = smtp.ok_or_else(|| SendError::Permanent("no [smtp] configured".into()))?;
    let permanent = |e: &dyn std::fmt::Display| SendError::Permanent(e.to_string());
    let from: Mailbox = smtp.from.parse().map_err(|e| permanent(&e))?;
    let to: Mailbox = to.parse().map_err(|e| permanent(&e))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(line(subject))
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| permanent(&e))?;
    let tls = match smtp.tls.as_str() {
        "none" => Tls::None,
        mode => {
            let mut params = TlsParameters::builder(smtp.host.clone());
            if let Some(path) = &smtp.ca_file {
                let pem = std::fs::read(path)
                    .map_err(|e| permanent(&format!("smtp.ca_file {}: {e}", path.display())))?;
                params = params
                    .add_root_certificate(Certificate::from_pem(&pem).map_err(|e| permanent(&e))?);
            }
            let params = params.build().map_err(|e| permanent(&e))?;
            if mode == "tls" {
                Tls::Wrapper(params)
            } else {
                Tls::Required(params)
            }
        }
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
        .port(smtp.port)
        .tls(tls)
        .timeout(Some(std::time::Duration::from_secs(
            smtp.timeout_secs.max(1),
        )));
    if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    match builder.build().send(message).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
        Err(e) => Err(SendError::Transient(e.to_string())),
    }
}
