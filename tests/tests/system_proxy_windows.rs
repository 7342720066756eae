//! The system proxy under Windows (Wine in CI): the Internet Settings values written to the
//! registry of the test's Wine prefix, as a user's proxy settings (or a script, or a group
//! policy) write them, make `update`, `install` and doctor go through the test CONNECT
//! proxy to the loopback HTTPS mirror that scripts/test-windows.sh serves; then a PAC
//! script served from loopback, evaluated by WinHTTP's own resolver, where Wine's WinHTTP
//! can run one. The decision logic itself is tested on Linux (`system_proxy.rs`, and
//! pyv-net's unit tests).
#![cfg(windows)]

use pyv_tests::{bin, is_wine, Layout, Output, TestEnv};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings";
const VALUES: [&str; 4] = [
    "ProxyEnable",
    "ProxyServer",
    "ProxyOverride",
    "AutoConfigURL",
];

/// Puts the values back as they were, even when an assertion fails.
struct Restore(Vec<(&'static str, Option<windows_registry::Value>)>);

impl Restore {
    fn save() -> Restore {
        let k = windows_registry::CURRENT_USER.create(KEY).unwrap();
        Restore(VALUES.iter().map(|n| (*n, k.get_value(n).ok())).collect())
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        let Ok(k) = windows_registry::CURRENT_USER.create(KEY) else {
            return;
        };
        for (name, value) in &self.0 {
            let _ = match value {
                Some(v) => k.set_value(name, v),
                None => k.remove_value(name),
            };
        }
    }
}

fn set(values: &[(&str, &str)]) {
    let k = windows_registry::CURRENT_USER.create(KEY).unwrap();
    for name in VALUES {
        let _ = k.remove_value(name);
    }
    for (name, v) in values {
        if *name == "ProxyEnable" {
            k.set_u32(name, v.parse().unwrap()).unwrap();
        } else {
            k.set_string(name, *v).unwrap();
        }
    }
}

fn package() -> Vec<u8> {
    let fake = std::fs::read(bin("fakepython")).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("python.exe", o).unwrap();
        z.write_all(&fake).unwrap();
        z.start_file("python.exe.version", o).unwrap();
        z.write_all(b"3.12.99").unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// A CONNECT proxy to loopback ports that also serves one PAC file on `GET /proxy.pac`
/// (pyv-testserver is host-only; this runs inside the Windows test process). Threads end
/// with the process.
struct Proxy {
    port: u16,
    tunnels: Arc<AtomicUsize>,
    pac: Arc<Mutex<String>>,
}

impl Proxy {
    fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let tunnels = Arc::new(AtomicUsize::new(0));
        let pac = Arc::new(Mutex::new(String::new()));
        let (t, p) = (tunnels.clone(), pac.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (t, p) = (t.clone(), p.clone());
                std::thread::spawn(move || serve(conn, &t, &p));
            }
        });
        Proxy { port, tunnels, pac }
    }

    fn host_port(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn url(&self) -> String {
        format!("http://{}", self.host_port())
    }
}

fn serve(mut client: TcpStream, tunnels: &AtomicUsize, pac: &Mutex<String>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match client.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    if method == "GET" && target.ends_with("/proxy.pac") {
        let body = pac.lock().unwrap().clone();
        let _ = write!(
            client,
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-ns-proxy-autoconfig\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        return;
    }
    // Loopback only, whatever the request names.
    let port = target
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse::<u16>().ok());
    let upstream = match (method, port) {
        ("CONNECT", Some(port)) => TcpStream::connect(("127.0.0.1", port)).ok(),
        _ => None,
    };
    let Some(upstream) = upstream else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        return;
    };
    tunnels.fetch_add(1, Ordering::SeqCst);
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    let up = std::thread::spawn(move || {
        let (mut client, mut upstream) = (client, upstream);
        let _ = std::io::copy(&mut client, &mut upstream);
        let _ = upstream.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut u2, &mut c2);
    let _ = c2.shutdown(std::net::Shutdown::Write);
    let _ = up.join();
}

fn tunnels(p: &Proxy) -> usize {
    p.tunnels.load(Ordering::SeqCst)
}

/// `pyv args` with its output in files, not pipes: Wine starts its desktop process
/// (`explorer.exe /desktop`) the first time a program needs a window, as WinHTTP's script
/// engine does, and that process inherits the program's stdout and stderr, so reading a
/// pipe to its end would wait for as long as the desktop runs. Returns (code, stdout).
fn pyv_to_files(e: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = e.tmp.join("pyv-stdout.txt");
    let err = e.tmp.join("pyv-stderr.txt");
    let status = e
        .command(&bin("pyv"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .status()
        .unwrap();
    let stdout = std::fs::read_to_string(&out).unwrap();
    let stderr = std::fs::read_to_string(&err).unwrap();
    let code = status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "pyv {args:?}: {code}\n{stdout}\n{stderr}"
    );
    (code, stdout)
}

fn ok(out: &Output) {
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn internet_settings_and_a_pac_script_route_downloads_through_the_proxy() {
    if !is_wine() {
        // The test changes the user's proxy settings: only in the throwaway Wine prefix.
        eprintln!("SKIP: this test rewrites HKCU's Internet Settings; it runs only under Wine (scripts/test-windows.sh)");
        return;
    }
    let (Ok(ok_url), Ok(www)) = (
        std::env::var("PYV_WINE_TLS_OK_URL"),
        std::env::var("PYV_WINE_TLS_WWW"),
    ) else {
        eprintln!("SKIP: no loopback HTTPS fixture (PYV_WINE_TLS_OK_URL/PYV_WINE_TLS_WWW; run scripts/test-windows.sh)");
        return;
    };
    let origin = ok_url.trim_end_matches("/index.txt");
    let name = format!("sysproxy-{}", std::process::id());
    let dir = std::path::Path::new(&www).join(&name);
    let zip = package();
    std::fs::create_dir_all(dir.join("3.12.99")).unwrap();
    std::fs::write(dir.join("3.12.99/python-3.12.99-amd64.zip"), &zip).unwrap();
    let sha: String = Sha256::digest(&zip)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::write(
        dir.join("index-windows.json"),
        format!(
            r#"{{"versions": [{{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
            "tag": "3.12-64", "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip",
            "hash": {{"sha256": "{sha}"}}}}]}}"#
        ),
    )
    .unwrap();
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", format!("{origin}/{name}"));
    e.set("PYV_HTTP_RETRIES", "0").set("PYV_HTTP_TIMEOUT", "10");
    e.unset("PYV_TEST_SYSTEM_PROXY");
    for v in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"] {
        e.unset(v).unset(&v.to_ascii_lowercase());
    }
    let proxy = Proxy::start();
    let hp = proxy.host_port();
    let _restore = Restore::save();

    // Static, per protocol; <-loopback> because the mirror is on loopback. https only: the
    // settings are the whole system's, and Windows' own fetches of the test CA's revocation
    // lists (http://127.0.0.1) must keep working, so http:// goes direct.
    set(&[
        ("ProxyEnable", "1"),
        ("ProxyServer", &format!("https={hp}")),
        ("ProxyOverride", "*.corp.example;<-loopback>"),
    ]);
    ok(&e.pyv(["update"]));
    let after_update = tunnels(&proxy);
    assert!(after_update >= 1, "update went through the proxy");
    ok(&e.pyv(["install", "3.12.99"]));
    assert!(
        tunnels(&proxy) > after_update,
        "install went through the proxy"
    );
    let out = e.pyv(["doctor", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        v["network"]["proxy"]["mirror"],
        serde_json::json!({"proxy": proxy.url(), "from": "system settings (Internet Options)"}),
        "{out:?}"
    );

    // Without <-loopback> the loopback mirror is direct.
    set(&[
        ("ProxyEnable", "1"),
        ("ProxyServer", &format!("https={hp}")),
    ]);
    let before = tunnels(&proxy);
    ok(&e.pyv(["update"]));
    assert_eq!(tunnels(&proxy), before, "loopback went direct");

    // A PAC script from loopback, run by WinHTTP.
    *proxy.pac.lock().unwrap() =
        format!("function FindProxyForURL(url, host) {{ if (url.substring(0, 6) == \"https:\") return \"PROXY {hp}\"; return \"DIRECT\"; }}\n");
    let pac = format!("{}/proxy.pac", proxy.url());
    set(&[("AutoConfigURL", &pac)]);
    let before = tunnels(&proxy);
    let (_, stdout) = pyv_to_files(&e, &["doctor", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    if tunnels(&proxy) == before {
        let why: Vec<String> = v["issues"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["message"].as_str())
            .filter(|m| m.contains("automatic proxy configuration"))
            .map(str::to_string)
            .collect();
        assert!(!why.is_empty(), "no tunnel and no reason: {stdout}");
        eprintln!(
            "SKIP: Wine's WinHTTP did not evaluate the PAC script: {}",
            why.join("; ")
        );
    } else {
        assert_eq!(
            v["network"]["proxy"]["mirror"],
            serde_json::json!({"proxy": proxy.url(), "from": format!("PAC {pac}")}),
            "{stdout}"
        );
        let before = tunnels(&proxy);
        assert_eq!(pyv_to_files(&e, &["update"]).0, 0);
        assert!(
            tunnels(&proxy) > before,
            "update went through the PAC script's proxy"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
