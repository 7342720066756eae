//! Windows, where a process cannot be replaced: the target runs as a child tied to this
//! process by a kill-on-close job, with Ctrl+C left to it, and its exit code is returned.
//!
//! A job that cannot be set up does not stop the target from running: the user's command
//! matters more than cleaning up after a killed shim, and some hosts refuse nested jobs
//! (Windows 7 inside a job without breakaway). The failure is not dropped either: with
//! `PYV_DEBUG` set it is printed as one `pyv: debug:` line on stderr; otherwise stderr
//! stays the target's alone.

use super::Args;
use pyv_windows::{cmdline, console, job::Job};
use std::ffi::OsString;
use std::io;
use std::os::windows::process::CommandExt;
use std::path::Path;
use std::process::Command;

/// Runs the target, waits for it and returns its exit code.
pub fn replace_process(target: &Path, args: Args<'_>, path: &Option<OsString>) -> io::Result<i32> {
    spawn_and_wait(target, args, path)
}

/// Runs the target as a child and returns its exit code.
pub fn spawn_and_wait(target: &Path, args: Args<'_>, path: &Option<OsString>) -> io::Result<i32> {
    if let Err(e) = console::ignore_ctrl_c() {
        debug(format_args!("cannot leave Ctrl+C to the child: {e}"));
    }
    let mut child = command(target, args, path).spawn()?;
    // Held until the child has exited; dropping it then kills nothing, as the processes
    // the child started are not in the job (SILENT_BREAKAWAY_OK).
    let _job = match Job::kill_on_close().and_then(|job| job.assign(&child).map(|()| job)) {
        Ok(job) => Some(job),
        Err(e) => {
            debug(format_args!(
                "'{}' runs without a job object, so it outlives this process if this one is killed: {e}",
                target.display()
            ));
            None
        }
    };
    let status = child.wait()?;
    Ok(status.code().unwrap_or(1))
}

fn command(target: &Path, args: Args<'_>, path: &Option<OsString>) -> Command {
    let mut c = Command::new(target);
    match args {
        Args::Forward(_) => {
            let tail = cmdline::command_line_tail();
            if !tail.is_empty() {
                c.raw_arg(tail);
            }
        }
        Args::Given(a) => {
            c.args(a);
        }
    }
    if let Some(p) = path {
        c.env("PATH", p);
    }
    c
}

/// One diagnostic line, only when `PYV_DEBUG` is set to something: read here, on the
/// failure path, so a normal run costs nothing.
fn debug(what: std::fmt::Arguments<'_>) {
    if std::env::var_os("PYV_DEBUG").is_some_and(|v| !v.is_empty()) {
        eprintln!("{}: debug: {what}", crate::prog::name());
    }
}
