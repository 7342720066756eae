//! One function per command; each reads through the libraries and prints.

mod cacert;
mod doctor;
mod duplicate;
mod init;
mod install;
mod lookup;
mod manage;
mod net;
mod select;
mod self_cmd;

use crate::cli::Command;
use crate::error::CliError;
use crate::help;
use crate::output::line;
use pyv_core::version_file::LOCAL_FILE;
use pyv_core::{prog, Context, Root};
use tracing::{debug, Level};

pub fn dispatch(c: Command) -> Result<(), CliError> {
    match c {
        Command::Commands => {
            help::command_names().into_iter().for_each(line);
            Ok(())
        }
        Command::Help { command } => help(command.as_deref()),
        Command::Global(a) => select::global(&selecting_ctx()?, a),
        Command::Local(a) => select::local(&selecting_ctx()?, a),
        Command::Shell(a) => select::shell(&selecting_ctx()?, a),
        Command::ShShell {
            shell,
            unset,
            versions,
        } => init::sh_shell(&ctx()?, shell.as_deref(), unset, versions),
        Command::ShRehash => init::sh_rehash(),
        Command::Version { bare } => select::version(&selecting_ctx()?, bare),
        Command::VersionName(a) | Command::Vname(a) => {
            select::version_name(&selecting_ctx()?, a.force)
        }
        Command::VersionFile { dir } => select::version_file(&ctx()?, dir.as_deref()),
        Command::VersionOrigin => select::version_origin(&selecting_ctx()?),
        Command::Versions {
            bare,
            skip_aliases,
            skip_envs,
            executables,
        } => select::versions(
            &selecting_ctx()?,
            select::ListOptions {
                bare,
                skip_aliases,
                skip_envs,
                executables,
            },
        ),
        Command::Which {
            command,
            skip_advice,
            nosystem,
        } => lookup::which(
            &selecting_ctx()?,
            &command,
            pyv_core::selection::WhichOptions {
                system: !nosystem,
                advice: !skip_advice,
            },
        ),
        Command::Whence { path, command } => lookup::whence(&selecting_ctx()?, path, &command),
        Command::Exec { command, args } => lookup::exec(&selecting_ctx()?, &command, &args),
        Command::Rehash => manage::rehash(&ctx()?),
        Command::Shims { short } => manage::shims(&ctx()?, short),
        Command::Latest {
            known,
            quiet,
            bypass,
            force,
            prefix,
        } => lookup::latest(
            &ctx()?,
            lookup::LatestOptions {
                known,
                quiet,
                bypass: bypass || force,
                force,
            },
            prefix.as_deref(),
        ),
        Command::Duplicate {
            source,
            destination,
        } => duplicate::duplicate(&ctx()?, &source, &destination),
        Command::Export { source, directory } => manage::export(&ctx()?, &source, &directory),
        Command::Uninstall {
            force,
            all,
            versions,
        } => manage::uninstall(&ctx()?, force, all, &versions),
        Command::Root => {
            line(ctx_unchecked()?.root.dir().display().to_string());
            Ok(())
        }
        Command::Prefix { versions } => lookup::prefix(&selecting_ctx()?, &versions),
        Command::Init { args } => init::init(&ctx_unchecked()?, &args),
        Command::Link { name, path } => manage::link(&ctx_unchecked()?, &name, path.as_deref()),
        Command::Install(a) => {
            let ctx = ctx_unchecked()?;
            if a.versions.is_empty() && !(a.all || a.list || a.clear) {
                log_selection(&ctx);
            }
            install::install(&ctx, a)
        }
        Command::Update { ignore: _, net } => install::update(&ctx_unchecked()?, &net),
        Command::Cacert { action } => cacert::cacert(&ctx_unchecked()?, action),
        Command::Self_ { action } => self_cmd::self_cmd(action),
        Command::Doctor {
            fix_tls,
            json,
            cacert,
            verbose,
        } => doctor::doctor(fix_tls, json, cacert, verbose),
    }
}

/// The context for commands that read the root. pyenv reads a root that does not exist yet
/// as an empty one (the commands that write create it); pyenv-win's root is where its own
/// scripts are, so a missing one is an error worth naming there.
fn ctx() -> Result<Context, CliError> {
    let c = ctx_unchecked()?;
    if c.compat.is_pyenv_win() {
        c.root.require_exists()?;
    }
    Ok(c)
}

/// The context for commands that act on the selected version(s): the selection is logged.
fn selecting_ctx() -> Result<Context, CliError> {
    let c = ctx()?;
    log_selection(&c);
    Ok(c)
}

/// The context for commands that may create the root.
fn ctx_unchecked() -> Result<Context, CliError> {
    let mut c = Context::from_process()?;
    c.warn = |msg| crate::output::error(msg);
    debug!("root {} (from {})", c.root.dir().display(), c.root.source());
    repair(&c.root);
    Ok(c)
}

/// Puts right what a killed install or uninstall left in the root, before the command
/// reads it (see `pyv_install::repair`). Silent but for `-v`: a command's output is the
/// same whether or not an earlier run was killed.
fn repair(root: &Root) {
    let r = pyv_install::repair(root);
    for p in &r.restored {
        debug!(
            "{} was set aside by a killed 'install --force'; restored it",
            p.display()
        );
    }
    for p in &r.removed {
        debug!("removed {}, left by a killed run", p.display());
    }
    for (p, e) in &r.failed {
        debug!(
            "cannot remove {} yet ({e}), left by a killed run",
            p.display()
        );
    }
}

/// Which source selects the version(s) and what each resolves to, for `-v`/`PYV_LOG`.
/// Read again only when someone listens: the commands read it themselves.
fn log_selection(ctx: &Context) {
    if !tracing::enabled!(Level::DEBUG) {
        return;
    }
    let request = match ctx.request() {
        Ok(Some(r)) => r,
        // The command reports an unreadable version file itself.
        Err(e) => {
            debug!("no version selected: {e}");
            return;
        }
        Ok(None) => {
            debug!(
                "no version selected: PYENV_VERSION unset, no {LOCAL_FILE} in {} or above, no {}",
                ctx.cwd.display(),
                ctx.root.global_version_file().display()
            );
            return;
        }
    };
    debug!(
        "version {} (set by {})",
        request
            .versions
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        request.origin
    );
    for v in &request.versions {
        let resolved = ctx.resolve_installed(v);
        if ctx.prefix(&resolved).is_none() {
            debug!("{v} is not installed");
        } else if resolved != *v {
            debug!("{v} resolves to the installed {resolved}");
        }
    }
}

pub fn print_overview() -> Result<(), CliError> {
    let compat = pyv_core::Compat::from_env(&pyv_core::ProcessEnv)?;
    line(help::overview(prog::name(), compat));
    Ok(())
}

pub fn help(command: Option<&str>) -> Result<(), CliError> {
    let Some(command) = command else {
        return print_overview();
    };
    match help::command_help(prog::name(), command) {
        Some(text) => {
            line(text);
            Ok(())
        }
        None => Err(CliError::NoSuchCommand(command.to_string())),
    }
}
