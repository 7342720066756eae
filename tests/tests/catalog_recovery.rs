//! A damaged or unreadable `.versions_cache.xml` / `.pyv-catalog.json` is never a dead end:
//! whatever loads the catalog sets the file aside, names it in one warning line and goes on
//! with the built-in list; `update` rebuilds both files. Before, every install, `latest -k`
//! and `update` stopped at the file until it was deleted by hand.
#![cfg(unix)]

use pyv_tests::{assert_cli, assert_filtered, Layout, TestEnv};
use pyv_testserver::{Fixture, Profile, Server};
use std::path::{Path, PathBuf};

/// `<seconds>[-<n>]` of a set-aside `.damaged-` name as `[T]`, as the shared filters do.
fn seconds_as_t(name: &str) -> String {
    match name.split_once(".damaged-") {
        Some((head, _)) => format!("{head}.damaged-[T]"),
        None => name.to_string(),
    }
}

/// The names in the root, sorted, seconds as `[T]` (what a user finds there afterwards).
fn catalog_files(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".versions_cache") || n.starts_with(".pyv-catalog"))
        .map(|n| seconds_as_t(&n))
        .collect();
    v.sort();
    v
}

fn xml(e: &TestEnv) -> PathBuf {
    e.root.join(".versions_cache.xml")
}

#[test]
fn a_non_utf8_cache_is_set_aside_and_install_uses_the_built_in_list() {
    let e = TestEnv::new(Layout::Windows);
    std::fs::write(xml(&e), b"<versions>\xff</versions>").unwrap();
    assert_cli!(e.pyv(["latest", "-k", "3.12"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.10
    ----- stderr -----
    pyv: warning: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml' cannot be used (stream did not contain valid UTF-8); moved it to '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml.damaged-[T]'; using pyv's built-in list of versions until 'pyv update' rebuilds it
    ");
    assert_eq!(catalog_files(&e.root), [".versions_cache.xml.damaged-[T]"]);
    // Set aside once: later commands are quiet.
    assert_cli!(e.pyv(["latest", "-k", "3.12"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.10
    ----- stderr -----
    ");
}

#[test]
fn a_truncated_cache_or_a_broken_sidecar_is_set_aside_by_install() {
    let mut e = TestEnv::new(Layout::Windows);
    std::fs::write(xml(&e), "<versions><version>").unwrap();
    let out = e.pyv(["install", "--list"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.lines().take(2).collect::<Vec<_>>(),
        [
            ":: [Info] ::  Mirror: https://www.python.org/ftp/python",
            "2.4-win32"
        ]
    );
    assert_filtered!(out.filters(), out.stderr, @"pyv: warning: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml' cannot be used (ill-formed document: start tag not closed: `</version>` not found before end of input); moved it to '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml.damaged-[T]'; using pyv's built-in list of versions until 'pyv update' rebuilds it");

    std::fs::write(xml(&e), "<versions/>").unwrap();
    std::fs::write(e.root.join(".pyv-catalog.json"), "{\"format\": ").unwrap();
    // 3.12 resolves in the built-in list, so the install goes as far as the network.
    e.set("PYTHON_BUILD_MIRROR_URL", "https://127.0.0.1:1/python")
        .set("PYV_HTTP_RETRIES", "0");
    let out = e.pyv(["install", "3.12"]);
    assert_eq!(out.code, 1);
    let first = out.stderr.lines().next().unwrap_or_default();
    assert_filtered!(out.filters(), first, @"pyv: warning: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-catalog.json' cannot be used (EOF while parsing a value at line 1 column 11); moved it to '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyv-catalog.json.damaged-[T]'; using pyv's built-in list of versions until 'pyv update' rebuilds it");
    assert!(
        out.stderr.contains("couldn't install 3.12.10"),
        "{}",
        out.stderr
    );
    assert_eq!(
        catalog_files(&e.root),
        [
            ".pyv-catalog.json.damaged-[T]",
            ".versions_cache.xml",
            ".versions_cache.xml.damaged-[T]"
        ]
    );
}

/// A python.org-shaped mirror knowing one release, 3.12.99.
fn mirror() -> (Fixture, Server, PathBuf, tempfile::TempDir) {
    let fixture = Fixture::new();
    let server = fixture.https(Profile::Good);
    let index = r#"{"versions": [{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
        "tag": "3.12-64", "install-for": ["3.12.99-64"], "display-name": "Python 3.12.99", "executable": ".\\python.exe",
        "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip", "hash": {"sha256": "00000000000000000000000000000000000000000000000000000000000000aa"}}]}"#;
    server.add_file("/python/index-windows.json", index);
    server.add_file(
        "/python/",
        "<html><body><pre><a href=\"../\">../</a>\n<a href=\"3.12.99/\">3.12.99/</a>   01-Jan-2026 00:00    -\n</pre></body></html>",
    );
    server.add_file(
        "/python/3.12.99/",
        "<a href=\"python-3.12.99-amd64.zip\">python-3.12.99-amd64.zip</a>   01-Jan-2026 00:00   1M\n",
    );
    let ca_dir = tempfile::tempdir().unwrap();
    let ca = fixture.pki.write_root(ca_dir.path()).unwrap();
    (fixture, server, ca, ca_dir)
}

#[test]
fn update_rebuilds_an_unreadable_cache() {
    let (_fixture, server, ca, _ca_dir) = mirror();
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", server.url("/python"))
        .set("PYV_HTTP_TIMEOUT", "5")
        .set("PYV_HTTP_RETRIES", "1");
    // Root ignores file permissions: a folder in the file's place is unreadable for anyone.
    std::fs::create_dir(xml(&e)).unwrap();
    let out = e.pyv(["update", "--cacert", ca.to_str().unwrap()]);
    assert_cli!(out, @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Info] ::  1072 versions known, 1 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    ----- stderr -----
    pyv: warning: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml' cannot be used (Is a directory (os error 21)); moved it to '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml.damaged-[T]'; rebuilding it from pyv's built-in list
    ");
    assert_eq!(
        catalog_files(&e.root),
        [
            ".pyv-catalog.json",
            ".versions_cache.xml",
            ".versions_cache.xml.damaged-[T]"
        ]
    );
    assert_cli!(e.pyv(["latest", "-k", "3.12"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.12.99
    ----- stderr -----
    ");
}
