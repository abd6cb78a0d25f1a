//! Domain policy lookup per activity as the list grows: 10 policies against 1,000,000.
//! A lookup walks the host's labels through a hash map, so it should not grow.
//! Issue goal: 1,000,000 policies cost ≤ 1.2x of 10 per activity.
//!
//! `cargo bench --bench domains`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use tribune::{
    moderation::Severity,
    runtime::moderation_cache::{DomainPolicy, ModerationCache},
};

fn cache(n: usize) -> ModerationCache {
    ModerationCache::with_domains(
        (0..n)
            .map(|i| DomainPolicy {
                domain: format!("spam{i}.example"),
                severity: Severity::Suspend,
                reject_media: false,
                reject_reports: false,
            })
            .collect(),
    )
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("domain_policy_lookup");
    for size in [10usize, 1_000_000] {
        let policies = cache(size);
        group.bench_with_input(BenchmarkId::new("miss", size), &size, |b, _| {
            b.iter(|| black_box(policies.domain_policy(black_box("social.mastodon.example:443"))))
        });
        group.bench_with_input(BenchmarkId::new("subdomain_hit", size), &size, |b, _| {
            b.iter(|| black_box(policies.domain_policy(black_box("shop.spam7.example"))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
