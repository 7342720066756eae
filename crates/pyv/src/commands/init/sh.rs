//! pyenv 2.6's `sh-shell` and `sh-rehash`: the code the `init -` function evaluates, in the
//! syntax of `$PYENV_SHELL`. Like pyenv, `shell` keeps the previous value in
//! `PYENV_VERSION_OLD` so that `shell -` can go back to it.

/// `shell --unset`.
pub fn unset(shell: &str) -> String {
    match shell {
        "fish" => "set -gu PYENV_VERSION_OLD \"$PYENV_VERSION\"\nset -e PYENV_VERSION".into(),
        "pwsh" => "$Env:PYENV_VERSION, $Env:PYENV_VERSION_OLD = $null, $Env:PYENV_VERSION".into(),
        _ => "PYENV_VERSION_OLD=\"${PYENV_VERSION-}\"\nunset PYENV_VERSION".into(),
    }
}

/// `shell -`: swaps `PYENV_VERSION` and `PYENV_VERSION_OLD`, or fails in the shell when
/// there is nothing to go back to.
pub fn previous(p: &str, shell: &str) -> String {
    match shell {
        "fish" => format!(
            "if set -q PYENV_VERSION_OLD
  if [ -n \"$PYENV_VERSION_OLD\" ]
    set PYENV_VERSION_OLD_ \"$PYENV_VERSION\"
    set -gx PYENV_VERSION \"$PYENV_VERSION_OLD\"
    set -gu PYENV_VERSION_OLD \"$PYENV_VERSION_OLD_\"
    set -e PYENV_VERSION_OLD_
  else
    set -gu PYENV_VERSION_OLD \"$PYENV_VERSION\"
    set -e PYENV_VERSION
  end
else
  echo \"{p}: PYENV_VERSION_OLD is not set\" >&2
  false
end"
        ),
        // pyenv's text, trailing space included.
        "pwsh" => format!(
            "if ( Get-Item -Path Env:\\PYENV_VERSION* ) {{
  $Env:PYENV_VERSION, $Env:PYENV_VERSION_OLD = $Env:PYENV_VERSION_OLD, $Env:PYENV_VERSION
}} else {{
  Write-Error \"{p}: Env:PYENV_VERSION_OLD is not set\"
  return $false
}} "
        ),
        _ => format!(
            "if [ -n \"${{PYENV_VERSION_OLD+x}}\" ]; then
  if [ -n \"$PYENV_VERSION_OLD\" ]; then
    PYENV_VERSION_OLD_=\"$PYENV_VERSION\"
    export PYENV_VERSION=\"$PYENV_VERSION_OLD\"
    PYENV_VERSION_OLD=\"$PYENV_VERSION_OLD_\"
    unset PYENV_VERSION_OLD_
  else
    PYENV_VERSION_OLD=\"$PYENV_VERSION\"
    unset PYENV_VERSION
  fi
else
  echo \"{p}: PYENV_VERSION_OLD is not set\" >&2
  false
fi"
        ),
    }
}

/// `shell <versions>`, `value` joined by `:`; nothing when it is already the value (pyenv
/// prints nothing then, so `PYENV_VERSION_OLD` keeps the version before).
pub fn set(shell: &str, value: &str, current: Option<&str>) -> Option<String> {
    if current == Some(value) {
        return None;
    }
    // Names are validated (letters, digits, `.-_+:`): nothing in them is special inside
    // double quotes in any of these shells.
    Some(match shell {
        "fish" => format!(
            "set -gu PYENV_VERSION_OLD \"$PYENV_VERSION\"\nset -gx PYENV_VERSION \"{value}\""
        ),
        "pwsh" => {
            format!("$Env:PYENV_VERSION, $Env:PYENV_VERSION_OLD = \"{value}\", $Env:PYENV_VERSION")
        }
        _ => format!("PYENV_VERSION_OLD=\"${{PYENV_VERSION-}}\"\nexport PYENV_VERSION=\"{value}\""),
    })
}

/// `shell` with no version while `PYENV_VERSION` is set: the shell prints it.
pub const SHOW: &str = "echo \"$PYENV_VERSION\"";

/// What the shell evaluates when the versions are not installed: a failing status.
pub const FAIL: &str = "false";

/// `rehash` through the function: the program rehashes, then the shell forgets the paths
/// it remembered (fish and PowerShell keep none).
pub fn rehash(p: &str, shell: &str) -> String {
    match shell {
        "pwsh" => format!("& (get-command {p} -commandtype application) rehash"),
        "fish" => format!("command {p} rehash"),
        _ => format!("command {p} rehash\nhash -r 2>/dev/null || true"),
    }
}
