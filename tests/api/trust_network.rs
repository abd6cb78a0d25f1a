//! Nobody takes Tribune down from the network side: half-sent requests and idle
//! sockets are closed, readers still get through, `/metrics` is not public, every
//! public document is rate limited, and `X-Forwarded-For` is believed only from the
//! configured proxies.

use crate::helpers::*;
use std::time::{Duration, Instant};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use tribune::{config::Settings, startup::Application};

/// Waits until the server closes `socket` (EOF or reset), at most `within`.
async fn closed_within(socket: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A response (e.g. 408) before the close: keep reading.
            Ok(Ok(_)) => continue,
        }
    }
}

/// A keep-alive connection that has had one request answered (200) and is now idle.
async fn answered_keep_alive(port: u16) -> TcpStream {
    let mut socket = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    socket
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = socket.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    socket
}

#[tokio::test]
async fn half_sent_requests_are_closed_after_the_header_timeout_while_a_reader_is_served() {
    let app = spawn_settings(
        settings_with(|s| {
            s.server.header_read_timeout_secs = 2;
            s.server.max_connections = 1_000;
        })
        .await,
    )
    .await;
    let article = app.add_article("/2026/slowloris", "Slowloris").await;
    let url = article["url"].as_str().unwrap().to_string();
    let port = app.port();

    // 300 clients send the start of a head and stop; 20 more trickle a header byte
    // every 300 ms (each byte arrives well within any per-read timeout).
    let mut stalled = Vec::new();
    for _ in 0..300 {
        let mut socket = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        socket
            .write_all(b"GET /api/v1/threads?url=x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ")
            .await
            .unwrap();
        stalled.push((socket, Instant::now()));
    }
    let mut tricklers = Vec::new();
    for _ in 0..20 {
        let mut socket = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        tricklers.push(tokio::spawn(async move {
            let started = Instant::now();
            let _ = socket.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").await;
            loop {
                if socket.write_all(b"a").await.is_err() {
                    return started.elapsed();
                }
                let mut buf = [0u8; 64];
                match tokio::time::timeout(Duration::from_millis(300), socket.read(&mut buf)).await
                {
                    Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
                    _ => {}
                }
                assert!(started.elapsed() < Duration::from_secs(30), "never closed");
            }
        }));
    }

    // While they hang there, a reader gets the thread.
    let thread = app.thread(&url).await;
    assert_eq!(thread["article"]["url"], url.as_str());

    for (mut socket, sent) in stalled {
        assert!(
            closed_within(&mut socket, Duration::from_secs(20)).await,
            "a half-sent request was never closed"
        );
        assert!(
            sent.elapsed() >= Duration::from_millis(1_900),
            "closed before the header timeout"
        );
    }
    for trickler in tricklers {
        let lasted = trickler.await.unwrap();
        assert!(lasted >= Duration::from_millis(1_900), "{lasted:?}");
    }
    // And the server still answers.
    assert_eq!(app.thread(&url).await["article"]["url"], url.as_str());
}

#[tokio::test]
async fn more_idle_sockets_than_the_connection_cap_do_not_stop_a_new_reader() {
    const CAP: usize = 16;
    let app = spawn_settings(
        settings_with(|s| {
            s.server.max_connections = CAP;
            // Long timeouts: only the cap can make room here.
            s.server.header_read_timeout_secs = 60;
            s.server.idle_timeout_secs = 60;
        })
        .await,
    )
    .await;
    let port = app.port();
    // Idle keep-alive connections that finished a request, then sockets that never send.
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(answered_keep_alive(port).await);
    }
    for _ in 0..(3 * CAP) {
        idle.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    }

    // A new reader, on a connection of its own, is served.
    let reader = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    for _ in 0..3 {
        let response = reader.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    // The server keeps at most CAP connections: the rest of the idle ones were closed.
    let mut closed = 0;
    for socket in idle.iter_mut() {
        if closed_within(socket, Duration::from_millis(200)).await {
            closed += 1;
        }
    }
    assert!(
        closed >= idle.len() + 1 - CAP,
        "only {closed} of {} idle sockets closed with a cap of {CAP}",
        idle.len()
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let app = spawn_settings(
        settings_with(|s| {
            s.server.idle_timeout_secs = 1;
            s.server.header_read_timeout_secs = 30;
        })
        .await,
    )
    .await;
    let mut socket = answered_keep_alive(app.port()).await;
    let answered = Instant::now();
    assert!(closed_within(&mut socket, Duration::from_secs(15)).await);
    assert!(answered.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_request_body_sent_too_slowly_is_cut_off_at_the_body_timeout() {
    let app = spawn_settings(
        settings_with(|s| {
            s.server.request_body_timeout_secs = 1;
            s.server.header_read_timeout_secs = 30;
            s.server.idle_timeout_secs = 30;
        })
        .await,
    )
    .await;
    let mut socket = TcpStream::connect(("127.0.0.1", app.port())).await.unwrap();
    socket
        .write_all(
            b"POST /inbox HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/activity+json\r\n\
              Content-Length: 5000\r\n\r\n{\"type\":",
        )
        .await
        .unwrap();
    let sent = Instant::now();
    // The rest never comes: the server answers (or closes) once the body timeout is up.
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    let outcome = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(outcome.is_ok(), "a stalled body held the connection");
    assert!(sent.elapsed() >= Duration::from_millis(900));
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_client_that_stops_reading_its_responses_is_closed_after_the_idle_timeout() {
    let app = spawn_settings(settings_with(|s| s.server.idle_timeout_secs = 1).await).await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let socket = socket
        .connect(format!("127.0.0.1:{}", app.port()).parse().unwrap())
        .await
        .unwrap();
    // Pipelined requests whose answers (the OpenAPI document, many times) fill every
    // buffer between us, never read.
    let request = b"GET /api/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let mut sent = 0;
    while sent < 400 {
        match socket.try_write(request) {
            Ok(n) if n == request.len() => sent += 1,
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("{e}"),
        }
    }
    assert!(sent > 10);
    // Once the server gives up, what we send meets a closed socket: a reset.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match socket.try_write(b"\r\n") {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => break,
        }
        assert!(
            Instant::now() < deadline,
            "a stalled response held the connection"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_binary_raises_its_soft_open_files_limit_to_the_hard_limit() {
    use std::os::unix::process::CommandExt;
    let database = fresh_database_url().await;
    let port = free_port();
    let mut command = serve_command(port, &database);
    command.env("RUST_LOG", "error");
    // SAFETY: setrlimit is async-signal-safe; it lowers the child's soft limit only, as
    // a service manager's default would.
    unsafe {
        command.pre_exec(|| {
            let mut limit = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
            limit.rlim_cur = limit.rlim_max.min(256);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    wait_ready(&reqwest::Client::new(), &format!("http://127.0.0.1:{port}")).await;
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap();
    let numbers: Vec<&str> = line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .collect();
    assert_eq!(numbers[0], numbers[1], "{line}");
    assert_ne!(numbers[0], "256", "{line}");
}

fn queries(text: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with("tribune_metrics_queue_queries_total"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no query counter in\n{text}"))
}

#[tokio::test]
async fn metrics_need_the_token_and_a_second_scrape_inside_the_cache_window_does_not_query() {
    let app = spawn_app().await;
    let bare = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(bare.status(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let admin = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        admin.status(),
        401,
        "the admin token is not the metrics token"
    );

    let scrape = || async {
        let response = app
            .client
            .get(app.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.text().await.unwrap()
    };
    let first = scrape().await;
    assert_eq!(queries(&first), 1.0);
    assert!(first.contains("tribune_queue_depth{queue=\"inbox\"}"));
    let second = scrape().await;
    assert_eq!(
        queries(&second),
        1.0,
        "the second scrape asked the database again"
    );
}

#[tokio::test]
async fn without_a_token_or_an_address_metrics_are_not_served() {
    let app = spawn_settings(settings_with(|s| s.server.metrics_token.clear()).await).await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn metrics_on_their_own_address_are_gone_from_the_public_one() {
    let settings = settings_with(|s| {
        s.server.metrics_listen = Some("127.0.0.1:0".parse().unwrap());
        s.server.metrics_token.clear();
    })
    .await;
    let app = Application::build(settings).await.unwrap();
    let (port, metrics_port) = (app.port(), app.metrics_port().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let public = client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), 404);
    let private = client
        .get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(private.status(), 200);
    assert!(private
        .text()
        .await
        .unwrap()
        .contains("tribune_queue_depth"));
    let only_metrics = client
        .get(format!(
            "http://127.0.0.1:{metrics_port}/api/v1/threads?url=x"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(only_metrics.status(), 404);
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

async fn limited_app(change: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_settings(
        settings_with(|s| {
            s.limits.public_burst = 3;
            s.limits.public_per_minute = 1;
            change(s);
        })
        .await,
    )
    .await
}

#[tokio::test]
async fn webfinger_and_activitypub_documents_past_the_public_limit_get_429_with_retry_after() {
    let app = limited_app(|_| {}).await;
    let host = app.address.trim_start_matches("http://").to_string();
    let webfinger = app.url(&format!("/.well-known/webfinger?resource=acct:demo@{host}"));
    for _ in 0..3 {
        let response = app.client.get(&webfinger).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    let refused = app.client.get(&webfinger).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=61).contains(&retry), "{retry}");
    // The same bucket covers the other public documents.
    for path in [
        "/articles/1",
        "/sites/demo",
        "/nodeinfo/2.1",
        "/.well-known/nodeinfo",
        "/actor",
        "/comments/1",
        "/blocklist",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 429, "{path}");
    }
}

async fn status_from(app: &TestApp, forwarded_for: &str) -> u16 {
    app.client
        .get(app.url("/nodeinfo/2.1"))
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_forged_forwarded_for_from_an_untrusted_peer_is_charged_to_the_peer() {
    // Trusted: some other network, not the loopback peer of this test.
    let app = limited_app(|s| s.server.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()]).await;
    for n in 0..3 {
        assert_eq!(status_from(&app, &format!("198.51.100.{n}")).await, 200);
    }
    assert_eq!(status_from(&app, "198.51.100.77").await, 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_charged() {
    let app = limited_app(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap(), "10.0.0.0/8".parse().unwrap()]
    })
    .await;
    for _ in 0..3 {
        assert_eq!(status_from(&app, "198.51.100.1").await, 200);
    }
    assert_eq!(status_from(&app, "198.51.100.1").await, 429);
    // Another reader behind the same proxy has a bucket of its own.
    assert_eq!(status_from(&app, "198.51.100.2").await, 200);
    // A hop the exhausted reader writes itself, left of what the proxies appended,
    // buys nothing; an inner trusted proxy's hop is skipped.
    assert_eq!(status_from(&app, "203.0.113.50, 198.51.100.1").await, 429);
    assert_eq!(status_from(&app, "198.51.100.1, 10.1.2.3").await, 429);
}

#[tokio::test]
async fn the_old_trust_forwarded_for_switch_trusts_loopback_proxies_only() {
    let app = limited_app(|s| s.server.trust_forwarded_for = true).await;
    for _ in 0..3 {
        assert_eq!(status_from(&app, "198.51.100.1").await, 200);
    }
    assert_eq!(status_from(&app, "198.51.100.1").await, 429);
    assert_eq!(status_from(&app, "198.51.100.2").await, 200);
}
