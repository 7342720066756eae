//! One case per TLS failure class, each through a real handshake.

use crate::common::*;
use pyv_net::{probe_tls, Category, NetConfig, TlsVersion};
use pyv_testserver::{Fixture, Profile};

const FILE: &str = "/3.12.0/python-3.12.0-amd64.exe";

/// Downloads FILE from a server of `profile` with the fixture's root trusted; returns the
/// error and checks that nothing was left behind.
fn fail_with(profile: Profile) -> pyv_net::NetError {
    let f = Fixture::new();
    let s = f.https(profile);
    s.add_file(FILE, payload(1000));
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |_| {});
    let dest = dir.path().join("cache/python-3.12.0-amd64.exe");
    let url = s.url(FILE);
    let err = c
        .download(&url, &dest, None, &mut no_progress())
        .expect_err("must fail");
    assert_nothing_left(&dest);
    assert!(
        s.requests().is_empty(),
        "no HTTP request may reach a server that failed TLS"
    );
    err
}

/// The redactions of [`fail_with`]'s messages (its scratch folder is gone by then).
fn net_filters() -> pyv_tests::Filters {
    pyv_tests::Filters::common()
}

#[test]
fn good_chain_via_cacert_downloads_and_verifies() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let body = payload(300_000);
    s.add_file(FILE, body.clone());
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |_| {});
    let dest = dir.path().join("python-3.12.0-amd64.exe");
    let mut calls = Vec::new();
    let got = c
        .download(
            &s.url(FILE),
            &dest,
            Some(&sha256_hex(&body)),
            &mut |d, t| calls.push((d, t)),
        )
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(got.sha256, sha256_hex(&body));
    assert_eq!(
        (got.bytes, got.resumed_from, got.reused),
        (300_000, 0, false)
    );
    assert_eq!(calls.last(), Some(&(300_000, Some(300_000))));
    assert!(
        calls.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress only grows"
    );
    assert!(!pyv_net::download::part_path(&dest).exists());
}

#[test]
fn good_chain_via_ssl_cert_file_from_injected_env() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file("/index.json", "{\"ok\": true}");
    let dir = tempfile::tempdir().unwrap();
    let root = root_file(&f, dir.path());
    let c = client(&opts(), &[("SSL_CERT_FILE", root.to_str().unwrap())]);
    assert_eq!(c.get_text(&s.url("/index.json")).unwrap(), "{\"ok\": true}");
}

#[test]
fn good_chain_via_ssl_cert_dir_from_injected_env() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file("/index.json", "[]");
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    root_file(&f, &certs);
    let c = client(&opts(), &[("SSL_CERT_DIR", certs.to_str().unwrap())]);
    assert_eq!(c.get_text(&s.url("/index.json")).unwrap(), "[]");
}

#[test]
fn a_partial_download_survives_a_certificate_failure_and_resumes() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let body = payload(50_000);
    s.add_file(FILE, body.clone());
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("x.exe");
    // What an earlier run cut off left behind.
    let part = pyv_net::download::part_path(&dest);
    std::fs::write(&part, &body[..20_000]).unwrap();
    let err = client(&opts(), &[])
        .download(&s.url(FILE), &dest, None, &mut no_progress())
        .unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::UntrustedRoot), @"untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root; 19.5 KiB already downloaded is kept in [DIR], and the same command resumes it");
    assert_eq!(std::fs::read(&part).unwrap(), &body[..20_000]);
    let got = trusting_client(&f, dir.path(), |_| {})
        .download(
            &s.url(FILE),
            &dest,
            Some(&sha256_hex(&body)),
            &mut no_progress(),
        )
        .unwrap();
    assert_eq!(got.resumed_from, 20_000);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
}

#[test]
fn no_extra_root_is_an_untrusted_root() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file(FILE, payload(10));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("x.exe");
    let url = s.url(FILE);
    let err = client(&opts(), &[])
        .download(&url, &dest, None, &mut no_progress())
        .unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::UntrustedRoot), @"untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root");
    assert_nothing_left(&dest);
    // Verbose mode adds the library's own words and the verify code. Not a snapshot: those
    // words are OpenSSL's, and change with its version.
    let v = err.verbose();
    assert!(v.contains("OpenSSL verify error 20"), "{v}");
    assert!(v.contains("certificate verify failed"), "{v}");
}

#[test]
fn self_signed_leaf_is_an_untrusted_root() {
    let err = fail_with(Profile::SelfSigned);
    assert_filtered!(net_filters(), failure(&err, Category::UntrustedRoot), @"untrusted certificate: the certificate of localhost is self-signed (CN=localhost) and not trusted by this computer (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); if you trust this server, trust its certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

#[test]
fn expired_leaf_shows_not_after_and_clock() {
    let err = fail_with(Profile::Expired);
    assert_filtered!(net_filters(), failure(&err, Category::Expired), @"expired certificate: the certificate of localhost expired on [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); if the clock above is wrong, correct this computer's date and time; otherwise the server (or an HTTPS-inspecting proxy) must renew its certificate, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

#[test]
fn not_yet_valid_leaf_shows_not_before_and_clock() {
    let err = fail_with(Profile::NotYetValid);
    assert_filtered!(net_filters(), failure(&err, Category::NotYetValid), @"certificate not yet valid: the certificate of localhost is valid only from [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); set this computer's date and time correctly (the clock is probably behind)");
}

#[test]
fn wrong_host_name_shows_the_names_in_the_certificate() {
    let err = fail_with(Profile::WrongHost);
    assert_filtered!(net_filters(), failure(&err, Category::HostMismatch), @"certificate host name mismatch: the certificate names wrong.example, not 'localhost' (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); check the host in the URL for a typo; a proxy presenting its own certificate also causes this, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

#[test]
fn leaf_without_intermediate_is_an_incomplete_chain() {
    let err = fail_with(Profile::MissingIntermediate);
    assert_filtered!(net_filters(), failure(&err, Category::IncompleteChain), @"incomplete certificate chain: localhost sent only its certificate, issued by 'CN=pyv test intermediate CA [ID], O=pyv tests', without an intermediate certificate linking it to a trusted root (the certificate names no address to fetch its issuer from) (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); if that CA is your organisation's, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise the server is misconfigured: ask its operator to send the full chain, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

#[test]
fn server_limited_to_tls_1_0_and_1_1_is_a_protocol_mismatch() {
    let f = Fixture::new();
    if let Err(why) = pyv_testserver::legacy_tls_supported(&f) {
        skip("server_limited_to_tls_1_0_and_1_1", &why);
        return;
    }
    let err = fail_with(Profile::LegacyTls);
    assert_filtered!(net_filters(), failure(&err, Category::Protocol), @"TLS protocol mismatch: localhost only speaks TLS 1.0 and TLS 1.1, and pyv requires TLS 1.2 or newer (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); old TLS versions are insecure and stay disabled: use another mirror (PYTHON_BUILD_MIRROR_URL) that supports TLS 1.2");
}

#[test]
fn plain_http_on_the_tls_port_is_not_tls() {
    let f = Fixture::new();
    f.http.add_file(FILE, payload(10));
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |_| {});
    let url = format!("https://localhost:{}{FILE}", f.http.port());
    let dest = dir.path().join("x.exe");
    let err = c
        .download(&url, &dest, None, &mut no_progress())
        .unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::NotTls), @"not a TLS server: localhost:[PORT] answered with something that is not TLS (plain HTTP on an https:// URL?) (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); check the port and scheme in the URL; if a proxy is required set HTTPS_PROXY, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
    assert_nothing_left(&dest);
}

#[test]
fn tls_failures_are_never_retried() {
    let f = Fixture::new();
    let s = f.https(Profile::Expired);
    let dir = tempfile::tempdir().unwrap();
    let c = trusting_client(&f, dir.path(), |o| {
        o.retries = Some(3);
        o.inspect_on_failure = Some(false);
    });
    let err = c.get_bytes(&s.url("/x")).unwrap_err();
    assert_eq!(err.category(), Some(Category::Expired));
    assert_eq!(s.connections(), 1, "one handshake, no retry");
}

#[test]
fn bad_ca_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("corp-root.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    let mut o = opts();
    o.cacert = vec![junk.clone()];
    let cfg = NetConfig::resolve(&o, &pyv_core::MemoryEnv::new()).unwrap();
    let e = pyv_net::Client::new(cfg)
        .err()
        .expect("must fail")
        .to_string();
    assert_filtered!(filters(dir.path()), e, @"CA certificate file '[TMP]/corp-root.pem' (from --cacert): it is neither PEM nor a DER certificate; give a PEM file (one or more certificates) or a DER .cer file, or remove it from --cacert");

    let missing = dir.path().join("missing.pem");
    let cfg = NetConfig::resolve(
        &Default::default(),
        &pyv_core::MemoryEnv::from_pairs([("SSL_CERT_FILE", missing.to_str().unwrap())]),
    )
    .unwrap();
    let e = pyv_net::Client::new(cfg)
        .err()
        .expect("must fail")
        .to_string();
    assert_filtered!(filters(dir.path()), e, @"CA certificate file '[TMP]/missing.pem' (from SSL_CERT_FILE): cannot read it: No such file or directory (os error 2); give a PEM file (one or more certificates) or a DER .cer file, or remove it from SSL_CERT_FILE");
}

#[test]
fn der_ca_file_is_accepted() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file("/x", "ok");
    let dir = tempfile::tempdir().unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(f.pki.root_pem.as_bytes()).unwrap();
    let der = pem.contents;
    let path = dir.path().join("root.cer");
    std::fs::write(&path, der).unwrap();
    let mut o = opts();
    o.cacert = vec![path];
    assert_eq!(client(&o, &[]).get_text(&s.url("/x")).unwrap(), "ok");
}

#[test]
fn probe_reports_each_tls_version() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts();
    o.cacert = vec![root_file(&f, dir.path())];
    let cfg = NetConfig::resolve(&o, &pyv_core::MemoryEnv::new()).unwrap();
    let r = probe_tls(&cfg, "localhost", s.port());
    #[allow(clippy::result_large_err)]
    let by = |v: TlsVersion| r.iter().find(|(x, _)| *x == v).unwrap().1.clone();
    assert!(by(TlsVersion::Tls12).is_ok(), "{:?}", by(TlsVersion::Tls12));
    assert!(by(TlsVersion::Tls13).is_ok(), "{:?}", by(TlsVersion::Tls13));
    let old = |v: TlsVersion| {
        let d = by(v).expect_err("server is 1.2+ only");
        assert_eq!(d.category, Category::Protocol, "{v}: {d}");
        d.to_string()
    };
    assert_filtered!(net_filters(), old(TlsVersion::Tls10), @"TLS protocol mismatch: this computer and localhost share no TLS version or cipher (pyv offers TLS 1.2 and 1.3) (https://localhost:[PORT]/); run 'pyv doctor' to see which TLS versions the server accepts, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
    assert_filtered!(net_filters(), old(TlsVersion::Tls11), @"TLS protocol mismatch: this computer and localhost share no TLS version or cipher (pyv offers TLS 1.2 and 1.3) (https://localhost:[PORT]/); run 'pyv doctor' to see which TLS versions the server accepts, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
    // Without the root, the handshake fails on trust, not on protocol.
    let cfg = NetConfig::resolve(&opts(), &pyv_core::MemoryEnv::new()).unwrap();
    let r = probe_tls(&cfg, "localhost", s.port());
    let d = r
        .iter()
        .find(|(v, _)| *v == TlsVersion::Tls12)
        .unwrap()
        .1
        .clone()
        .unwrap_err();
    assert_eq!(d.category, Category::UntrustedRoot, "{d}");
    assert_filtered!(net_filters(), d.to_string(), @"untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/); if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root");
}

#[test]
fn probe_of_a_legacy_server_fails_modern_versions() {
    let f = Fixture::new();
    if let Err(why) = pyv_testserver::legacy_tls_supported(&f) {
        skip("probe_of_a_legacy_server", &why);
        return;
    }
    let s = f.https(Profile::LegacyTls);
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts();
    o.cacert = vec![root_file(&f, dir.path())];
    let cfg = NetConfig::resolve(&o, &pyv_core::MemoryEnv::new()).unwrap();
    for (v, r) in probe_tls(&cfg, "localhost", s.port()) {
        if v >= TlsVersion::Tls12 {
            assert_eq!(r.unwrap_err().category, Category::Protocol, "{v}");
        }
    }
}
