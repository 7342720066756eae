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
