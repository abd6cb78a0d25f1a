//! The references each goal is measured against, set up by the bench itself: OpenSSL's
//! RSA-2048 rates on every core, nginx serving the same bytes as static files, and Isso
//! (PyPI, under gunicorn) reading the same 1,000-comment thread.

use anyhow::{bail, Context, Result};
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};
use tokio::process::{Child, Command};

/// Installs Debian packages that are missing (wrk, nginx): needs root, as on CI.
pub fn ensure_packages(commands: &[(&str, &str)]) -> Result<()> {
    let missing: Vec<&str> = commands
        .iter()
        .filter(|(cmd, _)| which(cmd).is_none())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("installing {}", missing.join(" "));
    let update = std::process::Command::new("apt-get")
        .args(["update", "-qq"])
        .status();
    if update.map(|s| !s.success()).unwrap_or(true) {
        bail!(
            "apt-get update failed: install {} yourself",
            missing.join(" ")
        );
    }
    let status = std::process::Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()?;
    if !status.success() {
        bail!("apt-get install {} failed", missing.join(" "));
    }
    Ok(())
}

pub fn which(cmd: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|d| d.join(cmd))
        .find(|p| p.is_file())
}

/// OpenSSL's RSA-2048 sign and verify rates with one process per core.
pub struct RsaRates {
    pub sign_per_sec: f64,
    pub verify_per_sec: f64,
    pub cores: usize,
}

pub async fn openssl_rsa(seconds: u32) -> Result<RsaRates> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let out = Command::new("openssl")
        .args([
            "speed",
            "-multi",
            &cores.to_string(),
            "-seconds",
            &seconds.to_string(),
            "rsa2048",
        ])
        .stderr(Stdio::null())
        .output()
        .await
        .context("running openssl speed")?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "rsa 2048 bits 0.000150s 0.000009s   6688.2 107125.0"
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with("rsa 2048 bits") || l.starts_with("rsa  2048 bits"))
        .context("no rsa 2048 line in openssl speed's output")?;
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok())
        .collect();
    let [.., sign, verify] = numbers.as_slice() else {
        bail!("cannot read {line:?}");
    };
    Ok(RsaRates {
        sign_per_sec: *sign,
        verify_per_sec: *verify,
        cores,
    })
}

/// nginx serving a folder on loopback (ETags on, as by default).
pub struct Nginx {
    child: Child,
    pub base: String,
}

impl Nginx {
    pub async fn start(work: &Path, root: &Path) -> Result<Nginx> {
        let binary = which("nginx").context("nginx is not installed")?;
        let port = crate::server::free_port()?;
        let prefix = work.join("nginx");
        std::fs::create_dir_all(prefix.join("logs"))?;
        let conf = prefix.join("nginx.conf");
        let user = if is_root() { "user root;\n" } else { "" };
        std::fs::write(
            &conf,
            format!(
                "{user}worker_processes auto;\npid {pid};\nerror_log {err} warn;\ndaemon off;\n\
                 events {{ worker_connections 4096; }}\n\
                 http {{\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n  keepalive_requests 1000000;\n\
                 types {{ application/json json; }}\n\
                 server {{ listen 127.0.0.1:{port}; root {root}; location / {{ etag on; }} }}\n}}\n",
                pid = prefix.join("nginx.pid").display(),
                err = prefix.join("logs/error.log").display(),
                root = root.display(),
            ),
        )?;
        let child = Command::new(binary)
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting nginx")?;
        let base = format!("http://127.0.0.1:{port}");
        wait_http(&format!("{base}/"), Duration::from_secs(20)).await?;
        Ok(Nginx { child, base })
    }

    /// nginx's ETag of a file it serves.
    pub async fn etag(&self, path: &str) -> Result<String> {
        let response = reqwest::get(format!("{}{path}", self.base)).await?;
        response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .context("nginx sent no ETag")
    }

    /// A graceful stop (SIGQUIT): killing the master would leave its workers behind.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = Command::new("kill")
                .arg("-QUIT")
                .arg(pid.to_string())
                .status()
                .await;
            if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
                .await
                .is_ok()
            {
                return;
            }
        }
        let _ = self.child.kill().await;
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .arg("-QUIT")
                .arg(pid.to_string())
                .status();
        }
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Polls until `url` answers at all (any status).
pub async fn wait_http(url: &str, deadline: Duration) -> Result<()> {
    let end = Instant::now() + deadline;
    let client = reqwest::Client::new();
    loop {
        if client.get(url).send().await.is_ok() {
            return Ok(());
        }
        if Instant::now() > end {
            bail!("{url} does not answer after {deadline:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Isso set up by `../shared/bench/isso/isso_bench.sh` (its venv, its populated
/// database), run under gunicorn with 2 workers.
pub struct Isso {
    script: PathBuf,
    work: PathBuf,
    pub base: String,
    port: u16,
}

impl Isso {
    /// Sets up (once: the venv and database stay in the work folder) and starts Isso.
    pub async fn start(script: &Path, work: &Path) -> Result<Isso> {
        let dir = work.join("isso");
        std::fs::create_dir_all(&dir)?;
        let port = crate::server::free_port()?;
        let run = |arg: &str| {
            std::process::Command::new("bash")
                .arg(script)
                .arg(arg)
                .current_dir(&dir)
                .env("PORT", port.to_string())
                .env("MODE", "gunicorn")
                .env("WORKERS", "2")
                .stdout(Stdio::null())
                .status()
        };
        // The database's host line names the port: set up again for each port.
        let status = tokio::task::block_in_place(|| run("setup"))?;
        if !status.success() {
            bail!("isso setup failed");
        }
        let status = tokio::task::block_in_place(|| run("start"))?;
        if !status.success() {
            bail!("isso start failed");
        }
        let base = format!("http://127.0.0.1:{port}");
        wait_http(&format!("{base}/?uri=/article-1"), Duration::from_secs(120)).await?;
        Ok(Isso {
            script: script.to_path_buf(),
            work: dir,
            base,
            port,
        })
    }

    pub fn stop(self) {
        let _ = std::process::Command::new("bash")
            .arg(&self.script)
            .arg("stop")
            .current_dir(&self.work)
            .env("PORT", self.port.to_string())
            .stdout(Stdio::null())
            .status();
    }
}
