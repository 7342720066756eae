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

    #[error("no shim program found at '{}'; reinstall {} so that pyv-shim sits beside it", .0.display(), prog())]
    ShimMissing(PathBuf),
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

    /// Exit code for the process: 127 for a missing command, as pyenv and shells use.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::CommandNotFound { .. } => 127,
            _ => 1,
        }
    }
}

/// The next step after a failed file operation, by what failed.
fn io_next_step(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "check that the path exists",
        std::io::ErrorKind::PermissionDenied => {
            "check its permissions and that no program (python, an editor, a virus scan) is using it"
        }
        _ => "check free disk space and that no program is using it",
    }
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
        assert!(msg(ErrorKind::StorageFull)
            .ends_with("; check free disk space and that no program is using it"));
    }
}
