//! Every failure of installing or removing a version, each with the one line users see:
//! what went wrong, naming the version, file or entry, then what to do next.

use pyv_core::prog::name as prog;
use pyv_core::quote::user_text;
use std::fmt;
use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("invalid version name '{}': use a name like 3.12.1 or pypy3.10-v7.3.17-win64 (see '{p} install --list')", user_text(.0), p = prog())]
    InvalidName(String),

    #[error("package '{}' cannot be read ({source}); run '{} install {}' to download it again", .path.display(), prog(), user_text(.name))]
    PackageMissing {
        name: String,
        path: PathBuf,
        source: io::Error,
    },

    #[error("'{}' is not a readable {kind} package ({source}); delete it and run '{} install' again to download it anew", .path.display(), prog())]
    BadArchive {
        path: PathBuf,
        kind: &'static str,
        source: zip::result::ZipError,
    },

    #[error("package '{}' is damaged at '{}' ({source}); delete it and run '{} install' again to download it anew", .path.display(), user_text(.entry), prog())]
    DamagedEntry {
        path: PathBuf,
        entry: String,
        source: io::Error,
    },

    #[error("package '{}' has an entry {} will not extract: '{}' ({reason}); nothing was installed; the file may be malicious, delete it and download it from the official source", .path.display(), prog(), user_text(.entry))]
    RefusedEntry {
        path: PathBuf,
        entry: String,
        reason: Refusal,
    },

    #[error("package '{}' expands beyond {} at entry '{}'; nothing was installed; no Python package is that large, so the file may be malicious: delete it and download it from the official source", .path.display(), human_size(*.limit), user_text(.entry))]
    PackageTooLarge {
        path: PathBuf,
        /// The entry at which the total crosses the limit.
        entry: String,
        limit: u64,
    },

    #[error("package '{}' needs {} and only {} is free at '{}'; nothing was installed; free some disk space (or put PYENV_ROOT on a larger disk) and run the command again", .path.display(), human_size(*.needed), human_size(*.available), .dest.display())]
    NoSpace {
        path: PathBuf,
        dest: PathBuf,
        needed: u64,
        available: u64,
    },

    #[error("package '{}' holds nothing to install{where_}; delete it and run '{} install' again to download it anew", .path.display(), prog())]
    EmptyPackage { path: PathBuf, where_: String },

    #[error("another {p} is installing or removing '{}' (lock '{}'); wait for it to finish and run the command again", user_text(.name), .lock.display(), p = prog())]
    Busy { name: String, lock: PathBuf },

    #[error("version '{}' not installed; see '{p} versions' for what is installed", user_text(.0), p = prog())]
    NotInstalled(String),

    #[error("cannot {action} '{}': {source}; {}", .path.display(), io_next_step(.source))]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },

    #[error("{kind} packages can only be installed on Windows; pick a version that has a .zip or .nupkg package (see '{p} install --list')", p = prog())]
    WindowsOnly { kind: &'static str },

    #[error("cannot run '{}': {source}; check that it exists and that security software allows running it", .program.display())]
    Spawn { program: PathBuf, source: io::Error },

    #[error("msiexec failed on '{}' (exit code {code}): {meaning}; the log is '{}'", .msi.display(), .log.display())]
    Msiexec {
        msi: PathBuf,
        code: i32,
        meaning: &'static str,
        log: PathBuf,
    },

    #[error("the installer '{}' did not unpack its MSI packages ({detail}); delete it and run '{} install' again to download it anew", .exe.display(), prog())]
    Layout { exe: PathBuf, detail: String },

    #[error("'{}' was uninstalled but '{}' could not be fully deleted ({source}); close the programs using it, then delete that folder", user_text(.name), .path.display())]
    Leftover {
        name: String,
        path: PathBuf,
        source: io::Error,
    },

    #[error("registering '{}' in the Windows registry (PEP 514) is only possible on Windows; install without --register", user_text(.0))]
    RegisterUnsupported(String),

    #[error("cannot register '{}' (PEP 514): only CPython versions such as 3.12.1 can be registered; install it without --register", user_text(.0))]
    NotRegistrable(String),

    #[error("cannot write the registry key 'HKCU\\{key}': {source}; check that your account may write to HKEY_CURRENT_USER")]
    Registry { key: String, source: io::Error },
}

/// Why an archive entry is refused. Each is a way to write outside the version folder
/// (or over another entry) on some Windows or Unix file system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    AbsolutePath,
    ParentComponent,
    DriveOrStream,
    Backslash,
    ControlCharacter,
    WindowsCharacter,
    TrailingDotOrSpace,
    DeviceName,
    LinkOutside,
    UnsupportedLink,
    Overwrite,
    NotUtf8,
    /// Two entries name the same file once `.`, empty components and letter case are set
    /// aside: one would silently replace the other (the last one won before).
    Duplicate,
    /// The entry's data runs past the uncompressed size its header declares.
    LargerThanDeclared {
        declared: u64,
    },
    /// The entry is large and expands more than [`crate::extract::MAX_RATIO`] times.
    ExpandsTooMuch {
        size: u64,
        compressed: u64,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::extract::{MAX_RATIO, RATIO_FLOOR};
        f.write_str(match *self {
            Refusal::LargerThanDeclared { declared } => {
                return write!(
                    f,
                    "its data runs past the {} its header declares",
                    human_size(declared)
                );
            }
            Refusal::ExpandsTooMuch { size, compressed } => {
                return write!(
                    f,
                    "it expands from {} to {}, over the {MAX_RATIO}:1 allowed for entries above {}",
                    human_size(compressed),
                    human_size(size),
                    human_size(RATIO_FLOOR)
                );
            }
            Refusal::Duplicate => "another entry names the same file, letter case aside",
            Refusal::AbsolutePath => "absolute path",
            Refusal::ParentComponent => "'..' leads out of the version folder",
            Refusal::DriveOrStream => "':' names a drive or a file stream",
            Refusal::Backslash => "backslash in a zip path",
            Refusal::ControlCharacter => "control character in the name",
            Refusal::WindowsCharacter => "a character Windows file names cannot have",
            Refusal::TrailingDotOrSpace => "a name ending in '.' or ' ' that Windows would rename",
            Refusal::DeviceName => "a Windows device name",
            Refusal::LinkOutside => "symbolic link pointing outside the version folder",
            Refusal::UnsupportedLink => "symbolic link to a folder or to nothing",
            Refusal::Overwrite => "it would overwrite another entry",
            Refusal::NotUtf8 => "undecodable name",
        })
    }
}

/// Sizes in this crate's messages: pyv-core's, shared with the download messages.
pub(crate) fn human_size(bytes: u64) -> String {
    pyv_core::size::human_size(bytes)
}

/// The next step after a failed file operation: its own for a cause that has one (see
/// [`pyv_core::error::io_hint`]), else the general advice.
fn io_next_step(e: &io::Error) -> &'static str {
    pyv_core::error::io_hint(e).unwrap_or(
        "check free disk space, that the folder is writable and that no program (python, an editor, a virus scan) is using it",
    )
}

impl InstallError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        InstallError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// Exit code for the process (pyenv-win exits 1 on every install failure).
    pub fn exit_code(&self) -> i32 {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_errors_give_the_next_step_of_their_cause() {
        let msg = |e: io::Error| InstallError::io("create", "/r/versions/3.12.1", e).to_string();
        // General advice where the cause has no fix of its own, as before.
        assert_eq!(
            msg(io::Error::from(io::ErrorKind::ResourceBusy)),
            "cannot create '/r/versions/3.12.1': resource busy; check free disk space, that the folder is writable and that no program (python, an editor, a virus scan) is using it"
        );
        assert_eq!(
            msg(io::Error::from(io::ErrorKind::ReadOnlyFilesystem)),
            "cannot create '/r/versions/3.12.1': read-only filesystem or storage medium; the drive is read-only (mounted read-only or write-protected); make it writable or use a folder on another drive"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_errno_hints() {
        let msg = |code| {
            InstallError::io("create", "/r/v", io::Error::from_raw_os_error(code)).to_string()
        };
        assert_eq!(
            msg(40),
            "cannot create '/r/v': Too many levels of symbolic links (os error 40); a symbolic link (or junction) in the path leads back to itself; fix or remove that link"
        );
        assert_eq!(
            msg(36),
            "cannot create '/r/v': File name too long (os error 36); the path or a name in it is too long for the file system; use a shorter folder"
        );
        assert_eq!(
            msg(28),
            "cannot create '/r/v': No space left on device (os error 28); the disk (or your quota) is full; free some space and run the command again"
        );
    }
}
