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
    assert_failure(
        &err,
        Category::ProxyAuth,
        &[
            "proxy authentication required",
            &proxy.url(),
            "user:password@",
            &url,
        ],
    );
    assert_nothing_left(&dest);
    assert!(s.requests().is_empty(), "nothing reached the server");
    assert_eq!(proxy.requests().len(), 1, "407 is not retried");
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
    assert_failure(&err, Category::Expired, &["expired on 20"]);
    assert!(err.verbose().contains(&proxy.url()));
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
    assert_failure(&err, Category::Proxy, &["proxy error", &proxy.url(), &url]);
    assert_eq!(proxy.requests().len(), 1, "a proxy failure is not retried");
}
