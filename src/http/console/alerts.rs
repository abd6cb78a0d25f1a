//! The console's "Alerts" page: one's own e-mail address and, per event, an e-mail
//! immediately, a place in the digest, or nothing (the same choices as
//! `/api/v1/admin/me/alerts`).

use super::{
    screen,
    session::{Session, SignedForm},
};
use crate::{
    services::alerts::choices::{self, ChangeChoices, MODES},
    state::AppState,
};
use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

/// The form: the address, then one choice per event.
pub async fn page(
    State(state): State<AppState>,
    Query(saved): Query<Saved>,
    session: Session,
) -> Response {
    let staff = &session.staff;
    let result = async {
        let mine = choices::mine(&state, staff).await?;
        let events: Vec<_> = mine
            .events
            .iter()
            .map(|(event, mode)| {
                minijinja::context! {
                    name => event,
                    label => format!("alerts-event-{}", event.replace('.', "-")),
                    mode => mode,
                }
            })
            .collect();
        screen(
            "console/alerts.html",
            session.lang,
            Some(staff),
            minijinja::context! {
                email => mine.email,
                smtp => mine.smtp,
                events,
                modes => MODES,
                saved => saved.saved.is_some(),
                csrf => session.csrf(),
            },
        )
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// What the form sends: `email` and one field per event name.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AlertsForm {
    email: String,
    #[serde(flatten)]
    events: BTreeMap<String, String>,
}

/// Saves the form (the service checks every value).
pub async fn save(
    State(state): State<AppState>,
    SignedForm { staff, form }: SignedForm<AlertsForm>,
) -> Response {
    let change = ChangeChoices {
        email: Some(form.email),
        events: form.events,
    };
    match choices::change(&state, &staff, change).await {
        Ok(_) => Redirect::to("/admin/alerts?saved=1").into_response(),
        Err(e) => e.into_response(),
    }
}
