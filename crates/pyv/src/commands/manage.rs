//! rehash, shims, export, uninstall, link (duplicate has its own module).

use crate::error::CliError;
use crate::output::line;
use pyv_core::fsutil::copy_dir_atomic;
use pyv_core::{prog, rehash as shims_rehash, Context, Error, VersionRequest};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// This program's own file. Asked of the OS directly rather than through `pyv_core::Env`,
/// whose `current_exe` drops the OS error this message names.
pub fn own_exe() -> Result<PathBuf, CliError> {
    std::env::current_exe()
        .map_err(|e| CliError::Io(format!("cannot locate {}: {e}", prog::name())))
}

/// The shim program installed beside pyv (`<root>\bin\pyv-shim.exe`).
pub fn shim_source() -> Result<PathBuf, CliError> {
    let exe = own_exe()?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    Ok(dir.join(format!("pyv-shim{}", std::env::consts::EXE_SUFFIX)))
}

/// Rehashes after a command changed `versions/` (the context's list predates the change).
pub fn rehash_now(ctx: &Context) -> Result<(), CliError> {
    let installed = ctx.shim_versions();
    shims_rehash::rehash(&ctx.root, &shim_source()?, &installed, &ctx.exts)?;
    Ok(())
}

pub fn rehash(ctx: &Context) -> Result<(), CliError> {
    rehash_now(ctx)?;
    // pyenv's rehash is silent: `init -` runs it at every shell start.
    if ctx.installed().is_empty() && ctx.compat.is_pyenv_win() {
        line(format!(
            "No version installed. Please install one with '{} install <version>'.",
            prog::name()
        ));
    }
    Ok(())
}

pub fn shims(ctx: &Context, short: bool) -> Result<(), CliError> {
    let dir = ctx.root.shims_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    for n in names {
        line(if short {
            n
        } else {
            dir.join(n).display().to_string()
        });
    }
    Ok(())
}

pub fn export(ctx: &Context, source: &str, directory: &Path) -> Result<(), CliError> {
    let src = ctx.installed_prefix(&VersionRequest::parse(source).map_err(Error::from)?)?;
    let dest = std::path::absolute(directory).map_err(|e| Error::io(directory, e))?;
    // An empty folder made beforehand is fine to fill.
    if dest.is_dir() && std::fs::read_dir(&dest).is_ok_and(|mut d| d.next().is_none()) {
        std::fs::remove_dir(&dest).map_err(|e| Error::io(&dest, e))?;
    }
    if dest.exists() {
        return Err(CliError::DestinationExists(dest));
    }
    Ok(copy_dir_atomic(&src, &dest)?)
}

pub fn uninstall(
    ctx: &Context,
    force: bool,
    all: bool,
    versions: &[String],
) -> Result<(), CliError> {
    let p = prog::name();
    let names: Vec<String> = if all {
        if !force && !confirm(&format!("{p}: Confirm uninstall all? (Y/N): ")) {
            return Ok(());
        }
        ctx.installed().iter().map(|v| v.to_string()).collect()
    } else if versions.is_empty() {
        return Err(CliError::Usage(
            "no version given".into(),
            "uninstall".into(),
        ));
    } else {
        versions.to_vec()
    };
    let mut failed = false;
    let mut removed = false;
    for name in &names {
        match pyv_install::uninstall(&ctx.root, name) {
            Ok(_) => {
                removed = true;
                line(format!("{p}: Successfully uninstalled {name}"));
            }
            Err(e) => {
                crate::output::error(e);
                failed = true;
            }
        }
    }
    // Shims of commands only the removed versions had go too. Nothing removed, nothing to
    // rehash: a root that does not exist yet stays so.
    if removed {
        rehash_now(ctx)?;
    }
    if failed {
        Err(CliError::Exit(1))
    } else {
        Ok(())
    }
}

fn confirm(question: &str) -> bool {
    crate::output::prompt(question);
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).is_ok()
        && answer.trim().eq_ignore_ascii_case("y")
}

pub fn link(ctx: &Context, name: &str, path: Option<&Path>) -> Result<(), CliError> {
    let target = match path {
        Some(p) => p.to_path_buf(),
        None if VersionRequest::lenient(name).is_system() => {
            // Only the discovered Python will do; a versions/system already there is the
            // link being replaced, not the Python to point at.
            let shims = ctx.root.shims_dir();
            pyv_core::system::discover(&shims, ctx.path_var.clone(), &ctx.exts)
                .map(|s| s.prefix)
                .ok_or_else(pyv_core::system::not_found_error)?
        }
        None => {
            return Err(CliError::Usage(
                format!("no path given for '{name}'"),
                "link".into(),
            ))
        }
    };
    let link = pyv_install::link::link(&ctx.root, name, &target, &ctx.exts)?;
    line(format!(
        "{name} -> {}",
        pyv_core::link::target_of(&link).unwrap_or(target).display()
    ));
    rehash_now(ctx)
}
