//! The `pyenv` entry points `self install` writes into a Windows root's `bin\`, in place of
//! pyenv-win's. As with pyenv-win, `pyenv` is not a program there but a script per shell,
//! because only a script run by the shell itself can change that shell's `PYENV_VERSION`:
//!
//! - `bin\pyenv.bat` (cmd, and what VS Code's locator and other tools start),
//! - `bin\pyenv.ps1` (PowerShell 5.1 and 7 run it before any `.bat` of the same name),
//! - `bin\pyenv` (Git Bash and Cygwin; VS Code's locator also looks for `<root>\bin\pyenv`).
//!
//! Each runs the engine, `libexec\pyenv.exe` (pyv under the name pyenv, outside PATH so that
//! cmd, which prefers `.exe` to `.bat` in one folder, finds the script). For `pyenv shell
//! <version>` the cmd and PowerShell scripts ask the engine's hidden `shell-value` command for
//! the value (`PYENV_VERSION=<value>` on stdout, the line to look for: cmd's `for /f` also
//! captures whatever an AutoRun script prints) and set it; `--unset` they do themselves.
//! When the engine refuses, cmd's script runs it again with its stderr shown, for the message
//! and the exit code (which `for /f` loses). Wine's cmd cannot run a `set` held in a `for`
//! variable, nor honour a redirection inside a quoted `for /f` command, so the value is set
//! with `do ... set "PYV_SHELL_VALUE=%%B"` and the command starts with `call`.

/// `bin\pyenv.bat`. CRLF: cmd reads labels and blocks of LF-only files unreliably.
pub const PYENV_BAT: &str = concat!(
    "@echo off\r\n",
    "rem pyv's pyenv for cmd (pyenv-win's entry point): runs ..\\libexec\\pyenv.exe. For\r\n",
    "rem \"pyenv shell <version>\" and \"pyenv shell --unset\" it sets PYENV_VERSION in this cmd\r\n",
    "rem itself, which a program cannot do.\r\n",
    "if /i not \"%~1\"==\"shell\" goto run\r\n",
    "if \"%~2\"==\"\" goto run\r\n",
    "if /i \"%~2\"==\"--help\" goto run\r\n",
    "if /i \"%~2\"==\"-h\" goto run\r\n",
    "if /i \"%~2\"==\"--unset\" (\r\n",
    "  set \"PYENV_VERSION=\"\r\n",
    "  exit /b 0\r\n",
    ")\r\n",
    "set \"PYV_SHELL_VALUE=\"\r\n",
    "for /f \"tokens=1,* delims==\" %%A in ('call \"%~dp0..\\libexec\\pyenv.exe\" shell-value %* 2^>nul') do if \"%%A\"==\"PYENV_VERSION\" set \"PYV_SHELL_VALUE=%%B\"\r\n",
    "if not defined PYV_SHELL_VALUE goto refused\r\n",
    "set \"PYENV_VERSION=%PYV_SHELL_VALUE%\"\r\n",
    "set \"PYV_SHELL_VALUE=\"\r\n",
    "exit /b 0\r\n",
    ":refused\r\n",
    "\"%~dp0..\\libexec\\pyenv.exe\" shell-value %*\r\n",
    "if not errorlevel 1 exit /b 1\r\n",
    "exit /b %ERRORLEVEL%\r\n",
    ":run\r\n",
    "\"%~dp0..\\libexec\\pyenv.exe\" %*\r\n",
    "exit /b %ERRORLEVEL%\r\n",
);

/// `bin\pyenv.ps1`. ASCII only: Windows PowerShell 5.1 reads a file without BOM as ANSI.
pub const PYENV_PS1: &str = concat!(
    "# pyv's pyenv for PowerShell (pyenv-win's entry point): runs ..\\libexec\\pyenv.exe. For\r\n",
    "# 'pyenv shell <version>' and 'pyenv shell --unset' it sets $Env:PYENV_VERSION in this\r\n",
    "# session itself, which a program cannot do.\r\n",
    "$engine = Join-Path $PSScriptRoot '..\\libexec\\pyenv.exe'\r\n",
    "if ($args.Count -ge 2 -and $args[0] -eq 'shell' -and $args[1] -ne '--help' -and $args[1] -ne '-h') {\r\n",
    "    if ($args[1] -eq '--unset') {\r\n",
    "        Remove-Item Env:PYENV_VERSION -ErrorAction SilentlyContinue\r\n",
    "        exit 0\r\n",
    "    }\r\n",
    "    $out = & $engine shell-value @args\r\n",
    "    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }\r\n",
    "    $line = @($out) | Where-Object { $_ -like 'PYENV_VERSION=*' } | Select-Object -Last 1\r\n",
    "    if (-not $line) { exit 1 }\r\n",
    "    $Env:PYENV_VERSION = $line.Substring('PYENV_VERSION='.Length)\r\n",
    "    exit 0\r\n",
    "}\r\n",
    "& $engine @args\r\n",
    "exit $LASTEXITCODE\r\n",
);

/// `bin\pyenv`, a POSIX script (LF): Git Bash and Cygwin find `pyenv` by it. It execs the
/// engine directly, not through cmd as pyenv-win's does, so arguments arrive untouched.
pub const PYENV_SH: &str = concat!(
    "#!/bin/sh\n",
    "# pyv's pyenv for Git Bash and Cygwin (pyenv-win's entry point): runs ../libexec/pyenv.exe.\n",
    "# A script cannot change this shell's PYENV_VERSION: for 'pyenv shell' put\n",
    "# eval \"$(pyenv init bash)\" in ~/.bashrc.\n",
    "exec \"$(dirname \"$0\")/../libexec/pyenv.exe\" \"$@\"\n",
);

/// What an earlier pyv wrote as `bin\pyenv.bat` (it ran `bin\pyenv.exe`): still pyv's, so
/// it is replaced, not backed up as pyenv-win's.
pub const OLD_PYENV_BATS: [&str; 1] = ["@\"%~dp0pyenv.exe\" %*\r\n"];

/// One script: where it goes (relative to the root, `/`-separated), its text, and what the
/// line reporting it says it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrapper {
    pub rel: &'static str,
    pub contents: &'static str,
    pub purpose: &'static str,
}

/// The scripts of a Windows root, in the order they are written.
pub const WINDOWS_WRAPPERS: [Wrapper; 3] = [
    Wrapper {
        rel: "bin/pyenv.bat",
        contents: PYENV_BAT,
        purpose: "pyenv in cmd, and for editors that look for pyenv-win",
    },
    Wrapper {
        rel: "bin/pyenv.ps1",
        contents: PYENV_PS1,
        purpose: "pyenv in PowerShell",
    },
    Wrapper {
        rel: "bin/pyenv",
        contents: PYENV_SH,
        purpose: "pyenv in Git Bash",
    },
];

/// The engine the scripts run, relative to the root.
pub const ENGINE: &str = "libexec/pyenv.exe";

/// Whether `text` is a script some pyv wrote at `rel` (this one's or an earlier one's).
pub fn is_ours(rel: &str, text: &[u8]) -> bool {
    WINDOWS_WRAPPERS
        .iter()
        .any(|w| w.rel == rel && w.contents.as_bytes() == text)
        || (rel == "bin/pyenv.bat" && OLD_PYENV_BATS.iter().any(|b| b.as_bytes() == text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_plain_ascii_with_their_shells_line_ends() {
        for w in WINDOWS_WRAPPERS {
            assert!(w.contents.is_ascii(), "{}", w.rel);
            let crlf = !w.rel.ends_with("/pyenv");
            for l in w.contents.split_inclusive('\n') {
                assert_eq!(l.ends_with("\r\n"), crlf, "{}: {l:?}", w.rel);
            }
        }
    }

    #[test]
    fn each_script_runs_the_engine_and_asks_it_for_the_shell_value() {
        assert!(PYENV_BAT.contains("\"%~dp0..\\libexec\\pyenv.exe\" %*\r\nexit /b %ERRORLEVEL%"));
        assert!(PYENV_BAT.contains(
            " shell-value %* 2^>nul') do if \"%%A\"==\"PYENV_VERSION\" set \"PYV_SHELL_VALUE=%%B\""
        ));
        assert!(PYENV_PS1.contains("$out = & $engine shell-value @args"));
        assert!(PYENV_PS1.contains("& $engine @args\r\nexit $LASTEXITCODE"));
        assert!(PYENV_SH.ends_with("exec \"$(dirname \"$0\")/../libexec/pyenv.exe\" \"$@\"\n"));
    }

    /// The texts as reviewed (line ends shown as `\r`): a change to a script shows here.
    #[test]
    fn script_texts() {
        let shown = |t: &str| t.replace('\r', "\\r");
        insta::assert_snapshot!(shown(PYENV_PS1), @r"
        # pyv's pyenv for PowerShell (pyenv-win's entry point): runs ..\libexec\pyenv.exe. For\r
        # 'pyenv shell <version>' and 'pyenv shell --unset' it sets $Env:PYENV_VERSION in this\r
        # session itself, which a program cannot do.\r
        $engine = Join-Path $PSScriptRoot '..\libexec\pyenv.exe'\r
        if ($args.Count -ge 2 -and $args[0] -eq 'shell' -and $args[1] -ne '--help' -and $args[1] -ne '-h') {\r
            if ($args[1] -eq '--unset') {\r
                Remove-Item Env:PYENV_VERSION -ErrorAction SilentlyContinue\r
                exit 0\r
            }\r
            $out = & $engine shell-value @args\r
            if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }\r
            $line = @($out) | Where-Object { $_ -like 'PYENV_VERSION=*' } | Select-Object -Last 1\r
            if (-not $line) { exit 1 }\r
            $Env:PYENV_VERSION = $line.Substring('PYENV_VERSION='.Length)\r
            exit 0\r
        }\r
        & $engine @args\r
        exit $LASTEXITCODE\r
        ");
        insta::assert_snapshot!(shown(PYENV_BAT), @r#"
        @echo off\r
        rem pyv's pyenv for cmd (pyenv-win's entry point): runs ..\libexec\pyenv.exe. For\r
        rem "pyenv shell <version>" and "pyenv shell --unset" it sets PYENV_VERSION in this cmd\r
        rem itself, which a program cannot do.\r
        if /i not "%~1"=="shell" goto run\r
        if "%~2"=="" goto run\r
        if /i "%~2"=="--help" goto run\r
        if /i "%~2"=="-h" goto run\r
        if /i "%~2"=="--unset" (\r
          set "PYENV_VERSION="\r
          exit /b 0\r
        )\r
        set "PYV_SHELL_VALUE="\r
        for /f "tokens=1,* delims==" %%A in ('call "%~dp0..\libexec\pyenv.exe" shell-value %* 2^>nul') do if "%%A"=="PYENV_VERSION" set "PYV_SHELL_VALUE=%%B"\r
        if not defined PYV_SHELL_VALUE goto refused\r
        set "PYENV_VERSION=%PYV_SHELL_VALUE%"\r
        set "PYV_SHELL_VALUE="\r
        exit /b 0\r
        :refused\r
        "%~dp0..\libexec\pyenv.exe" shell-value %*\r
        if not errorlevel 1 exit /b 1\r
        exit /b %ERRORLEVEL%\r
        :run\r
        "%~dp0..\libexec\pyenv.exe" %*\r
        exit /b %ERRORLEVEL%\r
        "#);
        insta::assert_snapshot!(shown(PYENV_SH), @r#"
        #!/bin/sh
        # pyv's pyenv for Git Bash and Cygwin (pyenv-win's entry point): runs ../libexec/pyenv.exe.
        # A script cannot change this shell's PYENV_VERSION: for 'pyenv shell' put
        # eval "$(pyenv init bash)" in ~/.bashrc.
        exec "$(dirname "$0")/../libexec/pyenv.exe" "$@"
        "#);
    }

    #[test]
    fn earlier_and_current_scripts_are_ours_pyenv_wins_are_not() {
        assert!(is_ours("bin/pyenv.bat", PYENV_BAT.as_bytes()));
        assert!(is_ours("bin/pyenv.bat", b"@\"%~dp0pyenv.exe\" %*\r\n"));
        assert!(is_ours("bin/pyenv", PYENV_SH.as_bytes()));
        assert!(!is_ours("bin/pyenv.ps1", PYENV_BAT.as_bytes()));
        assert!(!is_ours(
            "bin/pyenv.bat",
            b"@echo off\r\ncscript //nologo \"%~dp0..\\libexec\\pyenv.vbs\" %*\r\n"
        ));
    }
}
