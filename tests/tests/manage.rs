//! duplicate, export, uninstall, link and `system`, shell integration, help, and the
//! binary called under the name `pyenv`.

use pyv_tests::{assert_cli, bin, Layout, TestEnv};
use std::path::Path;

fn env() -> TestEnv {
    let e = TestEnv::new(Layout::Windows);
    e.version("3.9.13");
    e.version("3.12.4");
    e
}

/// A Python installed outside the root, e.g. `C:\Python312`.
fn outside_python(e: &TestEnv, name: &str) -> std::path::PathBuf {
    let dir = e.tmp.join(name);
    pyv_tests::fake_program(&dir.join("python.exe"), "3.12.0-system");
    pyv_tests::fake_program(&dir.join("Scripts").join("pip.exe"), "3.12.0-system");
    dir
}

#[test]
fn duplicate_and_export_copy_whole_versions() {
    let e = env();
    assert_cli!(e.pyv(["duplicate", "3.12", "myapp_env"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    assert!(e.root.join("versions/myapp_env/Scripts/pip.exe").is_file());
    assert!(e.shim("pip3.12").exists(), "duplicate rehashes");
    assert_cli!(e.pyv(["duplicate", "3.12.4", "myapp_env"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/myapp_env' already exists; choose another name or remove it first
    ");
    assert_cli!(e.pyv(["duplicate", "3.7", "x"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version '3.7' not installed; install it with 'pyv install 3.7' or pick one from 'pyv versions'
    ");
    assert_cli!(e.pyv(["export", "3.9.13", "vendor/python"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    assert!(e.cwd.join("vendor/python/python.exe").is_file());
}

#[test]
fn uninstall_removes_folders_and_refuses_unknown_names() {
    let e = env();
    e.pyv(["rehash"]);
    assert_cli!(e.pyv(["uninstall", "3.9.13", "3.7.0"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    pyv: Successfully uninstalled 3.9.13
    ----- stderr -----
    pyv: version '3.7.0' not installed; see 'pyv versions' for what is installed
    ");
    assert!(!e.root.join("versions/3.9.13").exists());
    assert!(!e.shim("pip3.9").exists(), "shims of removed versions go");
    assert!(e.shim("pip3.12").exists());
    assert_cli!(e.pyv(["uninstall", "-a"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    pyv: Confirm uninstall all? (Y/N): 
    [no newline at end]
    ");
    assert!(
        e.root.join("versions/3.12.4").exists(),
        "answered nothing: kept"
    );
    assert_cli!(e.pyv(["uninstall", "-a", "-f"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    pyv: Successfully uninstalled 3.12.4
    ----- stderr -----
    ");
}

#[test]
fn link_points_a_name_at_an_outside_python_and_unlink_keeps_its_files() {
    let e = env();
    let conda = outside_python(&e, "Miniconda3");
    // A real folder is never replaced; a folder without Python is refused.
    assert_cli!(e.pyv(["link", "3.12.4", conda.to_str().unwrap()]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.4' is a real folder, not a link; pyv will not replace it (remove it yourself or pick another name)
    ");
    assert_cli!(e.pyv(["link", "x", e.cwd.to_str().unwrap()]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: '[TMP]/my project' holds no Python (no python executable in it, its Scripts or bin folder); give the folder that contains python
    ");
    assert!(!e.root.join("versions/x").exists());
    let out = e.pyv(["link", "conda-3.12", conda.to_str().unwrap()]);
    if pyv_tests::skip_link_under_wine(&out, "linking conda-3.12 and using it") {
        return;
    }
    assert_cli!(out, @r"
    success: true
    exit_code: 0
    ----- stdout -----
    conda-3.12 -> [TMP]/Miniconda3
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["versions"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
      3.9.13
      3.12.4
      conda-3.12 --> [TMP]/Miniconda3
    ----- stderr -----
    ");
    e.pyv(["local", "conda-3.12"]);
    assert_cli!(e.run(&e.shim("python"), ["ok"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    python.exe 3.12.0-system
    [ok]
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["uninstall", "conda-3.12"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    pyv: Successfully uninstalled conda-3.12
    ----- stderr -----
    ");
    assert!(!e.root.join("versions/conda-3.12").exists());
    assert!(conda.join("python.exe").is_file() && conda.join("Scripts/pip.exe").is_file());
}

#[test]
fn system_is_found_on_path_outside_the_shims() {
    let mut e = env();
    let sys = outside_python(&e, "Python312");
    e.pyv(["rehash"]);
    // Windows also looks in the registry (PEP 514): the Wine prefix has no Python there.
    if cfg!(windows) {
        assert_cli!(e.pyv(["global", "system"]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: no system Python found (searched the registry (PEP 514) and PATH); install one or link it with 'pyv link system <path-to-python-folder>'
        ");
    } else {
        assert_cli!(e.pyv(["global", "system"]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: no system Python found (searched PATH for python3 and python); install one or link it with 'pyv link system <path-to-python-folder>'
        ");
    }
    // Selected another way, the same message (not "install it with 'pyv install system'").
    let refused = e.pyv(["global", "system"]).stderr;
    e.set("PYENV_VERSION", "system");
    // `version` reports the selection as pyenv-win does; `prefix` needs the interpreter.
    let out = e.pyv(["version-name"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "system\n"));
    let out = e.pyv(["prefix"]);
    assert_eq!((out.code, &out.stderr), (1, &refused));
    e.unset("PYENV_VERSION");
    let shims = e.root.join("shims");
    let path =
        std::env::join_paths([shims.as_path(), Path::new("/nonexistent"), sys.as_path()]).unwrap();
    e.set("PATH", path.to_string_lossy());
    assert_cli!(e.pyv(["global", "system"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["versions"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    * system (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
      3.9.13
      3.12.4
    ----- stderr -----
    ");
    assert_cli!(e.run(&e.shim("pip"), ["--version"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    pip.exe 3.12.0-system
    [--version]
    ----- stderr -----
    ");
    // `link system` with no path makes versions/system point at the discovered one.
    let out = e.pyv(["link", "system"]);
    if pyv_tests::skip_link_under_wine(&out, "`link system` and the version through it") {
        return;
    }
    assert_cli!(out, @r"
    success: true
    exit_code: 0
    ----- stdout -----
    system -> [TMP]/Python312
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["version"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    system (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    ----- stderr -----
    ");
}

#[test]
fn shell_needs_the_integration_and_init_provides_it() {
    // pyv's own forms, as pyenv-win mode has them (pyenv mode's are in tests/tests/init.rs).
    let mut e = env();
    e.set("PYV_COMPAT", "pyenv-win");
    // The hint names the shell people use on each OS.
    if cfg!(windows) {
        assert_cli!(e.pyv(["shell", "3.12"]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: shell integration is not enabled, so 'pyv shell' cannot change this shell's version; enable it with 'pyv init powershell | Out-String | Invoke-Expression' in your PowerShell $PROFILE (see 'pyv help init'), or set PYENV_VERSION yourself
        ");
    } else {
        assert_cli!(e.pyv(["shell", "3.12"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: shell integration is not enabled, so 'pyv shell' cannot change this shell's version; enable it with 'eval "$(pyv init bash)"' in ~/.bashrc (see 'pyv help init'), or set PYENV_VERSION yourself
        "#);
    }
    assert_cli!(e.pyv(["shell"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    no shell-specific version configured
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["sh-shell", "--shell", "powershell", "3.12"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    $Env:PYENV_VERSION = '3.12'
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["sh-shell", "--shell", "cmd", "shell", "--unset"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    set PYENV_VERSION=
    ----- stderr -----
    ");
    // A real bash evaluates the integration: `pyv shell` then changes its PYENV_VERSION.
    if cfg!(windows) {
        // (Under Wine `/bin/bash` is the host's, a Linux program Windows cannot start. The
        // cmd integration cannot stand in: Wine's cmd does not run a `for /f` line as a
        // command, which real cmd does.)
        eprintln!("SKIP: the bash integration is checked on Unix only");
        return;
    }
    let Some(bash) = ["/bin/bash", "/usr/bin/bash"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
    else {
        eprintln!("SKIP: no bash on this machine");
        return;
    };
    let bin_dir = bin("pyv").parent().unwrap().to_path_buf();
    let script = format!(
        "PATH='{}':$PATH; eval \"$(pyv init bash)\"; pyv shell 3.12 && echo \"now $PYENV_VERSION\" && pyv version-name; pyv shell 3.7; echo \"still $PYENV_VERSION\"; pyv shell --unset; echo \"unset ${{PYENV_VERSION-yes}}\"",
        bin_dir.display()
    );
    assert_cli!(e.run(bash, ["-c", &script]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    now 3.12
    3.12.4
    still 3.12
    unset yes
    ----- stderr -----
    pyv: version '3.7' not installed; install it with 'pyv install 3.7' or pick one from 'pyv versions'
    ");
}

#[test]
fn help_commands_and_version() {
    let e = env();
    let global_help = e.pyv(["help", "global"]);
    assert_cli!(global_help, @r"
    success: true
    exit_code: 0
    ----- stdout -----
    Usage: pyv global <version>
           pyv global --unset

    Sets the global Python version. You can override the global version at
    any time by setting a directory-specific version with `pyv local'
    or by setting the `PYENV_VERSION' environment variable.
    ----- stderr -----
    ");
    assert_eq!(e.pyv(["global", "--help"]).stdout, global_help.stdout);
    assert_eq!(e.pyv(["--help", "global"]).stdout, global_help.stdout);
    // `--help` after other arguments is help too, not a usage error.
    let install_help = e.pyv(["help", "install"]);
    for late in [
        &["install", "--list", "--help"][..],
        &["install", "3.12", "-h"],
    ] {
        let out = e.pyv(late);
        assert_eq!(
            (out.code, &out.stdout),
            (0, &install_help.stdout),
            "{late:?}"
        );
    }
    assert_cli!(e.pyv(["commands"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    --version
    cacert
    commands
    doctor
    duplicate
    exec
    export
    global
    help
    init
    install
    latest
    link
    local
    prefix
    rehash
    root
    self
    shell
    shims
    uninstall
    update
    version
    version-name
    versions
    vname
    whence
    which
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["frobnicate"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: no such command 'frobnicate'; see 'pyv commands' for the list
    ");
    assert_cli!(e.pyv(["versions", "--frob"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: unexpected argument '--frob' found; see 'pyv help versions'
    ");
    // `[VERSION]` is this exact version (see `Filters::common`).
    assert_cli!(e.pyv(["--version"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    pyv [VERSION]
    ----- stderr -----
    ");
}

#[test]
fn called_pyenv_it_says_pyenv() {
    let e = env();
    let pyenv = e
        .tmp
        .join("bin")
        .join(format!("pyenv{}", std::env::consts::EXE_SUFFIX));
    std::fs::create_dir_all(pyenv.parent().unwrap()).unwrap();
    pyv_tests::copy_executable(&bin("pyv"), &pyenv);
    assert_cli!(e.run(&pyenv, ["global", "3.1"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyenv: version '3.1' not installed; install it with 'pyenv install 3.1' or pick one from 'pyenv versions'
    ");
    assert_cli!(e.run(&pyenv, ["version"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyenv: No global/local python version has been set yet. Please set the global version by typing: pyenv global <version> (see 'pyenv versions')
    ");
}

#[test]
fn prefix_prints_version_folders() {
    let e = env();
    e.pyv(["global", "3.12"]);
    assert_cli!(e.pyv(["prefix"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.4
    ----- stderr -----
    ");
    // Joined like PATH: `;` on Windows, `:` elsewhere.
    if cfg!(windows) {
        assert_cli!(e.pyv(["prefix", "3.9", "3.12.4"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.9.13;[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.4
        ----- stderr -----
        ");
    } else {
        assert_cli!(e.pyv(["prefix", "3.9", "3.12.4"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.9.13:[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.4
        ----- stderr -----
        ");
    }
}
