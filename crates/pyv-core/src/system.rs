//! The `system` version: the Python found outside pyv.
//!
//! On Windows: PEP 514 registry entries (HKCU, then HKLM 64- and 32-bit views), then PATH
//! without pyv's shims and without the `WindowsApps` store aliases. Elsewhere: the first
//! `python3`/`python` on PATH outside the shims.

use crate::error::Error;
use crate::exe;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemPython {
    /// The interpreter (`C:\Python312\python.exe`, `/usr/bin/python3`).
    pub executable: PathBuf,
    /// The folder commands are looked up in (`C:\Python312`, `/usr/bin`).
    pub prefix: PathBuf,
    /// Where it was found, for `pyv doctor` and messages (`PATH`, a registry key).
    pub found_by: String,
}

/// The first system Python: registry on Windows, then PATH.
pub fn discover(
    shims_dir: &Path,
    path_var: Option<OsString>,
    exts: &[String],
) -> Option<SystemPython> {
    #[cfg(windows)]
    if let Some(found) = crate::windows::discover_pep514(shims_dir) {
        return Some(found);
    }
    discover_on_path(shims_dir, path_var, exts)
}

/// The first folder on PATH, shims and store aliases excluded, that has a Python.
pub fn discover_on_path(
    shims_dir: &Path,
    path_var: Option<OsString>,
    exts: &[String],
) -> Option<SystemPython> {
    let names: &[&str] = if cfg!(windows) {
        &["python", "python3"]
    } else {
        &["python3", "python"]
    };
    let path_var = path_var?;
    std::env::split_paths(&path_var)
        .filter(|dir| !dir.as_os_str().is_empty() && !is_excluded(dir, shims_dir))
        .find_map(|dir| {
            let executable = names.iter().find_map(|n| exe::find_in_dir(&dir, n, exts))?;
            Some(SystemPython {
                executable,
                prefix: dir,
                found_by: "PATH".to_string(),
            })
        })
}

/// pyv's own shims would find pyv again; `WindowsApps` holds the Store's
/// "install Python" stubs, which are not a Python.
fn is_excluded(dir: &Path, shims_dir: &Path) -> bool {
    crate::path_check::same_dir(dir, shims_dir)
        || dir.components().any(|c| {
            c.as_os_str()
                .to_string_lossy()
                .eq_ignore_ascii_case("WindowsApps")
        })
}

pub fn not_found_error() -> Error {
    let searched = if cfg!(windows) {
        "the registry (PEP 514) and PATH"
    } else {
        "PATH for python3 and python"
    };
    Error::NoSystemPython {
        searched: searched.to_string(),
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn exe_file(p: &Path) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn skips_shims_and_store_aliases() {
        let d = tempfile::tempdir().unwrap();
        let shims = d.path().join("shims");
        let store = d.path().join("WindowsApps");
        let real = d.path().join("usr").join("bin");
        exe_file(&shims.join("python3"));
        exe_file(&store.join("python3"));
        exe_file(&real.join("python3"));
        let path = std::env::join_paths([&shims, &store, &real]).unwrap();
        let found = discover_on_path(&shims, Some(path), &[]).unwrap();
        assert_eq!(found.executable, real.join("python3"));
        assert_eq!(found.prefix, real);
        let none = std::env::join_paths([&shims]).unwrap();
        assert_eq!(discover_on_path(&shims, Some(none), &[]), None);
    }
}
