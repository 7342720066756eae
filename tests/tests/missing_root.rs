//! A `PYENV_ROOT` that does not exist yet: in pyenv mode an empty root, as pyenv reads it
//! (the commands that write create it); in pyenv-win mode an error naming it, since
//! pyenv-win's root is where its own scripts are.

use pyv_tests::{assert_cli, Layout, TestEnv};

fn env(compat: &str) -> (TestEnv, std::path::PathBuf) {
    let mut e = TestEnv::new(Layout::Unix);
    e.set("PYV_COMPAT", compat);
    let missing = e.tmp.join("no root yet");
    e.set("PYENV_ROOT", missing.display().to_string());
    (e, missing)
}

#[test]
fn pyenv_mode_reads_a_missing_root_as_empty_and_creates_it_to_write() {
    let (e, missing) = env("pyenv");
    assert_cli!(e.pyv(["versions", "--bare"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        ----- stderr -----
        "#);
    assert_cli!(e.pyv(["shims"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        ----- stderr -----
        "#);
    assert_cli!(e.pyv(["whence", "python"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        "#);
    assert_cli!(e.pyv(["latest", "3"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: no installed versions match the prefix `3'
    ");
    assert_cli!(e.pyv(["uninstall", "3.12"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: version '3.12' not installed; see 'pyv versions' for what is installed
        "#);
    assert_cli!(e.pyv(["root"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        [TMP]/no root yet
        ----- stderr -----
        "#);
    assert!(!missing.exists(), "reading created the root");
    assert_cli!(e.pyv(["rehash"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        ----- stderr -----
        "#);
    assert!(missing.join("shims").is_dir());
}

#[test]
fn pyenv_win_mode_names_the_missing_root() {
    let (e, missing) = env("pyenv-win");
    assert_cli!(e.pyv(["versions"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: root folder '[TMP]/no root yet' (from PYENV_ROOT) does not exist; create it with 'pyv install <version>' or fix PYENV_ROOT
        "#);
    assert!(!missing.exists());
}
