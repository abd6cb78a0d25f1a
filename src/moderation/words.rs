//! Word and regex matching in one pass however many rules there are. Plain words and
//! phrases, and the literal prefixes every match of a regex must start with, go into
//! one Aho-Corasick automaton; a regex runs only when its prefix was seen (regexes
//! without such a prefix share one `RegexSet`). Everything runs on folded text, so
//! rules match whatever the case and accents. Words match whole words only.

use super::text::fold;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// A word rule (its index).
    Word(usize),
    /// A prefix of regex `n` of `prefiltered`.
    Prefix(usize),
}

/// A set of word and regex rules; each match names the rule (its index).
#[derive(Default)]
pub struct WordMatcher {
    automaton: Option<AhoCorasick>,
    entries: Vec<Entry>,
    /// Regexes with a literal prefix, and their rule indexes.
    prefiltered: Vec<(Regex, usize)>,
    /// Regexes without one, matched together.
    always: Option<(RegexSet, Vec<usize>)>,
}

impl std::fmt::Debug for WordMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordMatcher")
            .field("patterns", &self.entries.len())
            .field("prefiltered_regexes", &self.prefiltered.len())
            .field(
                "other_regexes",
                &self.always.as_ref().map(|(_, r)| r.len()).unwrap_or(0),
            )
            .finish()
    }
}

/// The folded literal prefixes that every match of `pattern` starts with, if there is
/// a small set of them, each long enough to be selective.
fn prefixes(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > 64 || literals.iter().any(|l| l.as_bytes().len() < 3)
    {
        return None;
    }
    let mut out: Vec<String> = literals
        .iter()
        .map(|l| fold(&String::from_utf8_lossy(l.as_bytes())))
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

impl WordMatcher {
    /// Builds the matcher from `(rule index, word)` and `(rule index, regex)` pairs; an
    /// error names the rule at fault.
    pub fn build(
        words: &[(usize, String)],
        regexes: &[(usize, String)],
    ) -> Result<Self, (usize, String)> {
        let mut matcher = WordMatcher::default();
        let mut patterns: Vec<String> = Vec::new();
        for (index, word) in words {
            patterns.push(fold(word.trim()));
            matcher.entries.push(Entry::Word(*index));
        }
        let mut unfiltered = Vec::new();
        for (index, pattern) in regexes {
            let regex = RegexBuilder::new(pattern)
                .case_insensitive(true)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| (*index, e.to_string()))?;
            match prefixes(pattern) {
                Some(literals) => {
                    let n = matcher.prefiltered.len();
                    matcher.prefiltered.push((regex, *index));
                    for literal in literals {
                        patterns.push(literal);
                        matcher.entries.push(Entry::Prefix(n));
                    }
                }
                None => unfiltered.push((*index, pattern.clone())),
            }
        }
        if !patterns.is_empty() {
            // A full DFA: bigger to build, but a comment is scanned at one table
            // lookup per byte however many patterns there are.
            let first = words.first().or(regexes.first()).map(|w| w.0).unwrap_or(0);
            matcher.automaton = Some(
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .map_err(|e| (first, e.to_string()))?,
            );
        }
        if !unfiltered.is_empty() {
            let set = RegexSetBuilder::new(unfiltered.iter().map(|(_, p)| p))
                .case_insensitive(true)
                .size_limit(256 << 20)
                .dfa_size_limit(64 << 20)
                .build()
                .map_err(|e| (unfiltered[0].0, e.to_string()))?;
            matcher.always = Some((set, unfiltered.into_iter().map(|(i, _)| i).collect()));
        }
        Ok(matcher)
    }

    /// Rule indexes that match folded `text`, each once, in order.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut candidates = Vec::new();
        if let Some(automaton) = &self.automaton {
            for m in automaton.find_overlapping_iter(text) {
                match self.entries[m.pattern().as_usize()] {
                    Entry::Word(rule) => {
                        let before = text[..m.start()].chars().next_back();
                        let after = text[m.end()..].chars().next();
                        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                        if boundary(before) && boundary(after) {
                            found.push(rule);
                        }
                    }
                    Entry::Prefix(n) => candidates.push(n),
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for n in candidates {
            let (regex, rule) = &self.prefiltered[n];
            if regex.is_match(text) {
                found.push(*rule);
            }
        }
        if let Some((set, rules)) = &self.always {
            found.extend(set.matches(text).into_iter().map(|i| rules[i]));
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    pub fn is_empty(&self) -> bool {
        self.automaton.is_none() && self.always.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_whole_words_whatever_the_case_and_accents() {
        let m = WordMatcher::build(
            &[(0, "Connard".into()), (1, "arnaque totale".into())],
            &[(2, r"v[i1]agra".into())],
        )
        .unwrap();
        assert_eq!(m.matches(&fold("Quel CONNÂRD !")), vec![0]);
        assert_eq!(
            m.matches(&fold("une arnaque totale, achetez du V1agra")),
            vec![1, 2]
        );
        assert!(
            m.matches(&fold("les connardises")).is_empty(),
            "not a whole word"
        );
    }

    #[test]
    fn regexes_with_and_without_a_literal_prefix_both_match() {
        let m = WordMatcher::build(
            &[],
            &[
                (0, r"casino\d+".into()),
                (1, r"\d{3}-\d{4}".into()),
                (2, "PROMO[a-z]+".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            m.matches(&fold("appelez le 555-1234 pour casino777")),
            vec![0, 1]
        );
        assert_eq!(m.matches(&fold("Promotion exceptionnelle")), vec![2]);
        assert!(m.matches(&fold("casino sans chiffre")).is_empty());
    }

    #[test]
    fn a_bad_regex_names_its_rule() {
        let err =
            WordMatcher::build(&[], &[(0, "ok".into()), (7, "(unclosed".into())]).unwrap_err();
        assert_eq!(err.0, 7);
    }
}
