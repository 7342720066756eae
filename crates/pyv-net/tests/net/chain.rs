//! Who issued a certificate that does not reach a trusted root, through real handshakes:
//! an intercepting proxy re-signing with its own root (as mitmproxy does), the same product
//! without a proxy configured, a server that omits its intermediate with and without a
//! usable AIA address. Every case keeps verification on and leaves nothing behind.

use crate::common::*;
use pyv_net::{Category, NetError};
use pyv_testserver::{ConnectProxy, Fixture, Interception, Profile};

const FILE: &str = "/3.12.0/python-3.12.0-amd64.exe";

/// A download of FILE from a server of `profile`, fixture root trusted, with `env`.
fn fail(f: &Fixture, profile: Profile, env: &[(&str, &str)]) -> (NetError, tempfile::TempDir) {
    let s = f.https(profile);
    s.add_file(FILE, payload(1000));
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts();
    o.cacert = vec![root_file(f, dir.path())];
    let dest = dir.path().join("x.exe");
    let err = client(&o, env)
        .download(&s.url(FILE), &dest, None, &mut no_progress())
        .expect_err("must fail");
    assert_nothing_left(&dest);
    assert!(s.requests().is_empty(), "no request reaches the server");
    (err, dir)
}

fn intercepting(f: &Fixture) -> ConnectProxy {
    ConnectProxy::intercepting(Interception {
        root: f.pki.inspection.clone(),
        upstream_trust_pem: f.pki.root_pem.clone(),
    })
}

#[test]
fn an_intercepting_proxy_is_named_with_its_issuer_and_its_root_fixes_it() {
    let f = Fixture::new();
    let proxy = intercepting(&f);
    let (err, dir) = fail(&f, Profile::Good, &[("HTTPS_PROXY", proxy.url().as_str())]);
    assert_filtered!(filters(dir.path()), failure(&err, Category::Interception), @"HTTPS inspection: the certificate localhost presented through the proxy http://127.0.0.1:[PORT] was issued by 'CN=pyv-test-inspection, O=pyv-test-inspection', which this computer does not trust: the proxy (or a security product behind it) re-signs HTTPS (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if that CA is your mirror's own instead, trust its root the same way");
    assert!(
        proxy.requests().iter().any(|r| r.method == "CONNECT"),
        "went through the proxy"
    );

    // Trusting the inspection root (what the message says to do) makes it work, still
    // verified: the proxy's made-up leaf chains to that root.
    let s = f.https(Profile::Good);
    s.add_file(FILE, payload(1000));
    let dir = tempfile::tempdir().unwrap();
    let inspection = dir.path().join("inspection.pem");
    std::fs::write(&inspection, &f.pki.inspection.cert_pem).unwrap();
    let mut o = opts();
    o.cacert = vec![inspection];
    let dest = dir.path().join("x.exe");
    let got = client(&o, &[("HTTPS_PROXY", proxy.url().as_str())])
        .download(&s.url(FILE), &dest, None, &mut no_progress())
        .unwrap();
    assert_eq!(got.bytes, 1000);
    assert_eq!(std::fs::read(&dest).unwrap(), payload(1000));
}

#[test]
fn an_inspection_product_without_a_proxy_is_named_by_its_issuer() {
    let f = Fixture::new();
    let (err, dir) = fail(&f, Profile::Inspected, &[]);
    assert_filtered!(filters(dir.path()), failure(&err, Category::Interception), @"HTTPS inspection: the certificate of localhost was issued by 'CN=pyv-test-inspection, O=pyv-test-inspection', an HTTPS-inspection product's CA, not one localhost would use: a proxy, firewall or antivirus on this network re-signs HTTPS (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); ask IT for the HTTPS-inspection root certificate and trust it with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on)");
}

#[test]
fn a_missing_intermediate_fetched_from_aia_is_confirmed_and_still_fails() {
    let f = Fixture::new();
    let (err, dir) = fail(&f, Profile::MissingIntermediateAia, &[]);
    assert_filtered!(filters(dir.path()), failure(&err, Category::IncompleteChain), @"incomplete certificate chain: localhost sent its certificate without the intermediate certificate 'CN=pyv test intermediate CA [ID], O=pyv tests' that links it to a trusted root; that certificate, fetched from http://127.0.0.1:[PORT]/aia/intermediate.der as browsers do, is signed by the trusted root 'CN=pyv test root CA, O=pyv tests' (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); the server is misconfigured: ask its operator to send the full chain (pyv does not complete it; verification stays on), or use another mirror (PYTHON_BUILD_MIRROR_URL)");
    // The intermediate was fetched once, over plain HTTP.
    let aia: Vec<_> = f
        .http
        .requests()
        .into_iter()
        .filter(|r| r.target == pyv_testserver::pki::AIA_PATH)
        .collect();
    assert_eq!(aia.len(), 1, "{aia:?}");
}

#[test]
fn a_missing_intermediate_whose_aia_address_fails_names_both_possibilities() {
    let f = Fixture::new();
    let (err, dir) = fail(&f, Profile::MissingIntermediateDeadAia, &[]);
    assert_filtered!(filters(dir.path()), failure(&err, Category::IncompleteChain), @"incomplete certificate chain: localhost sent only its certificate, issued by 'CN=pyv test intermediate CA [ID], O=pyv tests', without an intermediate certificate linking it to a trusted root (its issuer could not be fetched from http://127.0.0.1:[PORT]/aia/gone.der: HTTP 404) (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); if that CA is your organisation's, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise the server is misconfigured: ask its operator to send the full chain, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

#[test]
fn an_aia_issuer_that_does_not_chain_is_a_private_ca() {
    // The client trusts nothing extra: the intermediate fetched from AIA leads to the
    // fixture's root, which is not trusted here.
    let f = Fixture::new();
    let s = f.https(Profile::MissingIntermediateAia);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("x.exe");
    let err = client(&opts(), &[])
        .download(&s.url(FILE), &dest, None, &mut no_progress())
        .unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::UntrustedRoot), @"untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/3.12.0/python-3.12.0-amd64.exe); if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root");
}
