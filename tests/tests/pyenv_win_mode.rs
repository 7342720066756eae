//! pyenv-win's command behaviours (issue 11 items 2, 3, 4, 5 and 14), run on any OS with
//! `PYV_COMPAT=pyenv-win`, and pyenv mode beside them where the two differ: selection that
//! reports without judging, the texts scripts read, `exec`'s PATH as `pyenv.bat` builds it,
//! a pyenv-win tree with an older catalog, and no Windows builds in a Unix tree by accident.

use pyv_tests::{assert_cli, assert_filtered, Layout, TestEnv};
use std::path::Path;

/// A pyenv-win root with 3.9.13 and 3.12.4, in pyenv-win mode.
fn win() -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYV_COMPAT", "pyenv-win");
    e.version("3.9.13");
    e.version("3.12.4");
    e
}

fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

#[test]
fn version_reports_a_selection_that_is_not_installed_and_the_interpreter_commands_refuse_it() {
    let mut e = win();
    std::fs::write(e.root.join("version"), "3.7.4\n").unwrap();
    assert_cli!(e.pyv(["version"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.7.4 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["vname"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.7.4
    ----- stderr -----
    ");
    assert_eq!(e.pyv(["version-name"]).stdout, e.pyv(["vname"]).stdout);
    // A local file with one missing version first: every selected version is reported.
    std::fs::write(e.cwd.join(".python-version"), "3.8.1\n3.12\n").unwrap();
    assert_cli!(e.pyv(["version"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.8.1 (set by [TMP]/my project/.python-version)
    3.12.4 (set by [TMP]/my project/.python-version)
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["vname"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.8.1
    3.12.4
    ----- stderr -----
    ");
    // What needs the interpreter says it is not installed.
    assert_cli!(e.pyv(["which", "python"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version '3.8.1' is not installed (set by [TMP]/my project/.python-version); install it with 'pyv install 3.8.1'
    ");
    assert_cli!(e.pyv(["exec", "python"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version '3.8.1' is not installed (set by [TMP]/my project/.python-version); install it with 'pyv install 3.8.1'
    ");
    assert_cli!(e.pyv(["prefix"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version '3.8.1' is not installed (set by [TMP]/my project/.python-version); install it with 'pyv install 3.8.1'
    ");
    e.pyv(["rehash"]);
    assert_cli!(e.run(&e.shim("python"), ["-V"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version '3.8.1' is not installed (set by [TMP]/my project/.python-version); install it with 'pyv install 3.8.1'
    ");
    // pyenv mode keeps what it did: the missing version is an error.
    e.set("PYV_COMPAT", "pyenv");
    assert_cli!(e.pyv(["version"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    3.12.4 (set by [TMP]/my project/.python-version)
    ----- stderr -----
    pyv: version `3.8.1' is not installed (set by [TMP]/my project/.python-version)
    ");
}

#[test]
fn with_nothing_selected_version_still_fails_with_pyenv_wins_words() {
    let e = win();
    assert_cli!(e.pyv(["version"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: No global/local python version has been set yet. Please set the global version by typing: pyv global <version> (see 'pyv versions')
    ");
    assert_cli!(e.pyv(["vname"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: No global/local python version has been set yet. Please set the global version by typing: pyv global <version> (see 'pyv versions')
    ");
}

#[test]
fn help_and_a_bare_call_begin_with_the_usage_line() {
    let mut e = win();
    let help = e.pyv(["help"]);
    assert_eq!((help.code, help.stderr.as_str()), (0, ""));
    assert_filtered!(help.filters(), first_lines(&help.stdout, 3), @"
    Usage: pyv <command> [<args>]

    Some useful pyv commands are:
    ");
    for same in [&[][..], &["--help"], &["-h"]] {
        let out = e.pyv(same);
        assert_eq!((out.code, &out.stdout), (0, &help.stdout), "{same:?}");
    }
    // Every help form of a command prints the same text, `exec`'s included.
    for cmd in ["exec", "version", "shell", "latest", "install"] {
        let want = e.pyv(["help", cmd]);
        assert!(
            want.stdout.starts_with(&format!("Usage: pyv {cmd}")),
            "{want:?}"
        );
        for form in [[cmd, "--help"], ["--help", cmd]] {
            let out = e.pyv(form);
            assert_eq!(
                (out.code, &out.stdout, &out.stderr),
                (0, &want.stdout, &want.stderr),
                "{form:?}"
            );
        }
    }
    // pyenv's overview begins with the program's version.
    e.set("PYV_COMPAT", "pyenv");
    let out = e.pyv(["help"]);
    assert_filtered!(out.filters(), first_lines(&out.stdout, 2), @"
    pyv [VERSION]
    Usage: pyv <command> [<args>]
    ");
}

#[test]
fn latest_without_a_prefix_prints_its_usage() {
    let mut e = win();
    assert_cli!(e.pyv(["latest"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    Usage: pyv latest [-k|--known] [-q|--quiet] <prefix>

      -k/--known      Select from all known versions instead of installed
      -q/--quiet      Do not print an error message on resolution failure

    Prints the latest installed (or known) version matching the prefix, e.g. 3.12 or 3.12:latest.
    ----- stderr -----
    ");
    assert_eq!(e.pyv(["latest", "-k"]).stdout, e.pyv(["latest"]).stdout);
    // Quiet means quiet, as pyenv-win's own tests have it.
    assert_cli!(e.pyv(["latest", "-q"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["latest", "-q", "-k"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["latest", "3.12"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4
    ----- stderr -----
    ");
    e.set("PYV_COMPAT", "pyenv");
    assert_cli!(e.pyv(["latest"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: missing <prefix> argument; see 'pyv help latest'
    ");
}

#[test]
fn shell_with_nothing_set_says_so_on_stdout() {
    let mut e = win();
    assert_cli!(e.pyv(["shell"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    no shell-specific version configured
    ----- stderr -----
    ");
    e.set("PYENV_VERSION", "3.12.4 3.9.13");
    assert_cli!(e.pyv(["shell"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4 3.9.13
    ----- stderr -----
    ");
    e.unset("PYENV_VERSION").set("PYV_COMPAT", "pyenv");
    assert_cli!(e.pyv(["shell"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: shell integration not enabled. Run `pyv init' for instructions.
    ");
}

#[test]
fn install_list_names_the_mirror_first() {
    let mut e = win();
    e.set("PYTHON_BUILD_MIRROR_URL", "https://mirror.example/python/");
    let out = e.pyv(["install", "--list"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{out:?}");
    assert_filtered!(out.filters(), first_lines(&out.stdout, 3), @"
    :: [Info] ::  Mirror: https://mirror.example/python
    2.4-win32
    2.4.1-win32
    ");
    assert_eq!(e.pyv(["install", "-l"]).stdout, out.stdout);
    e.set("PYV_COMPAT", "pyenv");
    let out = e.pyv(["install", "--list"]);
    assert_filtered!(out.filters(), first_lines(&out.stdout, 2), @"
    2.4-win32
    2.4.1-win32
    ");
}

/// `PATH=` as the fake program prints it, with `sep` between the entries.
fn path_line(entries: &[&Path], sep: &str) -> String {
    let texts: Vec<String> = entries.iter().map(|p| p.display().to_string()).collect();
    format!("PATH={}", texts.join(sep))
}

#[test]
fn exec_and_the_shims_build_path_as_pyenv_bat() {
    let mut e = win();
    let sep = if cfg!(windows) { ";" } else { ":" };
    let shims = e.root.join("shims");
    let appdata = e.tmp.join("AppData").join("Roaming");
    let elsewhere = e.tmp.join("elsewhere");
    e.pyv(["rehash"]);
    e.set("APPDATA", appdata.display().to_string());
    e.set(
        "PATH",
        format!(
            "{}{sep}{}{sep}{}{}",
            elsewhere.display(),
            shims.display(),
            shims.display(),
            std::path::MAIN_SEPARATOR
        ),
    );
    e.set("FAKE_ENV", "PATH");
    std::fs::write(e.cwd.join(".python-version"), "3.12\n3.9.13\n").unwrap();
    let (v12, v9) = (
        e.root.join("versions").join("3.12.4"),
        e.root.join("versions").join("3.9.13"),
    );
    let (user12, user9) = (
        appdata.join("Python").join("Python312").join("Scripts"),
        appdata.join("Python").join("Python39").join("Scripts"),
    );
    let want = path_line(
        &[
            &v12,
            &v12.join("Scripts"),
            &v12.join("bin"),
            &v9,
            &v9.join("Scripts"),
            &v9.join("bin"),
            &user12,
            &user9,
            &elsewhere,
        ],
        sep,
    );
    let out = e.pyv(["exec", "python"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, format!("python.exe 3.12.4\n{want}\n").as_str()),
        "{out:?}"
    );
    // The shims call what `exec` runs, so they give the program the same PATH.
    let out = e.run(&e.shim("python"), [""; 0]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, format!("python.exe 3.12.4\n{want}\n").as_str()),
        "{out:?}"
    );
    // pyenv mode is pyenv's `exec`: the found command's folder, then PATH as it was.
    e.set("PYV_COMPAT", "pyenv");
    let out = e.pyv(["exec", "python"]);
    let shims_slash = format!("{}{}", shims.display(), std::path::MAIN_SEPARATOR);
    let want = path_line(&[&v12, &elsewhere, &shims, Path::new(&shims_slash)], sep);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, format!("python.exe 3.12.4\n{want}\n").as_str()),
        "{out:?}"
    );
}

#[test]
fn exec_of_a_command_the_selection_lacks_never_reaches_a_shim() {
    let mut e = win();
    e.pyv(["rehash"]);
    assert!(e.shim("pip3.9").exists());
    e.set("PATH", e.root.join("shims").display().to_string());
    std::fs::write(e.root.join("version"), "3.12.4\n").unwrap();
    assert_cli!(e.pyv(["exec", "pip3.9", "install", "x"]), @"
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: pip3.9: command not found (no installed version has it; see 'pyv versions')
    ");
}

#[test]
fn exec_pip_install_and_python_m_pip_install_rehash_as_the_shims_do() {
    let mut e = win();
    // The fake pip names the console scripts it "installs" like Windows does.
    e.set("SCRIPT_EXT", ".exe");
    std::fs::write(e.root.join("version"), "3.12.4\n").unwrap();
    e.pyv(["rehash"]);
    assert!(!e.shim("black").exists());
    assert_cli!(e.pyv(["exec", "pip", "install", "black"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    pip.exe 3.12.4
    [install]
    [black]
    ----- stderr -----
    ");
    assert!(e.shim("black").exists(), "exec pip install must rehash");
    // The fake python does not run pip: make the script as pip would, then check that
    // `exec python -m pip …` rehashes afterwards.
    pyv_tests::fake_program(&e.root.join("versions/3.12.4/Scripts/ruff.exe"), "3.12.4");
    assert!(!e.shim("ruff").exists());
    assert_cli!(e.pyv(["exec", "python", "-m", "pip", "install", "ruff"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    python.exe 3.12.4
    [-m]
    [pip]
    [install]
    [ruff]
    ----- stderr -----
    ");
    assert!(
        e.shim("ruff").exists(),
        "exec python -m pip install must rehash"
    );
    // Nothing else rehashes.
    pyv_tests::fake_program(&e.root.join("versions/3.12.4/Scripts/mypy.exe"), "3.12.4");
    e.pyv(["exec", "python", "-m", "pip", "list"]);
    assert!(!e.shim("mypy").exists());
}

/// pyenv-win's real cache (the committed fixture) cut back to what it knew before 3.13.1,
/// as an old pyenv-win tree holds it: every `<version>` whose CPython release is 3.13.1 or
/// later is left out.
#[cfg(unix)]
fn cache_before_3_13_1() -> String {
    let full = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../crates/pyv-catalog/tests/fixtures/versions_cache.xml"),
    )
    .unwrap();
    let block = regex::Regex::new(r"(?s)\s*<version [^>]*>.*?</version>").unwrap();
    let code = regex::Regex::new(r"<code>(\d+)\.(\d+)(?:\.(\d+))?").unwrap();
    block
        .replace_all(&full, |c: &regex::Captures<'_>| {
            let text = &c[0];
            let newer = code.captures(text).is_some_and(|m| {
                let n = |i: usize| m.get(i).map_or(0, |x| x.as_str().parse::<u32>().unwrap());
                (n(1), n(2), n(3)) >= (3, 13, 1)
            });
            if newer {
                String::new()
            } else {
                text.to_string()
            }
        })
        .into_owned()
}

#[cfg(unix)]
#[test]
fn a_tree_with_an_older_catalog_installs_what_pyv_knows() {
    use pyv_testserver::{Fixture, Profile};
    let mut e = win();
    let old = cache_before_3_13_1();
    assert!(old.contains("<code>3.13.0</code>") && !old.contains("<code>3.13.1</code>"));
    std::fs::write(e.root.join(".versions_cache.xml"), &old).unwrap();
    let list = e.pyv(["install", "--list"]);
    assert_eq!(list.code, 0, "{list:?}");
    assert!(list.stdout.lines().any(|l| l == "3.13.1"), "{list:?}");
    assert_cli!(e.pyv(["latest", "-k", "3.13.1"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.13.1
    ----- stderr -----
    ");
    // The install goes to the mirror for the snapshot's package and checks it against the
    // snapshot's hash (the mirror's stand-in is not python.org's file).
    let fixture = Fixture::new();
    let server = fixture.https(Profile::Good);
    server.add_file(
        "/python/3.13.1/python-3.13.1-amd64.zip",
        b"not python".to_vec(),
    );
    let ca_dir = tempfile::tempdir().unwrap();
    let ca = fixture.pki.write_root(ca_dir.path()).unwrap();
    e.set("PYTHON_BUILD_MIRROR_URL", server.url("/python"))
        .set("PYV_HTTP_RETRIES", "0");
    let out = e.pyv(["install", "3.13.1", "--cacert", ca.to_str().unwrap()]);
    assert_cli!(out, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.13.1 ...
    ----- stderr -----
    pyv: couldn't install 3.13.1: checksum mismatch for https://localhost:[PORT]/python/3.13.1/python-3.13.1-amd64.zip: expected sha256 9877d0d24f7978407bde1b50ab1023b0f5c67ff6c9816b834e5258db1a636249, got 3c4ad50a19fb32c0c6f8e612c3c338ca38819e411e0d0d6e36bc70e11e1d9c9a twice; the file on the mirror is damaged or was altered, nothing was installed; try later or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    assert!(server
        .requests()
        .iter()
        .any(|r| r.target == "/python/3.13.1/python-3.13.1-amd64.zip"));
}

/// Off Windows, `install` lands python.org's Windows builds only when asked for.
#[cfg(not(windows))]
#[test]
fn install_off_windows_refuses_windows_builds_unless_asked() {
    let mut e = win();
    e.unset("PYENV_FORCE_ARCH");
    std::fs::write(e.root.join("version"), "3.12\n").unwrap();
    // The OS decides, not the mode: the same refusal in both, whatever is asked.
    let refused = e.pyv(["install", "3.13"]);
    assert_cli!(refused, @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: cannot install python.org's Windows builds on linux, where they do not run; install a native Python with pyenv's python-build ('python-build <version> [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/<version>') or the OS's packages ('pyv link <name> <prefix>'), and pyv finds it in [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions; to install Windows builds for a Windows machine, set PYENV_FORCE_ARCH=AMD64 (or X86, ARM64)
    ");
    e.set("PYV_COMPAT", "pyenv");
    for args in [
        &["install", "3.13"][..],
        &["install"],
        &["install", "--all"],
    ] {
        let out = e.pyv(args);
        assert_eq!(
            (out.code, &out.stdout, &out.stderr),
            (refused.code, &refused.stdout, &refused.stderr),
            "{args:?}"
        );
    }
    assert!(!e.root.join("install_cache").exists());
    let names: Vec<String> = std::fs::read_dir(e.root.join("versions"))
        .unwrap()
        .map(|d| d.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // The list says what it lists.
    e.set("PYV_COMPAT", "pyenv");
    let out = e.pyv(["install", "--list"]);
    assert_eq!(out.code, 0);
    assert_filtered!(out.filters(), out.stderr, @"pyv: warning: this list is of python.org's Windows builds, which 'pyv install' installs only with PYENV_FORCE_ARCH set; native Pythons (pyenv's python-build, the OS's packages) in versions/ are found as they are");
    // Asked for: the install goes ahead (here as far as the unreachable mirror).
    e.set("PYENV_FORCE_ARCH", "AMD64")
        .set("PYTHON_BUILD_MIRROR_URL", "https://127.0.0.1:1/python")
        .set("PYV_HTTP_RETRIES", "0");
    let out = e.pyv(["install", "3.13"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("couldn't install 3.13."), "{out:?}");
}
