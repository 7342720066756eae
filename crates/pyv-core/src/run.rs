//! Running a version's command (for shims and `pyv exec`): on Unix the caller becomes the
//! target (exec); on Windows, where a process cannot be replaced, it spawns the target,
//! waits and returns its exit code. Each platform module has the same two functions.

use std::ffi::OsString;

#[cfg(unix)]
#[path = "run/unix.rs"]
mod platform;
#[cfg(windows)]
#[path = "run/windows.rs"]
mod platform;

/// `replace_process(target, args, path)`: becomes the target where the OS allows it;
/// returns only on failure (Unix) or with the child's exit code (Windows).
///
/// `spawn_and_wait(target, args, path)`: runs the target as a child and returns its exit
/// code (the shim rehashes afterwards). A child killed by a signal gets the shells' code
/// (128 + signal).
pub use platform::{replace_process, spawn_and_wait};

/// The target's arguments.
#[derive(Clone, Copy)]
pub enum Args<'a> {
    /// This process's own arguments, forwarded as given (a shim). On Windows the original
    /// command line tail is passed on untouched, since re-quoting parsed arguments would
    /// change quotes, `^` and `%` in ways the target's parser may not undo.
    Forward(&'a [OsString]),
    /// Arguments chosen by the caller (`pyv exec <cmd> <args>`).
    Given(&'a [OsString]),
}
