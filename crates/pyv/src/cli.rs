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
    /// Install a Python version
    Install(InstallArgs),
    /// Update the cached version list from python.org (or the mirror)
    Update {
        /// Accepted for pyenv-win compatibility: failing pages are always warnings.
        #[arg(long)]
        ignore: bool,
        #[command(flatten)]
        net: NetArgs,
    },
    /// List, add or remove CA certificates trusted in addition to the system's
    Cacert {
        #[command(subcommand)]
        action: Option<CacertAction>,
    },
    /// Install pyv itself in a root (PATH, PYENV variables, pyenv.bat), or remove it
    #[command(name = "self")]
    Self_ {
        #[command(subcommand)]
        action: Option<SelfAction>,
    },
    /// Check PATH, the network settings, TLS with the mirror, the clock and Windows' TLS switches
    Doctor {
        #[arg(long = "fix-tls")]
        fix_tls: bool,
        #[arg(long)]
        json: bool,
        #[arg(long = "cacert")]
        cacert: Vec<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum SelfAction {
    /// Copy pyv into <root>\bin, adopt a pyenv-win tree, set PATH and the PYENV variables
    Install {
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Undo `self install`; --purge also removes the root with every version
    Uninstall {
        #[arg(long)]
        purge: bool,
        #[arg(short = 'f', long)]
        force: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum CacertAction {
    /// Trust the certificates in FILE (PEM or DER) on every download
    Add { file: PathBuf },
    /// Stop trusting FILE
    Remove { file: PathBuf },
}

/// Network options shared by the commands that download.
#[derive(Args, Debug, Clone, Default)]
pub struct NetArgs {
    /// Trust the CA certificates in FILE (PEM or DER) in addition to the system's; repeatable
    #[arg(long = "cacert", value_name = "FILE")]
    pub cacert: Vec<PathBuf>,
    /// Show the library detail of network errors
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

#[derive(Args, Debug)]
pub struct InstallArgs {
    #[arg(short = 'l', long)]
    pub list: bool,
    #[arg(short = 'a', long)]
    pub all: bool,
    #[arg(short = 'c', long)]
    pub clear: bool,
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Skip versions already installed (always the case unless --force)
    #[arg(short = 's', long = "skip-existing")]
    pub skip_existing: bool,
    #[arg(short = 'r', long)]
    pub register: bool,
    #[arg(short = 'q', long)]
    pub quiet: bool,
    #[arg(long = "32only")]
    pub only32: bool,
    #[arg(long = "64only")]
    pub only64: bool,
    /// Accepted for pyenv-win compatibility (it has no effect there either)
    #[arg(long, hide = true)]
    pub dev: bool,
    pub versions: Vec<String>,
    #[command(flatten)]
    pub net: NetArgs,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    #[arg(long)]
    pub unset: bool,
    pub versions: Vec<String>,
}
