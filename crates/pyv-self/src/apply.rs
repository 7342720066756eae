//! Carrying out a plan, one reported line per change. Programs land by temp file + rename;
//! Windows refuses to overwrite or delete a running program but lets it be renamed, so a
//! busy one is renamed aside (into `trash` when removed).

use super::{Action, EnvValue, Plan, SelfInstallError, UserEnvironment};
use pyv_core::fsutil::{rename_with_retry, replace_file, temp_sibling};
use pyv_core::prog::name as prog;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Applies `plan` in order; returns the number of changes made. Stops at the first
/// failure, after reporting what was already done.
pub fn apply(
    plan: &Plan,
    mut env: Option<&mut (dyn UserEnvironment + '_)>,
    trash: &Path,
    out: &mut dyn FnMut(&str),
) -> Result<usize, SelfInstallError> {
    let mut changes = 0;
    for action in &plan.actions {
        let line = match action {
            Action::CreateDir(d) => {
                fs::create_dir_all(d).map_err(|e| SelfInstallError::io("create", d, e))?;
                Some(format!("created {}", d.display()))
            }
            Action::Copy { from, to, replace } => {
                place(to, |tmp| fs::copy(from, tmp).map(drop))?;
                Some(format!(
                    "{} {}",
                    if *replace { "updated" } else { "installed" },
                    to.display()
                ))
            }
            Action::Link { from, to, replace } => {
                place(to, |tmp| {
                    fs::hard_link(from, tmp).or_else(|_| fs::copy(from, tmp).map(drop))
                })?;
                Some(format!(
                    "{} {} ({} under the name pyenv)",
                    if *replace { "updated" } else { "installed" },
                    to.display(),
                    prog()
                ))
            }
            Action::Write {
                to,
                contents,
                purpose,
            } => {
                place(to, |tmp| fs::write(tmp, contents))?;
                Some(format!("wrote {} ({purpose})", to.display()))
            }
            Action::MoveAside { from, to } => {
                move_path(from, to)?;
                Some(format!(
                    "moved pyenv-win's {} to {}",
                    from.display(),
                    to.display()
                ))
            }
            Action::Restore { from, to } => {
                move_path(from, to)?;
                Some(format!("restored pyenv-win's {}", to.display()))
            }
            Action::RemoveFile(p) => Some(remove_file(p, trash)?),
            Action::RemoveShims { dir, keep_dir } => remove_shims(dir, *keep_dir, trash)?,
            Action::RemoveEmptyDir(d) => fs::remove_dir(d)
                .ok()
                .map(|_| format!("removed {}", d.display())),
            Action::RemoveEmptyTree(d) => (!holds_files(d) && fs::remove_dir_all(d).is_ok())
                .then(|| format!("removed {}", d.display())),
            Action::RemoveTree(d) => {
                fs::remove_dir_all(d).map_err(|e| SelfInstallError::io("remove", d, e))?;
                Some(format!("removed {} and everything in it", d.display()))
            }
            Action::SetVar { name, value } => {
                set(&mut env, name, value)?;
                Some(format!("set user variable {name}={}", value.value))
            }
            Action::RemoveVar { name } => {
                remove(&mut env, name)?;
                Some(format!("removed user variable {name}"))
            }
            Action::SetPath { value, added } => {
                set(&mut env, super::PATH_VARIABLE, value)?;
                Some(format!("user PATH now starts with {}", added.join(";")))
            }
            Action::RemovePath { value, removed } => {
                match value {
                    Some(v) => set(&mut env, super::PATH_VARIABLE, v)?,
                    None => remove(&mut env, super::PATH_VARIABLE)?,
                }
                Some(format!("removed {} from the user PATH", removed.join(";")))
            }
            Action::Note(text) => {
                out(text);
                None
            }
        };
        if let Some(line) = line {
            changes += 1;
            out(&line);
        }
    }
    Ok(changes)
}

/// Writes `dest` through a temporary sibling filled by `fill`; a running `dest` is renamed
/// aside (see [`replace_file`]), a leftover that `self uninstall` removes.
fn place(dest: &Path, fill: impl FnOnce(&Path) -> io::Result<()>) -> Result<(), SelfInstallError> {
    replace_file(dest, fill).map_err(|e| SelfInstallError::io("replace", dest, e))
}

/// Whether `dir` has a file (or link, or anything unreadable) anywhere inside.
fn holds_files(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return true;
    };
    entries.into_iter().any(|e| match e {
        Ok(e) => match e.file_type() {
            Ok(t) if t.is_dir() => holds_files(&e.path()),
            _ => true,
        },
        Err(_) => true,
    })
}

fn move_path(from: &Path, to: &Path) -> Result<(), SelfInstallError> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| SelfInstallError::io("create", parent, e))?;
    }
    // pyenv-win's folders hold scripts a scanner may be reading.
    rename_with_retry(from, to).map_err(|e| SelfInstallError::io("move", from, e))
}

/// Deletes `p`; when that fails (a running program on Windows) renames it into `trash`.
fn remove_file(p: &Path, trash: &Path) -> Result<String, SelfInstallError> {
    match fs::remove_file(p) {
        Ok(()) => Ok(format!("removed {}", p.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(format!("removed {}", p.display())),
        Err(first) => {
            // TEMP may be on another volume, where a rename cannot go: then beside it,
            // as a leftover the next `self install`/`self uninstall` removes.
            let aside = [trash_name(p, trash), temp_sibling(p)]
                .into_iter()
                .find(|aside| fs::rename(p, aside).is_ok())
                .ok_or_else(|| SelfInstallError::io("remove", p, first))?;
            Ok(format!(
                "moved {} (in use) to {}: delete it once it has exited",
                p.display(),
                aside.display()
            ))
        }
    }
}

fn trash_name(p: &Path, trash: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = N.fetch_add(1, Ordering::Relaxed);
    trash.join(format!(
        "{}-removed-{}.{n}-{name}",
        prog(),
        std::process::id()
    ))
}

fn remove_shims(
    dir: &Path,
    keep_dir: bool,
    trash: &Path,
) -> Result<Option<String>, SelfInstallError> {
    let entries = fs::read_dir(dir).map_err(|e| SelfInstallError::io("read", dir, e))?;
    let mut count = 0;
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            continue;
        }
        remove_file(&p, trash)?;
        if !e.file_name().to_string_lossy().starts_with('.') {
            count += 1;
        }
    }
    if !keep_dir && fs::remove_dir(dir).is_ok() {
        return Ok(Some(format!("removed {} ({count} shims)", dir.display())));
    }
    Ok(Some(format!(
        "removed {count} shims from {}",
        dir.display()
    )))
}

fn set(
    env: &mut Option<&mut (dyn UserEnvironment + '_)>,
    name: &str,
    value: &EnvValue,
) -> Result<(), SelfInstallError> {
    let Some(env) = env.as_deref_mut() else {
        return Ok(());
    };
    env.set(name, value)
        .map_err(|source| SelfInstallError::Environment {
            action: "set",
            name: name.to_string(),
            location: env.location().to_string(),
            source,
        })
}

fn remove(
    env: &mut Option<&mut (dyn UserEnvironment + '_)>,
    name: &str,
) -> Result<(), SelfInstallError> {
    let Some(env) = env.as_deref_mut() else {
        return Ok(());
    };
    env.remove(name)
        .map_err(|source| SelfInstallError::Environment {
            action: "remove",
            name: name.to_string(),
            location: env.location().to_string(),
            source,
        })
}
