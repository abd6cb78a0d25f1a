//! `tribune serve` (the default) and `serve --check-config` / `migrate`.

use crate::config::Settings;
use crate::startup::{init_state, raise_open_files_limit, Application};

/// Loads the configuration, migrates, and proves the database takes writes.
pub async fn check(settings: Settings) -> anyhow::Result<()> {
    let state = init_state(settings).await?;
    crate::services::health::check_writable(&state)
        .await
        .map_err(|e| anyhow::anyhow!("database is not writable: {e}"))?;
    println!("ok");
    Ok(())
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    // Each connection is a descriptor: the default soft limit (1,024) would let ~1,000
    // idle sockets lock readers out.
    match raise_open_files_limit() {
        Ok((soft, _)) if (soft as usize) < settings.server.max_connections + 256 => {
            tracing::warn!(
                open_files = soft,
                max_connections = settings.server.max_connections,
                "the open-files limit is below server.max_connections plus headroom"
            )
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot raise the open-files limit"),
    }
    let app = Application::build(settings).await?;
    let state = app.state();
    tracing::info!(
        listen = %state.settings.server.listen,
        public_url = %state.settings.server.public_url,
        sites = state.sites.len(),
        "tribune serving"
    );
    app.run_until_stopped(shutdown_signal()).await?;
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
