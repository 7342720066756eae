//! SChannel checks for Windows builds (run under Wine by scripts/test-windows.sh, which serves
//! the loopback fixture from the Linux side and exports its URLs; the CA is in the prefix's
//! ROOT store and the CRL in its URL cache). Classification is by HRESULT number, never by
//! message text. Without the fixture variables every test prints a visible SKIP.
#![cfg(windows)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up step panics

use pyv_core::MemoryEnv;
use pyv_net::diagnose::TlsCode;
use pyv_net::{probe_tls, Category, Client, NetConfig, NetOptions, TlsVersion};
use pyv_tests::{assert_filtered, Filters};
use std::io::Write;

const BODY: &str = "hello-from-tls-server\n";

fn fixture_url(var: &str, test: &str) -> Option<String> {
    let v = std::env::var(var).ok().filter(|s| !s.is_empty());
    if v.is_none() {
        let _ = writeln!(
            std::io::stderr(),
            "SKIP {test}: {var} is not set (no TLS fixture)"
        );
    }
    v
}

fn client() -> Client {
    let opts = NetOptions {
        retries: Some(0),
        ..Default::default()
    };
    Client::new(NetConfig::resolve(&opts, &MemoryEnv::new()).unwrap()).unwrap()
}

fn hresult(e: &pyv_net::NetError) -> Option<u32> {
    match &e.diagnosis()?.facts.code {
        Some(TlsCode::Hresult(c)) => Some(*c),
        _ => None,
    }
}

#[test]
fn trusted_chain_downloads_and_verifies_through_schannel() {
    let Some(url) = fixture_url("PYV_WINE_TLS_OK_URL", "trusted_chain") else {
        return;
    };
    let c = client();
    assert_eq!(c.get_text(&url).unwrap(), BODY);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("index.txt");
    // A wrong checksum fails after one re-fetch and leaves nothing.
    let wrong = "0".repeat(64);
    let err = c
        .download(&url, &dest, Some(&wrong), &mut |_, _| {})
        .unwrap_err();
    assert!(
        matches!(err, pyv_net::NetError::HashMismatch { .. }),
        "{err}"
    );
    assert!(!dest.exists());
    let got = c.download(&url, &dest, None, &mut |_, _| {}).unwrap();
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), BODY);
    let again = c
        .download(&url, &dest, Some(&got.sha256), &mut |_, _| {})
        .unwrap();
    assert!(again.reused);
}

#[test]
fn expired_leaf_is_cert_e_expired_with_its_date() {
    let Some(url) = fixture_url("PYV_WINE_TLS_EXPIRED_URL", "expired_leaf") else {
        return;
    };
    let err = client().get_text(&url).unwrap_err();
    assert_eq!(err.category(), Some(Category::Expired), "{}", err.verbose());
    assert_eq!(hresult(&err), Some(0x800B_0101), "{}", err.verbose());
    // The date comes from the inspection handshake (SChannel's error has no date).
    assert_filtered!(Filters::common(), err.to_string(), @"expired certificate: the certificate of localhost expired on [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/index.txt); if the clock above is wrong, correct this computer's date and time; otherwise the server (or an HTTPS-inspecting proxy) must renew its certificate, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

#[test]
fn self_signed_leaf_is_cert_e_untrustedroot() {
    let Some(url) = fixture_url("PYV_WINE_TLS_UNTRUSTED_URL", "self_signed_leaf") else {
        return;
    };
    let err = client().get_text(&url).unwrap_err();
    assert_eq!(
        err.category(),
        Some(Category::UntrustedRoot),
        "{}",
        err.verbose()
    );
    assert_eq!(hresult(&err), Some(0x800B_0109), "{}", err.verbose());
    assert_filtered!(Filters::common(), err.to_string(), @"untrusted certificate: the certificate of localhost is self-signed (CN=localhost) and not trusted by this computer (https://localhost:[PORT]/index.txt); if you trust this server, trust its certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the Windows certificate store (certmgr.msc > Trusted Root Certification Authorities); verification stays on); otherwise use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

#[test]
fn probe_negotiates_tls_1_2_through_schannel() {
    let Some(url) = fixture_url("PYV_WINE_TLS_OK_URL", "probe") else {
        return;
    };
    let u = url::Url::parse(&url).unwrap();
    let cfg = NetConfig::resolve(&NetOptions::default(), &MemoryEnv::new()).unwrap();
    let r = probe_tls(&cfg, u.host_str().unwrap(), u.port().unwrap());
    let tls12 = r.iter().find(|(v, _)| *v == TlsVersion::Tls12).unwrap();
    assert!(tls12.1.is_ok(), "{:?}", tls12.1);
}

/// `PYV_TS_<NAME>_URL` + `/index.txt` (origins printed by pyv-testserver).
fn ts_url(name: &str, test: &str) -> Option<String> {
    fixture_url(&format!("PYV_TS_{name}_URL"), test).map(|o| format!("{o}/index.txt"))
}

#[test]
fn wrong_host_is_cert_e_cn_no_match_with_the_names() {
    let Some(url) = ts_url("WRONG_HOST", "wrong_host") else {
        return;
    };
    let err = client().get_text(&url).unwrap_err();
    assert_eq!(
        err.category(),
        Some(Category::HostMismatch),
        "{}",
        err.verbose()
    );
    assert_eq!(hresult(&err), Some(0x800B_010F), "{}", err.verbose());
    assert_filtered!(Filters::common(), err.to_string(), @"certificate host name mismatch: the certificate names wrong.example, not 'localhost' (https://localhost:[PORT]/index.txt); check the host in the URL for a typo; a proxy presenting its own certificate also causes this, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
}

// No revoked-leaf case here: Wine 8 reported CRYPT_E_REVOKED for PYV_TS_REVOKED_URL on a fresh
// prefix but accepted the same kind of leaf on later runs (its revocation cache), so such a
// test could not be trusted either way. The HRESULT → Revoked mapping is unit-tested.

#[test]
fn legacy_only_server_is_a_protocol_mismatch() {
    let Some(url) = ts_url("LEGACY", "legacy_server") else {
        return;
    };
    let err = client().get_text(&url).unwrap_err();
    assert_eq!(
        err.category(),
        Some(Category::Protocol),
        "{}",
        err.verbose()
    );
}

#[test]
fn plain_http_on_an_https_url_is_not_tls() {
    let Some(url) = ts_url("HTTP", "plain_http") else {
        return;
    };
    let url = url.replacen("http://", "https://", 1);
    let err = client().get_text(&url).unwrap_err();
    assert_eq!(err.category(), Some(Category::NotTls), "{}", err.verbose());
}
