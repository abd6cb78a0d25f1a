//! The words of every page, in Fluent (`locales/<lang>/*.ftl`, embedded at build time by
//! `build.rs`): which languages there are, which one a reader or a staff member gets,
//! and a message in it with its plurals. A language is one more folder of files.

mod dates;
pub mod export;

pub use dates::{ago, when};

use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};
use std::{collections::HashMap, sync::OnceLock};
use unic_langid::LanguageIdentifier;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
pub(crate) use embedded::TEMPLATES;

/// The language a missing message falls back to (every file is written in it first).
const FALLBACK: &str = "en";

/// A language we have translations for (`fr`, `en`…): only the catalog makes one, so a
/// `Lang` always has its bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lang(&'static str);

impl Lang {
    pub fn code(self) -> &'static str {
        self.0
    }

    /// The language of that tag (`fr-FR`, `en`, `FR`) if we have it, by its primary
    /// subtag.
    pub fn of(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        catalog()
            .bundles
            .keys()
            .find(|code| **code == primary)
            .map(|code| Lang(code))
    }

    /// The language to answer in: the one chosen (a staff member's setting, a site's
    /// language) if we have it, else the best of `Accept-Language` (RFC 9110 §12.5.4:
    /// by q-value, then order), else `default`.
    pub fn negotiate(chosen: Option<&str>, accept_language: Option<&str>, default: Lang) -> Lang {
        if let Some(lang) = chosen.and_then(Lang::of) {
            return lang;
        }
        let mut offers: Vec<(f32, usize, Lang)> = accept_language
            .unwrap_or("")
            .split(',')
            .take(16)
            .enumerate()
            .filter_map(|(i, part)| {
                let mut bits = part.split(';');
                let tag = bits.next()?.trim();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some(())?;
                Some((q, i, Lang::of(tag)?))
            })
            .collect();
        offers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offers.first().map(|o| o.2).unwrap_or(default)
    }

    pub fn french() -> Lang {
        Lang::of("fr").unwrap_or_else(Lang::fallback)
    }

    pub fn english() -> Lang {
        Lang::fallback()
    }

    fn fallback() -> Lang {
        Lang(FALLBACK)
    }

    /// Every language we have, sorted.
    pub fn all() -> Vec<Lang> {
        let mut all: Vec<Lang> = catalog().bundles.keys().map(|c| Lang(c)).collect();
        all.sort_by_key(|l| l.0);
        all
    }

    /// The message `id` with no arguments.
    pub fn t(self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with its arguments (numbers select plurals).
    pub fn t_args(self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            let value: FluentValue = match value {
                Arg::Num(n) => FluentValue::from(*n),
                Arg::Str(s) => FluentValue::from(*s),
            };
            fluent.set(*name, value);
        }
        self.format(id, Some(&fluent))
    }

    /// Whether the message exists in this language or the fallback.
    pub fn has(self, id: &str) -> bool {
        let catalog = catalog();
        [self.0, FALLBACK]
            .iter()
            .filter_map(|code| catalog.bundles.get(code))
            .any(|b| b.has_message(id))
    }

    /// In this language, else in the fallback, else the id itself (so that a missing
    /// message shows where it is missing instead of an empty space).
    pub fn format(self, id: &str, args: Option<&FluentArgs>) -> String {
        let catalog = catalog();
        for code in [self.0, FALLBACK] {
            let Some(bundle) = catalog.bundles.get(code) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::warn!(
                    id,
                    lang = code,
                    ?errors,
                    "a Fluent message did not format cleanly"
                );
            }
            return text.into_owned();
        }
        tracing::warn!(id, lang = self.0, "no such Fluent message");
        id.to_string()
    }
}

/// An argument of a message.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Num(f64),
    Str(&'a str),
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Num(n as f64)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

struct Catalog {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

/// The embedded translations, parsed once. A syntax error in a file is a build defect,
/// caught by this module's tests; at run time its messages are skipped and logged.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut bundles: HashMap<&'static str, FluentBundle<FluentResource>> = HashMap::new();
        for (lang, file, source) in embedded::LOCALES {
            let resource = match FluentResource::try_new(source.to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    tracing::error!(file, ?errors, "a Fluent file does not parse");
                    r
                }
            };
            let bundle = bundles.entry(lang).or_insert_with(|| {
                let id: LanguageIdentifier = lang.parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // No Unicode isolation marks around placeables: our pages are
                // left-to-right and the marks would end up in attributes and tests.
                bundle.set_use_isolating(false);
                bundle
            });
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(file, ?errors, "a Fluent file redefines messages");
            }
        }
        Catalog { bundles }
    })
}

/// Every message id of a language, for the completeness test and for the embed's words.
pub fn message_ids(lang: Lang) -> Vec<String> {
    let mut ids: Vec<String> = embedded::LOCALES
        .iter()
        .filter(|(l, _, _)| *l == lang.0)
        .filter_map(|(_, _, source)| FluentResource::try_new(source.to_string()).ok())
        .flat_map(|r| {
            r.entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_adds_cleanly() {
        let mut seen: HashMap<&str, Vec<String>> = HashMap::new();
        for (lang, file, source) in embedded::LOCALES {
            let resource = FluentResource::try_new(source.to_string())
                .unwrap_or_else(|(_, e)| panic!("{file}: {e:?}"));
            let mut bundle = FluentBundle::new_concurrent(vec![lang.parse().unwrap()]);
            bundle
                .add_resource(resource)
                .unwrap_or_else(|e| panic!("{file}: {e:?}"));
            seen.entry(lang).or_default().push(file.to_string());
        }
        assert!(seen.contains_key("fr") && seen.contains_key("en"));
    }

    #[test]
    fn every_language_has_every_message() {
        let english = message_ids(Lang::english());
        for lang in Lang::all() {
            let ids = message_ids(lang);
            let missing: Vec<_> = english.iter().filter(|id| !ids.contains(id)).collect();
            let extra: Vec<_> = ids.iter().filter(|id| !english.contains(id)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing {missing:?}, not in English {extra:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn negotiates_by_choice_then_quality_then_default() {
        let fr = Lang::french();
        let en = Lang::english();
        assert_eq!(Lang::negotiate(Some("en-GB"), Some("fr"), fr), en);
        assert_eq!(
            Lang::negotiate(None, Some("de, en;q=0.5, fr;q=0.8"), en),
            fr
        );
        assert_eq!(Lang::negotiate(None, Some("fr;q=0, de"), en), en);
        assert_eq!(Lang::negotiate(Some("xx"), None, fr), fr);
        assert_eq!(Lang::negotiate(None, Some("EN-us"), fr), en);
    }

    #[test]
    fn plurals_follow_each_language() {
        let fr = Lang::french();
        let en = Lang::english();
        assert_eq!(
            fr.t_args("comments-count", &[("n", 0i64.into())]),
            "Aucun commentaire"
        );
        assert_eq!(
            fr.t_args("comments-count", &[("n", 1i64.into())]),
            "1 commentaire"
        );
        assert_eq!(
            fr.t_args("comments-count", &[("n", 56i64.into())]),
            "56 commentaires"
        );
        assert_eq!(
            en.t_args("comments-count", &[("n", 1i64.into())]),
            "1 comment"
        );
        assert_eq!(
            en.t_args("comments-count", &[("n", 2i64.into())]),
            "2 comments"
        );
    }

    #[test]
    fn a_missing_message_falls_back_then_shows_its_id() {
        assert_eq!(Lang::french().t("no-such-message"), "no-such-message");
    }
}
