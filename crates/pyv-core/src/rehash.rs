//! `rehash`: one shim per command name found in any installed version.
//!
//! Every shim is the same small program (hard-linked from the shim binary, copied when a
//! hard link is impossible). A shim running meanwhile never sees a half-written file:
//! each shim appears by link or rename, and stale ones disappear by delete or rename.

use crate::error::Error;
use crate::exe;
use crate::fsutil::{land_via_temp, replace_file, temp_sibling, write_atomic};
use crate::name::VersionName;
use crate::root::Root;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

/// Records which shim binary the current shims are, so a rehash after an upgrade of pyv
/// replaces them and an ordinary rehash only adds and removes.
const STAMP: &str = ".pyv-shim-stamp";
const LOCK: &str = ".pyv-rehash.lock";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub added: usize,
    pub removed: usize,
    pub replaced: usize,
    pub total: usize,
}

/// The file name of the shim for `command` (`python.exe` on Windows, `python` elsewhere).
pub fn shim_file_name(command: &str) -> String {
    if cfg!(windows) {
        format!("{command}.exe")
    } else {
        command.to_string()
    }
}

/// Command names provided by the installed versions, from `<v>`, `<v>/Scripts`, `<v>/bin`.
pub fn command_names(root: &Root, installed: &[VersionName], exts: &[String]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for v in installed {
        for dir in exe::command_dirs(&crate::link::resolve_dir(&root.version_dir(v.as_str()))) {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.filter_map(Result::ok) {
                if let Some(n) = exe::command_name(&e.path(), exts) {
                    names.insert(n);
                }
            }
        }
    }
    names
}

/// Brings `<root>/shims` in line with the installed versions, using `shim_src` as the
/// shim program. Serialised by a lock so a pip shim's automatic rehash and a manual one
/// cannot interleave.
pub fn rehash(
    root: &Root,
    shim_src: &Path,
    installed: &[VersionName],
    exts: &[String],
) -> Result<Report, Error> {
    let shims = root.shims_dir();
    fs::create_dir_all(&shims).map_err(|e| Error::io(&shims, e))?;
    let src_meta =
        fs::metadata(shim_src).map_err(|_| Error::ShimMissing(shim_src.to_path_buf()))?;
    let lock_path = shims.join(LOCK);
    let lock = fs::File::create(&lock_path).map_err(|e| Error::io(&lock_path, e))?;
    lock.lock().map_err(|e| Error::io(&lock_path, e))?;

    let wanted: BTreeSet<String> = command_names(root, installed, exts)
        .iter()
        .map(|c| shim_file_name(c))
        .collect();
    let stamp = stamp_of(&src_meta);
    let stamp_path = shims.join(STAMP);
    let fresh = fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp);

    let mut report = Report {
        total: wanted.len(),
        ..Report::default()
    };
    let mut existing = BTreeSet::new();
    for e in fs::read_dir(&shims)
        .map_err(|e| Error::io(&shims, e))?
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if name == STAMP || name == LOCK {
            continue;
        }
        if name.starts_with('.') {
            // Leftovers of an interrupted rehash, or shims that were running when replaced.
            let _ = fs::remove_file(&path);
        } else if !wanted.contains(&name) {
            remove_shim(&path).map_err(|e| Error::io(&path, e))?;
            report.removed += 1;
        } else {
            existing.insert(name);
        }
    }
    for name in &wanted {
        let dest = shims.join(name);
        if !existing.contains(name) {
            place(shim_src, &src_meta, &dest).map_err(|e| Error::io(&dest, e))?;
            report.added += 1;
        } else if !fresh {
            replace(shim_src, &src_meta, &dest).map_err(|e| Error::io(&dest, e))?;
            report.replaced += 1;
        }
    }
    if !fresh {
        write_atomic(&stamp_path, stamp.as_bytes())?;
    }
    Ok(report)
}

/// Size and modification time identify a shim build; copies get the source's time too.
fn stamp_of(meta: &fs::Metadata) -> String {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{} {}", meta.len(), mtime)
}

/// Creates `dest` as a complete shim in one step: a hard link appears whole; a copy is
/// written beside it and renamed into place.
fn place(src: &Path, src_meta: &fs::Metadata, dest: &Path) -> io::Result<()> {
    if fs::hard_link(src, dest).is_ok() {
        return Ok(());
    }
    land_via_temp(dest, |tmp| copy_with_time(src, src_meta, tmp))
}

/// Replaces an existing shim, which may be running (see [`replace_file`]).
fn replace(src: &Path, src_meta: &fs::Metadata, dest: &Path) -> io::Result<()> {
    replace_file(dest, |tmp| {
        fs::hard_link(src, tmp).or_else(|_| copy_with_time(src, src_meta, tmp))
    })
}

/// Takes a stale shim's name away at once by renaming it aside, then deletes it. Windows
/// refuses to delete a program that is running (all shims are one file, hard-linked) and
/// Wine defers the deletion while any of its names is open; a rename works in both cases,
/// and what cannot be deleted yet goes with a later rehash.
fn remove_shim(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        // A directory someone put in shims/ is not ours to delete.
        return Ok(());
    }
    let aside = temp_sibling(path);
    match fs::rename(path, &aside) {
        Ok(()) => {
            let _ = fs::remove_file(&aside);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn copy_with_time(src: &Path, src_meta: &fs::Metadata, dest: &Path) -> io::Result<()> {
    fs::copy(src, dest)?;
    if let Ok(t) = src_meta.modified() {
        fs::File::options()
            .write(true)
            .open(dest)?
            .set_modified(t)?;
    }
    Ok(())
}

/// Whether a command changes what is installed in a version, so the shim that ran it
/// should rehash afterwards: `pip*`, `easy_install*`, and `python … -m pip install|uninstall`.
pub fn needs_rehash_after(command: &str, args: &[std::ffi::OsString]) -> bool {
    let c = command.to_ascii_lowercase();
    if c.starts_with("pip") || c.starts_with("easy_install") {
        return true;
    }
    if !c.starts_with("python") {
        return false;
    }
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let Some(m) = args.iter().position(|a| a == "-m") else {
        return false;
    };
    args.get(m + 1).is_some_and(|module| module == "pip")
        && args[m + 2..]
            .iter()
            .any(|a| a == "install" || a == "uninstall")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::root::RootSource;
    use std::path::PathBuf;

    fn setup() -> (tempfile::TempDir, Root, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let root = Root::new(d.path().join("root"), RootSource::Default);
        for (v, files) in [
            (
                "3.12.1",
                &[
                    "python.exe",
                    "pythonw.exe",
                    "Scripts/pip.exe",
                    "Scripts/pip3.12.exe",
                    "Scripts/activate.bat",
                    "LICENSE.txt",
                ][..],
            ),
            ("3.9.13", &["python.exe", "Scripts/pip3.9.exe"][..]),
        ] {
            for f in files {
                let p = root.version_dir(v).join(f);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(p, "x").unwrap();
            }
        }
        let src = d.path().join("pyv-shim");
        fs::write(&src, "shim v1").unwrap();
        (d, root, src)
    }

    fn shims(root: &Root) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(root.shims_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn places_adds_removes_and_replaces() {
        let (d, root, src) = setup();
        let exts: Vec<String> = [".EXE", ".BAT"].map(String::from).to_vec();
        let installed = crate::selection::installed_in(&root.versions_dir());
        let r = rehash(&root, &src, &installed, &exts).unwrap();
        let want: Vec<String> = ["pip", "pip3.12", "pip3.9", "python", "pythonw"]
            .map(shim_file_name)
            .to_vec();
        assert_eq!(shims(&root), want);
        assert_eq!((r.added, r.removed, r.replaced), (5, 0, 0));
        assert_eq!(
            fs::read_to_string(root.shims_dir().join(shim_file_name("pip"))).unwrap(),
            "shim v1"
        );

        // Nothing changed: nothing done. A stale shim and a leftover temp file go.
        fs::write(root.shims_dir().join("black"), "old").unwrap();
        fs::write(root.shims_dir().join(".python.123.0.tmp"), "partial").unwrap();
        let r = rehash(&root, &src, &installed, &exts).unwrap();
        assert_eq!((r.added, r.removed, r.replaced), (0, 1, 0));
        assert_eq!(shims(&root), want);
        assert!(!root.shims_dir().join(".python.123.0.tmp").exists());

        // A new shim build replaces every shim.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&src, "shim v2 (longer)").unwrap();
        let r = rehash(&root, &src, &installed, &exts).unwrap();
        assert_eq!(r.replaced, 5);
        assert_eq!(
            fs::read_to_string(root.shims_dir().join(shim_file_name("python"))).unwrap(),
            "shim v2 (longer)"
        );
        drop(d);
    }

    #[test]
    fn missing_shim_binary_is_a_clear_error() {
        let (d, root, _) = setup();
        let e = rehash(&root, &d.path().join("nope"), &[], &[]).unwrap_err();
        assert!(matches!(e, Error::ShimMissing(_)));
    }

    #[test]
    fn pip_and_python_m_pip_trigger_rehash() {
        let a = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert!(needs_rehash_after("pip3.12", &a(&["install", "black"])));
        assert!(needs_rehash_after("easy_install", &a(&[])));
        assert!(needs_rehash_after(
            "python",
            &a(&["-m", "pip", "install", "black"])
        ));
        assert!(needs_rehash_after(
            "python3.12",
            &a(&["-X", "utf8", "-m", "pip", "uninstall", "-y", "x"])
        ));
        assert!(!needs_rehash_after("python", &a(&["-m", "pip", "list"])));
        assert!(!needs_rehash_after("python", &a(&["-c", "pass"])));
        assert!(!needs_rehash_after("black", &a(&["."])));
    }
}
