//! The Windows-only steps of an install: running msiexec, a Burn bundle and the new
//! version's python, and writing or removing the PEP 514 registry entry. What to run and
//! what to write is decided by the pure functions of `msi.rs`, `pip.rs` and `pep514.rs`.

use super::error::InstallError;
use super::pep514::{self, Pep514Entry};
use super::staging::{self, Work, WorkDir};
use super::{msi, pip, Event};
use std::ffi::OsString;
use std::os::windows::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use winreg::enums::HKEY_CURRENT_USER;
use winreg::RegKey;

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
pub(super) fn populate_from_msi(
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
pub(super) fn populate_from_exe(
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

/// Runs the pip step of `pip::plan`; `Err` holds the one-line warning for the user.
pub(super) fn run_pip(dir: &Path, python: &Path, args: &[OsString]) -> Result<(), String> {
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

pub(super) fn write_pep514(entry: &Pep514Entry) -> Result<(), InstallError> {
    let hkcu = RegKey::predef(HKEY_CURRENT_USER);
    for v in &entry.values {
        let key = if v.subkey.is_empty() {
            entry.key.clone()
        } else {
            format!("{}\\{}", entry.key, v.subkey)
        };
        let fail = |source| InstallError::Registry {
            key: key.clone(),
            source,
        };
        let (k, _) = hkcu.create_subkey(&key).map_err(fail)?;
        k.set_value(v.name, &v.data).map_err(fail)?;
    }
    Ok(())
}

/// Removes the PEP 514 key of `name` when it points at `install_path`; `Ok(false)` when
/// there is none or it belongs to another installation.
pub(super) fn remove_pep514(name: &str, install_path: &str) -> Result<bool, InstallError> {
    let hkcu = RegKey::predef(HKEY_CURRENT_USER);
    let key = pep514::key_of(name);
    let Ok(ip) = hkcu.open_subkey(format!("{key}\\InstallPath")) else {
        return Ok(false);
    };
    let registered: String = ip.get_value("").unwrap_or_default();
    drop(ip);
    if !pep514::is_our_install_path(&registered, install_path) {
        return Ok(false);
    }
    hkcu.delete_subkey_all(&key)
        .map_err(|source| InstallError::Registry { key, source })?;
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
        write_pep514(&entry).unwrap();
        let hkcu = RegKey::predef(HKEY_CURRENT_USER);
        let key = hkcu.open_subkey(pep514::key_of(&name)).unwrap();
        assert_eq!(
            key.get_value::<String, _>("DisplayName").unwrap(),
            "Python 3.99 (64-bit)"
        );
        let ip = key.open_subkey("InstallPath").unwrap();
        assert_eq!(ip.get_value::<String, _>("").unwrap(), format!("{path}\\"));
        drop((key, ip));
        assert!(!remove_pep514(&name, r"C:\somewhere\else").unwrap());
        assert!(hkcu.open_subkey(pep514::key_of(&name)).is_ok());
        assert!(remove_pep514(&name, &path).unwrap());
        assert!(hkcu.open_subkey(pep514::key_of(&name)).is_err());
        assert!(!remove_pep514(&name, &path).unwrap());
    }

    #[test]
    fn pip_step_reports_the_last_error_line_and_exit_code() {
        let cmd = PathBuf::from(std::env::var_os("SystemRoot").unwrap())
            .join("System32")
            .join("cmd.exe");
        let dir = Path::new(r"C:\v\3.12.1");
        let args = |s: &str| vec![OsString::from("/c"), OsString::from(s)];
        assert_eq!(run_pip(dir, &cmd, &args("exit /b 0")), Ok(()));
        let warning = run_pip(
            dir,
            &cmd,
            &args("echo first 1>&2 & echo last words 1>&2 & exit /b 3"),
        )
        .unwrap_err();
        assert!(warning.contains("exit code 3"), "{warning}");
        assert!(warning.contains("last words"), "{warning}");
        assert!(!warning.contains('\n'), "{warning}");
        assert!(warning.contains("-m ensurepip"), "{warning}");
        let missing = run_pip(dir, Path::new(r"C:\no\such\python.exe"), &[]).unwrap_err();
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
