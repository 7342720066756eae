//! `pyv`: the command line. Parses arguments, calls the libraries, prints.

mod cli;
mod commands;
mod error;
mod help;
mod logging;
mod output;
mod progress;

use clap::{CommandFactory, FromArgMatches};
use error::CliError;
use pyv_core::prog;
use std::ffi::OsString;

fn main() {
    let args: Vec<OsString> = std::env::args_os().collect();
    prog::set_from_argv0(args.first().map(OsString::as_os_str));
    let code = match run(args) {
        Ok(()) => 0,
        Err(CliError::Exit(code)) => code,
        Err(e) => {
            output::report(&e);
            e.exit_code()
        }
    };
    output::flush();
    std::process::exit(code);
}

fn run(args: Vec<OsString>) -> Result<(), CliError> {
    let p = prog::name();
    // Checked before anything else, so a misspelt PYV_LOG is named whatever the command.
    let log_filter = logging::from_env(&pyv_core::ProcessEnv)?;
    let logging_from_env = log_filter.is_some();
    if let Some(filter) = log_filter {
        logging::install(filter);
    }
    // pyenv-win's help forms: `pyv <cmd> --help`, `pyv --help <cmd>`, `pyv help <cmd>`.
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    match words.as_slice() {
        [] => return commands::print_overview(),
        [h] if h == "--help" || h == "-h" => return commands::print_overview(),
        [h, cmd, ..] if h == "--help" || h == "-h" => return commands::help(Some(cmd)),
        [cmd, h, ..] if (h == "--help" || h == "-h") && cmd != "exec" => {
            return commands::help(Some(cmd))
        }
        _ => {}
    }
    // Not built up front: clap builds only the subcommand it parses (see `help::apply`).
    let command = help::apply(cli::Cli::command()).name(p).bin_name(p);
    let matches = match command.try_get_matches_from(&args) {
        // `--help` further along (`pyv install --list --help`, `pyv cacert add --help`) gets
        // the same pyenv-win help text as the forms above, not an error.
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            return commands::help(words.first().map(String::as_str));
        }
        r => r.map_err(|e| clap_error(e, &words))?,
    };
    let cli = cli::Cli::from_arg_matches(&matches).map_err(|e| clap_error(e, &words))?;
    if !logging_from_env && cli.verbose() {
        logging::install(logging::verbose());
    }
    if cli.version {
        output::line(format!("{p} {}", env!("CARGO_PKG_VERSION")));
        return Ok(());
    }
    match cli.command {
        Some(c) => commands::dispatch(c),
        None => commands::print_overview(),
    }
}

/// clap's multi-line errors become one line naming the problem and where to read more.
fn clap_error(e: clap::Error, words: &[String]) -> CliError {
    use clap::error::{ContextKind, ErrorKind};
    if e.kind() == ErrorKind::InvalidSubcommand {
        let name = e
            .get(ContextKind::InvalidSubcommand)
            .map(|v| v.to_string())
            .unwrap_or_else(|| words.first().cloned().unwrap_or_default());
        return CliError::NoSuchCommand(name);
    }
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first).to_string();
    CliError::Usage(first, words.first().cloned().unwrap_or_default())
}
