//! Read scenarios: the 1,000-comment thread whole and its first page, a revalidation
//! answered `304`, and counts for 20 articles, each under wrk against Tribune, nginx
//! serving the very same bytes as static files, and Isso reading the same thread.

use crate::{server::Server, wrk, Bench};
use anyhow::{bail, Context, Result};
use std::path::Path;

/// The paths one server is read at.
pub struct Paths {
    pub full: String,
    pub page: String,
    pub counts: String,
    /// The ETag of the full thread, sent back in `If-None-Match`.
    pub etag: String,
}

/// Read figures of one server.
#[derive(Default, Clone)]
pub struct Reads {
    pub full: wrk::WrkResult,
    pub not_modified: wrk::WrkResult,
    pub counts: wrk::WrkResult,
    pub page: wrk::WrkResult,
    pub full_bytes: usize,
    pub page_bytes: usize,
}

/// Tribune's read paths for the bench's articles; checks the thread is whole and
/// writes the bodies where nginx will serve them.
pub async fn tribune_paths(
    server: &Server,
    main_url: &str,
    counted: &[String],
    static_dir: Option<&Path>,
) -> Result<(Paths, usize, usize)> {
    let encode = |u: &str| url_encode(u);
    let full = format!("/api/v1/threads?url={}", encode(main_url));
    let page = format!("{full}&limit=20");
    let counts = format!(
        "/api/v1/counts?{}",
        counted
            .iter()
            .map(|u| format!("url={}", encode(u)))
            .collect::<Vec<_>>()
            .join("&")
    );
    let response = server.client.get(server.url(&full)).send().await?;
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .context("no ETag on the thread")?
        .to_string();
    let full_body = response.bytes().await?;
    let thread: serde_json::Value = serde_json::from_slice(&full_body)?;
    if thread["total"].as_u64() != Some(1000) {
        bail!(
            "the main thread holds {} comments, not 1,000",
            thread["total"]
        );
    }
    let page_body = server
        .client
        .get(server.url(&page))
        .send()
        .await?
        .bytes()
        .await?;
    let counts_body = server
        .client
        .get(server.url(&counts))
        .send()
        .await?
        .bytes()
        .await?;
    if let Some(dir) = static_dir {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("thread.json"), &full_body)?;
        std::fs::write(dir.join("page.json"), &page_body)?;
        std::fs::write(dir.join("counts.json"), &counts_body)?;
    }
    Ok((
        Paths {
            full,
            page,
            counts,
            etag,
        },
        full_body.len(),
        page_body.len(),
    ))
}

/// The four wrk runs against one server.
pub async fn read_matrix(bench: &Bench, base: &str, paths: &Paths, label: &str) -> Result<Reads> {
    let c = bench.connections;
    let d = bench.duration;
    let log = |name: &str| bench.logs.join(format!("wrk-{label}-{name}.txt"));
    let full = wrk::run(&format!("{base}{}", paths.full), c, d, &[], &log("full")).await?;
    let not_modified = wrk::run(
        &format!("{base}{}", paths.full),
        c,
        d,
        &[("If-None-Match", &paths.etag)],
        &log("304"),
    )
    .await?;
    let counts = wrk::run(
        &format!("{base}{}", paths.counts),
        c,
        d,
        &[],
        &log("counts"),
    )
    .await?;
    let page = wrk::run(&format!("{base}{}", paths.page), c, d, &[], &log("page")).await?;
    Ok(Reads {
        full,
        not_modified,
        counts,
        page,
        ..Default::default()
    })
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
