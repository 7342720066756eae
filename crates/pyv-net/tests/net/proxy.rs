//! Through a CONNECT proxy, with and without the credentials it demands.

use crate::common::*;
use pyv_net::Category;
use pyv_testserver::{ConnectProxy, Fixture, Profile};

#[test]
fn connect_proxy_with_percent_encoded_credentials_works() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file("/index.json", "via proxy");
    let proxy = ConnectProxy::start(Some(("corp\\jane", "p@ss:word")));
    let with_creds = proxy
        .url()
        .replace("http://", "http://corp%5Cjane:p%40ss%3Aword@");
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts();
    o.cacert = vec![root_file(&f, dir.path())];
    let c = client(&o, &[("HTTPS_PROXY", with_creds.as_str())]);
    assert_eq!(c.get_text(&s.url("/index.json")).unwrap(), "via proxy");
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "CONNECT");
    assert_eq!(seen[0].target, format!("localhost:{}", s.port()));
    assert_eq!(seen[0].status, 200);
}

#[test]
fn connect_proxy_without_credentials_is_a_407_diagnosis() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file("/index.json", "x");
    let proxy = ConnectProxy::start(Some(("jane", "secret")));
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts();
    o.cacert = vec![root_file(&f, dir.path())];
    o.retries = Some(2);
    let c = client(&o, &[("https_proxy", proxy.url().as_str())]);
    let dest = dir.path().join("x.exe");
    let url = s.url("/index.json");
    let err = c
        .download(&url, &dest, None, &mut no_progress())
        .unwrap_err();
    assert_filtered!(filters(dir.path()), failure(&err, Category::ProxyAuth), @"proxy authentication required: the proxy http://127.0.0.1:[PORT] refused the request without valid credentials (HTTP 407) (https://localhost:[PORT]/index.json); put the credentials in the proxy URL: HTTPS_PROXY=http://user:password@host:port (percent-encode special characters, e.g. @ as %40)");
    assert_nothing_left(&dest);
    assert!(s.requests().is_empty(), "nothing reached the server");
    // The refused tunnel and the diagnostic CONNECT that read the 407's schemes: no retry.
    assert_eq!(proxy.requests().len(), 2, "407 is not retried");
}

#[test]
fn no_proxy_bypasses_the_proxy() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file("/x", "direct");
    let proxy = ConnectProxy::start(Some(("jane", "secret")));
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts();
    o.cacert = vec![root_file(&f, dir.path())];
    let c = client(
        &o,
        &[
            ("HTTPS_PROXY", proxy.url().as_str()),
            ("NO_PROXY", "localhost"),
        ],
    );
    assert_eq!(c.get_text(&s.url("/x")).unwrap(), "direct");
    assert!(proxy.requests().is_empty());
}

#[test]
fn tls_diagnosis_through_the_proxy_still_names_the_certificate() {
    let f = Fixture::new();
    let s = f.https(Profile::Expired);
    let proxy = ConnectProxy::start(Some(("u", "p")));
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts();
    o.cacert = vec![root_file(&f, dir.path())];
    let url = proxy.url().replace("http://", "http://u:p@");
    let c = client(&o, &[("HTTPS_PROXY", url.as_str())]);
    let err = c.get_text(&s.url("/x")).unwrap_err();
    // The dates come from the inspection handshake, which tunnels through the same proxy.
    assert_filtered!(filters(dir.path()), failure(&err, Category::Expired), @"expired certificate: the certificate of localhost expired on [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/x); if the clock above is wrong, correct this computer's date and time; otherwise the server (or an HTTPS-inspecting proxy) must renew its certificate, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
    // Verbose mode names the proxy too. Its `code:` and `error[n]:` lines are OpenSSL's own
    // words (they change with its version), so only pyv's lines are pinned.
    let verbose: Vec<String> = err
        .verbose()
        .lines()
        .filter(|l| !l.starts_with("  code: ") && !l.starts_with("  error["))
        .map(String::from)
        .collect();
    assert_filtered!(filters(dir.path()), verbose.join("\n"), @"
    expired certificate: the certificate of localhost expired on [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/x); if the clock above is wrong, correct this computer's date and time; otherwise the server (or an HTTPS-inspecting proxy) must renew its certificate, or use another mirror (PYTHON_BUILD_MIRROR_URL)
      category: Expired
      proxy: http://127.0.0.1:[PORT]
      server protocol (inspection): TLSv1.3
      certificate #0: subject 'CN=localhost', issuer 'CN=pyv test intermediate CA [ID], O=pyv tests', names [localhost, 127.0.0.1], valid [TIME] .. [TIME]
      certificate #1: subject 'CN=pyv test intermediate CA [ID], O=pyv tests', issuer 'CN=pyv test root CA, O=pyv tests', names [pyv test intermediate CA [ID]], valid [TIME] .. [TIME]
      the server sent 2 certificate(s)
      local clock: [TIME]
    ");
}

#[test]
fn proxy_that_cannot_reach_the_server_is_a_proxy_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let proxy = ConnectProxy::start(None);
    let mut o = opts();
    o.retries = Some(2);
    let c = client(&o, &[("HTTPS_PROXY", proxy.url().as_str())]);
    let url = format!("https://127.0.0.1:{port}/x");
    let err = c.get_bytes(&url).unwrap_err();
    let dir = tempfile::tempdir().unwrap();
    assert_filtered!(filters(dir.path()), failure(&err, Category::Proxy), @"proxy error: the proxy http://127.0.0.1:[PORT] could not reach 127.0.0.1:[PORT] (HTTP 502 Bad Gateway) (https://127.0.0.1:[PORT]/x); the mirror is down or blocked beyond the proxy; retry later, or use another mirror (PYTHON_BUILD_MIRROR_URL)");
    // The proxy's 502 is the upstream's trouble, which may pass: three attempts (one and two
    // retries), each followed by the diagnostic CONNECT that read the answer.
    assert_eq!(proxy.requests().len(), 6, "a proxy's 502 is retried");
}
