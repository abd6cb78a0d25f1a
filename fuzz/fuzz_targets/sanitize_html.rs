//! Remote HTML, sanitised once on arrival: never a panic; in what comes out no tag is a
//! script and no attribute is an event handler or holds a `javascript:` URL (text may
//! say anything: `<` in text comes out as `&lt;`, so every `<` opens a real tag); and
//! sanitising again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The tag's name and its attributes' names and values (quotes respected).
fn parse_tag(tag: &str) -> (String, Vec<(String, String)>) {
    let mut chars = tag.chars().peekable();
    let name: String = chars
        .by_ref()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let mut attributes = Vec::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let attr: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && !c.is_whitespace())).collect();
        if attr.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(quote) => value = std::iter::from_fn(|| chars.next_if(|c| *c != quote)).collect(),
                None => value = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect(),
            }
            chars.next();
        }
        attributes.push((attr, value));
    }
    (name, attributes)
}

fuzz_target!(|html: &str| {
    let clean = tribune::sanitize::sanitize_html(html);
    for tag in clean.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("").to_ascii_lowercase();
        let (name, attributes) = parse_tag(&tag);
        assert_ne!(name, "script", "{clean}");
        for (attr, value) in attributes {
            assert!(!attr.starts_with("on"), "{clean}");
            assert!(!value.trim().starts_with("javascript:"), "{clean}");
        }
    }
    assert_eq!(tribune::sanitize::sanitize_html(&clean), clean);
    let _ = tribune::sanitize::plain_text(html);
});
