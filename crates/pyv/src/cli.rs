//! The command line, as pyenv-win spells it. Help texts come from `help.rs` so that
//! `pyv help <cmd>`, `pyv <cmd> --help` and `pyv --help <cmd>` print the same words.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "pyv",
    disable_help_subcommand = true,
    disable_version_flag = true
)]
pub struct Cli {
    /// Print the version of pyv.
    #[arg(long = "version")]
    pub version: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List all available commands
    Commands,
    /// Show help for a command
    Help { command: Option<String> },
    /// Set or show the global Python version
    Global(SetArgs),
    /// Set or show the local application-specific Python version
    Local(SetArgs),
    /// Set or show the shell-specific Python version
    Shell(SetArgs),
    /// Print the shell code that `pyv shell` evaluates (used by `pyv init`)
    #[command(name = "sh-shell", hide = true)]
    ShShell {
        #[arg(long)]
        shell: String,
        #[arg(long)]
        unset: bool,
        versions: Vec<String>,
    },
    /// Show the current Python version and its origin
    Version,
    /// Show the current Python version
    #[command(name = "version-name")]
    VersionName,
    /// Show the current Python version
    Vname,
    /// List all Python versions available
    Versions {
        #[arg(long)]
        bare: bool,
        #[arg(long = "skip-aliases")]
        skip_aliases: bool,
    },
    /// Display the full path to an executable
    Which { command: String },
    /// List all Python versions that contain the given executable
    Whence {
        #[arg(long)]
        path: bool,
        command: String,
    },
    /// Run an executable with the selected Python version's folders first on PATH
    Exec {
        command: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Rehash shims (run this after installing executables)
    Rehash,
    /// List the existing shims
    Shims {
        #[arg(long)]
        short: bool,
    },
    /// Print the latest installed or known version with the given prefix
    Latest {
        #[arg(short = 'k', long)]
        known: bool,
        #[arg(short = 'q', long)]
        quiet: bool,
        prefix: String,
    },
    /// Creates a duplicate python environment
    Duplicate { source: String, destination: String },
    /// Export a python environment to a folder
    Export { source: String, directory: PathBuf },
    /// Uninstall a specific Python version
    Uninstall {
        #[arg(short = 'f', long)]
        force: bool,
        #[arg(short = 'a', long)]
        all: bool,
        versions: Vec<String>,
    },
    /// Display the root folder
    Root,
    /// Display the folder of the selected (or given) Python version(s)
    Prefix { versions: Vec<String> },
    /// Print the shell integration that makes `pyv shell` work
    Init { shell: Option<String> },
    /// Point versions/<name> at a Python installed elsewhere
    Link { name: String, path: Option<PathBuf> },
}

#[derive(Args, Debug)]
pub struct SetArgs {
    #[arg(long)]
    pub unset: bool,
    pub versions: Vec<String>,
}
