//! The name the user called us by (`pyv` or `pyenv`), used in every message so that a
//! `pyenv.exe` copy talks like pyenv-win.

use std::sync::OnceLock;

static NAME: OnceLock<String> = OnceLock::new();

/// Sets the program name from `argv[0]`: `pyenv` when the file stem is `pyenv`, else `pyv`.
pub fn set_from_argv0(argv0: Option<&std::ffi::OsStr>) {
    let stem = argv0
        .and_then(|a| std::path::Path::new(a).file_stem())
        .map(|s| s.to_string_lossy().to_ascii_lowercase());
    let name = if stem.as_deref() == Some("pyenv") {
        "pyenv"
    } else {
        "pyv"
    };
    let _ = NAME.set(name.to_string());
}

/// Sets the program name once, before anything is printed (the shim, for an error).
pub fn set(name: &str) {
    let _ = NAME.set(name.to_string());
}

pub fn name() -> &'static str {
    NAME.get().map(String::as_str).unwrap_or("pyv")
}

/// The name the CLI of the tree at `root` answers to, for a shim's messages: `pyenv` where
/// `<root>/bin/pyenv` exists (`self install` writes it, and a pyenv has its own), else
/// `pyv`. It reads the file system, so only for a message about to be printed.
pub fn of_tree(root: &std::path::Path) -> &'static str {
    if root.join("bin").join("pyenv").symlink_metadata().is_ok() {
        "pyenv"
    } else {
        "pyv"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_with_bin_pyenv_answers_as_pyenv() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(of_tree(d.path()), "pyv");
        std::fs::create_dir_all(d.path().join("bin")).unwrap();
        std::fs::write(d.path().join("bin").join("pyv"), "").unwrap();
        assert_eq!(of_tree(d.path()), "pyv");
        std::fs::write(d.path().join("bin").join("pyenv"), "").unwrap();
        assert_eq!(of_tree(d.path()), "pyenv");
    }
}
