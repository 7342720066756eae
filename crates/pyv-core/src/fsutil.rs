//! File-system helpers shared by every module that writes: a file or folder appears under
//! its name by one rename of a complete temporary sibling, so a reader sees the old content
//! or the new one, never a part, and a failed write leaves no temporary file behind.
//!
//! On Windows a virus scanner or the search indexer often holds a freshly written file open
//! for a moment, which makes renaming it (or the folder it is in) fail with "access denied"
//! or "sharing violation"; [`rename_with_retry`] waits that out.
//!
//! `tempfile`'s `NamedTempFile::persist` is not used: several writers fill the temporary
//! path by hard link, `fs::copy` or as a folder, which needs a name where nothing exists
//! yet; `persist` does not retry on Windows; and the `.<name>.<pid>.<n>.tmp` names are the
//! ones `rehash` and `self uninstall` recognise as leftovers.

use crate::error::Error;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `ERROR_ACCESS_DENIED`: also what Windows reports for a file that is open without
/// `FILE_SHARE_DELETE` or whose deletion is pending.
const ERROR_ACCESS_DENIED: i32 = 5;
/// `ERROR_SHARING_VIOLATION`: another process has the file open.
const ERROR_SHARING_VIOLATION: i32 = 32;
/// `ERROR_LOCK_VIOLATION`: another process has locked a region of the file.
const ERROR_LOCK_VIOLATION: i32 = 33;

/// Whether a rename that failed with Windows error `code` may succeed if tried again a
/// moment later: the codes for a file someone else has open. Only Windows retries.
pub fn rename_error_is_transient(code: Option<i32>) -> bool {
    matches!(
        code,
        Some(ERROR_ACCESS_DENIED | ERROR_SHARING_VIOLATION | ERROR_LOCK_VIOLATION)
    )
}

/// How long [`rename_with_retry`] keeps trying: scanners release a new file within a
/// second or two; a real permission problem should not make a command hang.
const RETRY_BUDGET: Duration = Duration::from_secs(5);

/// The waits between rename attempts: doubling from 20 ms, at most 1 s each, stopping
/// before their sum exceeds [`RETRY_BUDGET`].
fn retry_delays() -> impl Iterator<Item = Duration> {
    let first = Duration::from_millis(20);
    let longest = Duration::from_secs(1);
    std::iter::successors(Some(first), move |d| Some((*d * 2).min(longest))).scan(
        Duration::ZERO,
        |total, d| {
            *total += d;
            (*total <= RETRY_BUDGET).then_some(d)
        },
    )
}

/// `fs::rename`, tried again with short, growing waits for a few seconds on Windows while
/// it fails because another process has `from` or `to` open. Elsewhere a plain rename.
pub fn rename_with_retry(from: &Path, to: &Path) -> io::Result<()> {
    if cfg!(windows) {
        for delay in retry_delays() {
            match fs::rename(from, to) {
                Err(e) if rename_error_is_transient(e.raw_os_error()) => std::thread::sleep(delay),
                done => return done,
            }
        }
    }
    fs::rename(from, to)
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

/// A fresh [`temp_sibling`] path that is removed when dropped (file, link or whole folder,
/// whatever was made there) unless it was landed: every error path and panic cleans up.
#[derive(Debug)]
pub struct TempSibling {
    path: PathBuf,
    landed: bool,
}

impl TempSibling {
    /// A new name beside `dest`; nothing is created.
    pub fn beside(dest: &Path) -> TempSibling {
        TempSibling {
            path: temp_sibling(dest),
            landed: false,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames what was made at the temporary path to `dest` ([`rename_with_retry`]).
    /// On failure it is removed when `self` is dropped.
    pub fn land(mut self, dest: &Path) -> io::Result<()> {
        rename_with_retry(&self.path, dest)?;
        self.landed = true;
        Ok(())
    }

    /// One plain rename to `dest`, no retry; on failure the caller keeps the temporary.
    fn try_land_once(&mut self, dest: &Path) -> bool {
        self.landed = fs::rename(&self.path, dest).is_ok();
        self.landed
    }
}

impl Drop for TempSibling {
    fn drop(&mut self) {
        if !self.landed {
            // A link is removed itself, never what it points at.
            let _ = match fs::symlink_metadata(&self.path) {
                Ok(m) if m.is_dir() => fs::remove_dir_all(&self.path),
                Ok(_) => fs::remove_file(&self.path),
                Err(_) => Ok(()),
            };
        }
    }
}

/// Makes `dest` appear whole: `fill` makes the file, link or folder at a temporary sibling
/// path (where nothing exists yet), which is then renamed to `dest`. An existing file at
/// `dest` is replaced, except a running program on Windows (see [`replace_file`]).
pub fn land_via_temp(dest: &Path, fill: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
    let tmp = TempSibling::beside(dest);
    fill(tmp.path())?;
    tmp.land(dest)
}

/// [`land_via_temp`] for a file `fill` writes through a handle; the data is on disk before
/// the rename, so a crash cannot leave `dest` named but empty.
pub fn write_via_temp(
    dest: &Path,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    land_via_temp(dest, |tmp| {
        let mut f = fs::File::create(tmp)?;
        fill(&mut f)?;
        f.sync_all()
    })
}

/// Writes `data` to `path` by [`write_via_temp`].
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), Error> {
    write_via_temp(path, |f| f.write_all(data)).map_err(|e| Error::io(path, e))
}

/// Replaces the file `dest` with one `fill` makes at a temporary sibling. Windows refuses
/// to overwrite a running program but lets it be renamed, so a busy `dest` is moved aside
/// first (and deleted if it can be; else it stays a `.tmp` leftover). If the new file cannot
/// take the name, the old one gets it back: `dest` is never left missing.
pub fn replace_file(dest: &Path, fill: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
    let mut tmp = TempSibling::beside(dest);
    fill(tmp.path())?;
    // No retry here: a running program at `dest` refuses at once, and waiting would not
    // change that; moving it aside does.
    if tmp.try_land_once(dest) {
        return Ok(());
    }
    let aside = temp_sibling(dest);
    rename_with_retry(dest, &aside)?;
    match tmp.land(dest) {
        Ok(()) => {
            let _ = fs::remove_file(&aside);
            Ok(())
        }
        Err(e) => {
            let _ = rename_with_retry(&aside, dest);
            Err(e)
        }
    }
}

/// Copies the folder `src` to `dest` (which must not exist) through a temporary sibling
/// renamed into place at the end, so `dest` never exists half-copied. Links inside are
/// copied as links (Unix), not followed.
pub fn copy_dir_atomic(src: &Path, dest: &Path) -> Result<(), Error> {
    copy_dir_atomic_then(src, dest, |_| Ok::<(), Error>(()))
}

/// [`copy_dir_atomic`] with `fix` run on the whole copy before it gets its name (`duplicate`
/// rewrites the paths of the source in it); when `fix` fails, nothing is left.
pub fn copy_dir_atomic_then<E: From<Error>>(
    src: &Path,
    dest: &Path,
    fix: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    if dest.exists() {
        return Err(Error::io(
            dest,
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        )
        .into());
    }
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let tmp = TempSibling::beside(dest);
    copy_tree(src, tmp.path())?;
    fix(tmp.path())?;
    Ok(tmp.land(dest).map_err(|e| Error::io(dest, e))?)
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
    fn retries_only_while_another_process_holds_the_file() {
        // access denied, sharing violation, lock violation
        for code in [5, 32, 33] {
            assert!(rename_error_is_transient(Some(code)), "{code}");
        }
        // file not found, path not found, not same device, already exists, no OS code
        for code in [Some(2), Some(3), Some(17), Some(183), None] {
            assert!(!rename_error_is_transient(code), "{code:?}");
        }
    }

    #[test]
    fn retry_waits_grow_and_stay_within_the_budget() {
        let delays: Vec<Duration> = retry_delays().collect();
        assert_eq!(delays[0], Duration::from_millis(20));
        assert!(delays.windows(2).all(|w| w[0] <= w[1]));
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(1)));
        assert!(delays.iter().sum::<Duration>() <= RETRY_BUDGET);
        assert_eq!(delays.len(), 9);
    }

    #[test]
    fn rename_with_retry_is_a_rename() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "x").unwrap();
        rename_with_retry(&a, &b).unwrap();
        assert_eq!(names(dir.path()), ["b"]);
        let e = rename_with_retry(&a, &b).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn write_atomic_replaces_an_existing_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("version");
        write_atomic(&dest, b"3.12.1\n").unwrap();
        write_atomic(&dest, b"3.13.0\n").unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "3.13.0\n");
        assert_eq!(names(dir.path()), ["version"]);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("version");
        std::fs::write(&dest, "old").unwrap();
        // The fill fails after writing part of the file.
        let e = write_via_temp(&dest, |f| {
            f.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        assert_eq!(names(dir.path()), ["version"]);
        // The rename fails: a folder is in the way.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("inside")).unwrap();
        assert!(write_atomic(&blocked, b"x").is_err());
        assert_eq!(names(dir.path()), ["blocked", "version"]);
        // A folder made at the temporary path goes too, with what is in it.
        assert!(land_via_temp(&blocked, |tmp| {
            std::fs::create_dir(tmp)?;
            std::fs::write(tmp.join("f"), "x")
        })
        .is_err());
        assert_eq!(names(dir.path()), ["blocked", "version"]);
        // A panicking fill cleans up as well.
        let panicked = std::panic::catch_unwind(|| {
            let _ = land_via_temp(&dest, |tmp| {
                std::fs::write(tmp, "x").unwrap();
                panic!("fill panicked")
            });
        });
        assert!(panicked.is_err());
        assert_eq!(names(dir.path()), ["blocked", "version"]);
    }

    #[cfg(unix)]
    #[test]
    fn cleanup_removes_a_link_not_what_it_points_at() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "x").unwrap();
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("inside")).unwrap();
        assert!(land_via_temp(&blocked, |tmp| std::os::unix::fs::symlink(&target, tmp)).is_err());
        assert_eq!(names(dir.path()), ["blocked", "target"]);
        assert_eq!(names(&target), ["keep"]);
    }

    #[test]
    fn copy_dir_atomic_copies_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("Lib")).unwrap();
        std::fs::write(src.join("python.exe"), "MZ").unwrap();
        std::fs::write(src.join("Lib").join("os.py"), "").unwrap();
        let dest = dir.path().join("versions").join("copy");
        copy_dir_atomic(&src, &dest).unwrap();
        assert_eq!(names(&dest), ["Lib", "python.exe"]);
        assert_eq!(names(&dest.join("Lib")), ["os.py"]);
        assert!(copy_dir_atomic(&src, &dest).is_err());
        let missing = dir.path().join("missing");
        let other = dir.path().join("versions").join("other");
        assert!(copy_dir_atomic(&missing, &other).is_err());
        assert_eq!(names(&dir.path().join("versions")), ["copy"]);
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
