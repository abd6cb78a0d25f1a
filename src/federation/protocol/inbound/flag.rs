//! `Flag`: a report. Mastodon and GoToSocial send it from their instance actor, with
//! the account and its posts as a list of objects; Lemmy names one post; Misskey names
//! the account only (`object`), puts the reported notes' URLs in its text
//! (`Note: https://…`) and may address it with `bto` rather than `to`, which we do not
//! need: a Flag is for whoever receives it.

use crate::federation::protocol::lenient;
use serde::Deserialize;
use url::Url;

/// The most URLs read from a report's text: Misskey names one note, a few at most.
pub const MAX_URLS_IN_TEXT: usize = 20;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Flag {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// Everything reported.
    #[serde(rename = "object", default, deserialize_with = "lenient::ids")]
    pub objects: Vec<Url>,
    /// The reporter's words (HTML).
    #[serde(default, deserialize_with = "lenient::string")]
    pub content: Option<String>,
}

impl Flag {
    /// The http(s) URLs written in the report's text, in order, without repeats
    /// (Misskey's `Note: <url>` lines), at most `MAX_URLS_IN_TEXT`.
    pub fn urls_in_content(&self) -> Vec<Url> {
        let Some(text) = self.content.as_deref() else {
            return Vec::new();
        };
        let mut found: Vec<Url> = Vec::new();
        for word in text.split(|c: char| c.is_whitespace() || "<>\"'()[]".contains(c)) {
            if found.len() >= MAX_URLS_IN_TEXT {
                break;
            }
            let word = word.trim_end_matches(['.', ',', ';', '!', '?']);
            let Some(start) = word.find("http://").or_else(|| word.find("https://")) else {
                continue;
            };
            if let Ok(url) = Url::parse(&word[start..]) {
                if matches!(url.scheme(), "http" | "https") && !found.contains(&url) {
                    found.push(url);
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};
    use serde_json::json;

    #[test]
    fn reports_name_one_object_or_several() {
        for (path, objects, content) in [
            ("mastodon/activities/flag.json", 3, true),
            ("mastodon-docs/flag_1.json", 3, true),
            ("mbin/activities/flag.json", 2, true),
            ("gotosocial-docs/moderation_flag_1.json", 2, true),
            ("lemmy/activities/community/report_page.json", 1, false),
        ] {
            let InboundActivity::Flag(flag) = inbound(path) else {
                panic!("{path}: not a Flag");
            };
            assert_eq!(flag.objects.len(), objects, "{path}");
            assert_eq!(flag.content.is_some(), content, "{path}");
            assert!(flag.id.is_some(), "{path}");
        }
    }

    #[test]
    fn gotosocial_names_the_account_then_its_statuses() {
        let InboundActivity::Flag(flag) = inbound("gotosocial-docs/moderation_flag_1.json") else {
            panic!("not a Flag");
        };
        assert_eq!(
            flag.objects[0].as_str(),
            "http://fossbros-anonymous.io/users/foss_satan"
        );
        assert!(flag.objects[1].path().contains("/statuses/"));
        assert!(flag.urls_in_content().is_empty());
    }

    #[test]
    fn misskey_names_the_account_and_writes_the_notes_in_its_text() {
        let value = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Flag", "id": "https://mk.example/abuse/9",
            "actor": "https://mk.example/users/instance.actor",
            "bto": "https://m.example/users/a",
            "object": "https://m.example/users/a",
            "content": "Note: https://m.example/@a/1\nLocal Note: https://mk.example/notes/9x\n-----\nspam (see https://m.example/@a/1)."
        });
        let InboundActivity::Flag(flag) = InboundActivity::parse("Flag", &value).unwrap() else {
            panic!("not a Flag");
        };
        assert_eq!(flag.objects.len(), 1);
        let urls: Vec<String> = flag
            .urls_in_content()
            .iter()
            .map(|u| u.to_string())
            .collect();
        assert_eq!(
            urls,
            ["https://m.example/@a/1", "https://mk.example/notes/9x"]
        );
    }

    #[test]
    fn a_text_full_of_urls_is_read_up_to_the_cap() {
        let text: String = (0..100)
            .map(|i| format!("https://x.example/{i} "))
            .collect();
        let value = json!({"type": "Flag", "actor": "https://mk.example/a", "content": text});
        let InboundActivity::Flag(flag) = InboundActivity::parse("Flag", &value).unwrap() else {
            panic!("not a Flag");
        };
        assert_eq!(flag.urls_in_content().len(), super::MAX_URLS_IN_TEXT);
    }
}
