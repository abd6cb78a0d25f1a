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

/// A fresh SQLite database for one command-line test.
fn cli_database() -> String {
    let db = std::env::temp_dir().join(format!("tribune-cli-{}.db", uuid::Uuid::new_v4()));
    format!("sqlite://{}?mode=rwc", db.display())
}

fn run_with(url: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = tribune()
        .env("TRIBUNE_DATABASE__URL", url)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn ok(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn article_list_shows_counts_and_delete_asks_for_yes_by_id_or_url() {
    let url = cli_database();
    for (path, title) in [("/2026/one", "Premier"), ("/2026/two", "Second")] {
        ok(&run_with(
            &url,
            &[
                "article",
                "add",
                "--url",
                &format!("http://127.0.0.1:8000{path}"),
                "--title",
                title,
                "--summary",
                "Le résumé",
            ],
            None,
        ));
    }
    // Adding again without a summary keeps it.
    let again = ok(&run_with(
        &url,
        &["article", "add", "--url", "http://127.0.0.1:8000/2026/one"],
        None,
    ));
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["summary"], "Le résumé");
    assert_eq!(again["title"], "Premier");

    let list = ok(&run_with(&url, &["article", "list"], None));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].starts_with("1\tdemo\t0 comments\t0 highlighted\tpublished\tPremier\thttp://127.0.0.1:8000/2026/one"), "{list}");
    let json = ok(&run_with(&url, &["article", "list", "--json"], None));
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["title"], "Premier");
    assert_eq!(first["comments"], 0);

    let refused = run_with(&url, &["article", "delete", "1"], None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert!(ok(&run_with(&url, &["article", "list"], None)).contains("\tpublished\tPremier"));

    ok(&run_with(&url, &["article", "delete", "1", "--yes"], None));
    ok(&run_with(
        &url,
        &[
            "article",
            "delete",
            "http://127.0.0.1:8000/2026/two",
            "--yes",
        ],
        None,
    ));
    let list = ok(&run_with(&url, &["article", "list"], None));
    assert_eq!(list.matches("\tdeleted\t").count(), 2, "{list}");
    let unknown = run_with(&url, &["article", "delete", "99", "--yes"], None);
    assert!(!unknown.status.success());
}

#[test]
fn staff_list_and_passwd_take_the_password_from_stdin_never_the_arguments() {
    let url = cli_database();
    // `staff add` without --password reads it from stdin too.
    ok(&run_with(
        &url,
        &["staff", "add", "--username", "lea", "--role", "editor"],
        Some("un mot de passe assez long\n"),
    ));
    ok(&run_with(
        &url,
        &[
            "staff",
            "add",
            "--username",
            "camille",
            "--role",
            "admin",
            "--password",
            "encore un long mot de passe",
        ],
        None,
    ));
    let list = ok(&run_with(&url, &["staff", "list"], None));
    assert!(list.contains("1\tlea\teditor\tlea"), "{list}");
    assert!(list.contains("2\tcamille\tadmin\tcamille"), "{list}");

    let changed = ok(&run_with(
        &url,
        &["staff", "passwd", "lea"],
        Some("le nouveau mot de passe\n"),
    ));
    assert!(changed.contains("password of lea changed"), "{changed}");
    let short = run_with(&url, &["staff", "passwd", "lea"], Some("court\n"));
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("10 characters"));
    let empty = run_with(&url, &["staff", "passwd", "lea"], Some(""));
    assert!(!empty.status.success());
    let nobody = run_with(
        &url,
        &["staff", "passwd", "nobody"],
        Some("un mot de passe assez long\n"),
    );
    assert!(!nobody.status.success());
    let help = ok(&run_with(&url, &["staff", "passwd", "--help"], None));
    assert!(!help.contains("--password"), "no password option: {help}");
}

#[tokio::test]
async fn a_password_set_by_staff_passwd_signs_in_and_the_old_one_no_longer_does() {
    let (port, database, base, client) = crate::helpers::binary_setup().await;
    ok(&run_with(
        &database,
        &["staff", "add", "--username", "lea", "--role", "editor"],
        Some("l'ancien mot de passe\n"),
    ));
    ok(&run_with(
        &database,
        &["staff", "passwd", "lea"],
        Some("le nouveau mot de passe\n"),
    ));
    let mut server = crate::helpers::start_binary(port, &database, &[]);
    crate::helpers::wait_ready(&client, &base).await;
    let login = |password: &'static str| {
        client
            .post(format!("{base}/api/v1/auth/token"))
            .json(&serde_json::json!({"username": "lea", "password": password}))
            .send()
    };
    assert_eq!(
        login("le nouveau mot de passe").await.unwrap().status(),
        200
    );
    assert_eq!(login("l'ancien mot de passe").await.unwrap().status(), 401);
    server.kill().unwrap();
    server.wait().unwrap();
}
