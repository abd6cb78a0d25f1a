//! Word and regex matching in one pass however many rules there are: plain words and
//! phrases through one Aho-Corasick automaton (whole words only), regexes through one
//! `RegexSet`. Both run on folded text, so rules match whatever the case and accents.

use super::text::fold;
use aho_corasick::AhoCorasick;
use regex::RegexSetBuilder;

/// A set of word and regex rules; each match names the rule (its index in `labels`).
#[derive(Default)]
pub struct WordMatcher {
    automaton: Option<AhoCorasick>,
    /// For each word pattern, the index of its rule.
    word_rules: Vec<usize>,
    regexes: Option<regex::RegexSet>,
    regex_rules: Vec<usize>,
}

impl std::fmt::Debug for WordMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordMatcher")
            .field("words", &self.word_rules.len())
            .field("regexes", &self.regex_rules.len())
            .finish()
    }
}

impl WordMatcher {
    /// Builds the matcher from `(rule index, word)` and `(rule index, regex)` pairs.
    pub fn build(
        words: &[(usize, String)],
        regexes: &[(usize, String)],
    ) -> Result<Self, (usize, String)> {
        let mut matcher = WordMatcher::default();
        let folded: Vec<String> = words.iter().map(|(_, w)| fold(w.trim())).collect();
        if !folded.is_empty() {
            matcher.automaton =
                Some(AhoCorasick::new(&folded).map_err(|e| (words[0].0, e.to_string()))?);
            matcher.word_rules = words.iter().map(|(i, _)| *i).collect();
        }
        if !regexes.is_empty() {
            // Check each on its own first, so an error names its rule.
            for (i, pattern) in regexes {
                regex::RegexBuilder::new(pattern)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| (*i, e.to_string()))?;
            }
            let set = RegexSetBuilder::new(regexes.iter().map(|(_, p)| p))
                .case_insensitive(true)
                .size_limit(256 << 20)
                .dfa_size_limit(64 << 20)
                .build()
                .map_err(|e| (regexes[0].0, e.to_string()))?;
            matcher.regexes = Some(set);
            matcher.regex_rules = regexes.iter().map(|(i, _)| *i).collect();
        }
        Ok(matcher)
    }

    /// Rule indexes that match folded `text`, each once.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        if let Some(automaton) = &self.automaton {
            for m in automaton.find_overlapping_iter(text) {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                if boundary(before) && boundary(after) {
                    found.push(self.word_rules[m.pattern().as_usize()]);
                }
            }
        }
        if let Some(set) = &self.regexes {
            found.extend(set.matches(text).into_iter().map(|i| self.regex_rules[i]));
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    pub fn is_empty(&self) -> bool {
        self.automaton.is_none() && self.regexes.is_none()
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
    fn a_bad_regex_names_its_rule() {
        let err =
            WordMatcher::build(&[], &[(0, "ok".into()), (7, "(unclosed".into())]).unwrap_err();
        assert_eq!(err.0, 7);
    }
}
