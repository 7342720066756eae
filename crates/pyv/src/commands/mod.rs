//! One function per command; each reads through the libraries and prints.

mod cacert;
mod doctor;
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
use pyv_core::{prog, Context};

pub fn dispatch(c: Command) -> Result<(), CliError> {
    match c {
        Command::Commands => {
            help::command_names().into_iter().for_each(line);
            Ok(())
        }
        Command::Help { command } => help(command.as_deref()),
        Command::Global(a) => select::global(&ctx()?, a),
        Command::Local(a) => select::local(&ctx()?, a),
        Command::Shell(a) => select::shell(&ctx()?, a),
        Command::ShShell {
            shell,
            unset,
            versions,
        } => init::sh_shell(&ctx()?, &shell, unset, versions),
        Command::Version => select::version(&ctx()?),
        Command::VersionName | Command::Vname => select::version_name(&ctx()?),
        Command::Versions { bare, skip_aliases } => select::versions(&ctx()?, bare, skip_aliases),
        Command::Which { command } => lookup::which(&ctx()?, &command),
        Command::Whence { path, command } => lookup::whence(&ctx()?, path, &command),
        Command::Exec { command, args } => lookup::exec(&ctx()?, &command, &args),
        Command::Rehash => manage::rehash(&ctx()?),
        Command::Shims { short } => manage::shims(&ctx()?, short),
        Command::Latest {
            known,
            quiet,
            prefix,
        } => lookup::latest(&ctx()?, known, quiet, &prefix),
        Command::Duplicate {
            source,
            destination,
        } => manage::duplicate(&ctx()?, &source, &destination),
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
        Command::Prefix { versions } => lookup::prefix(&ctx()?, &versions),
        Command::Init { shell } => init::init(shell.as_deref()),
        Command::Link { name, path } => manage::link(&ctx_unchecked()?, &name, path.as_deref()),
        Command::Install(a) => install::install(&ctx_unchecked()?, a),
        Command::Update { ignore: _, net } => install::update(&ctx_unchecked()?, &net),
        Command::Cacert { action } => cacert::cacert(&ctx_unchecked()?, action),
        Command::Self_ { action } => self_cmd::self_cmd(action),
        Command::Doctor {
            fix_tls,
            json,
            cacert,
        } => doctor::doctor(fix_tls, json, cacert),
    }
}

/// The context for commands that read an existing root.
fn ctx() -> Result<Context, CliError> {
    let c = ctx_unchecked()?;
    c.root.require_exists()?;
    Ok(c)
}

/// The context for commands that may create the root.
fn ctx_unchecked() -> Result<Context, CliError> {
    Ok(Context::from_process()?)
}

pub fn print_overview() -> Result<(), CliError> {
    line(help::overview(prog::name()));
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
