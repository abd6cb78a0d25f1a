//! Messages for scripts: a language's Fluent patterns as JSON the embed formats itself,
//! so that its words stay in the `.ftl` files and its plurals follow CLDR (the script
//! picks a variant with `Intl.PluralRules`).
//!
//! A pattern is a string when it is plain text, else a list of parts: text, `{"v":
//! name}` (a variable), or `{"s": name, "d": default key, "o": {key: pattern}}` (a
//! select; number keys are written `=1`, plural categories and strings as they are).
//! Message references and functions are formatted here, without arguments.

use super::{embedded, Lang, FALLBACK};
use fluent_syntax::ast::{Expression, InlineExpression, Pattern, PatternElement, VariantKey};
use fluent_syntax::parser;
use serde_json::{json, Map, Value};

/// Every message of `lang` (falling back to English) whose id starts with one of
/// `prefixes`, as `{id: pattern}`.
pub fn patterns(lang: Lang, prefixes: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    // English first, then the language over it: a message missing in one language
    // still has its English words.
    for code in [FALLBACK, lang.code()] {
        for (l, _, source) in embedded::LOCALES {
            if *l != code {
                continue;
            }
            let resource = match parser::parse(*source) {
                Ok(r) => r,
                Err((r, _)) => r,
            };
            for entry in resource.body {
                let fluent_syntax::ast::Entry::Message(m) = entry else {
                    continue;
                };
                if !prefixes.iter().any(|p| m.id.name.starts_with(p)) {
                    continue;
                }
                if let Some(value) = &m.value {
                    out.insert(m.id.name.to_string(), pattern(lang, value));
                }
            }
        }
    }
    out
}

fn pattern(lang: Lang, p: &Pattern<&str>) -> Value {
    let mut parts: Vec<Value> = Vec::new();
    let push_text = |parts: &mut Vec<Value>, text: &str| match parts.last_mut() {
        Some(Value::String(last)) => last.push_str(text),
        _ => parts.push(Value::String(text.to_string())),
    };
    for element in &p.elements {
        match element {
            PatternElement::TextElement { value } => push_text(&mut parts, value),
            PatternElement::Placeable { expression } => match expression {
                Expression::Inline(inline) => match inline_part(lang, inline) {
                    Value::String(s) => push_text(&mut parts, &s),
                    other => parts.push(other),
                },
                Expression::Select { selector, variants } => {
                    let name = match selector {
                        InlineExpression::VariableReference { id } => id.name,
                        _ => "",
                    };
                    let mut options = Map::new();
                    let mut default = String::new();
                    for v in variants {
                        let key = match &v.key {
                            VariantKey::Identifier { name } => name.to_string(),
                            VariantKey::NumberLiteral { value } => format!("={value}"),
                        };
                        if v.default {
                            default = key.clone();
                        }
                        options.insert(key, pattern(lang, &v.value));
                    }
                    parts.push(json!({"s": name, "d": default, "o": options}));
                }
            },
        }
    }
    match parts.as_slice() {
        [] => Value::String(String::new()),
        [Value::String(s)] => Value::String(s.clone()),
        _ => Value::Array(parts),
    }
}

fn inline_part(lang: Lang, inline: &InlineExpression<&str>) -> Value {
    match inline {
        InlineExpression::VariableReference { id } => json!({"v": id.name}),
        InlineExpression::StringLiteral { value } => Value::String(value.to_string()),
        InlineExpression::NumberLiteral { value } => Value::String(value.to_string()),
        InlineExpression::MessageReference { id, .. } => Value::String(lang.t(id.name)),
        InlineExpression::Placeable { expression } => match expression.as_ref() {
            Expression::Inline(inner) => inline_part(lang, inner),
            Expression::Select { .. } => Value::String(String::new()),
        },
        // Terms and functions: not used by the messages scripts read.
        _ => Value::String(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_messages_are_strings_and_plurals_keep_their_variants() {
        let fr = patterns(
            Lang::french(),
            &["comments-count", "ago-now", "date-this-year"],
        );
        assert_eq!(fr["ago-now"], "à l'instant");
        let count = &fr["comments-count"][0];
        assert_eq!(count["s"], "n");
        assert_eq!(count["d"], "other");
        assert_eq!(count["o"]["=0"], "Aucun commentaire");
        assert_eq!(count["o"]["one"], json!([{"v": "n"}, " commentaire"]));
        let date = fr["date-this-year"].as_array().unwrap();
        assert_eq!(date[0]["o"]["=1"], "1er");
        assert_eq!(date[1], " ");
        assert_eq!(date[2], json!({"v": "monthname"}));
    }
}
