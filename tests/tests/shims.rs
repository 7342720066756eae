//! The shim binary and rehash, end to end: shims placed under every command name run the
//! selected version's program with the same arguments, stdin, stdout, stderr and exit code.

use pyv_tests::{assert_cli, Layout, TestEnv};

fn env(layout: Layout) -> TestEnv {
    let mut e = TestEnv::new(layout);
    e.version("3.9.13");
    e.version("3.12.4");
    e.pyv(["global", "3.12.4"]);
    if layout == Layout::Windows {
        // The fake pip names the console scripts it "installs" like Windows does.
        e.set("SCRIPT_EXT", ".exe");
    }
    e
}

#[test]
fn rehash_places_one_shim_per_command() {
    let e = env(Layout::Windows);
    assert_cli!(e.pyv(["rehash"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    // The shims are exes on Windows, and listed by their file names.
    if cfg!(windows) {
        assert_cli!(e.pyv(["shims", "--short"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        pip.exe
        pip3.12.exe
        pip3.9.exe
        python.exe
        pythonw.exe
        ----- stderr -----
        ");
        assert_cli!(e.pyv(["shims"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/pip.exe
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/pip3.12.exe
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/pip3.9.exe
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/python.exe
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/pythonw.exe
        ----- stderr -----
        ");
    } else {
        assert_cli!(e.pyv(["shims", "--short"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        pip
        pip3.12
        pip3.9
        python
        pythonw
        ----- stderr -----
        ");
        assert_cli!(e.pyv(["shims"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/pip
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/pip3.12
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/pip3.9
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/python
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims/pythonw
        ----- stderr -----
        ");
    }
    // pyenv-win's old .bat shims are replaced, as its own rehash deletes everything.
    let bat = e.root.join("shims").join("python.bat");
    std::fs::write(&bat, "@echo off\r\ncall pyenv exec %~n0 %*\r\n").unwrap();
    e.pyv(["rehash"]);
    assert!(!bat.exists());
    assert!(e.shim("python").is_file());
}

#[test]
fn shim_passes_arguments_stdio_and_exit_code() {
    let mut e = env(Layout::Windows);
    e.pyv(["rehash"]);
    let args = [
        "-c",
        "print('a b')",
        "",
        "quote\"d",
        "100%",
        "^caret",
        "naïve ünïcode",
        "--flag=x y",
    ];
    assert_cli!(e.run(&e.shim("python"), args), @r#"
    success: true
    exit_code: 0
    ----- stdout -----
    python.exe 3.12.4
    [-c]
    [print('a b')]
    []
    [quote"d]
    [100%]
    [^caret]
    [naïve ünïcode]
    [--flag=x y]
    ----- stderr -----
    "#);
    e.set("FAKE_EXIT", "42").set("FAKE_STDIN", "1");
    assert_cli!(e.run_with_stdin(&e.shim("python"), ["-"], "from stdin\n"), @"
    success: false
    exit_code: 42
    ----- stdout -----
    python.exe 3.12.4
    [-]
    from stdin
    ----- stderr -----
    ");
}

/// pyenv's Unix layout (`bin/python3.12`, no PATHEXT): only Unix runs extensionless programs.
#[cfg(unix)]
#[test]
fn shim_follows_selection_and_puts_the_version_first_on_path() {
    let mut e = env(Layout::Unix);
    e.pyv(["rehash"]);
    std::fs::write(e.cwd.join(".python-version"), "3.9\n").unwrap();
    assert_cli!(e.run(&e.shim("python3"), ["-V"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    python3 3.9.13
    [-V]
    ----- stderr -----
    ");
    e.set("PYENV_VERSION", "3.12.4");
    assert_cli!(e.run(&e.shim("pip3.12"), ["list"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    pip3.12 3.12.4
    [list]
    ----- stderr -----
    ");
    // A program started by the version finds the version's own programs first (pyenv mode,
    // Linux's default: the command's own folder, as pyenv's exec puts it); a program added
    // to the version gets its shim at the next rehash.
    pyv_tests::fake_program(&e.root.join("versions/3.12.4/bin/showpath"), "3.12.4");
    e.pyv(["rehash"]);
    e.set("FAKE_ENV", "PATH");
    let out = e.run(&e.shim("showpath"), [""; 0]);
    let v = e.root.join("versions/3.12.4");
    let want = format!(
        "showpath 3.12.4\nPATH={}:/usr/bin/nonexistent-for-tests\n",
        v.join("bin").display()
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, want.as_str()));
    // pyenv-win mode puts each folder of the version first, as pyenv-win's pyenv.bat does
    // (whether or not they exist).
    e.set("PYV_COMPAT", "pyenv-win");
    let out = e.run(&e.shim("showpath"), [""; 0]);
    let want = format!(
        "showpath 3.12.4\nPATH={}:{}:{}:/usr/bin/nonexistent-for-tests\n",
        v.display(),
        v.join("Scripts").display(),
        v.join("bin").display()
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, want.as_str()));
}

/// The same with python.org's Windows layout (`python.exe`, `Scripts\pip.exe`), on every OS.
#[test]
fn shim_follows_selection_and_puts_the_version_and_scripts_first_on_path() {
    let mut e = env(Layout::Windows);
    e.pyv(["rehash"]);
    std::fs::write(e.cwd.join(".python-version"), "3.9\n").unwrap();
    assert_cli!(e.run(&e.shim("python"), ["-V"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    python.exe 3.9.13
    [-V]
    ----- stderr -----
    ");
    e.set("PYENV_VERSION", "3.12.4");
    assert_cli!(e.run(&e.shim("pip3.12"), ["list"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    pip3.12.exe 3.12.4
    [list]
    ----- stderr -----
    ");
    pyv_tests::fake_program(
        &e.root.join("versions/3.12.4/Scripts/showpath.exe"),
        "3.12.4",
    );
    e.pyv(["rehash"]);
    e.set("FAKE_ENV", "PATH");
    let out = e.run(&e.shim("showpath"), [""; 0]);
    let v = e.root.join("versions").join("3.12.4");
    let sep = if cfg!(windows) { ';' } else { ':' };
    let want = format!(
        "showpath.exe 3.12.4\nPATH={}{sep}{}{sep}{}{sep}/usr/bin/nonexistent-for-tests\n",
        v.display(),
        v.join("Scripts").display(),
        v.join("bin").display()
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, want.as_str()));
}

#[test]
fn shim_for_a_command_of_another_version_exits_127() {
    let e = env(Layout::Windows);
    e.pyv(["rehash"]);
    assert_cli!(e.run(&e.shim("pip3.9"), ["install", "x"]), @r"
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: pip3.9: command not found

    The 'pip3.9' command exists in these Python versions:
      3.9.13

    Select one with 'pyv shell <version>' or 'pyv local <version>'.
    ");
    assert_cli!(e.pyv(["which", "pip3.9"]), @r"
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: pip3.9: command not found

    The 'pip3.9' command exists in these Python versions:
      3.9.13

    Select one with 'pyv shell <version>' or 'pyv local <version>'.
    ");
}

#[test]
fn pip_through_a_shim_rehashes_new_console_scripts() {
    let e = env(Layout::Windows);
    e.pyv(["rehash"]);
    assert!(!e.shim("black").exists());
    let out = e.run(&e.shim("pip"), ["install", "black"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        e.shim("black").exists(),
        "pip install must give new scripts a shim at once"
    );
    assert_cli!(e.run(&e.shim("black"), ["--check"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    black.exe 3.12.4
    [--check]
    ----- stderr -----
    ");
    // `python -m pip install` too.
    let out = e.run(&e.shim("python"), ["-m", "pip", "install", "ruff"]);
    assert_eq!(out.code, 0);
    // The fake python does not run pip; make the script the way pip would, then check the
    // shim rehashed afterwards by running pip's path once more.
    assert!(!e.shim("ruff").exists());
    pyv_tests::fake_program(&e.root.join("versions/3.12.4/Scripts/ruff.exe"), "x");
    let out = e.run(
        &e.shim("python"),
        ["-m", "pip", "uninstall", "-y", "nothing"],
    );
    assert_eq!(out.code, 0);
    assert!(e.shim("ruff").exists());
}

#[test]
fn which_whence_and_exec() {
    let e = env(Layout::Windows);
    assert_cli!(e.pyv(["which", "python"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.4/python.exe
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["whence", "pip"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.9.13
    3.12.4
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["whence", "--path", "pip3.9"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.9.13/Scripts/pip3.9.exe
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["whence", "nothing"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["exec", "python", "--version", "x y"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    python.exe 3.12.4
    [--version]
    [x y]
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["which", "nope"]), @r"
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: nope: command not found (no installed version has it; see 'pyv versions')
    ");
    assert_cli!(e.pyv(["exec", "nope"]), @r"
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: nope: command not found (no installed version has it; see 'pyv versions')
    ");
}
