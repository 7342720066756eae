//! What `self install` and `self uninstall` would change, read from the file system and the
//! user environment without writing anything.

use super::path_list;
use super::wrappers;
use super::{
    backup, path_entries, root_value, Action, Flavor, InstallRequest, Plan, SelfInstallError,
    UninstallRequest, UserEnvironment, PATH_VARIABLE, PYENV_WIN_SCRIPTS, ROOT_VARIABLES,
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
                from: at(root, rel),
                to: at(&dir, rel),
            });
        }
    }

    let pyv_dest = bin.join(req.flavor.exe("pyv"));
    // Decided before anything changes: whether a `bin/pyenv` is a copy of the pyv there now.
    let old_pyv = pyv_dest.is_file().then(|| pyv_dest.clone());
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
    let moved = |p: &Path| scripts.iter().any(|rel| p.starts_with(at(root, rel)));
    match req.flavor {
        Flavor::Windows => {
            let engine = at(root, wrappers::ENGINE);
            if let Some(dir) = engine.parent() {
                if !dir.is_dir() || moved(dir) {
                    actions.push(Action::CreateDir(dir.to_path_buf()));
                }
            }
            if moved(&engine) || !same_content(&req.pyv, &engine)? {
                actions.push(Action::Link {
                    from: pyv_dest.clone(),
                    to: engine.clone(),
                    replace: engine.exists() && !moved(&engine),
                });
            }
            for w in wrappers::WINDOWS_WRAPPERS {
                let to = at(root, w.rel);
                if moved(&to) || !fs::read(&to).is_ok_and(|b| b == w.contents.as_bytes()) {
                    actions.push(Action::Write {
                        to,
                        contents: w.contents,
                        purpose: w.purpose,
                    });
                }
            }
            // An earlier pyv's `bin\pyenv.exe` would run before `pyenv.bat` in cmd.
            let old_exe = bin.join("pyenv.exe");
            if is_copy_of(&old_exe, [Some(&req.pyv), old_pyv.as_ref()])? {
                actions.push(Action::RemoveFile(old_exe));
            }
        }
        Flavor::Unix => {
            // VS Code's locator recognises a pyenv by `<root>/bin/pyenv`; a pyenv's own stays.
            let pyenv = bin.join("pyenv");
            let free = pyenv.symlink_metadata().is_err() || moved(&pyenv);
            let ours = free || is_copy_of(&pyenv, [old_pyv.as_ref()])?;
            if ours && (free || !same_content(&req.pyv, &pyenv)?) {
                actions.push(Action::Link {
                    from: pyv_dest.clone(),
                    to: pyenv,
                    replace: !free,
                });
            }
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
    let pyv = bin.join(req.flavor.exe("pyv"));
    let mut ours = vec![pyv.clone(), bin.join(req.flavor.exe("pyv-shim"))];
    match req.flavor {
        Flavor::Windows => {
            ours.push(bin.join("pyenv.exe"));
            for w in wrappers::WINDOWS_WRAPPERS {
                let p = at(root, w.rel);
                if fs::read(&p).is_ok_and(|b| wrappers::is_ours(w.rel, &b)) {
                    ours.push(p);
                }
            }
            ours.push(at(root, wrappers::ENGINE));
        }
        Flavor::Unix => {
            let pyenv = bin.join("pyenv");
            if pyv.is_file() && is_copy_of(&pyenv, [Some(&pyv)])? {
                ours.push(pyenv);
            }
        }
    }
    for p in ours {
        if p.is_file() {
            removed.insert(p.clone());
            actions.push(Action::RemoveFile(p));
        }
    }
    // Copies a replaced, running pyv left behind (`.pyv.exe.<pid>.<n>.tmp`).
    let libexec = at(root, "libexec");
    for p in leftovers(&bin).into_iter().chain(leftovers(&libexec)) {
        removed.insert(p.clone());
        actions.push(Action::RemoveFile(p));
    }
    // `libexec\` held only pyv's engine: gone, so a backed-up pyenv-win one moves back whole.
    if req.flavor == Flavor::Windows && libexec.is_dir() && holds_only(&libexec, &removed) {
        removed.insert(libexec.clone());
        actions.push(Action::RemoveEmptyDir(libexec));
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
/// `libexec\pyenv.vbs`, or a `bin\pyenv.bat` or `bin\pyenv.ps1` that is not pyv's), and only
/// those that are not pyv's own: a Unix pyenv's own `bin/pyenv` and `libexec/` are never
/// touched.
pub fn pyenv_win_scripts(root: &Path) -> Vec<&'static str> {
    let foreign = |rel: &str| {
        let p = at(root, rel);
        p.symlink_metadata().is_ok() && !fs::read(&p).is_ok_and(|b| wrappers::is_ours(rel, &b))
    };
    let is_pyenv_win = foreign("bin/pyenv.bat")
        || at(root, "libexec/pyenv.vbs").is_file()
        || foreign("bin/pyenv.ps1");
    if !is_pyenv_win {
        return Vec::new();
    }
    PYENV_WIN_SCRIPTS
        .into_iter()
        .filter(|rel| match *rel {
            "libexec" => {
                let dir = at(root, rel);
                dir.symlink_metadata().is_ok() && !holds_only(&dir, &our_engine(root))
            }
            rel => foreign(rel),
        })
        .collect()
}

/// pyv's engine in `libexec\` and what an update of it left there.
fn our_engine(root: &Path) -> BTreeSet<PathBuf> {
    let libexec = at(root, "libexec");
    let mut ours: BTreeSet<PathBuf> = leftovers(&libexec).into_iter().collect();
    ours.insert(at(root, wrappers::ENGINE));
    ours
}

/// Whether every entry of the folder `dir` is in `paths`.
fn holds_only(dir: &Path, paths: &BTreeSet<PathBuf>) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .into_iter()
            .all(|e| e.is_ok_and(|e| paths.contains(&e.path())))
    })
}

/// `rel` (`/`-separated) under `root`, joined part by part: a Windows path shows `\` only.
pub(crate) fn at(root: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .fold(root.to_path_buf(), |p, part| p.join(part))
}

/// Whether `p` is a file with the bytes of one of `programs` (pyv under another name).
fn is_copy_of<'a>(
    p: &Path,
    programs: impl IntoIterator<Item = Option<&'a PathBuf>>,
) -> Result<bool, SelfInstallError> {
    if !p.is_file() {
        return Ok(false);
    }
    for prog in programs.into_iter().flatten() {
        if same_content(prog, p)? {
            return Ok(true);
        }
    }
    Ok(false)
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
