//! which, whence, exec, latest, prefix.

use crate::error::CliError;
use crate::output::{self, line};
use pyv_core::resolve::resolve;
use pyv_core::selection::WhichOptions;
use pyv_core::{rehash, run, Context, Error, PyenvError, VersionRequest};

pub fn which(ctx: &Context, command: &str, options: WhichOptions) -> Result<(), CliError> {
    line(ctx.which_with(command, options)?.display().to_string());
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
        // pyenv's `which` has looked on PATH already: nothing more to try.
        Err(Error::CommandNotFound { .. }) if ctx.compat.is_pyenv_win() => command.into(),
        Err(e) => return Err(e.into()),
    };
    output::flush();
    if let Some(version) = ctx.exec_version() {
        // Single-threaded here: nothing else reads the environment meanwhile.
        std::env::set_var("PYENV_VERSION", version);
    }
    let path = ctx.exec_path_for(&target);
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

/// `latest`'s options.
pub struct LatestOptions {
    pub known: bool,
    pub quiet: bool,
    /// pyenv's `-b`: print the prefix itself when nothing matches (still exit 1).
    pub bypass: bool,
    /// pyenv's `-f`: as `bypass`, exit 0.
    pub force: bool,
}

pub fn latest(ctx: &Context, o: LatestOptions, prefix: Option<&str>) -> Result<(), CliError> {
    let (known, quiet) = (o.known, o.quiet);
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
        None if o.bypass => {
            line(prefix);
            Err(CliError::Exit(if o.force { 0 } else { 1 }))
        }
        None if quiet => Err(CliError::Exit(1)),
        None if ctx.compat.is_pyenv() => Err(Error::from(PyenvError::NoLatest {
            prefix: prefix.to_string(),
            known,
        })
        .into()),
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
    if ctx.compat.is_pyenv() {
        return prefix_pyenv(ctx, versions);
    }
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

/// pyenv's `prefix`: the arguments (joined and split on `:`, as pyenv does) or the selected
/// versions; `system` is the folder above the `bin` holding its Python.
fn prefix_pyenv(ctx: &Context, versions: &[String]) -> Result<(), CliError> {
    let requests: Vec<VersionRequest> = if versions.is_empty() {
        ctx.active()?.into_iter().map(|a| a.name).collect()
    } else {
        pyv_core::request::split_colons(&versions.join(":"))
    };
    let mut dirs = Vec::new();
    for request in &requests {
        let dir = if request.is_system() {
            ctx.system_prefix_pyenv().ok_or(PyenvError::NoSystem)
        } else {
            ctx.prefix(&ctx.resolve_installed(request))
                .ok_or_else(|| PyenvError::UnknownVersion(request.to_string()))
        };
        dirs.push(dir.map_err(Error::from)?);
    }
    let joined = std::env::join_paths(&dirs).map_err(|e| CliError::Io(e.to_string()))?;
    line(joined.to_string_lossy());
    Ok(())
}
