//! `pyv.exe update` and `pyv.exe install` under Windows (Wine in CI): a zip and a NuGet
//! package from the loopback HTTPS server that scripts/test-windows.sh starts (its CA is in
//! the Windows certificate store, so SChannel verifies it), into a root whose path has
//! spaces and non-ASCII characters; then the shims run the installed python.exe.
#![cfg(windows)]

use pyv_tests::{assert_cli, bin, Layout, TestEnv};
use sha2::{Digest, Sha256};
use std::io::Write;

/// A package whose `python.exe` is the tests' fake python (version from its sidecar).
fn package(prefix: &str, version: &str) -> Vec<u8> {
    let fake = std::fs::read(bin("fakepython")).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file(format!("{prefix}python.exe"), o).unwrap();
        z.write_all(&fake).unwrap();
        // The fake reads its version from `<its name>.version`: one for pyenv-win's aliases
        // (python3.exe, python3X.exe, python3.X.exe) that install copies from python.exe.
        let minor: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
        let nodot = minor.replace('.', "");
        for exe in [
            "python".to_string(),
            "python3".into(),
            format!("python{nodot}"),
            format!("python{minor}"),
        ] {
            z.start_file(format!("{prefix}{exe}.exe.version"), o)
                .unwrap();
            z.write_all(version.as_bytes()).unwrap();
        }
        z.start_file(format!("{prefix}Lib/os.py"), o).unwrap();
        z.write_all(b"# os\n").unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn install_zip_and_nupkg_over_schannel_then_run_through_shims() {
    let (Ok(ok_url), Ok(www)) = (
        std::env::var("PYV_WINE_TLS_OK_URL"),
        std::env::var("PYV_WINE_TLS_WWW"),
    ) else {
        eprintln!("SKIP: no loopback HTTPS fixture (PYV_WINE_TLS_OK_URL/PYV_WINE_TLS_WWW; run scripts/test-windows.sh)");
        return;
    };
    let origin = ok_url.trim_end_matches("/index.txt");
    let name = format!("mirror-{}", std::process::id());
    let dir = std::path::Path::new(&www).join(&name);
    let zip = package("", "3.12.99");
    std::fs::create_dir_all(dir.join("3.12.99")).unwrap();
    std::fs::create_dir_all(dir.join("nuget")).unwrap();
    std::fs::write(dir.join("3.12.99/python-3.12.99-amd64.zip"), &zip).unwrap();
    std::fs::write(
        dir.join("nuget/python.3.10.99.nupkg"),
        package("tools/", "3.10.99"),
    )
    .unwrap();
    let sha: String = Sha256::digest(&zip)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let index = format!(
        r#"{{"versions": [{{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
            "tag": "3.12-64", "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip",
            "hash": {{"sha256": "{sha}"}}}}], "next": "index-windows-legacy.json"}}"#
    );
    std::fs::write(dir.join("index-windows.json"), index).unwrap();
    std::fs::write(
        dir.join("index-windows-legacy.json"),
        r#"{"versions": [{"schema": 1, "id": "pythoncore-3.10-64", "sort-version": "3.10.99", "company": "PythonCore",
            "tag": "3.10-64", "url": "nuget/python.3.10.99.nupkg"}]}"#,
    )
    .unwrap();

    let mut e = TestEnv::new(Layout::Windows);
    e.set("PYTHON_BUILD_MIRROR_URL", format!("{origin}/{name}"));
    e.set("PYV_HTTP_RETRIES", "0");
    // The mirror folder is named after this process.
    let mirror = regex::escape(&name);
    assert_cli!(e.pyv(["update"]).with_filter(&mirror, "mirror-[PID]"), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/mirror-[PID]
    :: [Info] ::  1073 versions known, 2 new; saved to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.versions_cache.xml
    ----- stderr -----
    ");
    let out = e.pyv(["install", "3.12", "3.10.99"]);
    assert_cli!(out.with_filter(&mirror, "mirror-[PID]"), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    :: [Info] ::  Mirror: https://localhost:[PORT]/mirror-[PID]
    :: [Downloading] ::  3.12.99 ...
    :: [Installing] ::  3.12.99 ...
    :: [Info] :: completed! 3.12.99
    :: [Downloading] ::  3.10.99 ...
    :: [Installing] ::  3.10.99 ...
    :: [Info] :: completed! 3.10.99
    ----- stderr -----
    ");
    // pyenv-win's aliases, then shims for them.
    assert!(e.root.join("versions/3.12.99/python3.12.exe").is_file());
    assert_cli!(e.pyv(["global", "3.12"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    ----- stderr -----
    ");
    assert_cli!(e.run(&e.shim("python"), ["-c", "print('a b')"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    python.exe 3.12.99
    [-c]
    [print('a b')]
    ----- stderr -----
    ");
    assert_cli!(e.run(&e.shim("python3.12"), ["x"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    python3.12.exe 3.12.99
    [x]
    ----- stderr -----
    ");
    // The NuGet package's tools/ became the version.
    e.set("PYENV_VERSION", "3.10.99");
    assert_cli!(e.run(&e.shim("python"), [""; 0]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    python.exe 3.10.99
    ----- stderr -----
    ");
    let _ = std::fs::remove_dir_all(&dir);
}

/// pyv's `.msi` strategy (2.4–3.4.4): `msiexec /a` (administrative install: files only, no
/// registry) into a work folder, renamed into `versions\` when complete.
#[test]
fn msi_administrative_install() {
    let Ok(msi) = std::env::var("PYV_WINE_TEST_MSI") else {
        eprintln!("SKIP: no test MSI (scripts/test-windows.sh builds one with wixl)");
        return;
    };
    let e = TestEnv::new(Layout::Windows);
    let root = pyv_core::Root::new(&e.root, pyv_core::RootSource::Default);
    let kind = pyv_install::PackageKind::Msi;
    let opts = pyv_install::InstallOptions {
        setup_pip: false,
        ..Default::default()
    };
    let r = pyv_install::install(
        &root,
        "3.4.99",
        std::path::Path::new(&msi),
        &kind,
        &opts,
        &mut |_| {},
    );
    match r {
        Ok(done) => {
            assert!(done.dir.join("python.exe").is_file(), "{done:?}");
            assert!(
                !done.dir.join("pyvtest.msi").exists(),
                "the MSI copy msiexec leaves is removed"
            );
        }
        Err(err) if pyv_tests::is_wine() => {
            eprintln!("SKIP: Wine's msiexec cannot do this administrative install (/a): {err}");
            assert!(
                !e.root.join("versions/3.4.99").exists(),
                "nothing half-installed"
            );
            let leftovers: Vec<_> = std::fs::read_dir(e.root.join("versions"))
                .map(|d| d.flatten().collect())
                .unwrap_or_default();
            assert!(leftovers.is_empty(), "no work folder left: {leftovers:?}");
        }
        Err(err) => panic!("MSI install failed: {err}"),
    }
}
