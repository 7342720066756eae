//! `pyv self install` / `pyv self uninstall` end to end: on Unix into a temporary tree laid
//! out like pyenv-win's; on Windows (and under Wine) also through the real
//! `HKCU\Environment`, restored afterwards.

use pyv_tests::{Layout, TestEnv};
use std::fs;
use std::path::{Path, PathBuf};

const PYENV_WIN_BAT: &str =
    "@echo off\r\nchcp 65001 >nul\r\ncscript //nologo \"%~dp0..\\libexec\\pyenv.vbs\" %*\r\n";

/// A pyenv-win tree (scripts, caches, one version, its `.bat` shims) under `e.root`.
fn pyenv_win_tree(e: &TestEnv) {
    for (rel, text) in [
        ("bin/pyenv.bat", PYENV_WIN_BAT),
        ("bin/pyenv.ps1", "& \"$PSScriptRoot\\pyenv.bat\" @args\r\n"),
        (
            "bin/pyenv",
            "#!/bin/sh\nexec cmd /C call pyenv.bat \"$@\"\n",
        ),
        ("libexec/pyenv.vbs", "' pyenv.vbs\r\n"),
        ("libexec/libs/pyenv-lib.vbs", "' pyenv-lib.vbs\r\n"),
        (
            "shims/python.bat",
            "@echo off\r\ncall pyenv exec %~n0 %*\r\n",
        ),
        ("version", "3.12.1\r\n"),
        (".versions_cache.xml", "<versions/>\r\n"),
        ("install_cache/python-3.12.1-amd64.exe", "installer"),
    ] {
        let p = e.root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    e.version("3.12.1");
}

/// The one backup folder `self install` made.
fn backup_dir(root: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> = fs::read_dir(root.join(".pyenv-win-backup"))
        .unwrap()
        .map(|d| d.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.into_iter().next().unwrap()
}

#[cfg(unix)]
mod unix {
    use super::*;
    use pyv_tests::{assert_cli, bin};

    #[test]
    fn adopts_a_pyenv_win_tree_runs_from_it_and_gives_it_back() {
        let mut e = TestEnv::new(Layout::Windows);
        pyenv_win_tree(&e);
        let root = e.root.display().to_string();
        let out = e.pyv(["self", "install", "--root", &root]);
        let stamp = backup_dir(&e.root)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let stamp_format = regex::Regex::new(r"^\d{8}-\d{6}$").unwrap();
        assert!(stamp_format.is_match(&stamp), "{stamp}");
        assert_cli!(out.with_filter(&regex::escape(&stamp), "[STAMP]"), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        moved pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.bat to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]/bin/pyenv.bat
        moved pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.ps1 to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]/bin/pyenv.ps1
        moved pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]/bin/pyenv
        moved pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]/libexec
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv (pyv under the name pyenv)
        rehashed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims: 4 added, 1 removed, 0 replaced, 4 in all
        add these lines to your shell profile (~/.bashrc, ~/.zshrc or ~/.profile):
          export PYENV_ROOT="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win"
          export PATH="$PYENV_ROOT/bin:$PYENV_ROOT/shims:$PATH"
        ----- stderr -----
        "#);

        // Files: programs in, pyenv-win's scripts in the backup, everything else kept.
        let installed = e.root.join("bin/pyv");
        assert_eq!(fs::read(&installed).unwrap(), fs::read(bin("pyv")).unwrap());
        assert_eq!(
            fs::read(e.root.join("bin/pyv-shim")).unwrap(),
            fs::read(bin("pyv-shim")).unwrap()
        );
        let backup = backup_dir(&e.root);
        assert_eq!(
            fs::read_to_string(backup.join("bin/pyenv.bat")).unwrap(),
            PYENV_WIN_BAT
        );
        assert!(backup.join("libexec/libs/pyenv-lib.vbs").is_file());
        assert!(!e.root.join("libexec").exists());
        assert_eq!(
            fs::read(e.root.join("bin/pyenv")).unwrap(),
            fs::read(bin("pyv")).unwrap(),
            "pyv under the name pyenv"
        );
        for kept in [
            "version",
            ".versions_cache.xml",
            "install_cache/python-3.12.1-amd64.exe",
        ] {
            assert!(e.root.join(kept).is_file(), "{kept} kept");
        }
        assert!(
            !e.root.join("shims/python.bat").exists(),
            "pyenv-win's shim replaced"
        );

        // The installed pyv finds its root from its own location.
        e.unset("PYENV_ROOT");
        assert_cli!(e.run(&installed, ["root"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win
        ----- stderr -----
        ");
        assert_cli!(e.run(&installed, ["version"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        3.12.1 (set by [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/version)
        ----- stderr -----
        ");
        assert_cli!(e.run(&e.shim("python"), ["-V"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        python.exe 3.12.1
        [-V]
        ----- stderr -----
        ");
        // `bin/pyenv` answers as pyenv, and so do the shims of the tree it is in.
        let pyenv = e.root.join("bin/pyenv");
        assert_cli!(e.run(&pyenv, ["root"]), @"
        success: true
        exit_code: 0
        ----- stdout -----
        [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win
        ----- stderr -----
        ");
        assert_cli!(e.run(&pyenv, ["--version"]), @"
        success: true
        exit_code: 0
        ----- stdout -----
        pyenv [VERSION]
        ----- stderr -----
        ");
        e.set("PYENV_VERSION", "3.7");
        assert_cli!(e.run(&e.shim("python"), ["-V"]), @"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyenv: version '3.7' is not installed (set by %PYENV_VERSION%); install it with 'pyenv install 3.7'
        ");
        e.unset("PYENV_VERSION");

        // A second run (of the installed copy) changes nothing.
        assert_cli!(e.run(&installed, ["self", "install"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        nothing to change: pyv is installed in [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win
        add these lines to your shell profile (~/.bashrc, ~/.zshrc or ~/.profile):
          export PYENV_ROOT="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win"
          export PATH="$PYENV_ROOT/bin:$PYENV_ROOT/shims:$PATH"
        ----- stderr -----
        "#);
        assert_eq!(backup_dir(&e.root), backup);

        // The installed pyv removes itself and puts pyenv-win back.
        let out = e.run(&installed, ["self", "uninstall"]);
        assert_cli!(out.with_filter(&regex::escape(&stamp), "[STAMP]"), @"
        success: true
        exit_code: 0
        ----- stdout -----
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv
        removed 4 shims from [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims
        restored pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv
        restored pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.bat
        restored pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.ps1
        restored pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup
        pyenv-win is back: run 'pyenv rehash' in a new terminal to recreate its shims
        ----- stderr -----
        ");
        assert_eq!(
            fs::read_to_string(e.root.join("bin/pyenv.bat")).unwrap(),
            PYENV_WIN_BAT
        );
        assert!(e.root.join("libexec/libs/pyenv-lib.vbs").is_file());
        assert!(!installed.exists());
        assert!(e.root.join("versions/3.12.1/python.exe").is_file());
        assert!(!e.root.join(".pyenv-win-backup").exists());
    }

    #[test]
    fn a_real_pyenv_is_left_alone() {
        let e = TestEnv::new(Layout::Unix);
        e.version("3.11.9");
        let pyenv = e.root.join("bin/pyenv");
        fs::create_dir_all(pyenv.parent().unwrap()).unwrap();
        fs::create_dir_all(e.root.join("libexec")).unwrap();
        fs::write(&pyenv, "#!/usr/bin/env bash\n# pyenv\n").unwrap();
        fs::write(e.root.join("libexec/pyenv"), "#!/usr/bin/env bash\n").unwrap();
        // Nothing "moved pyenv-win's …": pyenv's own files stay where they are.
        assert_cli!(e.pyv(["self", "install"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim
        rehashed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims: 5 added, 0 removed, 0 replaced, 5 in all
        add these lines to your shell profile (~/.bashrc, ~/.zshrc or ~/.profile):
          export PYENV_ROOT="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win"
          export PATH="$PYENV_ROOT/bin:$PYENV_ROOT/shims:$PATH"
        ----- stderr -----
        "#);
        assert!(!e.root.join(".pyenv-win-backup").exists());
        assert!(e.root.join("bin/pyv").is_file() && e.root.join("bin/pyv-shim").is_file());
        assert!(e.shim("python3.11").exists());

        assert_cli!(e.pyv(["self", "uninstall"]), @"
        success: true
        exit_code: 0
        ----- stdout -----
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (5 shims)
        ----- stderr -----
        ");
        assert_eq!(
            fs::read_to_string(&pyenv).unwrap(),
            "#!/usr/bin/env bash\n# pyenv\n"
        );
        assert!(e.root.join("libexec/pyenv").is_file());
        assert!(!e.root.join("bin/pyv").exists());
        assert!(e.root.join("versions/3.11.9").is_dir());
    }

    #[test]
    fn purge_asks_first_and_refuses_folders_that_are_no_root() {
        let e = TestEnv::new(Layout::Windows);
        e.version("3.12.1");
        assert_cli!(e.pyv(["self", "install"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        created [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv (pyv under the name pyenv)
        rehashed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims: 4 added, 0 removed, 0 replaced, 4 in all
        add these lines to your shell profile (~/.bashrc, ~/.zshrc or ~/.profile):
          export PYENV_ROOT="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win"
          export PATH="$PYENV_ROOT/bin:$PYENV_ROOT/shims:$PATH"
        ----- stderr -----
        "#);
        assert_cli!(e.run_with_stdin(&bin("pyv"), ["self", "uninstall", "--purge"], "n\n"), @"
        success: true
        exit_code: 0
        ----- stdout -----
        nothing removed
        ----- stderr -----
        pyv: Remove [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win with every Python version in it? (Y/N): 
        [no newline at end]
        ");
        assert!(e.root.join("versions/3.12.1").is_dir());
        assert_cli!(e.run_with_stdin(&bin("pyv"), ["self", "uninstall", "--purge"], "y\n"), @"
        success: true
        exit_code: 0
        ----- stdout -----
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win and everything in it
        ----- stderr -----
        pyv: Remove [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win with every Python version in it? (Y/N): 
        [no newline at end]
        ");
        assert!(!e.root.exists());

        let mut e = TestEnv::new(Layout::Windows);
        let docs = e.tmp.join("Documents");
        fs::create_dir_all(docs.join("work")).unwrap();
        e.set("PYENV_ROOT", docs.display().to_string());
        assert_cli!(e.pyv(["self", "uninstall", "--purge", "-f"]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: will not remove '[TMP]/Documents': it does not look like a pyenv root (no versions, shims or bin/pyv in it); give the root with PYENV_ROOT, or remove the folder yourself
        ");
        assert!(docs.join("work").is_dir());
    }

    #[test]
    fn missing_shim_beside_pyv_is_reported() {
        let e = TestEnv::new(Layout::Unix);
        let lonely = e.tmp.join("lonely");
        fs::create_dir_all(&lonely).unwrap();
        fs::copy(bin("pyv"), lonely.join("pyv")).unwrap();
        assert_cli!(e.run(&lonely.join("pyv"), ["self", "install"]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: '[TMP]/lonely/pyv-shim' is missing: pyv needs its shim program beside it; extract the whole release zip and run 'pyv self install' from there
        ");
        assert!(!e.root.join("bin").exists());
    }
}

/// Under Wine (and on Windows): the real `HKCU\Environment`, saved first and restored
/// afterwards even when the test fails.
#[cfg(windows)]
mod windows {
    use super::*;
    use pyv_tests::assert_cli;
    use windows_registry::{Key, Type as RegType, CURRENT_USER};

    const NAMES: [&str; 4] = ["PYENV", "PYENV_ROOT", "PYENV_HOME", "Path"];

    fn key() -> Key {
        CURRENT_USER.create("Environment").unwrap()
    }

    /// A value as stored: its bytes and type.
    struct RegValue {
        bytes: Vec<u8>,
        vtype: RegType,
    }

    fn get_raw(k: &Key, name: &str) -> Option<RegValue> {
        let v = k.get_value(name).ok()?;
        Some(RegValue {
            bytes: v.to_vec(),
            vtype: v.ty(),
        })
    }

    fn set_raw(k: &Key, name: &str, v: &RegValue) -> windows_registry::Result<()> {
        k.set_bytes(name, v.vtype, &v.bytes)
    }

    struct Saved(Vec<(&'static str, Option<RegValue>)>);

    impl Saved {
        /// The values before the test, less what a killed earlier run left (Wine starts
        /// every process with HKCU\Environment, so leftovers would reach later test runs).
        fn take() -> Saved {
            let k = key();
            let saved = NAMES
                .iter()
                .map(|n| (*n, get_raw(&k, n).and_then(without_leftovers)))
                .collect();
            Saved(saved)
        }
    }

    /// `v` without entries naming a test root that no longer exists; `None` when nothing
    /// else is left.
    fn without_leftovers(v: RegValue) -> Option<RegValue> {
        let text = decode(&v.bytes);
        let stale =
            |e: &&str| e.contains("pyv e2e ") && !Path::new(e.trim_end_matches('\\')).exists();
        let kept: Vec<&str> = text.split(';').filter(|e| !stale(e)).collect();
        if kept.len() == text.split(';').count() {
            return Some(v);
        }
        let rest = kept.join(";");
        (!rest.is_empty()).then(|| RegValue {
            bytes: encode(&rest),
            vtype: v.vtype,
        })
    }

    fn decode(bytes: &[u8]) -> String {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        String::from_utf16(&units).unwrap()
    }

    fn encode(s: &str) -> Vec<u8> {
        s.encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    impl Drop for Saved {
        fn drop(&mut self) {
            let k = key();
            for (name, value) in &self.0 {
                match value {
                    Some(v) => {
                        let _ = set_raw(&k, name, v);
                    }
                    None => {
                        let _ = k.remove_value(name);
                    }
                }
            }
        }
    }

    fn read(name: &str) -> Option<(String, RegType)> {
        let v = get_raw(&key(), name)?;
        Some((decode(&v.bytes), v.vtype))
    }

    fn write_expand(name: &str, value: &str) {
        let v = RegValue {
            bytes: encode(value),
            vtype: RegType::ExpandString,
        };
        set_raw(&key(), name, &v).unwrap();
    }

    fn snapshot() -> Vec<Option<(String, RegType)>> {
        NAMES.iter().map(|n| read(n)).collect()
    }

    #[test]
    fn sets_and_restores_the_user_environment() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let _saved = Saved::take();
        let mut e = TestEnv::new(Layout::Windows);
        e.version("3.12.1");
        let trash = e.tmp.join("trash");
        fs::create_dir_all(&trash).unwrap();
        e.set("TEMP", trash.display().to_string());
        e.set("TMP", trash.display().to_string());
        for n in ["PYENV", "PYENV_ROOT", "PYENV_HOME"] {
            let _ = key().remove_value(n);
        }
        let others = "C:\\Tools;%SystemRoot%\\system32";
        write_expand("Path", others);

        let root = e.root.display().to_string();
        let out = e.pyv(["self", "install", "--root", &root]);
        assert_cli!(out, @r"
        success: true
        exit_code: 0
        ----- stdout -----
        created [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv.exe
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim.exe
        created [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec/pyenv.exe (pyv under the name pyenv)
        wrote [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.bat (pyenv in cmd, and for editors that look for pyenv-win)
        wrote [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.ps1 (pyenv in PowerShell)
        wrote [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv (pyenv in Git Bash)
        set user variable PYENV=[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/
        set user variable PYENV_ROOT=[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/
        set user variable PYENV_HOME=[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/
        user PATH now starts with [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin;[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims
        rehashed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims: 4 added, 0 removed, 0 replaced, 4 in all
        open a new terminal to use pyv (this one keeps its old PATH)
        ----- stderr -----
        ");
        assert!(
            !out.stdout.contains('/'),
            "Windows paths with backslashes only: {}",
            out.stdout
        );
        let want = format!("{root}\\");
        for n in ["PYENV", "PYENV_ROOT", "PYENV_HOME"] {
            assert_eq!(read(n), Some((want.clone(), RegType::String)), "{n}");
        }
        let ours = format!("{root}\\bin;{root}\\shims");
        assert_eq!(
            read("Path"),
            Some((format!("{ours};{others}"), RegType::ExpandString)),
            "prepended once, type and %VARS% kept"
        );
        let bin_dir = e.root.join("bin");
        for f in ["pyv.exe", "pyv-shim.exe"] {
            assert!(bin_dir.join(f).is_file(), "{f}");
        }
        assert!(
            !bin_dir.join("pyenv.exe").exists(),
            "cmd would run it before pyenv.bat"
        );
        for (f, text) in [
            ("pyenv.bat", pyv_self::PYENV_BAT),
            ("pyenv.ps1", pyv_self::PYENV_PS1),
            ("pyenv", pyv_self::PYENV_SH),
        ] {
            assert_eq!(fs::read_to_string(bin_dir.join(f)).unwrap(), text, "{f}");
        }
        let engine = e.root.join("libexec").join("pyenv.exe");
        assert!(e.shim("python").is_file(), "{}", out.snapshot());
        assert_cli!(e.run(&engine, ["--version"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        pyenv [VERSION]
        ----- stderr -----
        ");

        // Second run, from the installed copy: nothing changes.
        let before = snapshot();
        let out = e.run(
            &bin_dir.join("pyv.exe"),
            ["self", "install", "--root", &root],
        );
        assert_cli!(out, @r"
        success: true
        exit_code: 0
        ----- stdout -----
        nothing to change: pyv is installed in [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win
        ----- stderr -----
        ");
        assert_eq!(snapshot(), before);

        // The installed pyv uninstalls itself (moved to TEMP if Windows keeps it busy).
        // (The moved copy's name holds pyv's process id.)
        let out = e
            .run(&bin_dir.join("pyv.exe"), ["self", "uninstall"])
            .with_filter(r"pyv-removed-\d+\.", "pyv-removed-[PID].");
        assert_cli!(out, @r"
        success: true
        exit_code: 0
        ----- stdout -----
        moved [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv.exe (in use) to [TMP]/trash/pyv-removed-[PID].0-pyv.exe: delete it once it has exited
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim.exe
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.bat
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.ps1
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv
        moved [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec/pyenv.exe (in use) to [TMP]/trash/pyv-removed-[PID].1-pyenv.exe: delete it once it has exited
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims (4 shims)
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin
        removed user variable PYENV
        removed user variable PYENV_ROOT
        removed user variable PYENV_HOME
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin;[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims from the user PATH
        ----- stderr -----
        ");
        for n in ["PYENV", "PYENV_ROOT", "PYENV_HOME"] {
            assert_eq!(read(n), None, "{n}");
        }
        assert_eq!(
            read("Path"),
            Some((others.to_string(), RegType::ExpandString))
        );
        assert!(!bin_dir.join("pyv.exe").exists(), "{}", out.snapshot());
        assert!(!bin_dir.exists(), "{}", out.snapshot());
        assert!(e.root.join("versions/3.12.1/python.exe").is_file());
    }

    #[test]
    fn adopts_a_pyenv_win_tree_without_touching_its_environment() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let _saved = Saved::take();
        let mut e = TestEnv::new(Layout::Windows);
        pyenv_win_tree(&e);
        let trash = e.tmp.join("trash");
        fs::create_dir_all(&trash).unwrap();
        e.set("TEMP", trash.display().to_string());
        // As pyenv-win's installer leaves it.
        let root = e.root.display().to_string();
        for n in ["PYENV", "PYENV_ROOT", "PYENV_HOME"] {
            key().set_string(n, format!("{root}\\")).unwrap();
        }
        write_expand("Path", &format!("{root}\\bin;{root}\\shims;C:\\Tools"));
        let before = snapshot();

        let out = e.pyv(["self", "install", "--root", &root]);
        let stamp = backup_dir(&e.root)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let out = out.with_filter(&regex::escape(&stamp), "[STAMP]");
        assert_cli!(out, @r"
        success: true
        exit_code: 0
        ----- stdout -----
        moved pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.bat to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]/bin/pyenv.bat
        moved pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.ps1 to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]/bin/pyenv.ps1
        moved pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]/bin/pyenv
        moved pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec to [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]/libexec
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv.exe
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim.exe
        created [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec
        installed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec/pyenv.exe (pyv under the name pyenv)
        wrote [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.bat (pyenv in cmd, and for editors that look for pyenv-win)
        wrote [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.ps1 (pyenv in PowerShell)
        wrote [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv (pyenv in Git Bash)
        rehashed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims: 4 added, 1 removed, 0 replaced, 4 in all
        ----- stderr -----
        ");
        assert_eq!(snapshot(), before, "pyenv-win set them already");
        let backup = backup_dir(&e.root);
        assert_eq!(
            fs::read_to_string(backup.join("bin/pyenv.bat")).unwrap(),
            PYENV_WIN_BAT
        );
        assert_eq!(
            fs::read_to_string(e.root.join("bin/pyenv.bat")).unwrap(),
            pyv_self::PYENV_BAT
        );
        assert!(!e.root.join("libexec/pyenv.vbs").exists());
        assert!(
            e.shim("python").is_file() && !e.root.join("shims/python.bat").exists(),
            "{}",
            out.snapshot()
        );

        let out = e.pyv(["self", "uninstall"]);
        assert_cli!(out.with_filter(&regex::escape(&stamp), "[STAMP]"), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv.exe
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyv-shim.exe
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.bat
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.ps1
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec/pyenv.exe
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec
        removed 4 shims from [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims
        restored pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv
        restored pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.bat
        restored pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/bin/pyenv.ps1
        restored pyenv-win's [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/libexec
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup/[STAMP]
        removed [TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/.pyenv-win-backup
        pyenv-win is back: run 'pyenv rehash' in a new terminal to recreate its shims; the user PATH and PYENV variables stay, pyenv-win uses the same
        ----- stderr -----
        ");
        assert_eq!(snapshot(), before, "the restored pyenv-win needs them");
        assert_eq!(
            fs::read_to_string(e.root.join("bin/pyenv.bat")).unwrap(),
            PYENV_WIN_BAT
        );
        assert!(e.root.join("libexec/libs/pyenv-lib.vbs").is_file());
        assert!(!e.root.join("bin/pyenv.exe").exists());
    }

    /// cmd as a user has it after `self install`: `<root>\bin` first on PATH, so `pyenv` is
    /// `bin\pyenv.bat`. Every step is one line of a script, as typed at the prompt (a `%VAR%`
    /// on the line of the command that sets it would be expanded before it runs).
    #[test]
    fn pyenv_in_cmd_runs_the_engine_and_sets_the_shell_version() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let _saved = Saved::take();
        let mut e = TestEnv::new(Layout::Windows);
        e.version("3.12.1");
        e.version("3.11.9");
        let trash = e.tmp.join("trash");
        fs::create_dir_all(&trash).unwrap();
        e.set("TEMP", trash.display().to_string());
        // Wine's cmd runs a `for /f` command with its output in a file under %TMP%, and
        // fails (nothing is read) when that folder's path has a space, as this test's
        // folders do: the machine's own TMP. (Real cmd reads a pipe.)
        if let Ok(tmp) = std::env::var("TMP") {
            e.set("TMP", tmp);
        }
        let root = e.root.display().to_string();
        let out = e.pyv(["self", "install", "--root", &root]);
        assert_eq!(out.code, 0, "{}", out.snapshot());

        let system = std::env::var("SystemRoot").unwrap_or_else(|_| "C:\\windows".into());
        let system32 = Path::new(&system).join("system32");
        let cmd = system32.join("cmd.exe");
        // cmd runs `for /f` commands with %COMSPEC%.
        e.set("SystemRoot", system.clone());
        e.set("COMSPEC", cmd.display().to_string());
        e.set(
            "PATH",
            format!("{root}\\bin;{root}\\shims;{}", system32.display()),
        );
        e.unset("PYENV_ROOT");
        let session = e.tmp.join("session.cmd");
        let lines = [
            "@echo off",
            "call pyenv shell 3.12.1",
            "echo shell: %ERRORLEVEL% [%PYENV_VERSION%]",
            "call pyenv version-name",
            "call pyenv shell",
            "python -V",
            "call pyenv shell 3.11.9 3.12.1",
            "echo two: [%PYENV_VERSION%]",
            "call pyenv shell 3.7",
            "echo refused: [%PYENV_VERSION%]",
            "call pyenv shell --unset",
            "echo unset: [%PYENV_VERSION%]",
            "call pyenv shell",
            "pyv shell 3.12.1",
        ];
        fs::write(&session, lines.join("\r\n") + "\r\n").unwrap();
        // Without a console window: Wine would open one, through an `explorer.exe /desktop`
        // that keeps this test's pipes open after cmd has exited.
        let in_cmd = |e: &TestEnv, args: &[&str]| {
            use std::os::windows::process::CommandExt;
            const CREATE_NO_WINDOW: u32 = 0x0800_0000;
            let mut c = e.command(&cmd);
            c.args(args).creation_flags(CREATE_NO_WINDOW);
            e.output_of(c, "")
        };
        // (The last line fails, so cmd's exit code is 1; `[end]`: cmd ends lines with CRLF.)
        assert_cli!(in_cmd(&e, &["/d", "/c", &session.display().to_string()]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        shell: 0 [3.12.1]
        3.12.1
        3.12.1
        python.exe 3.12.1
        [-V]
        two: [3.11.9 3.12.1]
        refused: [3.11.9 3.12.1]
        unset: []
        no shell-specific version configured
        ----- stderr -----
        pyenv: version '3.7' not installed; install it with 'pyenv install 3.7' or pick one from 'pyenv versions'
        pyv: shell integration is not enabled, so 'pyv shell' cannot change this shell's version; use 'pyenv shell' (bin/pyenv.bat from 'pyv self install' sets it in cmd), or enable it with 'pyv init cmd' (see 'pyv help init'), or set PYENV_VERSION yourself
        ");

        // Exit codes and arguments (spaces, quotes) pass through, as tools that start
        // pyenv.bat rely on.
        e.set("FAKE_EXIT", "7");
        e.set("PYENV_VERSION", "3.12.1");
        let run = |args: &[&str]| {
            let mut all = vec!["/d", "/c", "pyenv.bat"];
            all.extend_from_slice(args);
            in_cmd(&e, &all)
        };
        assert_cli!(run(&["exec", "python", "a b", "c\"d"]), @r#"
        success: false
        exit_code: 7
        ----- stdout -----
        python.exe 3.12.1
        [a b]
        [c"d]
        ----- stderr -----
        "#);
        assert_cli!(run(&["--version"]), @r"
        success: true
        exit_code: 0
        ----- stdout -----
        pyenv [VERSION]
        ----- stderr -----
        ");
        assert_cli!(run(&["shell", "3.7"]), @r"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyenv: version '3.7' not installed; install it with 'pyenv install 3.7' or pick one from 'pyenv versions'
        ");
        assert_cli!(run(&["which", "nosuchcommand"]), @r"
        success: false
        exit_code: 127
        ----- stdout -----
        ----- stderr -----
        pyenv: nosuchcommand: command not found (no installed version has it; see 'pyenv versions')
        ");
    }

    /// Both tests use the one HKCU\Environment.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
}
