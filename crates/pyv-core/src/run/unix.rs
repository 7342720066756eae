//! Unix: the caller becomes the target (exec).

use super::Args;
use std::ffi::OsString;
use std::io;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::Command;

/// Becomes the target; returns only on failure.
pub fn replace_process(target: &Path, args: Args<'_>, path: &Option<OsString>) -> io::Result<i32> {
    // exec only returns on failure.
    Err(command(target, args, path).exec())
}

/// Runs the target as a child and returns its exit code.
pub fn spawn_and_wait(target: &Path, args: Args<'_>, path: &Option<OsString>) -> io::Result<i32> {
    // Signals meant for the command reach it while this process waits (see `signals`).
    let mut forwarding = crate::signals::Forwarding::install()?;
    let mut child = command(target, args, path).spawn()?;
    forwarding.started(child.id());
    let status = child.wait()?;
    // A child killed by a signal: report it the way shells do.
    Ok(status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)))
}

fn command(target: &Path, args: Args<'_>, path: &Option<OsString>) -> Command {
    let mut c = Command::new(target);
    let (Args::Forward(a) | Args::Given(a)) = args;
    c.args(a);
    if let Some(p) = path {
        c.env("PATH", p);
    }
    c
}
