//! `tribune-bench`: runs Tribune's benchmark scenarios, each against a reference
//! measured in the same run (OpenSSL, nginx, Isso, or Tribune itself at a smaller
//! size), and writes a Markdown table, CSVs and PNG plots under `bench/results/`.
//!
//! `cargo run --release --features bench --bin tribune-bench -- all` (about 7 minutes on
//! 2 cores, plus the build); `-- quick` for a smaller, shorter run.

mod federation;
mod figures;
mod growth;
mod populate;
mod reads;
mod refs;
mod remote;
mod report;
mod server;
mod wrk;

use anyhow::Result;
use clap::{Parser, ValueEnum};
use figures::Backend;
use report::{Machine, Report};
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

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let started = Instant::now();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // reqwest is built without a TLS provider of its own (as in the server).
    let _ = rustls::crypto::ring::default_provider().install_default();
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
        duration: Duration::from_secs(if quick { 2 } else { 6 }),
        inbound_count: if quick { 2_000 } else { 6_000 },
        growth_blast: if quick { 1_000 } else { 3_000 },
        rules_blast: if quick { 300 } else { 600 },
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

    let figures = figures::Figures {
        rsa: &rsa,
        nginx: &nginx_reads,
        isso: isso.as_ref(),
        backends: &backends,
        growth: &growth,
        bench: &bench,
    };
    let measurements = figures::measurements(&figures);
    let goals = figures::goals(&figures);
    notes.extend(figures::notes(&figures));
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
