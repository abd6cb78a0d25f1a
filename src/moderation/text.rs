//! Text as moderation sees it: HTML stripped, lowercased, accents folded ("Connard",
//! "connârd" and "CONNARD" are one word), plus fingerprints for repeat detection.

use unicode_normalization::UnicodeNormalization;

/// Plain text of sanitised HTML: tags dropped, entities decoded, block ends spaced.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// Lowercase, accents folded (NFD, combining marks dropped), ligatures spelt out.
pub fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'œ' => 'o',
            'æ' => 'a',
            'ß' => 's',
            other => other,
        })
        .collect()
}

/// Words of folded text (letters and digits), for fingerprints.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// FNV-1a, 64 bits: stable across builds and platforms (stored in the database).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

/// Hash of the text's words, ignoring case, accents, punctuation and spacing.
pub fn exact_hash(folded: &str) -> i64 {
    let joined: Vec<&str> = words(folded).collect();
    fnv1a(joined.join(" ").as_bytes()) as i64
}

/// SimHash over word 3-shingles: near-identical texts differ in few bits.
pub fn simhash(folded: &str) -> i64 {
    let tokens: Vec<&str> = words(folded).collect();
    let mut weights = [0i32; 64];
    let mut add = |h: u64| {
        for (bit, w) in weights.iter_mut().enumerate() {
            if h >> bit & 1 == 1 {
                *w += 1;
            } else {
                *w -= 1;
            }
        }
    };
    if tokens.len() < 3 {
        tokens.iter().for_each(|t| add(fnv1a(t.as_bytes())));
    } else {
        tokens
            .windows(3)
            .for_each(|w| add(fnv1a(w.join(" ").as_bytes())));
    }
    let mut hash = 0u64;
    for (bit, w) in weights.iter().enumerate() {
        if *w > 0 {
            hash |= 1 << bit;
        }
    }
    hash as i64
}

/// Bits that differ between two SimHashes.
pub fn distance(a: i64, b: i64) -> u32 {
    (a ^ b).count_ones()
}

/// Hosts of the links in sanitised HTML (`href`s) and of bare URLs in its text.
pub fn link_hosts(html: &str) -> Vec<String> {
    let mut hosts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("http") {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
            .unwrap_or(candidate.len());
        if let Ok(url) = url::Url::parse(&candidate[..end]) {
            if let Some(host) = url.host_str() {
                hosts.push(host.trim_end_matches('.').to_ascii_lowercase());
            }
        }
        rest = &candidate[end.max(4)..];
    }
    hosts.sort();
    hosts.dedup();
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("ÉlÈve CONNÂRD Œuvre"), "eleve connard ouvre");
    }

    #[test]
    fn near_identical_texts_have_close_simhashes() {
        let a = simhash(&fold(
            "Buy cheap watches at our store today, best prices guaranteed for everyone",
        ));
        let b = simhash(&fold(
            "Buy cheap watches at our store today! Best prices guaranteed for everyone.",
        ));
        let c = simhash(&fold(
            "I disagree with the article's conclusion about the housing market in Lyon",
        ));
        assert!(distance(a, b) <= 3, "{}", distance(a, b));
        assert!(distance(a, c) > 10, "{}", distance(a, c));
        assert_eq!(
            exact_hash(&fold("Hello,  WORLD!")),
            exact_hash(&fold("hello world"))
        );
    }

    #[test]
    fn link_hosts_come_from_hrefs_and_bare_urls() {
        let html =
            r#"<p>see <a href="https://Spam.example/x">here</a> and http://other.example/y</p>"#;
        assert_eq!(link_hosts(html), vec!["other.example", "spam.example"]);
    }
}
