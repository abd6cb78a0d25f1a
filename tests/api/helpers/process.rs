//! The real `tribune` binary as an operator runs it, for what only a separate process
//! shows: `kill -9` and restarts, signals, the command line and resource limits.

use super::app::{eventually, fresh_database_url, ADMIN_TOKEN};
use std::process::{Child, Command, Stdio};

/// The `tribune` binary, run from the repository with none of our environment's
/// `TRIBUNE_*` settings.
pub fn tribune_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tribune"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    for (key, _) in std::env::vars() {
        if key.starts_with("TRIBUNE_") {
            command.env_remove(key);
        }
    }
    command
}

/// The binary serving (its default command) on `port` and `database`, quiet (the tests read its answers, not its
/// output); callers add the rest of the environment.
pub fn serve_command(port: u16, database: &str) -> Command {
    let mut command = tribune_command();
    command
        .env("TRIBUNE_DATABASE__URL", database)
        .env("TRIBUNE_SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .env(
            "TRIBUNE_SERVER__PUBLIC_URL",
            format!("http://127.0.0.1:{port}"),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// What a test of the binary starts from: `(port, database, base, client)`, a free
/// port, a fresh database, the base URL the binary will answer on, and a client.
pub async fn binary_setup() -> (u16, String, String, reqwest::Client) {
    // No server in this process: the client's TLS provider is ours to install.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = free_port();
    let database = fresh_database_url().await;
    let base = format!("http://127.0.0.1:{port}");
    (port, database, base, reqwest::Client::new())
}

/// The binary as an operator runs it, on `port` and `database`.
pub fn start_binary(port: u16, database: &str, env: &[(&str, &str)]) -> Child {
    serve_command(port, database)
        .env("TRIBUNE_ADMIN__TOKEN", ADMIN_TOKEN)
        .env("TRIBUNE_WORKERS__POLL_INTERVAL_MS", "50")
        .env("TRIBUNE_WORKERS__DELIVERY_FIRST_RETRY_MS", "200")
        // What a killed process had claimed comes back after this.
        .env("TRIBUNE_WORKERS__LEASE_SECS", "2")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .spawn()
        .unwrap()
}

pub async fn wait_ready(client: &reqwest::Client, base: &str) {
    eventually("the server to be ready", || async {
        let response = client.get(format!("{base}/readyz")).send().await.ok()?;
        (response.status() == 200).then_some(())
    })
    .await;
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
