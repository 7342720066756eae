//! which, whence, exec, latest, prefix.

use crate::error::CliError;
use crate::output::{self, line};
use pyv_core::resolve::resolve;
use pyv_core::{rehash, run, Context, Error, VersionRequest};

pub fn which(ctx: &Context, command: &str) -> Result<(), CliError> {
    line(ctx.which(command)?.display().to_string());
    Ok(())
}

pub fn whence(ctx: &Context, path: bool, command: &str) -> Result<(), CliError> {
    let found = ctx.whence(command);
    for (version, file) in &found {
        line(if path {
            file.display().to_string()
        } else {
            version.clone()
        });
    }
    if found.is_empty() {
        Err(CliError::Exit(1))
    } else {
        Ok(())
    }
}

/// Runs `command` from the selected versions with their folders first on PATH; a
/// command no version has is looked up on that PATH, as pyenv-win's `exec` does.
pub fn exec(ctx: &Context, command: &str, args: &[std::ffi::OsString]) -> Result<(), CliError> {
    let target = match ctx.which(command) {
        Ok(t) => t,
        Err(Error::CommandNotFound { .. }) => command.into(),
        Err(e) => return Err(e.into()),
    };
    output::flush();
    let path = ctx.exec_path();
    let ran = if rehash::needs_rehash_after(command, args) {
        // As the shims do: pip may have added console scripts, which get shims at once.
        let ran = run::spawn_and_wait(&target, run::Args::Given(args), &path);
        if ran.is_ok() {
            if let Err(e) = super::manage::rehash_now(ctx) {
                output::error(format!("rehash after {command} failed: {e}"));
            }
        }
        ran
    } else {
        run::replace_process(&target, run::Args::Given(args), &path)
    };
    match ran {
        Ok(0) => Ok(()),
        Ok(code) => Err(CliError::Exit(code)),
        Err(source) if source.kind() == std::io::ErrorKind::NotFound => {
            Err(Error::CommandNotFound {
                command: command.to_string(),
                available_in: Vec::new(),
            }
            .into())
        }
        Err(source) => Err(CliError::Exec {
            command: command.to_string(),
            source,
        }),
    }
}

pub fn latest(
    ctx: &Context,
    known: bool,
    quiet: bool,
    prefix: Option<&str>,
) -> Result<(), CliError> {
    let Some(prefix) = prefix else {
        return Err(missing_prefix(ctx, quiet));
    };
    // Any text: one that is not a name simply matches nothing.
    let request = VersionRequest::lenient(prefix);
    let found = if known {
        // A damaged cache is set aside with a warning; the built-in list answers meanwhile.
        let loaded = super::install::load_catalog(&ctx.root);
        let found = loaded.catalog.resolve(&request, ctx.arch).ok();
        found.map(|e| e.name.clone())
    } else {
        resolve(&request, ctx.installed(), ctx.arch).map(|v| v.to_string())
    };
    match found {
        Some(v) => {
            line(v);
            Ok(())
        }
        None if quiet => Err(CliError::Exit(1)),
        None if known => Err(CliError::NoLatestKnown(prefix.to_string())),
        None => Err(CliError::NoLatestInstalled(prefix.to_string())),
    }
}

/// `latest` without a prefix. pyenv-win prints its usage on stdout (nothing with `-q`)
/// and fails; pyenv mode names the missing argument.
fn missing_prefix(ctx: &Context, quiet: bool) -> CliError {
    if !ctx.compat.is_pyenv_win() {
        return CliError::Usage("missing <prefix> argument".into(), "latest".into());
    }
    if !quiet {
        if let Some(usage) = crate::help::command_help(pyv_core::prog::name(), "latest") {
            line(usage);
        }
    }
    CliError::Exit(1)
}

/// The folders of the given or selected versions, joined like PATH entries (as pyenv).
pub fn prefix(ctx: &Context, versions: &[String]) -> Result<(), CliError> {
    let dirs: Vec<std::path::PathBuf> = if versions.is_empty() {
        let active = ctx.active()?;
        active
            .iter()
            .map(|a| ctx.active_prefix(a))
            .collect::<Result<_, _>>()?
    } else {
        versions
            .iter()
            .map(|v| ctx.installed_prefix(&VersionRequest::parse(v)?))
            .collect::<Result<_, Error>>()?
    };
    let joined = std::env::join_paths(&dirs).map_err(|e| CliError::Io(e.to_string()))?;
    line(joined.to_string_lossy());
    Ok(())
}
