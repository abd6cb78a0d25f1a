//! Real third-party programs the tests run beside Tribune (an SMTP server, Isso…),
//! installed from PyPI into one virtual environment under `target/`, created the first
//! time a test asks for it: `cargo test` needs nothing set up beforehand, and a test that
//! needs a program fails (saying why) rather than skip when it cannot be installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The packages every test may use, pinned: installed together, once.
const PACKAGES: &[&str] = &["aiosmtpd==1.4.6", "isso==0.14.0"];

static VENV: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The venv's directory (`target/test-venv`, or `TRIBUNE_TEST_VENV`), with
/// [`PACKAGES`] installed. Tests of one binary share it (the mutex); a later run reuses it.
pub fn python_venv() -> PathBuf {
    let mut venv = VENV.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = venv.as_ref() {
        return path.clone();
    }
    let path = std::env::var_os("TRIBUNE_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-venv"));
    let stamp = path.join(".tribune-packages");
    let wanted = PACKAGES.join("\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        if !path.join("bin/python").exists() {
            run(Command::new("python3").arg("-m").arg("venv").arg(&path));
        }
        run(Command::new(path.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PACKAGES));
        std::fs::write(&stamp, &wanted).expect("write the venv's stamp");
    }
    *venv = Some(path.clone());
    path
}

/// A program of the venv (`aiosmtpd`, `isso`, `python`…).
pub fn python_bin(name: &str) -> PathBuf {
    python_venv().join("bin").join(name)
}

fn run(command: &mut Command) {
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e} (python3 with venv is needed)"));
    assert!(
        status.success(),
        "{command:?} failed ({status}): the tests need PyPI for {PACKAGES:?}"
    );
}
