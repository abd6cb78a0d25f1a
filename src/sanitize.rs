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

/// What a quoting post reads like without its fallback (FEP-044f): Mastodon appends
/// `<p class="quote-inline">RE: <a href="…">…</a></p>` (older servers a
/// `<span class="quote-inline">`) for servers that cannot show quotes, and some write
/// only a last "RE: <link>" or "RN: <link>" paragraph linking the quoted object. Shown
/// beside what it quotes, that is noise: it goes, and the rest is sanitised as usual.
/// `quoted` holds the quoted object's ids and URLs.
pub fn strip_quote_fallback(html: &str, quoted: &[&str]) -> String {
    static MARKED: OnceLock<Builder<'static>> = OnceLock::new();
    // First a pass that keeps only the marker class: its output is well-formed, with
    // attributes quoted, so elements can be told apart by a simple scan.
    let marked = MARKED.get_or_init(|| {
        let mut b = Builder::default();
        let mut classes = HashMap::new();
        classes.insert("p", ["quote-inline"].into_iter().collect::<HashSet<_>>());
        classes.insert("span", ["quote-inline"].into_iter().collect());
        b.generic_attributes(HashSet::new())
            .allowed_classes(classes)
            .link_rel(None);
        b
    });
    let normal = marked.clean(html).to_string();
    let tokens = html_tokens(&normal);
    let mut kept = String::with_capacity(normal.len());
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let skip_to = match token {
            HtmlToken::Open { name, raw } if raw.contains("class=\"quote-inline\"") => {
                Some(closing(&tokens, i, name))
            }
            HtmlToken::Open { name, .. } if *name == "p" => {
                let end = closing(&tokens, i, "p");
                re_paragraph(&tokens[i..end], quoted).then_some(end)
            }
            _ => None,
        };
        match skip_to {
            Some(end) => i = end,
            None => {
                kept.push_str(token.raw());
                i += 1;
            }
        }
    }
    sanitize_html(&kept)
}

/// A piece of well-formed HTML: a tag, or the text between tags.
enum HtmlToken<'a> {
    Open { name: String, raw: &'a str },
    Close { name: String, raw: &'a str },
    Text(&'a str),
}

impl HtmlToken<'_> {
    fn raw(&self) -> &str {
        match self {
            Self::Open { raw, .. } | Self::Close { raw, .. } | Self::Text(raw) => raw,
        }
    }
}

/// Splits serialized HTML into tags and text (quoted attribute values may hold `>`).
fn html_tokens(html: &str) -> Vec<HtmlToken<'_>> {
    let bytes = html.as_bytes();
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if start < i {
            tokens.push(HtmlToken::Text(&html[start..i]));
        }
        let mut j = i + 1;
        let mut quote = None;
        while j < bytes.len() {
            match (bytes[j], quote) {
                (b'"' | b'\'', None) => quote = Some(bytes[j]),
                (q, Some(open)) if q == open => quote = None,
                (b'>', None) => break,
                _ => {}
            }
            j += 1;
        }
        let end = (j + 1).min(bytes.len());
        let raw = &html[i..end];
        let close = raw.starts_with("</");
        let name: String = raw
            .trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        tokens.push(if close {
            HtmlToken::Close { name, raw }
        } else {
            HtmlToken::Open { name, raw }
        });
        i = end;
        start = end;
    }
    if start < bytes.len() {
        tokens.push(HtmlToken::Text(&html[start..]));
    }
    tokens
}

/// The index after the tag closing the element opened at `open` (void elements close
/// themselves).
fn closing(tokens: &[HtmlToken<'_>], open: usize, name: &str) -> usize {
    if name == "br" {
        return open + 1;
    }
    let mut depth = 0usize;
    for (k, token) in tokens.iter().enumerate().skip(open) {
        match token {
            HtmlToken::Open { name: n, .. } if n == name => depth += 1,
            HtmlToken::Close { name: n, .. } if n == name => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Whether a paragraph is only "RE:"/"RN:" and one link to the quoted object.
fn re_paragraph(tokens: &[HtmlToken<'_>], quoted: &[&str]) -> bool {
    let text: String = tokens
        .iter()
        .filter_map(|t| match t {
            HtmlToken::Text(s) => Some(*s),
            _ => None,
        })
        .collect();
    let text = text.trim();
    let links: Vec<&str> = tokens
        .iter()
        .filter_map(|t| match t {
            HtmlToken::Open { name, raw } if name == "a" => Some(*raw),
            _ => None,
        })
        .collect();
    let marker = ["RE:", "RN:", "QT:"].iter().any(|m| text.starts_with(m));
    marker
        && links.len() == 1
        && quoted
            .iter()
            .any(|q| links[0].contains(&format!("href=\"{q}\"")))
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

#[cfg(test)]
mod quote_fallback_tests {
    use super::strip_quote_fallback;

    const ARTICLE: &str = "https://t.example/articles/1";

    #[test]
    fn mastodons_quote_inline_paragraph_goes_and_the_rest_stays() {
        let html = format!(
            r#"<p>Worth <a href="https://e.example/">reading</a>.</p><p class="quote-inline">RE: <a href="{ARTICLE}">{ARTICLE}</a></p>"#
        );
        let out = strip_quote_fallback(&html, &[ARTICLE]);
        assert!(out.contains("Worth"), "{out}");
        assert!(out.contains("https://e.example/"), "{out}");
        assert!(!out.contains("RE:") && !out.contains(ARTICLE), "{out}");
        assert!(!out.contains("quote-inline"), "{out}");
    }

    #[test]
    fn an_older_span_and_an_unmarked_re_paragraph_go_too() {
        let span = format!(
            r#"<p>Hi<span class="quote-inline"><br>RE: <a href="{ARTICLE}">x</a></span></p>"#
        );
        assert_eq!(strip_quote_fallback(&span, &[ARTICLE]), "<p>Hi</p>");
        let plain = format!(r#"<p>Hi</p><p>RN: <a href="{ARTICLE}">{ARTICLE}</a></p>"#);
        assert_eq!(strip_quote_fallback(&plain, &[ARTICLE]), "<p>Hi</p>");
        // A paragraph that links elsewhere is the author's words.
        let other = r#"<p>RE: <a href="https://else.example/">this</a></p>"#;
        assert!(strip_quote_fallback(other, &[ARTICLE]).contains("else.example"));
    }

    #[test]
    fn markup_is_still_sanitised() {
        let out = strip_quote_fallback(
            r#"<p onclick="x()">a<script>b</script><p class="quote-inline evil">RE: c</p>"#,
            &[ARTICLE],
        );
        assert!(!out.contains("script") && !out.contains("onclick") && !out.contains("RE"));
    }
}
