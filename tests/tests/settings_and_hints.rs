//! Settings and failures that must end in one clear line, never a panic or a misleading
//! hint: numeric settings out of range, PYENV_FORCE_ARCH, file errors by errno, a current
//! folder deeper than PATH_MAX, and servers that redirect in a loop or send huge headers.

use pyv_tests::{assert_cli, Layout, TestEnv};

/// A mirror nothing listens on: a check that fails before any connection never reaches it.
const DEAD_MIRROR: &str = "https://127.0.0.1:9/python";

fn net_env() -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", DEAD_MIRROR);
    e
}

#[test]
fn huge_http_timeout_is_a_range_error_not_a_panic() {
    let mut e = net_env();
    e.set("PYV_HTTP_TIMEOUT", "18446744073709551615");
    assert_cli!(e.pyv(["install", "3.12.10"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYV_HTTP_TIMEOUT="18446744073709551615" is out of range; set it to a whole number of seconds from 1 to 3600, or unset it
    "#);
    assert_cli!(e.pyv(["update"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYV_HTTP_TIMEOUT="18446744073709551615" is out of range; set it to a whole number of seconds from 1 to 3600, or unset it
    "#);
    e.set("PYV_HTTP_TIMEOUT", "0");
    assert_cli!(e.pyv(["update"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYV_HTTP_TIMEOUT="0" is out of range; set it to a whole number of seconds from 1 to 3600, or unset it
    "#);
    e.set("PYV_HTTP_TIMEOUT", "ten");
    assert_cli!(e.pyv(["update"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYV_HTTP_TIMEOUT="ten" is not a whole number; set it to a whole number of seconds from 1 to 3600, or unset it
    "#);
}

#[test]
fn http_retries_out_of_range_names_the_range() {
    let mut e = net_env();
    e.set("PYV_HTTP_RETRIES", "4294967296");
    assert_cli!(e.pyv(["update"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYV_HTTP_RETRIES="4294967296" is out of range; set it to a whole number of attempts from 0 to 10, or unset it
    "#);
}

/// A `.python-version` that is a link to itself: the hint names the loop, not disk space.
/// (Linux: the OS's own words and number are part of the line.)
#[cfg(target_os = "linux")]
#[test]
fn a_link_loop_is_named_as_such() {
    let e = TestEnv::new(Layout::Unix);
    std::os::unix::fs::symlink(".python-version", e.cwd.join(".python-version")).unwrap();
    assert_cli!(e.pyv(["version"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: [TMP]/my project/.python-version: Too many levels of symbolic links (os error 40); a symbolic link (or junction) in the path leads back to itself; fix or remove that link
    ");
}

/// An unknown PYENV_FORCE_ARCH stops every command that reads it, the shim included, instead
/// of being ignored; pyenv-win's aliases still work. (Unix layout; `Arch::from_env`'s unit
/// tests run under Wine too.)
#[cfg(unix)]
#[test]
fn unknown_forced_arch_is_an_error_for_pyv_and_the_shim() {
    let mut e = TestEnv::new(Layout::Unix);
    e.version("3.12.4");
    e.pyv(["global", "3.12.4"]);
    e.pyv(["rehash"]);
    e.set("PYENV_FORCE_ARCH", "foo");
    assert_cli!(e.pyv(["latest", "3.12"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYENV_FORCE_ARCH="foo" is not an architecture; set it to AMD64, X86 or ARM64, or unset it
    "#);
    assert_cli!(e.pyv(["version"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYENV_FORCE_ARCH="foo" is not an architecture; set it to AMD64, X86 or ARM64, or unset it
    "#);
    assert_cli!(e.run(&e.shim("python"), ["-V"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: PYENV_FORCE_ARCH="foo" is not an architecture; set it to AMD64, X86 or ARM64, or unset it
    "#);
    e.set("PYENV_FORCE_ARCH", "x64");
    assert_cli!(e.pyv(["latest", "3.12"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4
    ----- stderr -----
    ");
}

/// Runs `pyv <args>` in a folder 60 levels of 90-character names below the project folder
/// (over 5400 bytes, deeper than Linux's 4096-byte PATH_MAX), reached by relative `cd`
/// steps as a user gets there.
#[cfg(unix)]
fn pyv_deep_below(e: &TestEnv, args: &[&str]) -> pyv_tests::Output {
    let pyv = pyv_tests::bin("pyv");
    let script = format!(
        "d={}; n=0; while [ $n -lt 60 ]; do /bin/mkdir -p \"$d\" && cd -P \"$d\" || exit 90; n=$((n+1)); done; exec \"$0\" \"$@\"",
        "d".repeat(90)
    );
    let mut argv = vec!["-c".to_string(), script, pyv.display().to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    e.run(std::path::Path::new("/bin/sh"), argv)
}

#[cfg(unix)]
#[test]
fn a_folder_deeper_than_path_max_finds_the_version_file_above_it() {
    let e = TestEnv::new(Layout::Unix);
    e.version("3.12.4");
    e.pyv(["local", "3.12.4"]);
    assert_cli!(pyv_deep_below(&e, &["version"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4 (set by [TMP]/my project/.python-version)
    ----- stderr -----
    ");
    assert_cli!(pyv_deep_below(&e, &["local"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.4
    ----- stderr -----
    ");
}

/// `pyv update` against a loopback mirror whose index misbehaves as `misbehave`, without -v.
#[cfg(unix)]
fn update_against(misbehave: pyv_testserver::Misbehave) -> String {
    use pyv_testserver::{Fixture, Profile, Rule};
    const INDEX: &str = "/python/index-windows.json";
    let fixture = Fixture::new();
    let server = fixture.https(Profile::Good);
    server.set_rule(INDEX, Rule::always(misbehave));
    let ca_dir = tempfile::tempdir().unwrap();
    let ca = fixture.pki.write_root(ca_dir.path()).unwrap();
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", server.url("/python"))
        .set("PYV_HTTP_RETRIES", "0");
    e.pyv(["update", "--cacert", ca.to_str().unwrap()])
        .snapshot()
        .replace(&server.port().to_string(), "[PORT]")
}

#[cfg(unix)]
#[test]
fn a_redirect_loop_is_named_as_such() {
    let out = update_against(pyv_testserver::Misbehave::Redirect(
        "/python/index-windows.json".into(),
    ));
    insta::assert_snapshot!(out, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    ----- stderr -----
    pyv: could not read the version list from https://localhost:[PORT]/python (could not read index https://localhost:[PORT]/python/index-windows.json: too many redirects: localhost kept redirecting the request (a redirect loop, or more than 10 redirects) (https://localhost:[PORT]/python/index-windows.json); the server or a proxy in between is misconfigured; check the URL, or use another mirror (PYTHON_BUILD_MIRROR_URL); could not read https://localhost:[PORT]/python/: not found on the mirror: HTTP 404, the version or file is not on the mirror (https://localhost:[PORT]/python/); check the version with 'pyv install --list' and the mirror URL (PYTHON_BUILD_MIRROR_URL)); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run 'pyv update' again
    ");
}

#[cfg(unix)]
#[test]
fn oversized_response_headers_are_named_as_such() {
    let out = update_against(pyv_testserver::Misbehave::HugeHeader(1 << 20));
    insta::assert_snapshot!(out, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    ----- stderr -----
    pyv: could not read the version list from https://localhost:[PORT]/python (could not read index https://localhost:[PORT]/python/index-windows.json: response headers too large: localhost answered with response headers too large to accept (https://localhost:[PORT]/python/index-windows.json); the server or a proxy in between is misbehaving; retry later or use another mirror (PYTHON_BUILD_MIRROR_URL); could not read https://localhost:[PORT]/python/: not found on the mirror: HTTP 404, the version or file is not on the mirror (https://localhost:[PORT]/python/); check the version with 'pyv install --list' and the mirror URL (PYTHON_BUILD_MIRROR_URL)); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run 'pyv update' again
    ");
}
