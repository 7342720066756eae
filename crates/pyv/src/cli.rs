//! The command line, as pyenv-win spells it. The subcommands' summaries, usages and texts
//! are not written here: `help::apply` gives clap the ones of `help::TABLE`, which
//! `pyv help <cmd>`, `pyv <cmd> --help` and `pyv --help <cmd>` print.

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

impl Cli {
    /// `-v`/`--verbose`, on the commands that take it (see `logging::verbose`).
    pub fn verbose(&self) -> bool {
        match &self.command {
            Some(Command::Install(a)) => a.net.verbose,
            Some(Command::Update { net, .. }) => net.verbose,
            _ => false,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Commands,
    Help {
        command: Option<String>,
    },
    Global(SetArgs),
    Local(SetArgs),
    Shell(SetArgs),
    /// Print the shell code that `pyv shell` evaluates (used by `pyv init`); hidden, so
    /// without an entry in the help table.
    #[command(name = "sh-shell", hide = true)]
    ShShell {
        #[arg(long)]
        shell: String,
        #[arg(long)]
        unset: bool,
        versions: Vec<String>,
    },
    /// `PYENV_VERSION=<value>` for `shell <version>...`, for the `pyenv` scripts `self
    /// install` writes (`pyv_self::wrappers`); hidden, so without an entry in the help table.
    #[command(name = "shell-value", hide = true)]
    ShellValue {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    Version,
    #[command(name = "version-name")]
    VersionName,
    Vname,
    Versions {
        #[arg(long)]
        bare: bool,
        #[arg(long = "skip-aliases")]
        skip_aliases: bool,
    },
    Which {
        command: String,
    },
    Whence {
        #[arg(long)]
        path: bool,
        command: String,
    },
    Exec {
        command: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    Rehash,
    Shims {
        #[arg(long)]
        short: bool,
    },
    Latest {
        #[arg(short = 'k', long)]
        known: bool,
        #[arg(short = 'q', long)]
        quiet: bool,
        prefix: String,
    },
    Duplicate {
        source: String,
        destination: String,
    },
    Export {
        source: String,
        directory: PathBuf,
    },
    Uninstall {
        #[arg(short = 'f', long)]
        force: bool,
        #[arg(short = 'a', long)]
        all: bool,
        versions: Vec<String>,
    },
    Root,
    Prefix {
        versions: Vec<String>,
    },
    Init {
        shell: Option<String>,
    },
    Link {
        name: String,
        path: Option<PathBuf>,
    },
    Install(InstallArgs),
    Update {
        /// Accepted for pyenv-win compatibility: failing pages are always warnings.
        #[arg(long)]
        ignore: bool,
        #[command(flatten)]
        net: NetArgs,
    },
    Cacert {
        #[command(subcommand)]
        action: Option<CacertAction>,
    },
    #[command(name = "self")]
    Self_ {
        #[command(subcommand)]
        action: Option<SelfAction>,
    },
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
    /// Show the library detail of network errors, and pyv's decisions on stderr
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
