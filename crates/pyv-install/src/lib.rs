//! Turning a downloaded package into `versions/<name>`, and removing a version again.
//!
//! An install never leaves a half-written version under a version's name: the package is
//! unpacked into a work folder inside `versions/` and renamed to `versions/<name>` only
//! when complete; `--force` swaps the old version out only then. A per-version lock keeps
//! two installs (or an install and an uninstall) of one version apart, and what a killed
//! run left (work folders, a previous version set aside by `--force`, which selection
//! still takes for that version) is put right by the next command ([`repair`]). Uninstall
//! renames before deleting, for the same reason. [`install`] does no network I/O: the
//! package is a file already downloaded (normally in `install_cache/`); [`pipeline`] is
//! the whole way from a catalog entry (download, land, register) that the CLI runs.

mod aliases;
mod entry_name;
mod error;
mod extract;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod kind;
pub mod link;
pub mod msi;
pub mod pep514;
pub mod pip;
pub mod pipeline;
mod staging;

// The steps that run Windows programs or write the registry: the same functions in both.
#[cfg(windows)]
#[path = "windows.rs"]
mod platform;
#[cfg(not(windows))]
#[path = "unix.rs"]
mod platform;

pub use aliases::{add_aliases, alias_names, python_minor};
pub use error::{InstallError, Refusal};
pub use kind::PackageKind;
pub use pipeline::{install_entry, Outcome, PipelineError, PipelineOptions, Reporter, Warning};

/// Whether `versions/<name>` counts as installed: anything there except an empty folder
/// (what a failed pyenv-win install leaves behind); what [`install`] checks too.
pub fn is_installed(root: &Root, name: &str) -> bool {
    staging::is_present(&root.version_dir(name))
}

use kind::Landing;
use pip::PipPlan;
use pyv_core::name::is_valid_name;
use pyv_core::root::Root;
use staging::{Work, WorkDir};
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallOptions {
    /// Replace an installed version (`--force`); the old one goes only once the new one
    /// is complete.
    pub force: bool,
    /// When another process is installing or removing the same version: wait for it
    /// (`true`) or fail with [`InstallError::Busy`].
    pub wait_for_lock: bool,
    /// Make `pip` a command of the new version (`Scripts\pip.exe`); runs the new python,
    /// so only on Windows. See [`pip::plan`].
    pub setup_pip: bool,
}

impl Default for InstallOptions {
    fn default() -> Self {
        InstallOptions {
            force: false,
            wait_for_lock: true,
            setup_pip: true,
        }
    }
}

/// Progress an install reports as it goes, for the CLI to print.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Another process holds the version's lock; the install waits for it.
    WaitingForLock { lock: PathBuf },
    /// A work folder a killed run left behind was removed.
    RemovedLeftover(PathBuf),
    /// A killed `--force` had moved the previous version aside; it got its name back.
    RestoredPrevious(PathBuf),
    /// Unpacking starts.
    Extracting { package: PathBuf, kind: PackageKind },
    /// An external program is run (msiexec, the installer bundle).
    Running { program: PathBuf, args: String },
    /// The new python runs to set up pip.
    SettingUpPip { python: PathBuf },
    /// A folder could not be deleted (files in use); the next install or uninstall of
    /// this version removes it.
    LeftBehind { path: PathBuf, error: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Installed,
    /// `--force` replaced a previous version.
    Replaced,
    /// The version was there and `force` was off: nothing was done (pyenv-win skips
    /// silently too).
    AlreadyInstalled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipOutcome {
    /// `Scripts\pip.exe` came with the package.
    Present,
    /// pip was set up by running the new python.
    SetUp,
    /// Nothing to set pip up with (no ensurepip in the package).
    Unavailable,
    /// Not attempted (option off, version already installed, or not on Windows).
    Skipped,
    /// The version is installed but pip is not; the one-line warning to show.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub name: String,
    pub dir: PathBuf,
    pub status: Status,
    /// Alias files made (see [`add_aliases`]), at their final paths.
    pub aliases: Vec<PathBuf>,
    pub pip: PipOutcome,
}

/// Installs `package` (of `kind`) as `versions/<name>`.
pub fn install(
    root: &Root,
    name: &str,
    package: &Path,
    kind: &PackageKind,
    options: &InstallOptions,
    on_event: &mut dyn FnMut(Event),
) -> Result<Installed, InstallError> {
    if !is_valid_name(name) {
        return Err(InstallError::InvalidName(name.to_string()));
    }
    if kind::runs_an_installer(kind) && !cfg!(windows) {
        return Err(InstallError::WindowsOnly { kind: kind.label() });
    }
    fs::metadata(package).map_err(|source| InstallError::PackageMissing {
        name: name.to_string(),
        path: package.to_path_buf(),
        source,
    })?;
    let versions = root.versions_dir();
    fs::create_dir_all(&versions).map_err(|e| InstallError::io("create folder", &versions, e))?;
    let _lock = staging::lock(root, name, options.wait_for_lock, |lock| {
        on_event(Event::WaitingForLock {
            lock: lock.to_path_buf(),
        })
    })?;
    report_recovery(staging::recover(root, name), on_event);

    let dest = root.version_dir(name);
    let existed = staging::is_present(&dest);
    if existed && !options.force {
        return Ok(Installed {
            name: name.to_string(),
            dir: dest,
            status: Status::AlreadyInstalled,
            aliases: Vec::new(),
            pip: PipOutcome::Skipped,
        });
    }

    let work = WorkDir::create(staging::work_path(&versions, Work::New, name))?;
    // msiexec needs an absolute TargetDir; everything else is indifferent.
    let target = std::path::absolute(work.path())
        .map_err(|e| InstallError::io("resolve", work.path(), e))?;
    on_event(Event::Extracting {
        package: package.to_path_buf(),
        kind: kind.clone(),
    });
    populate(root, name, package, kind, &target, on_event)?;
    let made = add_aliases(&target, name)?;
    staging::crash_point("install:extracted");
    let aside = staging::land(&target, &dest, &versions, name)?;
    work.disarm();
    staging::crash_point("install:new-in-place");
    if let Some(old) = aside {
        if let Err(e) = staging::remove_tree(&old) {
            on_event(Event::LeftBehind {
                path: old,
                error: e.to_string(),
            });
        }
    }
    let aliases = made
        .iter()
        .filter_map(|p| p.strip_prefix(&target).ok())
        .map(|rel| dest.join(rel))
        .collect();
    let pip = if options.setup_pip {
        setup_pip(&dest, on_event)
    } else {
        PipOutcome::Skipped
    };
    Ok(Installed {
        name: name.to_string(),
        dir: dest,
        status: if existed {
            Status::Replaced
        } else {
            Status::Installed
        },
        aliases,
        pip,
    })
}

/// What [`repair`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Repaired {
    /// Versions a killed `install --force` had set aside, back at `versions/<name>`.
    pub restored: Vec<PathBuf>,
    /// Work folders of killed runs, removed.
    pub removed: Vec<PathBuf>,
    /// Work folders that could not be removed (files in use), with why; tried again next
    /// time.
    pub failed: Vec<(PathBuf, String)>,
}

/// Puts a root right after killed runs, whichever version they were for: a version a
/// killed `install --force` had set aside gets its name back, and the work folders of
/// killed installs and uninstalls go. Meant for every command that touches the root, so
/// that a crash is repaired by the next command and not only by the next install of
/// that version. A version whose lock another process holds is left to that process.
/// Costs one listing of `versions/` and `install_cache/` when there is nothing to do.
pub fn repair(root: &Root) -> Repaired {
    let names: std::collections::BTreeSet<String> = [root.versions_dir(), root.install_cache_dir()]
        .iter()
        .filter_map(|dir| fs::read_dir(dir).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let file_name = e.file_name();
            let (_, name) = staging::work_name(file_name.to_str()?)?;
            is_valid_name(name).then(|| name.to_string())
        })
        .collect();
    let mut out = Repaired::default();
    for name in names {
        // Busy: a live run owns these folders. Unlockable (read-only root): nothing to
        // do that could succeed.
        let Ok(_lock) = staging::lock(root, &name, false, |_| {}) else {
            continue;
        };
        let r = staging::recover(root, &name);
        out.restored.extend(r.restored);
        out.removed.extend(r.removed);
        out.failed
            .extend(r.failed.into_iter().map(|(p, e)| (p, e.to_string())));
    }
    out
}

fn report_recovery(r: staging::Recovered, on_event: &mut dyn FnMut(Event)) {
    if let Some(p) = r.restored {
        on_event(Event::RestoredPrevious(p));
    }
    for p in r.removed {
        on_event(Event::RemovedLeftover(p));
    }
    for (path, e) in r.failed {
        on_event(Event::LeftBehind {
            path,
            error: e.to_string(),
        });
    }
}

/// Fills the empty folder `target` with the version's files.
fn populate(
    root: &Root,
    name: &str,
    package: &Path,
    kind: &PackageKind,
    target: &Path,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), InstallError> {
    match kind::landing(kind, package)? {
        Landing::Extract { prefix } => {
            extract::extract(package, kind.label(), prefix.as_deref(), target).map(|_| ())
        }
        Landing::Msi | Landing::Bundle => {
            platform::populate_with_installer(root, name, package, kind, target, on_event)
        }
    }
}

fn setup_pip(dir: &Path, on_event: &mut dyn FnMut(Event)) -> PipOutcome {
    match pip::plan(dir) {
        PipPlan::Present => PipOutcome::Present,
        PipPlan::Unavailable => PipOutcome::Unavailable,
        PipPlan::Run { python, args } => platform::run_pip(dir, python, &args, on_event),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uninstalled {
    pub name: String,
    /// `versions/<name>` was a link (`pyv link`, a junction): only the link was removed.
    pub was_link: bool,
    /// Its PEP 514 registry entry (pointing at this folder) was removed.
    pub unregistered: bool,
}

/// Removes `versions/<name>`. A real folder is first renamed to a work name, so a
/// deletion that fails halfway (files in use) never leaves a broken version under the
/// name; a link (symlink or junction) is removed without touching its target. Also
/// removes the version's PEP 514 entry when it points at this folder (Windows).
pub fn uninstall(root: &Root, name: &str) -> Result<Uninstalled, InstallError> {
    if !is_valid_name(name) {
        return Err(InstallError::InvalidName(name.to_string()));
    }
    let dest = root.version_dir(name);
    if fs::symlink_metadata(&dest).is_err() {
        return Err(InstallError::NotInstalled(name.to_string()));
    }
    let _lock = staging::lock(root, name, false, |_| {})?;
    // Leftovers of killed runs; events have no reader here, the cleanup is what matters.
    let _ = staging::recover(root, name);
    let install_path = std::path::absolute(&dest).unwrap_or_else(|_| dest.clone());
    let was_link = pyv_core::link::is_link(&dest);
    let mut leftover = None;
    if was_link {
        pyv_core::link::remove_link(&dest).map_err(|e| InstallError::io("remove", &dest, e))?;
    } else {
        let aside = staging::work_path(&root.versions_dir(), Work::Deleting, name);
        staging::rename(&dest, &aside).map_err(|e| InstallError::io("remove", &dest, e))?;
        staging::crash_point("uninstall:set-aside");
        if let Err(e) = staging::remove_tree(&aside) {
            leftover = Some((aside, e));
        }
    }
    let unregistered = platform::unregister_path(name, &install_path)?;
    if let Some((path, source)) = leftover {
        return Err(InstallError::Leftover {
            name: name.to_string(),
            path,
            source,
        });
    }
    Ok(Uninstalled {
        name: name.to_string(),
        was_link,
        unregistered,
    })
}

/// `install --register`: writes the PEP 514 entry of installed CPython version `name`
/// under `HKCU\Software\Python\PythonCore\<name>` (see [`pep514::entry`]).
pub fn register(root: &Root, name: &str) -> Result<(), InstallError> {
    if !is_valid_name(name) {
        return Err(InstallError::InvalidName(name.to_string()));
    }
    let dest = root.version_dir(name);
    if !staging::is_present(&dest) {
        return Err(InstallError::NotInstalled(name.to_string()));
    }
    let path = std::path::absolute(&dest).map_err(|e| InstallError::io("resolve", &dest, e))?;
    let entry = pep514::entry(name, &path.display().to_string())?;
    platform::register(name, &entry)
}

/// Removes the PEP 514 entry of `name` if it points at `versions/<name>`; `Ok(false)`
/// when there is none (always, off Windows). [`uninstall`] does this itself.
pub fn unregister(root: &Root, name: &str) -> Result<bool, InstallError> {
    if !is_valid_name(name) {
        return Err(InstallError::InvalidName(name.to_string()));
    }
    let dest = root.version_dir(name);
    let path = std::path::absolute(&dest).unwrap_or(dest);
    platform::unregister_path(name, &path)
}

#[cfg(test)]
mod tests;
