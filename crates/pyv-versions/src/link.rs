//! `pyv link <name> <path>`: `versions/<name>` pointing at a Python installed elsewhere —
//! a junction with an absolute target on Windows (what users make by hand with
//! `mklink /J`), a symlink elsewhere. Removing it never touches the target's files.

use crate::error::Error;
use crate::exe;
use crate::name::is_valid_name;
use crate::root::Root;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Points `versions/<name>` at `target` (made absolute), after checking that `target`
/// holds a Python. An existing link of that name is replaced; a real folder never is.
pub fn link(root: &Root, name: &str, target: &Path, exts: &[String]) -> Result<PathBuf, Error> {
    if !is_valid_name(name) {
        return Err(Error::InvalidVersionName(name.to_string()));
    }
    let target = std::path::absolute(target).map_err(|e| Error::io(target, e))?;
    if !holds_python(&target, exts) {
        return Err(Error::NotAPython(target));
    }
    let versions = root.versions_dir();
    fs::create_dir_all(&versions).map_err(|e| Error::io(&versions, e))?;
    let link = root.version_dir(name);
    if is_link(&link) {
        remove_link(&link).map_err(|e| Error::io(&link, e))?;
    } else if link.exists() {
        return Err(Error::WouldReplaceFolder(link));
    }
    create(&target, &link).map_err(|source| Error::Link {
        link: link.clone(),
        target,
        source,
    })?;
    Ok(link)
}

/// A Python folder has `python` (or `python3`) in it, its `Scripts` or its `bin`.
pub fn holds_python(dir: &Path, exts: &[String]) -> bool {
    dir.is_dir()
        && ["python", "python3"]
            .iter()
            .any(|n| exe::find_command(dir, n, exts).is_some())
}

/// True for symlinks and (on Windows) junctions: anything whose removal must not recurse.
pub fn is_link(path: &Path) -> bool {
    let Ok(md) = fs::symlink_metadata(path) else {
        return false;
    };
    #[cfg(windows)]
    if junction::exists(path).unwrap_or(false) {
        return true;
    }
    md.file_type().is_symlink()
}

/// Removes the link itself; the folder it points at is left as it is.
pub fn remove_link(path: &Path) -> io::Result<()> {
    // A directory link is a directory entry on Windows (remove_dir) and a file entry on
    // Unix (remove_file); neither call follows it.
    #[cfg(windows)]
    return fs::remove_dir(path).or_else(|_| fs::remove_file(path));
    #[cfg(not(windows))]
    fs::remove_file(path)
}

/// Where a link points, for messages and `pyv versions`.
pub fn target_of(path: &Path) -> Option<PathBuf> {
    #[cfg(windows)]
    if let Ok(t) = junction::get_target(path) {
        return Some(t);
    }
    fs::read_link(path).ok()
}

#[cfg(windows)]
fn create(target: &Path, link: &Path) -> io::Result<()> {
    junction::create(target, link)
}

#[cfg(unix)]
fn create(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::root::RootSource;
    use std::os::unix::fs::PermissionsExt;

    fn python_at(dir: &Path) {
        fs::create_dir_all(dir.join("bin")).unwrap();
        let p = dir.join("bin").join("python3");
        fs::write(&p, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn links_replaces_links_refuses_folders_and_unlinks_safely() {
        let d = tempfile::tempdir().unwrap();
        let root = Root::new(d.path().join("root"), RootSource::Default);
        let target = d.path().join("Miniconda3");
        python_at(&target);
        let l = link(&root, "conda-3.12", &target, &[]).unwrap();
        assert!(is_link(&l));
        assert_eq!(target_of(&l).unwrap(), target);
        // Replacing a link is fine.
        let other = d.path().join("other");
        python_at(&other);
        link(&root, "conda-3.12", &other, &[]).unwrap();
        assert_eq!(target_of(&l).unwrap(), other);
        // Removing the link leaves the target's files.
        remove_link(&l).unwrap();
        assert!(!l.exists() && other.join("bin").join("python3").exists());

        fs::create_dir_all(root.version_dir("3.12.1")).unwrap();
        assert!(matches!(
            link(&root, "3.12.1", &target, &[]),
            Err(Error::WouldReplaceFolder(_))
        ));
        let empty = d.path().join("empty");
        fs::create_dir_all(&empty).unwrap();
        assert!(matches!(
            link(&root, "x", &empty, &[]),
            Err(Error::NotAPython(_))
        ));
        assert!(matches!(
            link(&root, "../x", &target, &[]),
            Err(Error::InvalidVersionName(_))
        ));
    }
}
