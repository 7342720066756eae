//! A stand-in for `python`, `pip` and console scripts in the end-to-end tests: a real
//! program (Windows cannot start a `#!/bin/sh` script named `.exe`), copied into the fake
//! versions under each name by `pyv_tests::fake_program`.
//!
//! It prints `<its file name> <version>`, then each argument as `[arg]` on its own line;
//! with `FAKE_ENV=<VAR>` it then prints `<VAR>=<value>`; with `FAKE_STDIN` set it copies
//! standard input to standard output; it exits with `FAKE_EXIT` (default 0). Called as
//! `<program> install <name>` it behaves like pip: it writes the console script
//! `<its folder>/<name><SCRIPT_EXT>`, a runnable copy of itself.
//!
//! The version is read from the sidecar file `<its path>.version`, written next to each copy,
//! so a fake outside `versions/` (a "system" Python) has one too.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("fakepython: {msg}");
            ExitCode::from(99)
        }
    }
}

fn run() -> Result<u8, String> {
    let me = std::env::current_exe().map_err(|e| format!("own path: {e}"))?;
    let name = me
        .file_name()
        .ok_or("own path has no file name")?
        .to_string_lossy()
        .into_owned();
    let version_file = sidecar(&me);
    let version = std::fs::read_to_string(&version_file)
        .map_err(|e| format!("{}: {e}", version_file.display()))?;
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();

    let mut out = String::new();
    out.push_str(&format!("{name} {}\n", version.trim()));
    for a in &args {
        out.push_str(&format!("[{}]\n", a.to_string_lossy()));
    }
    if let Some(var) = std::env::var_os("FAKE_ENV") {
        let value = std::env::var_os(&var).unwrap_or_default();
        out.push_str(&format!(
            "{}={}\n",
            var.to_string_lossy(),
            value.to_string_lossy()
        ));
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .map_err(|e| format!("stdout: {e}"))?;
    if std::env::var_os("FAKE_STDIN").is_some_and(|v| !v.is_empty()) {
        std::io::copy(&mut std::io::stdin().lock(), &mut stdout)
            .map_err(|e| format!("stdin to stdout: {e}"))?;
    }
    stdout.flush().map_err(|e| format!("stdout: {e}"))?;

    if args.first().is_some_and(|a| a == "install") {
        let script = args.get(1).ok_or("install: no name given")?;
        let mut file = script.clone();
        file.push(std::env::var_os("SCRIPT_EXT").unwrap_or_default());
        let dir = me.parent().ok_or("own path has no folder")?;
        install_copy(&me, &dir.join(file), version.trim())?;
    }

    let code = match std::env::var("FAKE_EXIT") {
        Ok(v) => v
            .parse::<u8>()
            .map_err(|_| format!("FAKE_EXIT={v}: not an exit code 0-255"))?,
        Err(_) => 0,
    };
    Ok(code)
}

/// Where the version of the fake at `program` is kept (`pyv_tests::fake_program` writes it).
fn sidecar(program: &Path) -> PathBuf {
    let mut s = program.as_os_str().to_owned();
    s.push(".version");
    PathBuf::from(s)
}

/// A runnable copy of this program at `to` (`fs::copy` keeps the executable bit on Unix).
fn install_copy(me: &Path, to: &Path, version: &str) -> Result<(), String> {
    std::fs::copy(me, to).map_err(|e| format!("copy to {}: {e}", to.display()))?;
    std::fs::write(sidecar(to), version).map_err(|e| format!("{}: {e}", to.display()))
}
