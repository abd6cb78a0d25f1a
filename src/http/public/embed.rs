//! `GET /embed.js`: the script publishers put on their pages (assets/embed.js, with
//! assets/embed.css written in), and
//! `GET /embed/words?lang=…`: its words, from the Fluent files (`locales/*/embed.ftl`,
//! the dates of `common.ftl`, the report reasons), as patterns the script formats with
//! the reader's plural rules (`i18n::export`).
//!
//! The script is served with the languages we have and a version of the words written
//! into it, so it asks for `/embed/words?lang=fr&v=<version>`: that URL changes
//! whenever the words do, and may be cached for a day. Both carry an ETag.

use crate::http::extract::Query;
use crate::{i18n::Lang, services::moderators::Reason};
use axum::{
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use std::{collections::HashMap, sync::OnceLock};

const SCRIPT: &str = include_str!("../../../assets/embed.js");
/// Its stylesheet, kept as CSS and written into the script as a string.
const STYLE: &str = include_str!("../../../assets/embed.css");
const STYLE_SLOT: &str = "\"/*CSS*/\"";
/// Where the script's source leaves room for its configuration (a valid empty object
/// until served).
const CONF_SLOT: &str = "{/*CONF*/}";
/// The messages the embed reads, by id prefix.
const PREFIXES: &[&str] = &[
    "embed-",
    "interact-error-",
    "date-",
    "ago-",
    "month-",
    "comments-count",
    "report-reason-",
];

fn digest(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Served {
    body: String,
    etag: String,
}

/// Each language's words, rendered once.
fn words() -> &'static HashMap<&'static str, Served> {
    static WORDS: OnceLock<HashMap<&'static str, Served>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let reasons: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
        Lang::all()
            .into_iter()
            .map(|lang| {
                let body = serde_json::json!({
                    "lang": lang.code(),
                    "reasons": reasons,
                    "m": crate::i18n::export::patterns(lang, PREFIXES),
                })
                .to_string();
                let etag = format!("\"{}\"", digest(body.as_bytes()));
                (lang.code(), Served { body, etag })
            })
            .collect()
    })
}

/// The stylesheet without comments and line breaks.
fn minified(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out.lines().map(str::trim).collect()
}

/// The script with its configuration (the languages and the words' version) and its
/// stylesheet.
fn script_served() -> &'static Served {
    static SERVED: OnceLock<Served> = OnceLock::new();
    SERVED.get_or_init(|| {
        let mut langs: Vec<&str> = words().keys().copied().collect();
        langs.sort();
        let mut tags: Vec<&str> = words().values().map(|w| w.etag.as_str()).collect();
        tags.sort();
        let version = digest(tags.concat().as_bytes());
        let conf = serde_json::json!({ "langs": langs, "v": version }).to_string();
        let style = serde_json::Value::String(minified(STYLE)).to_string();
        let body = SCRIPT
            .replacen(CONF_SLOT, &conf, 1)
            .replacen(STYLE_SLOT, &style, 1);
        let etag = format!("\"{}\"", digest(body.as_bytes()));
        Served { body, etag }
    })
}

fn answer(headers: &HeaderMap, served: &'static Served, kind: &str, cache: &str) -> Response {
    let tag = served.etag.as_str();
    let seen = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    if seen {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, tag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, cache),
            (header::ETAG, tag),
        ],
        served.body.as_str(),
    )
        .into_response()
}

pub async fn script(headers: HeaderMap) -> Response {
    answer(
        &headers,
        script_served(),
        "application/javascript; charset=utf-8",
        "public, max-age=300",
    )
}

#[derive(Debug, Deserialize)]
pub struct WordsQuery {
    /// A language tag (`fr`, `en-GB`); English when we do not have it.
    pub lang: Option<String>,
}

/// The embed's words in one language (`{"lang", "reasons", "m": {id: pattern}}`).
pub async fn words_json(headers: HeaderMap, Query(q): Query<WordsQuery>) -> Response {
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::of)
        .unwrap_or_else(Lang::english);
    let Some(served) = words().get(lang.code()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // The script names the words' version in the URL: a day of caching is safe.
    answer(
        &headers,
        served,
        "application/json; charset=utf-8",
        "public, max-age=86400",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_served_script_has_its_configuration_and_stylesheet_and_fits_the_budget() {
        let body = &script_served().body;
        assert!(!body.contains(CONF_SLOT) && !body.contains(STYLE_SLOT));
        assert!(body.contains(r#"var CONF = {"langs":["en","fr"]"#));
        assert!(body.contains(".tribune{--fg:var(--tribune-fg,#1b1b1b);"));
        assert!(!body.contains("inherited properties stop here"));
        // The budget: 15 KB once compressed; the bytes alone stay far under 64 KB.
        assert!(body.len() < 64 * 1024, "{} bytes", body.len());
    }

    #[test]
    fn words_carry_plural_variants_and_every_report_reason() {
        let fr: serde_json::Value = serde_json::from_str(&words()["fr"].body).unwrap();
        assert_eq!(fr["reasons"].as_array().unwrap().len(), Reason::ALL.len());
        assert_eq!(
            fr["m"]["embed-new-count"][0]["o"]["one"][1],
            " nouveau commentaire"
        );
        for r in Reason::ALL {
            assert!(fr["m"][format!("report-reason-{}", r.as_str())].is_string());
        }
    }
}
