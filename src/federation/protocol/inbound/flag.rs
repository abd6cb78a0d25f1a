//! `Flag`: a report. Mastodon and GoToSocial send it from their instance actor, with
//! the account and its posts as a list of objects; Lemmy names one post.

use crate::federation::protocol::lenient;
use serde::Deserialize;
use url::Url;

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

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

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
}
