//! Text from a cloned repository or the environment (a `.python-version`, PYENV_VERSION, an
//! argument) reaches the terminal only escaped and cut: no escape sequence retitles or
//! clears it, no NUL reaches it, and a huge file neither floods it nor fills memory.
//!
//! Unix only: the cases use pyenv's Unix layout and `sh` fakes; the quoting and the size
//! bound are the same code on Windows, where pyv-core's unit tests cover them under Wine.
#![cfg(unix)]

use pyv_tests::{assert_cli, Layout, Output, TestEnv};

fn env() -> TestEnv {
    let e = TestEnv::new(Layout::Unix);
    e.version("3.12.1");
    e
}

/// Exit code and stderr as printed, the temporary folder as `[TMP]`. Not
/// [`Output::snapshot`]: it turns `\` into `/`, and the backslashes are the point here.
fn failure(out: &Output, e: &TestEnv) -> (i32, String) {
    assert_eq!(out.stdout, "");
    let tmp = e.tmp.display().to_string();
    (out.code, out.stderr.replace(&tmp, "[TMP]"))
}

#[test]
fn a_version_file_over_64_kib_is_refused_in_one_line() {
    let e = env();
    // 100 MB in the issue; one byte over the limit is the same case without the wait.
    std::fs::write(e.cwd.join(".python-version"), "a".repeat(64 * 1024 + 1)).unwrap();
    assert_cli!(e.pyv(["version"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: '[TMP]/my project/.python-version' is larger than 64 KiB, the most a version file may hold; a version file lists names like 3.12.1: edit or delete it
    ");
    // The shim reads it the same way.
    e.pyv(["rehash"]);
    assert_cli!(e.run(&e.shim("python"), ["-V"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: '[TMP]/my project/.python-version' is larger than 64 KiB, the most a version file may hold; a version file lists names like 3.12.1: edit or delete it
    ");
}

#[test]
fn a_long_name_is_cut_after_100_characters() {
    let mut e = env();
    e.set("PYV_COMPAT", "pyenv-win");
    // Exactly at the limit: read, and the one word is echoed cut, twice.
    std::fs::write(e.cwd.join(".python-version"), "a".repeat(64 * 1024)).unwrap();
    let a100 = "a".repeat(100);
    // pyenv-win's `version` reports the selection; `which` judges it.
    let out = e.pyv(["version"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        format!(
            "{a100}… (set by {}/my project/.python-version)\n",
            e.tmp.display()
        )
    );
    let out = e.pyv(["which", "python"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!("pyv: version '{a100}…' is not installed (set by {}/my project/.python-version); install it with 'pyv install {a100}…'\n", e.tmp.display())
    );
    // pyenv's wording, cut the same way.
    e.set("PYV_COMPAT", "pyenv");
    let out = e.pyv(["version"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "pyv: version `{a100}…' is not installed (set by {}/my project/.python-version)\n",
            e.tmp.display()
        )
    );
}

#[test]
fn nul_and_escape_sequences_in_a_version_file_are_escaped() {
    let mut e = env();
    e.set("PYV_COMPAT", "pyenv-win");
    std::fs::write(
        e.cwd.join(".python-version"),
        b"3.12\0\x1b]0;pwned\x07\x1b[2J\n",
    )
    .unwrap();
    assert_eq!(
        failure(&e.pyv(["version"]), &e),
        (1, r"pyv: invalid version '3.12\0\x1b]0;pwned\x07\x1b[2J' in '[TMP]/my project/.python-version': a version is a name like 3.12.1, not a path; edit the file or run 'pyv local <version>'
".to_string())
    );
    // pyenv takes the word as a name, and says it is not installed, escaped.
    e.set("PYV_COMPAT", "pyenv");
    assert_eq!(
        failure(&e.pyv(["version"]), &e),
        (1, r"pyv: version `3.12\0\x1b]0;pwned\x07\x1b[2J' is not installed (set by [TMP]/my project/.python-version)
".to_string())
    );
}

#[test]
fn escape_sequences_in_pyenv_version_are_escaped() {
    let mut e = env();
    e.set("PYV_COMPAT", "pyenv-win");
    e.set("PYENV_VERSION", "\x1b]0;pwned\x07\x1b[2J\u{202e}3.12");
    let want = r"pyv: version '\x1b]0;pwned\x07\x1b[2J\u{202e}3.12' is not installed (set by %PYENV_VERSION%); install it with 'pyv install \x1b]0;pwned\x07\x1b[2J\u{202e}3.12'
";
    // pyenv-win's `version` reports the selection, escaped; `which` and the shims judge it.
    let out = e.pyv(["version"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(
        out.stdout,
        "\\x1b]0;pwned\\x07\\x1b[2J\\u{202e}3.12 (set by %PYENV_VERSION%)\n"
    );
    assert_eq!(
        failure(&e.pyv(["which", "python"]), &e),
        (1, want.to_string())
    );
    e.pyv(["rehash"]);
    assert_eq!(
        failure(&e.run(&e.shim("python"), ["-V"]), &e),
        (1, want.to_string())
    );
    e.set("PYV_COMPAT", "pyenv");
    let version = r"\x1b]0;pwned\x07\x1b[2J\u{202e}3.12";
    assert_eq!(
        failure(&e.pyv(["version"]), &e),
        (1, format!("pyv: version `{version}' is not installed (set by PYENV_VERSION environment variable)\n"))
    );
    // `-f` prints the name no folder vouches for: escaped too.
    let out = e.pyv(["version-name", "-f"]);
    assert_eq!((out.code, out.stdout), (0, format!("{version}\n")));
    // The shim is pyenv's `which`: the version, then the command it did not find.
    assert_eq!(
        failure(&e.run(&e.shim("python"), ["-V"]), &e),
        (127, format!("pyv: version `{version}' is not installed (set by PYENV_VERSION environment variable)\npyv: python: command not found\n\nThe `python' command exists in these Python versions:\n  3.12.1\n\nNote: See 'pyv help global' for tips on allowing multiple\n      Python versions to be found at the same time.\n"))
    );
}

#[test]
fn escape_sequences_in_arguments_are_escaped() {
    let mut e = env();
    e.set("PYV_COMPAT", "pyenv-win");
    assert_eq!(
        failure(&e.pyv(["local", "\x1b[2J3.12"]), &e),
        (1, r"pyv: invalid version name '\x1b[2J3.12': use a name like 3.12.1, 3.12 or system (see 'pyv versions')
".to_string())
    );
    e.set("PYV_COMPAT", "pyenv");
    assert_eq!(
        failure(&e.pyv(["local", "\x1b[2J3.12"]), &e),
        (1, "pyv: version `\\x1b[2J3.12' not installed\n".to_string())
    );
    e.set("PYV_COMPAT", "pyenv-win");
    assert_eq!(
        failure(&e.pyv(["install", "3.12\x1b[2J"]), &e),
        (
            1,
            r"pyv: definition not found: 3.12\x1b[2J

See all available versions with 'pyv install --list'.
Does the list seem out of date? Update it using 'pyv update'.
"
            .to_string()
        )
    );
}
