//! `PYV_COMPAT`: which tool pyv follows where pyenv-win and pyenv differ. A value pyv does
//! not know stops every command that reads a root, and every shim, with one line: guessing
//! a mode would change outputs that scripts read.

use pyv_tests::{assert_cli, Layout, TestEnv};

#[test]
fn unknown_mode_is_one_line_for_commands_and_shims() {
    let mut e = TestEnv::new(Layout::Windows);
    e.version("3.12.1");
    assert!(e.pyv(["global", "3.12.1"]).code == 0);
    assert!(e.pyv(["rehash"]).code == 0);
    e.set("PYV_COMPAT", "pyenv-mac");
    assert_cli!(e.pyv(["version-name"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYV_COMPAT='pyenv-mac' is not a mode pyv knows: set it to pyenv-win or pyenv, or unset it
    ");
    assert_cli!(e.run(&e.shim("python"), ["-V"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYV_COMPAT='pyenv-mac' is not a mode pyv knows: set it to pyenv-win or pyenv, or unset it
    ");
}

#[test]
fn both_modes_are_accepted() {
    let mut e = TestEnv::new(Layout::Windows);
    e.version("3.12.1");
    assert!(e.pyv(["global", "3.12.1"]).code == 0);
    for mode in ["pyenv-win", "pyenv", "PYENV-WIN", ""] {
        e.set("PYV_COMPAT", mode);
        insta::allow_duplicates! {
            assert_cli!(e.pyv(["version-name"]), @"
            success: true
            exit_code: 0
            ----- stdout -----
            3.12.1
            ----- stderr -----
            ");
        }
    }
}
