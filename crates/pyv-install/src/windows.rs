//! The Windows-only steps of an install: running msiexec, a Burn bundle and the new
//! version's python, and writing or removing the PEP 514 registry entry. What to run and
//! what to write is decided by the pure functions of `msi.rs`, `pip.rs` and `pep514.rs`;
//! the registry is written by `pyv_windows::pep514`. Same functions as `unix.rs`.

use super::error::InstallError;
use super::pep514::{self, Pep514Entry};
use super::staging::{self, Work, WorkDir};
use super::{msi, pip, Event, PackageKind, PipOutcome};
use pyv_core::root::Root;
use std::ffi::OsString;
use std::fs;
use std::os::windows::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Lands an MSI package or a Burn bundle in `target` through msiexec.
pub(super) fn populate_with_installer(
    root: &Root,
    name: &str,
    package: &Path,
    kind: &PackageKind,
    target: &Path,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), InstallError> {
    let cache = std::path::absolute(root.install_cache_dir())
        .map_err(|e| InstallError::io("resolve", root.install_cache_dir(), e))?;
    fs::create_dir_all(&cache).map_err(|e| InstallError::io("create folder", &cache, e))?;
    let package =
        std::path::absolute(package).map_err(|e| InstallError::io("resolve", package, e))?;
    if *kind == PackageKind::Msi {
        populate_from_msi(&package, target, &cache, name, on_event)
    } else {
        let freethreaded = pyv_core::name::VersionName::new(name)
            .cpython()
            .is_some_and(|c| c.freethreaded);
        populate_from_exe(&package, target, &cache, name, freethreaded, on_event)
    }
}

/// `%SystemRoot%\System32\msiexec.exe`, so a `msiexec.exe` planted in the current folder
/// or early in PATH is never the one run.
fn msiexec_exe() -> PathBuf {
    std::env::var_os("SystemRoot")
        .map(|r| PathBuf::from(r).join("System32").join("msiexec.exe"))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("msiexec.exe"))
}

fn admin_install(
    package: &Path,
    target: &Path,
    log: &Path,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), InstallError> {
    let program = msiexec_exe();
    let line = msi::msiexec_admin_command_line(package, target, log);
    on_event(Event::Running {
        program: program.clone(),
        args: line.clone(),
    });
    let status = Command::new(&program)
        .raw_arg(&line)
        .stdin(Stdio::null())
        .status()
        .map_err(|source| InstallError::Spawn {
            program: program.clone(),
            source,
        })?;
    let code = status.code().unwrap_or(-1);
    msi::msiexec_outcome(code).map_err(|meaning| InstallError::Msiexec {
        msi: package.to_path_buf(),
        code,
        meaning,
        log: log.to_path_buf(),
    })?;
    let _ = std::fs::remove_file(log);
    Ok(())
}

/// `msiexec /a` of an MSI package into `target` (which must be absolute).
fn populate_from_msi(
    package: &Path,
    target: &Path,
    cache: &Path,
    name: &str,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), InstallError> {
    let log = cache.join(format!("{name}-msiexec.log"));
    admin_install(package, target, &log, on_event)?;
    msi::remove_msi_copies(target).map_err(|e| InstallError::io("clean up", target, e))
}

/// Lays out a Burn bundle's packages in a work folder of `cache`, then `msiexec /a`s each
/// component into `target` (which must be absolute).
fn populate_from_exe(
    package: &Path,
    target: &Path,
    cache: &Path,
    name: &str,
    freethreaded: bool,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), InstallError> {
    let layout = WorkDir::create(staging::work_path(cache, Work::Layout, name))?;
    let args = msi::burn_layout_args(layout.path());
    on_event(Event::Running {
        program: package.to_path_buf(),
        args: args
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" "),
    });
    let status = Command::new(package)
        .args(&args)
        .stdin(Stdio::null())
        .status()
        .map_err(|source| InstallError::Spawn {
            program: package.to_path_buf(),
            source,
        })?;
    // A bundle may report failure for payloads it could not fetch (debug symbols) while
    // having laid out every embedded MSI; the presence of the required ones decides.
    let msis = msi::component_msis(&msi::layout_files(layout.path()), freethreaded);
    let missing = msi::missing_components(&msis);
    if !missing.is_empty() {
        return Err(InstallError::Layout {
            exe: package.to_path_buf(),
            detail: format!(
                "exit code {}, no {} MSI in the layout",
                status.code().unwrap_or(-1),
                missing.join("/")
            ),
        });
    }
    for m in &msis {
        let stem = m
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let log = cache.join(format!("{name}-{stem}-msiexec.log"));
        admin_install(m, target, &log, on_event)?;
    }
    msi::remove_msi_copies(target).map_err(|e| InstallError::io("clean up", target, e))
}

/// Runs the pip step of `pip::plan` with the new version's python.
pub(super) fn run_pip(
    dir: &Path,
    python: PathBuf,
    args: &[OsString],
    on_event: &mut dyn FnMut(Event),
) -> PipOutcome {
    on_event(Event::SettingUpPip {
        python: python.clone(),
    });
    match pip_step(dir, &python, args) {
        Ok(()) => PipOutcome::SetUp,
        Err(warning) => PipOutcome::Failed(warning),
    }
}

/// `Err` holds the one-line warning for the user.
fn pip_step(dir: &Path, python: &Path, args: &[OsString]) -> Result<(), String> {
    let (remove, set) = pip::clean_env(std::env::vars_os().map(|(k, _)| k));
    let mut cmd = Command::new(python);
    cmd.args(args).stdin(Stdio::null());
    for k in remove {
        cmd.env_remove(k);
    }
    cmd.envs(set);
    let retry = format!(
        "run '{}' -m ensurepip --default-pip to retry",
        python.display()
    );
    match cmd.output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            let last = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            Err(format!(
                "pip was not set up in '{}' (exit code {}: {}); {retry}",
                dir.display(),
                o.status.code().unwrap_or(-1),
                last.trim()
            ))
        }
        Err(e) => Err(format!(
            "pip was not set up in '{}' (cannot run python: {e}); {retry}",
            dir.display()
        )),
    }
}

/// `install --register`: writes `entry` under HKCU.
pub(super) fn register(_name: &str, entry: &Pep514Entry) -> Result<(), InstallError> {
    let values = entry
        .values
        .iter()
        .map(|v| (v.subkey, v.name, v.data.as_str()));
    pyv_windows::pep514::write(&entry.key, values).map_err(|e| InstallError::Registry {
        key: e.key,
        source: e.source,
    })
}

/// Removes the PEP 514 key of `name` when it points at `install_path`; `Ok(false)` when
/// there is none or it belongs to another installation.
pub(super) fn unregister_path(name: &str, install_path: &Path) -> Result<bool, InstallError> {
    let key = pep514::key_of(name);
    let Some(registered) = pyv_windows::pep514::install_path(&key) else {
        return Ok(false);
    };
    if !pep514::is_our_install_path(&registered, &install_path.display().to_string()) {
        return Ok(false);
    }
    pyv_windows::pep514::remove(&key).map_err(|e| InstallError::Registry {
        key: e.key,
        source: e.source,
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep514_entry_round_trips_and_is_removed_only_for_its_folder() {
        let name = format!("3.99.{}", std::process::id() % 1000);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(&name).display().to_string();
        let entry = pep514::entry(&name, &path).unwrap();
        register(&name, &entry).unwrap();
        let key = pep514::key_of(&name);
        let registered = pyv_windows::pep514::registrations();
        let ours = registered
            .iter()
            .find(|r| r.key == format!("HKCU\\{key}"))
            .unwrap();
        assert_eq!(ours.executable, Path::new(&path).join("python.exe"));
        assert_eq!(ours.version, "3.99");
        use pyv_windows::registry::{open, string, View, CURRENT_USER};
        let k = open(CURRENT_USER, &key, View::Native).unwrap();
        assert_eq!(string(&k, "DisplayName").unwrap(), "Python 3.99 (64-bit)");
        drop(k);
        let installed = pyv_windows::pep514::install_path(&key);
        assert_eq!(installed, Some(format!("{path}\\")));
        let path = Path::new(&path);
        assert!(!unregister_path(&name, Path::new(r"C:\somewhere\else")).unwrap());
        assert!(pyv_windows::pep514::install_path(&key).is_some());
        assert!(unregister_path(&name, path).unwrap());
        assert!(pyv_windows::pep514::install_path(&key).is_none());
        assert!(!unregister_path(&name, path).unwrap());
    }

    #[test]
    fn pip_step_reports_the_last_error_line_and_exit_code() {
        let cmd = PathBuf::from(std::env::var_os("SystemRoot").unwrap())
            .join("System32")
            .join("cmd.exe");
        let dir = Path::new(r"C:\v\3.12.1");
        let args = |s: &str| vec![OsString::from("/c"), OsString::from(s)];
        assert_eq!(pip_step(dir, &cmd, &args("exit /b 0")), Ok(()));
        let warning = pip_step(
            dir,
            &cmd,
            &args("echo first 1>&2 & echo last words 1>&2 & exit /b 3"),
        )
        .unwrap_err();
        assert!(warning.contains("exit code 3"), "{warning}");
        assert!(warning.contains("last words"), "{warning}");
        assert!(!warning.contains('\n'), "{warning}");
        assert!(warning.contains("-m ensurepip"), "{warning}");
        let missing = pip_step(dir, Path::new(r"C:\no\such\python.exe"), &[]).unwrap_err();
        assert!(missing.contains("cannot run python"), "{missing}");
    }

    #[test]
    fn msiexec_is_the_system_one() {
        let exe = msiexec_exe();
        assert!(exe.ends_with("msiexec.exe"));
        if std::env::var_os("SystemRoot").is_some() {
            assert!(exe.is_absolute(), "{}", exe.display());
        }
    }
}
