//! Every failure of the versions library, each with the one message users see.
//! Messages name the version, file or command involved and what to type next.

use crate::prog::name as prog;
use crate::quote::user_text;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}; {}", .path.display(), io_next_step(.source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("invalid version '{}' in '{}': a version is a name like 3.12.1, not a path; edit the file or run '{} local <version>'", user_text(.version), .file.display(), prog())]
    InvalidVersionInFile { version: String, file: PathBuf },

    #[error("'{}' is larger than {limit_kib} KiB, the most a version file may hold; a version file lists names like 3.12.1: edit or delete it", .file.display())]
    VersionFileTooLarge { file: PathBuf, limit_kib: u64 },

    #[error("invalid version name '{}': use a name like 3.12.1, 3.12 or system (see '{p} versions')", user_text(.0), p = prog())]
    InvalidVersionName(String),

    #[error("version '{v}' is not installed (set by {origin}); install it with '{} install {v}'", prog(), v = user_text(.version))]
    NotInstalled { version: String, origin: String },

    #[error("version '{v}' not installed; install it with '{p} install {v}' or pick one from '{p} versions'", p = prog(), v = user_text(.0))]
    UnknownVersion(String),

    #[error("No global/local python version has been set yet. Please set the global version by typing: {} global <version> (see '{} versions')", prog(), prog())]
    NoVersionSet,

    #[error("root folder '{}' (from {source_name}) does not exist; create it with '{} install <version>' or fix {source_name}", .path.display(), prog())]
    RootMissing { path: PathBuf, source_name: String },

    #[error("{}: command not found{}", user_text(.command), not_found_hint(.command, .available_in))]
    CommandNotFound {
        command: String,
        available_in: Vec<String>,
    },

    /// The command would start a shim again: a version's file or a `system` Python on PATH
    /// that links back to the shims, or shims that keep starting each other.
    #[error("{}: '{}' leads back to {}'s shims (a loop); point it at a real Python or remove it, then see '{} which {}'", user_text(.command), .target.display(), prog(), prog(), user_text(.command))]
    ShimLoop { command: String, target: PathBuf },

    #[error("no system Python found (searched {searched}); install one or link it with '{} link system <path-to-python-folder>'", prog())]
    NoSystemPython { searched: String },

    #[error("'{}' holds no Python (no python executable in it, its Scripts or bin folder); give the folder that contains python", .0.display())]
    NotAPython(PathBuf),

    #[error("'{}' is a real folder, not a link; {} will not replace it (remove it yourself or pick another name)", .0.display(), prog())]
    WouldReplaceFolder(PathBuf),

    #[error("cannot link '{}' to '{}': {source}", .link.display(), .target.display())]
    Link {
        link: PathBuf,
        target: PathBuf,
        source: std::io::Error,
    },

    /// `PYENV_FORCE_ARCH` names no architecture (the value, as set).
    #[error("{var}={0:?} is not an architecture; set it to AMD64, X86 or ARM64, or unset it", var = crate::arch::FORCE_VAR)]
    BadForcedArch(String),

    /// `PYV_COMPAT` names no mode (the value, as set).
    #[error("{var}='{}' is not a mode pyv knows: set it to pyenv-win or pyenv, or unset it", user_text(.0), var = crate::compat::COMPAT_VAR)]
    BadCompat(String),

    #[error("no shim program found at '{}'; reinstall {} so that pyv-shim sits beside it", .0.display(), prog())]
    ShimMissing(PathBuf),

    /// pyenv mode: a failure worded as pyenv 2.6 words it.
    #[error(transparent)]
    Pyenv(#[from] PyenvError),
}

/// pyenv 2.6's messages, word for word (a script may read them), for pyenv mode. pyv's next
/// step is not part of the message: [`PyenvError::hint`] gives it, and the CLI prints it on
/// its own line only when standard error is a terminal.
#[derive(Debug, thiserror::Error)]
pub enum PyenvError {
    #[error("version `{}' is not installed (set by {origin})", user_text(.version))]
    NotInstalled { version: String, origin: String },

    /// A version named on the command line (`prefix`, `local`, `global`).
    #[error("version `{}' not installed", user_text(.0))]
    UnknownVersion(String),

    /// `missing`: selected versions that are not installed, each reported first as pyenv's
    /// `which` does; `available_in`: the versions that have the command, unless
    /// `--skip-advice` asked for no advice.
    #[error("{}", command_not_found(.command, .missing, .available_in.as_deref()))]
    CommandNotFound {
        command: String,
        missing: Vec<PyenvError>,
        available_in: Option<Vec<String>>,
    },

    #[error("system version not found in PATH")]
    NoSystem,

    #[error("no local version configured for this directory")]
    NoLocal,

    #[error("no {} versions match the prefix `{}'", if *.known { "known" } else { "installed" }, user_text(.prefix))]
    NoLatest { prefix: String, known: bool },
}

impl PyenvError {
    /// pyv's next step after the message, shown on a terminal only.
    pub fn hint(&self) -> Option<String> {
        let p = prog();
        Some(match self {
            PyenvError::NotInstalled { version, .. } => {
                format!("install it with '{p} install {}'", user_text(version))
            }
            PyenvError::UnknownVersion(_) | PyenvError::NoLatest { known: false, .. } => {
                format!("see '{p} versions' for the installed versions")
            }
            PyenvError::NoLatest { known: true, .. } => {
                format!("see '{p} install --list' for the known versions")
            }
            PyenvError::NoSystem => format!(
                "install a Python with the OS's packages, or link one with '{p} link system <path-to-python-folder>'"
            ),
            PyenvError::NoLocal => format!("set one with '{p} local <version>'"),
            PyenvError::CommandNotFound { missing, .. } => return missing.first()?.hint(),
        })
    }
}

/// pyenv's `which` failure: the missing versions, the command, then which versions have it.
fn command_not_found(
    command: &str,
    missing: &[PyenvError],
    available_in: Option<&[String]>,
) -> String {
    let p = prog();
    let mut s = String::new();
    for m in missing {
        s.push_str(&format!("{m}\n{p}: "));
    }
    s.push_str(&format!("{}: command not found", user_text(command)));
    if let Some(versions) = available_in.filter(|v| !v.is_empty()) {
        s.push_str(&format!(
            "\n\nThe `{}' command exists in these Python versions:\n",
            user_text(command)
        ));
        for v in versions {
            s.push_str(&format!("  {}\n", user_text(v)));
        }
        s.push_str(&format!("\nNote: See '{p} help global' for tips on allowing multiple\n      Python versions to be found at the same time."));
    }
    s
}

fn not_found_hint(command: &str, available_in: &[String]) -> String {
    if available_in.is_empty() {
        format!(" (no installed version has it; see '{} versions')", prog())
    } else {
        let versions: Vec<String> = available_in
            .iter()
            .map(|v| user_text(v).to_string())
            .collect();
        format!(
            "\n\nThe '{}' command exists in these Python versions:\n  {}\n\nSelect one with '{} shell <version>' or '{} local <version>'.",
            user_text(command),
            versions.join("\n  "),
            prog(),
            prog()
        )
    }
}

/// A command-line argument that is not a version name: the message names it and what to type.
impl From<crate::request::InvalidRequest> for Error {
    fn from(e: crate::request::InvalidRequest) -> Error {
        Error::InvalidVersionName(e.into_text())
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// pyv's next step for a message worded as pyenv words it (pyenv mode), shown on a
    /// terminal only; other messages carry their next step in them.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Pyenv(e) => e.hint(),
            _ => None,
        }
    }

    /// Exit code for the process: 127 for a missing command and 126 for one that cannot run
    /// (a loop), as pyenv and shells use.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::CommandNotFound { .. } => 127,
            Error::Pyenv(PyenvError::CommandNotFound { .. }) => 127,
            // What a shell answers for a program it found but cannot run.
            Error::ShimLoop { .. } => 126,
            _ => 1,
        }
    }
}

/// The next step after a failed file operation, by what failed.
fn io_next_step(e: &std::io::Error) -> &'static str {
    if let Some(hint) = io_hint(e) {
        return hint;
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => "check that the path exists",
        _ => "check free disk space and that no program is using it",
    }
}

/// What a failed file operation ran into, where that decides the next step: the failures
/// whose fix is not "free disk space / close the program using it".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoTrouble {
    ReadOnly,
    LinkLoop,
    NameTooLong,
    Denied,
    DiskFull,
}

/// The OS whose error numbers an [`io::Error`](std::io::Error) carries. A parameter, so
/// every table is tested on every OS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OsCodes {
    Linux,
    /// macOS and the BSDs (the same numbers for these errors).
    Bsd,
    Windows,
}

impl OsCodes {
    pub const CURRENT: OsCodes = if cfg!(windows) {
        OsCodes::Windows
    } else if cfg!(any(target_os = "linux", target_os = "android")) {
        OsCodes::Linux
    } else {
        OsCodes::Bsd
    };

    /// The trouble an OS error number means, for the numbers with their own next step.
    pub fn trouble(self, code: i32) -> Option<IoTrouble> {
        use IoTrouble::*;
        match (self, code) {
            // EPERM, EACCES; ENOSPC, EROFS: the same on every Unix.
            (OsCodes::Linux | OsCodes::Bsd, 1 | 13) => Some(Denied),
            (OsCodes::Linux | OsCodes::Bsd, 28) => Some(DiskFull),
            (OsCodes::Linux | OsCodes::Bsd, 30) => Some(ReadOnly),
            // ELOOP, ENAMETOOLONG, EDQUOT (a quota is full: the same step as a full disk).
            (OsCodes::Linux, 40) | (OsCodes::Bsd, 62) => Some(LinkLoop),
            (OsCodes::Linux, 36) | (OsCodes::Bsd, 63) => Some(NameTooLong),
            (OsCodes::Linux, 122) | (OsCodes::Bsd, 69) => Some(DiskFull),
            // ERROR_ACCESS_DENIED, ERROR_WRITE_PROTECT, ERROR_HANDLE_DISK_FULL,
            // ERROR_DISK_FULL, ERROR_FILENAME_EXCED_RANGE, ERROR_DISK_QUOTA_EXCEEDED,
            // ERROR_CANT_RESOLVE_FILENAME (a reparse point loop), ERROR_CANT_ACCESS_FILE.
            (OsCodes::Windows, 5) => Some(Denied),
            (OsCodes::Windows, 19) => Some(ReadOnly),
            (OsCodes::Windows, 39 | 112 | 1295) => Some(DiskFull),
            (OsCodes::Windows, 206) => Some(NameTooLong),
            (OsCodes::Windows, 1921) => Some(LinkLoop),
            _ => None,
        }
    }
}

impl IoTrouble {
    /// The trouble behind `e`: by its OS error number, else (an error made by code, or a
    /// number the table does not list) by its kind.
    pub fn of(e: &std::io::Error) -> Option<IoTrouble> {
        if let Some(t) = e.raw_os_error().and_then(|c| OsCodes::CURRENT.trouble(c)) {
            return Some(t);
        }
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => Some(IoTrouble::Denied),
            std::io::ErrorKind::ReadOnlyFilesystem => Some(IoTrouble::ReadOnly),
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                Some(IoTrouble::DiskFull)
            }
            _ => None,
        }
    }

    /// The next step, worded for `os` (the long-path switch exists only on Windows).
    pub fn hint(self, os: OsCodes) -> &'static str {
        match self {
            IoTrouble::ReadOnly => {
                "the drive is read-only (mounted read-only or write-protected); make it writable or use a folder on another drive"
            }
            IoTrouble::LinkLoop => {
                "a symbolic link (or junction) in the path leads back to itself; fix or remove that link"
            }
            IoTrouble::NameTooLong if os == OsCodes::Windows => {
                "the path is longer than Windows allows; use a shorter folder, or enable long paths (LongPathsEnabled)"
            }
            IoTrouble::NameTooLong => {
                "the path or a name in it is too long for the file system; use a shorter folder"
            }
            IoTrouble::Denied => {
                "check its permissions and that no program (python, an editor, a virus scan) is using it"
            }
            IoTrouble::DiskFull => "the disk (or your quota) is full; free some space and run the command again",
        }
    }
}

/// The next step for a failed file operation whose cause has its own fix (read-only drive,
/// link loop, name too long, access denied, disk full), or `None` for the callers' own
/// general advice. Every io error message of pyv's crates asks here first.
pub fn io_hint(e: &std::io::Error) -> Option<&'static str> {
    IoTrouble::of(e).map(|t| t.hint(OsCodes::CURRENT))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;

    #[test]
    fn file_errors_name_the_path_and_a_next_step() {
        let msg = |kind: ErrorKind| Error::io("/r/version", std::io::Error::from(kind)).to_string();
        assert_eq!(
            msg(ErrorKind::NotFound),
            "/r/version: entity not found; check that the path exists"
        );
        assert_eq!(
            msg(ErrorKind::PermissionDenied),
            "/r/version: permission denied; check its permissions and that no program (python, an editor, a virus scan) is using it"
        );
        assert!(msg(ErrorKind::ResourceBusy)
            .ends_with("; check free disk space and that no program is using it"));
    }

    #[test]
    fn each_errno_gets_its_own_next_step_on_every_os() {
        use IoTrouble::*;
        let table = |os: OsCodes, codes: &[(i32, Option<IoTrouble>)]| {
            for (code, want) in codes {
                assert_eq!(os.trouble(*code), *want, "{os:?} code {code}");
            }
        };
        table(
            OsCodes::Linux,
            &[
                (1, Some(Denied)),
                (13, Some(Denied)),
                (28, Some(DiskFull)),
                (122, Some(DiskFull)),
                (30, Some(ReadOnly)),
                (40, Some(LinkLoop)),
                (36, Some(NameTooLong)),
                (2, None),
                (16, None),
                (62, None),
            ],
        );
        table(
            OsCodes::Bsd,
            &[
                (13, Some(Denied)),
                (28, Some(DiskFull)),
                (69, Some(DiskFull)),
                (30, Some(ReadOnly)),
                (62, Some(LinkLoop)),
                (63, Some(NameTooLong)),
                (40, None),
            ],
        );
        table(
            OsCodes::Windows,
            &[
                (5, Some(Denied)),
                (19, Some(ReadOnly)),
                (39, Some(DiskFull)),
                (112, Some(DiskFull)),
                (1295, Some(DiskFull)),
                (206, Some(NameTooLong)),
                (1921, Some(LinkLoop)),
                (2, None),
                (32, None),
                (13, None),
            ],
        );
        assert!(NameTooLong
            .hint(OsCodes::Windows)
            .contains("LongPathsEnabled"));
        assert!(!NameTooLong.hint(OsCodes::Linux).contains("LongPaths"));
        // Without a number (an error made by code), the kind decides.
        assert_eq!(
            IoTrouble::of(&std::io::Error::from(ErrorKind::ReadOnlyFilesystem)),
            Some(ReadOnly)
        );
        assert_eq!(
            IoTrouble::of(&std::io::Error::from(ErrorKind::NotFound)),
            None
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_messages_name_the_real_cause() {
        let msg = |code: i32| {
            Error::io("/r/version", std::io::Error::from_raw_os_error(code)).to_string()
        };
        assert_eq!(
            msg(30),
            "/r/version: Read-only file system (os error 30); the drive is read-only (mounted read-only or write-protected); make it writable or use a folder on another drive"
        );
        assert_eq!(
            msg(40),
            "/r/version: Too many levels of symbolic links (os error 40); a symbolic link (or junction) in the path leads back to itself; fix or remove that link"
        );
        assert_eq!(
            msg(36),
            "/r/version: File name too long (os error 36); the path or a name in it is too long for the file system; use a shorter folder"
        );
        assert_eq!(
            msg(28),
            "/r/version: No space left on device (os error 28); the disk (or your quota) is full; free some space and run the command again"
        );
        assert_eq!(
            msg(13),
            "/r/version: Permission denied (os error 13); check its permissions and that no program (python, an editor, a virus scan) is using it"
        );
    }
}
