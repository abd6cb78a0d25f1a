//! Moderation cost per comment as the rule set grows: 10 rules against 10,000 (words,
//! phrases and regexes), on a ~500-byte comment that matches nothing (the common case)
//! and on one that matches a banned word. Issue goal: 10,000 rules cost ≤ 2x 10.
//!
//! `cargo bench --bench moderation`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use tribune::moderation::{
    compiled::default_action, judge, text::fold, AuthorFacts, CompiledRules, History, Input, Mode,
    RuleKind, RuleRow,
};

/// `n` rules: 90 % words and phrases, 10 % regexes, all distinct.
fn rules(n: usize) -> CompiledRules {
    let rows: Vec<RuleRow> = (0..n)
        .map(|i| {
            let (kind, pattern) = match i % 10 {
                0 => (RuleKind::BannedRegex, format!(r"\bspam{i}[a-z]*\d+")),
                1 => (RuleKind::SuspectWord, format!("suspect phrase {i}")),
                _ => (RuleKind::BannedWord, format!("badword{i}")),
            };
            RuleRow {
                id: i as i64,
                action: default_action(kind),
                kind,
                pattern,
            }
        })
        .collect();
    CompiledRules::compile(&rows, 0).expect("rules compile")
}

const CLEAN: &str = "Je ne suis pas d'accord avec la conclusion de cet article sur le logement à Lyon. \
    Les chiffres cités datent de 2019 et la situation a beaucoup changé depuis : les loyers ont augmenté \
    de près de quinze pour cent dans les arrondissements centraux, et la construction neuve s'est ralentie. \
    Il aurait été utile d'interroger aussi les associations de locataires, qui voient les effets concrets \
    de ces hausses au quotidien. Merci néanmoins pour ce travail de fond.";

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("judge_per_comment");
    let matching = format!("{CLEAN} badword5");
    for size in [10usize, 10_000] {
        let compiled = rules(size);
        for (label, text) in [("clean", CLEAN.to_string()), ("banned", matching.clone())] {
            let folded = fold(&text);
            let html = format!("<p>{text}</p>");
            group.bench_with_input(BenchmarkId::new(label, size), &size, |b, _| {
                b.iter(|| {
                    let input = Input {
                        mode: Mode::Post,
                        text: &folded,
                        html: &html,
                        mentions: 0,
                        author: AuthorFacts::default(),
                        domain_policy: None,
                        actor_policy: None,
                        history: History::default(),
                        now: 0,
                    };
                    black_box(judge(black_box(&input), &compiled))
                })
            });
        }
    }
    group.finish();
}

/// Compiling a rule set happens once per change, off the request path.
fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile_rules");
    group.sample_size(10);
    for size in [10usize, 10_000] {
        group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, &n| {
            b.iter(|| black_box(rules(n)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench, compile);
criterion_main!(benches);
