//! Federation scenarios: replies blasted at the inbox (acknowledged and processed per
//! second) and an article fanned out to every follower's inbox (deliveries per second).

use crate::{
    remote::{blast, Blast, Prepared, Remote},
    server::{Server, SITE_ORIGIN},
};
use anyhow::{bail, Result};
use std::{
    sync::{atomic::Ordering::Relaxed, Arc},
    time::{Duration, Instant},
};

/// The articles the federation scenarios use.
pub struct Articles {
    /// The 1,000-comment thread (its page URL and AP id).
    pub main_url: String,
    pub main_ap: String,
    /// Targets of the inbound blasts (AP ids).
    pub inbound: Vec<String>,
    /// The 20 URLs of the counts scenario.
    pub counted: Vec<String>,
}

/// Registers the bench's articles.
pub async fn articles(server: &Server) -> Result<Articles> {
    let main_url = format!("{SITE_ORIGIN}/bench/thread-1000");
    let main_ap = server
        .register_article(&main_url, "Le fil de mille commentaires")
        .await?;
    let mut inbound = Vec::new();
    let mut counted = vec![main_url.clone()];
    for k in 0..10 {
        let url = format!("{SITE_ORIGIN}/bench/inbound-{k}");
        inbound.push(
            server
                .register_article(&url, &format!("Article {k}"))
                .await?,
        );
        counted.push(url);
    }
    for k in 0..9 {
        let url = format!("{SITE_ORIGIN}/bench/counted-{k}");
        server
            .register_article(&url, &format!("Compté {k}"))
            .await?;
        counted.push(url);
    }
    Ok(Articles {
        main_url,
        main_ap,
        inbound,
        counted,
    })
}

/// Activities processed by the server so far (every type).
pub async fn processed(server: &Server) -> Result<f64> {
    server
        .metric("tribune_inbox_processing_seconds_count")
        .await
}

/// Waits until the server processed `target` activities in all.
pub async fn wait_processed(server: &Server, target: f64, deadline: Duration) -> Result<Instant> {
    let end = Instant::now() + deadline;
    loop {
        let done = processed(server).await?;
        if done >= target {
            return Ok(Instant::now());
        }
        if Instant::now() > end {
            bail!("processed {done} of {target} activities after {deadline:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Fills the main thread with 1,000 replies from 1,000 actors (700 to the article, then
/// 300 answering earlier ones): each actor's first contact, so the server fetches and
/// keeps every actor. Returns the first-contact rate (replies processed per second).
pub async fn fill_main_thread(
    server: &Server,
    remote: &Arc<Remote>,
    articles: &Articles,
) -> Result<f64> {
    let inbox = server.url("/inbox");
    let top = remote.count * 7 / 10;
    let mut notes = Vec::new();
    let mut first = Vec::new();
    for n in 0..top {
        let (note, activity) = remote.reply(n, &articles.main_ap);
        notes.push(note);
        first.push((n, activity));
    }
    let second: Vec<_> = (top..remote.count)
        .map(|n| (n, remote.reply(n, &notes[(n * 7) % top]).1))
        .collect();
    let started = Instant::now();
    let base = processed(server).await?;
    for (batch, expect) in [(first, top), (second, remote.count - top)] {
        let before = processed(server).await?;
        let prepared = remote.sign_all(&inbox, batch).await?;
        send_all(server, prepared, "first contact").await?;
        wait_processed(server, before + expect as f64, Duration::from_secs(300)).await?;
    }
    let done = processed(server).await? - base;
    Ok(done / started.elapsed().as_secs_f64())
}

/// Sends signed requests over 64 connections; every one must be accepted.
async fn send_all(server: &Server, prepared: Vec<Prepared>, what: &str) -> Result<Blast> {
    let sent = blast(&server.client, prepared, 64).await;
    if sent.refused > 0 {
        bail!(
            "{what}: {} refused ({:?})",
            sent.refused,
            sent.first_refusal
        );
    }
    Ok(sent)
}

/// What an inbound blast measured.
pub struct Inbound {
    pub count: usize,
    pub acknowledged_per_sec: f64,
    pub processed_per_sec: f64,
}

/// `count` replies from the known actors to `targets`, signed ahead, sent over 64
/// connections: acknowledged (stored, 202) and processed (moderated, in the thread) per
/// second, both from the first request sent.
pub async fn inbound(
    server: &Server,
    remote: &Arc<Remote>,
    targets: &[String],
    count: usize,
) -> Result<Inbound> {
    let items: Vec<_> = (0..count)
        .map(|i| {
            let n = (i * 13) % remote.count;
            let target = &targets[i % targets.len()];
            (n, remote.reply(n, target).1)
        })
        .collect();
    let prepared = remote.sign_all(&server.url("/inbox"), items).await?;
    let before = processed(server).await?;
    let started = Instant::now();
    let sent = send_all(server, prepared, "inbound").await?;
    let done = wait_processed(server, before + count as f64, Duration::from_secs(600)).await?;
    Ok(Inbound {
        count,
        acknowledged_per_sec: count as f64 / sent.elapsed.as_secs_f64(),
        processed_per_sec: count as f64 / (done - started).as_secs_f64(),
    })
}

/// What the fan-out measured.
pub struct Fanout {
    pub followers: usize,
    pub accepts_per_sec: f64,
    pub deliveries: u64,
    pub deliveries_per_sec: f64,
}

/// Every actor follows the site (each `Accept` is a signed delivery to its own inbox),
/// then `articles` new articles go out as `Create(Article)` to every follower's inbox.
pub async fn fanout(
    server: &Server,
    remote: &Arc<Remote>,
    articles: usize,
    label: &str,
) -> Result<Fanout> {
    let site = server.url(&format!("/sites/{}", crate::server::SITE));
    let accepts_before = remote.received.accepts.load(Relaxed);
    let creates_before = remote.received.creates.load(Relaxed);
    let follows: Vec<_> = (0..remote.count)
        .map(|n| (n, remote.follow(n, &site)))
        .collect();
    let prepared = remote.sign_all(&server.url("/inbox"), follows).await?;
    let started = Instant::now();
    send_all(server, prepared, "follows").await?;
    let done = remote
        .wait_for(
            &remote.received.accepts,
            accepts_before + remote.count as u64,
            Duration::from_secs(300),
        )
        .await?;
    let accepts_per_sec = remote.count as f64 / (done - started).as_secs_f64();
    // The article registrations are not counted: the clock starts with the first one.
    let expected = (articles * remote.count) as u64;
    let started = Instant::now();
    for k in 0..articles {
        server
            .register_article(
                &format!("{SITE_ORIGIN}/bench/{label}-fanout-{k}"),
                &format!("Nouvel article {k}"),
            )
            .await?;
    }
    let done = remote
        .wait_for(
            &remote.received.creates,
            creates_before + expected,
            Duration::from_secs(600),
        )
        .await?;
    Ok(Fanout {
        followers: remote.count,
        accepts_per_sec,
        deliveries: expected,
        deliveries_per_sec: expected as f64 / (done - started).as_secs_f64(),
    })
}
