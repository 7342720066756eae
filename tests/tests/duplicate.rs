//! `duplicate` makes an independent environment: the copy's scripts run the copy's Python,
//! so `pip install` under the copy lands in the copy. A real CPython (from this machine's
//! pyenv, when it has one) with a wheel built here; pip's `/bin/sh` shebang form and its
//! Windows launcher (stub + shebang + zip) on fakes; and the copies pyv refuses to make.

use pyv_tests::{assert_cli, Layout, TestEnv};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A wheel of one module `name` whose console script `name` prints `sys.prefix`.
fn wheel(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}-1.0-py3-none-any.whl"));
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let info = format!("{name}-1.0.dist-info");
    let files = [
        (
            format!("{name}.py"),
            "import sys\ndef main():\n    print(sys.prefix)\n".to_string(),
        ),
        (
            format!("{info}/METADATA"),
            format!("Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"),
        ),
        (
            format!("{info}/WHEEL"),
            "Wheel-Version: 1.0\nGenerator: pyv-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                .to_string(),
        ),
        (
            format!("{info}/entry_points.txt"),
            format!("[console_scripts]\n{name} = {name}:main\n"),
        ),
    ];
    let mut record = String::new();
    for (file, text) in &files {
        z.start_file(file.as_str(), opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
        record.push_str(&format!("{file},,\n"));
    }
    record.push_str(&format!("{info}/RECORD,,\n"));
    z.start_file(format!("{info}/RECORD"), opts).unwrap();
    z.write_all(record.as_bytes()).unwrap();
    z.finish().unwrap();
    path
}

/// A real CPython 3 built by python-build in this machine's pyenv (never changed: it is
/// copied), or `None` after saying why the test skips.
fn real_cpython() -> Option<(PathBuf, String)> {
    let home = std::env::var_os("HOME").map(PathBuf::from)?;
    let versions = home.join(".pyenv").join("versions");
    let mut found: Vec<(PathBuf, String)> = std::fs::read_dir(&versions)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let minor = name.split('.').take(2).collect::<Vec<_>>().join(".");
            let lib = e.path().join("lib").join(format!("python{minor}"));
            let ok = name.starts_with("3.")
                && !e.path().join("pyvenv.cfg").exists()
                && e.path()
                    .join("bin")
                    .join(format!("python{minor}"))
                    .is_file()
                && lib.join("site-packages").join("pip").is_dir();
            ok.then(|| (e.path(), minor))
        })
        .collect();
    // The smallest copies fastest; any will do.
    found.sort_by_key(|(p, _)| dir_size(p));
    let first = found.into_iter().next();
    if first.is_none() {
        eprintln!(
            "SKIP: no CPython 3 with pip in {} to copy",
            versions.display()
        );
    }
    first
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => dir_size(&e.path()),
                    Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
                    _ => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// A copy keeping links as links and modes, without what a run of pip needs not: the
/// standard library's own tests and the static libpython (most of the bytes to copy).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().filter_map(Result::ok) {
        let (src, dest) = (e.path(), to.join(e.file_name()));
        let name = e.file_name().to_string_lossy().into_owned();
        let ty = e.file_type().unwrap();
        let in_lib = from
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("python"));
        if (in_lib && name == "test") || (name.starts_with("libpython") && name.ends_with(".a")) {
            continue;
        }
        if ty.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(&src).unwrap(), &dest).unwrap();
        } else if ty.is_dir() {
            copy_tree(&src, &dest);
        } else {
            std::fs::copy(&src, &dest).unwrap();
        }
    }
}

fn first_line(p: &Path) -> String {
    let text = std::fs::read(p).unwrap();
    let end = text.iter().position(|&b| b == b'\n').unwrap_or(text.len());
    String::from_utf8_lossy(&text[..end]).into_owned()
}

#[test]
fn pip_under_a_copy_of_a_real_cpython_installs_into_the_copy() {
    if cfg!(windows) {
        eprintln!("SKIP: the real CPython is a Unix build");
        return;
    }
    let Some((real, minor)) = real_cpython() else {
        return;
    };
    // A root whose path has no spaces, so the scripts get the plain `#!<python>` form (the
    // `/bin/sh` form has its own test below).
    let dir = tempfile::Builder::new().prefix("pyvdup").tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join("root");
    let base = root.join("versions").join("base");
    std::fs::create_dir_all(base.parent().unwrap()).unwrap();
    copy_tree(&real, &base);
    // As if python-build had installed it here: its scripts name this folder.
    let real_text = real.display().to_string();
    for e in std::fs::read_dir(base.join("bin"))
        .unwrap()
        .filter_map(Result::ok)
    {
        if !e.file_type().unwrap().is_file() {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        let prefix = format!("#!{real_text}/");
        if let Some(rest) = bytes.strip_prefix(prefix.as_bytes()) {
            let mut new = format!("#!{}/", base.display()).into_bytes();
            new.extend_from_slice(rest);
            std::fs::write(e.path(), new).unwrap();
        }
    }
    let python = base.join("bin").join(format!("python{minor}"));
    let run = |program: &Path, args: &[&str]| {
        let out = std::process::Command::new(program)
            .args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", dir.path())
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("PIP_ROOT_USER_ACTION", "ignore")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{} {args:?}: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let hello = wheel(dir.path(), "hello");
    let other = wheel(dir.path(), "other");
    let whl = |p: &Path| p.display().to_string();
    run(
        &python,
        &[
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            &whl(&hello),
        ],
    );
    assert_eq!(
        run(&base.join("bin").join("hello"), &[]).trim(),
        base.display().to_string()
    );

    let mut e = TestEnv::new(Layout::Unix);
    e.set("PYENV_ROOT", root.display().to_string());
    e.redact(&root, "[ROOT]");
    assert_cli!(e.pyv(["duplicate", "base", "copy"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        ----- stderr -----
        "#);
    let copy = root.join("versions").join("copy");
    let copy_python = format!("#!{}/bin/python{minor}", copy.display());
    assert_eq!(first_line(&copy.join("bin").join("hello")), copy_python);
    // Checked before running it: a pip still naming another Python must not be run here.
    let pip = copy.join("bin").join("pip3");
    assert_eq!(first_line(&pip), copy_python);
    assert_eq!(
        run(&copy.join("bin").join("hello"), &[]).trim(),
        copy.display().to_string()
    );
    run(
        &pip,
        &["install", "-q", "--no-index", "--no-deps", &whl(&other)],
    );
    let site = |v: &Path| {
        v.join("lib")
            .join(format!("python{minor}"))
            .join("site-packages")
    };
    assert!(
        site(&copy).join("other.py").is_file(),
        "installed into the copy"
    );
    assert!(
        !site(&base).join("other.py").exists(),
        "not into the source"
    );
    // The build settings name the copy too.
    let config = copy.join("bin").join(format!("python{minor}-config"));
    if config.is_file() {
        assert_eq!(
            run(&config, &["--prefix"]).trim(),
            copy.display().to_string()
        );
    }
}

#[test]
fn pips_sh_shebang_form_is_moved_to_the_copy() {
    let e = TestEnv::new(Layout::Unix);
    let src = e.version("3.12.4");
    let script = src.join("bin").join("tool");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n'''exec' \"{}/bin/python3.12\" \"$0\" \"$@\"\n' '''\nimport sys\n",
            src.display()
        ),
    )
    .unwrap();
    assert_cli!(e.pyv(["duplicate", "3.12.4", "env"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        ----- stderr -----
        "#);
    let copied = std::fs::read_to_string(e.root.join("versions/env/bin/tool")).unwrap();
    pyv_tests::assert_filtered!(e.filters(), copied, @r#"
        #!/bin/sh
        '''exec' "[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/env/bin/python3.12" "$0" "$@"
        ' '''
        import sys
        "#);
}

#[test]
fn pips_windows_launcher_gets_the_copys_python_and_keeps_its_zip() {
    let e = TestEnv::new(Layout::Windows);
    let src = e.version("3.12.4");
    // A launcher as distlib writes it: stub, `#!<python.exe>\r\n`, then a zip built apart.
    let mut zip_bytes = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut zip_bytes);
        z.start_file("__main__.py", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"import pip\npip.main()\n").unwrap();
        z.finish().unwrap();
    }
    let stub = b"MZ\x90\x00 launcher stub \x00\x01\x02";
    let python = src.join("python.exe");
    let launcher = [
        &stub[..],
        // Quoted, as distlib quotes a path with spaces.
        format!("#!\"{}\"\r\n", python.display()).as_bytes(),
        zip_bytes.get_ref(),
    ]
    .concat();
    std::fs::write(src.join("Scripts").join("pip.exe"), &launcher).unwrap();
    assert_cli!(e.pyv(["duplicate", "3.12.4", "env"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        ----- stderr -----
        "#);
    let copied = std::fs::read(e.root.join("versions/env/Scripts/pip.exe")).unwrap();
    let want = [
        &stub[..],
        format!(
            "#!\"{}\"\r\n",
            e.root.join("versions/env/python.exe").display()
        )
        .as_bytes(),
        zip_bytes.get_ref(),
    ]
    .concat();
    assert!(copied == want, "stub and zip kept, shebang moved");
    // The zip still reads, from the end, as the launcher reads it.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(copied)).unwrap();
    let mut main = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("__main__.py").unwrap(), &mut main).unwrap();
    assert_eq!(main, "import pip\npip.main()\n");
    // The source is untouched.
    assert_eq!(
        std::fs::read(src.join("Scripts").join("pip.exe")).unwrap(),
        launcher
    );
}

#[test]
fn copies_that_would_not_be_independent_are_refused() {
    // Changed only by the Unix-only steps below.
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut e = TestEnv::new(Layout::Unix);
    #[cfg_attr(not(unix), allow(unused_variables))]
    let src = e.version("3.12.4");
    // A venv: its copy still belongs to its base Python.
    let venv = e.root.join("versions").join("venv");
    std::fs::create_dir_all(venv.join("bin")).unwrap();
    std::fs::write(venv.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
    assert_cli!(e.pyv(["duplicate", "venv", "x"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: 'venv' is a virtual environment (pyvenv.cfg), whose copy would still belong to its base Python; make a new one with 'python -m venv' instead
        "#);
    // A layout pyv does not know.
    std::fs::create_dir_all(e.root.join("versions").join("odd").join("lib")).unwrap();
    assert_cli!(e.pyv(["duplicate", "odd", "x"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: 'odd' has neither bin/ nor python.exe, a layout pyv cannot make independent; nothing was copied
        "#);
    // A script naming the source through another path (a link to it): not rewritten, so
    // the copy is refused rather than made.
    #[cfg(unix)]
    {
        // Outside the test's folder, whose name has spaces a shebang cannot hold.
        let alias_dir = tempfile::Builder::new()
            .prefix("pyvalias")
            .tempdir()
            .unwrap();
        let alias = alias_dir.path().canonicalize().unwrap().join("alias");
        e.redact(&alias, "[ALIAS]");
        std::os::unix::fs::symlink(&src, &alias).unwrap();
        std::fs::write(
            src.join("bin").join("tool"),
            format!("#!{}/bin/python3.12\nimport sys\n", alias.display()),
        )
        .unwrap();
        assert_cli!(e.pyv(["duplicate", "3.12.4", "x"]), @r#"
            success: false
            exit_code: 1
            ----- stdout -----
            ----- stderr -----
            pyv: the copy of '3.12.4' would still run '[ALIAS]/bin/python3.12' from its tool, so 'pip install' there would change '3.12.4'; nothing was copied
            "#);
        std::fs::remove_file(src.join("bin").join("tool")).unwrap();
        // A link made with `pyv link`.
        let elsewhere = e.tmp.join("elsewhere");
        pyv_tests::fake_program(&elsewhere.join("bin").join("python3"), "3.11.0");
        e.set("PYV_COMPAT", "pyenv");
        let out = e.pyv(["link", "linked", elsewhere.to_str().unwrap()]);
        assert_eq!(out.code, 0, "{}", out.snapshot());
        assert_cli!(e.pyv(["duplicate", "linked", "x"]), @r#"
            success: false
            exit_code: 1
            ----- stdout -----
            ----- stderr -----
            pyv: 'linked' is [TMP]/elsewhere, a link or a Python outside versions/; duplicate copies only the installs in versions/ (copy that Python with its own tools)
            "#);
    }
    assert!(!e.root.join("versions").join("x").exists());
}
