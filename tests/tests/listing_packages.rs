//! A release folder on the mirror that holds a Windows zip the index does not list: `update`
//! says why it cannot be installed from there, and `install` does not call it a source-only
//! release. Loopback HTTPS only.
#![cfg(unix)]

use pyv_tests::{assert_cli, Layout, TestEnv};
use pyv_testserver::{Fixture, Profile};

#[test]
fn a_folder_with_an_unindexed_zip_is_not_source_only() {
    let f = Fixture::new();
    let s = f.https(Profile::Good);
    s.add_file("/python/index-windows.json", r#"{"versions": []}"#);
    s.add_file(
        "/python/",
        "<pre><a href=\"3.13.99/\">3.13.99/</a>\n<a href=\"3.13.98/\">3.13.98/</a>\n</pre>",
    );
    s.add_file(
        "/python/3.13.99/",
        "<a href=\"Python-3.13.99.tgz\">s</a>\n<a href=\"python-3.13.99-amd64.zip\">z</a>\n",
    );
    s.add_file("/python/3.13.98/", "<a href=\"Python-3.13.98.tgz\">s</a>\n");
    let ca_dir = tempfile::tempdir().unwrap();
    let ca = f.pki.write_root(ca_dir.path()).unwrap();
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", s.url("/python"));
    e.set("PYV_HTTP_TIMEOUT", "5");
    e.redact(&ca, "[CA]");
    let ca = ca.to_str().unwrap();
    assert_cli!(e.pyv(["update", "--cacert", ca]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/python
    :: [Info] ::  1071 versions known, 0 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    ----- stderr -----
    pyv: warning: https://localhost:[PORT]/python/3.13.99/ holds Windows packages that pyv installs only when the index (index-windows.json) lists them, and it does not
    ");
    assert_cli!(e.pyv(["install", "3.13.99", "--cacert", ca]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: 3.13.99 is on the mirror only as Windows packages its index (index-windows.json) does not list, so there is nothing pyv can install; use a mirror whose index lists it, or see the versions there are with 'pyv install --list'
    ");
    // A folder with source archives only is still source-only.
    assert_cli!(e.pyv(["install", "3.13.98", "--cacert", ca]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    ----- stderr -----
    pyv: 3.13.98 has no Windows installer; the newest 3.13 with one is 3.13.13
    ");
}
