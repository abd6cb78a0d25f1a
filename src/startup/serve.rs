//! The serve loop: HTTP/1.1 connections accepted and watched by us rather than by
//! `axum::serve`, which has no header-read timeout, no idle timeout and no connection
//! cap (400 half-sent requests held it for ever; 1,000 idle sockets locked readers out).
//!
//! Each connection is in one phase: `HEAD` (a request head is coming: since the accept,
//! or since the first byte after an idle spell), `IDLE` (keep-alive, between requests)
//! or `BUSY` (a request is being served, until its response body is written). A
//! watchdog per connection closes it when `HEAD` outlasts the header timeout or `IDLE`
//! the idle timeout. hyper's own `header_read_timeout` runs from the moment it waits
//! for a head, idle time included (hyper#3828), so it is set to the sum of both as a
//! backstop only. A request body must arrive whole within the body timeout, and a
//! response the client stops reading may stall at most the idle timeout. Past the
//! connection cap, a newcomer closes the connection that has waited longest without
//! being served (idle or still sending its head); when all are busy it is refused.

use axum::{body::Body, extract::ConnectInfo, Router};
use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::{
    collections::HashMap,
    convert::Infallible,
    future::Future,
    net::SocketAddr,
    pin::Pin,
    sync::{
        atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{watch, Notify, Semaphore},
};
use tower::ServiceExt;

/// The timeouts and the cap of one listener.
#[derive(Clone, Copy, Debug)]
pub struct ServeOptions {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub body_timeout: Duration,
    pub max_connections: usize,
}

impl From<&crate::config::ServerSettings> for ServeOptions {
    fn from(s: &crate::config::ServerSettings) -> Self {
        Self {
            header_timeout: Duration::from_secs(s.header_read_timeout_secs.max(1)),
            idle_timeout: Duration::from_secs(s.idle_timeout_secs.max(1)),
            body_timeout: Duration::from_secs(s.request_body_timeout_secs.max(1)),
            max_connections: s.max_connections.clamp(1, u32::MAX as usize >> 4),
        }
    }
}

const HEAD: u8 = 0;
const IDLE: u8 = 1;
const BUSY: u8 = 2;
const KILLED: u8 = 3;

/// What the watchdog, the reader of the socket and the service share.
struct ConnState {
    phase: AtomicU8,
    /// When the phase began, in ms since `Shared::epoch`.
    since: AtomicU64,
    /// When a response write last found the socket full (ms since the epoch, plus 1;
    /// 0 while writes progress): a reader that never reads holds a busy connection.
    stalled: AtomicU64,
    /// Wakes the watchdog: the phase changed (its deadline moved) or it was killed.
    wake: Notify,
}

struct Shared {
    options: ServeOptions,
    epoch: Instant,
    slots: Arc<Semaphore>,
    /// Newcomers waiting for an evicted connection's slot.
    waiting: AtomicUsize,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<ConnState>>>,
    stopping: watch::Receiver<bool>,
}

impl Shared {
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn register(&self, conn: Arc<ConnState>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut open) = self.open.lock() {
            open.insert(id, conn);
        }
        id
    }

    fn unregister(&self, id: u64) {
        if let Ok(mut open) = self.open.lock() {
            open.remove(&id);
        }
    }

    /// Closes the connection that has waited longest without being served; false when
    /// every connection is busy.
    fn evict_one(&self) -> bool {
        let Ok(open) = self.open.lock() else {
            return false;
        };
        let mut candidates: Vec<&Arc<ConnState>> = open
            .values()
            .filter(|c| matches!(c.phase.load(Ordering::Acquire), HEAD | IDLE))
            .collect();
        candidates.sort_by_key(|c| c.since.load(Ordering::Relaxed));
        for conn in candidates {
            for phase in [HEAD, IDLE] {
                if conn
                    .phase
                    .compare_exchange(phase, KILLED, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
                {
                    conn.wake.notify_one();
                    return true;
                }
            }
        }
        false
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the open
/// connections finish their requests (idle ones close at once) and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopping) = watch::channel(false);
    let shared = Arc::new(Shared {
        options,
        epoch: Instant::now(),
        slots: Arc::new(Semaphore::new(options.max_connections)),
        waiting: AtomicUsize::new(0),
        next_id: AtomicU64::new(0),
        open: Mutex::new(HashMap::new()),
        stopping,
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .keep_alive(true)
        .header_read_timeout(options.header_timeout + options.idle_timeout);
    let builder = Arc::new(builder);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    // Responses are written whole; don't hold their last segment back.
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(connection(
                        shared.clone(),
                        builder.clone(),
                        router.clone(),
                        stream,
                        peer,
                    ));
                }
                Err(e) => accept_failed(&shared, e).await,
            },
        }
    }
    drop(listener);
    let _ = stop.send(true);
    // Every connection holds a slot until it is gone: having them all back means done.
    let _ = shared
        .slots
        .acquire_many(options.max_connections as u32)
        .await;
    Ok(())
}

/// Out of descriptors (EMFILE/ENFILE) or a connection reset before accept: free a
/// descriptor by closing the longest-waiting idle connection, and don't spin.
async fn accept_failed(shared: &Shared, e: std::io::Error) {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted
    ) {
        return;
    }
    tracing::warn!(error = %e, "accept failed");
    shared.evict_one();
    tokio::time::sleep(Duration::from_millis(20)).await;
}

async fn connection(
    shared: Arc<Shared>,
    builder: Arc<hyper::server::conn::http1::Builder>,
    router: Router,
    stream: TcpStream,
    peer: SocketAddr,
) {
    let options = shared.options;
    let _permit = match shared.slots.clone().try_acquire_owned() {
        Ok(permit) => permit,
        Err(_) => {
            // Bounded, so a flood of newcomers is refused rather than queued.
            let waiting = shared.waiting.fetch_add(1, Ordering::AcqRel);
            let permit = if waiting < (options.max_connections / 8).max(16) && shared.evict_one() {
                tokio::time::timeout(Duration::from_secs(1), shared.slots.clone().acquire_owned())
                    .await
                    .ok()
                    .and_then(Result::ok)
            } else {
                None
            };
            shared.waiting.fetch_sub(1, Ordering::AcqRel);
            match permit {
                Some(permit) => permit,
                // All busy: close at once, the client may retry.
                None => return,
            }
        }
    };
    let conn = Arc::new(ConnState {
        phase: AtomicU8::new(HEAD),
        since: AtomicU64::new(shared.now_ms()),
        stalled: AtomicU64::new(0),
        wake: Notify::new(),
    });
    let id = shared.register(conn.clone());
    let io = TokioIo::new(Watched {
        inner: stream,
        conn: conn.clone(),
        shared: shared.clone(),
    });
    let service = {
        let (conn, shared) = (conn.clone(), shared.clone());
        hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            conn.phase.store(BUSY, Ordering::Release);
            request.extensions_mut().insert(ConnectInfo(peer));
            let request = request.map(|body| {
                if body.is_end_stream() {
                    Body::new(body)
                } else {
                    Body::new(Deadline {
                        inner: body,
                        sleep: Box::pin(tokio::time::sleep(options.body_timeout)),
                    })
                }
            });
            let router = router.clone();
            let guard = BusyGuard {
                conn: conn.clone(),
                shared: shared.clone(),
            };
            async move {
                let response = match router.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                Ok::<_, Infallible>(response.map(|inner| Guarded {
                    inner,
                    _guard: guard,
                }))
            }
        })
    };
    let http = builder.serve_connection(io, service);
    tokio::pin!(http);
    let mut stopping = shared.stopping.clone();
    let mut graceful = *stopping.borrow();
    if graceful {
        http.as_mut().graceful_shutdown();
    }
    loop {
        let deadline = deadline(&conn, &shared);
        tokio::select! {
            _ = http.as_mut() => break,
            () = conn.wake.notified() => {
                if expired(&conn, &shared) {
                    break;
                }
            }
            () = tokio::time::sleep_until(deadline) => {
                if expired(&conn, &shared) {
                    break;
                }
            }
            changed = stopping.changed(), if !graceful => {
                if changed.is_err() || *stopping.borrow() {
                    graceful = true;
                    http.as_mut().graceful_shutdown();
                }
            }
        }
    }
    shared.unregister(id);
}

fn deadline(conn: &ConnState, shared: &Shared) -> tokio::time::Instant {
    let o = &shared.options;
    let since = shared.epoch + Duration::from_millis(conn.since.load(Ordering::Relaxed));
    let at = match conn.phase.load(Ordering::Acquire) {
        HEAD => since + o.header_timeout,
        IDLE => since + o.idle_timeout,
        KILLED => Instant::now(),
        // Served: the request body has its own deadline and the end of the response
        // wakes us; a response the client does not read may stall for the idle timeout.
        _ => match conn.stalled.load(Ordering::Relaxed) {
            0 => Instant::now() + o.idle_timeout,
            at => shared.epoch + Duration::from_millis(at - 1) + o.idle_timeout,
        },
    };
    tokio::time::Instant::from_std(at)
}

fn expired(conn: &ConnState, shared: &Shared) -> bool {
    let o = &shared.options;
    let waited = Duration::from_millis(
        shared
            .now_ms()
            .saturating_sub(conn.since.load(Ordering::Relaxed)),
    );
    match conn.phase.load(Ordering::Acquire) {
        HEAD => waited >= o.header_timeout,
        IDLE => waited >= o.idle_timeout,
        KILLED => true,
        _ => match conn.stalled.load(Ordering::Relaxed) {
            0 => false,
            at => shared.now_ms().saturating_sub(at - 1) >= o.idle_timeout.as_millis() as u64,
        },
    }
}

/// The socket, noting the first byte of a head after an idle spell.
struct Watched {
    inner: TcpStream,
    conn: Arc<ConnState>,
    shared: Arc<Shared>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before && self.conn.phase.load(Ordering::Acquire) == IDLE {
            // Stamp first, then flip: the watchdog never pairs HEAD with an idle stamp.
            self.conn
                .since
                .store(self.shared.now_ms(), Ordering::Relaxed);
            let _ =
                self.conn
                    .phase
                    .compare_exchange(IDLE, HEAD, Ordering::AcqRel, Ordering::Relaxed);
        }
        result
    }
}

impl Watched {
    /// Notes whether a write found the socket full, for the slow-reader deadline.
    fn wrote<T>(&self, result: &Poll<T>) {
        match result {
            Poll::Pending => {
                if self.conn.stalled.load(Ordering::Relaxed) == 0 {
                    self.conn
                        .stalled
                        .store(self.shared.now_ms() + 1, Ordering::Relaxed);
                }
            }
            Poll::Ready(_) => {
                if self.conn.stalled.load(Ordering::Relaxed) != 0 {
                    self.conn.stalled.store(0, Ordering::Relaxed);
                }
            }
        }
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.wrote(&result);
        result
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.wrote(&result);
        result
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Marks the connection idle once the response is written (its body dropped).
struct BusyGuard {
    conn: Arc<ConnState>,
    shared: Arc<Shared>,
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.conn
            .since
            .store(self.shared.now_ms(), Ordering::Relaxed);
        if self
            .conn
            .phase
            .compare_exchange(BUSY, IDLE, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            self.conn.wake.notify_one();
        }
    }
}

/// A response body that holds the connection busy until it is dropped.
struct Guarded {
    inner: Body,
    _guard: BusyGuard,
}

impl HttpBody for Guarded {
    type Data = Bytes;
    type Error = axum::Error;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }
    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A request body that fails once the body timeout has passed since its head.
struct Deadline {
    inner: Incoming,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl HttpBody for Deadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err("request body timed out".into()))),
            Poll::Pending => Poll::Pending,
        }
    }
    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
