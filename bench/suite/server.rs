//! A Tribune process under test: started from the release binary on loopback with its
//! own database, timed from spawn to healthy, measured (RSS, CPU) and stopped.

use anyhow::{bail, Context, Result};
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};
use tokio::process::{Child, Command};

/// The bearer token the bench's servers accept.
pub const ADMIN_TOKEN: &str = "bench-admin-token-0123456789";

/// The site every bench article belongs to (the default config's).
pub const SITE: &str = "demo";
pub const SITE_ORIGIN: &str = "http://127.0.0.1:8000";

/// A running server.
pub struct Server {
    child: Child,
    pub base: String,
    pub port: u16,
    pub db_url: String,
    pub client: reqwest::Client,
}

/// Where the server binary is and how it is started.
#[derive(Clone)]
pub struct Launcher {
    pub binary: PathBuf,
    pub root: PathBuf,
    pub log_dir: PathBuf,
}

impl Launcher {
    /// Starts a server on a free port against `db_url`; returns it and the time from
    /// spawn to its first `200` on `/healthz`.
    pub async fn start(&self, db_url: &str, label: &str) -> Result<(Server, Duration)> {
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let log = std::fs::File::create(self.log_dir.join(format!("{label}.log")))?;
        let started = Instant::now();
        let child = Command::new(&self.binary)
            .current_dir(&self.root)
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TRIBUNE_DATABASE__URL", db_url)
            .env("TRIBUNE_DATABASE__MAX_CONNECTIONS", "8")
            .env("TRIBUNE_SERVER__LISTEN", format!("127.0.0.1:{port}"))
            .env("TRIBUNE_SERVER__PUBLIC_URL", &base)
            .env("TRIBUNE_ADMIN__TOKEN", ADMIN_TOKEN)
            // `/metrics` is served only behind a token.
            .env("TRIBUNE_SERVER__METRICS_TOKEN", ADMIN_TOKEN)
            // The fake fediverse lives on loopback.
            .env("TRIBUNE_FEDERATION__ALLOW_PRIVATE_NETWORKS", "true")
            .env("TRIBUNE_WORKERS__POLL_INTERVAL_MS", "200")
            // Every bench client shares one address; the limiters still run, at a
            // rate no scenario reaches.
            .env("TRIBUNE_LIMITS__PUBLIC_PER_MINUTE", "1000000000")
            .env("TRIBUNE_LIMITS__PUBLIC_BURST", "1000000000")
            .env("TRIBUNE_LIMITS__INBOX_PER_IP_PER_MINUTE", "1000000000")
            .env("TRIBUNE_LIMITS__INBOX_PER_DOMAIN_PER_MINUTE", "1000000000")
            .env("TRIBUNE_LIMITS__INBOX_BURST", "1000000000")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", self.binary.display()))?;
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .timeout(Duration::from_secs(60))
            .build()?;
        let mut server = Server {
            child,
            base,
            port,
            db_url: db_url.to_string(),
            client,
        };
        let deadline = started + Duration::from_secs(120);
        loop {
            if let Ok(r) = server.client.get(server.url("/healthz")).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("{label}: tribune exited with {status} (see its log)");
            }
            if Instant::now() > deadline {
                bail!("{label}: not healthy after 120 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok((server, started.elapsed()))
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Resident memory, MiB.
    pub fn rss_mib(&self) -> f64 {
        self.pid().map(rss_mib).unwrap_or(0.0)
    }

    /// SIGTERM, then wait for the exit.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(pid) = self.pid() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status()
                .await;
            if tokio::time::timeout(Duration::from_secs(20), self.child.wait())
                .await
                .is_err()
            {
                self.child.kill().await?;
            }
        }
        Ok(())
    }

    /// Registers an article; returns its ActivityPub id.
    pub async fn register_article(&self, url: &str, title: &str) -> Result<String> {
        let response = self
            .client
            .post(self.url("/api/v1/articles"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&serde_json::json!({
                "site": SITE, "url": url, "title": title,
                "summary": "An article of the benchmark", "published": "2026-11-01T08:00:00Z"
            }))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("registering {url}: {}", response.status());
        }
        let body: serde_json::Value = response.json().await?;
        body["ap_id"]
            .as_str()
            .map(str::to_string)
            .context("no ap_id in the article")
    }

    /// An admin POST with a JSON body; fails unless 2xx.
    pub async fn admin_post(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<serde_json::Value> {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            bail!("POST {path}: {status}: {text}");
        }
        Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// The sum of every series of a metric (`name` as written, e.g.
    /// `tribune_inbox_processing_seconds_count`).
    pub async fn metric(&self, name: &str) -> Result<f64> {
        let text = self
            .client
            .get(self.url("/metrics"))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await?
            .text()
            .await?;
        Ok(sum_metric(&text, name))
    }
}

/// Sums the samples of `name` (with or without labels) in OpenMetrics text.
pub fn sum_metric(text: &str, name: &str) -> f64 {
    text.lines()
        .filter(|l| {
            l.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with('{'))
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// VmRSS of a process, MiB.
pub fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// A port nobody listens on now.
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Builds the release server binary (a no-op when it is current) and returns its path.
pub fn build_server(root: &Path) -> Result<PathBuf> {
    let mut cargo =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // `cargo run` hands its package's variables to the bench; build scripts that read
    // them (ring's) would see them changed and rebuild half the stack.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_BIN_",
            "CARGO_CRATE_",
            "CARGO_PRIMARY_",
        ]
        .iter()
        .any(|prefix| key.starts_with(prefix))
        {
            cargo.env_remove(key);
        }
    }
    // The same package and features as the bench's own build: only the server's `main`
    // is left to compile.
    let status = cargo
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--features",
            "bench",
            "--bin",
            "tribune",
        ])
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release failed");
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    Ok(target.join("release/tribune"))
}
