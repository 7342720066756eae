//! `pyv self install` / `pyv self uninstall`: put pyv in `<root>\bin`, adopt a pyenv-win
//! tree, and set the user's PATH and PYENV variables the way pyenv-win's installer does.
//!
//! Work is split in a *plan* (what would change, read from the file system and the user
//! environment, nothing written) and its *application*, so that tests check plans for a
//! fresh root, an existing pyenv-win tree and a second run without touching a registry.
//! The user environment is behind [`UserEnvironment`]: `HKCU\Environment` on Windows
//! ([`windows::RegistryEnvironment`]), [`MemoryEnvironment`] in tests. On Unix nothing is
//! edited: the lines to add to a shell profile are printed instead.

mod apply;
pub mod backup;
mod error;
pub mod path_list;
mod plan;
pub mod user_env;
#[cfg(windows)]
pub mod windows;
pub mod wrappers;

#[cfg(test)]
mod tests;

pub use apply::apply;
pub use error::SelfInstallError;
pub use plan::{plan_install, plan_uninstall};
pub use user_env::{EnvValue, MemoryEnvironment, UserEnvironment};
pub use wrappers::{PYENV_BAT, PYENV_PS1, PYENV_SH};

use pyv_core::prog::name as prog;
use pyv_core::rehash;
use pyv_core::root::{Root, RootSource};
use pyv_core::selection::installed_in;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Which platform's layout to install: decided by the build, a parameter so that the
/// Windows plan is tested everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Windows,
    Unix,
}

impl Flavor {
    pub fn current() -> Flavor {
        if cfg!(windows) {
            Flavor::Windows
        } else {
            Flavor::Unix
        }
    }

    /// `pyv.exe` on Windows, `pyv` elsewhere.
    pub fn exe(self, stem: &str) -> String {
        match self {
            Flavor::Windows => format!("{stem}.exe"),
            Flavor::Unix => stem.to_string(),
        }
    }
}

/// The user variables pyenv-win's installer sets to the root, with a trailing backslash.
pub const ROOT_VARIABLES: [&str; 3] = ["PYENV", "PYENV_ROOT", "PYENV_HOME"];
/// The user PATH value, spelled as Windows creates it.
pub const PATH_VARIABLE: &str = "Path";
/// pyenv-win's entry points, relative to the root; any of them found first on PATH would
/// run pyenv-win instead of pyv, so they are moved into the backup.
pub const PYENV_WIN_SCRIPTS: [&str; 4] = ["bin/pyenv.bat", "bin/pyenv.ps1", "bin/pyenv", "libexec"];

/// One change to the file system or the user environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    CreateDir(PathBuf),
    /// Copy a program into `bin` (temp file + rename; a running one is renamed aside).
    Copy {
        from: PathBuf,
        to: PathBuf,
        replace: bool,
    },
    /// pyv under the name pyenv (`libexec\pyenv.exe`, `bin/pyenv`): a hard link to (or
    /// copy of) the installed pyv.
    Link {
        from: PathBuf,
        to: PathBuf,
        replace: bool,
    },
    /// One of the `pyenv` scripts ([`wrappers`]).
    Write {
        to: PathBuf,
        contents: &'static str,
        purpose: &'static str,
    },
    MoveAside {
        from: PathBuf,
        to: PathBuf,
    },
    Restore {
        from: PathBuf,
        to: PathBuf,
    },
    /// Deleted, or renamed into the trash folder when Windows says it is running.
    RemoveFile(PathBuf),
    /// Every file in `shims` (all of them pyv's: its rehash removes anything else).
    RemoveShims {
        dir: PathBuf,
        keep_dir: bool,
    },
    /// Removed only if empty by then; silent otherwise.
    RemoveEmptyDir(PathBuf),
    /// Removed only if it holds no file by then, only folders; silent otherwise.
    RemoveEmptyTree(PathBuf),
    RemoveTree(PathBuf),
    SetVar {
        name: String,
        value: EnvValue,
    },
    RemoveVar {
        name: String,
    },
    SetPath {
        value: EnvValue,
        added: Vec<String>,
    },
    /// `value` `None`: the PATH held only our entries and is removed.
    RemovePath {
        value: Option<EnvValue>,
        removed: Vec<String>,
    },
    /// Said to the user, changes nothing.
    Note(String),
}

impl Action {
    fn touches_environment(&self) -> bool {
        matches!(
            self,
            Action::SetVar { .. }
                | Action::RemoveVar { .. }
                | Action::SetPath { .. }
                | Action::RemovePath { .. }
        )
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    pub actions: Vec<Action>,
}

/// What `self install` needs to know.
#[derive(Debug, Clone)]
pub struct InstallRequest {
    /// Absolute root folder.
    pub root: PathBuf,
    pub flavor: Flavor,
    /// The running pyv executable.
    pub pyv: PathBuf,
    /// The shim program beside it.
    pub shim: PathBuf,
    /// Executable extensions (PATHEXT) for the rehash.
    pub exts: Vec<String>,
    /// Names the backup folder.
    pub now: SystemTime,
}

#[derive(Debug, Clone)]
pub struct UninstallRequest {
    pub root: PathBuf,
    pub flavor: Flavor,
    /// Remove the whole root, versions included.
    pub purge: bool,
}

/// The folders `self install` puts on PATH: `<root>\bin`, `<root>\shims`.
pub fn path_entries(root: &Path) -> Vec<String> {
    ["bin", "shims"]
        .iter()
        .map(|d| root.join(d).display().to_string())
        .collect()
}

/// The value pyenv-win's installer gives PYENV, PYENV_ROOT and PYENV_HOME.
pub fn root_value(root: &Path) -> String {
    let s = root.display().to_string();
    if s.ends_with('\\') {
        s
    } else {
        format!("{s}\\")
    }
}

/// Plans, applies and rehashes; every change is reported through `out`, one line each.
/// Returns the number of changes (0: it was installed already).
pub fn install(
    req: &InstallRequest,
    mut env: Option<&mut (dyn UserEnvironment + '_)>,
    lookup: &dyn Fn(&str) -> Option<String>,
    trash: &Path,
    out: &mut dyn FnMut(&str),
) -> Result<usize, SelfInstallError> {
    let plan = plan_install(req, env.as_deref(), lookup)?;
    let mut changes = apply(&plan, env.as_deref_mut(), trash, out)?;
    // Old programs renamed aside while they ran; those still running stay for next time.
    let dirs = [req.root.join("bin"), req.root.join("libexec")];
    for p in dirs.iter().flat_map(|d| plan::leftovers(d)) {
        let _ = std::fs::remove_file(p);
    }

    let root = Root::new(&req.root, RootSource::Default);
    let shim = req.root.join("bin").join(req.flavor.exe("pyv-shim"));
    let installed = installed_in(&root.versions_dir());
    let r = rehash::rehash(&root, &shim, &installed, &req.exts)?;
    if r.added + r.removed + r.replaced > 0 {
        changes += 1;
        out(&format!(
            "rehashed {}: {} added, {} removed, {} replaced, {} in all",
            root.shims_dir().display(),
            r.added,
            r.removed,
            r.replaced,
            r.total
        ));
    }

    let env_changed = plan.actions.iter().any(Action::touches_environment);
    if let (true, Some(env)) = (env_changed, env) {
        env.notify_changed();
    }
    if changes == 0 {
        out(&format!(
            "nothing to change: {} is installed in {}",
            prog(),
            req.root.display()
        ));
    }
    match req.flavor {
        Flavor::Windows if env_changed => out(&format!(
            "open a new terminal to use {} (this one keeps its old PATH)",
            prog()
        )),
        Flavor::Unix if !on_unix_path(&req.root, lookup) => {
            out("add these lines to your shell profile (~/.bashrc, ~/.zshrc or ~/.profile):");
            out(&format!("  export PYENV_ROOT=\"{}\"", req.root.display()));
            out("  export PATH=\"$PYENV_ROOT/bin:$PYENV_ROOT/shims:$PATH\"");
        }
        _ => {}
    }
    Ok(changes)
}

/// Plans and applies `self uninstall`; returns the number of changes.
pub fn uninstall(
    req: &UninstallRequest,
    env: Option<&mut (dyn UserEnvironment + '_)>,
    lookup: &dyn Fn(&str) -> Option<String>,
    trash: &Path,
    out: &mut dyn FnMut(&str),
) -> Result<usize, SelfInstallError> {
    let plan = plan_uninstall(req, env.as_deref(), lookup)?;
    uninstall_planned(req, &plan, env, trash, out)
}

/// Applies a plan from [`plan_uninstall`] (the CLI asks before a purge in between).
pub fn uninstall_planned(
    req: &UninstallRequest,
    plan: &Plan,
    mut env: Option<&mut (dyn UserEnvironment + '_)>,
    trash: &Path,
    out: &mut dyn FnMut(&str),
) -> Result<usize, SelfInstallError> {
    let changes = apply(plan, env.as_deref_mut(), trash, out)?;
    if plan.actions.iter().any(Action::touches_environment) {
        if let Some(env) = env {
            env.notify_changed();
        }
    }
    if changes == 0 {
        out(&format!(
            "nothing to remove: {} is not installed in {}",
            prog(),
            req.root.display()
        ));
    }
    Ok(changes)
}

/// Whether the process PATH (`:`-separated) has `<root>/bin` and `<root>/shims`.
fn on_unix_path(root: &Path, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
    let path = lookup("PATH").unwrap_or_default();
    let has = |dir: PathBuf| {
        path.split(':')
            .any(|e| !e.is_empty() && Path::new(e.trim_end_matches('/')) == dir)
    };
    has(root.join("bin")) && has(root.join("shims"))
}
