//! Building and running the application. `Application::build` binds first, so tests
//! can start it on port 0 with a fresh database and learn the port; a `public_url`
//! with port 0 takes the bound port.

mod serve;
pub use serve::ServeOptions;

use crate::{
    config::Settings,
    federation::{fetch::Fetcher, signatures::Signer},
    http, services,
    state::{AppState, Inner, Urls},
    storage,
};
use std::{future::Future, sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::Notify};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("keys: {0}")]
    Keys(String),
    #[error("http client: {0}")]
    Client(String),
}

/// Builds the state every entry point shares (server, CLI, workers).
pub async fn init_state(settings: Settings) -> Result<AppState, StartupError> {
    // One TLS provider for the whole process: ring (no aws-lc build). A second call
    // (two instances in one test process) finds it installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = storage::connect(&settings.database).await?;
    let urls = Urls::new(&settings.server.public_url);
    let instance_keys = services::articles::sites::keypair(&db, "instance").await?;
    let instance_signer = Arc::new(
        Signer::from_pkcs8_pem(urls.instance_key_id(), &instance_keys.private_key_pem)
            .map_err(|e| StartupError::Keys(e.to_string()))?,
    );
    let sites = services::articles::sites::bootstrap(&db, &settings, &urls).await?;
    let failing_hosts = storage::host_health::failing(&db)
        .await?
        .into_iter()
        .map(|h| h.host)
        .collect();
    let federation = &settings.federation;
    let fetcher = Fetcher::new(
        federation.allow_private_networks,
        Duration::from_secs(federation.request_timeout_secs),
        federation.max_fetch_bytes,
        instance_signer.clone(),
    )
    .map_err(|e| StartupError::Client(e.to_string()))?;
    let durability = crate::storage::Durability::for_url(&settings.database.url);
    let inbox_writer =
        crate::runtime::group_commit::GroupCommit::start(db.clone(), durability.clone());
    let state = AppState::new(Inner {
        db,
        inbox_writer,
        durability,
        recent: Default::default(),
        fetcher,
        urls,
        instance_signer,
        instance_public_key_pem: instance_keys.public_key_pem,
        sites,
        inbox_wakeup: Notify::new(),
        delivery_wakeup: Notify::new(),
        moderation: Default::default(),
        report_limiter: Default::default(),
        logins: crate::runtime::login_guard::LoginGuard::new(&settings.auth),
        autoregistry: Default::default(),
        crawl_budget: Default::default(),
        blocklist_keys: Default::default(),
        limits: crate::state::Limits::new(&settings),
        metrics: Default::default(),
        process_id: uuid::Uuid::new_v4().to_string(),
        failing_hosts: std::sync::Mutex::new(failing_hosts),
        heartbeats: Default::default(),
        reads: crate::runtime::read_cache::ReadCache::new(64 << 20),
        settings,
    });
    services::judging::reload_domains(&state).await?;
    Ok(state)
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    /// `server.metrics_listen`, when set.
    metrics_listener: Option<TcpListener>,
    state: AppState,
}

impl Application {
    pub async fn build(mut settings: Settings) -> Result<Self, StartupError> {
        let addr = settings.server.listen;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartupError::Bind { addr, source })?;
        let bound = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { addr, source })?;
        if settings.server.public_url.port() == Some(0) {
            let _ = settings.server.public_url.set_port(Some(bound.port()));
        }
        let metrics_listener = match settings.server.metrics_listen {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(|source| StartupError::Bind { addr, source })?,
            ),
            None => None,
        };
        if settings.server.trust_forwarded_for {
            tracing::warn!(
                "server.trust_forwarded_for is deprecated: it trusts loopback proxies only; \
                 list your proxies in server.trusted_proxies"
            );
        }
        let state = init_state(settings).await?;
        Ok(Self {
            listener,
            metrics_listener,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The port of the metrics address, when `server.metrics_listen` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
            .map(|a| a.port())
    }

    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until `shutdown` completes, then stops the workers and returns.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut workers = Vec::new();
        if self.state.settings.workers.enabled {
            workers.push(tokio::spawn(services::inbox::run_worker(
                self.state.clone(),
                stop_rx.clone(),
            )));
            workers.push(tokio::spawn(services::delivery::run_worker(
                self.state.clone(),
                stop_rx.clone(),
            )));
            workers.push(tokio::spawn(services::threads::crawl::run_worker(
                self.state.clone(),
                stop_rx.clone(),
            )));
            workers.push(tokio::spawn(services::articles::site_feed::run_worker(
                self.state.clone(),
                stop_rx.clone(),
            )));
            workers.push(tokio::spawn(services::alerts::worker::run_worker(
                self.state.clone(),
                stop_rx.clone(),
            )));
            workers.push(tokio::spawn(services::alerts::digest::run_jobs(
                self.state.clone(),
                stop_rx.clone(),
            )));
            workers.push(tokio::spawn(
                services::blocklists::subscriptions::run_worker(
                    self.state.clone(),
                    stop_rx.clone(),
                ),
            ));
        }
        workers.push(tokio::spawn(services::judging::run_refresher(
            self.state.clone(),
            stop_rx.clone(),
        )));
        let options = ServeOptions::from(&self.state.settings.server);
        // One shutdown for both addresses.
        let (shutdown_tx, shutdown_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = shutdown_tx.send(true);
        });
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let metrics_server = self.metrics_listener.map(|listener| {
            tokio::spawn(serve::serve(
                listener,
                http::metrics_router(self.state.clone()),
                options,
                stopped(shutdown_rx.clone()),
            ))
        });
        let result = serve::serve(
            self.listener,
            http::router(self.state.clone()),
            options,
            stopped(shutdown_rx),
        )
        .await;
        if let Some(server) = metrics_server {
            let _ = server.await;
        }
        let _ = stop_tx.send(true);
        for worker in workers {
            let _ = worker.await;
        }
        result
    }
}

/// Raises this process's soft limit on open descriptors to the hard limit (Linux
/// starts services at 1,024 while allowing far more, and each connection is one
/// descriptor). Returns the (soft, hard) limits now in force.
pub fn raise_open_files_limit() -> std::io::Result<(u64, u64)> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid rlimit for getrlimit to fill.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: a valid rlimit, read above; raising soft up to hard needs no privilege.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        limit = raised;
    }
    // `rlim_t` is u64 on Linux, not everywhere.
    #[allow(clippy::unnecessary_cast)]
    Ok((limit.rlim_cur as u64, limit.rlim_max as u64))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_soft_open_files_limit_is_raised_to_the_hard_limit() {
        let (soft, hard) = super::raise_open_files_limit().unwrap();
        assert_eq!(soft, hard);
        let mut now = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: a valid rlimit to fill.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut now) }, 0);
        assert_eq!(now.rlim_cur, now.rlim_max);
    }
}
