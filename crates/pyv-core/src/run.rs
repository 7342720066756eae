//! Running a version's command (for shims and `pyv exec`): on Unix the caller becomes the
//! target (exec); on Windows, where a process cannot be replaced, it spawns the target,
//! waits and returns its exit code.

use std::ffi::OsString;
use std::io;
use std::path::Path;
use std::process::Command;

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

/// Becomes the target where the OS allows it; returns only on failure (Unix) or with the
/// child's exit code (Windows).
#[cfg(unix)]
pub fn replace_process(target: &Path, args: Args<'_>, path: &Option<OsString>) -> io::Result<i32> {
    use std::os::unix::process::CommandExt;
    // exec only returns on failure.
    Err(command(target, args, path).exec())
}

#[cfg(windows)]
pub fn replace_process(target: &Path, args: Args<'_>, path: &Option<OsString>) -> io::Result<i32> {
    spawn_and_wait(target, args, path)
}

/// Runs the target as a child and returns its exit code (the shim rehashes afterwards).
pub fn spawn_and_wait(target: &Path, args: Args<'_>, path: &Option<OsString>) -> io::Result<i32> {
    #[cfg(windows)]
    windows::prepare();
    #[cfg(unix)]
    let mut forwarding = crate::signals::Forwarding::install()?;
    let mut child = command(target, args, path).spawn()?;
    #[cfg(unix)]
    forwarding.started(child.id());
    #[cfg(windows)]
    windows::tie_to_job(&child);
    let status = child.wait()?;
    Ok(exit_code(status))
}

#[cfg(unix)]
fn command(target: &Path, args: Args<'_>, path: &Option<OsString>) -> Command {
    let mut c = Command::new(target);
    let (Args::Forward(a) | Args::Given(a)) = args;
    c.args(a);
    if let Some(p) = path {
        c.env("PATH", p);
    }
    c
}

#[cfg(windows)]
fn command(target: &Path, args: Args<'_>, path: &Option<OsString>) -> Command {
    use std::os::windows::process::CommandExt;
    let mut c = Command::new(target);
    match args {
        Args::Forward(_) => {
            let tail = windows::command_line_tail();
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

#[cfg(unix)]
fn exit_code(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    // A child killed by a signal: report it the way shells do.
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

#[cfg(windows)]
fn exit_code(status: std::process::ExitStatus) -> i32 {
    status.code().unwrap_or(1)
}

#[cfg(windows)]
mod windows {
    use std::ffi::OsString;
    use std::os::windows::ffi::OsStringExt;
    use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;
    use windows_sys::Win32::System::Environment::GetCommandLineW;
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
        SetInformationJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
        JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK,
    };

    /// Ctrl+C goes to the whole console; the child decides what it means, the shim just
    /// keeps waiting for it (no "Terminate batch job (Y/N)?").
    pub fn prepare() {
        unsafe {
            SetConsoleCtrlHandler(None, 1);
        }
    }

    /// If the shim is killed, its child goes too (the job closes with the shim's handle).
    pub fn tie_to_job(child: &std::process::Child) {
        use std::os::windows::io::AsRawHandle;
        unsafe {
            let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
            if job.is_null() {
                return;
            }
            let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = std::mem::zeroed();
            info.BasicLimitInformation.LimitFlags =
                JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK;
            SetInformationJobObject(
                job,
                JobObjectExtendedLimitInformation,
                &info as *const _ as *const _,
                std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
            );
            AssignProcessToJobObject(job, child.as_raw_handle() as _);
            // The handle is deliberately kept open until the shim exits.
        }
    }

    /// The arguments part of this process's command line, exactly as it was given.
    pub fn command_line_tail() -> OsString {
        let line: Vec<u16> = unsafe {
            let p = GetCommandLineW();
            let mut n = 0;
            while *p.add(n) != 0 {
                n += 1;
            }
            std::slice::from_raw_parts(p, n).to_vec()
        };
        OsString::from_wide(&line[skip_program_name(&line)..])
    }

    /// Where the arguments start: after the program name (quoted or not, per the rules of
    /// CommandLineToArgvW for argv[0]) and the blanks after it.
    pub fn skip_program_name(line: &[u16]) -> usize {
        let (quote, space, tab) = (b'"' as u16, b' ' as u16, b'\t' as u16);
        let mut i = 0;
        if line.first() == Some(&quote) {
            i = 1;
            while i < line.len() && line[i] != quote {
                i += 1;
            }
            i += 1;
        } else {
            while i < line.len() && line[i] != space && line[i] != tab {
                i += 1;
            }
        }
        while i < line.len() && (line[i] == space || line[i] == tab) {
            i += 1;
        }
        i.min(line.len())
    }
}
