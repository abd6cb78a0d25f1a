//! The run's figures turned into the report's rows: every measurement, every goal of
//! the issue as a ratio against its reference, and the notes under the tables.

use crate::{
    federation,
    growth::Growth,
    reads,
    refs::RsaRates,
    report::{Goal, Measurement},
    wrk, Bench,
};
use std::time::Duration;

/// The figures of one database backend's main scenarios.
pub struct Backend {
    pub name: &'static str,
    pub first_contact: f64,
    pub inbound: federation::Inbound,
    pub fanout: federation::Fanout,
    pub reads: reads::Reads,
    pub start: Duration,
    pub rss_idle: f64,
}

/// What the run measured.
pub struct Figures<'a> {
    pub rsa: &'a RsaRates,
    pub nginx: &'a reads::Reads,
    pub isso: Option<&'a wrk::WrkResult>,
    pub backends: &'a [Backend],
    pub growth: &'a Growth,
    pub bench: &'a Bench,
}

const FULL: &str = "thread read, 1,000 comments, full body";
const NOT_MODIFIED: &str = "thread read, If-None-Match → 304";
const COUNTS: &str = "counts for 20 articles";
const PAGE: &str = "thread read, first page (20 top-level)";

fn goal(
    scenario: &str,
    backend: &str,
    text: &str,
    ratio: Option<f64>,
    target: f64,
    higher_is_better: bool,
    detail: String,
) -> Goal {
    Goal {
        scenario: scenario.into(),
        backend: backend.into(),
        goal: text.into(),
        ratio,
        target,
        higher_is_better,
        detail,
    }
}

/// Every figure of the run, one row each.
pub fn measurements(f: &Figures<'_>) -> Vec<Measurement> {
    let (rsa, nginx_reads, isso, backends, growth, bench) =
        (f.rsa, f.nginx, f.isso, f.backends, f.growth, f.bench);
    let mut measurements = Vec::new();
    let m =
        |scenario: &str, backend: &str, subject: &str, metric: &str, value: f64, note: String| {
            Measurement {
                scenario: scenario.into(),
                backend: backend.into(),
                subject: subject.into(),
                metric: metric.into(),
                value,
                note,
            }
        };
    measurements.push(m(
        "RSA-2048 sign",
        "-",
        "openssl",
        "ops/s",
        rsa.sign_per_sec,
        format!("{} processes", rsa.cores),
    ));
    measurements.push(m(
        "RSA-2048 verify",
        "-",
        "openssl",
        "ops/s",
        rsa.verify_per_sec,
        format!("{} processes", rsa.cores),
    ));
    for (subject, backend, r) in std::iter::once(("nginx", "-", nginx_reads))
        .chain(backends.iter().map(|b| ("tribune", b.name, &b.reads)))
    {
        measurements.push(m(
            FULL,
            backend,
            subject,
            "req/s",
            r.full.requests_per_sec,
            format!("{} bytes", backends[0].reads.full_bytes),
        ));
        measurements.push(m(
            NOT_MODIFIED,
            backend,
            subject,
            "req/s",
            r.not_modified.requests_per_sec,
            String::new(),
        ));
        measurements.push(m(
            COUNTS,
            backend,
            subject,
            "req/s",
            r.counts.requests_per_sec,
            String::new(),
        ));
        measurements.push(m(
            PAGE,
            backend,
            subject,
            "req/s",
            r.page.requests_per_sec,
            format!("{} bytes", backends[0].reads.page_bytes),
        ));
        measurements.push(m(
            PAGE,
            backend,
            subject,
            "p99 ms",
            r.page.p99_ms,
            String::new(),
        ));
    }
    if let Some(isso) = isso {
        measurements.push(m(
            FULL,
            "-",
            "isso",
            "req/s",
            isso.requests_per_sec,
            format!(
                "{} requests in {} s",
                isso.requests,
                bench.duration.as_secs() * 2
            ),
        ));
    }
    for b in backends {
        measurements.push(m(
            "first contact: reply from an unknown actor, processed",
            b.name,
            "tribune",
            "per s",
            b.first_contact,
            "fetches the actor".into(),
        ));
        measurements.push(m(
            "inbound replies, acknowledged",
            b.name,
            "tribune",
            "per s",
            b.inbound.acknowledged_per_sec,
            format!("{} replies, 64 connections", b.inbound.count),
        ));
        measurements.push(m(
            "inbound replies, processed",
            b.name,
            "tribune",
            "per s",
            b.inbound.processed_per_sec,
            String::new(),
        ));
        measurements.push(m(
            "Accept deliveries (1,000 follows)",
            b.name,
            "tribune",
            "per s",
            b.fanout.accepts_per_sec,
            String::new(),
        ));
        measurements.push(m(
            "Create(Article) deliveries",
            b.name,
            "tribune",
            "per s",
            b.fanout.deliveries_per_sec,
            format!(
                "{} deliveries to {} inboxes",
                b.fanout.deliveries, b.fanout.followers
            ),
        ));
        measurements.push(m(
            "start to healthy, empty database",
            b.name,
            "tribune",
            "s",
            b.start.as_secs_f64(),
            String::new(),
        ));
        measurements.push(m(
            "RSS idle after start",
            b.name,
            "tribune",
            "MiB",
            b.rss_idle,
            String::new(),
        ));
    }
    let g = &growth;
    let s = "sqlite";
    measurements.push(m(
        "ingest (processed replies)",
        s,
        "tribune",
        "per s",
        g.ingest_small,
        format!("{} comments stored", g.stored_small),
    ));
    measurements.push(m(
        "ingest (processed replies)",
        s,
        "tribune",
        "per s",
        g.ingest_large,
        format!("{} comments stored", g.stored_large),
    ));
    measurements.push(m(
        "first page, rendered",
        s,
        "tribune",
        "ms",
        g.page_small_uncached_ms,
        "100-comment thread".into(),
    ));
    measurements.push(m(
        "first page, rendered",
        s,
        "tribune",
        "ms",
        g.page_large_uncached_ms,
        format!("{}-comment thread", bench.large_thread),
    ));
    measurements.push(m(
        "first page, cached, 64 connections",
        s,
        "tribune",
        "p99 ms",
        g.page_small.p99_ms,
        "100-comment thread".into(),
    ));
    measurements.push(m(
        "first page, cached, 64 connections",
        s,
        "tribune",
        "p99 ms",
        g.page_large.p99_ms,
        format!("{}-comment thread", bench.large_thread),
    ));
    measurements.push(m(
        "start to healthy",
        s,
        "tribune",
        "s",
        g.start_large.as_secs_f64(),
        format!("{} comments", g.stored_large),
    ));
    measurements.push(m(
        "RSS idle after start",
        s,
        "tribune",
        "MiB",
        g.rss_large_idle,
        format!("{} comments", g.stored_large),
    ));
    measurements.push(m(
        "RSS serving reads (peak)",
        s,
        "tribune",
        "MiB",
        g.rss_large_serving,
        format!("{} comments", g.stored_large),
    ));
    measurements.push(m(
        "rule matching per comment",
        s,
        "tribune",
        "µs",
        g.rules_small_us,
        format!("{} rules", g.rules_counts.0),
    ));
    measurements.push(m(
        "rule matching per comment",
        s,
        "tribune",
        "µs",
        g.rules_large_us,
        format!("{} rules", g.rules_counts.1),
    ));
    measurements.push(m(
        "RSS with the rules compiled, after ingest",
        s,
        "tribune",
        "MiB",
        g.rules_rss,
        format!("{} rules", g.rules_counts.1),
    ));
    measurements.push(m(
        "inbound acknowledged",
        s,
        "tribune",
        "per s",
        g.domains_small_ack,
        format!("{} domain policies", g.domains_counts.0),
    ));
    measurements.push(m(
        "inbound acknowledged",
        s,
        "tribune",
        "per s",
        g.domains_large_ack,
        format!("{} domain policies", g.domains_counts.1),
    ));
    measurements.push(m(
        "RSS after start",
        s,
        "tribune",
        "MiB",
        g.domains_rss_small,
        format!("{} domain policies", g.domains_counts.0),
    ));
    measurements.push(m(
        "RSS after start",
        s,
        "tribune",
        "MiB",
        g.domains_rss_large,
        format!("{} domain policies", g.domains_counts.1),
    ));
    measurements.push(m(
        "start to healthy",
        s,
        "tribune",
        "s",
        g.domains_start_large.as_secs_f64(),
        format!("{} domain policies", g.domains_counts.1),
    ));

    measurements
}

/// Every goal of the issue, as a ratio measured in this run.
pub fn goals(f: &Figures<'_>) -> Vec<Goal> {
    let (rsa, nginx_reads, isso, backends, growth) = (f.rsa, f.nginx, f.isso, f.backends, f.growth);
    let g = growth;
    let s = "sqlite";
    let mut goals = Vec::new();
    let ratio = |a: f64, b: f64| if b > 0.0 { Some(a / b) } else { None };
    for b in backends {
        let r = &b.reads;
        let n = &nginx_reads;
        goals.push(goal(
            "full 1,000-comment thread vs nginx",
            b.name,
            "≥ 50 % of nginx",
            ratio(r.full.requests_per_sec, n.full.requests_per_sec),
            0.5,
            true,
            format!(
                "{:.0} vs {:.0} req/s",
                r.full.requests_per_sec, n.full.requests_per_sec
            ),
        ));
        goals.push(match isso {
            Some(i) => goal(
                "full 1,000-comment thread vs Isso",
                b.name,
                "≥ 1,000x Isso",
                ratio(r.full.requests_per_sec, i.requests_per_sec),
                1000.0,
                true,
                format!(
                    "{:.0} vs {:.2} req/s",
                    r.full.requests_per_sec, i.requests_per_sec
                ),
            ),
            None => goal(
                "full 1,000-comment thread vs Isso",
                b.name,
                "≥ 1,000x Isso",
                None,
                1000.0,
                true,
                "Isso not measured".into(),
            ),
        });
        goals.push(goal(
            "304 revalidation vs nginx",
            b.name,
            "≥ 80 % of nginx",
            ratio(
                r.not_modified.requests_per_sec,
                n.not_modified.requests_per_sec,
            ),
            0.8,
            true,
            format!(
                "{:.0} vs {:.0} req/s",
                r.not_modified.requests_per_sec, n.not_modified.requests_per_sec
            ),
        ));
        goals.push(goal(
            "counts for 20 articles vs nginx (tiny static)",
            b.name,
            "≥ 25 % of nginx",
            ratio(r.counts.requests_per_sec, n.counts.requests_per_sec),
            0.25,
            true,
            format!(
                "{:.0} vs {:.0} req/s",
                r.counts.requests_per_sec, n.counts.requests_per_sec
            ),
        ));
        goals.push(goal(
            "first page p99, 64 connections, vs nginx",
            b.name,
            "≤ 3x nginx's p99",
            ratio(r.page.p99_ms, n.page.p99_ms),
            3.0,
            false,
            format!("{:.2} vs {:.2} ms", r.page.p99_ms, n.page.p99_ms),
        ));
        goals.push(goal(
            "inbound acknowledged vs RSA verify (all cores)",
            b.name,
            "≥ 20 %",
            ratio(b.inbound.acknowledged_per_sec, rsa.verify_per_sec),
            0.2,
            true,
            format!(
                "{:.0}/s vs {:.0}/s",
                b.inbound.acknowledged_per_sec, rsa.verify_per_sec
            ),
        ));
        goals.push(goal(
            "inbound processed vs RSA verify (all cores)",
            b.name,
            "≥ 10 %",
            ratio(b.inbound.processed_per_sec, rsa.verify_per_sec),
            0.1,
            true,
            format!(
                "{:.0}/s vs {:.0}/s",
                b.inbound.processed_per_sec, rsa.verify_per_sec
            ),
        ));
        goals.push(goal(
            "fan-out deliveries vs RSA sign (all cores)",
            b.name,
            "≥ 70 %",
            ratio(b.fanout.deliveries_per_sec, rsa.sign_per_sec),
            0.7,
            true,
            format!(
                "{:.0}/s vs {:.0}/s",
                b.fanout.deliveries_per_sec, rsa.sign_per_sec
            ),
        ));
    }
    goals.push(goal(
        "10,000 word rules vs 10, cost per comment",
        s,
        "≤ 2x",
        ratio(g.rules_large_us, g.rules_small_us),
        2.0,
        false,
        format!(
            "{:.1} vs {:.1} µs ({} rules)",
            g.rules_large_us, g.rules_small_us, g.rules_counts.1
        ),
    ));
    goals.push(goal(
        "1,000,000 domain policies vs 10, cost per activity",
        s,
        "≤ 1.2x",
        ratio(g.domains_small_ack, g.domains_large_ack),
        1.2,
        false,
        format!(
            "{:.0} vs {:.0} acknowledged/s ({} policies)",
            g.domains_large_ack, g.domains_small_ack, g.domains_counts.1
        ),
    ));
    goals.push(goal(
        "memory of 1,000,000 domain policies",
        s,
        "≤ 100 MB",
        Some((g.domains_rss_large - g.domains_rss_small).max(0.0) * 1.048576),
        100.0,
        false,
        format!(
            "RSS {:.1} → {:.1} MiB",
            g.domains_rss_small, g.domains_rss_large
        ),
    ));
    goals.push(goal(
        "first page, 100,000-comment thread vs 100 (rendered)",
        s,
        "≤ 2x",
        ratio(g.page_large_uncached_ms, g.page_small_uncached_ms),
        2.0,
        false,
        format!(
            "{:.2} vs {:.2} ms; cached p99 {:.2} vs {:.2} ms",
            g.page_large_uncached_ms,
            g.page_small_uncached_ms,
            g.page_large.p99_ms,
            g.page_small.p99_ms
        ),
    ));
    goals.push(goal(
        "RSS idle",
        s,
        "≤ 30 MB",
        Some(backends[0].rss_idle * 1.048576),
        30.0,
        false,
        format!("{:.1} MiB, empty database", backends[0].rss_idle),
    ));
    goals.push(goal(
        "RSS serving reads, 1,000,000 comments",
        s,
        "≤ 150 MB",
        Some(g.rss_large_serving * 1.048576),
        150.0,
        false,
        format!(
            "{:.1} MiB, {} comments",
            g.rss_large_serving, g.stored_large
        ),
    ));
    goals.push(goal(
        "start to healthy, 1,000,000 comments",
        s,
        "≤ 1 s",
        Some(g.start_large.as_secs_f64()),
        1.0,
        false,
        format!(
            "{:.3} s, {} comments",
            g.start_large.as_secs_f64(),
            g.stored_large
        ),
    ));
    goals
}

/// Lines printed under the tables.
pub fn notes(f: &Figures<'_>) -> Vec<String> {
    let g = f.growth;
    let mut notes = Vec::new();
    notes.push(format!(
        "Ingest with {} vs {} comments stored: {:.0} vs {:.0} processed/s ({:.2}x); no goal is set for it.",
        g.stored_small, g.stored_large, g.ingest_small, g.ingest_large, g.ingest_small / g.ingest_large.max(1e-9)
    ));
    notes.push("Every server, wrk and the bench's fake fediverse share the same cores; wrk runs 2 threads, 64 connections.".into());
    notes.push(format!("{} distinct RSA keys are shared out among the 1,000 actors; every request is verified against its actor's key.", 8));

    notes
}
