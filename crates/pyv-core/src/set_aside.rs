//! The one work folder that still *is* a version. `install --force` renames the previous
//! version to `versions/.pyv-old-<pid>-<n>-<name>` and then the new one to
//! `versions/<name>` (Windows cannot swap two folders in one step). A process killed
//! between the two renames leaves no `versions/<name>`; selection then takes the folder set
//! aside for that version, so at every instant the version is the old or the new one, and
//! the next `pyv` command gives it its name back (`pyv_install::repair`).
//!
//! Only looked for when `versions/<name>` is missing: the shim pays nothing otherwise.

use crate::name::is_valid_name;
use std::path::{Path, PathBuf};

/// How pyv-install names the previous version during `install --force`.
pub const OLD_PREFIX: &str = ".pyv-old-";

/// The version a set-aside folder name stands for: `3.12.4` for `.pyv-old-812-0-3.12.4`.
pub fn version_of(file_name: &str) -> Option<&str> {
    let rest = file_name.strip_prefix(OLD_PREFIX)?;
    let (pid, rest) = rest.split_once('-')?;
    let (n, name) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(pid) && digits(n) && is_valid_name(name)).then_some(name)
}

/// The folder set aside for version `name` in `versions_dir`, the first by file name when a
/// crash happened more than once (the one `pyv_install::repair` restores).
pub fn find(versions_dir: &Path, name: &str) -> Option<PathBuf> {
    std::fs::read_dir(versions_dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .and_then(version_of)
                .is_some_and(|n| n == name)
        })
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lookup() {
        assert_eq!(version_of(".pyv-old-812-0-3.12.4"), Some("3.12.4"));
        assert_eq!(
            version_of(".pyv-old-812-0-3.12.4-win32"),
            Some("3.12.4-win32")
        );
        for not in [
            ".pyv-tmp-812-0-3.12.4",
            ".pyv-old-x-0-3.12.4",
            ".pyv-old-812-0-",
            ".pyv-old-812-0-.hidden",
            "3.12.4",
        ] {
            assert_eq!(version_of(not), None, "{not}");
        }
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find(dir.path(), "3.12.4"), None);
        std::fs::create_dir(dir.path().join(".pyv-old-9-1-3.12.4")).unwrap();
        std::fs::create_dir(dir.path().join(".pyv-old-10-0-3.12.4")).unwrap();
        std::fs::create_dir(dir.path().join(".pyv-old-9-2-3.12.4-win32")).unwrap();
        std::fs::write(dir.path().join(".pyv-old-1-0-3.12.4"), "not a folder").unwrap();
        assert_eq!(
            find(dir.path(), "3.12.4"),
            Some(dir.path().join(".pyv-old-10-0-3.12.4"))
        );
    }
}
