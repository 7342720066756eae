use super::*;
use crate::config::{NetConfig, NetOptions};
use pyv_core::MemoryEnv;
use std::sync::atomic::{AtomicUsize, Ordering};

fn u(s: &str) -> url::Url {
    url::Url::parse(s).unwrap()
}

/// `ProxyServer` values as Internet Options, netsh and group policy write them, and the
/// proxy each gives for an https and an http URL (`-`: direct).
#[test]
fn proxy_server_values() {
    let table: &[(&str, &str, &str)] = &[
        ("proxy:8080", "http://proxy:8080", "http://proxy:8080"),
        ("proxy", "http://proxy:80", "http://proxy:80"),
        (
            "http://proxy.corp:3128",
            "http://proxy.corp:3128",
            "http://proxy.corp:3128",
        ),
        ("http=p1:80;https=p2:443", "http://p2:443", "http://p1:80"),
        (
            "HTTP=p1:80; HTTPS=p2:8443",
            "http://p2:8443",
            "http://p1:80",
        ),
        (
            "http=http://p1:80;https=http://p2:3128",
            "http://p2:3128",
            "http://p1:80",
        ),
        // "Use the same proxy server for all protocols" unticked, only HTTP filled in.
        ("http=p1:80", "-", "http://p1:80"),
        ("https=p2:443", "http://p2:443", "-"),
        ("ftp=f:21", "-", "-"),
        ("socks=s:1080", "-", "-"),
        (
            "http=p1:80;https=p2:443;ftp=f:21;socks=s:1080",
            "http://p2:443",
            "http://p1:80",
        ),
        (
            "10.0.0.1:8080",
            "http://10.0.0.1:8080",
            "http://10.0.0.1:8080",
        ),
        (
            "[fd00::1]:3128",
            "http://[fd00::1]:3128",
            "http://[fd00::1]:3128",
        ),
        (
            "https://secure-proxy:443",
            "https://secure-proxy:443",
            "https://secure-proxy:443",
        ),
        // PAC answers as WinHTTP reports them: the first one is used.
        ("p1:8080; p2:8080", "http://p1:8080", "http://p1:8080"),
        ("p1:8080 p2:8080", "http://p1:8080", "http://p1:8080"),
        ("", "-", "-"),
        ("proxy:notaport", "-", "-"),
        // A script's own words.
        ("PROXY p1:8080; DIRECT", "http://p1:8080", "http://p1:8080"),
        ("DIRECT", "-", "-"),
        ("DIRECT; PROXY p1:8080", "-", "-"),
        (
            "SOCKS s:1080; PROXY p1:8080",
            "http://p1:8080",
            "http://p1:8080",
        ),
        ("PROXY proxy:3128", "http://proxy:3128", "http://proxy:3128"),
    ];
    for (value, https, http) in table {
        let list = ProxyList::parse(value);
        let shown = |s: &str| {
            list.for_scheme(s)
                .map_or_else(|| "-".to_string(), |p| p.url())
        };
        assert_eq!(
            (shown("https").as_str(), shown("http").as_str()),
            (*https, *http),
            "{value}"
        );
    }
}

#[test]
fn unusable_entries_are_listed_with_the_reason() {
    let list = ProxyList::parse("http=p1:80;ftp=f:21;socks=s:1080;gopher=g:70;https=;http=p3:1");
    assert_eq!(
        list.ignored,
        [
            "ftp=f:21 (pyv downloads nothing over ftp)",
            "socks=s:1080 (pyv cannot use SOCKS proxies; set HTTPS_PROXY to an HTTP proxy)",
            "gopher=g:70 (pyv downloads nothing over gopher)",
            "https= (no server)",
            "http=p3:1 (a second entry for the same protocol)",
        ]
    );
    assert_eq!(list.socks.as_deref(), Some("s:1080"));
    assert_eq!(
        ProxyList::parse("proxy:99999").ignored,
        ["proxy:99999 (invalid port number)"]
    );
}

/// `ProxyOverride` values and whether each URL bypasses the proxy.
#[test]
fn bypass_values() {
    let table: &[(&str, &str, bool)] = &[
        ("<local>", "https://intranet/x", true),
        ("<local>", "https://intranet.corp/x", false),
        ("<local>", "http://10.1.2.3/x", false),
        ("*.corp.example", "https://a.corp.example/x", true),
        ("*.corp.example", "https://a.b.corp.example/x", true),
        ("*.corp.example", "https://corp.example/x", false),
        ("*.corp.example", "https://notcorp.example/x", false),
        ("corp.example", "https://corp.example/x", true),
        ("corp.example", "https://www.corp.example/x", false),
        ("10.*", "https://10.1.2.3/x", true),
        ("10.*", "https://110.1.2.3/x", false),
        ("192.168.*.*", "https://192.168.0.7/x", true),
        ("*intranet*", "https://my-intranet-site.example/x", true),
        ("WWW.Python.ORG", "https://www.python.org/ftp/", true),
        (
            "<local>;*.corp.example;10.*",
            "https://www.python.org/ftp/",
            false,
        ),
        (
            "<local>;*.corp.example;10.*",
            "https://build.corp.example/ftp/",
            true,
        ),
        ("mirror:8443", "https://mirror:8443/x", true),
        ("mirror:8443", "https://mirror/x", false),
        ("https://mirror.corp", "https://mirror.corp/x", true),
        ("https://mirror.corp", "http://mirror.corp/x", false),
        ("[fd00::1]", "https://[fd00::1]/x", true),
        ("fd00::1", "https://[fd00::1]/x", true),
        // Loopback is direct unless <-loopback> says otherwise.
        ("", "https://localhost:8443/x", true),
        ("", "https://127.0.0.1/x", true),
        ("", "https://127.8.9.1/x", true),
        ("", "https://[::1]/x", true),
        ("", "https://app.localhost/x", true),
        ("<-loopback>", "https://localhost:8443/x", false),
        ("<-loopback>", "https://127.0.0.1/x", false),
        ("<-loopback>;<local>", "https://localhost:8443/x", true),
        ("", "https://www.python.org/x", false),
    ];
    for (value, url, bypassed) in table {
        assert_eq!(
            BypassList::parse(value).bypasses(&u(url)),
            *bypassed,
            "{value} for {url}"
        );
    }
}

fn settings(server: Option<&str>, bypass: Option<&str>) -> SystemSettings {
    SystemSettings {
        origin: SettingsOrigin::InternetOptions,
        auto_detect: false,
        pac_url: None,
        server: server.map(str::to_string),
        bypass: bypass.map(str::to_string),
    }
}

/// Answers from a table and counts the questions.
struct Script {
    detect: Result<PacAnswer, String>,
    pac: Result<PacAnswer, String>,
    asked: AtomicUsize,
}

impl AutoProxy for Script {
    fn resolve(&self, _url: &url::Url, how: &AutoConfig) -> Result<PacAnswer, String> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        match how {
            AutoConfig::Detect => self.detect.clone(),
            AutoConfig::Pac(_) => self.pac.clone(),
        }
    }
}

fn script(detect: Result<PacAnswer, String>, pac: Result<PacAnswer, String>) -> Arc<Script> {
    Arc::new(Script {
        detect,
        pac,
        asked: AtomicUsize::new(0),
    })
}

fn shown(d: &ProxyDecision) -> String {
    match d {
        ProxyDecision::Direct(by) => format!("direct ({by})"),
        ProxyDecision::Proxy(p, by) => format!("{} ({by})", p.url()),
    }
}

#[test]
fn static_settings_decide_per_url() {
    let sys = SystemProxy::new(
        settings(
            Some("http=p1:80;https=p2:443"),
            Some("<local>;*.corp.example"),
        ),
        None,
    );
    let d = |url: &str| shown(&sys.decide(&u(url)));
    assert_eq!(
        d("https://www.python.org/ftp/"),
        "http://p2:443 (system settings (Internet Options))"
    );
    assert_eq!(
        d("http://www.python.org/ftp/"),
        "http://p1:80 (system settings (Internet Options))"
    );
    assert_eq!(
        d("https://intranet/x"),
        "direct (system settings (Internet Options))"
    );
    assert_eq!(
        d("https://a.corp.example/x"),
        "direct (system settings (Internet Options))"
    );
    assert_eq!(
        d("https://localhost/x"),
        "direct (system settings (Internet Options))"
    );
    let winhttp = SystemProxy::new(
        SystemSettings {
            origin: SettingsOrigin::WinHttp,
            ..settings(Some("proxy:8080"), None)
        },
        None,
    );
    assert_eq!(
        shown(&winhttp.decide(&u("https://www.python.org/"))),
        "http://proxy:8080 (system settings (netsh winhttp))"
    );
}

#[test]
fn automatic_configuration_first_then_the_static_settings() {
    let with = |detect: bool, pac: bool, s: &Arc<Script>| {
        SystemProxy::new(
            SystemSettings {
                auto_detect: detect,
                pac_url: pac.then(|| "http://wpad.corp/proxy.pac".to_string()),
                ..settings(Some("static:3128"), None)
            },
            Some(s.clone() as Arc<dyn AutoProxy>),
        )
    };
    let python = u("https://www.python.org/ftp/python/");
    let found = || {
        Ok(PacAnswer::Proxies(
            "pac-proxy:8080; backup:8080".to_string(),
        ))
    };
    let none = || Err("no script".to_string());

    let s = script(found(), none());
    assert_eq!(
        shown(&with(true, true, &s).decide(&python)),
        "http://pac-proxy:8080 (WPAD)"
    );
    let s = script(none(), found());
    let sys = with(true, true, &s);
    assert_eq!(
        shown(&sys.decide(&python)),
        "http://pac-proxy:8080 (PAC http://wpad.corp/proxy.pac)"
    );
    assert_eq!(sys.auto_failure(), None, "the PAC script answered");
    let s = script(none(), Ok(PacAnswer::Direct));
    assert_eq!(
        shown(&with(false, true, &s).decide(&python)),
        "direct (PAC http://wpad.corp/proxy.pac)"
    );
    // WPAD finds no script (the usual case): the static settings, and nothing to warn about.
    let s = script(Ok(PacAnswer::NoScript), none());
    let sys = with(true, false, &s);
    assert_eq!(
        shown(&sys.decide(&python)),
        "http://static:3128 (system settings (Internet Options))"
    );
    assert_eq!(sys.auto_failure(), None);
    // Nothing answers: the static settings, and doctor can say why.
    let s = script(none(), Err("HTTP 404".to_string()));
    let sys = with(true, true, &s);
    assert_eq!(
        shown(&sys.decide(&python)),
        "http://static:3128 (system settings (Internet Options))"
    );
    assert_eq!(
        sys.auto_failure().as_deref(),
        Some("WPAD: no script; PAC http://wpad.corp/proxy.pac: HTTP 404")
    );
    // No resolver at all (not Windows): the static settings.
    let sys = SystemProxy::new(
        SystemSettings {
            auto_detect: true,
            ..settings(Some("static:3128"), None)
        },
        None,
    );
    assert_eq!(
        shown(&sys.decide(&python)),
        "http://static:3128 (system settings (Internet Options))"
    );
}

#[test]
fn a_script_runs_once_per_host() {
    let s = script(
        Ok(PacAnswer::Proxies("p:8080".to_string())),
        Err(String::new()),
    );
    let sys = SystemProxy::new(
        SystemSettings {
            auto_detect: true,
            ..settings(None, None)
        },
        Some(s.clone() as Arc<dyn AutoProxy>),
    );
    for path in [
        "index-windows.json",
        "3.12.0/python-3.12.0-amd64.exe",
        "3.12.1/",
    ] {
        sys.decide(&u(&format!("https://www.python.org/ftp/python/{path}")));
    }
    // A clone (the client's closure holds one) shares the cache.
    sys.clone().decide(&u("https://www.python.org/other"));
    assert_eq!(s.asked.load(Ordering::SeqCst), 1);
    sys.decide(&u("https://mirror.example/x"));
    sys.decide(&u("http://www.python.org/x"));
    assert_eq!(
        s.asked.load(Ordering::SeqCst),
        3,
        "per scheme, host and port"
    );
}

fn config(env: &[(&str, &str)]) -> NetConfig {
    NetConfig::resolve(
        &NetOptions::default(),
        &MemoryEnv::from_pairs(env.iter().copied()),
    )
    .unwrap()
}

// The settings come through the seam, which release builds do not have.
#[cfg(debug_assertions)]
#[test]
fn precedence_variables_then_no_proxy_then_system_settings() {
    let python = u("https://www.python.org/ftp/python/");
    let sys = "server=sys:3128";
    let d = |env: &[(&str, &str)]| shown(&config(env).proxy_for(&python));
    assert_eq!(
        d(&[(seam::VAR, sys)]),
        "http://sys:3128 (system settings (Internet Options))"
    );
    assert_eq!(
        d(&[(seam::VAR, sys), ("HTTPS_PROXY", "http://env:1")]),
        "http://env:1 (HTTPS_PROXY)"
    );
    assert_eq!(
        d(&[(seam::VAR, sys), ("all_proxy", "http://all:2")]),
        "http://all:2 (all_proxy)"
    );
    // A variable for the other scheme still means "the environment decides".
    assert_eq!(
        d(&[(seam::VAR, sys), ("HTTP_PROXY", "http://env:1")]),
        "direct (no proxy setting)"
    );
    assert_eq!(
        d(&[(seam::VAR, sys), ("NO_PROXY", "python.org")]),
        "direct (NO_PROXY)"
    );
    assert_eq!(
        d(&[("HTTPS_PROXY", "http://env:1"), ("NO_PROXY", "python.org")]),
        "direct (NO_PROXY)"
    );
    // Windows would read this machine's settings.
    if cfg!(not(windows)) {
        assert_eq!(d(&[]), "direct (no proxy setting)");
    }
    assert_eq!(d(&[(seam::VAR, "none")]), "direct (no proxy setting)");
    assert_eq!(
        d(&[(seam::VAR, "detect=1|answer=pac:8080")]),
        "http://pac:8080 (WPAD)"
    );
    assert_eq!(
        d(&[(seam::VAR, "origin=winhttp|server=w:80")]),
        "http://w:80 (system settings (netsh winhttp))"
    );
    assert!(config(&[(seam::VAR, sys), ("HTTPS_PROXY", "http://env:1")])
        .system_proxy
        .is_none());
    let file = u("file:///tmp/mirror");
    assert_eq!(
        shown(&config(&[(seam::VAR, sys)]).proxy_for(&file)),
        "direct (no proxy setting)"
    );
}

/// The diagnosis of a failed request names the proxy the system settings chose, as it
/// names a proxy variable's (the same decision, asked by the client and the diagnosis).
#[cfg(debug_assertions)]
#[test]
fn a_failure_through_the_system_proxy_names_it() {
    // Nothing listens on a port whose listener was dropped.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    let seam = format!("server=127.0.0.1:{port}|bypass=<-loopback>");
    let client = crate::Client::from_options(
        &NetOptions {
            retries: Some(0),
            ..Default::default()
        },
        &MemoryEnv::from_pairs([(seam::VAR, seam.as_str())]),
    )
    .unwrap();
    let err = client
        .get_bytes("https://localhost:1/index-windows.json")
        .unwrap_err();
    let facts = &err.diagnosis().unwrap().facts;
    assert_eq!(
        facts.proxy.as_deref(),
        Some(format!("http://127.0.0.1:{port}").as_str())
    );
}
