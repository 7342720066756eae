//! `pyv self install` / `pyv self uninstall`: the versions library plans and applies the
//! changes; this finds the inputs, asks before `--purge`, and prints one line per change.

use crate::cli::SelfAction;
use crate::commands::manage::shim_source;
use crate::error::CliError;
use crate::output::{flush, line};
use pyv_core::{exe, prog, Env as _, ProcessEnv, Root};
use pyv_self::{self as self_install, Flavor, InstallRequest, UninstallRequest, UserEnvironment};
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub fn self_cmd(action: Option<SelfAction>) -> Result<(), CliError> {
    match action {
        Some(SelfAction::Install { root }) => install(root),
        Some(SelfAction::Uninstall { purge, force }) => uninstall(purge, force),
        None => super::help(Some("self")),
    }
}

fn install(root: Option<PathBuf>) -> Result<(), CliError> {
    let root = match root {
        Some(r) => r,
        None => Root::discover_with(&ProcessEnv).dir().to_path_buf(),
    };
    let pyv = super::manage::own_exe()?;
    let req = InstallRequest {
        root: absolute(&root)?,
        flavor: Flavor::current(),
        pyv,
        shim: shim_source()?,
        exts: exe::extensions_in(&ProcessEnv),
        now: std::time::SystemTime::now(),
    };
    let mut env = user_environment()?;
    self_install::install(
        &req,
        env_ref(&mut env),
        &lookup,
        &std::env::temp_dir(),
        &mut |l| line(l),
    )?;
    Ok(())
}

fn uninstall(purge: bool, force: bool) -> Result<(), CliError> {
    let req = UninstallRequest {
        root: absolute(Root::discover_with(&ProcessEnv).dir())?,
        flavor: Flavor::current(),
        purge,
    };
    let mut env = user_environment()?;
    let plan = self_install::plan_uninstall(&req, env_ref(&mut env).as_deref(), &lookup)?;
    if purge && !force {
        let question = format!(
            "{}: Remove {} with every Python version in it? (Y/N): ",
            prog::name(),
            req.root.display()
        );
        if !confirm(&question) {
            line("nothing removed");
            return Ok(());
        }
    }
    self_install::uninstall_planned(
        &req,
        &plan,
        env_ref(&mut env),
        &std::env::temp_dir(),
        &mut |l| line(l),
    )?;
    Ok(())
}

fn absolute(p: &Path) -> Result<PathBuf, CliError> {
    Ok(std::path::absolute(p).map_err(|e| pyv_core::Error::io(p, e))?)
}

fn lookup(name: &str) -> Option<String> {
    ProcessEnv.var(name)
}

#[cfg(windows)]
type Env = pyv_self::windows::RegistryEnvironment;
#[cfg(not(windows))]
type Env = pyv_self::MemoryEnvironment;

/// `HKCU\Environment` on Windows; nothing elsewhere (the profile lines are printed).
fn user_environment() -> Result<Option<Env>, CliError> {
    #[cfg(windows)]
    {
        Env::open()
            .map(Some)
            .map_err(|e| CliError::Io(format!("cannot open HKCU\\Environment: {e}")))
    }
    #[cfg(not(windows))]
    {
        Ok(None)
    }
}

fn env_ref(env: &mut Option<Env>) -> Option<&mut dyn UserEnvironment> {
    env.as_mut().map(|e| e as &mut dyn UserEnvironment)
}

fn confirm(question: &str) -> bool {
    flush();
    crate::output::prompt(question);
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).is_ok()
        && answer.trim().eq_ignore_ascii_case("y")
}
