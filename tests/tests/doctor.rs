//! `pyv doctor` end to end: PATH shadowing and store aliases, the TLS test against loopback
//! HTTPS servers (good, untrusted, expired, nothing listening, through a CONNECT proxy), CA
//! files and proxy settings, the JSON report, and `--fix-tls` off Windows. Nothing leaves
//! the machine: every mirror is 127.0.0.1 or a folder.
#![cfg(unix)]

use pyv_tests::{assert_cli, assert_filtered, fake_program, Layout, Output, TestEnv};
use pyv_testserver::{ConnectProxy, Fixture, Profile, Server};
use std::path::PathBuf;

struct Setup {
    e: TestEnv,
    fixture: Fixture,
    ca: PathBuf,
    _ca_dir: tempfile::TempDir,
}

/// A root whose shims folder is first on PATH, short network timeouts, and the fixture's root
/// CA written to a file (trusted only when a test passes it).
fn setup() -> Setup {
    let mut e = TestEnv::new(Layout::Windows);
    let shims = e.root.join("shims");
    std::fs::create_dir_all(&shims).unwrap();
    e.set(
        "PATH",
        format!("{}:/usr/bin/nonexistent-for-tests", shims.display()),
    );
    e.set("PYV_HTTP_TIMEOUT", "5");
    let fixture = Fixture::new();
    let ca_dir = tempfile::tempdir().unwrap();
    let ca = fixture.pki.write_root(ca_dir.path()).unwrap();
    e.redact(&ca, "[CA]");
    Setup {
        e,
        fixture,
        ca,
        _ca_dir: ca_dir,
    }
}

/// A folder mirror: no network at all, so only the other checks decide.
fn offline(e: &mut TestEnv) {
    let dir = e.tmp.join("mirror");
    std::fs::create_dir_all(&dir).unwrap();
    e.set("PYTHON_BUILD_MIRROR_URL", dir.display().to_string());
}

fn serve(s: &mut Setup, profile: Profile) -> Server {
    let server = s.fixture.https(profile);
    s.e.set("PYTHON_BUILD_MIRROR_URL", server.url("/ftp/python"));
    server
}

fn doctor(s: &Setup, extra: &[&str]) -> Output {
    let mut args = vec!["doctor"];
    args.extend_from_slice(extra);
    s.e.pyv(args)
}

fn with_ca<'a>(s: &'a Setup, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--cacert", s.ca.to_str().unwrap()];
    v.extend_from_slice(extra);
    v
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {out:?}"))
}

#[test]
fn healthy_setup_reports_every_section_and_exits_0() {
    let mut s = setup();
    let _server = serve(&mut s, Profile::Good);
    assert_cli!(doctor(&s, &with_ca(&s, &[])), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: https://localhost:[PORT]/ftp/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store, plus:
        [CA] (from --cacert): 1 certificate
      proxy: none (direct connection)
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  yes
        TLS 1.3  yes
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    No problems found.
    ----- stderr -----
    ");
}

#[test]
fn folders_before_the_shims_that_provide_python_are_problems() {
    let mut s = setup();
    offline(&mut s.e);
    let py = s.e.tmp.join("Python312");
    fake_program(&py.join("python.exe"), "3.12.0-system");
    fake_program(&py.join("Scripts").join("pip.exe"), "3.12.0-system");
    let shims = s.e.root.join("shims");
    s.e.set(
        "PATH",
        format!(
            "{}:{}:{}",
            py.display(),
            py.join("Scripts").display(),
            shims.display()
        ),
    );
    assert_cli!(doctor(&s, &[]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 3 of 3)
      problem: [TMP]/Python312 comes before the shims folder on PATH and provides [TMP]/Python312/python.exe, which run instead of pyv's shims
        fix: move [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims before it in PATH, or remove it from PATH (a Python installed for all users is in the system PATH, which Windows puts before the user PATH)
      problem: [TMP]/Python312/Scripts comes before the shims folder on PATH and provides [TMP]/Python312/Scripts/pip.exe, which run instead of pyv's shims
        fix: move [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims before it in PATH, or remove it from PATH (a Python installed for all users is in the system PATH, which Windows puts before the user PATH)

    Network
      mirror: [TMP]/mirror (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store
      proxy: none (direct connection)
      TLS test: skipped, the mirror is the folder [TMP]/mirror
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    2 problems, 0 warnings.
    ----- stderr -----
    ");

    // Moving the shims first fixes it.
    s.e.set("PATH", format!("{}:{}", shims.display(), py.display()));
    assert_cli!(doctor(&s, &[]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: [TMP]/mirror (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store
      proxy: none (direct connection)
      TLS test: skipped, the mirror is the folder [TMP]/mirror
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    No problems found.
    ----- stderr -----
    ");
}

#[test]
fn store_aliases_and_a_missing_shims_folder() {
    let mut s = setup();
    offline(&mut s.e);
    let store = s.e.tmp.join("AppData/Local/Microsoft/WindowsApps");
    for f in ["python.exe", "python3.exe", "winget.exe"] {
        fake_program(&store.join(f), "store");
    }
    let shims = s.e.root.join("shims");
    s.e.set("PATH", format!("{}:{}", store.display(), shims.display()));
    assert_cli!(doctor(&s, &[]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 2 of 2)
      problem: [TMP]/AppData/Local/Microsoft/WindowsApps comes before the shims folder on PATH and holds Microsoft Store app execution aliases ([TMP]/AppData/Local/Microsoft/WindowsApps/python.exe, [TMP]/AppData/Local/Microsoft/WindowsApps/python3.exe), which run instead of pyv's shims
        fix: turn off the python.exe and python3.exe entries under Settings > Apps > Advanced app settings > App execution aliases, or move this folder after the shims folder in PATH

    Network
      mirror: [TMP]/mirror (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store
      proxy: none (direct connection)
      TLS test: skipped, the mirror is the folder [TMP]/mirror
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    1 problem, 0 warnings.
    ----- stderr -----
    ");

    // Without the shims on PATH: one problem, and what runs instead.
    s.e.set("PATH", store.display().to_string());
    assert_cli!(doctor(&s, &[]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (not on PATH)
      'python' runs [TMP]/AppData/Local/Microsoft/WindowsApps/python.exe (a Microsoft Store alias)
      'python3' runs [TMP]/AppData/Local/Microsoft/WindowsApps/python3.exe (a Microsoft Store alias)
      problem: the shims folder [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims is not on PATH, so 'python' and 'pip' do not run the version pyv selects
        fix: add [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims and [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin to the front of your user PATH, then open a new terminal

    Network
      mirror: [TMP]/mirror (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store
      proxy: none (direct connection)
      TLS test: skipped, the mirror is the folder [TMP]/mirror
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    1 problem, 0 warnings.
    ----- stderr -----
    ");
}

#[test]
fn an_untrusted_mirror_certificate_fails_with_the_fix() {
    let mut s = setup();
    let _server = serve(&mut s, Profile::Good);
    // The fixture's CA is not given: the system store does not know it.
    assert_cli!(doctor(&s, &[]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: https://localhost:[PORT]/ftp/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store
      proxy: none (direct connection)
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  no (untrusted certificate)
        TLS 1.3  no (untrusted certificate)
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely
      problem: downloads from localhost:[PORT] cannot work: untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/)
        fix: if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    1 problem, 0 warnings.
    ----- stderr -----
    ");

    // The same CA through SSL_CERT_FILE is trusted.
    s.e.set("SSL_CERT_FILE", s.ca.display().to_string());
    assert_cli!(doctor(&s, &[]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: https://localhost:[PORT]/ftp/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store, plus:
        [CA] (from SSL_CERT_FILE): 1 certificate
      proxy: none (direct connection)
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  yes
        TLS 1.3  yes
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    No problems found.
    ----- stderr -----
    ");
}

#[test]
fn expired_certificate_points_at_the_clock_and_nothing_listening_fails() {
    let mut s = setup();
    let _server = serve(&mut s, Profile::Expired);
    assert_cli!(doctor(&s, &with_ca(&s, &[])), @"
    success: false
    exit_code: 1
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: https://localhost:[PORT]/ftp/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store, plus:
        [CA] (from --cacert): 1 certificate
      proxy: none (direct connection)
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  no (expired certificate)
        TLS 1.3  no (expired certificate)
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely
      problem: downloads from localhost:[PORT] cannot work: expired certificate: the certificate of localhost expired on [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/)
        fix: if the clock above is wrong, correct this computer's date and time; otherwise the server (or an HTTPS-inspecting proxy) must renew its certificate, or use another mirror (PYTHON_BUILD_MIRROR_URL)

    Clock
      local: [TIME]
      UTC:   [TIME]
      warning: the server's certificate is outside its validity dates by this computer's clock ([TIME])
        fix: if the date or time above is wrong, correct it; otherwise the server's certificate is at fault

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    1 problem, 1 warning.
    ----- stderr -----
    ");

    // A port nobody listens on: refused, quickly, for every version.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    s.e.set(
        "PYTHON_BUILD_MIRROR_URL",
        format!("https://localhost:{port}/ftp/python"),
    );
    assert_cli!(doctor(&s, &[]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: https://localhost:[PORT]/ftp/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store
      proxy: none (direct connection)
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (connection refused)
        TLS 1.1  no (connection refused)
        TLS 1.2  no (connection refused)
        TLS 1.3  no (connection refused)
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely
      problem: downloads from localhost:[PORT] cannot work: connection refused: nothing is listening at localhost:[PORT] (https://localhost:[PORT]/)
        fix: check the host and port in the URL (or the proxy address in HTTPS_PROXY)

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    1 problem, 0 warnings.
    ----- stderr -----
    ");
}

#[test]
fn proxy_in_effect_is_shown_without_its_password_and_used() {
    let mut s = setup();
    let _server = serve(&mut s, Profile::Good);
    let proxy = ConnectProxy::start(Some(("corp user", "p@ss:word")));
    let with_creds = proxy
        .url()
        .replacen("://", "://corp%20user:p%40ss%3Aword@", 1);
    s.e.set("HTTPS_PROXY", &with_creds)
        .set("NO_PROXY", "intranet.example");
    let out = doctor(&s, &with_ca(&s, &[]));
    // The snapshot shows no password either; this says why it matters.
    assert!(
        !out.stdout.contains("p@ss") && !out.stdout.contains("p%40ss"),
        "credentials are never printed: {out:?}"
    );
    assert_cli!(out, @"
    success: true
    exit_code: 0
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: https://localhost:[PORT]/ftp/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store, plus:
        [CA] (from --cacert): 1 certificate
      proxy for https: http://corp user:***@127.0.0.1:[PORT]
      proxy for the mirror: http://corp user:***@127.0.0.1:[PORT] (from HTTPS_PROXY)
      no proxy for: intranet.example
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  yes
        TLS 1.3  yes
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    No problems found.
    ----- stderr -----
    ");
    let connects = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "CONNECT" && r.status == 200)
        .count();
    assert_eq!(connects, 4, "one tunnel per TLS version tried");

    // Bypassed for the mirror's host: the proxy sees nothing more.
    s.e.set("NO_PROXY", "localhost");
    assert_cli!(doctor(&s, &with_ca(&s, &[])), @"
    success: true
    exit_code: 0
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: https://localhost:[PORT]/ftp/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store, plus:
        [CA] (from --cacert): 1 certificate
      proxy for https: http://corp user:***@127.0.0.1:[PORT]
      proxy for the mirror: none (from NO_PROXY)
      no proxy for: localhost
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  yes
        TLS 1.3  yes
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    No problems found.
    ----- stderr -----
    ");
    assert_eq!(proxy.requests().len(), 4);
}

#[test]
fn unusable_ca_file_and_bad_proxy_setting_are_problems() {
    let mut s = setup();
    let _server = serve(&mut s, Profile::Good);
    let bad = s.e.tmp.join("not a cert.pem");
    std::fs::write(&bad, "hello").unwrap();
    s.e.set("SSL_CERT_FILE", bad.display().to_string());
    assert_cli!(doctor(&s, &with_ca(&s, &[])), @"
    success: false
    exit_code: 1
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      mirror: https://localhost:[PORT]/ftp/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store, plus:
        [CA] (from --cacert): 1 certificate
        [TMP]/not a cert.pem (from SSL_CERT_FILE): unusable
      proxy: none (direct connection)
      TLS test: skipped, a CA certificate file is unusable (see above)
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely
      problem: CA certificate file '[TMP]/not a cert.pem' (from SSL_CERT_FILE): it is neither PEM nor a DER certificate; give a PEM file (one or more certificates) or a DER .cer file, or remove it from SSL_CERT_FILE
        fix: every download fails until this is fixed; remove the file from SSL_CERT_FILE or replace it

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    1 problem, 0 warnings.
    ----- stderr -----
    ");

    s.e.unset("SSL_CERT_FILE")
        .set("HTTPS_PROXY", "socks5://u:secret@proxy.example:1080");
    let out = doctor(&s, &[]);
    assert!(
        !out.stdout.contains("secret"),
        "credentials are never printed: {out:?}"
    );
    // No TLS handshake section: no probe with a broken proxy setting.
    assert_cli!(out, @"
    success: false
    exit_code: 1
    ----- stdout -----
    Root
      [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win (from PYENV_ROOT)
      settings: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-settings (none)

    PATH
      shims folder: [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (PATH entry 1 of 2)
      nothing before it provides python, python3 or pip

    Network
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely
      problem: invalid proxy setting HTTPS_PROXY='socks5://u:***@proxy.example:1080': the 'socks5' proxy scheme is not supported (use an http:// proxy); use http://[user:password@]host:port (percent-encode special characters)
        fix: correct the setting named above; the TLS test was skipped

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    1 problem, 0 warnings.
    ----- stderr -----
    ");
}

#[test]
fn missing_root_is_only_a_warning() {
    let mut s = setup();
    offline(&mut s.e);
    let root = s.e.tmp.join("nowhere").join("pyenv-win");
    s.e.set("PYENV_ROOT", root.display().to_string())
        .set("PATH", root.join("shims").display().to_string());
    assert_cli!(doctor(&s, &[]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    Root
      [TMP]/nowhere/pyenv-win (from PYENV_ROOT), missing
      settings: [TMP]/nowhere/pyenv-win/.pyv-settings (none)
      warning: the root folder [TMP]/nowhere/pyenv-win does not exist yet
        fix: 'pyv install <version>' creates it; if your versions are elsewhere, set PYENV_ROOT to that folder

    PATH
      shims folder: [TMP]/nowhere/pyenv-win/shims (PATH entry 1 of 1)
      nothing before it provides python, python3 or pip

    Network
      mirror: [TMP]/mirror (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store
      proxy: none (direct connection)
      TLS test: skipped, the mirror is the folder [TMP]/mirror
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    No problems found; 1 warning.
    ----- stderr -----
    ");
}

#[test]
fn json_report_has_the_same_facts() {
    let mut s = setup();
    let _server = serve(&mut s, Profile::Good);
    let out = doctor(&s, &with_ca(&s, &["--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["problems"], 0);
    assert_eq!(v["root"]["source"], "PYENV_ROOT");
    assert_eq!(v["root"]["exists"], true);
    assert_eq!(v["path"]["shims_position"], 0);
    assert_eq!(v["path"]["shadowing"], serde_json::json!([]));
    let net = &v["network"];
    assert_eq!(net["mirror_origin"], "PYTHON_BUILD_MIRROR_URL");
    assert_eq!(net["host"], "localhost");
    assert!(net["port"].as_u64().is_some_and(|p| p > 0), "{net}");
    assert_eq!(net["ca_files"][0]["origin"], "--cacert");
    assert_eq!(net["ca_files"][0]["certificates"], 1);
    assert_eq!(net["ca_files"][0]["error"], serde_json::Value::Null);
    assert_eq!(net["proxy"]["https"], serde_json::Value::Null);
    let versions: Vec<(String, bool)> = net["tls"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["version"].as_str().unwrap().to_string(), x["ok"] == true))
        .collect();
    assert_eq!(
        versions,
        [
            ("TLS 1.0".to_string(), false),
            ("TLS 1.1".to_string(), false),
            ("TLS 1.2".to_string(), true),
            ("TLS 1.3".to_string(), true),
        ]
    );
    assert_eq!(
        net["tls"]["versions"][0]["category"],
        "TLS protocol mismatch"
    );
    assert!(v["clock"]["unix"]
        .as_i64()
        .is_some_and(|t| t > 1_735_689_600));
    let utc = v["clock"]["utc"].as_str().unwrap();
    let utc_format = regex::Regex::new(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$").unwrap();
    assert!(utc_format.is_match(utc), "{utc}");
    assert_eq!(v["windows"], serde_json::Value::Null);
    assert_eq!(v["issues"], serde_json::json!([]));

    // Shadowed PATH: exit 1, and the issue in the JSON names the folder and file.
    let py = s.e.tmp.join("Python312");
    fake_program(&py.join("python.exe"), "3.12.0-system");
    s.e.set(
        "PATH",
        format!("{}:{}", py.display(), s.e.root.join("shims").display()),
    );
    let out = doctor(&s, &with_ca(&s, &["--json"]));
    assert_eq!(out.code, 1, "{out:?}");
    let v = json(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["problems"], 1);
    assert_eq!(v["path"]["shims_position"], 1);
    let sh = &v["path"]["shadowing"][0];
    assert_eq!(sh["command"], "python");
    assert_eq!(sh["dir"], py.display().to_string());
    assert_eq!(sh["file"], py.join("python.exe").display().to_string());
    assert_eq!(sh["store_alias"], false);
    // The issue's texts are those of the text report.
    let issues = serde_json::to_string_pretty(&v["issues"]).unwrap();
    assert_filtered!(out.filters(), issues, @r#"
    [
      {
        "fix": "move [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims before it in PATH, or remove it from PATH (a Python installed for all users is in the system PATH, which Windows puts before the user PATH)",
        "level": "problem",
        "message": "[TMP]/Python312 comes before the shims folder on PATH and provides [TMP]/Python312/python.exe, which run instead of pyv's shims",
        "section": "path"
      }
    ]
    "#);
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn fix_tls_off_windows_has_nothing_to_fix() {
    let s = setup();
    assert_cli!(doctor(&s, &["--fix-tls"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    Nothing to fix: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv.
    ----- stderr -----
    ");
    let out = doctor(&s, &["--fix-tls", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let v = json(&out);
    assert_eq!(v["applied"], false);
    assert_eq!(v["changes"], serde_json::json!([]));
    assert_filtered!(out.filters(), v["reason"].as_str().unwrap(), @"these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv");
}

#[test]
fn help_describes_doctor() {
    let s = setup();
    assert_cli!(s.e.pyv(["help", "doctor"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    Usage: pyv doctor [--json] [-v] [--cacert FILE]...
           pyv doctor --fix-tls [--json]

      --json       Print the report as JSON (for scripts)
      --cacert     Also trust the CA certificates in FILE for the TLS test (repeatable)
      -v, --verbose  Show the TLS library's words under each failed handshake
      --fix-tls    Windows: write Microsoft's KB3140245 registry values that let programs
                   using Windows' defaults (WinHTTP) use TLS 1.1/1.2; needs an elevated prompt

    Checks the root folder and where it came from; PATH (the shims folder must be on it,
    with no python, python3 or pip before it, Microsoft Store aliases included); the
    mirror (python.org or PYTHON_BUILD_MIRROR_URL): which TLS versions this computer
    negotiates with it, the extra CA certificates (--cacert, SSL_CERT_FILE, SSL_CERT_DIR,
    'pyv cacert') and the proxy in effect; the clock; and on Windows the SChannel and
    WinHTTP registry switches for TLS.

    pyv itself asks for TLS 1.2 explicitly, so the registry switches matter mostly for
    other programs (pyenv-win, PowerShell 5), and for pyv only when TLS 1.2 is switched off.

    Exits with status 1 when something pyv needs is broken.
    ----- stderr -----
    ");
}
