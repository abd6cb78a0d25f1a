//! The `tribune` command as an operator runs it: configuration errors and `article add`.

use crate::helpers::tribune_command as tribune;

#[test]
fn a_bad_config_value_exits_non_zero_with_a_one_line_error_naming_the_key() {
    let output = tribune()
        .env("TRIBUNE_SERVER__LISTEN", "not-an-address")
        .arg("serve")
        .arg("--check-config")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .expect("an error line");
    assert!(line.contains("server.listen"), "{line}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1
    );
}

#[test]
fn article_add_registers_an_article_from_the_command_line() {
    let db = std::env::temp_dir().join(format!("tribune-cli-{}.db", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let run = || {
        tribune()
            .env("TRIBUNE_DATABASE__URL", &url)
            .args([
                "article",
                "add",
                "--site",
                "demo",
                "--url",
                "http://127.0.0.1:8000/2026/cli",
            ])
            .args(["--title", "From the CLI", "--summary", "Hello"])
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(json["created"], true);
    assert_eq!(json["title"], "From the CLI");
    assert_eq!(json["ap_id"], "http://127.0.0.1:8080/articles/1");
    let second: serde_json::Value = serde_json::from_slice(&run().stdout).unwrap();
    assert_eq!(second["created"], false);
    assert_eq!(second["id"], json["id"]);
}

#[test]
fn an_unreachable_database_exits_non_zero() {
    let output = tribune()
        .env(
            "TRIBUNE_DATABASE__URL",
            "postgres://nobody@127.0.0.1:1/none",
        )
        .args(["serve", "--check-config"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with("error: database")),
        "{stderr}"
    );
}

#[test]
fn recheck_shows_what_would_change_from_the_command_line() {
    let db = std::env::temp_dir().join(format!("tribune-cli-{}.db", uuid::Uuid::new_v4()));
    let output = tribune()
        .env(
            "TRIBUNE_DATABASE__URL",
            format!("sqlite://{}?mode=rwc", db.display()),
        )
        .args(["recheck", "--site", "demo"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("0 comment(s) would change"));
    let unknown = tribune()
        .env(
            "TRIBUNE_DATABASE__URL",
            format!("sqlite://{}?mode=rwc", db.display()),
        )
        .args(["recheck", "--site", "nope"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
}

#[test]
fn the_production_config_in_deploy_passes_the_check() {
    // The database URL is the one secret given by the environment in production.
    let db = std::env::temp_dir().join(format!("tribune-prod-{}.db", uuid::Uuid::new_v4()));
    let output = tribune()
        .env("TRIBUNE_CONFIG", "deploy/production.toml")
        .env(
            "TRIBUNE_DATABASE__URL",
            format!("sqlite://{}?mode=rwc", db.display()),
        )
        .env(
            "TRIBUNE_ADMIN__TOKEN",
            "a-long-random-token-of-at-least-32-characters",
        )
        .args(["serve", "--check-config"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let production = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/production.toml"),
    )
    .unwrap();
    assert!(production.contains("allow_private_networks = false"));
}
