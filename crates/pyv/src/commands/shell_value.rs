//! The engine's side of the `pyenv` scripts `self install` writes (`bin\pyenv.bat`,
//! `bin\pyenv.ps1`): for `pyenv shell <version>...` they ask the hidden `shell-value` for the
//! value and set `PYENV_VERSION` themselves, since a program cannot change its shell's
//! variables. One line, `PYENV_VERSION=<value>`, so that a script can pick it out of what cmd's
//! AutoRun may print before it; nothing on stdout when the versions are refused.

use crate::error::CliError;
use crate::output::line;
use pyv_core::Context;

/// `args` as the scripts pass them: their whole argument list, `shell` first.
pub fn shell_value(ctx: &Context, args: Vec<String>) -> Result<(), CliError> {
    let versions: Vec<String> = match args.split_first() {
        Some((first, rest)) if first.eq_ignore_ascii_case("shell") => rest.to_vec(),
        _ => args,
    };
    if versions.is_empty() {
        return Err(CliError::Usage("no version given".into(), "shell".into()));
    }
    let value = super::select::join(&ctx.installed_requests(&versions)?);
    line(format!("PYENV_VERSION={value}"));
    Ok(())
}
