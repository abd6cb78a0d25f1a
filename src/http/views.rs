//! Pages from templates: the minijinja environment over `templates/` (embedded by
//! `build.rs`), HTML auto-escaped once at output, with the page's language and these
//! helpers in every template:
//!
//! - `t("id", n=3, name="…")`: a Fluent message (`crate::i18n`) in the page's language;
//! - `when(rfc3339)`: "1er déc. à 19 h 58"; `ago(rfc3339)`: "il y a 5 min";
//! - `query(url, key=value…)`: a link with its query string encoded.
//!
//! A template renders with `render(name, lang, context)`; the context is any
//! `Serialize` value, and `lang` is set from the language given.

use crate::{
    error::{Error, Result},
    i18n::{self, Arg, Lang},
};
use chrono::{DateTime, Utc};
use minijinja::{value::Kwargs, Environment, State, Value};
use serde::Serialize;
use std::sync::OnceLock;

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // `.html` templates escape every `{{ }}` (minijinja's default by extension);
        // only values marked safe (sanitised comment HTML) pass through.
        for (name, source) in i18n::TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "a template does not parse");
            }
        }
        env.add_function("t", translate);
        env.add_function("when", when);
        env.add_function("ago", ago);
        env.add_function("query", query);
        env
    })
}

/// Renders `name` in `lang` with `context`; a template error is logged with its cause
/// and answered as an internal error.
pub fn render<S: Serialize>(name: &str, lang: Lang, context: S) -> Result<String> {
    let env = environment();
    let template = env
        .get_template(name)
        .map_err(|e| Error::Internal(anyhow::anyhow!("template {name}: {e}")))?;
    let context = minijinja::context! { lang => lang.code(), ..Value::from_serialize(&context) };
    template
        .render(context)
        .map_err(|e| Error::Internal(anyhow::anyhow!("template {name}: {e:#}")))
}

fn lang_of(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::of))
        .unwrap_or_else(Lang::english)
}

fn translate(
    state: &State,
    id: &str,
    kwargs: Kwargs,
) -> std::result::Result<String, minijinja::Error> {
    let lang = lang_of(state);
    let mut strings = Vec::new();
    let mut numbers = Vec::new();
    for key in kwargs.args() {
        let value: Value = kwargs.get(key)?;
        if let Some(n) = value.as_i64() {
            numbers.push((key, n as f64));
        } else if let Ok(f) = f64::try_from(value.clone()) {
            numbers.push((key, f));
        } else {
            strings.push((key, value.to_string()));
        }
    }
    let args: Vec<(&str, Arg<'_>)> = numbers
        .iter()
        .map(|(k, n)| (*k, Arg::Num(*n)))
        .chain(strings.iter().map(|(k, s)| (*k, Arg::Str(s.as_str()))))
        .collect();
    Ok(lang.t_args(id, &args))
}

fn parse(rfc3339: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn when(state: &State, rfc3339: &str) -> String {
    parse(rfc3339)
        .map(|t| i18n::when(lang_of(state), t, Utc::now()))
        .unwrap_or_default()
}

fn ago(state: &State, rfc3339: &str) -> String {
    parse(rfc3339)
        .map(|t| i18n::ago(lang_of(state), t, Utc::now()))
        .unwrap_or_default()
}

/// `query("/admin", status="held", page=2)` → `/admin?status=held&page=2`; values that
/// are none or empty are left out.
fn query(base: &str, kwargs: Kwargs) -> std::result::Result<String, minijinja::Error> {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for key in kwargs.args() {
        let value: Value = kwargs.get(key)?;
        if value.is_none() || value.is_undefined() {
            continue;
        }
        let text = value.to_string();
        if !text.is_empty() {
            out.append_pair(key, &text);
        }
    }
    let encoded = out.finish();
    Ok(if encoded.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{encoded}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        let env = environment();
        for (name, _) in i18n::TEMPLATES {
            env.get_template(name)
                .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        }
    }
}
