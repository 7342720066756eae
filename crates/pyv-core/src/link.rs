//! Links in `versions/`: junctions, symlinks and pointer folders, as the selection code
//! reads them (made by `pyv link`, in pyv-install). Removing a link never touches the
//! target's files.
//!
//! Where the volume cannot hold a junction or symlink (FAT drives, some network shares,
//! Wine), the link is a folder holding only a pointer file, [`POINTER`], with the target's
//! path; pyv follows it like a link (tools that read `versions\` themselves will not).
//! Junctions need no Windows-only code to read: std reports them as symlinks (name
//! surrogate reparse points) and `read_link` returns their target.

use crate::exe;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The pointer file of a link folder (see the module documentation).
pub const POINTER: &str = ".pyv-link";

/// The target a pointer folder names, if `dir` is one.
pub fn pointer_target(dir: &Path) -> Option<PathBuf> {
    let text = fs::read_to_string(dir.join(POINTER)).ok()?;
    let t = text.trim();
    (!t.is_empty()).then(|| PathBuf::from(t))
}

/// The folder to read a version's files from: a pointer folder's target, else `dir`
/// itself (real links are followed by the file system).
pub fn resolve_dir(dir: &Path) -> PathBuf {
    pointer_target(dir).unwrap_or_else(|| dir.to_path_buf())
}

/// A Python folder has `python` (or `python3`) in it, its `Scripts` or its `bin`.
pub fn holds_python(dir: &Path, exts: &[String]) -> bool {
    dir.is_dir()
        && ["python", "python3"]
            .iter()
            .any(|n| exe::find_command(dir, n, exts).is_some())
}

/// True for symlinks, junctions and pointer folders: anything whose removal must not recurse.
pub fn is_link(path: &Path) -> bool {
    let Ok(md) = fs::symlink_metadata(path) else {
        return false;
    };
    if md.is_dir() && path.join(POINTER).is_file() {
        return true;
    }
    md.file_type().is_symlink()
}

/// Removes the link itself; the folder it points at is left as it is.
pub fn remove_link(path: &Path) -> io::Result<()> {
    if pointer_target(path).is_some() {
        fs::remove_file(path.join(POINTER))?;
        return fs::remove_dir(path);
    }
    // A directory link is a directory entry on Windows (remove_dir) and a file entry on
    // Unix (remove_file); neither call follows it.
    #[cfg(windows)]
    return fs::remove_dir(path).or_else(|_| fs::remove_file(path));
    #[cfg(not(windows))]
    fs::remove_file(path)
}

/// Where a link points, for messages and `pyv versions`.
pub fn target_of(path: &Path) -> Option<PathBuf> {
    if let Some(t) = pointer_target(path) {
        return Some(t);
    }
    fs::read_link(path).ok()
}
