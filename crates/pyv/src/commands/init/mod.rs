//! `init` and the hidden `sh-shell` and `sh-rehash`: an exe cannot change its parent
//! shell's variables, so `shell` works through a shell function that evaluates what
//! `sh-shell` prints.
//!
//! Two forms: pyenv 2.6's protocol (`eval "$(pyenv init -)"`, `--path`, bare `init` prints
//! instructions and exits 1; [`protocol`], [`sh`]) in pyenv mode, and wherever `-` or
//! `--path` asks for it; and pyv's Windows forms (`init powershell|cmd|bash|fish`, whose
//! function calls `sh-shell --shell <shell>`) in pyenv-win mode, which has no `init` of its
//! own.

mod detect;
mod protocol;
mod sh;

use crate::error::CliError;
use crate::output::{line, stderr_bytes};
use protocol::{Mode, Options};
use pyv_core::{prog, Context, ProcessEnv};

#[derive(Clone, Copy)]
enum Shell {
    Pwsh,
    Cmd,
    Posix,
    Fish,
}

fn parse_shell(s: &str) -> Result<Shell, CliError> {
    match s.to_ascii_lowercase().as_str() {
        "powershell" | "pwsh" | "ps" => Ok(Shell::Pwsh),
        "cmd" => Ok(Shell::Cmd),
        "bash" | "zsh" | "sh" => Ok(Shell::Posix),
        "fish" => Ok(Shell::Fish),
        _ => Err(CliError::UnknownShell(s.to_string())),
    }
}

/// What to type to enable the integration, for the error `pyv shell` gives without it.
pub fn enable_hint() -> String {
    let p = prog::name();
    if cfg!(windows) {
        format!(
            "'{p} init powershell | Out-String | Invoke-Expression' in your PowerShell $PROFILE"
        )
    } else {
        format!("'eval \"$({p} init bash)\"' in ~/.bashrc")
    }
}

pub fn init(ctx: &Context, args: &[String]) -> Result<(), CliError> {
    let opts = Options::parse(args);
    if ctx.compat.is_pyenv_win() && opts.mode == Mode::Help {
        return windows_forms(args.first().map(String::as_str));
    }
    let shell = opts
        .shell
        .clone()
        .unwrap_or_else(|| detect::shell(&ProcessEnv));
    let root = ctx.root.dir().display().to_string();
    if matches!(opts.mode, Mode::Print | Mode::Path) {
        if let Some(what) = root.chars().find_map(unquotable) {
            return Err(CliError::RootUnquotable {
                root: ctx.root.dir().to_path_buf(),
                what,
            });
        }
    }
    if opts.mode == Mode::Print {
        for dir in [ctx.root.shims_dir(), ctx.root.versions_dir()] {
            std::fs::create_dir_all(&dir).map_err(|e| pyv_core::Error::io(&dir, e))?;
        }
    }
    let printed = protocol::render(&opts, prog::name(), &root, &shell);
    if let Some(text) = printed.stdout.strip_suffix('\n') {
        line(text);
    }
    if !printed.stderr.is_empty() {
        stderr_bytes(printed.stderr.as_bytes());
    }
    match printed.code {
        0 => Ok(()),
        code => Err(CliError::Exit(code)),
    }
}

/// A character pyenv's shell code (a root inside single and double quotes) cannot carry,
/// named for the error.
fn unquotable(c: char) -> Option<&'static str> {
    Some(match c {
        '\'' => "a single quote",
        '"' => "a double quote",
        '$' => "a '$'",
        '`' => "a backquote",
        '\n' | '\r' => "a line break",
        _ => return None,
    })
}

/// `pyv init <shell>` as pyenv-win mode has it: the function for one shell.
fn windows_forms(shell: Option<&str>) -> Result<(), CliError> {
    let shell = shell.ok_or_else(|| CliError::Usage("no shell given".into(), "init".into()))?;
    let p = prog::name();
    let code = match parse_shell(shell)? {
        Shell::Posix => format!(
            "{p}() {{\n  if [ \"$1\" = shell ] && [ \"$#\" -gt 1 ]; then\n    shift\n    eval \"$(command {p} sh-shell --shell sh \"$@\")\"\n  else\n    command {p} \"$@\"\n  fi\n}}"
        ),
        Shell::Fish => format!(
            "function {p}\n  if test \"$argv[1]\" = shell; and test (count $argv) -gt 1\n    command {p} sh-shell --shell fish $argv[2..-1] | source\n  else\n    command {p} $argv\n  end\nend"
        ),
        Shell::Pwsh => format!(
            "function {p} {{\n  $exe = Get-Command -CommandType Application -Name {p} | Select-Object -First 1\n  if ($args.Count -gt 1 -and $args[0] -eq 'shell') {{\n    $code = & $exe sh-shell --shell powershell @($args | Select-Object -Skip 1)\n    if ($LASTEXITCODE -eq 0 -and $code) {{ Invoke-Expression ($code -join \"`n\") }}\n  }} else {{\n    & $exe @args\n  }}\n}}"
        ),
        Shell::Cmd => format!(
            "@echo off\r\nrem pyv shell integration for cmd: save this as {p}-shell.cmd in a folder on PATH, then run\r\nrem   doskey {p}={p}-shell.cmd $*\r\nrem (for every new cmd window: put the doskey line in a script named by the AutoRun value of\r\nrem  HKCU\\Software\\Microsoft\\Command Processor).\r\nif /i \"%~1\"==\"shell\" if not \"%~2\"==\"\" (\r\n  for /f \"delims=\" %%L in ('{p}.exe sh-shell --shell cmd %*') do %%L\r\n  exit /b\r\n)\r\n{p}.exe %*"
        ),
    };
    line(code);
    Ok(())
}

/// Prints the code that sets (or unsets) `PYENV_VERSION`: with `--shell`, for pyv's Windows
/// forms; without, pyenv's for `$PYENV_SHELL`.
pub fn sh_shell(
    ctx: &Context,
    shell: Option<&str>,
    unset: bool,
    versions: Vec<String>,
) -> Result<(), CliError> {
    match shell {
        Some(s) => sh_shell_for(ctx, s, unset, versions),
        None => sh_shell_pyenv(ctx, unset, &versions),
    }
}

/// pyenv's `sh-shell`: on a version that is not installed, `false` for the shell to
/// evaluate, and the error.
fn sh_shell_pyenv(ctx: &Context, unset: bool, versions: &[String]) -> Result<(), CliError> {
    let shell = detect::current(&ProcessEnv);
    if unset || versions.first().is_some_and(|v| v == "--unset") {
        line(sh::unset(&shell));
        return Ok(());
    }
    let current = ctx.pyenv_version.as_deref().filter(|v| !v.is_empty());
    if versions.is_empty() {
        return match current {
            Some(_) => {
                line(sh::SHOW);
                Ok(())
            }
            None => Err(CliError::NoShellVersion),
        };
    }
    if versions.first().is_some_and(|v| v == "-") {
        line(sh::previous(prog::name(), &shell));
        return Ok(());
    }
    match ctx.installed_requests(versions) {
        Ok(requests) => {
            let texts: Vec<String> = requests.iter().map(ToString::to_string).collect();
            if let Some(code) = sh::set(&shell, &texts.join(":"), current) {
                line(code);
            }
            Ok(())
        }
        Err(e) => {
            line(sh::FAIL);
            Err(e.into())
        }
    }
}

/// pyenv's `sh-rehash`: the shell runs the rehash, then drops its remembered paths.
pub fn sh_rehash() -> Result<(), CliError> {
    line(sh::rehash(prog::name(), &detect::current(&ProcessEnv)));
    Ok(())
}

/// Prints the command that sets (or unsets) `PYENV_VERSION` in `shell`; nothing on error,
/// so the caller evaluates nothing.
fn sh_shell_for(
    ctx: &Context,
    shell: &str,
    unset: bool,
    versions: Vec<String>,
) -> Result<(), CliError> {
    let shell = parse_shell(shell)?;
    // The cmd wrapper passes its whole command line, `shell` included.
    let versions: Vec<String> = versions.into_iter().skip_while(|v| v == "shell").collect();
    let unset = unset || versions.iter().any(|v| v == "--unset");
    if unset {
        line(match shell {
            Shell::Posix => "unset PYENV_VERSION",
            Shell::Fish => "set -e PYENV_VERSION",
            Shell::Pwsh => "Remove-Item Env:PYENV_VERSION -ErrorAction SilentlyContinue",
            Shell::Cmd => "set PYENV_VERSION=",
        });
        return Ok(());
    }
    if versions.is_empty() {
        return Err(CliError::Usage("no version given".into(), "shell".into()));
    }
    // Names are validated (letters, digits, `.-_+:`), so single quotes cannot be broken out of.
    let value = super::select::join(&ctx.installed_requests(&versions)?);
    line(match shell {
        Shell::Posix => format!("export PYENV_VERSION='{value}'"),
        Shell::Fish => format!("set -gx PYENV_VERSION '{value}'"),
        Shell::Pwsh => format!("$Env:PYENV_VERSION = '{value}'"),
        Shell::Cmd => format!("set \"PYENV_VERSION={value}\""),
    });
    Ok(())
}
