//! Version selection commands against a temporary pyenv-win root.

use pyv_tests::{assert_cli, Layout, TestEnv};

fn env() -> TestEnv {
    let e = TestEnv::new(Layout::Windows);
    for v in ["3.9.13", "3.12.1", "3.12.4", "3.11.0a5-arm"] {
        e.version(v);
    }
    e
}

#[test]
fn versions_lists_numerically_and_marks_active() {
    let e = env();
    assert_cli!(e.pyv(["versions"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
      3.9.13
      3.11.0a5-arm
      3.12.1
      3.12.4
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["global", "3.12"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["versions"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
      3.9.13
      3.11.0a5-arm
      3.12.1
    * 3.12.4 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["versions", "--bare"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.9.13
    3.11.0a5-arm
    3.12.1
    3.12.4
    ----- stderr -----
    ");
}

#[test]
fn global_writes_literal_versions_and_shows_them() {
    let e = env();
    assert_cli!(e.pyv(["global"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    no global version configured
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["global", "3.12", "3.9.13"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    // Windows line ends on Windows, as pyenv-win writes the file.
    let file = std::fs::read_to_string(e.root.join("version")).unwrap();
    if cfg!(windows) {
        assert_eq!(file, "3.12\r\n3.9.13\r\n");
    } else {
        assert_eq!(file, "3.12\n3.9.13\n");
    }
    assert_cli!(e.pyv(["global"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12
    3.9.13
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["version"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    3.9.13 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["global", "--unset"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    assert!(!e.root.join("version").exists());
}

#[test]
fn global_rejects_unknown_and_invalid_versions_without_writing() {
    let e = env();
    assert_cli!(e.pyv(["global", "3.7"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: version '3.7' not installed; install it with 'pyv install 3.7' or pick one from 'pyv versions'
    ");
    assert_cli!(e.pyv(["global", "../../etc"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: invalid version name '../../etc': use a name like 3.12.1, 3.12 or system (see 'pyv versions')
    ");
    assert!(!e.root.join("version").exists());
}

#[test]
fn local_walks_up_and_shell_overrides() {
    let mut e = env();
    e.pyv(["global", "3.9.13"]);
    assert_cli!(e.pyv(["local"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    no local version configured for this directory
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["local", "3.12"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    let sub = e.cwd.join("src").join("pkg");
    std::fs::create_dir_all(&sub).unwrap();
    e.cwd = sub;
    assert_cli!(e.pyv(["version"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4 (set by [TMP]/my project/.python-version)
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["local"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12
    ----- stderr -----
    ");
    e.set("PYENV_VERSION", "3.9:3.12.1");
    assert_cli!(e.pyv(["version"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.9.13 (set by %PYENV_VERSION%)
    3.12.1 (set by %PYENV_VERSION%)
    ----- stderr -----
    ");
    // pyenv-win's `shell` shows the shell's versions; pyenv's program has no `shell` (only
    // the function of `init -` does: tests/tests/init.rs).
    e.set("PYV_COMPAT", "pyenv-win");
    assert_cli!(e.pyv(["shell"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.9 3.12.1
    ----- stderr -----
    ");
    e.unset("PYV_COMPAT");
    assert_cli!(e.pyv(["vname"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.9.13:3.12.1
    ----- stderr -----
    ");
}

#[test]
fn version_files_in_every_encoding_users_produce() {
    let e = env();
    let file = e.cwd.join(".python-version");
    let utf16 = |s: &str| -> Vec<u8> {
        let mut b = vec![0xFF, 0xFE];
        s.encode_utf16().for_each(|u| b.extend(u.to_le_bytes()));
        b
    };
    for bytes in [
        b"3.12.1\r\n".to_vec(),
        b"\xEF\xBB\xBF3.12.1\n".to_vec(),
        utf16("3.12.1\r\n"),
        b"# pinned by the team\n\n   3.12.1   \n".to_vec(),
    ] {
        std::fs::write(&file, bytes).unwrap();
        let out = e.pyv(["version-name"]);
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (0, "3.12.1\n", "")
        );
    }
}

#[test]
fn garbage_in_python_version_is_refused() {
    let e = env();
    std::fs::write(e.cwd.join(".python-version"), "..\\..\\Windows\n").unwrap();
    // The name as written (Windows' snapshots show every `\` as `/`).
    if cfg!(windows) {
        assert_cli!(e.pyv(["version"]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: invalid version '../../Windows' in '[TMP]/my project/.python-version': a version is a name like 3.12.1, not a path; edit the file or run 'pyv local <version>'
        ");
    } else {
        assert_cli!(e.pyv(["version"]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: invalid version '..\..\Windows' in '[TMP]/my project/.python-version': a version is a name like 3.12.1, not a path; edit the file or run 'pyv local <version>'
        ");
    }
}

#[test]
fn no_version_set_and_not_installed() {
    let e = env();
    assert_cli!(e.pyv(["version-name"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: No global/local python version has been set yet. Please set the global version by typing: pyv global <version> (see 'pyv versions')
    ");
    std::fs::write(e.cwd.join(".python-version"), "3.8\n").unwrap();
    assert_cli!(e.pyv(["version"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.8 (set by [TMP]/my project/.python-version)
    ----- stderr -----
    ");
}

#[test]
fn force_arch_picks_the_matching_build() {
    let mut e = env();
    e.version("3.12.9-arm");
    e.set("PYENV_FORCE_ARCH", "ARM64");
    e.pyv(["global", "3.12"]);
    assert_cli!(e.pyv(["version-name"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.9-arm
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["latest", "3.11"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: no installed versions match the prefix '3.11'; see 'pyv versions'
    ");
    e.set("PYENV_FORCE_ARCH", "AMD64");
    assert_cli!(e.pyv(["latest", "3.12:latest"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["latest", "-q", "3.99"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    ");
}

#[test]
fn missing_root_is_reported() {
    let mut e = env();
    // pyenv-win mode's; pyenv mode reads it as an empty root (tests/tests/missing_root.rs).
    e.set("PYV_COMPAT", "pyenv-win");
    let gone = e.tmp.join("nowhere");
    e.set("PYENV_ROOT", gone.display().to_string());
    assert_cli!(e.pyv(["versions"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: root folder '[TMP]/nowhere' (from PYENV_ROOT) does not exist; create it with 'pyv install <version>' or fix PYENV_ROOT
    ");
    assert_cli!(e.pyv(["root"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/nowhere
    ----- stderr -----
    ");
}

#[test]
fn root_variables_in_pyenv_win_order() {
    let mut e = env();
    e.unset("PYENV_ROOT");
    e.set("PYENV_HOME", format!("{}/", e.root.display()));
    assert_cli!(e.pyv(["root"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win
    ----- stderr -----
    ");
    e.set("PYENV", e.tmp.join("other").display().to_string());
    assert_cli!(e.pyv(["root"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/other
    ----- stderr -----
    ");
}
