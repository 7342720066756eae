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
        let plain = zip::write::SimpleFileOptions::default();
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
}

const ZIP_PATH: &str = "/python/3.12.99/python-3.12.99-amd64.zip";

/// Serves `/python/`: the index chain (a hashed 3.12.99 zip, a 3.10.99 NuGet package), the
/// directory listing with a source-only 3.10.100, and the packages.
fn mirror(e: &TestEnv, profile: Profile, sha_override: Option<&str>) -> Mirror {
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
    let ca = fixture.pki.write_root(&e.tmp.join("ca")).unwrap();
    Mirror {
        fixture,
        server,
        ca,
        zip,
    }
}

fn env_for(m: &Mirror) -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", m.server.url("/python"));
    e.set("PYV_HTTP_TIMEOUT", "5").set("PYV_HTTP_RETRIES", "1");
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

/// The mirror's random port, as `[PORT]`.
fn snap(out: &Output, m: &Mirror) -> String {
    out.snapshot()
        .replace(&m.server.port().to_string(), "[PORT]")
}

#[test]
fn update_then_install_over_https_with_an_extra_ca() {
    let dummy = TestEnv::new(Layout::Windows);
    let m = mirror(&dummy, Profile::Good, None);
    let e = env_for(&m);
    let ca = m.ca.to_str().unwrap();
    insta::assert_snapshot!(snap(&e.pyv(["update", "--cacert", ca]), &m), @r"
    exit: 0
    --- stdout
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Info] ::  1073 versions known, 2 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    --- stderr
    ");
    assert_cli!(e.pyv(["install", "3.10.100"]), @r"
    exit: 1
    --- stdout
    --- stderr
    pyv: 3.10.100 has no Windows installer; the newest 3.10 with one is 3.10.99
    ");
    insta::assert_snapshot!(snap(&e.pyv(["install", "3.12", "3.10.99", "--cacert", ca]), &m), @r"
    exit: 0
    --- stdout
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    :: [Downloading] ::  3.10.99 ...
    :: [Installing] ::  3.10.99 ...
    :: [Info] :: completed! 3.10.99
    --- stderr
    ");
    assert_eq!(
        files_in(&e.root.join("install_cache")),
        ["python-3.12.99-amd64.zip", "python.3.10.99.nupkg"]
    );
    assert_cli!(e.pyv(["versions"]), @r"
    exit: 0
    --- stdout
      3.10.99
      3.12.99
    --- stderr
    ");
    e.pyv(["global", "3.12"]);
    assert_cli!(e.run(&e.shim("python"), ["-V"]), @r"
    exit: 0
    --- stdout
    python 3.12.99
    [-V]
    --- stderr
    ");
    // Installed already: nothing is fetched again.
    let before = m.server.requests().len();
    insta::assert_snapshot!(snap(&e.pyv(["install", "3.12.99"]), &m), @r"
    exit: 0
    --- stdout
    :: [Info] ::  3.12.99 is already installed
    --- stderr
    ");
    assert_eq!(m.server.requests().len(), before);
    drop(m.fixture);
}
