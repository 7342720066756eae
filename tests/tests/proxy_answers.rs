//! A proxy's own answers are named as the proxy's, not blamed on the mirror: real squid
//! (403 by policy, 503 for an upstream it cannot reach, 407 with Basic credentials checked by
//! `basic_ncsa_auth`), pyv-testserver as a proxy whose 502 reports a TLS verdict, a proxy
//! that is not running, an https download redirected to plain http, a plain-http mirror, and
//! a cut download followed by a refused proxy. Everything on 127.0.0.1.
//!
//! The squid tests SKIP, saying why, where /usr/sbin/squid (Debian `squid`) or `openssl`
//! (for the htpasswd file) is missing; `.ci/run` installs both.
#![cfg(unix)]

use pyv_tests::mirror::{mirror, runtime_zip, Mirror, ZIP_PATH};
use pyv_tests::{assert_cli, Layout, TestEnv};
use pyv_testserver::{ConnectProxy, Misbehave, Refusal, Rule, Server};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A root whose catalog is up to date (read directly, without a proxy), trusting the
/// mirror's CA through SSL_CERT_FILE, with no retries unless a test asks.
fn updated_env(m: &Mirror) -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", m.server.url("/python"));
    e.set("PYV_HTTP_TIMEOUT", "5").set("PYV_HTTP_RETRIES", "0");
    if let Some(ca) = &m.ca {
        e.set("SSL_CERT_FILE", ca.to_str().unwrap());
    }
    let out = e.pyv(["update"]);
    assert_eq!(out.code, 0, "{out:?}");
    e
}

/// A loopback port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A squid on a free loopback port, configured in its own temp dir; killed when dropped.
struct Squid {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Squid {
    /// `None` (after printing why) when squid or openssl is missing.
    fn start(rules: &str, basic_user: Option<(&str, &str)>) -> Option<Squid> {
        let squid = Path::new("/usr/sbin/squid");
        if !squid.is_file() {
            eprintln!("SKIP: /usr/sbin/squid is missing (Debian package squid)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        // Started as root, squid drops to its own user, which must write its logs here.
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o777),
        )
        .unwrap();
        let mut auth = String::new();
        if let Some((user, password)) = basic_user {
            let hash = Command::new("openssl")
                .args(["passwd", "-apr1", password])
                .output();
            let Ok(hash) = hash.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            else {
                eprintln!("SKIP: openssl is missing (needed for squid's htpasswd file)");
                return None;
            };
            let passwd = dir.path().join("passwd");
            std::fs::write(&passwd, format!("{user}:{hash}\n")).unwrap();
            auth = format!(
                "auth_param basic program /usr/lib/squid/basic_ncsa_auth {}\nauth_param basic realm pyv-test\nacl authed proxy_auth REQUIRED\nhttp_access deny !authed\n",
                passwd.display()
            );
        }
        let port = closed_port();
        let d = dir.path().display();
        let conf = format!(
            "http_port 127.0.0.1:{port}\npid_filename {d}/squid.pid\ncache_log {d}/cache.log\naccess_log stdio:{d}/access.log\ncoredump_dir {d}\ncache deny all\ncache_mem 1 MB\nshutdown_lifetime 0 seconds\npinger_enable off\n{auth}{rules}\nhttp_access allow all\n"
        );
        std::fs::write(dir.path().join("squid.conf"), conf).unwrap();
        let child = Command::new(squid)
            .arg("-N")
            .arg("-f")
            .arg(dir.path().join("squid.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let s = Squid { child, port, dir };
        // Ready when it accepts connections (a deadline for start-up, not an assertion).
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "squid did not start: {}",
                std::fs::read_to_string(s.dir.path().join("cache.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(s)
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Squid {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn squid_refusing_by_policy_and_failing_upstream_is_named_as_the_proxy() {
    let m = mirror(true);
    let mut e = updated_env(&m);
    let rules = format!(
        "acl mirror_port port {}\nhttp_access deny CONNECT mirror_port\n",
        m.server.port()
    );
    let Some(squid) = Squid::start(&rules, None) else {
        return;
    };
    e.set("HTTPS_PROXY", squid.url());
    assert_cli!(e.pyv(["install", "3.12.99"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy error: the proxy http://127.0.0.1:[PORT] refused to connect to localhost:[PORT] (HTTP 403 Forbidden: "Access Denied.") (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); the proxy's rules do not allow localhost: ask the proxy's administrator to allow it, or, if localhost can be reached without the proxy, add it to NO_PROXY
    "#);

    // The upstream refuses (an address, so that squid tries exactly one): squid's 503 (a transient failure, retried when retries are
    // allowed; see a_proxys_tls_verdict_is_not_retried_and_its_plain_502_is), named.
    e.set(
        "PYTHON_BUILD_MIRROR_URL",
        format!("https://127.0.0.1:{}/python", closed_port()),
    );
    assert_cli!(e.pyv(["install", "3.12.99"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://127.0.0.1:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy error: the proxy http://127.0.0.1:[PORT] could not reach 127.0.0.1:[PORT] (HTTP 503 Service Unavailable: "Connection to 127.0.0.1 failed.") (https://127.0.0.1:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); the mirror is down or blocked beyond the proxy; retry later, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    "#);
}

#[test]
fn squid_demanding_basic_credentials_is_named_as_the_proxy() {
    let m = mirror(true);
    let mut e = updated_env(&m);
    let Some(squid) = Squid::start("", Some(("jane", "s3cret"))) else {
        return;
    };
    e.set("HTTPS_PROXY", squid.url());
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] requires credentials (HTTP 407; it offers Basic) and none were given (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); put them in the proxy URL: HTTPS_PROXY=http://user:password@host:port (percent-encode special characters, e.g. @ as %40)
    ");
    e.set(
        "HTTPS_PROXY",
        squid.url().replacen("://", "://jane:wrong@", 1),
    );
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] refused the credentials of 'jane' (Basic, HTTP 407) (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); check the user name and password in HTTPS_PROXY (a domain account is DOMAIN%5Cuser; percent-encode special characters, e.g. @ as %40)
    ");
    e.set(
        "HTTPS_PROXY",
        squid.url().replacen("://", "://jane:s3cret@", 1),
    );
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    ");
}

/// A plain-http mirror through squid as a forwarding proxy (HTTP_PROXY): squid's own error
/// pages (marked by its X-Squid-Error header) are the proxy's; the 407 keeps its schemes.
#[test]
fn squid_forwarding_plain_http_answers_are_named_as_the_proxy() {
    let m = mirror(false);
    let mut e = updated_env(&m);
    let rules = format!(
        "acl mirror_port port {}\nhttp_access deny mirror_port\n",
        m.server.port()
    );
    let Some(squid) = Squid::start(&rules, None) else {
        return;
    };
    e.set("HTTP_PROXY", squid.url());
    assert_cli!(e.pyv(["install", "3.12.99"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: http://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: warning: the mirror http://localhost:[PORT]/python (from PYTHON_BUILD_MIRROR_URL) is plain http: its index, its checksums and its files cannot be authenticated, so an altered download would go unnoticed; use an https:// mirror if there is one
    pyv: couldn't install 3.12.99: proxy error: the proxy http://127.0.0.1:[PORT] refused to connect to localhost:[PORT] (HTTP 403 Forbidden: "Access Denied.") (http://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); the proxy's rules do not allow localhost: ask the proxy's administrator to allow it, or, if localhost can be reached without the proxy, add it to NO_PROXY
    "#);
    e.set(
        "PYTHON_BUILD_MIRROR_URL",
        format!("http://127.0.0.1:{}/python", closed_port()),
    );
    assert_cli!(e.pyv(["install", "3.12.99"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: http://127.0.0.1:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: warning: the mirror http://127.0.0.1:[PORT]/python (from PYTHON_BUILD_MIRROR_URL) is plain http: its index, its checksums and its files cannot be authenticated, so an altered download would go unnoticed; use an https:// mirror if there is one
    pyv: couldn't install 3.12.99: proxy error: the proxy http://127.0.0.1:[PORT] could not reach 127.0.0.1:[PORT] (HTTP 503 Service Unavailable: "Connection to 127.0.0.1 failed.") (http://127.0.0.1:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); the mirror is down or blocked beyond the proxy; retry later, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    "#);
    let Some(auth) = Squid::start("", Some(("jane", "s3cret"))) else {
        return;
    };
    e.set("PYTHON_BUILD_MIRROR_URL", m.server.url("/python"))
        .set("HTTP_PROXY", auth.url());
    let out = e.pyv(["install", "3.12.99", "-v"]);
    let offers: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("proxy offers") || l.contains("proxy answered"))
        .collect();
    assert_eq!(
        offers,
        [
            "  proxy answered: HTTP 407 Proxy Authentication Required",
            "  proxy offers: Basic"
        ],
        "{out:?}"
    );
    assert!(m.server.requests().iter().all(|r| r.target != ZIP_PATH));
}

#[test]
fn a_proxys_tls_verdict_is_not_retried_and_its_plain_502_is() {
    let m = mirror(true);
    let mut e = updated_env(&m);
    e.set("PYV_HTTP_RETRIES", "3");
    let proxy = ConnectProxy::refusing(Refusal {
        status_line: "502 Bad Gateway".into(),
        content_type: "text/plain".into(),
        body: "Certificate verify failed: certificate has expired\n".into(),
    });
    e.set("HTTPS_PROXY", proxy.url());
    assert_cli!(e.pyv(["install", "3.12.99"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy error: the proxy http://127.0.0.1:[PORT] inspects HTTPS and rejected the certificate of localhost (HTTP 502 Bad Gateway: "Certificate verify failed: certificate has expired") (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); the mirror's certificate is refused by the proxy, not by pyv: retrying will not help; ask IT to check the proxy's verdict on localhost, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    "#);
    // The failed tunnel, then the one diagnostic CONNECT that read the answer: no retries.
    assert_eq!(proxy.requests().len(), 2);

    let proxy = ConnectProxy::refusing(Refusal {
        status_line: "502 Bad Gateway".into(),
        content_type: "text/html".into(),
        body: "<html><head><title>502</title></head><body><h1>Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>".into(),
    });
    e.set("HTTPS_PROXY", proxy.url())
        .set("PYV_HTTP_RETRIES", "1");
    assert_cli!(e.pyv(["install", "3.12.99"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy error: the proxy http://127.0.0.1:[PORT] could not reach localhost:[PORT] (HTTP 502 Bad Gateway: "The upstream server did not answer.") (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); the mirror is down or blocked beyond the proxy; retry later, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    "#);
    assert_eq!(proxy.requests().len(), 4, "two attempts, each diagnosed");
}

#[test]
fn a_cut_download_says_what_is_kept_and_a_dead_proxy_is_named() {
    let m = mirror(true);
    let mut e = updated_env(&m);
    m.server
        .set_rule(ZIP_PATH, Rule::first(1, Misbehave::CutAfter(20_000)));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: connection lost: the connection to localhost broke during the transfer (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); 19.5 KiB already downloaded is kept in install_cache: run the same command again to resume
    ");
    e.set("HTTPS_PROXY", format!("http://127.0.0.1:{}", closed_port()));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: connection refused: nothing is listening at the proxy http://127.0.0.1:[PORT] (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); check the proxy address in HTTPS_PROXY (or ALL_PROXY) and that the proxy is running; 19.5 KiB already downloaded is kept in install_cache, and the same command resumes it
    ");
    e.unset("HTTPS_PROXY");
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    ");
    let ranges: Vec<Option<String>> = m
        .server
        .requests()
        .into_iter()
        .filter(|r| r.target == ZIP_PATH)
        .map(|r| r.range)
        .collect();
    assert_eq!(ranges, [None, Some("bytes=20000-".to_string())]);
}

#[test]
fn an_https_download_redirected_to_plain_http_is_refused() {
    let m = mirror(true);
    let e = updated_env(&m);
    let plain = Server::http();
    plain.add_file(ZIP_PATH, runtime_zip());
    m.server.set_rule(
        ZIP_PATH,
        Rule::always(Misbehave::Redirect(plain.url(ZIP_PATH))),
    );
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: insecure redirect: https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip redirected to http://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip, a plain-http address, which pyv does not follow from https (what arrives could have been altered on the way) (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); the server (or a proxy in between) is misconfigured; ask its operator to keep https, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    assert!(
        plain.requests().is_empty(),
        "nothing was asked over plain http"
    );
}

#[test]
fn a_plain_http_mirror_set_on_purpose_works_and_warns_once() {
    let m = mirror(false);
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", m.server.url("/python"));
    assert_cli!(e.pyv(["update"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: http://localhost:[PORT]/python
    :: [Info] ::  1072 versions known, 1 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    ----- stderr -----
    pyv: warning: the mirror http://localhost:[PORT]/python (from PYTHON_BUILD_MIRROR_URL) is plain http: its index, its checksums and its files cannot be authenticated, so an altered download would go unnoticed; use an https:// mirror if there is one
    ");
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: http://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    pyv: warning: the mirror http://localhost:[PORT]/python (from PYTHON_BUILD_MIRROR_URL) is plain http: its index, its checksums and its files cannot be authenticated, so an altered download would go unnoticed; use an https:// mirror if there is one
    ");
}

#[test]
fn special_characters_in_the_proxy_password_are_explained() {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("HTTPS_PROXY", "http://jane:pa/ss@proxy.example:3128");
    assert_cli!(e.pyv(["update"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: invalid proxy setting HTTPS_PROXY='http://jane:***@proxy.example:3128': the user name or password holds an unencoded '/', which ends the address part of a URL; percent-encode it (@ as %40, : as %3A, / as %2F, # as %23, ? as %3F, % as %25); use http://[user:password@]host:port (percent-encode special characters)
    ");
}
