//! The system proxy end to end: settings as Windows would report them, standing in through
//! the debug builds' `PYV_TEST_SYSTEM_PROXY` (see pyv-net's `system_proxy::seam`), decide
//! whether `update`, `install` and `doctor` go through the project's CONNECT proxy to the
//! loopback HTTPS mirror, and doctor names who decided. The Windows side (the same settings
//! written to the registry of the Wine prefix) is `system_proxy_windows.rs`.
#![cfg(unix)]

use pyv_tests::mirror::Mirror;
use pyv_tests::{assert_cli, Layout, Output, TestEnv};
use pyv_testserver::ConnectProxy;

const SEAM: &str = "PYV_TEST_SYSTEM_PROXY";

/// The seam exists in debug builds of pyv only.
fn seam_available() -> bool {
    let built_in = cfg!(debug_assertions) && std::env::var_os("PYV_TEST_BINARIES").is_none();
    if !built_in {
        eprintln!("SKIP: {SEAM} exists in debug builds of pyv only (PYV_TEST_BINARIES is set, or a release test build)");
    }
    built_in
}

/// The https mirror every test here uses.
fn mirror() -> Mirror {
    pyv_tests::mirror::mirror(true)
}

fn ca(m: &Mirror) -> &std::path::Path {
    m.ca.as_deref().expect("an https mirror has a CA file")
}

fn env_for(m: &Mirror) -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", m.server.url("/python"));
    e.set("PYV_HTTP_TIMEOUT", "5").set("PYV_HTTP_RETRIES", "0");
    e.redact(ca(m), "[CA]");
    e
}

fn with_ca(e: &TestEnv, m: &Mirror, args: &[&str]) -> Output {
    let mut v: Vec<&str> = args.to_vec();
    v.extend(["--cacert", ca(m).to_str().unwrap()]);
    e.pyv(v)
}

/// `host:port` of the proxy, as Windows' settings write it (no scheme).
fn host_port(p: &ConnectProxy) -> String {
    p.url().trim_start_matches("http://").to_string()
}

fn tunnels(p: &ConnectProxy) -> usize {
    p.requests()
        .iter()
        .filter(|r| r.method == "CONNECT" && r.status == 200)
        .count()
}

#[test]
fn update_and_install_go_through_the_per_protocol_system_proxy() {
    if !seam_available() {
        return;
    }
    let m = mirror();
    let mut e = env_for(&m);
    let proxy = ConnectProxy::start(None);
    // The https entry serves https URLs; <-loopback> lets the loopback mirror use the proxy
    // (Windows sends loopback direct otherwise). Not <local>: `localhost` has no period.
    e.set(
        SEAM,
        format!(
            "server=http=127.0.0.1:9;https={}|bypass=*.corp.example;10.*;<-loopback>",
            host_port(&proxy)
        ),
    );
    assert_cli!(with_ca(&e, &m, &["update"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Info] ::  1072 versions known, 1 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    ----- stderr -----
    ");
    let after_update = tunnels(&proxy);
    assert!(after_update >= 1, "update went through the proxy");
    assert_cli!(with_ca(&e, &m, &["install", "3.12.99"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    ");
    assert!(
        tunnels(&proxy) > after_update,
        "install went through the proxy"
    );
    assert!(proxy
        .requests()
        .iter()
        .all(|r| r.target.starts_with("localhost:")));
}

#[test]
fn loopback_and_the_bypass_list_go_direct() {
    if !seam_available() {
        return;
    }
    let m = mirror();
    let mut e = env_for(&m);
    let proxy = ConnectProxy::start(None);
    for bypass in [
        "",
        "|bypass=<-loopback>;localhost",
        "|bypass=<-loopback>;local*",
        "|bypass=<-loopback>;<local>",
    ] {
        e.set(SEAM, format!("server={}{bypass}", host_port(&proxy)));
        let out = with_ca(&e, &m, &["update"]);
        assert_eq!(out.code, 0, "{bypass}: {out:?}");
    }
    assert_eq!(proxy.requests().len(), 0, "the proxy saw nothing");
}

#[test]
fn a_pac_answer_is_used_and_a_failed_script_falls_back_to_the_static_settings() {
    if !seam_available() {
        return;
    }
    let m = mirror();
    let mut e = env_for(&m);
    let proxy = ConnectProxy::start(None);
    // The script's answer (what WinHTTP returns for `PROXY 127.0.0.1:port`) wins over a
    // static proxy that would fail.
    e.set(
        SEAM,
        format!(
            "pac=http://wpad.corp.example/proxy.pac|answer={}|server=127.0.0.1:9|bypass=<-loopback>",
            host_port(&proxy)
        ),
    );
    assert_eq!(with_ca(&e, &m, &["update"]).code, 0);
    assert!(tunnels(&proxy) >= 1, "went through the PAC script's proxy");
    let mirror_decision = |e: &TestEnv| {
        let out = with_ca(e, &m, &["doctor", "--json"]);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        v["network"]["proxy"]["mirror"].clone()
    };
    assert_eq!(
        mirror_decision(&e),
        serde_json::json!({"proxy": proxy.url(), "from": "PAC http://wpad.corp.example/proxy.pac"})
    );
    e.set(SEAM, format!("detect=1|answer=PROXY {}", host_port(&proxy)));
    assert_eq!(
        mirror_decision(&e),
        serde_json::json!({"proxy": proxy.url(), "from": "WPAD"})
    );
    e.set(
        SEAM,
        "detect=1|answer=DIRECT|server=127.0.0.1:9|bypass=<-loopback>",
    );
    assert_eq!(
        mirror_decision(&e),
        serde_json::json!({"proxy": null, "from": "WPAD"})
    );
    // WPAD finds nothing: the static settings apply.
    let before = tunnels(&proxy);
    e.set(
        SEAM,
        format!("detect=1|server={}|bypass=<-loopback>", host_port(&proxy)),
    );
    assert_eq!(with_ca(&e, &m, &["update"]).code, 0);
    assert!(tunnels(&proxy) > before, "went through the static proxy");
}

#[test]
fn proxy_variables_win_over_the_system_settings() {
    if !seam_available() {
        return;
    }
    let m = mirror();
    let mut e = env_for(&m);
    let env_proxy = ConnectProxy::start(None);
    let system = ConnectProxy::start(None);
    e.set(
        SEAM,
        format!("server={}|bypass=<-loopback>", host_port(&system)),
    );
    e.set("HTTPS_PROXY", env_proxy.url());
    assert_eq!(with_ca(&e, &m, &["update"]).code, 0);
    assert!(tunnels(&env_proxy) >= 1);
    assert_eq!(system.requests().len(), 0, "the system proxy is not asked");
}

#[test]
fn doctor_shows_the_settings_and_who_decided_for_the_mirror() {
    if !seam_available() {
        return;
    }
    let m = mirror();
    let mut e = env_for(&m);
    let shims = e.root.join("shims");
    std::fs::create_dir_all(&shims).unwrap();
    e.set(
        "PATH",
        format!("{}:/usr/bin/nonexistent-for-tests", shims.display()),
    );
    let proxy = ConnectProxy::start(None);
    e.set(
        SEAM,
        format!(
            "detect=1|pac=http://127.0.0.1:9/proxy.pac|server=http=127.0.0.1:9;https={};socks=s:1080|bypass=*.corp.example;<-loopback>",
            host_port(&proxy)
        ),
    );
    let out = with_ca(&e, &m, &["doctor"]);
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
      mirror: https://localhost:[PORT]/python (from PYTHON_BUILD_MIRROR_URL)
      trusted CAs: the system's CA store, plus:
        [CA] (from --cacert): 1 certificate
      Windows proxy settings (Internet Options):
        automatically detect settings (WPAD): on
        setup script (PAC): http://127.0.0.1:[PORT]/proxy.pac
        proxy server: http=127.0.0.1:[PORT];https=127.0.0.1:[PORT];socks=s:1080
        bypass: *.corp.example;<-loopback>
      proxy for the mirror: http://127.0.0.1:[PORT] (from system settings (Internet Options))
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  yes
        TLS 1.3  yes
      note: pyv asks the TLS library for TLS 1.2 or newer explicitly, so Windows 7's default of TLS 1.0 for programs that take Windows' defaults (WinHTTP: pyenv-win, PowerShell 5) does not apply to it; the Windows registry switches below matter to those programs, and to pyv only when TLS 1.2 is switched off entirely
      warning: the system proxy setting socks=s:1080 (pyv cannot use SOCKS proxies; set HTTPS_PROXY to an HTTP proxy) is not used
        fix: if downloads fail, set HTTPS_PROXY=http://proxy:port (ask IT for the proxy address)
      warning: automatic proxy configuration gave no answer (PAC http://127.0.0.1:[PORT]/proxy.pac: the script could not be downloaded); pyv used the static proxy settings
        fix: if downloads fail, check the proxy script address in Windows' proxy settings, or set HTTPS_PROXY=http://proxy:port (ask IT for the proxy address)

    Clock
      local: [TIME]
      UTC:   [TIME]

    Windows TLS settings
      not applicable: these switches exist only on Windows; here pyv uses OpenSSL, whose TLS versions are not configured through pyv

    No problems found; 2 warnings.
    ----- stderr -----
    ");
    assert_eq!(
        tunnels(&proxy),
        4,
        "the probe's four handshakes went through the proxy"
    );

    // Bypassed: the mirror is direct, and doctor says who decided.
    e.set(SEAM, format!("server={}", host_port(&proxy)));
    let out = with_ca(&e, &m, &["doctor", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        v["network"]["proxy"]["mirror"],
        serde_json::json!({"proxy": null, "from": "system settings (Internet Options)"})
    );
    assert_eq!(
        v["network"]["proxy"]["system"]["server"],
        serde_json::json!(host_port(&proxy))
    );
    assert_eq!(tunnels(&proxy), 4, "nothing more through the proxy");
}
