//! Reading a password at the command line: from an interactive prompt without echo
//! (asked twice), or the first line of stdin when stdin is not a terminal (scripts:
//! `printf '%s\n' "$PW" | tribune staff passwd lea`). Never from the arguments, which
//! other users of the machine can read in the process list.

use std::io::{BufRead, IsTerminal, Write};

/// Echo off on stdin while it lives, restored when dropped (even on an error).
struct NoEcho {
    saved: libc::termios,
}

impl NoEcho {
    fn new() -> Option<Self> {
        // SAFETY: tcgetattr/tcsetattr on fd 0 with a termios we own; a failure (not a
        // terminal) is reported by the return value, and nothing is changed then.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut saved) != 0 {
                return None;
            }
            let mut quiet = saved;
            quiet.c_lflag &= !libc::ECHO;
            quiet.c_lflag |= libc::ECHONL;
            if libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &quiet) != 0 {
                return None;
            }
            Some(Self { saved })
        }
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `new` on the same descriptor.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
        }
    }
}

fn line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

fn prompt(text: &str) -> anyhow::Result<String> {
    eprint!("{text}");
    std::io::stderr().flush()?;
    let _quiet = NoEcho::new();
    line()
}

/// The password for `username`: prompted twice on a terminal, else stdin's first line.
pub fn read(username: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        let password = line()?;
        if password.is_empty() {
            anyhow::bail!("no password on stdin");
        }
        return Ok(password);
    }
    let first = prompt(&format!("New password for {username}: "))?;
    let again = prompt("The same again: ")?;
    if first != again {
        anyhow::bail!("the two passwords differ");
    }
    Ok(first)
}
