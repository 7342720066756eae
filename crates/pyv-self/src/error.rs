//! Every failure of `self install` / `self uninstall`, each with the one line users see.

use pyv_core::prog::name as prog;
use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SelfInstallError {
    #[error("cannot {action} '{}': {source}; {}", .path.display(), io_next_step(.source))]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },

    #[error("cannot {action} the user variable {name} in {location}: {source}; set it yourself (System Properties > Environment Variables) or run the command again")]
    Environment {
        action: &'static str,
        name: String,
        location: String,
        source: io::Error,
    },

    #[error("'{}' is missing: {p} needs its shim program beside it; extract the whole release zip and run '{p} self install' from there", .0.display(), p = prog())]
    ShimMissing(PathBuf),

    #[error("will not remove '{}': {reason}; give the root with PYENV_ROOT, or remove the folder yourself", .path.display())]
    PurgeRefused { path: PathBuf, reason: &'static str },

    #[error(transparent)]
    Rehash(#[from] pyv_core::Error),
}

/// The next step after a failed file operation: its own for a cause that has one (see
/// [`pyv_core::error::io_hint`]), else the general advice.
fn io_next_step(e: &io::Error) -> String {
    match pyv_core::error::io_hint(e) {
        Some(hint) => hint.to_string(),
        None => format!("check that the folder is writable and that no program (another {}, a shell in that folder, a virus scan) is using it, then run the command again", prog()),
    }
}

impl SelfInstallError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        SelfInstallError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_errors_give_the_next_step_of_their_cause() {
        let msg = |e: io::Error| SelfInstallError::io("copy", "/r/bin/pyv", e).to_string();
        assert_eq!(
            msg(io::Error::from(io::ErrorKind::ResourceBusy)),
            format!("cannot copy '/r/bin/pyv': resource busy; check that the folder is writable and that no program (another {}, a shell in that folder, a virus scan) is using it, then run the command again", prog())
        );
        assert_eq!(
            msg(io::Error::from(io::ErrorKind::StorageFull)),
            "cannot copy '/r/bin/pyv': no storage space; the disk (or your quota) is full; free some space and run the command again"
        );
        assert_eq!(
            msg(io::Error::from(io::ErrorKind::PermissionDenied)),
            "cannot copy '/r/bin/pyv': permission denied; check its permissions and that no program (python, an editor, a virus scan) is using it"
        );
    }
}
