//! Proxy authentication end to end against a real squid (Debian `squid`): Basic
//! (`basic_ncsa_auth`), Digest (`digest_file_auth`) and NTLM (`ntlm_fake_auth`, which accepts
//! any password, so refusals are tested with Basic and Digest), for `pyv update` + `pyv
//! install` through a CONNECT tunnel to the HTTPS test mirror and through plain-http
//! requests to an http:// mirror; and the three ways a 407 stands (no credentials, refused,
//! no scheme pyv can answer), every message exact. squid missing: each test prints SKIP
//! and the reason. Nothing leaves 127.0.0.1.
#![cfg(unix)]

use pyv_tests::mirror::{mirror, Mirror};
use pyv_tests::{assert_cli, Layout, TestEnv};
use pyv_testserver::Profile;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SQUID: &str = "/usr/sbin/squid";
const HELPERS: &str = "/usr/lib/squid";
/// `jane:secret`, as `openssl passwd -apr1 -salt pyvtest1 secret` writes it for basic_ncsa_auth.
const NCSA_JANE: &str = "jane:$apr1$pyvtest1$GbKp4lB4pBteaBQD8sl790";

/// Which `auth_param` blocks squid is configured with, strongest first as squid offers them.
#[derive(Clone, Copy, PartialEq)]
enum Auth {
    /// negotiate_kerberos_auth with the test realm's HTTP/localhost keytab.
    Negotiate,
    Ntlm,
    Digest,
    Basic,
}

/// A squid on 127.0.0.1 with its config, logs and password files in a temp dir.
struct Squid {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Squid {
    /// `None` (after printing SKIP and why) when squid or a helper is not installed.
    fn start(test: &str, schemes: &[Auth]) -> Option<Squid> {
        Squid::start_with(test, schemes, None)
    }

    fn start_with(test: &str, schemes: &[Auth], kdc: Option<&Kdc>) -> Option<Squid> {
        let helper = |s: &Auth| match s {
            Auth::Negotiate => "negotiate_kerberos_auth",
            Auth::Ntlm => "ntlm_fake_auth",
            Auth::Digest => "digest_file_auth",
            Auth::Basic => "basic_ncsa_auth",
        };
        for p in std::iter::once(SQUID.to_string())
            .chain(schemes.iter().map(|s| format!("{HELPERS}/{}", helper(s))))
        {
            if !Path::new(&p).exists() {
                println!(
                    "SKIP {test}: {p} is not installed (Debian package squid; .ci/run installs it)"
                );
                return None;
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| o.stdout == b"0\n")
            .unwrap_or(false);
        let port = free_port();
        let mut conf = format!(
            "http_port 127.0.0.1:{port}\npid_filename {d}/squid.pid\ncache_log {d}/cache.log\naccess_log {d}/access.log\n\
             coredump_dir {d}\ncache deny all\nshutdown_lifetime 0 seconds\n",
            d = d.display()
        );
        if root {
            // squid refuses to keep root: it drops to this user, who must reach the files.
            conf.push_str("cache_effective_user proxy\n");
            std::fs::set_permissions(d, std::os::unix::fs::PermissionsExt::from_mode(0o777))
                .unwrap();
        }
        for s in schemes {
            match s {
                Auth::Negotiate => {
                    let kdc = kdc.unwrap();
                    conf.push_str(&format!(
                        "auth_param negotiate program {HELPERS}/negotiate_kerberos_auth -k {} -s HTTP/localhost@{REALM}\nauth_param negotiate children 2\n",
                        kdc.keytab().display()
                    ));
                }
                Auth::Ntlm => conf.push_str(&format!("auth_param ntlm program {HELPERS}/ntlm_fake_auth\nauth_param ntlm children 2\n")),
                Auth::Digest => {
                    std::fs::write(d.join("digest.pw"), "jane:secret\n").unwrap();
                    conf.push_str(&format!(
                        "auth_param digest program {HELPERS}/digest_file_auth {}/digest.pw\nauth_param digest children 2\nauth_param digest realm pyv-test\n",
                        d.display()
                    ));
                }
                Auth::Basic => {
                    std::fs::write(d.join("basic.pw"), format!("{NCSA_JANE}\n")).unwrap();
                    conf.push_str(&format!(
                        "auth_param basic program {HELPERS}/basic_ncsa_auth {}/basic.pw\nauth_param basic children 2\nauth_param basic realm pyv-test\n",
                        d.display()
                    ));
                }
            }
        }
        conf.push_str(
            "acl authed proxy_auth REQUIRED\nhttp_access allow authed\nhttp_access deny all\n",
        );
        std::fs::write(d.join("squid.conf"), conf).unwrap();
        let mut cmd = Command::new(SQUID);
        if let Some(kdc) = kdc {
            // The helper finds the realm and keytab through these; no replay cache on disk.
            cmd.env("KRB5_CONFIG", kdc.krb5_conf())
                .env("KRB5RCACHETYPE", "none");
        }
        let child = cmd
            .args(["-N", "-f"])
            .arg(d.join("squid.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("stderr.log")).unwrap())
            .spawn()
            .unwrap();
        let s = Squid { child, port, dir };
        // Readiness, not timing: squid listens once its helpers are up.
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "squid did not start: {}",
                s.log("cache.log")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(s)
    }

    fn url(&self, creds: &str) -> String {
        format!("http://{creds}127.0.0.1:{}", self.port)
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// The access log's user column for requests that got through (status 2xx).
    fn users_let_through(&self) -> Vec<String> {
        self.log("access.log")
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (f.len() > 7 && f[3].contains("/200")).then(|| f[7].to_string())
            })
            .collect()
    }
}

impl Drop for Squid {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The environment for `m` through `proxy` (set as HTTPS_PROXY and HTTP_PROXY).
fn env(m: &Mirror, proxy: &str) -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", m.server.url("/python"))
        .set("PYV_HTTP_TIMEOUT", "10")
        .set("PYV_HTTP_RETRIES", "0")
        .set("HTTPS_PROXY", proxy)
        .set("HTTP_PROXY", proxy);
    if let Some(ca) = &m.ca {
        e.set("SSL_CERT_FILE", ca.to_str().unwrap());
        e.redact(ca, "[CA]");
    }
    e
}

/// A root whose catalog was read from `m` directly, then `proxy` set: the install's own
/// download meets the proxy.
fn updated_then_proxied(m: &Mirror, proxy: &str) -> TestEnv {
    let mut e = env(m, proxy);
    e.unset("HTTPS_PROXY").unset("HTTP_PROXY");
    let out = e.pyv(["update"]);
    assert_eq!(out.code, 0, "{out:?}");
    e.set("HTTPS_PROXY", proxy).set("HTTP_PROXY", proxy);
    e
}

/// `pyv update` then `pyv install 3.12.99` succeed, and squid logged `user` for them.
fn installs_through(squid: &Squid, m: &Mirror, creds: &str, user: &str) {
    let e = env(m, &squid.url(creds));
    let out = e.pyv(["update"]);
    assert_eq!(out.code, 0, "{out:?}\n{}", squid.log("cache.log"));
    let out = e.pyv(["install", "3.12.99"]);
    // A plain-http mirror is used on purpose here, and warned about (proxy_answers.rs
    // asserts that warning); the rest is the same for both kinds of mirror.
    let plain = "pyv: warning: the mirror http://localhost:";
    assert_eq!(out.stderr.starts_with(plain), m.ca.is_none(), "{out:?}");
    let out = out
        .with_filter(r"(?m)^pyv: warning: the mirror http://\S+ \(from PYTHON_BUILD_MIRROR_URL\) is plain http.*\n", "")
        .with_filter(r"https?://localhost:\[PORT\]", "[MIRROR]");
    insta::allow_duplicates! { assert_cli!(out, @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: [MIRROR]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    ") };
    assert!(e.root.join("versions/3.12.99/python.exe").is_file());
    let users = squid.users_let_through();
    assert!(
        !users.is_empty() && users.iter().all(|u| u == user),
        "squid let through {users:?}:\n{}",
        squid.log("access.log")
    );
}

macro_rules! squid_or_skip {
    ($name:literal, $($s:expr),+) => {
        match Squid::start($name, &[$($s),+]) {
            Some(s) => s,
            None => return,
        }
    };
}

#[test]
fn basic_through_a_connect_tunnel() {
    let squid = squid_or_skip!("basic_through_a_connect_tunnel", Auth::Basic);
    installs_through(&squid, &mirror(true), "jane:secret@", "jane");
}

#[test]
fn digest_through_a_connect_tunnel_and_for_plain_http() {
    let squid = squid_or_skip!(
        "digest_through_a_connect_tunnel_and_for_plain_http",
        Auth::Digest
    );
    installs_through(&squid, &mirror(true), "jane:secret@", "jane");
    installs_through(&squid, &mirror(false), "jane:secret@", "jane");
}

#[test]
fn ntlm_through_a_connect_tunnel_and_for_plain_http() {
    let squid = squid_or_skip!(
        "ntlm_through_a_connect_tunnel_and_for_plain_http",
        Auth::Ntlm,
        Auth::Digest,
        Auth::Basic
    );
    // ntlm_fake_auth takes any password; squid logs the user as DOMAIN\user with the
    // backslash escaped. NTLM is chosen over the Digest and Basic squid also offers.
    installs_through(
        &squid,
        &mirror(true),
        "CORP%5Cjane:anything@",
        "CORP\\\\jane",
    );
    installs_through(
        &squid,
        &mirror(false),
        "CORP%5Cjane:anything@",
        "CORP\\\\jane",
    );
}

#[test]
fn no_credentials_names_the_offered_schemes() {
    let squid = squid_or_skip!(
        "no_credentials_names_the_offered_schemes",
        Auth::Ntlm,
        Auth::Digest,
        Auth::Basic
    );
    let m = mirror(true);
    let e = updated_then_proxied(&m, &squid.url(""));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] requires credentials (HTTP 407; it offers NTLM, Digest, Basic) and none were given (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); put them in the proxy URL: HTTPS_PROXY=http://user:password@host:port (percent-encode special characters, e.g. @ as %40)
    ");
    let m = mirror(false);
    let e = updated_then_proxied(&m, &squid.url(""));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: http://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: warning: the mirror http://localhost:[PORT]/python (from PYTHON_BUILD_MIRROR_URL) is plain http: its index, its checksums and its files cannot be authenticated, so an altered download would go unnoticed; use an https:// mirror if there is one
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] requires credentials (HTTP 407; it offers NTLM, Digest, Basic) and none were given (http://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); put them in the proxy URL: HTTP_PROXY=http://user:password@host:port (percent-encode special characters, e.g. @ as %40)
    ");
}

#[test]
fn a_wrong_password_is_refused_by_name() {
    let squid = squid_or_skip!("a_wrong_password_is_refused_by_name", Auth::Digest);
    let m = mirror(true);
    let e = updated_then_proxied(&m, &squid.url("jane:wrong@"));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] refused the credentials of 'jane' (Digest, HTTP 407) (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); check the user name and password in HTTPS_PROXY (a domain account is DOMAIN%5Cuser; percent-encode special characters, e.g. @ as %40)
    ");
    let squid = squid_or_skip!("a_wrong_password_is_refused_by_name", Auth::Basic);
    let m = mirror(false);
    let e = updated_then_proxied(&m, &squid.url("jane:wrong@"));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: http://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: warning: the mirror http://localhost:[PORT]/python (from PYTHON_BUILD_MIRROR_URL) is plain http: its index, its checksums and its files cannot be authenticated, so an altered download would go unnoticed; use an https:// mirror if there is one
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] refused the credentials of 'jane' (Basic, HTTP 407) (http://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); check the user name and password in HTTP_PROXY (a domain account is DOMAIN%5Cuser; percent-encode special characters, e.g. @ as %40)
    ");
}

/// A proxy that answers every request with 407 offering only `Bearer` and `X-Corp-Token`
/// (no scheme pyv can answer).
fn bearer_only_proxy() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        // Bounded: the two commands of the test make at most a few connections.
        for conn in listener.incoming().take(8) {
            let Ok(mut c) = conn else { continue };
            let mut buf = [0u8; 4096];
            let _ = c.read(&mut buf);
            let _ = c.write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Bearer realm=\"corp\"\r\nProxy-Authenticate: X-Corp-Token\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    (port, t)
}

#[test]
fn a_proxy_with_only_unknown_schemes_is_named_as_such() {
    let (port, _t) = bearer_only_proxy();
    let m = mirror(true);
    let e = updated_then_proxied(&m, &format!("http://127.0.0.1:{port}"));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] asks for Bearer, X-Corp-Token authentication, which pyv cannot answer (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); pyv answers Basic, Digest, NTLM and Negotiate: ask IT for a proxy address that accepts one of them, or for this mirror to bypass the proxy (NO_PROXY)
    ");
    let e = updated_then_proxied(&m, &format!("http://jane:secret@127.0.0.1:{port}"));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] asks for Bearer, X-Corp-Token authentication, which pyv cannot answer (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); pyv answers Basic, Digest, NTLM and Negotiate: ask IT for a proxy address that accepts one of them, or for this mirror to bypass the proxy (NO_PROXY)
    ");
}

const REALM: &str = "PYV.TEST";

/// A throwaway Kerberos realm: database, `jane` (password `secret`), `HTTP/localhost` in a
/// keytab for squid, and a krb5kdc on a free loopback port, all in a temp dir.
struct Kdc {
    child: Child,
    dir: tempfile::TempDir,
}

impl Kdc {
    fn start(test: &str) -> Option<Kdc> {
        for p in [
            "/usr/sbin/kdb5_util",
            "/usr/sbin/kadmin.local",
            "/usr/sbin/krb5kdc",
            "/usr/bin/kinit",
        ] {
            if !Path::new(p).exists() {
                println!("SKIP {test}: {p} is not installed (Debian packages krb5-kdc, krb5-admin-server, krb5-user; .ci/run installs them)");
                return None;
            }
        }
        if !Path::new("/usr/lib/x86_64-linux-gnu/libgssapi_krb5.so.2").exists()
            && !Path::new("/lib/x86_64-linux-gnu/libgssapi_krb5.so.2").exists()
        {
            println!("SKIP {test}: libgssapi_krb5.so.2 is not installed (Debian package libgssapi-krb5-2)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::set_permissions(d, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let port = free_port();
        std::fs::write(
            d.join("krb5.conf"),
            format!(
                "[libdefaults]\n default_realm = {REALM}\n dns_lookup_kdc = false\n dns_lookup_realm = false\n rdns = false\n \
                 dns_canonicalize_hostname = false\n udp_preference_limit = 1\n[realms]\n {REALM} = {{\n  kdc = 127.0.0.1:{port}\n }}\n\
                 [domain_realm]\n localhost = {REALM}\n"
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("kdc.conf"),
            format!(
                "[kdcdefaults]\n kdc_ports = {port}\n kdc_tcp_ports = {port}\n[realms]\n {REALM} = {{\n  database_name = {d}/principal\n  \
                 key_stash_file = {d}/stash\n  acl_file = {d}/kadm5.acl\n  kdc_ports = {port}\n  kdc_tcp_ports = {port}\n }}\n\
                 [logging]\n kdc = FILE:{d}/kdc.log\n",
                d = d.display()
            ),
        )
        .unwrap();
        let run = |prog: &str, args: &[&str]| {
            let out = Command::new(prog)
                .args(args)
                .env("KRB5_CONFIG", d.join("krb5.conf"))
                .env("KRB5_KDC_PROFILE", d.join("kdc.conf"))
                .stdin(Stdio::null())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{prog} {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run(
            "kdb5_util",
            &["create", "-s", "-r", REALM, "-P", "master-pw"],
        );
        run(
            "kadmin.local",
            &["-r", REALM, "-q", "addprinc -pw secret jane"],
        );
        run(
            "kadmin.local",
            &["-r", REALM, "-q", "addprinc -randkey HTTP/localhost"],
        );
        let kt = d.join("http.keytab");
        run(
            "kadmin.local",
            &[
                "-r",
                REALM,
                "-q",
                &format!("ktadd -k {} HTTP/localhost", kt.display()),
            ],
        );
        // squid's helper runs as 'proxy' under root: it must read the keytab.
        std::fs::set_permissions(&kt, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
        let child = Command::new("krb5kdc")
            .args(["-n", "-P"])
            .arg(d.join("kdc.pid"))
            .env("KRB5_CONFIG", d.join("krb5.conf"))
            .env("KRB5_KDC_PROFILE", d.join("kdc.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "krb5kdc did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(Kdc { child, dir })
    }

    fn krb5_conf(&self) -> PathBuf {
        self.dir.path().join("krb5.conf")
    }

    fn keytab(&self) -> PathBuf {
        self.dir.path().join("http.keytab")
    }

    fn ccache(&self) -> String {
        format!("FILE:{}", self.dir.path().join("jane.cc").display())
    }

    /// pyv's environment: the realm, and a credential cache of its own.
    fn client_env(&self, e: &mut TestEnv) {
        e.set("KRB5_CONFIG", self.krb5_conf().to_str().unwrap())
            .set("KRB5CCNAME", self.ccache());
    }

    /// `kinit jane` into the test's credential cache.
    fn kinit(&self) {
        let mut child = Command::new("kinit")
            .arg("jane")
            .env("KRB5_CONFIG", self.krb5_conf())
            .env("KRB5CCNAME", self.ccache())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(b"secret\n").unwrap();
        assert!(child.wait().unwrap().success(), "kinit jane");
    }
}

impl Drop for Kdc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether an ELF64 executable names a dynamic loader (a PT_INTERP program header).
fn has_interpreter(exe: &Path) -> bool {
    let b = std::fs::read(exe).unwrap();
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let phoff = u64::from_le_bytes(b[0x20..0x28].try_into().unwrap()) as usize;
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    (0..count).any(|i| b[phoff + i * size..phoff + i * size + 4] == 3u32.to_le_bytes())
}

#[test]
fn negotiate_with_a_test_kdc() {
    let test = "negotiate_with_a_test_kdc";
    // The static release build (PYV_TEST_BINARIES) has no dynamic loader for Kerberos.
    if !has_interpreter(&pyv_tests::bin("pyv")) {
        println!(
            "SKIP {test}: the pyv under test is statically linked and cannot load libgssapi_krb5"
        );
        return;
    }
    let Some(kdc) = Kdc::start(test) else { return };
    let Some(squid) = Squid::start_with(test, &[Auth::Negotiate], Some(&kdc)) else {
        return;
    };
    // Kerberos names the proxy by host name: HTTP@localhost.
    let url = |creds: &str| format!("http://{creds}localhost:{}", squid.port);
    // The password in the URL gets a ticket (no kinit), through the tunnel and for plain http.
    for tls in [true, false] {
        let m = mirror(tls);
        let mut e = env(&m, &url("jane:secret@"));
        kdc.client_env(&mut e);
        let out = e.pyv(["update"]);
        assert_eq!(out.code, 0, "{out:?}\n{}", squid.log("cache.log"));
        let out = e.pyv(["install", "3.12.99"]);
        assert_eq!(out.code, 0, "{out:?}\n{}", squid.log("cache.log"));
    }
    let users = squid.users_let_through();
    assert!(
        !users.is_empty() && users.iter().all(|u| u == "jane@PYV.TEST"),
        "{users:?}"
    );
    // A user without password: the ticket already in the cache (kinit), as curl does.
    kdc.kinit();
    let m = mirror(true);
    let mut e = updated_then_proxied(&m, &url("jane@"));
    kdc.client_env(&mut e);
    assert_eq!(e.pyv(["install", "3.12.99"]).code, 0);
    // A wrong password: the KDC refuses it, and that is what the message says.
    let mut e = updated_then_proxied(&m, &url("jane:wrong@"));
    kdc.client_env(&mut e);
    e.set("KRB5CCNAME", "FILE:/nonexistent/pyv-test-cc");
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy authentication required: the credentials of 'jane' for the proxy http://localhost:[PORT] were refused (Negotiate; Kerberos: No credentials were supplied, or the credentials were unavailable or inaccessible: Decrypt integrity check failed) (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); check the user name and password in HTTPS_PROXY (a domain account is DOMAIN%5Cuser; percent-encode special characters, e.g. @ as %40)
    ");
}

#[test]
fn tls_diagnosis_passes_an_ntlm_proxy_too() {
    let squid = squid_or_skip!("tls_diagnosis_passes_an_ntlm_proxy_too", Auth::Ntlm);
    let m = mirror(true);
    let mut e = updated_then_proxied(&m, &squid.url("CORP%5Cjane:x@"));
    // The same package from a server whose certificate has expired: the dates in the
    // message come from the inspection handshake, which must get through NTLM as well.
    let expired = m.fixture.as_ref().unwrap().https(Profile::Expired);
    e.set("PYTHON_BUILD_MIRROR_URL", expired.url("/python"));
    assert_cli!(e.pyv(["install", "3.12.99"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: expired certificate: the certificate of localhost expired on [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); if the clock above is wrong, correct this computer's date and time; otherwise the server (or an HTTPS-inspecting proxy) must renew its certificate, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
}
