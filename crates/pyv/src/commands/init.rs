//! `pyv init <shell>` and the hidden `sh-shell`: an exe cannot change its parent shell's
//! variables, so `pyv shell` works through a small shell function that evaluates what
//! `sh-shell` prints.

use crate::error::CliError;
use crate::output::line;
use pyv_core::{prog, Context};

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

pub fn init(shell: Option<&str>) -> Result<(), CliError> {
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

/// Prints the command that sets (or unsets) `PYENV_VERSION` in `shell`; nothing on error,
/// so the caller evaluates nothing.
pub fn sh_shell(
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
