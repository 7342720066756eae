//! One version from its catalog entry to `versions/<name>`: download the package into
//! `install_cache/` (verified against the catalog's SHA-256 when it has one), land it by
//! the kind the catalog gives ([`install`]), register it (PEP 514) when asked, and say how
//! pip fared. What happens on the way goes to a [`Reporter`], so the CLI draws bars and
//! lines and tests record the events.

use crate::{install, register, Event, InstallError, InstallOptions, Installed, PipOutcome};
use pyv_catalog::{Entry, PackageKind};
use pyv_core::root::Root;
use pyv_net::{Client, Downloaded, NetError};
use std::fmt;
use std::path::{Path, PathBuf};

/// What [`install_entry`] does besides landing the package.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PipelineOptions {
    pub install: InstallOptions,
    /// Fetch the package anew even when `install_cache/` holds it (pyenv-win's `-f`).
    pub redownload: bool,
    /// Write the version's PEP 514 entry once it is installed (`--register`).
    pub register: bool,
}

/// What an install went through, in order. Every method has an empty default, so a
/// reporter implements only what it shows. Calls come from the thread running
/// [`install_entry`].
pub trait Reporter {
    /// The package is fetched from `url` (the entry's URL under the client's mirror) to
    /// `dest`.
    fn download_started(&mut self, _url: &str, _dest: &Path) {}
    /// Bytes of the package so far, and its size when the server says.
    fn download_progress(&mut self, _done: u64, _total: Option<u64>) {}
    /// The package is complete (and verified, when the catalog has its hash).
    fn download_done(&mut self, _downloaded: &Downloaded) {}
    /// Landing the package as `versions/<name>` starts.
    fn installing(&mut self, _package: &Path, _kind: &PackageKind) {}
    /// A step of the landing: waiting for another install's lock, leftovers of a killed
    /// run cleaned up, extracting, running msiexec or the bundle, setting up pip. A folder
    /// that could not be deleted comes as a [`Warning`] instead.
    fn event(&mut self, _event: &Event) {}
    /// The PEP 514 entry is written.
    fn registering(&mut self) {}
    /// Something the user should hear of; the install goes on.
    fn warning(&mut self, _warning: &Warning) {}
}

/// A reporter that shows nothing.
impl Reporter for () {}

/// What an install succeeded with but the user should hear of.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// A folder could not be deleted (files in use); the next install or uninstall of
    /// version `name` removes it.
    LeftBehind {
        name: String,
        path: PathBuf,
        error: String,
    },
    /// The version is installed but pip is not (see [`PipOutcome::Failed`]).
    Pip(String),
}

/// The one line shown after `<prog>: warning: `.
impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::LeftBehind { name, path, error } => write!(
                f,
                "could not remove {} ({error}); the next install or uninstall of {name} removes it",
                path.display()
            ),
            Warning::Pip(w) => f.write_str(w),
        }
    }
}

/// A finished [`install_entry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The landing's result: status (installed, replaced, already there), aliases, pip.
    pub installed: Installed,
    /// The package in `install_cache/`.
    pub downloaded: Downloaded,
    /// The PEP 514 entry was written.
    pub registered: bool,
}

/// Why [`install_entry`] failed; nothing is left under the version's name.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The package could not be fetched or did not match the catalog's hash.
    #[error(transparent)]
    Download(#[from] NetError),
    /// The package could not be landed.
    #[error(transparent)]
    Install(#[from] InstallError),
    /// The version is installed but its PEP 514 entry could not be written.
    #[error(transparent)]
    Register(InstallError),
}

/// Installs catalog entry `entry` into `root`: download, land, register (see the module
/// documentation). The package is fetched even when the version is installed already
/// (the landing then reports [`crate::Status::AlreadyInstalled`]): callers that want to
/// skip those check [`crate::is_installed`] first.
pub fn install_entry(
    root: &Root,
    client: &Client,
    entry: &Entry,
    options: &PipelineOptions,
    reporter: &mut dyn Reporter,
) -> Result<Outcome, PipelineError> {
    let url = pyv_catalog::mirror_url(&entry.url, &client.config().mirror);
    let dest = root.install_cache_dir().join(&entry.file);
    if options.redownload {
        // A missing file is what we want; any other failure shows in the download.
        let _ = std::fs::remove_file(&dest);
    }
    reporter.download_started(&url, &dest);
    let downloaded =
        client.download(&url, &dest, entry.sha256.as_deref(), &mut |done, total| {
            reporter.download_progress(done, total)
        })?;
    reporter.download_done(&downloaded);

    reporter.installing(&downloaded.path, &entry.kind);
    let installed = install(
        root,
        &entry.name,
        &downloaded.path,
        &entry.kind,
        &options.install,
        &mut |ev| match ev {
            Event::LeftBehind { path, error } => reporter.warning(&Warning::LeftBehind {
                name: entry.name.clone(),
                path,
                error,
            }),
            other => reporter.event(&other),
        },
    )?;
    if let PipOutcome::Failed(w) = &installed.pip {
        reporter.warning(&Warning::Pip(w.clone()));
    }
    if options.register {
        reporter.registering();
        register(root, &entry.name).map_err(PipelineError::Register)?;
    }
    Ok(Outcome {
        installed,
        downloaded,
        registered: options.register,
    })
}

// The loopback mirror runs on the build host only (see pyv-testserver).
#[cfg(test)]
#[cfg(not(windows))]
mod tests;
