//! Finding a command inside a version folder, with Windows' `PATHEXT` rules.

use crate::env::{Env, ProcessEnv};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Windows' own default, used when `PATHEXT` is unset on Windows.
const WINDOWS_PATHEXT: &str = ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC";

/// Executable extensions: `PATHEXT` on every OS when set (so Windows behaviour is testable
/// elsewhere), Windows' default on Windows, none elsewhere.
pub fn extensions() -> Vec<String> {
    extensions_in(&ProcessEnv)
}

/// The same from any environment.
pub fn extensions_in(env: &dyn Env) -> Vec<String> {
    extensions_from(env.var_os("PATHEXT"))
}

pub fn extensions_from(pathext: Option<OsString>) -> Vec<String> {
    let value = match pathext.filter(|v| !v.is_empty()) {
        Some(v) => v.to_string_lossy().into_owned(),
        None if cfg!(windows) => WINDOWS_PATHEXT.to_string(),
        None => return Vec::new(),
    };
    value
        .split(';')
        .map(str::trim)
        .filter(|e| e.len() > 1 && e.starts_with('.'))
        .map(str::to_string)
        .collect()
}

/// The folders of a version that hold commands, in lookup order (pyenv-win's order).
pub fn command_dirs(prefix: &Path) -> [PathBuf; 3] {
    [
        prefix.to_path_buf(),
        prefix.join("Scripts"),
        prefix.join("bin"),
    ]
}

/// The first file that runs `cmd` in a version: the name as given, then with each extension,
/// in the version folder, `Scripts`, then `bin`.
pub fn find_command(prefix: &Path, cmd: &str, exts: &[String]) -> Option<PathBuf> {
    command_dirs(prefix)
        .iter()
        .find_map(|dir| find_in_dir(dir, cmd, exts))
}

/// `cmd` (or `cmd` + an extension) in one folder. Extensions are also tried in lower case,
/// since `.EXE` from `PATHEXT` must find `python.exe` on a case-sensitive file system.
pub fn find_in_dir(dir: &Path, cmd: &str, exts: &[String]) -> Option<PathBuf> {
    if cmd.is_empty() || cmd.contains(['/', '\\']) {
        return None;
    }
    let as_given = dir.join(cmd);
    if is_command_file(&as_given, exts) {
        return Some(as_given);
    }
    // Lower case first: installs name their files `python.exe`, and on a case-insensitive
    // file system `python.EXE` would also match and be printed with the wrong case. Windows
    // ignores case, so there the second spelling would only cost a failed lookup per
    // extension on every shim start.
    for ext in exts {
        let lower = ext.to_ascii_lowercase();
        let as_written = (!cfg!(windows) && lower != *ext).then_some(ext.as_str());
        for e in std::iter::once(lower.as_str()).chain(as_written) {
            let p = dir.join(format!("{cmd}{e}"));
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// With `PATHEXT` in force, any existing file counts (pyenv-win's rule); otherwise the file
/// must be executable.
fn is_command_file(p: &Path, exts: &[String]) -> bool {
    if !exts.is_empty() {
        return p.is_file();
    }
    is_executable(p)
}

#[cfg(unix)]
pub fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
pub fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// The command name a file provides, when it is a program shims should exist for: the stem
/// of `.exe`/`.com` files when extensions are in force (scripts like `activate.bat` must run
/// in the caller's shell, so an exe shim cannot stand in for them), else any executable.
pub fn command_name(file: &Path, exts: &[String]) -> Option<String> {
    let name = file.file_name()?.to_str()?;
    if exts.is_empty() {
        return is_executable(file).then(|| name.to_string());
    }
    let (stem, ext) = name.rsplit_once('.')?;
    let ext = format!(".{ext}");
    let is_program = [".exe", ".com"].iter().any(|p| ext.eq_ignore_ascii_case(p));
    let listed = exts.iter().any(|e| e.eq_ignore_ascii_case(&ext));
    (is_program && listed && !stem.is_empty() && file.is_file()).then(|| stem.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pathext() {
        assert_eq!(
            extensions_from(Some(".COM;.EXE;;bad; .BAT ".into())),
            [".COM", ".EXE", ".BAT"]
        );
        if !cfg!(windows) {
            assert!(extensions_from(None).is_empty());
            assert!(extensions_in(&crate::MemoryEnv::new()).is_empty());
        }
        let env = crate::MemoryEnv::from_pairs([("PATHEXT", ".EXE")]);
        assert_eq!(extensions_in(&env), [".EXE"]);
    }

    #[test]
    fn finds_in_version_scripts_then_bin() {
        let d = tempfile::tempdir().unwrap();
        let v = d.path();
        std::fs::create_dir_all(v.join("Scripts")).unwrap();
        std::fs::write(v.join("python.exe"), "").unwrap();
        std::fs::write(v.join("Scripts").join("pip.exe"), "").unwrap();
        std::fs::write(v.join("Scripts").join("activate.bat"), "").unwrap();
        let exts = extensions_from(Some(".COM;.EXE;.BAT".into()));
        assert_eq!(find_command(v, "python", &exts), Some(v.join("python.exe")));
        assert_eq!(
            find_command(v, "python.exe", &exts),
            Some(v.join("python.exe"))
        );
        assert_eq!(
            find_command(v, "pip", &exts),
            Some(v.join("Scripts").join("pip.exe"))
        );
        assert_eq!(find_command(v, "nope", &exts), None);
        assert_eq!(find_command(v, "../python", &exts), None);
        assert_eq!(
            command_name(&v.join("python.exe"), &exts).as_deref(),
            Some("python")
        );
        assert_eq!(
            command_name(&v.join("Scripts").join("activate.bat"), &exts),
            None
        );
    }
}
