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
            Some(Command::Doctor { verbose, .. }) => *verbose,
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
        /// pyv's Windows forms name the shell; pyenv's function leaves it to `PYENV_SHELL`.
        #[arg(long)]
        shell: Option<String>,
        #[arg(long)]
        unset: bool,
        versions: Vec<String>,
    },
    /// What pyenv's shell function evaluates for `rehash`; hidden like `sh-shell`.
    #[command(name = "sh-rehash", hide = true)]
    ShRehash,
    Version {
        /// Only the names, as `version-name` prints them (pyenv's option).
        #[arg(long)]
        bare: bool,
    },
    #[command(name = "version-name")]
    VersionName(NameArgs),
    Vname(NameArgs),
    /// pyenv's: the file that selects the version (of `dir`, else of the current folder).
    /// Hidden, as pyenv-win has no such command (so without an entry in the help table).
    #[command(name = "version-file", hide = true)]
    VersionFile {
        dir: Option<PathBuf>,
    },
    /// pyenv's: what selects the version (`PYENV_VERSION environment variable` or a file).
    /// Hidden for the same reason.
    #[command(name = "version-origin", hide = true)]
    VersionOrigin,
    Versions {
        #[arg(long)]
        bare: bool,
        #[arg(long = "skip-aliases")]
        skip_aliases: bool,
        /// pyenv's: leave out the environments under `<version>/envs`.
        #[arg(long = "skip-envs")]
        skip_envs: bool,
        /// pyenv's: the names of every version's and environment's commands, once each.
        #[arg(long)]
        executables: bool,
    },
    Which {
        command: String,
        /// pyenv's: no list of the versions that have the command when it is not found.
        #[arg(long = "skip-advice")]
        skip_advice: bool,
        /// pyenv's: do not look on PATH after the selected versions.
        #[arg(long)]
        nosystem: bool,
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
        /// pyenv's: when nothing matches, print the prefix itself (and still exit 1).
        #[arg(short = 'b', long)]
        bypass: bool,
        /// pyenv's: as --bypass, but exit 0.
        #[arg(short = 'f', long)]
        force: bool,
        /// Optional for clap: pyenv-win answers a missing prefix with its usage.
        prefix: Option<String>,
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
        /// pyenv's words (`-`, `--path`, `--no-push-path`, `--no-rehash`, `--detect-shell`)
        /// and the shell, in any order, read as pyenv reads them.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
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
        /// Show the TLS library's words under each failed handshake, and pyv's decisions
        #[arg(short = 'v', long)]
        verbose: bool,
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
    /// pyenv's: write the versions without checking that they are installed.
    #[arg(short = 'f', long)]
    pub force: bool,
    pub versions: Vec<String>,
}

/// `version-name` and `vname`.
#[derive(Args, Debug)]
pub struct NameArgs {
    /// pyenv's: print a version that is not installed as it is instead of failing.
    #[arg(short = 'f', long)]
    pub force: bool,
}
