//! Growth scenarios on one SQLite database: ingest at ~10,000 and at 1,000,000 stored
//! comments, the first page of a 100- and a 100,000-comment thread, start-up and memory
//! on the large database, 10 against 10,000 word rules, and 10 against 1,000,000 domain
//! policies.

use crate::{
    federation::{self, Articles},
    populate::Db,
    reads::url_encode,
    remote::Remote,
    server::{Server, SITE_ORIGIN},
    wrk, Bench,
};
use anyhow::{Context, Result};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

/// Everything the growth scenarios measured.
#[derive(Default)]
pub struct Growth {
    pub stored_small: i64,
    pub stored_large: i64,
    pub ingest_small: f64,
    pub ingest_large: f64,
    pub start_large: Duration,
    pub rss_large_idle: f64,
    pub rss_large_serving: f64,
    pub page_small_uncached_ms: f64,
    pub page_large_uncached_ms: f64,
    pub page_small: wrk::WrkResult,
    pub page_large: wrk::WrkResult,
    pub rules_small_us: f64,
    pub rules_large_us: f64,
    pub rules_counts: (usize, usize),
    pub rules_rss: f64,
    pub domains_small_ack: f64,
    pub domains_large_ack: f64,
    pub domains_rss_small: f64,
    pub domains_rss_large: f64,
    pub domains_start_large: Duration,
    pub domains_counts: (u64, u64),
}

/// Runs them on `server` (the SQLite server of the main scenarios, still running);
/// returns the figures and the server it ends with.
pub async fn run(
    bench: &Bench,
    server: Server,
    remote: &Arc<Remote>,
    articles: &Articles,
) -> Result<(Growth, Server)> {
    let mut g = Growth::default();
    let db_url = server.db_url.clone();
    let db = Db::open(&db_url).await?;
    let blast = bench.growth_blast;

    // Ingest with ~10,000 comments stored.
    g.stored_small = db.scalar("SELECT COUNT(*) FROM comments").await?;
    g.ingest_small = federation::inbound(&server, remote, &articles.inbound, blast)
        .await?
        .processed_per_sec;
    eprintln!(
        "  ingest at {} comments: {:.0}/s",
        g.stored_small, g.ingest_small
    );

    // Two threads of 100 and 100,000 comments, then bulk articles up to the target.
    let template_article = db.scalar("SELECT MIN(id) FROM articles").await?;
    let template_comment = db.scalar("SELECT MIN(id) FROM comments").await?;
    let authors = (
        db.scalar("SELECT MIN(id) FROM remote_actors").await?,
        db.scalar("SELECT COUNT(*) FROM remote_actors")
            .await?
            .max(1),
    );
    let small_url = format!("{SITE_ORIGIN}/bench/thread-100");
    let large_url = format!("{SITE_ORIGIN}/bench/thread-100000");
    let large_size = bench.large_thread;
    server
        .register_article(&small_url, "Cent commentaires")
        .await?;
    server
        .register_article(&large_url, "Cent mille commentaires")
        .await?;
    server.stop().await?;
    let started = Instant::now();
    for (url, n) in [(&small_url, 100), (&large_url, large_size)] {
        db.comments(
            template_comment,
            &format!("SELECT id, ap_id FROM articles WHERE url = '{url}'"),
            n,
            authors,
        )
        .await?;
    }
    let stored = db.scalar("SELECT COUNT(*) FROM comments").await?;
    let per_article = 1000u64;
    let rest = (bench.stored_target as i64 - stored).max(0) as u64;
    let bulk_articles = rest / per_article;
    if bulk_articles > 0 {
        db.articles(
            template_article,
            &format!("{SITE_ORIGIN}/bench/bulk-"),
            bulk_articles,
        )
        .await?;
        db.comments(
            template_comment,
            &format!("SELECT id, ap_id FROM articles WHERE url LIKE '{SITE_ORIGIN}/bench/bulk-%'"),
            per_article,
            authors,
        )
        .await?;
    }
    g.stored_large = db.scalar("SELECT COUNT(*) FROM comments").await?;
    eprintln!(
        "  stored {} comments in {:.1?}",
        g.stored_large,
        started.elapsed()
    );

    // Start-up and idle memory on the large database.
    let (server, took) = bench.launcher.start(&db_url, "sqlite-large").await?;
    g.start_large = took;
    g.rss_large_idle = server.rss_mib();
    g.ingest_large = federation::inbound(&server, remote, &articles.inbound, blast)
        .await?
        .processed_per_sec;
    eprintln!(
        "  start {took:.2?}, ingest at {}: {:.0}/s",
        g.stored_large, g.ingest_large
    );

    // First page: rendered (after a change elsewhere), then as cached reads under load.
    let page = |url: &str| format!("/api/v1/threads?url={}&limit=20", url_encode(url));
    g.page_small_uncached_ms = uncached(&server, &db, &page(&small_url)).await?;
    g.page_large_uncached_ms = uncached(&server, &db, &page(&large_url)).await?;
    let pid = server.pid().context("server pid")?;
    let reading = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let reading = reading.clone();
        tokio::spawn(async move {
            let mut peak = 0f64;
            while reading.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(crate::server::rss_mib(pid));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            peak
        })
    };
    let log = |n: &str| bench.logs.join(format!("wrk-growth-{n}.txt"));
    let (c, d) = (bench.connections, bench.duration);
    g.page_small = wrk::run(&server.url(&page(&small_url)), c, d, &[], &log("page100")).await?;
    g.page_large = wrk::run(
        &server.url(&page(&large_url)),
        c,
        d,
        &[],
        &log("page100000"),
    )
    .await?;
    // The whole 1,000-comment thread too: memory while serving the big bodies.
    let full = format!("/api/v1/threads?url={}", url_encode(&articles.main_url));
    wrk::run(&server.url(&full), c, d, &[], &log("full")).await?;
    reading.store(false, std::sync::atomic::Ordering::Relaxed);
    g.rss_large_serving = server.rss_mib().max(sampler.await.unwrap_or(0.0));

    // Rules: 10, then 10,000 (copies of the first ones, written while stopped).
    let mut rule_ids = Vec::new();
    for i in 0..10 {
        let (kind, pattern) = if i == 0 {
            ("banned_regex", r"\bspamx[a-z]*\d+".to_string())
        } else {
            ("banned_word", format!("benchrule{i}"))
        };
        let rule = server
            .admin_post(
                "/api/v1/admin/rules",
                serde_json::json!({"kind": kind, "pattern": pattern}),
            )
            .await?;
        rule_ids.push(rule["id"].as_i64().context("rule id")?);
    }
    g.rules_small_us = rules_cost(&server, remote, articles, bench.rules_blast).await?;
    server.stop().await?;
    db.rules(rule_ids[1], rule_ids[0], bench.rules_large as u64 - 10)
        .await?;
    let rules = db.scalar("SELECT COUNT(*) FROM rules").await? as usize;
    g.rules_counts = (10, rules);
    let (server, _) = bench.launcher.start(&db_url, "sqlite-rules").await?;
    g.rules_large_us = rules_cost(&server, remote, articles, bench.rules_blast).await?;
    g.rules_rss = server.rss_mib();
    eprintln!(
        "  rules: {:.1} µs (10) vs {:.1} µs ({rules})",
        g.rules_small_us, g.rules_large_us
    );

    // Domain policies: 10, then 1,000,000, each measured on a fresh start.
    for i in 0..10 {
        server
            .admin_post(
                "/api/v1/admin/domain-policies",
                serde_json::json!({"domain": format!("blocked-{i}.example"), "severity": "suspend"}),
            )
            .await?;
    }
    server.stop().await?;
    let (server, _) = bench.launcher.start(&db_url, "sqlite-domains-10").await?;
    g.domains_rss_small = server.rss_mib();
    g.domains_small_ack = federation::inbound(&server, remote, &articles.inbound, blast)
        .await?
        .acknowledged_per_sec;
    server.stop().await?;
    db.domain_policies("blocked-0.example", bench.domains_large as u64)
        .await?;
    let policies = db.scalar("SELECT COUNT(*) FROM domain_policies").await? as u64;
    g.domains_counts = (10, policies);
    let (server, took) = bench
        .launcher
        .start(&db_url, "sqlite-domains-large")
        .await?;
    g.domains_start_large = took;
    g.domains_rss_large = server.rss_mib();
    g.domains_large_ack = federation::inbound(&server, remote, &articles.inbound, blast)
        .await?
        .acknowledged_per_sec;
    eprintln!(
        "  domains: {:.0}/s (10) vs {:.0}/s ({policies}); RSS {:.1} → {:.1} MiB",
        g.domains_small_ack, g.domains_large_ack, g.domains_rss_small, g.domains_rss_large
    );
    db.close().await?;
    Ok((g, server))
}

/// Median time of a first-page read rendered anew: each read follows a change made by
/// another process (a bump of the content version, as any write does), once the server
/// has seen it (its checks answer for 100 ms), so the cache cannot answer.
async fn uncached(server: &Server, db: &Db, path: &str) -> Result<f64> {
    let mut times = Vec::new();
    for _ in 0..31 {
        db.scalar("UPDATE content_version SET n = n + 1 WHERE id = 1 RETURNING n")
            .await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let started = Instant::now();
        let response = server.client.get(server.url(path)).send().await?;
        let status = response.status();
        let _ = response.bytes().await?;
        if !status.is_success() {
            anyhow::bail!("GET {path}: {status}");
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// Mean time to match one comment against the rules, from the server's own histogram,
/// over `count` replies.
async fn rules_cost(
    server: &Server,
    remote: &Arc<Remote>,
    articles: &Articles,
    count: usize,
) -> Result<f64> {
    let sum = "tribune_moderation_rules_seconds_sum";
    let n = "tribune_moderation_rules_seconds_count";
    let (s0, n0) = (server.metric(sum).await?, server.metric(n).await?);
    federation::inbound(server, remote, &articles.inbound, count).await?;
    let (s1, n1) = (server.metric(sum).await?, server.metric(n).await?);
    if n1 <= n0 {
        anyhow::bail!("no comment was matched against the rules");
    }
    Ok((s1 - s0) / (n1 - n0) * 1e6)
}
