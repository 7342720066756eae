//! How a version folder changes without ever being half there: a per-name lock, work
//! folders inside `versions/` (same volume, so the final step is a rename), cleanup of
//! the work folders a killed run left behind, and the swap that lands a new version.
//!
//! Work folder names start with `.`, which no version name may (see `is_valid_name`), so
//! they are never taken for versions, and carry the pid and a counter before the version
//! name: `.pyv-tmp-<pid>-<n>-<name>`. The name comes last so that `3.12` never matches
//! `3.12-win32`'s folders.

use super::error::InstallError;
use pyv_core::link;
use pyv_core::root::Root;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Held while a version is installed or removed; released when dropped.
#[derive(Debug)]
pub struct VersionLock {
    _file: File,
}

/// Takes the lock of version `name` (`install_cache/.pyv-<name>.lock`). When another
/// process (or thread) holds it: waits if `wait`, after calling `on_wait`, else fails
/// with [`InstallError::Busy`].
pub fn lock(
    root: &Root,
    name: &str,
    wait: bool,
    on_wait: impl FnOnce(&Path),
) -> Result<VersionLock, InstallError> {
    let dir = root.install_cache_dir();
    fs::create_dir_all(&dir).map_err(|e| InstallError::io("create folder", &dir, e))?;
    let path = dir.join(format!(".pyv-{name}.lock"));
    // Never truncated or deleted: removing a lock file while another process waits on
    // it would let a third one lock a different file of the same name.
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| InstallError::io("open", &path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) if wait => {
            on_wait(&path);
            file.lock()
                .map_err(|e| InstallError::io("lock", &path, e))?;
        }
        Err(TryLockError::WouldBlock) => {
            return Err(InstallError::Busy {
                name: name.to_string(),
                lock: path,
            })
        }
        // File systems without locks (some network shares): go on unlocked, as
        // pyenv-win always did, rather than refuse to install at all.
        Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {}
        Err(TryLockError::Error(e)) => return Err(InstallError::io("lock", &path, e)),
    }
    Ok(VersionLock { _file: file })
}

/// What a work folder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Work {
    /// A new version being extracted.
    New,
    /// The previous version, moved aside by `--force` until the new one is in place.
    Old,
    /// A version being deleted by uninstall.
    Deleting,
    /// An installer's unpacked packages (in `install_cache/`).
    Layout,
}

impl Work {
    fn tag(self) -> &'static str {
        match self {
            Work::New => "tmp",
            Work::Old => "old",
            Work::Deleting => "del",
            Work::Layout => "layout",
        }
    }
}

/// A fresh work folder path in `dir` (not created).
pub fn work_path(dir: &Path, work: Work, name: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(
        ".pyv-{}-{}-{n}-{name}",
        work.tag(),
        std::process::id()
    ))
}

/// Which work folder of version `name` a file name is, if any.
pub fn work_of(file_name: &str, name: &str) -> Option<Work> {
    work_name(file_name)
        .filter(|(_, n)| *n == name)
        .map(|(w, _)| w)
}

/// What a work folder name is for and the version it belongs to.
pub fn work_name(file_name: &str) -> Option<(Work, &str)> {
    let rest = file_name.strip_prefix(".pyv-")?;
    let (tag, rest) = rest.split_once('-')?;
    let work = [Work::New, Work::Old, Work::Deleting, Work::Layout]
        .into_iter()
        .find(|w| w.tag() == tag)?;
    let (pid, rest) = rest.split_once('-')?;
    let (n, name) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(pid) && digits(n) && !name.is_empty()).then_some((work, name))
}

/// Where a test makes the process die as a kill would (no destructors, no cleanup):
/// `PYV_TEST_CRASH_AT=<point>` exits with 137 (what a shell shows for SIGKILL) when the
/// run reaches `point`. Debug builds only: release builds have no crash points.
pub(crate) fn crash_point(point: &str) {
    #[cfg(debug_assertions)]
    {
        use pyv_core::Env;
        if pyv_core::ProcessEnv.var("PYV_TEST_CRASH_AT").as_deref() == Some(point) {
            std::process::exit(137);
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = point;
}

/// What [`recover`] did.
#[derive(Debug, Default)]
pub struct Recovered {
    pub removed: Vec<PathBuf>,
    /// A previous version a killed `--force` had moved aside, put back as `versions/<name>`.
    pub restored: Option<PathBuf>,
    /// Work folders that could not be removed (files in use); tried again next time.
    pub failed: Vec<(PathBuf, io::Error)>,
}

/// Cleans up after killed runs for version `name` (in `versions/` and `install_cache/`).
/// Must be called with its lock held, so no live run owns any of these folders.
pub fn recover(root: &Root, name: &str) -> Recovered {
    let mut out = Recovered::default();
    let mut found: Vec<(Work, PathBuf)> = [root.versions_dir(), root.install_cache_dir()]
        .iter()
        .filter_map(|dir| fs::read_dir(dir).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let w = work_of(&e.file_name().to_string_lossy(), name)?;
            Some((w, e.path()))
        })
        .collect();
    found.sort();
    let dest = root.version_dir(name);
    if fs::symlink_metadata(&dest).is_err() {
        // A run killed between "move the old version aside" and "move the new one in":
        // the old version is still whole; give it its name back.
        if let Some(i) = found.iter().position(|(w, _)| *w == Work::Old) {
            let (_, old) = found.remove(i);
            if rename(&old, &dest).is_ok() {
                out.restored = Some(dest.clone());
            } else {
                found.push((Work::Old, old));
            }
        }
    }
    for (_, path) in found {
        match remove_tree(&path) {
            Ok(()) => out.removed.push(path),
            Err(e) => out.failed.push((path, e)),
        }
    }
    out
}

/// Removes a folder, or only the link when `path` is a symlink or junction: never a file
/// of a link's target.
pub fn remove_tree(path: &Path) -> io::Result<()> {
    if link::is_link(path) {
        return link::remove_link(path);
    }
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// A work folder removed on drop unless kept: covers every early return and panic.
pub struct WorkDir {
    path: PathBuf,
    keep: bool,
}

impl WorkDir {
    pub fn create(path: PathBuf) -> Result<WorkDir, InstallError> {
        fs::create_dir(&path).map_err(|e| InstallError::io("create folder", &path, e))?;
        Ok(WorkDir { path, keep: false })
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The folder has been renamed away; nothing to remove.
    pub fn disarm(mut self) {
        self.keep = true;
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = remove_tree(&self.path);
        }
    }
}

/// Whether `dest` counts as an installed version: anything there except an empty folder
/// (what a failed pyenv-win install leaves behind).
pub fn is_present(dest: &Path) -> bool {
    match fs::symlink_metadata(dest) {
        Err(_) => false,
        Ok(m) if m.is_dir() => fs::read_dir(dest).map_or(true, |mut d| d.next().is_some()),
        Ok(_) => true,
    }
}

/// Renames folders of a version: a virus scanner or the search indexer often holds files
/// of a freshly written folder open for a moment, which blocks renaming the folder on
/// Windows; this waits that out (see [`pyv_core::fsutil::rename_with_retry`]).
pub use pyv_core::fsutil::rename_with_retry as rename;

/// Renames the complete `new` folder to `dest`. Whatever is at `dest` is first renamed
/// aside and its path returned for the caller to delete; if the last rename fails it is
/// put back, so `dest` is always either the old version or the new one.
pub fn land(
    new: &Path,
    dest: &Path,
    versions: &Path,
    name: &str,
) -> Result<Option<PathBuf>, InstallError> {
    let aside = if fs::symlink_metadata(dest).is_ok() {
        let aside = work_path(versions, Work::Old, name);
        rename(dest, &aside).map_err(|e| InstallError::io("replace", dest, e))?;
        // Here `versions/<name>` is missing; selection takes the folder set aside for it
        // (pyv_core::set_aside) and the next command renames it back after a crash.
        crash_point("install:old-set-aside");
        Some(aside)
    } else {
        None
    };
    if let Err(e) = rename(new, dest) {
        if let Some(aside) = &aside {
            let _ = rename(aside, dest);
        }
        return Err(InstallError::io("move the new version to", dest, e));
    }
    Ok(aside)
}
