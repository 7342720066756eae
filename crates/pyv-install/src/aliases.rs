//! pyenv-win's extra interpreter names: beside `python.exe` it puts `python3.exe`,
//! `python39.exe` and `python3.9.exe` (same for `pythonw`), and the same in the venv
//! launcher folder `Lib\venv\scripts\nt` so that `python3.9 -m venv` makes working venvs
//! (pyenv-win #490). They are copies, made only where the source exists and the alias
//! does not. Names are Windows file names (`.exe`) on every OS: the packages are Windows
//! packages, whatever machine unpacks them.

use super::error::InstallError;
use pyv_core::fsutil::land_via_temp;
use pyv_core::name::VersionName;
use std::fs;
use std::path::{Path, PathBuf};

/// The interpreter names that get aliases.
const BASES: [&str; 2] = ["python", "pythonw"];

/// Folders (below the version folder) that get aliases.
fn alias_dirs(dir: &Path) -> [PathBuf; 2] {
    [
        dir.to_path_buf(),
        dir.join("Lib").join("venv").join("scripts").join("nt"),
    ]
}

/// `python3.exe`, `python39.exe`, `python3.9.exe` for `base` `python` and 3.9, and the
/// plain `python.exe` (which only a free-threaded package can lack).
pub fn alias_names(base: &str, (major, minor): (u32, u32)) -> [String; 4] {
    [
        format!("{base}.exe"),
        format!("{base}{major}.exe"),
        format!("{base}{major}{minor}.exe"),
        format!("{base}{major}.{minor}.exe"),
    ]
}

/// The file the aliases copy: `python.exe`, or for a free-threaded package without one,
/// `python3.13t.exe`.
fn source_names(base: &str, (major, minor): (u32, u32)) -> [String; 2] {
    [format!("{base}.exe"), format!("{base}{major}.{minor}t.exe")]
}

/// The Python language version (major, minor) of version `name` in `dir`: from a CPython
/// name (`3.9.4-win32`), a PyPy name (`pypy3.10-v7.3.17-win64`), else from the
/// interpreter DLL in the folder (`python312.dll`).
pub fn python_minor(name: &str, dir: &Path) -> Option<(u32, u32)> {
    if let Some(m) = VersionName::new(name).cpython().and_then(|c| c.minor()) {
        return Some(m);
    }
    if let Some(rest) = name.strip_prefix("pypy") {
        let v = rest.split('-').next().unwrap_or_default();
        if let Some((a, b)) = v.split_once('.') {
            if let (Ok(a), Ok(b)) = (a.parse(), b.parse()) {
                return Some((a, b));
            }
        }
    }
    let entries = fs::read_dir(dir).ok()?;
    entries
        .filter_map(Result::ok)
        .find_map(|e| dll_minor(&e.file_name().to_string_lossy()))
}

/// `python312.dll` → (3, 12), `python313t.dll` → (3, 13), `python27.dll` → (2, 7);
/// `python3.dll` (the stable ABI) names no minor version.
fn dll_minor(file: &str) -> Option<(u32, u32)> {
    let lower = file.to_ascii_lowercase();
    let digits = lower.strip_prefix("python")?.strip_suffix(".dll")?;
    let digits = digits.strip_suffix('t').unwrap_or(digits);
    if digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (major, minor) = digits.split_at(1);
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Adds the aliases in version folder `dir` of version `name`; returns the files made.
/// A version whose Python version cannot be told gets none.
pub fn add_aliases(dir: &Path, name: &str) -> Result<Vec<PathBuf>, InstallError> {
    let Some(minor) = python_minor(name, dir) else {
        return Ok(Vec::new());
    };
    let mut made = Vec::new();
    for folder in alias_dirs(dir) {
        for base in BASES {
            let Some(source) = source_names(base, minor)
                .iter()
                .map(|n| folder.join(n))
                .find(|p| p.is_file())
            else {
                continue;
            };
            for alias in alias_names(base, minor) {
                let path = folder.join(&alias);
                if path == source || fs::symlink_metadata(&path).is_ok() {
                    continue;
                }
                copy_new(&source, &path)?;
                made.push(path);
            }
        }
    }
    Ok(made)
}

/// Copies beside the alias then renames, so a half-copied alias never has its name.
fn copy_new(source: &Path, alias: &Path) -> Result<(), InstallError> {
    land_via_temp(alias, |tmp| fs::copy(source, tmp).map(drop))
        .map_err(|e| InstallError::io("create", alias, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path, content: &str) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".exe"))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn tells_the_python_version() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(python_minor("3.9.4-win32", d.path()), Some((3, 9)));
        assert_eq!(python_minor("3.11.0a5-arm", d.path()), Some((3, 11)));
        assert_eq!(
            python_minor("pypy3.10-v7.3.17-win64", d.path()),
            Some((3, 10))
        );
        assert_eq!(python_minor("3", d.path()), None);
        assert_eq!(python_minor("graalpy-24.1.0-windows-amd64", d.path()), None);
        touch(&d.path().join("python3.dll"), "");
        assert_eq!(python_minor("conda-x", d.path()), None);
        touch(&d.path().join("python312.dll"), "");
        assert_eq!(python_minor("conda-x", d.path()), Some((3, 12)));
        assert_eq!(dll_minor("python313t.dll"), Some((3, 13)));
        assert_eq!(dll_minor("Python27.DLL"), Some((2, 7)));
        assert_eq!(dll_minor("pythoncom312.dll"), None);
    }

    #[test]
    fn copies_python_and_pythonw_in_both_folders_without_overwriting() {
        let d = tempfile::tempdir().unwrap();
        let v = d.path();
        touch(&v.join("python.exe"), "console");
        touch(&v.join("pythonw.exe"), "windowed");
        // A package's own python3.exe is kept as it is.
        touch(&v.join("python3.exe"), "package's own");
        let nt = v.join("Lib/venv/scripts/nt");
        touch(&nt.join("python.exe"), "venv launcher");

        let made = add_aliases(v, "3.9.13").unwrap();
        assert_eq!(
            names_in(v),
            [
                "python.exe",
                "python3.9.exe",
                "python3.exe",
                "python39.exe",
                "pythonw.exe",
                "pythonw3.9.exe",
                "pythonw3.exe",
                "pythonw39.exe"
            ]
        );
        assert_eq!(
            fs::read_to_string(v.join("python39.exe")).unwrap(),
            "console"
        );
        assert_eq!(
            fs::read_to_string(v.join("pythonw3.9.exe")).unwrap(),
            "windowed"
        );
        assert_eq!(
            fs::read_to_string(v.join("python3.exe")).unwrap(),
            "package's own"
        );
        // No pythonw launcher in the venv folder: only python aliases there.
        assert_eq!(
            names_in(&nt),
            ["python.exe", "python3.9.exe", "python3.exe", "python39.exe"]
        );
        assert_eq!(
            fs::read_to_string(nt.join("python3.9.exe")).unwrap(),
            "venv launcher"
        );
        assert_eq!(made.len(), 5 + 3);
        // Running again changes nothing.
        assert!(add_aliases(v, "3.9.13").unwrap().is_empty());
    }

    #[test]
    fn free_threaded_package_without_python_exe_gets_one() {
        let d = tempfile::tempdir().unwrap();
        touch(&d.path().join("python3.13t.exe"), "ft");
        add_aliases(d.path(), "3.13.1t").unwrap();
        assert_eq!(
            names_in(d.path()),
            [
                "python.exe",
                "python3.13.exe",
                "python3.13t.exe",
                "python3.exe",
                "python313.exe"
            ]
        );
        assert_eq!(
            fs::read_to_string(d.path().join("python.exe")).unwrap(),
            "ft"
        );
    }

    #[test]
    fn nothing_without_an_interpreter_or_a_version() {
        let d = tempfile::tempdir().unwrap();
        assert!(add_aliases(d.path(), "3.12.1").unwrap().is_empty());
        touch(&d.path().join("python.exe"), "x");
        assert!(add_aliases(d.path(), "mystery").unwrap().is_empty());
        assert_eq!(names_in(d.path()), ["python.exe"]);
    }
}
