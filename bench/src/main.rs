//! `tribune-bench`: runs Tribune's benchmark scenarios, each against a reference
//! measured in the same run (OpenSSL, nginx, Isso, or Tribune itself at a smaller
//! size), and writes a Markdown table, CSVs and PNG plots under `bench/results/`.
//!
//! `cargo run --release -p tribune-bench -- all` (about 10 minutes on 2 cores);
//! `-- quick` for a smaller, shorter run.

mod federation;
mod growth;
mod populate;
mod reads;
mod refs;
mod remote;
mod report;
mod server;
mod wrk;

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum};
use report::{Goal, Machine, Measurement, Report};
use std::{
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

#[derive(Parser)]
#[command(about = "Tribune's benchmarks, side by side with nginx, Isso and OpenSSL")]
struct Cli {
    /// `all`: the full suite; `quick`: every scenario, smaller and shorter.
    #[arg(value_enum, default_value = "all")]
    mode: Mode,
    /// Where results go (default: bench/results/<date>, copied to bench/results/latest).
    #[arg(long)]
    out: Option<PathBuf>,
    /// PostgreSQL server for the PostgreSQL pass (a database is created and dropped).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    postgres: String,
    /// Skip the PostgreSQL pass.
    #[arg(long)]
    no_postgres: bool,
    /// Skip Isso (it needs PyPI the first time).
    #[arg(long)]
    no_isso: bool,
    /// Leave the README alone.
    #[arg(long)]
    no_readme: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Mode {
    All,
    Quick,
}

/// What every scenario shares.
pub struct Bench {
    pub launcher: server::Launcher,
    pub logs: PathBuf,
    pub work: PathBuf,
    pub connections: u32,
    pub duration: Duration,
    pub inbound_count: usize,
    pub growth_blast: usize,
    pub rules_blast: usize,
    pub large_thread: u64,
    pub stored_target: u64,
    pub rules_large: usize,
    pub domains_large: usize,
    pub fanout_articles: usize,
}

/// The figures of one database backend's main scenarios.
struct Backend {
    name: &'static str,
    first_contact: f64,
    inbound: federation::Inbound,
    fanout: federation::Fanout,
    reads: reads::Reads,
    start: Duration,
    rss_idle: f64,
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let started = Instant::now();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("bench/ has a parent")?
        .to_path_buf();
    let quick = cli.mode == Mode::Quick;
    let mut machine = Machine::probe(if quick { "quick" } else { "full" });
    let out = cli.out.clone().unwrap_or_else(|| {
        root.join("bench/results")
            .join(chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string())
    });
    let work = root.join("bench/work");
    let logs = out.join("logs");
    std::fs::create_dir_all(&logs)?;

    refs::ensure_packages(&[("wrk", "wrk"), ("nginx", "nginx"), ("openssl", "openssl")])?;
    eprintln!("== building the release server");
    let binary = server::build_server(&root)?;
    let bench = Bench {
        launcher: server::Launcher {
            binary,
            root: root.clone(),
            log_dir: logs.clone(),
        },
        logs: logs.clone(),
        work: work.clone(),
        connections: 64,
        duration: Duration::from_secs(if quick { 2 } else { 8 }),
        inbound_count: if quick { 2_000 } else { 10_000 },
        growth_blast: if quick { 1_000 } else { 4_000 },
        rules_blast: if quick { 300 } else { 1_000 },
        large_thread: if quick { 10_000 } else { 100_000 },
        stored_target: if quick { 100_000 } else { 1_000_000 },
        rules_large: 10_000,
        domains_large: if quick { 100_000 } else { 1_000_000 },
        fanout_articles: if quick { 1 } else { 3 },
    };
    std::fs::create_dir_all(&work)?;

    eprintln!("== openssl speed rsa2048 on every core");
    let rsa = refs::openssl_rsa(if quick { 1 } else { 3 }).await?;
    let remote = Arc::new(remote::Remote::start(1_000).await?);

    let mut measurements = Vec::new();
    let mut notes = Vec::new();
    let static_dir = work.join("static");

    // SQLite: the main scenarios, then growth on the same database.
    eprintln!("== SQLite");
    let sqlite_url = fresh_sqlite(&work, "bench")?;
    let (sqlite, articles, server) =
        main_scenarios(&bench, "sqlite", &sqlite_url, &remote, Some(&static_dir)).await?;
    eprintln!("== growth (SQLite)");
    let (growth, server) = growth::run(&bench, server, &remote, &articles).await?;
    server.stop().await?;

    let mut backends = vec![sqlite];
    if !cli.no_postgres {
        eprintln!("== PostgreSQL");
        let name = format!("tribune_bench_{}", std::process::id());
        let url = create_postgres(&cli.postgres, &name).await?;
        let result = main_scenarios(&bench, "postgres", &url, &remote, None).await;
        if let Ok((_, _, server)) = &result {
            let _ = server;
        }
        match result {
            Ok((figures, _, server)) => {
                server.stop().await?;
                backends.push(figures);
            }
            Err(e) => notes.push(format!("PostgreSQL pass failed: {e:#}")),
        }
        drop_postgres(&cli.postgres, &name).await;
    }

    eprintln!("== nginx on the same bytes");
    let nginx = refs::Nginx::start(&work, &static_dir).await?;
    let nginx_paths = reads::Paths {
        full: "/thread.json".into(),
        page: "/page.json".into(),
        counts: "/counts.json".into(),
        etag: nginx.etag("/thread.json").await?,
    };
    let nginx_reads = reads::read_matrix(&bench, &nginx.base, &nginx_paths, "nginx").await?;
    nginx.stop().await;

    let isso = if cli.no_isso {
        None
    } else {
        eprintln!("== Isso (gunicorn, 2 workers) on the same thread");
        match isso_run(&bench, &root).await {
            Ok(r) => Some(r),
            Err(e) => {
                notes.push(format!("Isso not measured: {e:#}"));
                None
            }
        }
    };

    // Figures.
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
    for (subject, backend, r) in std::iter::once(("nginx", "-", &nginx_reads))
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
    if let Some(isso) = &isso {
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
    for b in &backends {
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

    let mut goals = Vec::new();
    let ratio = |a: f64, b: f64| if b > 0.0 { Some(a / b) } else { None };
    for b in &backends {
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
        goals.push(match &isso {
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
    notes.push(format!(
        "Ingest with {} vs {} comments stored: {:.0} vs {:.0} processed/s ({:.2}x); no goal is set for it.",
        g.stored_small, g.stored_large, g.ingest_small, g.ingest_large, g.ingest_small / g.ingest_large.max(1e-9)
    ));
    notes.push("Every server, wrk and the bench's fake fediverse share the same cores; wrk runs 2 threads, 64 connections.".into());
    notes.push(format!("{} distinct RSA keys are shared out among the 1,000 actors; every request is verified against its actor's key.", 8));

    machine.finish(started);
    let report = Report {
        machine,
        measurements,
        goals,
        notes,
    };
    report.write(&out)?;
    let latest = root.join("bench/results/latest");
    if cli.out.is_none() {
        let _ = std::fs::remove_dir_all(&latest);
        std::fs::create_dir_all(&latest)?;
        for f in [
            "results.md",
            "measurements.csv",
            "goals.csv",
            "goals.png",
            "throughput.png",
        ] {
            let _ = std::fs::copy(out.join(f), latest.join(f));
        }
        if !cli.no_readme && !quick {
            report::update_readme(
                &root.join("README.md"),
                &format!(
                    "{}\n![Goals: measured / goal](bench/results/latest/goals.png)\n",
                    report.goals_table()
                ),
            )?;
        }
    }
    println!("{}", report.goals_table());
    eprintln!(
        "results: {} ({:.0} s)",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
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

/// The main scenarios on one backend; returns the server still running.
async fn main_scenarios(
    bench: &Bench,
    name: &'static str,
    db_url: &str,
    remote: &Arc<remote::Remote>,
    static_dir: Option<&std::path::Path>,
) -> Result<(Backend, federation::Articles, server::Server)> {
    let (server, start) = bench.launcher.start(db_url, name).await?;
    let rss_idle = server.rss_mib();
    let articles = federation::articles(&server).await?;
    let first_contact = federation::fill_main_thread(&server, remote, &articles).await?;
    eprintln!("  first contact: {first_contact:.0}/s");
    let inbound =
        federation::inbound(&server, remote, &articles.inbound, bench.inbound_count).await?;
    eprintln!(
        "  inbound: {:.0} acknowledged/s, {:.0} processed/s",
        inbound.acknowledged_per_sec, inbound.processed_per_sec
    );
    let fanout = federation::fanout(&server, remote, bench.fanout_articles, name).await?;
    eprintln!("  fan-out: {:.0} deliveries/s", fanout.deliveries_per_sec);
    let (paths, full_bytes, page_bytes) =
        reads::tribune_paths(&server, &articles.main_url, &articles.counted, static_dir).await?;
    let mut reads = reads::read_matrix(bench, &server.base, &paths, name).await?;
    reads.full_bytes = full_bytes;
    reads.page_bytes = page_bytes;
    eprintln!(
        "  reads: full {:.0}/s, 304 {:.0}/s, counts {:.0}/s, page p99 {:.2} ms",
        reads.full.requests_per_sec,
        reads.not_modified.requests_per_sec,
        reads.counts.requests_per_sec,
        reads.page.p99_ms
    );
    Ok((
        Backend {
            name,
            first_contact,
            inbound,
            fanout,
            reads,
            start,
            rss_idle,
        },
        articles,
        server,
    ))
}

/// A new SQLite database file under the work folder.
fn fresh_sqlite(work: &std::path::Path, name: &str) -> Result<String> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(work.join(format!("{name}.db{suffix}")));
    }
    Ok(format!("sqlite://{}/{name}.db?mode=rwc", work.display()))
}

async fn create_postgres(server: &str, name: &str) -> Result<String> {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(format!("{server}/postgres")).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    Ok(format!("{server}/{name}"))
}

async fn drop_postgres(server: &str, name: &str) {
    use sea_orm::ConnectionTrait;
    if let Ok(admin) = sea_orm::Database::connect(format!("{server}/postgres")).await {
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        let _ = admin.close().await;
    }
}

/// Isso reading its 1,000-comment thread (the script's database), 4 connections for
/// twice the bench duration: it serves a few requests a second at best.
async fn isso_run(bench: &Bench, root: &std::path::Path) -> Result<wrk::WrkResult> {
    let script = std::env::var("TRIBUNE_BENCH_ISSO_SCRIPT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("../shared/bench/isso/isso_bench.sh"));
    if !script.is_file() {
        anyhow::bail!("{} is absent", script.display());
    }
    let isso = refs::Isso::start(&script, &bench.work).await?;
    let result = wrk::run(
        &format!("{}/?uri=/article-1", isso.base),
        4,
        bench.duration * 2,
        &[],
        &bench.logs.join("wrk-isso-full.txt"),
    )
    .await;
    isso.stop();
    result
}
