//! File-system helpers shared by the modules that write: every write lands by rename.

use crate::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `data` to a temporary file beside `path`, then renames it over `path`, so a
/// reader sees the old content or the new one, never a part.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), Error> {
    let tmp = temp_sibling(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Replaces the file `dest` with one `fill` writes to a temporary sibling. Windows refuses
/// to overwrite a running program but lets it be renamed, so a busy `dest` is moved aside
/// first (and deleted if it can be; else it stays a `.tmp` leftover). If the new file cannot
/// take the name, the old one gets it back: `dest` is never left missing.
pub fn replace_file(
    dest: &Path,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temp_sibling(dest);
    let result = fill(&tmp).and_then(|_| {
        if std::fs::rename(&tmp, dest).is_ok() {
            return Ok(());
        }
        let aside = temp_sibling(dest);
        std::fs::rename(dest, &aside)?;
        match std::fs::rename(&tmp, dest) {
            Ok(()) => {
                let _ = std::fs::remove_file(&aside);
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::rename(&aside, dest);
                Err(e)
            }
        }
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `<dir>/.<name>.<pid>.<n>.tmp`: unique within this process and across processes.
pub fn temp_sibling(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = N.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Copies the folder `src` to `dest` (which must not exist) through a temporary sibling
/// renamed into place at the end, so `dest` never exists half-copied. Links inside are
/// copied as links (Unix), not followed.
pub fn copy_dir_atomic(src: &Path, dest: &Path) -> Result<(), Error> {
    if dest.exists() {
        return Err(Error::io(
            dest,
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        ));
    }
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let tmp = temp_sibling(dest);
    let result = copy_tree(src, &tmp)
        .and_then(|_| std::fs::rename(&tmp, dest).map_err(|e| Error::io(dest, e)));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn copy_tree(src: &Path, dest: &Path) -> Result<(), Error> {
    std::fs::create_dir(dest).map_err(|e| Error::io(dest, e))?;
    for entry in std::fs::read_dir(src).map_err(|e| Error::io(src, e))? {
        let entry = entry.map_err(|e| Error::io(src, e))?;
        let (from, to) = (entry.path(), dest.join(entry.file_name()));
        let ty = entry.file_type().map_err(|e| Error::io(&from, e))?;
        if ty.is_dir() {
            copy_tree(&from, &to)?;
        } else if ty.is_symlink() && cfg!(unix) {
            #[cfg(unix)]
            {
                let target = std::fs::read_link(&from).map_err(|e| Error::io(&from, e))?;
                std::os::unix::fs::symlink(target, &to).map_err(|e| Error::io(&to, e))?;
            }
        } else {
            std::fs::copy(&from, &to).map_err(|e| Error::io(&from, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replace_file_swaps_in_the_new_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("pyv.exe");
        std::fs::write(&dest, "old").unwrap();
        replace_file(&dest, |tmp| std::fs::write(tmp, "new")).unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(names(dir.path()), ["pyv.exe"]);
    }

    #[test]
    fn replace_file_gives_the_old_file_its_name_back_when_the_new_one_cannot_take_it() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("pyv.exe");
        std::fs::write(&dest, "old").unwrap();
        // A fill that "succeeds" without a file: both renames of it fail, after the old
        // file was moved aside.
        assert!(replace_file(&dest, |_| Ok(())).is_err());
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        assert_eq!(names(dir.path()), ["pyv.exe"]);
        // A failing fill leaves no temporary file.
        assert!(replace_file(&dest, |tmp| {
            std::fs::write(tmp, "half")?;
            Err(std::io::Error::other("disk full"))
        })
        .is_err());
        assert_eq!(names(dir.path()), ["pyv.exe"]);
    }
}
