//! What `self install` and `self uninstall` would change, read from the file system and the
//! user environment without writing anything.

use super::path_list;
use super::{
    backup, path_entries, root_value, Action, Flavor, InstallRequest, Plan, SelfInstallError,
    UninstallRequest, UserEnvironment, PATH_VARIABLE, PYENV_BAT, PYENV_WIN_SCRIPTS, ROOT_VARIABLES,
};
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

pub fn plan_install(
    req: &InstallRequest,
    env: Option<&dyn UserEnvironment>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Plan, SelfInstallError> {
    if !req.shim.is_file() {
        return Err(SelfInstallError::ShimMissing(req.shim.clone()));
    }
    let root = &req.root;
    let bin = root.join("bin");
    let mut actions = Vec::new();
    for dir in [bin.clone(), root.join("versions")] {
        if !dir.is_dir() {
            actions.push(Action::CreateDir(dir));
        }
    }

    let scripts = pyenv_win_scripts(root);
    if !scripts.is_empty() {
        let dir = backup::new_dir(root, req.now);
        for rel in &scripts {
            actions.push(Action::MoveAside {
                from: root.join(rel),
                to: dir.join(rel),
            });
        }
    }

    let pyv_dest = bin.join(req.flavor.exe("pyv"));
    for (from, to) in [
        (&req.pyv, pyv_dest.clone()),
        (&req.shim, bin.join(req.flavor.exe("pyv-shim"))),
    ] {
        if !same_content(from, &to)? {
            actions.push(Action::Copy {
                from: from.clone(),
                to: to.clone(),
                replace: to.exists(),
            });
        }
    }
    if req.flavor == Flavor::Windows {
        let to = bin.join("pyenv.exe");
        if !same_content(&req.pyv, &to)? {
            actions.push(Action::Link {
                from: pyv_dest,
                to: to.clone(),
                replace: to.exists(),
            });
        }
        let bat = bin.join("pyenv.bat");
        if !is_our_bat(&bat) {
            actions.push(Action::Write {
                to: bat,
                contents: PYENV_BAT,
            });
        }
    }

    if let (Flavor::Windows, Some(env)) = (req.flavor, env) {
        env_install(root, env, lookup, &mut actions)?;
    }
    Ok(Plan { actions })
}

fn env_install(
    root: &Path,
    env: &dyn UserEnvironment,
    lookup: &dyn Fn(&str) -> Option<String>,
    actions: &mut Vec<Action>,
) -> Result<(), SelfInstallError> {
    let want = root_value(root);
    for name in ROOT_VARIABLES {
        let current = get(env, name)?;
        let effective = current.as_ref().map(|v| effective(v, lookup));
        let same = effective
            .as_deref()
            .is_some_and(|e| e.ends_with('\\') && path_list::same_entry(e, &want, &|_| None));
        if !same {
            actions.push(Action::SetVar {
                name: name.to_string(),
                value: super::EnvValue {
                    value: want.clone(),
                    expand: current.is_some_and(|c| c.expand),
                },
            });
        }
    }
    let ours = path_entries(root);
    let current = get(env, PATH_VARIABLE)?;
    let (value, expand) = match &current {
        Some(c) => (c.value.as_str(), c.expand),
        // Windows makes the user Path REG_EXPAND_SZ.
        None => ("", true),
    };
    let no_vars = |_: &str| None;
    let vars: &dyn Fn(&str) -> Option<String> = if expand { lookup } else { &no_vars };
    if let Some(new) = path_list::prepend(value, &ours, vars) {
        actions.push(Action::SetPath {
            value: super::EnvValue { value: new, expand },
            added: ours,
        });
    }
    Ok(())
}

pub fn plan_uninstall(
    req: &UninstallRequest,
    env: Option<&dyn UserEnvironment>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Plan, SelfInstallError> {
    let root = &req.root;
    let bin = root.join("bin");
    let mut actions = Vec::new();
    if req.purge {
        check_purge(root, lookup)?;
    }

    let mut removed = BTreeSet::new();
    let mut ours = vec![req.flavor.exe("pyv"), req.flavor.exe("pyv-shim")];
    if req.flavor == Flavor::Windows {
        ours.push("pyenv.exe".into());
    }
    for name in ours {
        let p = bin.join(name);
        if p.is_file() {
            removed.insert(p.clone());
            actions.push(Action::RemoveFile(p));
        }
    }
    let bat = bin.join("pyenv.bat");
    if is_our_bat(&bat) {
        removed.insert(bat.clone());
        actions.push(Action::RemoveFile(bat));
    }
    // Copies a replaced, running pyv left behind (`.pyv.exe.<pid>.<n>.tmp`).
    for p in leftovers(&bin) {
        removed.insert(p.clone());
        actions.push(Action::RemoveFile(p));
    }

    if req.purge {
        env_uninstall(root, env, lookup, &mut actions)?;
        actions.push(Action::RemoveTree(root.clone()));
        return Ok(Plan { actions });
    }

    let restore = restore_actions(root, &removed);
    let restored = !restore.is_empty();
    let shims = root.join("shims");
    if shims.join(".pyv-shim-stamp").is_file() {
        actions.push(Action::RemoveShims {
            dir: shims,
            keep_dir: restored,
        });
    }
    actions.extend(restore);
    actions.push(Action::RemoveEmptyDir(bin));
    if restored {
        actions.push(Action::Note(format!(
            "pyenv-win is back: run 'pyenv rehash' in a new terminal to recreate its shims{}",
            if req.flavor == Flavor::Windows {
                "; the user PATH and PYENV variables stay, pyenv-win uses the same"
            } else {
                ""
            }
        )));
    } else if pyenv_win_scripts(root).is_empty() {
        // Not while pyenv-win is (still) here: it uses the same variables and PATH entries.
        env_uninstall(root, env, lookup, &mut actions)?;
    }
    Ok(Plan { actions })
}

fn env_uninstall(
    root: &Path,
    env: Option<&dyn UserEnvironment>,
    lookup: &dyn Fn(&str) -> Option<String>,
    actions: &mut Vec<Action>,
) -> Result<(), SelfInstallError> {
    let Some(env) = env else {
        return Ok(());
    };
    let want = root_value(root);
    for name in ROOT_VARIABLES {
        if let Some(v) = get(env, name)? {
            if path_list::same_entry(&effective(&v, lookup), &want, &|_| None) {
                actions.push(Action::RemoveVar {
                    name: name.to_string(),
                });
            }
        }
    }
    let ours = path_entries(root);
    if let Some(current) = get(env, PATH_VARIABLE)? {
        let no_vars = |_: &str| None;
        let vars: &dyn Fn(&str) -> Option<String> = if current.expand { lookup } else { &no_vars };
        if let Some(new) = path_list::remove(&current.value, &ours, vars) {
            let removed = ours
                .iter()
                .filter(|o| path_list::contains(&current.value, o, vars))
                .cloned()
                .collect();
            actions.push(Action::RemovePath {
                value: (!new.trim().is_empty()).then_some(super::EnvValue {
                    value: new,
                    expand: current.expand,
                }),
                removed,
            });
        }
    }
    Ok(())
}

/// The pyenv-win scripts present under `root`, relative. Only in a pyenv-win tree (its
/// `libexec\pyenv.vbs`, a `bin\pyenv.bat` that is not pyv's, or `bin\pyenv.ps1`): a Unix
/// pyenv's own `bin/pyenv` and `libexec/` are never touched.
pub fn pyenv_win_scripts(root: &Path) -> Vec<&'static str> {
    let bat = root.join("bin").join("pyenv.bat");
    let foreign_bat = bat.is_file() && !is_our_bat(&bat);
    let is_pyenv_win = foreign_bat
        || root.join("libexec").join("pyenv.vbs").is_file()
        || root.join("bin").join("pyenv.ps1").is_file();
    if !is_pyenv_win {
        return Vec::new();
    }
    PYENV_WIN_SCRIPTS
        .into_iter()
        .filter(|rel| {
            let p = root.join(rel);
            let present = p.symlink_metadata().is_ok();
            present && (foreign_bat || !rel.ends_with("pyenv.bat"))
        })
        .collect()
}

/// Moves back everything in the newest backup whose place is free once `removed` are gone.
fn restore_actions(root: &Path, removed: &BTreeSet<PathBuf>) -> Vec<Action> {
    let Some(dir) = backup::newest(root) else {
        return Vec::new();
    };
    let mut actions = Vec::new();
    let mut kept = false;
    restore_walk(&dir, root, removed, &mut actions, &mut kept);
    if kept {
        actions.push(Action::Note(format!(
            "kept pyenv-win's files that are in the way in {}",
            dir.display()
        )));
    } else {
        actions.push(Action::RemoveEmptyTree(dir));
        actions.push(Action::RemoveEmptyDir(root.join(backup::BACKUP_DIR)));
    }
    actions
}

fn restore_walk(
    from: &Path,
    to: &Path,
    removed: &BTreeSet<PathBuf>,
    actions: &mut Vec<Action>,
    kept: &mut bool,
) {
    let Ok(entries) = fs::read_dir(from) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let (src, dest) = (e.path(), to.join(e.file_name()));
        let free = dest.symlink_metadata().is_err() || removed.contains(&dest);
        if free {
            actions.push(Action::Restore {
                from: src,
                to: dest,
            });
        } else if src.is_dir() && dest.is_dir() {
            restore_walk(&src, &dest, removed, actions, kept);
        } else {
            *kept = true;
        }
    }
}

/// `--purge` removes the whole folder: only one that is a pyenv root, never a drive or home.
fn check_purge(
    root: &Path,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(), SelfInstallError> {
    let refuse = |reason| {
        Err(SelfInstallError::PurgeRefused {
            path: root.to_path_buf(),
            reason,
        })
    };
    if root.parent().is_none() {
        return refuse("it is the top of a drive");
    }
    let homes = ["USERPROFILE", "HOME"]
        .iter()
        .filter_map(|v| lookup(v))
        .filter(|h| !h.is_empty());
    for home in homes {
        if path_list::same_entry(&root.display().to_string(), &home, &|_| None) {
            return refuse("it is your home folder");
        }
    }
    let looks_like_root = ["versions", "shims"].iter().any(|d| root.join(d).is_dir())
        || root.join("version").is_file()
        || fs::read_dir(root.join("bin")).is_ok_and(|mut d| {
            d.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("pyv")))
        });
    if !root.exists() {
        return refuse("it does not exist");
    }
    if !looks_like_root {
        // The OS's own separator, as the paths around it are printed.
        return refuse(if cfg!(windows) {
            "it does not look like a pyenv root (no versions, shims or bin\\pyv in it)"
        } else {
            "it does not look like a pyenv root (no versions, shims or bin/pyv in it)"
        });
    }
    Ok(())
}

/// `.pyv.exe.<pid>.<n>.tmp` and the like: programs renamed aside while they ran.
pub(super) fn leftovers(bin: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(bin) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            (n.starts_with(".pyv") || n.starts_with(".pyenv")) && n.ends_with(".tmp")
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

fn get(env: &dyn UserEnvironment, name: &str) -> Result<Option<super::EnvValue>, SelfInstallError> {
    env.get(name)
        .map_err(|source| SelfInstallError::Environment {
            action: "read",
            name: name.to_string(),
            location: env.location().to_string(),
            source,
        })
}

/// The text a process sees: `REG_EXPAND_SZ` values are expanded, `REG_SZ` ones are not.
fn effective(v: &super::EnvValue, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    if v.expand {
        path_list::expand_vars(&v.value, lookup)
    } else {
        v.value.clone()
    }
}

fn is_our_bat(p: &Path) -> bool {
    fs::read(p).is_ok_and(|b| b == PYENV_BAT.as_bytes())
}

/// Whether `dest` exists with exactly `src`'s bytes (the same file counts).
pub fn same_content(src: &Path, dest: &Path) -> Result<bool, SelfInstallError> {
    let Ok(dm) = fs::metadata(dest) else {
        return Ok(false);
    };
    let sm = fs::metadata(src).map_err(|e| SelfInstallError::io("read", src, e))?;
    if sm.len() != dm.len() || !dm.is_file() {
        return Ok(false);
    }
    let open = |p: &Path| fs::File::open(p).map_err(|e| SelfInstallError::io("read", p, e));
    let (mut a, mut b) = (open(src)?, open(dest)?);
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = read_full(&mut a, &mut ba).map_err(|e| SelfInstallError::io("read", src, e))?;
        let m = read_full(&mut b, &mut bb).map_err(|e| SelfInstallError::io("read", dest, e))?;
        if n != m || ba[..n] != bb[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
