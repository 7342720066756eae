//! pyenv mode (`PYV_COMPAT=pyenv`, Linux's default): selection, options and wording as pyenv
//! 2.6 (issue 11, items 8, 9, 11 and 12). Every output here was compared with the real
//! pyenv 2.6 on the same tree; `same_as_the_real_pyenv` repeats that comparison wherever
//! pyenv is installed (`~/.pyenv/libexec/pyenv`) and skips, saying so, where it is not.
//!
//! Unix only: the tree uses pyenv's layout, links and a PATH of Unix folders.
#![cfg(unix)]

use pyv_tests::{assert_cli, assert_filtered, bin, fake_program, run_block, Layout, TestEnv};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A pyenv tree: three versions, one folder whose name has a space, an alias
/// (`3.12 -> 3.12.4`), a pyenv-virtualenv environment (`3.12.4/envs/venv1`, linked as
/// `versions/venv1`), and a system Python with one more command (`tool`) on PATH.
fn tree() -> TestEnv {
    let mut e = TestEnv::new(Layout::Unix);
    e.set("PYV_COMPAT", "pyenv");
    for v in ["3.9.13", "3.12.1", "3.12.4"] {
        e.version(v);
    }
    let versions = e.root.join("versions");
    fake_program(&versions.join("3.11 space/bin/python"), "3.11 space");
    // `tool` in one version too, so that it has a shim.
    fake_program(&versions.join("3.9.13/bin/tool"), "3.9.13");
    let venv = versions.join("3.12.4/envs/venv1");
    fake_program(&venv.join("bin/python"), "venv1");
    // A console script only the environment has.
    fake_program(&venv.join("bin/black"), "venv1");
    symlink(&venv, versions.join("venv1")).unwrap();
    symlink("3.12.4", versions.join("3.12")).unwrap();
    let sys = system_bin(&e);
    fake_program(&sys.join("python3"), "system");
    fake_program(&sys.join("tool"), "system");
    let path = format!("{}:{}", e.root.join("shims").display(), sys.display());
    e.set("PATH", path);
    e
}

fn system_bin(e: &TestEnv) -> PathBuf {
    e.tmp.join("sys").join("bin")
}

/// One run of `program` in `e` with `vars` added, as a titled block of the transcript.
fn case(e: &TestEnv, program: &Path, vars: &[(&str, &str)], args: &[&str]) -> (String, String) {
    let mut cmd = e.command(program);
    cmd.envs(vars.iter().copied())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = pyv_tests::spawn(&mut cmd).wait_with_output().unwrap();
    let title: Vec<String> = vars
        .iter()
        .map(|(k, v)| format!("{k}='{v}'"))
        .chain(std::iter::once(
            program.file_name().unwrap().to_string_lossy().into_owned(),
        ))
        .chain(args.iter().map(|a| a.to_string()))
        .collect();
    let block = run_block(
        out.status.code().unwrap_or(-1),
        &String::from_utf8_lossy(&out.stdout),
        &String::from_utf8_lossy(&out.stderr),
    );
    (format!("$ {}", title.join(" ")), block)
}

type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);
/// A [`Case`] that owns its lists.
type OwnedCase = (Vec<(&'static str, &'static str)>, Vec<&'static str>);

/// The runs of `cases` with `program`, one after another, as one text.
fn transcript(e: &TestEnv, program: &Path, cases: &[Case]) -> String {
    cases
        .iter()
        .map(|(vars, args)| {
            let (title, block) = case(e, program, vars, args);
            format!("{title}\n{block}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const NONE: &[(&str, &str)] = &[];

#[test]
fn nothing_selected_is_system() {
    let e = tree();
    let cases: &[Case] = &[
        (NONE, &["version"]),
        (NONE, &["version-name"]),
        (NONE, &["version-origin"]),
        (NONE, &["global"]),
        (NONE, &["local"]),
        (NONE, &["which", "python3"]),
        (NONE, &["exec", "python3", "-V"]),
        (NONE, &["prefix"]),
    ];
    assert_filtered!(e.filters(), transcript(&e, &bin("pyv"), cases), @r"
    $ pyv version
    success: true
    exit_code: 0
    ----- stdout -----
    system (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    ----- stderr -----

    $ pyv version-name
    success: true
    exit_code: 0
    ----- stdout -----
    system
    ----- stderr -----

    $ pyv version-origin
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version
    ----- stderr -----

    $ pyv global
    success: true
    exit_code: 0
    ----- stdout -----
    system
    ----- stderr -----

    $ pyv local
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: no local version configured for this directory

    $ pyv which python3
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/sys/bin/python3
    ----- stderr -----

    $ pyv exec python3 -V
    success: true
    exit_code: 0
    ----- stdout -----
    python3 system
    [-V]
    ----- stderr -----

    $ pyv prefix
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/sys
    ----- stderr -----
    ");
}

#[test]
fn pyenv_win_mode_keeps_its_error_when_nothing_is_selected() {
    let mut e = tree();
    e.set("PYV_COMPAT", "pyenv-win");
    assert_cli!(e.pyv(["version"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: No global/local python version has been set yet. Please set the global version by typing: pyv global <version> (see 'pyv versions')
    ");
}

#[test]
fn a_missing_version_among_several_warns_and_the_others_carry_on() {
    let e = tree();
    let pv: &[(&str, &str)] = &[("PYENV_VERSION", "3.12:3.99:3.9")];
    let cases: &[Case] = &[
        (pv, &["version"]),
        (pv, &["version-name"]),
        (pv, &["version-name", "-f"]),
        (pv, &["which", "python"]),
        (pv, &["exec", "python"]),
        (pv, &["which", "nope"]),
        (pv, &["prefix"]),
    ];
    // What `exec` passes on, as pyenv's: the versions, and the command's folder first.
    let with = |var: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![("PYENV_VERSION", "3.12:3.99:3.9"), ("FAKE_ENV", var)]
    };
    let (pv_var, path_var) = (with("PYENV_VERSION"), with("PATH"));
    let passed_on: &[Case] = &[
        (&pv_var, &["exec", "python"]),
        (&path_var, &["exec", "python"]),
        (
            &[("PYENV_VERSION", "system"), ("FAKE_ENV", "PATH")],
            &["exec", "tool"],
        ),
    ];
    assert_filtered!(e.filters(), transcript(&e, &bin("pyv"), passed_on), @"
    $ PYENV_VERSION='3.12:3.99:3.9' FAKE_ENV='PYENV_VERSION' pyv exec python
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.4
    PYENV_VERSION=3.12:3.99:3.9.13
    ----- stderr -----

    $ PYENV_VERSION='3.12:3.99:3.9' FAKE_ENV='PATH' pyv exec python
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.4
    PATH=[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12/bin:[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:[TMP]/sys/bin
    ----- stderr -----

    $ PYENV_VERSION='system' FAKE_ENV='PATH' pyv exec tool
    success: true
    exit_code: 0
    ----- stdout -----
    tool system
    PATH=[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:[TMP]/sys/bin
    ----- stderr -----
    ");
    assert_filtered!(e.filters(), transcript(&e, &bin("pyv"), cases), @r"
    $ PYENV_VERSION='3.12:3.99:3.9' pyv version
    success: false
    exit_code: 1
    ----- stdout -----
    3.12 (set by PYENV_VERSION environment variable)
    3.9.13 (set by PYENV_VERSION environment variable)
    ----- stderr -----
    pyv: version `3.99' is not installed (set by PYENV_VERSION environment variable)

    $ PYENV_VERSION='3.12:3.99:3.9' pyv version-name
    success: false
    exit_code: 1
    ----- stdout -----
    3.12:3.9.13
    ----- stderr -----
    pyv: version `3.99' is not installed (set by PYENV_VERSION environment variable)

    $ PYENV_VERSION='3.12:3.99:3.9' pyv version-name -f
    success: true
    exit_code: 0
    ----- stdout -----
    3.12:3.99:3.9.13
    ----- stderr -----

    $ PYENV_VERSION='3.12:3.99:3.9' pyv which python
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12/bin/python
    ----- stderr -----

    $ PYENV_VERSION='3.12:3.99:3.9' pyv exec python
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.4
    ----- stderr -----

    $ PYENV_VERSION='3.12:3.99:3.9' pyv which nope
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: version `3.99' is not installed (set by PYENV_VERSION environment variable)
    pyv: nope: command not found

    $ PYENV_VERSION='3.12:3.99:3.9' pyv prefix
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version `3.99' not installed
    ");
}

#[test]
fn shims_exit_127_only_when_no_active_version_has_the_command() {
    let e = tree();
    assert_cli!(e.pyv(["rehash"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    let cases: &[Case] = &[
        (&[("PYENV_VERSION", "3.12:3.99")], &["-V"]),
        (&[("PYENV_VERSION", "3.99")], &["-V"]),
    ];
    assert_filtered!(e.filters(), transcript(&e, &e.shim("python"), cases), @r"
    $ PYENV_VERSION='3.12:3.99' python -V
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.4
    [-V]
    ----- stderr -----

    $ PYENV_VERSION='3.99' python -V
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: version `3.99' is not installed (set by PYENV_VERSION environment variable)
    pyv: python: command not found

    The `python' command exists in these Python versions:
      3.9.13
      3.11 space
      3.12
      3.12/envs/venv1
      3.12.1
      3.12.4
      3.12.4/envs/venv1
      venv1

    Note: See 'pyv help global' for tips on allowing multiple
          Python versions to be found at the same time.
    ");
    // An environment's own command has a shim too, as pyenv's rehash makes one.
    let cases: &[Case] = &[(&[("PYENV_VERSION", "venv1")], &[])];
    assert_filtered!(e.filters(), transcript(&e, &e.shim("black"), cases), @"
    $ PYENV_VERSION='venv1' black
    success: true
    exit_code: 0
    ----- stdout -----
    black venv1
    ----- stderr -----
    ");
    // A command the selected version lacks comes from PATH, as pyenv's shims find it.
    let cases: &[Case] = &[(&[("PYENV_VERSION", "3.12")], &[])];
    assert_filtered!(e.filters(), transcript(&e, &e.shim("tool"), cases), @r"
    $ PYENV_VERSION='3.12' tool
    success: true
    exit_code: 0
    ----- stdout -----
    tool system
    ----- stderr -----
    ");
}

#[test]
fn system_finds_any_command_on_path_and_its_prefix_is_above_bin() {
    let mut e = tree();
    let sys: &[(&str, &str)] = &[("PYENV_VERSION", "system")];
    let cases: &[Case] = &[
        (sys, &["which", "tool"]),
        (sys, &["exec", "tool"]),
        (sys, &["which", "python"]),
        (sys, &["prefix"]),
        (NONE, &["prefix", "system"]),
    ];
    assert_filtered!(e.filters(), transcript(&e, &bin("pyv"), cases), @r"
    $ PYENV_VERSION='system' pyv which tool
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/sys/bin/tool
    ----- stderr -----

    $ PYENV_VERSION='system' pyv exec tool
    success: true
    exit_code: 0
    ----- stdout -----
    tool system
    ----- stderr -----

    $ PYENV_VERSION='system' pyv which python
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: python: command not found

    The `python' command exists in these Python versions:
      3.9.13
      3.11 space
      3.12
      3.12/envs/venv1
      3.12.1
      3.12.4
      3.12.4/envs/venv1
      venv1

    Note: See 'pyv help global' for tips on allowing multiple
          Python versions to be found at the same time.

    $ PYENV_VERSION='system' pyv prefix
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/sys
    ----- stderr -----

    $ pyv prefix system
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/sys
    ----- stderr -----
    ");
    // No Python on PATH at all.
    e.set("PATH", e.root.join("shims").display().to_string());
    assert_cli!(e.pyv(["prefix", "system"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: system version not found in PATH
    ");
}

#[test]
fn versions_lists_spaces_aliases_and_environments_as_pyenv() {
    let e = tree();
    let pv: &[(&str, &str)] = &[("PYENV_VERSION", "venv1")];
    let cases: &[Case] = &[
        (pv, &["versions"]),
        (NONE, &["versions", "--bare"]),
        (NONE, &["versions", "--skip-aliases"]),
        (
            NONE,
            &["versions", "--bare", "--skip-aliases", "--skip-envs"],
        ),
        (NONE, &["versions", "--executables"]),
    ];
    assert_filtered!(e.filters(), transcript(&e, &bin("pyv"), cases), @"
    $ PYENV_VERSION='venv1' pyv versions
    success: true
    exit_code: 0
    ----- stdout -----
      system
      3.9.13
      3.11 space
      3.12 --> 3.12.4
      3.12/envs/venv1
      3.12.1
      3.12.4
      3.12.4/envs/venv1
    * venv1 --> [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.4/envs/venv1 (set by PYENV_VERSION environment variable)
    ----- stderr -----

    $ pyv versions --bare
    success: true
    exit_code: 0
    ----- stdout -----
    3.9.13
    3.11 space
    3.12
    3.12/envs/venv1
    3.12.1
    3.12.4
    3.12.4/envs/venv1
    venv1
    ----- stderr -----

    $ pyv versions --skip-aliases
    success: true
    exit_code: 0
    ----- stdout -----
    * system (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
      3.9.13
      3.11 space
      3.12.1
      3.12.4
      3.12.4/envs/venv1
    ----- stderr -----

    $ pyv versions --bare --skip-aliases --skip-envs
    success: true
    exit_code: 0
    ----- stdout -----
    3.9.13
    3.11 space
    3.12.1
    3.12.4
    ----- stderr -----

    $ pyv versions --executables
    success: true
    exit_code: 0
    ----- stdout -----
    black
    black.version
    pip
    pip.version
    pip3.12
    pip3.12.version
    pip3.9
    pip3.9.version
    python
    python.version
    python3
    python3.12
    python3.12.version
    python3.9
    python3.9.version
    python3.version
    tool
    tool.version
    ----- stderr -----
    ");
}

#[test]
fn pyenv_options_and_names() {
    let e = tree();
    let cases: &[Case] = &[
        (&[("PYENV_VERSION", "3.12.1")], &["version", "--bare"]),
        (&[("PYENV_VERSION", "python-3.9")], &["version"]),
        (&[("PYENV_VERSION", "3.11 space")], &["which", "python"]),
        (
            &[("PYENV_VERSION", "3.12.4/envs/venv1")],
            &["exec", "python"],
        ),
        (
            &[("PYENV_VERSION", "3.99")],
            &["which", "python", "--skip-advice"],
        ),
        (NONE, &["which", "tool", "--nosystem"]),
        (NONE, &["latest", "3.12"]),
        (NONE, &["latest", "3.99"]),
        (NONE, &["latest", "-b", "3.99"]),
        (NONE, &["latest", "-f", "3.99"]),
        (NONE, &["local", "3.99"]),
        (NONE, &["local", "-f", "3.99"]),
        (NONE, &["version"]),
        (NONE, &["version-file"]),
        (NONE, &["version-file", ".."]),
    ];
    assert_filtered!(e.filters(), transcript(&e, &bin("pyv"), cases), @r"
    $ PYENV_VERSION='3.12.1' pyv version --bare
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.1
    ----- stderr -----

    $ PYENV_VERSION='python-3.9' pyv version
    success: true
    exit_code: 0
    ----- stdout -----
    3.9.13 (set by PYENV_VERSION environment variable)
    ----- stderr -----

    $ PYENV_VERSION='3.11 space' pyv which python
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.11 space/bin/python
    ----- stderr -----

    $ PYENV_VERSION='3.12.4/envs/venv1' pyv exec python
    success: true
    exit_code: 0
    ----- stdout -----
    python venv1
    ----- stderr -----

    $ PYENV_VERSION='3.99' pyv which python --skip-advice
    success: false
    exit_code: 127
    ----- stdout -----
    ----- stderr -----
    pyv: version `3.99' is not installed (set by PYENV_VERSION environment variable)
    pyv: python: command not found

    $ pyv which tool --nosystem
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/sys/bin/tool
    ----- stderr -----

    $ pyv latest 3.12
    success: true
    exit_code: 0
    ----- stdout -----
    3.12
    ----- stderr -----

    $ pyv latest 3.99
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: no installed versions match the prefix `3.99'

    $ pyv latest -b 3.99
    success: false
    exit_code: 1
    ----- stdout -----
    3.99
    ----- stderr -----

    $ pyv latest -f 3.99
    success: true
    exit_code: 0
    ----- stdout -----
    3.99
    ----- stderr -----

    $ pyv local 3.99
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version `3.99' not installed

    $ pyv local -f 3.99
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----

    $ pyv version
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version `3.99' is not installed (set by [TMP]/my project/.python-version)

    $ pyv version-file
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/my project/.python-version
    ----- stderr -----

    $ pyv version-file ..
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    ");
}

#[test]
fn version_files_are_read_as_pyenv_reads_them() {
    let e = tree();
    let local = e.cwd.join(".python-version");
    std::fs::write(&local, "# pinned\n\n../../etc\n3.12 extra words\n").unwrap();
    assert_cli!(e.pyv(["version"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12 (set by [TMP]/my project/.python-version)
    ----- stderr -----
    pyv: invalid version `../../etc' ignored in `[TMP]/my project/.python-version'
    ");
    // An empty file still decides: it selects system.
    std::fs::write(&local, "").unwrap();
    assert_cli!(e.pyv(["version"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    system (set by [TMP]/my project/.python-version)
    ----- stderr -----
    ");
}

/// pyv's next step follows pyenv's message only on a terminal: `script` gives the command
/// one (util-linux, on every Debian system; skipped where it is missing).
#[test]
fn the_next_step_is_shown_on_a_terminal_only() {
    let mut e = tree();
    e.set("PYENV_VERSION", "3.99");
    assert_cli!(e.pyv(["version"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version `3.99' is not installed (set by PYENV_VERSION environment variable)
    ");
    let script = Path::new("/usr/bin/script");
    if !script.is_file() {
        eprintln!("SKIP: no /usr/bin/script (util-linux) to give pyv a terminal");
        return;
    }
    let inner = format!("'{}' version", bin("pyv").display());
    let out = e.run(script, ["-qec", inner.as_str(), "/dev/null"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.stdout.replace("\r\n", "\n"),
        "pyv: version `3.99' is not installed (set by PYENV_VERSION environment variable)\npyv: hint: install it with 'pyv install 3.99'\n"
    );
}

/// The real pyenv, when this machine has it: `~/.pyenv/libexec/pyenv`.
fn real_pyenv() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let p = PathBuf::from(home).join(".pyenv/libexec/pyenv");
    p.is_file().then_some(p)
}

#[test]
fn same_as_the_real_pyenv() {
    let Some(real) = real_pyenv() else {
        eprintln!("SKIP: no pyenv at ~/.pyenv/libexec/pyenv to compare with");
        return;
    };
    let mut e = tree();
    // pyenv's scripts need bash and coreutils; pyv answers as `pyenv` when called so.
    let path = format!(
        "{}:{}:/usr/bin:/bin",
        e.root.join("shims").display(),
        system_bin(&e).display()
    );
    e.set("PATH", path);
    let ours = e.tmp.join("as-pyenv").join("pyenv");
    std::fs::create_dir_all(ours.parent().unwrap()).unwrap();
    symlink(bin("pyv"), &ours).unwrap();
    let pv = |v: &'static str| -> Vec<(&'static str, &'static str)> { vec![("PYENV_VERSION", v)] };
    let cases: Vec<OwnedCase> = vec![
        (vec![], vec!["version"]),
        (vec![], vec!["version", "--bare"]),
        (vec![], vec!["version-name"]),
        (vec![], vec!["version-origin"]),
        (vec![], vec!["version-file"]),
        (vec![], vec!["versions"]),
        (vec![], vec!["versions", "--bare"]),
        (vec![], vec!["versions", "--skip-envs"]),
        (vec![], vec!["versions", "--skip-aliases"]),
        (
            vec![],
            vec!["versions", "--bare", "--skip-aliases", "--skip-envs"],
        ),
        (vec![], vec!["versions", "--executables"]),
        (vec![], vec!["which", "python"]),
        (vec![], vec!["which", "python3"]),
        (vec![], vec!["which", "tool"]),
        (vec![], vec!["which", "nope"]),
        (vec![], vec!["prefix"]),
        (vec![], vec!["prefix", "system"]),
        (vec![], vec!["prefix", "3.99"]),
        (vec![], vec!["prefix", "3.12", "3.9"]),
        (vec![], vec!["global"]),
        (vec![], vec!["local"]),
        (vec![], vec!["latest", "3.12"]),
        (vec![], vec!["latest", "3"]),
        (vec![], vec!["latest", "3.99"]),
        (vec![], vec!["latest", "-b", "3.99"]),
        (vec![], vec!["latest", "-f", "3.99"]),
        (pv("3.12"), vec!["version"]),
        (pv("3.12"), vec!["versions"]),
        (pv("3.12"), vec!["which", "tool"]),
        (pv("3.12"), vec!["exec", "tool"]),
        (pv("3.12:3.99:3.9"), vec!["version"]),
        (pv("3.12:3.99:3.9"), vec!["version-name"]),
        (pv("3.12:3.99:3.9"), vec!["version-name", "-f"]),
        (pv("3.12:3.99:3.9"), vec!["versions"]),
        (pv("3.12:3.99:3.9"), vec!["which", "python"]),
        (pv("3.12:3.99:3.9"), vec!["which", "nope"]),
        (pv("3.12:3.99:3.9"), vec!["exec", "python"]),
        (pv("3.12:3.99:3.9"), vec!["prefix"]),
        (pv("3.99"), vec!["version"]),
        (pv("3.99"), vec!["which", "python"]),
        (pv("3.99"), vec!["which", "python", "--skip-advice"]),
        (pv("3.99"), vec!["exec", "python"]),
        (pv("3.99"), vec!["exec", "tool"]),
        (pv("python-3.9"), vec!["version-name"]),
        (pv("venv1"), vec!["version"]),
        (pv("venv1"), vec!["which", "python"]),
        (pv("3.12.4/envs/venv1"), vec!["exec", "python"]),
        (pv("3.11 space"), vec!["version"]),
        (pv("3.11 space"), vec!["which", "python"]),
        (pv("system"), vec!["version"]),
        (pv("system"), vec!["which", "python3"]),
        (pv("system"), vec!["prefix"]),
        (vec![], vec!["local", "3.99"]),
        (vec![], vec!["global", "3.99"]),
    ];
    let mut differences = Vec::new();
    for (vars, args) in &cases {
        let theirs = case(&e, &real, vars, args).1;
        let (title, mine) = case(&e, &ours, vars, args);
        if theirs != mine {
            differences.push(format!("{title}\n--- pyenv\n{theirs}--- pyv\n{mine}"));
        }
    }
    // Writes, each compared on what it printed and on the file it left.
    for args in [
        &["local", "3.12.1", "3.9"][..],
        &["local", "-f", "3.99"],
        &["local", "3.11 space"],
        &["global", "3.12", "3.9.13"],
    ] {
        let file = if args[0] == "local" {
            e.cwd.join(".python-version")
        } else {
            e.root.join("version")
        };
        let mut results = Vec::new();
        for program in [&real, &ours] {
            let _ = std::fs::remove_file(&file);
            let (title, block) = case(&e, program, &[], args);
            results.push((title, block, std::fs::read_to_string(&file).ok()));
        }
        let _ = std::fs::remove_file(&file);
        if (&results[0].1, &results[0].2) != (&results[1].1, &results[1].2) {
            differences.push(format!("{} (and the file)\n{results:?}", results[1].0));
        }
    }
    assert!(
        differences.is_empty(),
        "pyv differs from pyenv 2.6 in {} of {} cases:\n\n{}",
        differences.len(),
        cases.len() + 4,
        differences.join("\n")
    );
}

#[test]
fn an_empty_tree_warns_as_pyenv_and_dot_folders_are_versions() {
    let mut e = TestEnv::new(Layout::Unix);
    e.set("PYV_COMPAT", "pyenv");
    let cases: &[Case] = &[(NONE, &["versions"]), (NONE, &["versions", "--bare"])];
    assert_filtered!(e.filters(), transcript(&e, &bin("pyv"), cases), @"
    $ pyv versions
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    Warning: no Python detected on the system

    $ pyv versions --bare
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    fake_program(&e.root.join("versions/.venv/bin/python"), ".venv");
    let cases: &[Case] = &[
        (NONE, &["versions", "--bare"]),
        (&[("PYENV_VERSION", ".venv")], &["exec", "python"]),
    ];
    assert_filtered!(e.filters(), transcript(&e, &bin("pyv"), cases), @"
    $ pyv versions --bare
    success: true
    exit_code: 0
    ----- stdout -----
    .venv
    ----- stderr -----

    $ PYENV_VERSION='.venv' pyv exec python
    success: true
    exit_code: 0
    ----- stdout -----
    python .venv
    ----- stderr -----
    ");
}
