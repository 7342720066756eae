//! `install --force` killed at each of its steps: at every instant the version is the old
//! or the new one (for `pyv versions`, `pyv which` and the shim), and the next command of
//! any kind puts right what the killed run left. The kill points are named and placed in
//! the code (`PYV_TEST_CRASH_AT`, debug builds only), not timed.
#![cfg(unix)]

use pyv_tests::{assert_cli, Layout, TestEnv};
use pyv_testserver::{Fixture, Profile, Server};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// python.org's runtime zip of 3.12.99, whose python.exe says which folder it runs from.
fn runtime_zip() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let exe = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
        z.start_file("python.exe", exe).unwrap();
        write!(z, "#!/bin/sh\necho \"python 3.12.99 (new) from $0\"\n").unwrap();
        z.start_file("Lib/os.py", exe).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

struct Mirror {
    _fixture: Fixture,
    server: Server,
    ca: PathBuf,
    _ca_dir: tempfile::TempDir,
}

fn mirror() -> Mirror {
    let fixture = Fixture::new();
    let server = fixture.https(Profile::Good);
    let zip = runtime_zip();
    let sha: String = Sha256::digest(&zip)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect();
    server.add_file(
        "/python/index-windows.json",
        format!(
            r#"{{"versions": [{{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
            "tag": "3.12-64", "install-for": ["3.12.99-64"], "display-name": "Python 3.12.99", "executable": ".\\python.exe",
            "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip", "hash": {{"sha256": "{sha}"}}}}]}}"#
        ),
    );
    server.add_file(
        "/python/",
        "<html><body><pre><a href=\"3.12.99/\">3.12.99/</a>   01-Jan-2026 00:00    -\n</pre></body></html>",
    );
    server.add_file(
        "/python/3.12.99/",
        "<a href=\"python-3.12.99-amd64.zip\">python-3.12.99-amd64.zip</a>   01-Jan-2026 00:00   1M\n",
    );
    server.add_file("/python/3.12.99/python-3.12.99-amd64.zip", zip);
    let ca_dir = tempfile::tempdir().unwrap();
    let ca = fixture.pki.write_root(ca_dir.path()).unwrap();
    Mirror {
        _fixture: fixture,
        server,
        ca,
        _ca_dir: ca_dir,
    }
}

fn work_names(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(".pyv-") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let Some(tag_end) = tail[5..].find('-').map(|j| j + 6) else {
            rest = tail;
            break;
        };
        out.push_str(&tail[..tag_end]);
        rest = &tail[tag_end..];
        // `<pid>-<n>-`
        let number = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let pid = number(rest);
        let n = number(rest.get(pid + 1..).unwrap_or_default());
        if pid > 0 && n > 0 && rest.get(pid + 1 + n..pid + 2 + n) == Some("-") {
            out.push_str("[P]-");
            rest = &rest[pid + 2 + n..];
        }
    }
    out.push_str(rest);
    out
}

/// What is in `versions/`, sorted, work folders' `<pid>-<n>` as `[P]`.
fn versions_dir(e: &TestEnv) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(e.root.join("versions"))
        .unwrap()
        .map(|d| work_names(&d.unwrap().file_name().into_string().unwrap()))
        .collect();
    v.sort();
    v
}

/// A root with 3.12.99 installed from the mirror and selected; its python.exe is marked
/// "(old)" so that the new one is told apart.
fn installed(m: &Mirror) -> TestEnv {
    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", m.server.url("/python"))
        .set("PYV_HTTP_TIMEOUT", "5")
        .set("PYV_HTTP_RETRIES", "1");
    let ca = m.ca.to_str().unwrap();
    assert_eq!(e.pyv(["update", "--cacert", ca]).code, 0);
    let out = e.pyv(["install", "3.12.99", "--cacert", ca]);
    assert_eq!(out.code, 0, "{out:?}");
    let python = e.root.join("versions/3.12.99/python.exe");
    std::fs::write(
        &python,
        "#!/bin/sh\necho \"python 3.12.99 (old) from $0\"\n",
    )
    .unwrap();
    assert_eq!(e.pyv(["global", "3.12.99"]).code, 0);
    e
}

/// `pyv install -f 3.12.99` killed at `point`.
fn killed_at(e: &mut TestEnv, m: &Mirror, point: &str) {
    e.set("PYV_TEST_CRASH_AT", point);
    let out = e.pyv([
        "install",
        "-f",
        "3.12.99",
        "--cacert",
        m.ca.to_str().unwrap(),
    ]);
    e.unset("PYV_TEST_CRASH_AT");
    assert_eq!(out.code, 137, "{out:?}");
}

/// The crash points exist only in debug builds of pyv: the ones built with these tests,
/// not the release binaries CI points PYV_TEST_BINARIES at.
fn crash_points_built_in() -> bool {
    let built_in = cfg!(debug_assertions) && std::env::var_os("PYV_TEST_BINARIES").is_none();
    if !built_in {
        eprintln!("SKIP: crash points exist in debug builds of pyv only (PYV_TEST_BINARIES is set, or a release test build)");
    }
    built_in
}

#[test]
fn killed_after_extracting_the_old_version_stays() {
    if !crash_points_built_in() {
        return;
    }
    let m = mirror();
    let mut e = installed(&m);
    killed_at(&mut e, &m, "install:extracted");
    assert_eq!(versions_dir(&e), [".pyv-tmp-[P]-3.12.99", "3.12.99"]);
    assert_cli!(e.run(&e.shim("python"), Vec::<&str>::new()), @"
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.99 (old) from [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.99/python.exe
    ----- stderr -----
    ");
    // Any command repairs, not only one for 3.12.99.
    assert_cli!(e.pyv(["versions"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    * 3.12.99 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    ----- stderr -----
    ");
    assert_eq!(versions_dir(&e), ["3.12.99"]);
}

/// The step that used to leave no version at all until 3.12.99 was installed or
/// uninstalled again.
#[test]
fn killed_between_the_renames_the_old_version_stays_and_gets_its_name_back() {
    if !crash_points_built_in() {
        return;
    }
    let m = mirror();
    let mut e = installed(&m);
    killed_at(&mut e, &m, "install:old-set-aside");
    assert_eq!(
        versions_dir(&e),
        [".pyv-old-[P]-3.12.99", ".pyv-tmp-[P]-3.12.99"]
    );
    // The shim does not repair; it runs the version from where it was set aside.
    assert_cli!(e.run(&e.shim("python"), Vec::<&str>::new()), @"
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.99 (old) from [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/.pyv-old-[P]-3.12.99/python.exe
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["which", "python"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.99/python.exe
    ----- stderr -----
    ");
    assert_eq!(versions_dir(&e), ["3.12.99"]);
    assert_cli!(e.run(&e.shim("python"), Vec::<&str>::new()), @"
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.99 (old) from [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.99/python.exe
    ----- stderr -----
    ");
    // And -f then works as if nothing had happened.
    let out = e.pyv([
        "install",
        "-f",
        "3.12.99",
        "--cacert",
        m.ca.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(versions_dir(&e), ["3.12.99"]);
    assert_eq!(
        e.run(&e.shim("python"), Vec::<&str>::new()).stdout,
        format!(
            "python 3.12.99 (new) from {}\n",
            e.root.join("versions/3.12.99/python.exe").display()
        )
    );
}

#[test]
fn killed_after_the_new_version_is_in_place_the_new_one_stays() {
    if !crash_points_built_in() {
        return;
    }
    let m = mirror();
    let mut e = installed(&m);
    killed_at(&mut e, &m, "install:new-in-place");
    assert_eq!(versions_dir(&e), [".pyv-old-[P]-3.12.99", "3.12.99"]);
    assert_cli!(e.run(&e.shim("python"), Vec::<&str>::new()), @"
    success: true
    exit_code: 0
    ----- stdout -----
    python 3.12.99 (new) from [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.99/python.exe
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["versions"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    * 3.12.99 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    ----- stderr -----
    ");
    assert_eq!(versions_dir(&e), ["3.12.99"]);
}

#[test]
fn killed_uninstall_leaves_no_version_and_the_next_command_removes_the_rest() {
    if !crash_points_built_in() {
        return;
    }
    let mut e = TestEnv::new(Layout::Windows);
    e.version("3.12.4");
    e.version("3.11.9");
    e.set("PYV_TEST_CRASH_AT", "uninstall:set-aside");
    assert_eq!(e.pyv(["uninstall", "-f", "3.12.4"]).code, 137);
    e.unset("PYV_TEST_CRASH_AT");
    assert_eq!(versions_dir(&e), [".pyv-del-[P]-3.12.4", "3.11.9"]);
    assert_cli!(e.pyv(["versions", "--bare"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    3.11.9
    ----- stderr -----
    ");
    assert_eq!(versions_dir(&e), ["3.11.9"]);
}

/// The state a kill between the renames leaves, made by hand: fails before the fix (the
/// version was "not installed" for every command and the shim until it was installed or
/// uninstalled again) whatever the build.
#[test]
fn a_version_set_aside_by_a_killed_run_is_still_selected_and_restored_by_any_command() {
    let e = TestEnv::new(Layout::Windows);
    let versions = e.root.join("versions");
    e.version("3.12.4");
    e.version("3.11.9");
    assert_eq!(e.pyv(["global", "3.12"]).code, 0);
    assert_eq!(e.pyv(["rehash"]).code, 0);
    std::fs::rename(
        versions.join("3.12.4"),
        versions.join(".pyv-old-4242-0-3.12.4"),
    )
    .unwrap();
    std::fs::create_dir(versions.join(".pyv-tmp-4242-1-3.12.4")).unwrap();
    std::fs::write(versions.join(".pyv-tmp-4242-1-3.12.4/half"), "x").unwrap();
    assert_cli!(e.run(&e.shim("python"), ["-V"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    python.exe 3.12.4
    [-V]
    ----- stderr -----
    ");
    assert_cli!(e.pyv(["versions"]), @"
    success: true
    exit_code: 0
    ----- stdout -----
      3.11.9
    * 3.12.4 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
    ----- stderr -----
    ");
    let left: Vec<String> = std::fs::read_dir(&versions)
        .unwrap()
        .map(|d| d.unwrap().file_name().into_string().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(left, ["3.11.9", "3.12.4"]);
    assert!(Path::new(&versions.join("3.12.4/python.exe")).exists());
}
