//! Debug logging: nothing on stderr unless PYV_LOG or -v asks; a bad PYV_LOG is named.

use pyv_tests::{assert_cli, Layout, TestEnv};

fn env() -> TestEnv {
    let e = TestEnv::new(Layout::Windows);
    e.version("3.12.4");
    std::fs::write(e.root.join("version"), "3.12\n").unwrap();
    e
}

#[test]
fn pyv_log_shows_the_root_and_the_selection_on_stderr_only() {
    let mut e = env();
    let quiet = e.pyv(["version-name"]);
    assert_cli!(quiet, @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4
    ----- stderr -----
    ");
    e.set("PYV_LOG", "debug");
    let out = e.pyv(["version-name"]);
    assert_eq!(out.stdout, quiet.stdout);
    assert_cli!(out, @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4
    ----- stderr -----
    DEBUG pyv::commands: root [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
    DEBUG pyv::commands: version 3.12 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    DEBUG pyv::commands: 3.12 resolves to the installed 3.12.4
    ");
    // A local file wins over the global one, and says so.
    std::fs::write(e.cwd.join(".python-version"), "3.11\n").unwrap();
    assert_cli!(e.pyv(["version"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.11 (set by [TMP]/my project/.python-version)
    ----- stderr -----
    DEBUG pyv::commands: root [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
    DEBUG pyv::commands: version 3.11 (set by [TMP]/my project/.python-version)
    DEBUG pyv::commands: 3.11 is not installed
    ");
}

#[test]
fn pyv_log_filters_by_target() {
    let mut e = env();
    e.set("PYV_LOG", "pyv=off,info");
    assert_cli!(e.pyv(["version-name"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4
    ----- stderr -----
    ");
    e.set("PYV_LOG", "");
    assert_cli!(e.pyv(["version-name"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4
    ----- stderr -----
    ");
}

#[test]
fn a_bad_pyv_log_is_an_error_naming_it() {
    let mut e = env();
    e.set("PYV_LOG", "loud");
    assert_cli!(e.pyv(["version-name"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYV_LOG="loud" is not a log level; set it to off, error, warn, info, debug or trace, optionally per target (e.g. 'pyv_net=trace,info'), or unset it
    "#);
    assert_eq!(e.pyv(["help"]).code, 1, "checked before any command");
}

#[test]
fn verbose_logs_pyvs_decisions() {
    let mut e = env();
    let mirror = e.tmp.join("no mirror here");
    e.set("PYTHON_BUILD_MIRROR_URL", mirror.display().to_string());
    let out = e.pyv(["update", "-v"]);
    assert!(
        out.stderr.starts_with("DEBUG pyv::commands: root "),
        "{out:?}"
    );
    let plain = e.pyv(["update"]);
    assert!(!plain.stderr.contains("DEBUG"), "{plain:?}");
}
