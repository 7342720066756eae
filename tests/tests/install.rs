//! `pyv update` and `pyv install` end to end against a python.org-shaped mirror served over
//! HTTPS on 127.0.0.1 with generated certificates. Nothing leaves the machine.
#![cfg(unix)]

use pyv_tests::{assert_cli, Layout, Output, TestEnv};
use pyv_testserver::{Fixture, Misbehave, Profile, Rule, Server};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A zip laid out like python.org's runtime package, whose python.exe is a fake program.
fn runtime_zip(version: &str, top: Option<&str>) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let exe = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
        // Stored, so the package is big enough to cut mid-body.
        let plain = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let p = |name: &str| match top {
            Some(t) => format!("{t}/{name}"),
            None => name.to_string(),
        };
        z.start_file(p("python.exe"), exe).unwrap();
        write!(
            z,
            "#!/bin/sh\necho \"python {version}\"\nfor a in \"$@\"; do echo \"[$a]\"; done\n"
        )
        .unwrap();
        z.start_file(p("Lib/os.py"), plain).unwrap();
        z.write_all(&vec![b'#'; 50_000]).unwrap();
        z.start_file(p("python3.dll"), plain).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// NuGet packages keep the Python under `tools/`.
fn nupkg(version: &str) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let exe = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
        z.start_file("python.nuspec", exe).unwrap();
        z.start_file("tools/python.exe", exe).unwrap();
        write!(z, "#!/bin/sh\necho \"python {version} (nuget)\"\n").unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn sha256(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

struct Mirror {
    fixture: Fixture,
    server: Server,
    ca: PathBuf,
    zip: Vec<u8>,
    _ca_dir: tempfile::TempDir,
}

const ZIP_PATH: &str = "/python/3.12.99/python-3.12.99-amd64.zip";

/// Serves `/python/`: the index chain (a hashed 3.12.99 zip, a 3.10.99 NuGet package), the
/// directory listing with a source-only 3.10.100, and the packages.
fn mirror(profile: Profile, sha_override: Option<&str>) -> Mirror {
    let fixture = Fixture::new();
    let server = fixture.https(profile);
    let zip = runtime_zip("3.12.99", None);
    let sha = sha_override
        .map(String::from)
        .unwrap_or_else(|| sha256(&zip));
    let index = format!(
        r#"{{"versions": [{{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
            "tag": "3.12-64", "install-for": ["3.12.99-64"], "display-name": "Python 3.12.99", "executable": ".\\python.exe",
            "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip", "hash": {{"sha256": "{sha}"}}}}],
            "next": "index-windows-legacy.json"}}"#
    );
    let legacy = r#"{"versions": [{"schema": 1, "id": "pythoncore-3.10-64", "sort-version": "3.10.99", "company": "PythonCore",
        "tag": "3.10-64", "install-for": ["3.10.99-64"], "display-name": "Python 3.10.99", "executable": ".\\python.exe",
        "url": "nuget/python.3.10.99.nupkg"}]}"#;
    let listing = "<html><body><pre><a href=\"../\">../</a>\n<a href=\"3.10.99/\">3.10.99/</a>   01-Jan-2026 00:00    -\n\
        <a href=\"3.10.100/\">3.10.100/</a>   01-Feb-2026 00:00    -\n<a href=\"3.12.99/\">3.12.99/</a>   01-Jan-2026 00:00    -\n</pre></body></html>";
    let page = |files: &[&str]| {
        files
            .iter()
            .map(|f| format!("<a href=\"{f}\">{f}</a>   01-Jan-2026 00:00   1M\n"))
            .collect::<String>()
    };
    server.add_file("/python/index-windows.json", index);
    server.add_file("/python/index-windows-legacy.json", legacy);
    server.add_file("/python/", listing);
    server.add_file("/python/3.10.100/", page(&["Python-3.10.100.tar.xz"]));
    server.add_file("/python/3.10.99/", page(&["Python-3.10.99.tar.xz"]));
    server.add_file("/python/3.12.99/", page(&["python-3.12.99-amd64.zip"]));
    server.add_file(ZIP_PATH, zip.clone());
    server.add_file("/python/nuget/python.3.10.99.nupkg", nupkg("3.10.99"));
    let ca_dir = tempfile::tempdir().unwrap();
    let ca = fixture.pki.write_root(ca_dir.path()).unwrap();
    Mirror {
        fixture,
        server,
        ca,
        zip,
        _ca_dir: ca_dir,
    }
}

fn env_for(m: &Mirror) -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", m.server.url("/python"));
    e.set("PYV_HTTP_TIMEOUT", "5").set("PYV_HTTP_RETRIES", "1");
    e.redact(&m.ca, "[CA]");
    e
}

/// Files left in a folder (recursively), relative, sorted; lock files are not content.
fn files_in(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.retain(|f| !f.ends_with(".lock"));
    v.sort();
    v
}

#[test]
fn update_then_install_over_https_with_an_extra_ca() {
    let m = mirror(Profile::Good, None);
    let e = env_for(&m);
    let ca = m.ca.to_str().unwrap();
    assert_cli!(e.pyv(["update", "--cacert", ca]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Info] ::  1073 versions known, 2 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["install", "3.10.100"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: 3.10.100 has no Windows installer; the newest 3.10 with one is 3.10.99
    ");
    assert_cli!(e.pyv(["install", "3.12", "3.10.99", "--cacert", ca]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    :: [Downloading] ::  3.10.99 ...
    :: [Installing] ::  3.10.99 ...
    :: [Info] :: completed! 3.10.99
    ----- stderr -----
    ");
    assert_eq!(
        files_in(&e.root.join("install_cache")),
        ["python-3.12.99-amd64.zip", "python.3.10.99.nupkg"]
    );
    assert_cli!(e.pyv(["versions"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
      3.10.99
      3.12.99
    ----- stderr -----
    ");
    e.pyv(["global", "3.12"]);
    assert_cli!(e.run(&e.shim("python"), ["-V"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.99
    [-V]
    ----- stderr -----
    ");
    // Installed already: nothing is fetched again.
    let before = m.server.requests().len();
    assert_cli!(e.pyv(["install", "3.12.99"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  3.12.99 is already installed
    ----- stderr -----
    ");
    assert_eq!(m.server.requests().len(), before);
}

#[test]
fn a_damaged_cache_is_set_aside_and_update_rebuilds_it() {
    let m = mirror(Profile::Good, None);
    let e = env_for(&m);
    std::fs::create_dir_all(&e.root).unwrap();
    // They no longer refuse: each sets the file aside and uses the built-in list.
    std::fs::write(e.root.join(".versions_cache.xml"), "<versions><version").unwrap();
    assert_cli!(e.pyv(["latest", "-k", "3.12"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.10
    ----- stderr -----
    pyv: warning: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml' cannot be used (syntax error: tag not closed: `>` not found before end of input); moved it to '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml.damaged-[T]'; using pyv's built-in list of versions until 'pyv update' rebuilds it
    ");
    std::fs::write(e.root.join(".versions_cache.xml"), "<versions><version").unwrap();
    let ca = m.ca.to_str().unwrap();
    assert_cli!(e.pyv(["update", "--cacert", ca]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Info] ::  1073 versions known, 2 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    ----- stderr -----
    pyv: warning: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml' cannot be used (syntax error: tag not closed: `>` not found before end of input); moved it to '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml.damaged-[T]'; rebuilding it from pyv's built-in list
    ");
    let list = e.pyv(["install", "--list"]);
    assert_eq!((list.code, list.stderr.as_str()), (0, ""), "{list:?}");
}

#[test]
fn an_install_whose_rehash_fails_still_reports_the_install() {
    let m = mirror(Profile::Good, None);
    let e = updated_env(&m);
    // A pyv without pyv-shim beside it cannot make shims.
    let lonely = e
        .tmp
        .join("lonely")
        .join(format!("pyv{}", std::env::consts::EXE_SUFFIX));
    std::fs::create_dir_all(lonely.parent().unwrap()).unwrap();
    pyv_tests::copy_executable(&pyv_tests::bin("pyv"), &lonely);
    let out = e.run(
        &lonely,
        ["install", "3.12.99", "--cacert", m.ca.to_str().unwrap()],
    );
    assert_cli!(out, @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    pyv: shims not updated: no shim program found at '[TMP]/lonely/pyv-shim'; reinstall pyv so that pyv-shim sits beside it; run 'pyv rehash'
    ");
    assert!(e.root.join("versions/3.12.99/python.exe").is_file());
}

#[test]
fn a_mistyped_mirror_is_named_before_any_download() {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", "htps://mirror.example/python/");
    assert_cli!(e.pyv(["update"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: invalid PYTHON_BUILD_MIRROR_URL='htps://mirror.example/python': the 'htps' scheme is not supported (use https://, http://, file:// or a folder path); correct or unset the variable
    ");
}

#[test]
fn an_install_waits_for_another_install_of_the_same_version_and_says_so() {
    let m = mirror(Profile::Good, None);
    let e = updated_env(&m);
    let cache = e.root.join("install_cache");
    std::fs::create_dir_all(&cache).unwrap();
    // What another pyv installing 3.12.99 holds.
    let lock = std::fs::File::create(cache.join(".pyv-3.12.99.lock")).unwrap();
    lock.lock().unwrap();
    let out = std::thread::scope(|s| {
        let ca = m.ca.to_str().unwrap();
        let install = s.spawn(|| e.pyv(["install", "3.12.99", "--cacert", ca]));
        // The download comes before the lock: once the package is there, pyv is at the lock.
        let package = cache.join("python-3.12.99-amd64.zip");
        while !package.exists() && !install.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        lock.unlock().unwrap();
        install.join().unwrap()
    });
    assert_cli!(&out, @r"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Waiting for another install of it] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    ");
}

/// The catalog the tests install from, written as `pyv update` would (so each failure test
/// makes only the request it is about).
fn updated_env(m: &Mirror) -> TestEnv {
    let e = env_for(m);
    let out = e.pyv(["update", "--cacert", m.ca.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{out:?}");
    e
}

/// Nothing of a failed install may remain: no version folder, no package, no `.part`.
fn assert_nothing_left(e: &TestEnv, allow_part: bool) {
    assert!(
        !e.root.join("versions/3.12.99").exists(),
        "no version folder"
    );
    let left = files_in(&e.root.join("install_cache"));
    let left: Vec<&String> = left
        .iter()
        .filter(|f| !(allow_part && f.ends_with(".part")))
        .collect();
    assert!(left.is_empty(), "stray files: {left:?}");
    let versions = files_in(&e.root.join("versions"));
    assert!(versions.is_empty(), "stray files in versions: {versions:?}");
}

/// An install from a mirror of `profile` (the right package behind a bad TLS set-up), with
/// the fixture's root trusted or not; nothing may be left behind.
fn install_from(profile: Profile, with_ca: bool) -> Output {
    let good = mirror(Profile::Good, None);
    let mut e = updated_env(&good);
    let bad = good.fixture.https(profile);
    bad.add_file(ZIP_PATH, good.zip.clone());
    e.set("PYTHON_BUILD_MIRROR_URL", bad.url("/python"));
    let mut args = vec!["install", "3.12.99"];
    let ca = good.ca.to_str().unwrap();
    if with_ca {
        args.extend(["--cacert", ca]);
    }
    let out = e.pyv(&args);
    assert_nothing_left(&e, false);
    out
}

#[test]
fn no_extra_root_is_an_untrusted_certificate() {
    assert_cli!(install_from(Profile::Good, false), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: untrusted certificate: the certificate of localhost was issued by 'CN=pyv test root CA, O=pyv tests', a private CA this computer does not trust (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); if it is your organisation's CA, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root
    ");
}

#[test]
fn expired_not_yet_valid_wrong_host_and_missing_intermediate_are_named() {
    assert_cli!(install_from(Profile::Expired, true), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: expired certificate: the certificate of localhost expired on [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); if the clock above is wrong, correct this computer's date and time; otherwise the server (or an HTTPS-inspecting proxy) must renew its certificate, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    assert_cli!(install_from(Profile::NotYetValid, true), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: certificate not yet valid: the certificate of localhost is valid only from [TIME]; this computer's clock says [TIME] (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); set this computer's date and time correctly (the clock is probably behind)
    ");
    assert_cli!(install_from(Profile::WrongHost, true), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: certificate host name mismatch: the certificate names wrong.example, not 'localhost' (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); check the host in the URL for a typo; a proxy presenting its own certificate also causes this, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    assert_cli!(install_from(Profile::MissingIntermediate, true), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: incomplete certificate chain: localhost sent only its certificate, issued by 'CN=pyv test intermediate CA [ID], O=pyv tests', without an intermediate certificate linking it to a trusted root (the certificate names no address to fetch its issuer from) (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); if that CA is your organisation's, trust its root certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the system CA store; verification stays on); otherwise the server is misconfigured: ask its operator to send the full chain, or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
}

#[test]
fn ssl_cert_file_is_trusted_too() {
    let m = mirror(Profile::Good, None);
    let mut e = updated_env(&m);
    e.set("SSL_CERT_FILE", m.ca.to_str().unwrap());
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
    assert!(e.root.join("versions/3.12.99/python.exe").is_file());
}

#[test]
fn the_persistent_ca_setting_is_trusted() {
    let m = mirror(Profile::Good, None);
    let e = updated_env(&m);
    let ca = m.ca.to_str().unwrap();
    assert_cli!(e.pyv(["cacert", "add", ca]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    trusting the certificates in [CA]
    ----- stderr -----
    ");
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
    let bogus = e.tmp.join("not-a-cert.pem");
    std::fs::write(&bogus, "hello").unwrap();
    assert_cli!(e.pyv(["cacert", "add", bogus.to_str().unwrap()]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: CA certificate file '[TMP]/not-a-cert.pem' (from cacert add): it is neither PEM nor a DER certificate; give a PEM file (one or more certificates) or a DER .cer file, or remove it from cacert add
    ");
}

#[test]
fn wrong_checksum_is_refused_after_one_more_try() {
    let m = mirror(Profile::Good, Some(&"ab".repeat(32)));
    let e = updated_env(&m);
    assert_cli!(e.pyv(["install", "3.12.99", "--cacert", m.ca.to_str().unwrap()]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: checksum mismatch for https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip: expected sha256 abababababababababababababababababababababababababababababababab, got c075df1ac02f57181937e0191bc1aefb7f989a5adc24ffb541ad86d7372af181 twice; the file on the mirror is damaged or was altered, nothing was installed; try later or use another mirror (PYTHON_BUILD_MIRROR_URL)
    ");
    let fetches = m
        .server
        .requests()
        .iter()
        .filter(|r| r.target == ZIP_PATH)
        .count();
    assert_eq!(fetches, 2, "fetched once more, then gave up");
    assert_nothing_left(&e, false);
}

#[test]
fn missing_file_on_the_mirror_is_a_404() {
    let m = mirror(Profile::Good, None);
    let e = updated_env(&m);
    m.server
        .set_rule(ZIP_PATH, Rule::always(Misbehave::Status(404)));
    assert_cli!(e.pyv(["install", "3.12.99", "--cacert", m.ca.to_str().unwrap()]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: not found on the mirror: HTTP 404, the version or file is not on the mirror (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); check the version with 'pyv install --list' and the mirror URL (PYTHON_BUILD_MIRROR_URL)
    ");
    assert_nothing_left(&e, false);
}

#[test]
fn a_cut_download_resumes_on_the_next_run() {
    let m = mirror(Profile::Good, None);
    let mut e = updated_env(&m);
    e.set("PYV_HTTP_RETRIES", "0");
    m.server
        .set_rule(ZIP_PATH, Rule::first(1, Misbehave::CutAfter(20_000)));
    let ca = m.ca.to_str().unwrap();
    assert_cli!(e.pyv(["install", "3.12.99", "--cacert", ca]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: connection lost: the connection to localhost broke during the transfer (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); 19.5 KiB already downloaded is kept in install_cache: run the same command again to resume
    ");
    assert_nothing_left(&e, true);
    assert_cli!(e.pyv(["install", "3.12.99", "--cacert", ca]), @"
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
    assert!(e.root.join("versions/3.12.99/Lib/os.py").is_file());
}

#[test]
fn a_stalled_server_times_out() {
    let m = mirror(Profile::Good, None);
    let mut e = updated_env(&m);
    e.set("PYV_HTTP_TIMEOUT", "1").set("PYV_HTTP_RETRIES", "0");
    m.server.set_rule(ZIP_PATH, Rule::always(Misbehave::Stall));
    assert_cli!(e.pyv(["install", "3.12.99", "--cacert", m.ca.to_str().unwrap()]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: timed out: no answer from localhost within 1 s (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); check the network and proxy settings (HTTPS_PROXY), then retry; a slow link may need a longer timeout
    ");
    assert_nothing_left(&e, true);
}

#[test]
fn through_a_connect_proxy_with_credentials() {
    let m = mirror(Profile::Good, None);
    let mut e = updated_env(&m);
    let proxy = pyv_testserver::ConnectProxy::start(Some(("corp user", "p@ss:word")));
    let with_creds = proxy
        .url()
        .replacen("://", "://corp%20user:p%40ss%3Aword@", 1);
    e.set("HTTPS_PROXY", proxy.url())
        .set("PYV_HTTP_RETRIES", "0");
    let ca = m.ca.to_str().unwrap();
    assert_cli!(e.pyv(["install", "3.12.99", "--cacert", ca]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    ----- stderr -----
    pyv: couldn't install 3.12.99: proxy authentication required: the proxy http://127.0.0.1:[PORT] refused the request without valid credentials (HTTP 407) (https://localhost:[PORT]/python/3.12.99/python-3.12.99-amd64.zip); put the credentials in the proxy URL: HTTPS_PROXY=http://user:password@host:port (percent-encode special characters, e.g. @ as %40)
    ");
    e.set("https_proxy", &with_creds).unset("HTTPS_PROXY");
    let out = e.pyv(["install", "3.12.99", "--cacert", ca]);
    assert!(
        !out.stdout.contains("p@ss") && !out.stderr.contains("p@ss"),
        "credentials are never printed: {out:?}"
    );
    assert_cli!(out, @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    ");
    assert!(
        proxy.requests().iter().any(|r| r.method == "CONNECT"),
        "went through the proxy"
    );
}

#[test]
fn a_plain_folder_works_as_an_offline_mirror() {
    let mut e = TestEnv::new(Layout::Windows);
    let dir = e.tmp.join("offline mirror");
    let zip = runtime_zip("3.12.99", None);
    std::fs::create_dir_all(dir.join("3.12.99")).unwrap();
    std::fs::write(dir.join("3.12.99/python-3.12.99-amd64.zip"), &zip).unwrap();
    let index = format!(
        r#"{{"versions": [{{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
            "tag": "3.12-64", "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip",
            "hash": {{"sha256": "{}"}}}}]}}"#,
        sha256(&zip)
    );
    std::fs::write(dir.join("index-windows.json"), index).unwrap();
    e.set("PYTHON_BUILD_MIRROR_URL", dir.display().to_string());
    assert_cli!(e.pyv(["update"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: [TMP]/offline mirror
    :: [Info] ::  1072 versions known, 1 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["install", "3.12"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: [TMP]/offline mirror
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    ----- stderr -----
    ");
    // A catalog updated through a mirror keeps python.org's URLs (shared with pyenv-win).
    let xml = std::fs::read_to_string(e.root.join(".versions_cache.xml")).unwrap();
    assert!(!xml.contains("offline"), "no mirror URL in the catalog");
}
