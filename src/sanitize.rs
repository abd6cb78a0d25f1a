//! HTML sanitising of remote content, to Mastodon's allowed subset (its
//! `Sanitize::Config::MASTODON_STRICT`): paragraphs, line breaks, links, mentions and
//! hashtags, a few inline styles, quotes, code and lists. Done once, when a comment is
//! stored, so reads never re-sanitise.

use ammonia::Builder;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "p",
            "br",
            "span",
            "a",
            "del",
            "pre",
            "blockquote",
            "code",
            "b",
            "strong",
            "u",
            "i",
            "em",
            "ul",
            "ol",
            "li",
        ]
        .into_iter()
        .collect();
        let mut tag_attributes = HashMap::new();
        // `class` is allowed through `allowed_classes` below, value by value.
        tag_attributes.insert("a", ["href"].into_iter().collect::<HashSet<_>>());
        tag_attributes.insert("ol", ["start", "reversed"].into_iter().collect());
        tag_attributes.insert("li", ["value"].into_iter().collect());
        let mut classes = HashMap::new();
        classes.insert(
            "a",
            ["mention", "hashtag", "u-url", "h-card", "status-link"]
                .into_iter()
                .collect::<HashSet<_>>(),
        );
        classes.insert(
            "span",
            ["h-card", "invisible", "ellipsis", "mention", "hashtag"]
                .into_iter()
                .collect(),
        );
        let mut b = Builder::default();
        b.tags(tags)
            .tag_attributes(tag_attributes)
            .generic_attributes(HashSet::new())
            .allowed_classes(classes)
            .url_schemes(["http", "https"].into_iter().collect())
            .link_rel(Some("nofollow noopener ugc"))
            .url_relative(ammonia::UrlRelative::Deny);
        b
    })
}

/// Sanitises remote HTML for display. A carriage return written as a character
/// reference (`&#13;`) comes out raw, and HTML parsers read a raw one as a line feed:
/// writing it as one keeps what we store stable when read again (found by fuzzing).
pub fn sanitize_html(html: &str) -> String {
    let clean = builder().clean(html).to_string();
    if clean.contains('\r') {
        clean.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        clean
    }
}

/// A plain-text field as its author wrote it (names, content warnings, alt text: plain
/// text in ActivityStreams), without control characters. Not escaped: `A & B` stays
/// `A & B` and `a <b> c` keeps every word; escaping happens once, where HTML is
/// written (templates, `esc`, the embed's `textContent`).
pub fn plain_text(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// The text of an HTML fragment (a feed's title that may carry markup or entities):
/// tags dropped, entities decoded, so that it is escaped once at output like any text.
pub fn text_of_html(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    plain_text(
        &text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising_twice_changes_nothing_even_with_carriage_returns() {
        let once = sanitize_html("<p>a&#13;b\r\nc&#x0d;</p>");
        assert_eq!(sanitize_html(&once), once);
        assert!(!once.contains('\r'));
    }

    #[test]
    fn scripts_and_handlers_are_removed_and_links_get_ugc_rel() {
        let out = sanitize_html(
            r#"<p onclick="x()">Hi <script>alert(1)</script><a href="https://e.example/" class="mention evil">@a</a><img src=x onerror=alert(1)></p>"#,
        );
        assert!(!out.contains("script") && !out.contains("onclick") && !out.contains("img"));
        assert!(out.contains(r#"rel="nofollow noopener ugc""#), "{out}");
        assert!(out.contains(r#"class="mention""#), "{out}");
        assert!(!out.contains("evil"));
    }

    #[test]
    fn plain_text_keeps_what_was_written_and_html_text_is_decoded_once() {
        assert_eq!(plain_text("A & B <b> c\u{7}"), "A & B <b> c");
        assert_eq!(text_of_html("A &amp; B <b>bold</b>"), "A & B bold");
        assert_eq!(text_of_html("&amp;lt;"), "&lt;");
    }

    #[test]
    fn javascript_urls_are_dropped() {
        let out = sanitize_html(r#"<a href="javascript:alert(1)">x</a>"#);
        assert!(!out.contains("javascript"), "{out}");
    }
}
