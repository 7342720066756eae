//! Who issued a certificate that does not lead to a trusted root, as `install`, `update` and
//! `doctor` say it: the same words in all three. Cases: an intercepting proxy re-signing
//! with its own root (as mitmproxy does), the same product without a proxy configured, a
//! mirror that omits its intermediate with a reachable and a dead AIA address, a
//! self-signed mirror and a private CA. Loopback only; verification is never turned off.
#![cfg(unix)]

use pyv_tests::{assert_cli, assert_filtered, Layout, Output, TestEnv};
use pyv_testserver::{ConnectProxy, Fixture, Interception, Profile, Server};
use std::path::PathBuf;

const ZIP_PATH: &str = "/python/3.12.99/python-3.12.99-amd64.zip";

/// The three commands' outputs for one broken set-up.
struct Runs {
    install: Output,
    update: Output,
    doctor: Output,
}

/// A python.org-shaped mirror of one zip (hash in the index) on `server`.
fn serve_mirror(server: &Server) {
    let zip = b"not a real zip: never downloaded in these tests".to_vec();
    let index = r#"{"versions": [{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
        "tag": "3.12-64", "install-for": ["3.12.99-64"], "display-name": "Python 3.12.99", "executable": ".\\python.exe",
        "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip"}]}"#;
    server.add_file("/python/index-windows.json", index);
    server.add_file(
        "/python/",
        "<html><body><pre><a href=\"3.12.99/\">3.12.99/</a>\n</pre></body></html>",
    );
    server.add_file(ZIP_PATH, zip);
}

/// Updates from a good mirror, then points the root at a mirror of `profile` (through
/// `proxy` if given) and runs install, update and doctor there, trusting the fixture's
/// root when `trust_root`.
fn run(f: &Fixture, profile: Profile, trust_root: bool, proxy: Option<&str>) -> Runs {
    let good = f.https(Profile::Good);
    serve_mirror(&good);
    let ca_dir = tempfile::tempdir().unwrap();
    let ca: PathBuf = f.pki.write_root(ca_dir.path()).unwrap();
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", good.url("/python"));
    e.set("PYV_HTTP_TIMEOUT", "5").set("PYV_HTTP_RETRIES", "1");
    e.redact(&ca, "[CA]");
    let ca_arg = ca.to_str().unwrap();
    let out = e.pyv(["update", "--cacert", ca_arg]);
    assert_eq!(out.code, 0, "{out:?}");

    let bad = f.https(profile);
    serve_mirror(&bad);
    e.set("PYTHON_BUILD_MIRROR_URL", bad.url("/python"));
    if let Some(p) = proxy {
        e.set("HTTPS_PROXY", p);
    }
    let with = |args: &[&'static str]| {
        let mut v: Vec<&str> = args.to_vec();
        if trust_root {
            v.extend(["--cacert", ca_arg]);
        }
        e.pyv(v)
    };
    let runs = Runs {
        install: with(&["install", "3.12.99"]),
        update: with(&["update"]),
        doctor: with(&["doctor"]),
    };
    assert!(
        bad.requests().is_empty(),
        "no request reached the mirror: {:?}",
        bad.requests()
    );
    assert!(!e.root.join("versions/3.12.99").exists());
    runs
}

/// doctor's TLS test and its network problem, with the exit code: the part these cases
/// change (the rest of the report is covered by doctor.rs).
fn tls_part(out: &Output) -> String {
    let mut lines = vec![format!("exit_code: {}", out.code)];
    let mut on = false;
    for l in out.stdout.lines() {
        if l.starts_with("  TLS handshake with") {
            on = true;
        }
        if on && l.is_empty() {
            break;
        }
        if on && !l.starts_with("  note:") {
            lines.push(l.to_string());
        }
    }
    lines.join("\n")
}

fn intercepting(f: &Fixture) -> ConnectProxy {
    ConnectProxy::intercepting(Interception {
        root: f.pki.inspection.clone(),
        upstream_trust_pem: f.pki.root_pem.clone(),
    })
}

#[test]
fn interception_through_the_proxy_in_effect() {
    let f = Fixture::new();
    let proxy = intercepting(&f);
    let r = run(&f, Profile::Good, true, Some(&proxy.url()));
    assert_cli!(r.install, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: HTTPS inspection: the certificate localhost presented through the proxy http://127.0.0.1:[PORT] was issued by 'CN=pyv-test-inspection, O=pyv-test-inspection', which this computer does not trust: the proxy (or a security product behind it) re-signs HTTPS (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if that CA is your mirror's own instead, trust its root the same way
    ");
    assert_cli!(r.update, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    ----- stderr -----
    pyv: could not read the version list from https://localhost:[PORT]/python (could not read index https://localhost:[PORT]/python/index-windows.json: HTTPS inspection: the certificate localhost presented through the proxy http://127.0.0.1:[PORT] was issued by 'CN=pyv-test-inspection, O=pyv-test-inspection', which this computer does not trust: the proxy (or a security product behind it) re-signs HTTPS (https://localhost:[PORT]/python/index-windows.json); ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if that CA is your mirror's own instead, trust its root the same way; could not read https://localhost:[PORT]/python/: the same failure (HTTPS inspection)); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run 'pyv update' again
    ");
    assert_filtered!(r.doctor.filters(), tls_part(&r.doctor), @"
    exit_code: 1
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  no (HTTPS inspection)
        TLS 1.3  no (HTTPS inspection)
      problem: downloads from localhost:[PORT] cannot work: HTTPS inspection: the certificate localhost presented through the proxy http://127.0.0.1:[PORT] was issued by 'CN=pyv-test-inspection, O=pyv-test-inspection', which this computer does not trust: the proxy (or a security product behind it) re-signs HTTPS (https://localhost:[PORT]/)
        fix: ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if that CA is your mirror's own instead, trust its root the same way
    ");
}

#[test]
fn interception_without_a_proxy_names_the_issuer() {
    let f = Fixture::new();
    let r = run(&f, Profile::Inspected, true, None);
    assert_cli!(r.install, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: HTTPS inspection: the certificate of localhost was issued by 'CN=pyv-test-inspection, O=pyv-test-inspection', an HTTPS-inspection product's CA, not one localhost would use: a proxy, firewall or antivirus on this network re-signs HTTPS (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on)
    ");
    assert_cli!(r.update, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    ----- stderr -----
    pyv: could not read the version list from https://localhost:[PORT]/python (could not read index https://localhost:[PORT]/python/index-windows.json: HTTPS inspection: the certificate of localhost was issued by 'CN=pyv-test-inspection, O=pyv-test-inspection', an HTTPS-inspection product's CA, not one localhost would use: a proxy, firewall or antivirus on this network re-signs HTTPS (https://localhost:[PORT]/python/index-windows.json); ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); could not read https://localhost:[PORT]/python/: the same failure (HTTPS inspection)); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run 'pyv update' again
    ");
    assert_filtered!(r.doctor.filters(), tls_part(&r.doctor), @"
    exit_code: 1
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  no (HTTPS inspection)
        TLS 1.3  no (HTTPS inspection)
      problem: downloads from localhost:[PORT] cannot work: HTTPS inspection: the certificate of localhost was issued by 'CN=pyv-test-inspection, O=pyv-test-inspection', an HTTPS-inspection product's CA, not one localhost would use: a proxy, firewall or antivirus on this network re-signs HTTPS (https://localhost:[PORT]/)
        fix: ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on)
    ");
}

#[test]
fn missing_intermediate_confirmed_through_aia() {
    let f = Fixture::new();
    let r = run(&f, Profile::MissingIntermediateAia, true, None);
    assert_cli!(r.install, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: incomplete certificate chain: localhost sent its certificate without the intermediate certificate 'CN=pyv test intermediate CA [ID], O=pyv tests' that links it to a trusted root; that certificate, fetched from http://127.0.0.1:[PORT]/aia/intermediate.der as browsers do, is signed by the trusted root 'CN=pyv test root CA, O=pyv tests' (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); the server is misconfigured: ask its operator to send the full chain (pyv does not complete it; verification stays on), or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    assert_cli!(r.update, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    ----- stderr -----
    pyv: could not read the version list from https://localhost:[PORT]/python (could not read index https://localhost:[PORT]/python/index-windows.json: incomplete certificate chain: localhost sent its certificate without the intermediate certificate 'CN=pyv test intermediate CA [ID], O=pyv tests' that links it to a trusted root; that certificate, fetched from http://127.0.0.1:[PORT]/aia/intermediate.der as browsers do, is signed by the trusted root 'CN=pyv test root CA, O=pyv tests' (https://localhost:[PORT]/python/index-windows.json); the server is misconfigured: ask its operator to send the full chain (pyv does not complete it; verification stays on), or use another mirror (PYTHON_BUILD_MIRROR_URL); could not read https://localhost:[PORT]/python/: the same failure (incomplete certificate chain)); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run 'pyv update' again
    ");
    assert_filtered!(r.doctor.filters(), tls_part(&r.doctor), @"
    exit_code: 1
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  no (incomplete certificate chain)
        TLS 1.3  no (incomplete certificate chain)
      problem: downloads from localhost:[PORT] cannot work: incomplete certificate chain: localhost sent its certificate without the intermediate certificate 'CN=pyv test intermediate CA [ID], O=pyv tests' that links it to a trusted root; that certificate, fetched from http://127.0.0.1:[PORT]/aia/intermediate.der as browsers do, is signed by the trusted root 'CN=pyv test root CA, O=pyv tests' (https://localhost:[PORT]/)
        fix: the server is misconfigured: ask its operator to send the full chain (pyv does not complete it; verification stays on), or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
}

#[test]
fn missing_intermediate_with_a_dead_aia_address() {
    let f = Fixture::new();
    let r = run(&f, Profile::MissingIntermediateDeadAia, true, None);
    assert_cli!(r.install, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: incomplete certificate chain: localhost sent only its certificate, issued by 'CN=pyv test intermediate CA [ID], O=pyv tests', without an intermediate certificate linking it to a trusted root (its issuer could not be fetched from http://127.0.0.1:[PORT]/aia/gone.der: HTTP 404) (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); if that CA is your organisation's, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise the server is misconfigured: ask its operator to send the full chain, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    assert_cli!(r.update, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    ----- stderr -----
    pyv: could not read the version list from https://localhost:[PORT]/python (could not read index https://localhost:[PORT]/python/index-windows.json: incomplete certificate chain: localhost sent only its certificate, issued by 'CN=pyv test intermediate CA [ID], O=pyv tests', without an intermediate certificate linking it to a trusted root (its issuer could not be fetched from http://127.0.0.1:[PORT]/aia/gone.der: HTTP 404) (https://localhost:[PORT]/python/index-windows.json); if that CA is your organisation's, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise the server is misconfigured: ask its operator to send the full chain, or use another mirror (PYTHON_BUILD_MIRROR_URL); could not read https://localhost:[PORT]/python/: the same failure (incomplete certificate chain)); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run 'pyv update' again
    ");
    assert_filtered!(r.doctor.filters(), tls_part(&r.doctor), @"
    exit_code: 1
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  no (incomplete certificate chain)
        TLS 1.3  no (incomplete certificate chain)
      problem: downloads from localhost:[PORT] cannot work: incomplete certificate chain: localhost sent only its certificate, issued by 'CN=pyv test intermediate CA [ID], O=pyv tests', without an intermediate certificate linking it to a trusted root (its issuer could not be fetched from http://127.0.0.1:[PORT]/aia/gone.der: HTTP 404) (https://localhost:[PORT]/)
        fix: if that CA is your organisation's, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise the server is misconfigured: ask its operator to send the full chain, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
}

#[test]
fn self_signed_mirror() {
    let f = Fixture::new();
    let r = run(&f, Profile::SelfSigned, true, None);
    assert_cli!(r.install, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: untrusted certificate: the certificate of localhost is self-signed (CN=localhost) and not trusted by this computer (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); if you trust this server, trust its certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    assert_cli!(r.update, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    ----- stderr -----
    pyv: could not read the version list from https://localhost:[PORT]/python (could not read index https://localhost:[PORT]/python/index-windows.json: untrusted certificate: the certificate of localhost is self-signed (CN=localhost) and not trusted by this computer (https://localhost:[PORT]/python/index-windows.json); if you trust this server, trust its certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise use another mirror (PYTHON_BUILD_MIRROR_URL); could not read https://localhost:[PORT]/python/: the same failure (untrusted certificate)); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run 'pyv update' again
    ");
    assert_filtered!(r.doctor.filters(), tls_part(&r.doctor), @"
    exit_code: 1
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  no (untrusted certificate)
        TLS 1.3  no (untrusted certificate)
      problem: downloads from localhost:[PORT] cannot work: untrusted certificate: the certificate of localhost is self-signed (CN=localhost) and not trusted by this computer (https://localhost:[PORT]/)
        fix: if you trust this server, trust its certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
}

#[test]
fn private_ca_mirror() {
    let f = Fixture::new();
    let r = run(&f, Profile::Good, false, None);
    assert_cli!(r.install, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root
    ");
    assert_cli!(r.update, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    ----- stderr -----
    pyv: could not read the version list from https://localhost:[PORT]/python (could not read index https://localhost:[PORT]/python/index-windows.json: untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/python/index-windows.json); if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root; could not read https://localhost:[PORT]/python/: the same failure (untrusted certificate)); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run 'pyv update' again
    ");
    assert_filtered!(r.doctor.filters(), tls_part(&r.doctor), @"
    exit_code: 1
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
        TLS 1.1  no (TLS protocol mismatch)
        TLS 1.2  no (untrusted certificate)
        TLS 1.3  no (untrusted certificate)
      problem: downloads from localhost:[PORT] cannot work: untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/)
        fix: if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root
    ");
}

#[test]
fn doctor_verbose_shows_the_library_detail_under_each_failed_handshake() {
    let f = Fixture::new();
    let server = f.https(Profile::SelfSigned);
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", server.url("/python"));
    e.set("PYV_HTTP_TIMEOUT", "5");
    let out = e.pyv(["doctor", "-v"]);
    // The library's own words (OpenSSL's, version-dependent) are redacted; where they go
    // and everything pyv adds is exact.
    let mut filters = out.filters().clone();
    filters.add(r"error\[(\d+)\]: .*", "error[$1]: [library text]");
    filters.add(
        r"code: OpenSSL (verify error|SSL reason) (\d+) \(.*\)",
        "code: OpenSSL $1 $2 ([text])",
    );
    assert_filtered!(filters, tls_part(&out), @"
    exit_code: 1
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS protocol mismatch)
          category: Protocol
          code: OpenSSL SSL reason 1070 ([text])
          local clock: [TIME]
          error[0]: [library text]
        TLS 1.1  no (TLS protocol mismatch)
          (the same details as above)
        TLS 1.2  no (untrusted certificate)
          category: UntrustedRoot
          code: OpenSSL verify error 18 ([text])
          server protocol (inspection): TLSv1.3
          issuer judged: SelfSigned
          certificate #0: subject 'CN=localhost', issuer 'CN=localhost', names [localhost, 127.0.0.1], valid [TIME] .. [TIME]
          the server sent 1 certificate(s)
          local clock: [TIME]
          error[0]: [library text]
          error[1]: [library text]
        TLS 1.3  no (untrusted certificate)
          (the same details as above)
      problem: downloads from localhost:[PORT] cannot work: untrusted certificate: the certificate of localhost is self-signed (CN=localhost) and not trusted by this computer (https://localhost:[PORT]/)
        fix: if you trust this server, trust its certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    assert!(out.stdout.contains("error[0]: "), "{}", out.stdout);
}

/// `mitmdump` from PYV_MITMDUMP or PATH (`.ci/run` installs mitmproxy from PyPI into a
/// venv when it is missing).
fn mitmdump() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PYV_MITMDUMP").map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("mitmdump"))
            .find(|p| p.is_file())
    })
}

/// The real thing: mitmproxy re-signing with its own CA (`CN=mitmproxy`), leaf only. The
/// project's own intercepting proxy covers the same case without it.
#[test]
fn real_mitmproxy_is_named_as_interception() {
    let Some(bin) = mitmdump() else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIP real_mitmproxy_is_named_as_interception: mitmdump not found (pip install mitmproxy, or set PYV_MITMDUMP)"
        );
        return;
    };
    let conf = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // ssl_insecure: mitmproxy's own upstream check of the test mirror (whose root it does
    // not know); pyv's verification is what is under test, and it stays on.
    let mut child = std::process::Command::new(&bin)
        .args([
            "--listen-host",
            "127.0.0.1",
            "--listen-port",
            &port.to_string(),
            "-q",
        ])
        .args(["--set", &format!("confdir={}", conf.path().display())])
        .args(["--set", "ssl_insecure=true"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start mitmdump");
    // Readiness, not timing: wait until it accepts (it writes its CA on start-up).
    let ready = (0..300).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    if !ready {
        let _ = child.kill();
        let _ = child.wait();
        panic!("mitmdump did not listen on 127.0.0.1:{port}");
    }
    let f = Fixture::new();
    let r = run(
        &f,
        Profile::Good,
        true,
        Some(&format!("http://127.0.0.1:{port}")),
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_cli!(r.install, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: HTTPS inspection: the certificate localhost presented through the proxy http://127.0.0.1:[PORT] was issued by 'CN=mitmproxy, O=mitmproxy', which this computer does not trust: the proxy (or a security product behind it) re-signs HTTPS (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if that CA is your mirror's own instead, trust its root the same way
    ");
    assert_filtered!(r.doctor.filters(), tls_part(&r.doctor), @"
    exit_code: 1
      TLS handshake with localhost:[PORT] (OpenSSL), per version:
        TLS 1.0  no (TLS handshake failed)
        TLS 1.1  no (TLS handshake failed)
        TLS 1.2  no (HTTPS inspection)
        TLS 1.3  no (HTTPS inspection)
      problem: downloads from localhost:[PORT] cannot work: HTTPS inspection: the certificate localhost presented through the proxy http://127.0.0.1:[PORT] was issued by 'CN=mitmproxy, O=mitmproxy', which this computer does not trust: the proxy (or a security product behind it) re-signs HTTPS (https://localhost:[PORT]/)
        fix: ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if that CA is your mirror's own instead, trust its root the same way
    ");
}
