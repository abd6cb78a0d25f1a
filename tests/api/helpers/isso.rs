//! A real Isso (0.14, from PyPI) on a loopback port, to make the database an import
//! reads: comments posted, edited, deleted and approved through its own HTTP API.

use super::{free_port, python_bin};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Isso {
    child: Child,
    pub base: String,
    pub db: PathBuf,
    client: reqwest::Client,
}

/// What Isso answered a new comment: its JSON and the cookie that lets its author
/// edit or delete it.
pub struct Posted {
    pub status: u16,
    pub comment: Value,
    pub cookie: String,
}

impl Isso {
    /// Starts Isso with a fresh database; `moderated` holds new comments (mode 2).
    pub async fn start(moderated: bool) -> Isso {
        // No Tribune server in this process may have installed the client's TLS provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let isso = tokio::task::spawn_blocking(|| python_bin("isso"))
            .await
            .unwrap();
        let dir = std::env::temp_dir().join(format!("tribune-isso-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = free_port();
        let db = dir.join("comments.db");
        let config = dir.join("isso.cfg");
        std::fs::write(
            &config,
            format!(
                "[general]\ndbpath = {db}\nhost = http://127.0.0.1:{port}/\nnotify = stdout\n\
                 [moderation]\nenabled = {moderated}\n[server]\nlisten = http://127.0.0.1:{port}\n\
                 [guard]\nenabled = false\n[hash]\nsalt = Eech7co8Ohloopo9Ol6baimi\nalgorithm = pbkdf2\n",
                db = db.display()
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.join("isso.log")).unwrap();
        let child = Command::new(isso)
            .arg("-c")
            .arg(&config)
            .arg("run")
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start isso");
        let isso = Isso {
            child,
            base: format!("http://127.0.0.1:{port}"),
            db,
            client: reqwest::Client::new(),
        };
        // Python starts slowly on a busy machine: a longer deadline than `eventually`.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let up = isso
                .client
                .get(format!("{}/config", isso.base))
                .send()
                .await;
            if up.is_ok_and(|r| r.status() == 200) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "Isso did not start: {}",
                std::fs::read_to_string(dir.join("isso.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        isso
    }

    /// `POST /new?uri=…` as Isso's embed does.
    pub async fn post(&self, uri: &str, body: Value) -> Posted {
        let response = self
            .client
            .post(format!("{}/new", self.base))
            .query(&[("uri", uri)])
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let cookie = cookie(&response);
        let comment: Value = response.json().await.unwrap();
        assert!(status == 201 || status == 202, "{status} {comment}");
        Posted {
            status,
            comment,
            cookie,
        }
    }

    /// The author edits their comment (Isso sets `modified`); the new cookie.
    pub async fn edit(&self, posted: &Posted, text: &str) -> String {
        let id = posted.comment["id"].as_i64().unwrap();
        let response = self
            .client
            .put(format!("{}/id/{id}", self.base))
            .header("cookie", &posted.cookie)
            .json(&serde_json::json!({"text": text}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        cookie(&response)
    }

    /// The author deletes their comment (kept as mode 4 when it has replies).
    pub async fn delete(&self, id: i64, cookie: &str) {
        let response = self
            .client
            .delete(format!("{}/id/{id}", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }

    /// The moderator's "activate" link, signed with the database's session key as
    /// Isso signs the links it mails.
    pub async fn activate(&self, id: i64) {
        let db = self.db.clone();
        let key = tokio::task::spawn_blocking(move || {
            let script = "import sqlite3, sys\nfrom itsdangerous import URLSafeTimedSerializer\n\
                key = sqlite3.connect(sys.argv[1]).execute(\"SELECT value FROM preferences WHERE key='session-key'\").fetchone()[0]\n\
                print(URLSafeTimedSerializer(key).dumps(int(sys.argv[2])))";
            let out = Command::new(python_bin("python"))
                .arg("-c")
                .arg(script)
                .arg(&db)
                .arg(id.to_string())
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        })
        .await
        .unwrap();
        let response = self
            .client
            .post(format!("{}/id/{id}/activate/{key}", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }

    /// Stops Isso; its database file stays for the import.
    pub fn stop(mut self) -> PathBuf {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.db.clone()
    }
}

impl Drop for Isso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `name=value` of Isso's `Set-Cookie` (the comment's edit token).
fn cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| !v.starts_with("isso-"))
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_string()
}
