//! What to run for Windows Installer packages, as pure functions (the spawning is in
//! `windows.rs`). Same steps as pyenv-win: an administrative install (`msiexec /a`) only
//! unpacks files, writing no registry entry, shortcut or Add/Remove Programs entry.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Component MSIs of python.org's installer that must not be applied: they change the
/// machine (the `py` launcher, PATH) or run pip's own installer; pip comes from
/// ensurepip afterwards instead (pyenv-win's list). `ucrt` is the Universal CRT update for
/// Windows before 10, which an administrative install cannot apply anyway.
const SKIPPED_COMPONENTS: [&str; 5] = ["launcher", "path", "appendpath", "pip", "ucrt"];

/// The components without which a layout is not a Python.
pub const REQUIRED_COMPONENTS: [&str; 2] = ["core", "exe"];

/// `msiexec`'s command line (after the program name) for an administrative install of
/// `msi` into `target`, with a log. Returned as raw text because msiexec parses
/// `PROPERTY="value"` itself, which standard argument quoting (`"TARGETDIR=C:\a b"`) breaks.
/// pyenv-win writes `TargetDir`; python.org's MSIs declare `TARGETDIR`, the documented
/// public property, spelled here as declared.
pub fn msiexec_admin_command_line(msi: &Path, target: &Path, log: &Path) -> String {
    format!(
        "/quiet /a {} TARGETDIR={} /L*v {}",
        quote(msi),
        quote(target),
        quote(log)
    )
}

/// A path in double quotes for a Windows command line. Trailing backslashes are dropped
/// (except after a drive) because `\"` would escape the closing quote.
fn quote(p: &Path) -> String {
    let s = p.display().to_string();
    let trimmed = s.trim_end_matches('\\');
    let s = if trimmed.ends_with(':') || trimmed.is_empty() {
        s.as_str()
    } else {
        trimmed
    };
    format!("\"{s}\"")
}

/// The arguments of a WiX Burn bundle (python.org's `.exe` installer) that copy its
/// packages into `layout_dir` without installing anything.
pub fn burn_layout_args(layout_dir: &Path) -> Vec<&OsStr> {
    vec![
        OsStr::new("/quiet"),
        OsStr::new("/layout"),
        layout_dir.as_os_str(),
    ]
}

/// The component MSIs of a bundle layout to apply, in order (`core` first, then by name):
/// every `*.msi` except the skipped components, debug payloads (`*_d`, `*_pdb`, fetched
/// from the network, and only useful to debug CPython itself) and, unless the version is
/// free-threaded, the free-threaded build. One file per component.
pub fn component_msis(layout_files: &[PathBuf], freethreaded: bool) -> Vec<PathBuf> {
    let mut picked: Vec<(String, PathBuf)> = Vec::new();
    for f in layout_files {
        let is_msi = f.extension().is_some_and(|e| e.eq_ignore_ascii_case("msi"));
        let Some(stem) = f
            .file_stem()
            .map(|s| s.to_string_lossy().to_ascii_lowercase())
        else {
            continue;
        };
        if !is_msi
            || SKIPPED_COMPONENTS.contains(&stem.as_str())
            || stem.ends_with("_d")
            || stem.ends_with("_pdb")
            || (stem == "freethreaded" && !freethreaded)
            || picked.iter().any(|(s, _)| *s == stem)
        {
            continue;
        }
        picked.push((stem, f.clone()));
    }
    picked.sort_by(|(a, _), (b, _)| (a != "core", a).cmp(&(b != "core", b)));
    picked.into_iter().map(|(_, p)| p).collect()
}

/// The required components missing from a list of MSIs.
pub fn missing_components(msis: &[PathBuf]) -> Vec<&'static str> {
    REQUIRED_COMPONENTS
        .into_iter()
        .filter(|c| {
            !msis.iter().any(|m| {
                m.file_stem()
                    .is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case(c))
            })
        })
        .collect()
}

/// Every file of a bundle layout, a few folder levels deep (Burn may put payloads in
/// subfolders), in a stable order.
pub fn layout_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        let (dirs, files): (Vec<_>, Vec<_>) = entries
            .into_iter()
            .partition(|e| e.file_type().is_ok_and(|t| t.is_dir()));
        out.extend(files.into_iter().map(|e| e.path()));
        if depth > 0 {
            for d in dirs {
                walk(&d.path(), depth - 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, 2, &mut out);
    out
}

/// An administrative install copies the `.msi` itself into the target folder; those
/// copies are not part of the version (pyenv-win deletes them too).
pub fn remove_msi_copies(target: &Path) -> io::Result<()> {
    for e in fs::read_dir(target)? {
        let p = e?.path();
        if p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("msi")) {
            fs::remove_file(&p)?;
        }
    }
    Ok(())
}

/// What an msiexec (or Burn) exit code means: `Ok` for success (including "restart
/// needed", which an administrative install never really needs), else the explanation
/// and next step for the error message.
pub fn msiexec_outcome(code: i32) -> Result<(), &'static str> {
    match code {
        0 | 1641 | 3010 => Ok(()),
        1602 => Err("the installation was cancelled; run the command again and let it finish"),
        1618 => Err("another installation is in progress; wait for it to finish and run the command again"),
        1619 | 1620 => Err("the package could not be opened or is invalid; delete it and run the install again to download it anew"),
        1625 | 1643 => Err("a system policy forbids this installation; ask your administrator, or pick a version that has a .zip or .nupkg package"),
        1632 => Err("the temp folder is full or not writable; free space in %TEMP% and run the command again"),
        1633 => Err("this package is not for this processor; pick a version built for this machine"),
        _ => Err("the installation failed; read the log for the cause, then run the command again"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn msiexec_command_line_quotes_only_the_values() {
        assert_eq!(
            msiexec_admin_command_line(
                Path::new(r"C:\Users\Jo Do\.pyenv\pyenv-win\install_cache\python-3.4.4.amd64.msi"),
                Path::new(r"C:\Users\Jo Do\.pyenv\pyenv-win\versions\.pyv-tmp-1-0-3.4.4\"),
                Path::new(r"C:\cache\3.4.4.log"),
            ),
            r#"/quiet /a "C:\Users\Jo Do\.pyenv\pyenv-win\install_cache\python-3.4.4.amd64.msi" TARGETDIR="C:\Users\Jo Do\.pyenv\pyenv-win\versions\.pyv-tmp-1-0-3.4.4" /L*v "C:\cache\3.4.4.log""#
        );
        assert_eq!(quote(Path::new(r"C:\")), r#""C:\""#);
    }

    #[test]
    fn burn_layout_arguments() {
        let d = Path::new(r"C:\cache\.pyv-layout-1-0-3.9.13");
        assert_eq!(
            burn_layout_args(d),
            [OsStr::new("/quiet"), OsStr::new("/layout"), d.as_os_str()]
        );
    }

    #[test]
    fn picks_component_msis_like_pyenv_win() {
        let layout = paths(&[
            "L/appendpath.msi",
            "L/core.msi",
            "L/core_d.msi",
            "L/core_pdb.msi",
            "L/dev.msi",
            "L/doc.msi",
            "L/EXE.MSI",
            "L/freethreaded.msi",
            "L/launcher.msi",
            "L/lib.msi",
            "L/path.msi",
            "L/pip.msi",
            "L/tcltk.msi",
            "L/test.msi",
            "L/tools.msi",
            "L/ucrt.msi",
            "L/python-3.9.13-amd64.exe",
            "L/unattend.xml",
            "L/sub/core.msi",
        ]);
        assert_eq!(
            component_msis(&layout, false),
            paths(&[
                "L/core.msi",
                "L/dev.msi",
                "L/doc.msi",
                "L/EXE.MSI",
                "L/lib.msi",
                "L/tcltk.msi",
                "L/test.msi",
                "L/tools.msi"
            ])
        );
        assert!(component_msis(&layout, true).contains(&PathBuf::from("L/freethreaded.msi")));
        assert!(missing_components(&component_msis(&layout, false)).is_empty());
        assert_eq!(
            missing_components(&paths(&["L/lib.msi", "L/core.msi"])),
            ["exe"]
        );
    }

    #[test]
    fn finds_layout_files_and_removes_msi_copies() {
        let d = tempfile::tempdir().unwrap();
        for f in [
            "core.msi",
            "exe.msi",
            "sub/lib.msi",
            "a/b/c/deep.msi",
            "python.exe",
        ] {
            let p = d.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "").unwrap();
        }
        let found = layout_files(d.path());
        let rel: Vec<_> = found
            .iter()
            .map(|p| {
                p.strip_prefix(d.path())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(rel, ["core.msi", "exe.msi", "python.exe", "sub/lib.msi"]);
        remove_msi_copies(d.path()).unwrap();
        assert!(d.path().join("python.exe").exists());
        assert!(!d.path().join("core.msi").exists() && d.path().join("sub/lib.msi").exists());
    }

    #[test]
    fn exit_codes() {
        assert!(msiexec_outcome(0).is_ok() && msiexec_outcome(3010).is_ok());
        assert!(msiexec_outcome(1618)
            .unwrap_err()
            .contains("another installation"));
        assert!(msiexec_outcome(1603).unwrap_err().contains("log"));
    }
}
