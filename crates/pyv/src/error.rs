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

    #[error("cannot install python.org's Windows builds on {os}, where they do not run; install a native Python with pyenv's python-build ('python-build <version> {}/<version>') or the OS's packages ('{p} link <name> <prefix>'), and {p} finds it in {}; to install Windows builds for a Windows machine, set PYENV_FORCE_ARCH=AMD64 (or X86, ARM64)", .versions.display(), .versions.display(), p = prog())]
    WindowsBuildsRefused {
        os: &'static str,
        versions: std::path::PathBuf,
    },

    #[error("this list is of python.org's Windows builds, which '{p} install' installs only with PYENV_FORCE_ARCH set; native Pythons (pyenv's python-build, the OS's packages) in versions/ are found as they are", p = prog())]
    WindowsBuildsListed,

    #[error("no such command '{}'; see '{p} commands' for the list", user_text(.0), p = prog())]
    NoSuchCommand(String),

    #[error("{0}; see '{p} help {1}'", p = prog())]
    Usage(String, String),

    #[error("no shell-specific version configured")]
    NoShellVersion,

    #[error("shell integration is not enabled, so '{p} shell' cannot change this shell's version; enable it with {hint} (see '{p} help init'), or set PYENV_VERSION yourself", p = prog())]
    ShellIntegrationMissing { hint: String },

    /// pyenv's words, for pyenv mode, where only `init -`'s function routes `shell`.
    #[error("shell integration not enabled. Run `{p} init' for instructions.", p = prog())]
    ShellNotInitialised,

    #[error("the root {} holds {what}, which the shell code of 'init' cannot carry; set PYENV_ROOT to a folder whose path has no quotes, '$', backquotes or line breaks", .root.display())]
    RootUnquotable {
        root: std::path::PathBuf,
        what: &'static str,
    },

    #[error("unknown shell '{}'; use one of: powershell, cmd, bash, zsh, fish", user_text(.0))]
    UnknownShell(String),

    #[error("no installed versions match the prefix '{}'; see '{p} versions'", user_text(.0), p = prog())]
    NoLatestInstalled(String),

    #[error("no known versions match the prefix '{}'; see '{p} install --list'", user_text(.0), p = prog())]
    NoLatestKnown(String),

    #[error("'{}' is {}, a link or a Python outside versions/; duplicate copies only the installs in versions/ (copy that Python with its own tools)", user_text(.name), .path.display())]
    DuplicateNotOwned {
        name: String,
        path: std::path::PathBuf,
    },

    #[error("'{}' is a virtual environment (pyvenv.cfg), whose copy would still belong to its base Python; make a new one with 'python -m venv' instead", user_text(.0))]
    DuplicateVenv(String),

    #[error("'{}' has neither bin/ nor python.exe, a layout pyv cannot make independent; nothing was copied", user_text(.0))]
    DuplicateLayout(String),

    #[error("the copy of '{}' would still run '{interpreter}' from its {file}, so 'pip install' there would change '{}'; nothing was copied", user_text(.name), user_text(.name))]
    DuplicateStillSource {
        name: String,
        file: String,
        interpreter: String,
    },

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
    /// pyv's next step after a message worded as pyenv's, for a terminal only.
    pub fn hint(&self) -> Option<String> {
        match self {
            CliError::Versions(e) => e.hint(),
            _ => None,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Versions(e) => e.exit_code(),
            CliError::Exit(code) => *code,
            CliError::Exec { .. } => 126,
            _ => 1,
        }
    }
}
