//! Every failure of `self install` / `self uninstall`, each with the one line users see.

use pyv_core::prog::name as prog;
use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SelfInstallError {
    #[error("cannot {action} '{}': {source}; check that the folder is writable and that no program (another {p}, a shell in that folder, a virus scan) is using it, then run the command again", .path.display(), p = prog())]
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

impl SelfInstallError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        SelfInstallError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
