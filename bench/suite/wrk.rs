//! Read load from wrk (Debian's package), the same tool for every server compared.

use anyhow::{bail, Context, Result};
use std::{path::Path, time::Duration};

/// What one wrk run measured.
#[derive(Debug, Clone, Default)]
pub struct WrkResult {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    /// Non-2xx/3xx answers and socket errors.
    pub errors: u64,
}

/// One wrk run: `connections` connections on 2 threads for `duration`, with extra
/// headers; its raw output is kept in `log`.
pub async fn run(
    url: &str,
    connections: u32,
    duration: Duration,
    headers: &[(&str, &str)],
    log: &Path,
) -> Result<WrkResult> {
    wait_quiet().await;
    let threads = connections.clamp(1, 2);
    let mut cmd = tokio::process::Command::new("wrk");
    cmd.arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("--timeout")
        .arg("60s")
        .arg("--latency");
    for (k, v) in headers {
        cmd.arg("-H").arg(format!("{k}: {v}"));
    }
    let out = cmd.arg(url).output().await.context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    std::fs::write(log, &text)?;
    if !out.status.success() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    parse(&text)
}

/// Waits (20 s at most) until the machine is at least 70 % idle over a second: work
/// left from the scenario before (a database's autovacuum, deliveries still queued)
/// must not run during a measurement.
async fn wait_quiet() {
    for _ in 0..20 {
        let before = cpu_times();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (Some((busy0, total0)), Some((busy1, total1))) = (before, cpu_times()) else {
            return;
        };
        let total = total1.saturating_sub(total0).max(1);
        if busy1.saturating_sub(busy0) * 10 <= total * 3 {
            return;
        }
    }
}

/// `(busy, total)` jiffies of all cores, from /proc/stat.
fn cpu_times() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal…
    let idle = fields.get(3)? + fields.get(4).unwrap_or(&0);
    let total: u64 = fields.iter().take(8).sum();
    Some((total - idle, total))
}

/// Reads wrk's report.
pub fn parse(text: &str) -> Result<WrkResult> {
    let mut r = WrkResult::default();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", v] => r.requests_per_sec = v.parse()?,
            ["50%", v] => r.p50_ms = millis(v)?,
            ["99%", v] => r.p99_ms = millis(v)?,
            [n, "requests", "in", ..] => r.requests = n.parse()?,
            ["Non-2xx", "or", "3xx", "responses:", n] => r.errors += n.parse::<u64>()?,
            ["Socket", "errors:", rest @ ..] => {
                // connect 0, read 0, write 0, timeout 0
                r.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    if r.requests == 0 {
        bail!("wrk completed no request");
    }
    Ok(r)
}

fn millis(v: &str) -> Result<f64> {
    let (number, factor) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = v.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        (v, 1.0)
    };
    Ok(number.parse::<f64>()? * factor)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_wrk_report() {
        let text = "Running 5s test @ http://127.0.0.1:1/\n  2 threads and 64 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     1.20ms  300.00us   9.00ms   90.00%\n  Latency Distribution\n     50%  812.00us\n     75%    1.10ms\n     90%    1.50ms\n     99%    3.25ms\n  102400 requests in 5.00s, 10.00MB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:  20480.00\nTransfer/sec:      2.00MB\n";
        let r = super::parse(text).unwrap();
        assert_eq!(r.requests, 102_400);
        assert!((r.p50_ms - 0.812).abs() < 1e-9);
        assert!((r.p99_ms - 3.25).abs() < 1e-9);
        assert_eq!(r.errors, 3);
        assert!((r.requests_per_sec - 20480.0).abs() < 1e-9);
    }
}
