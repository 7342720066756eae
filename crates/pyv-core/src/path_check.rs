//! `pyv doctor`'s PATH check: is pyv's shims folder on PATH, and does anything before it
//! provide `python`, `python3` or `pip` (which would then run instead of the shims)?
//!
//! Pure: PATH, the shims folder and the `PATHEXT` extensions come in as arguments, so the
//! Windows rules are tested on every OS.

use crate::exe;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The commands whose lookup decides whether pyv is in charge of Python.
pub const COMMANDS: [&str; 3] = ["python", "python3", "pip"];

/// A file on PATH that runs instead of a shim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shadow {
    /// `python`, `python3` or `pip`.
    pub command: String,
    /// The PATH entry, as written in PATH.
    pub dir: PathBuf,
    /// The file that runs (`C:\Python312\python.exe`).
    pub file: PathBuf,
    /// Zero-based position of `dir` in PATH.
    pub position: usize,
    /// `dir` is `%LOCALAPPDATA%\Microsoft\WindowsApps`: the file is a Microsoft Store
    /// "app execution alias" (it opens the Store, or a Store Python, not pyv's choice).
    pub store_alias: bool,
}

/// The outcome of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathCheck {
    pub shims_dir: PathBuf,
    /// Zero-based position of the first PATH entry that is the shims folder.
    pub shims_position: Option<usize>,
    /// Number of PATH entries (empty ones included, as they count for positions).
    pub entries: usize,
    /// What runs instead of the shims: every provider in a folder before the shims folder;
    /// when the shims folder is not on PATH, the first provider of each command.
    pub shadowing: Vec<Shadow>,
}

impl PathCheck {
    /// The shims folder is on PATH and nothing before it provides a checked command.
    pub fn is_ok(&self) -> bool {
        self.shims_position.is_some() && self.shadowing.is_empty()
    }

    /// Folders that shadow the shims, each once, in PATH order.
    pub fn shadowing_dirs(&self) -> Vec<&Shadow> {
        let mut seen: Vec<usize> = Vec::new();
        self.shadowing
            .iter()
            .filter(|s| {
                let new = !seen.contains(&s.position);
                seen.push(s.position);
                new
            })
            .collect()
    }
}

/// Checks `path_var` (PATH as the OS separates it) against `shims_dir`.
pub fn check(path_var: Option<&OsStr>, shims_dir: &Path, exts: &[String]) -> PathCheck {
    let dirs: Vec<PathBuf> = path_var
        .map(|p| std::env::split_paths(p).collect())
        .unwrap_or_default();
    let shims_position = dirs.iter().position(|d| same_dir(d, shims_dir));
    let before = shims_position.unwrap_or(dirs.len());
    let mut shadowing = Vec::new();
    for (position, dir) in dirs.iter().enumerate().take(before) {
        // An empty entry means the current folder on Unix only; it is not what doctor is
        // about, and on Windows it means nothing.
        if dir.as_os_str().is_empty() {
            continue;
        }
        for command in COMMANDS {
            if shims_position.is_none() && shadowing.iter().any(|s: &Shadow| s.command == command) {
                continue;
            }
            if let Some(file) = provider(dir, command, exts) {
                shadowing.push(Shadow {
                    command: command.to_string(),
                    dir: dir.clone(),
                    file,
                    position,
                    store_alias: is_store_alias_dir(dir),
                });
            }
        }
    }
    PathCheck {
        shims_dir: shims_dir.to_path_buf(),
        shims_position,
        entries: dirs.len(),
        shadowing,
    }
}

/// `...\Microsoft\WindowsApps`, the folder of the Store's app execution aliases.
pub fn is_store_alias_dir(dir: &Path) -> bool {
    let mut names = dir
        .components()
        .rev()
        .map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase());
    names.next().as_deref() == Some("windowsapps") && names.next().as_deref() == Some("microsoft")
}

fn provider(dir: &Path, command: &str, exts: &[String]) -> Option<PathBuf> {
    exe::find_in_dir(dir, command, exts).or_else(|| {
        // App execution aliases are reparse points that a plain open cannot follow; older
        // Rust std versions report them as missing, so look at the link itself too.
        if !is_store_alias_dir(dir) {
            return None;
        }
        exts.iter()
            .flat_map(|e| [e.clone(), e.to_ascii_lowercase()])
            .map(|e| dir.join(format!("{command}{e}")))
            .find(|p| std::fs::symlink_metadata(p).is_ok())
    })
}

/// The same folder, however PATH spells it: separators, a trailing separator, letter case
/// on Windows, or (when both exist) the same canonical folder.
pub(crate) fn same_dir(a: &Path, b: &Path) -> bool {
    let norm = |p: &Path| {
        let s = p.to_string_lossy().replace('\\', "/");
        let s = s.trim_end_matches('/');
        if cfg!(windows) {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        }
    };
    if !a.as_os_str().is_empty() && norm(a) == norm(b) {
        return true;
    }
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// Whether `a` and `b` are the same file, links followed (a command linked to the shim).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    // std has no stable file id on Windows; the final paths of both tell the same.
    #[cfg(not(unix))]
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn exts() -> Vec<String> {
        exe::extensions_from(Some(".COM;.EXE;.BAT;.CMD".into()))
    }

    fn touch(p: &Path) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "").unwrap();
    }

    fn join(dirs: &[&Path]) -> OsString {
        std::env::join_paths(dirs).unwrap()
    }

    struct Tree {
        _tmp: tempfile::TempDir,
        shims: PathBuf,
        python312: PathBuf,
        store: PathBuf,
        tools: PathBuf,
    }

    fn tree() -> Tree {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().to_path_buf();
        let shims = base.join("pyenv-win").join("shims");
        touch(&shims.join("python.exe"));
        let python312 = base.join("Python312");
        touch(&python312.join("python.exe"));
        touch(&python312.join("Scripts").join("pip.exe"));
        let store = base.join("AppData/Local/Microsoft/WindowsApps");
        touch(&store.join("python.exe"));
        touch(&store.join("python3.exe"));
        let tools = base.join("tools");
        touch(&tools.join("git.exe"));
        Tree {
            _tmp: tmp,
            shims,
            python312,
            store,
            tools,
        }
    }

    #[test]
    fn shims_first_is_ok() {
        let t = tree();
        let path = join(&[&t.tools, &t.shims, &t.python312, &t.store]);
        let c = check(Some(&path), &t.shims, &exts());
        assert_eq!(c.shims_position, Some(1));
        assert_eq!(c.entries, 4);
        assert!(c.shadowing.is_empty(), "{:?}", c.shadowing);
        assert!(c.is_ok());
    }

    #[test]
    fn folders_before_the_shims_are_named_with_their_files() {
        let t = tree();
        let scripts = t.python312.join("Scripts");
        let path = join(&[&t.python312, &scripts, &t.store, &t.shims]);
        let c = check(Some(&path), &t.shims, &exts());
        assert!(!c.is_ok());
        assert_eq!(c.shims_position, Some(3));
        let got: Vec<(&str, PathBuf, usize, bool)> = c
            .shadowing
            .iter()
            .map(|s| {
                (
                    s.command.as_str(),
                    s.file.clone(),
                    s.position,
                    s.store_alias,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("python", t.python312.join("python.exe"), 0, false),
                ("pip", scripts.join("pip.exe"), 1, false),
                ("python", t.store.join("python.exe"), 2, true),
                ("python3", t.store.join("python3.exe"), 2, true),
            ]
        );
        let dirs: Vec<usize> = c.shadowing_dirs().iter().map(|s| s.position).collect();
        assert_eq!(dirs, vec![0, 1, 2]);
    }

    #[test]
    fn missing_shims_reports_what_runs_instead() {
        let t = tree();
        let scripts = t.python312.join("Scripts");
        let path = join(&[&t.tools, &t.store, &t.python312, &scripts]);
        let c = check(Some(&path), &t.shims, &exts());
        assert_eq!(c.shims_position, None);
        assert!(!c.is_ok());
        // First provider of each command only: the store aliases win python/python3.
        let got: Vec<(&str, usize)> = c
            .shadowing
            .iter()
            .map(|s| (s.command.as_str(), s.position))
            .collect();
        assert_eq!(got, vec![("python", 1), ("python3", 1), ("pip", 3)]);
        assert!(!check(None, &t.shims, &exts()).is_ok());
        let only_tools = join(&[&t.tools]);
        let c = check(Some(&only_tools), &t.shims, &exts());
        assert!(c.shadowing.is_empty() && !c.is_ok());
    }

    #[test]
    fn shims_spelled_differently_still_match() {
        let t = tree();
        let trailing = PathBuf::from(format!("{}/", t.shims.display()));
        let dotted = t.shims.join("..").join("shims");
        for spelling in [trailing, dotted] {
            let path = join(&[&spelling, &t.python312]);
            let c = check(Some(&path), &t.shims, &exts());
            assert_eq!(c.shims_position, Some(0), "{}", spelling.display());
            assert!(c.is_ok());
        }
    }

    #[test]
    fn without_pathext_only_executables_count() {
        use std::os::unix::fs::PermissionsExt;
        let t = tree();
        let bin = t.tools.join("bin");
        touch(&bin.join("python3"));
        let path = join(&[&bin, &t.shims]);
        assert!(check(Some(&path), &t.shims, &[]).is_ok(), "not executable");
        std::fs::set_permissions(bin.join("python3"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        let c = check(Some(&path), &t.shims, &[]);
        assert_eq!(c.shadowing.len(), 1);
        assert_eq!(c.shadowing[0].file, bin.join("python3"));
    }

    #[test]
    fn store_alias_folder_is_recognised_in_any_case() {
        assert!(is_store_alias_dir(Path::new(
            "/Users/x/AppData/Local/microsoft/windowsapps"
        )));
        assert!(is_store_alias_dir(Path::new(
            "/Users/x/AppData/Local/Microsoft/WindowsApps/"
        )));
        assert!(!is_store_alias_dir(Path::new("/Program Files/WindowsApps")));
        assert!(!is_store_alias_dir(Path::new("/x/WindowsApps/python")));
    }
}
