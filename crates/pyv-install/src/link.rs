//! `pyv link <name> <path>`: `versions/<name>` pointing at a Python installed elsewhere —
//! a junction with an absolute target on Windows (what users make by hand with
//! `mklink /J`), a symlink elsewhere, a pointer folder where the volume has neither
//! (see [`pyv_core::link`], which reads all three).

use pyv_core::error::Error;
use pyv_core::link::{holds_python, is_link, remove_link, POINTER};
use pyv_core::name::is_valid_name;
use pyv_core::root::Root;
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
    // An existing link is moved aside, not removed: if the new one cannot be made, the old
    // one gets its name back.
    let previous = if is_link(&link) {
        let aside = pyv_core::fsutil::temp_sibling(&link);
        fs::rename(&link, &aside).map_err(|e| Error::io(&link, e))?;
        Some(aside)
    } else if link.exists() {
        return Err(Error::WouldReplaceFolder(link));
    } else {
        None
    };
    let made = make(&target, &link);
    if let Some(aside) = previous {
        let _ = if made.is_ok() {
            remove_link(&aside)
        } else {
            fs::rename(&aside, &link)
        };
    }
    made.map(|()| link)
}

/// A junction or symlink at `link`, or the pointer folder where the volume has neither.
fn make(target: &Path, link: &Path) -> Result<(), Error> {
    let failed = |source| Error::Link {
        link: link.to_path_buf(),
        target: target.to_path_buf(),
        source,
    };
    match create(target, link) {
        Ok(()) => Ok(()),
        Err(e) if reparse_points_unsupported(&e) => {
            // A failed junction leaves its empty folder behind; only an empty one goes.
            let _ = fs::remove_dir(link);
            create_pointer(target, link).map_err(failed)
        }
        Err(source) => Err(failed(source)),
    }
}

/// ERROR_INVALID_FUNCTION (1) and ERROR_NOT_SUPPORTED (50): the file system has no
/// reparse points (FAT, some network shares, Wine 8).
fn reparse_points_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
        || (cfg!(windows) && matches!(e.raw_os_error(), Some(1 | 50)))
}

/// The fallback link: a folder with only the pointer file, which appears whole by rename.
pub fn create_pointer(target: &Path, link: &Path) -> io::Result<()> {
    pyv_core::fsutil::land_via_temp(link, |tmp| {
        fs::create_dir(tmp)?;
        fs::write(tmp.join(POINTER), target.to_string_lossy().as_bytes())
    })
}

#[cfg(windows)]
fn create(target: &Path, link: &Path) -> io::Result<()> {
    pyv_windows::junction::create(target, link)
}

#[cfg(unix)]
fn create(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use pyv_core::link::{resolve_dir, target_of};
    use pyv_core::root::RootSource;
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
        let entries: Vec<_> = fs::read_dir(root.versions_dir()).unwrap().collect();
        assert_eq!(
            entries.len(),
            1,
            "the replaced link is gone, not left aside"
        );
        assert!(target.join("bin").join("python3").exists());
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

    #[test]
    fn pointer_folders_stand_in_for_links() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("Python27");
        python_at(&target);
        let root = Root::new(d.path().join("root"), RootSource::Default);
        let l = root.version_dir("system");
        fs::create_dir_all(l.parent().unwrap()).unwrap();
        create_pointer(&target, &l).unwrap();
        assert!(is_link(&l));
        assert_eq!(target_of(&l).unwrap(), target);
        assert_eq!(resolve_dir(&l), target);
        assert_eq!(resolve_dir(&target), target);
        // Selection, which and whence follow it.
        let mut ctx = pyv_core::Context::new(root.clone(), d.path().to_path_buf());
        ctx.pyenv_version = Some("system".into());
        assert_eq!(
            ctx.which("python3").unwrap(),
            target.join("bin").join("python3")
        );
        assert_eq!(
            ctx.whence("python3")[0].1,
            target.join("bin").join("python3")
        );
        remove_link(&l).unwrap();
        assert!(!l.exists() && target.join("bin").join("python3").exists());
    }
}

#[cfg(test)]
#[cfg(windows)]
mod windows_tests {
    use super::*;
    use pyv_core::link::{resolve_dir, target_of};
    use pyv_core::root::RootSource;
    use pyv_windows::wine::is_wine;

    fn python_at(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("python.exe"), "MZ").unwrap();
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pyv-link-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn junction_to_an_outside_python() {
        let d = temp("junction");
        let target = d.join("Python27");
        python_at(&target);
        let l = d.join("system");
        match create(&target, &l) {
            Err(e) if is_wine() && reparse_points_unsupported(&e) => {
                eprintln!(
                    "SKIP: Wine has no reparse points (junctions), {e}; covered on real Windows"
                );
                return;
            }
            r => r.unwrap(),
        }
        assert!(is_link(&l) && pyv_windows::junction::exists(&l).unwrap());
        assert_eq!(target_of(&l).unwrap(), target);
        remove_link(&l).unwrap();
        assert!(!l.exists() && target.join("python.exe").is_file());
    }

    /// Where junctions cannot be made (Wine here, FAT drives on Windows), `link` falls
    /// back to a pointer folder, which everything in pyv follows.
    #[test]
    fn link_works_with_or_without_reparse_points() {
        let d = temp("fallback");
        let root = Root::new(d.join("root"), RootSource::Default);
        let target = d.join("Miniconda3");
        python_at(&target);
        let exts = vec![".EXE".to_string()];
        let l = link(&root, "conda", &target, &exts).unwrap();
        if is_wine() {
            assert!(l.join(POINTER).is_file(), "Wine: the pointer fallback");
        }
        assert!(is_link(&l));
        assert_eq!(
            resolve_dir(&l).join("python.exe"),
            target.join("python.exe")
        );
        remove_link(&l).unwrap();
        assert!(!l.exists() && target.join("python.exe").is_file());
    }
}
