//! Every error the CLI reports, with its message; `main` prints `<prog>: <message>`.

use pyv_core::prog::name as prog;
use pyv_core::quote::user_text;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Versions(#[from] pyv_core::Error),

    #[error(transparent)]
    Install(#[from] pyv_install::InstallError),

    #[error(transparent)]
    Net(#[from] pyv_net::NetError),

    #[error(transparent)]
    Catalog(#[from] pyv_catalog::CatalogError),

    #[error(transparent)]
    Update(#[from] pyv_catalog::UpdateError),

    #[error(transparent)]
    SelfInstall(#[from] pyv_self::SelfInstallError),

    #[error(transparent)]
    TlsFix(#[from] pyv_net::tls_registry::FixError),

    #[error("--register cannot be combined with --all or --32only (pyenv-win refuses it too); register versions one by one")]
    RegisterRefused,

    #[error("no version given and none selected; name one, e.g. '{p} install 3.12' (see '{p} install --list')", p = prog())]
    NothingToInstall,

    #[error("{0}={1:?} is not a log level; set it to off, error, warn, info, debug or trace, optionally per target (e.g. 'pyv_net=trace,info'), or unset it")]
    BadLogFilter(&'static str, String),

    #[error("{0}")]
    Message(String),

    #[error("no such command '{}'; see '{p} commands' for the list", user_text(.0), p = prog())]
    NoSuchCommand(String),

    #[error("{0}; see '{p} help {1}'", p = prog())]
    Usage(String, String),

    #[error("no shell-specific version configured")]
    NoShellVersion,

    #[error("shell integration is not enabled, so '{p} shell' cannot change this shell's version; {hint}, or set PYENV_VERSION yourself", p = prog())]
    ShellIntegrationMissing { hint: String },

    #[error("unknown shell '{}'; use one of: powershell, cmd, bash, zsh, fish", user_text(.0))]
    UnknownShell(String),

    #[error("no installed versions match the prefix '{}'; see '{p} versions'", user_text(.0), p = prog())]
    NoLatestInstalled(String),

    #[error("no known versions match the prefix '{}'; see '{p} install --list'", user_text(.0), p = prog())]
    NoLatestKnown(String),

    #[error("'{}' already exists; choose another name or remove it first", .0.display())]
    DestinationExists(std::path::PathBuf),

    #[error("cannot run '{}': {source}", user_text(.command))]
    Exec {
        command: String,
        source: std::io::Error,
    },

    #[error("{0}")]
    Io(String),

    /// Already reported (e.g. a child's exit code passed through); exit with this code.
    #[error("")]
    Exit(i32),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Versions(e) => e.exit_code(),
            CliError::Exit(code) => *code,
            CliError::Exec { .. } => 126,
            _ => 1,
        }
    }
}
