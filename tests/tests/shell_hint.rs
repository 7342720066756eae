//! What `pyv shell <version>` says when it runs as a program (no script or shell function
//! around it, so it cannot change the shell): the way that works in the shell it was typed
//! in, told apart by that shell's variables, in either mode.

use pyv_tests::{assert_cli, Layout, TestEnv};

fn env() -> TestEnv {
    let e = TestEnv::new(Layout::Windows);
    e.version("3.12.1");
    e
}

#[test]
fn pyenv_win_mode_names_the_pyenv_scripts_of_cmd_and_powershell() {
    let mut e = env();
    e.set("PYV_COMPAT", "pyenv-win");
    e.set("PROMPT", "$P$G");
    // (`bin\pyenv.bat` on every OS; the Windows filters show `\` as `/`.)
    let hint = |e: &TestEnv| e.pyv(["shell", "3.12.1"]).with_filter(r"\\", "/");
    assert_cli!(hint(&e), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: shell integration is not enabled, so 'pyv shell' cannot change this shell's version; use 'pyenv shell' (bin/pyenv.bat from 'pyv self install' sets it in cmd), or enable it with 'pyv init cmd' (see 'pyv help init'), or set PYENV_VERSION yourself
    ");
    e.unset("PROMPT");
    assert_cli!(hint(&e), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: shell integration is not enabled, so 'pyv shell' cannot change this shell's version; use 'pyenv shell' (bin/pyenv.ps1 from 'pyv self install' sets it in PowerShell), or enable it with 'pyv init powershell | Out-String | Invoke-Expression' in your PowerShell $PROFILE (see 'pyv help init'), or set PYENV_VERSION yourself
    ");
    // Git Bash: a script cannot change bash either, so only the function helps.
    e.set("MSYSTEM", "MINGW64");
    assert_cli!(e.pyv(["shell", "3.12.1"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: shell integration is not enabled, so 'pyv shell' cannot change this shell's version; enable it with 'eval "$(pyv init bash)"' in ~/.bashrc (see 'pyv help init'), or set PYENV_VERSION yourself
    "#);
    // A version that is not installed is named first, whatever the shell.
    assert_cli!(e.pyv(["shell", "3.7"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version '3.7' not installed; install it with 'pyv install 3.7' or pick one from 'pyv versions'
    ");
}

/// pyenv mode says what pyenv says (pyv's hint follows only on a terminal: pyenv_mode.rs);
/// a POSIX shell or fish on Windows (Git Bash, MSYS2) is named by `SHELL`.
#[test]
fn pyenv_mode_says_what_pyenv_says_and_login_shells_are_named() {
    let mut e = env();
    e.set("PYV_COMPAT", "pyenv");
    assert_cli!(e.pyv(["shell", "3.12.1"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: shell integration not enabled. Run `pyv init' for instructions.
    ");
    e.set("PYV_COMPAT", "pyenv-win");
    e.set("SHELL", "/usr/bin/bash");
    assert_cli!(e.pyv(["shell", "3.12.1"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: shell integration is not enabled, so 'pyv shell' cannot change this shell's version; enable it with 'eval "$(pyv init bash)"' in ~/.bashrc (see 'pyv help init'), or set PYENV_VERSION yourself
    "#);
    e.set("SHELL", "/usr/bin/fish");
    assert_cli!(e.pyv(["shell", "3.12.1"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: shell integration is not enabled, so 'pyv shell' cannot change this shell's version; enable it with 'pyv init fish | source' in ~/.config/fish/config.fish (see 'pyv help init'), or set PYENV_VERSION yourself
    ");
}

/// What the `pyenv` scripts ask: the value, or nothing on stdout and the error.
#[test]
fn shell_value_is_the_scripts_protocol() {
    let e = env();
    assert_cli!(e.pyv(["shell-value", "shell", "3.12.1", "3.12"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    PYENV_VERSION=3.12.1 3.12
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["shell-value", "shell", "3.7"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version '3.7' not installed; install it with 'pyv install 3.7' or pick one from 'pyv versions'
    ");
    assert_cli!(e.pyv(["shell-value", "shell"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: no version given; see 'pyv help shell'
    ");
}
