//! Plans and their application on temporary roots, with an in-memory user environment.

use super::*;
use std::fs;
use std::time::{Duration, UNIX_EPOCH};

const PYENV_WIN_BAT: &str =
    "@echo off\r\nchcp 65001 >nul\r\ncscript //nologo \"%~dp0..\\libexec\\pyenv.vbs\" %*\r\n";

struct Setup {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    trash: PathBuf,
    pyv: PathBuf,
    shim: PathBuf,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    let trash = tmp.path().join("trash");
    fs::create_dir_all(&dist).unwrap();
    fs::create_dir_all(&trash).unwrap();
    let (pyv, shim) = (dist.join("pyv.exe"), dist.join("pyv-shim.exe"));
    fs::write(&pyv, "pyv program v1").unwrap();
    fs::write(&shim, "shim program v1").unwrap();
    Setup {
        root: tmp.path().join("home").join(".pyenv").join("pyenv-win"),
        _tmp: tmp,
        trash,
        pyv,
        shim,
    }
}

fn write(p: &Path, text: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// A tree as pyenv-win's installer leaves it, with one Python installed and rehashed.
fn pyenv_win_tree(root: &Path) {
    for (rel, text) in [
        ("bin/pyenv.bat", PYENV_WIN_BAT),
        ("bin/pyenv.ps1", "& \"$PSScriptRoot\\pyenv.bat\" @args"),
        ("bin/pyenv", "#!/bin/sh\nexec cmd /C call pyenv.bat \"$@\""),
        ("bin/WiX/dark.exe", "wix"),
        ("libexec/pyenv.vbs", "' pyenv.vbs"),
        ("libexec/libs/pyenv-lib.vbs", "' lib"),
        ("versions/3.12.1/python.exe", "python"),
        ("versions/3.12.1/Scripts/pip.exe", "pip"),
        ("shims/python.bat", "@echo off\r\ncall pyenv exec %~n0 %*"),
        ("shims/python", "#!/bin/sh\npyenv exec python"),
        ("version", "3.12.1\r\n"),
        (".versions_cache.xml", "<versions/>"),
        ("install_cache/python-3.12.1-amd64.exe", "installer"),
    ] {
        write(&root.join(rel), text);
    }
}

fn no_vars(_: &str) -> Option<String> {
    None
}

fn exts() -> Vec<String> {
    vec![".EXE".into(), ".BAT".into()]
}

fn req(s: &Setup, flavor: Flavor) -> InstallRequest {
    InstallRequest {
        root: s.root.clone(),
        flavor,
        pyv: s.pyv.clone(),
        shim: s.shim.clone(),
        exts: exts(),
        now: UNIX_EPOCH + Duration::from_secs(1_706_745_599),
    }
}

fn unreq(s: &Setup, flavor: Flavor, purge: bool) -> UninstallRequest {
    UninstallRequest {
        root: s.root.clone(),
        flavor,
        purge,
    }
}

fn run_install(
    s: &Setup,
    flavor: Flavor,
    env: Option<&mut (dyn UserEnvironment + '_)>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> (usize, Vec<String>) {
    let mut lines = Vec::new();
    let n = install(&req(s, flavor), env, lookup, &s.trash, &mut |l| {
        lines.push(l.replace(&s.root.display().to_string(), "<root>"))
    })
    .unwrap();
    (n, lines)
}

fn run_uninstall(
    s: &Setup,
    flavor: Flavor,
    purge: bool,
    env: Option<&mut (dyn UserEnvironment + '_)>,
) -> (usize, Vec<String>) {
    let mut lines = Vec::new();
    let n = uninstall(
        &unreq(s, flavor, purge),
        env,
        &no_vars,
        &s.trash,
        &mut |l| lines.push(l.replace(&s.root.display().to_string(), "<root>")),
    )
    .unwrap();
    (n, lines)
}

/// Every file under the `dirs` of `root`, as (`/`-separated path, text), sorted.
fn files<const N: usize>(root: &Path, dirs: [&str; N]) -> Vec<(String, String)> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, String)>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.map(Result::unwrap) {
            let rel = format!("{rel}/{}", e.file_name().to_string_lossy());
            if e.path().is_dir() {
                walk(&e.path(), &rel, out);
            } else {
                let text = String::from_utf8_lossy(&fs::read(e.path()).unwrap()).into_owned();
                out.push((rel, text));
            }
        }
    }
    let mut out = Vec::new();
    for d in dirs {
        walk(&root.join(d), d, &mut out);
    }
    out.sort();
    out
}

fn var(env: &MemoryEnvironment, name: &str) -> Option<EnvValue> {
    env.get(name).unwrap()
}

#[test]
fn fresh_root_plan_on_windows() {
    let s = setup();
    let env = MemoryEnvironment::new().with("Path", EnvValue::expandable("%SystemRoot%;C:\\Tools"));
    let plan = plan_install(&req(&s, Flavor::Windows), Some(&env), &no_vars).unwrap();
    let bin = s.root.join("bin");
    let [b, sh] = [
        path_entries(&s.root)[0].clone(),
        path_entries(&s.root)[1].clone(),
    ];
    let want_value = root_value(&s.root);
    assert!(want_value.ends_with('\\'));
    let mut want = vec![
        Action::CreateDir(bin.clone()),
        Action::CreateDir(s.root.join("versions")),
        Action::Copy {
            from: s.pyv.clone(),
            to: bin.join("pyv.exe"),
            replace: false,
        },
        Action::Copy {
            from: s.shim.clone(),
            to: bin.join("pyv-shim.exe"),
            replace: false,
        },
        Action::CreateDir(s.root.join("libexec")),
        Action::Link {
            from: bin.join("pyv.exe"),
            to: s.root.join("libexec").join("pyenv.exe"),
            replace: false,
        },
        Action::Write {
            to: bin.join("pyenv.bat"),
            contents: PYENV_BAT,
            purpose: "pyenv in cmd, and for editors that look for pyenv-win",
        },
        Action::Write {
            to: bin.join("pyenv.ps1"),
            contents: PYENV_PS1,
            purpose: "pyenv in PowerShell",
        },
        Action::Write {
            to: bin.join("pyenv"),
            contents: PYENV_SH,
            purpose: "pyenv in Git Bash",
        },
    ];
    for name in ROOT_VARIABLES {
        want.push(Action::SetVar {
            name: name.into(),
            value: EnvValue::plain(want_value.clone()),
        });
    }
    want.push(Action::SetPath {
        value: EnvValue::expandable(format!("{b};{sh};%SystemRoot%;C:\\Tools")),
        added: vec![b.clone(), sh.clone()],
    });
    assert_eq!(plan.actions, want);
    assert_eq!(
        fs::read_dir(s.root.parent().unwrap())
            .ok()
            .map(|d| d.count()),
        None,
        "planning writes nothing"
    );
}

#[test]
fn fresh_install_then_second_run_changes_nothing() {
    let s = setup();
    let mut env = MemoryEnvironment::new().with("PATH", EnvValue::plain("C:\\Tools"));
    let (n, lines) = run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    assert_eq!(n, lines.len() - 1, "{lines:#?}");
    assert_eq!(
        lines[0],
        "created <root>/bin".replace('/', std::path::MAIN_SEPARATOR_STR)
    );
    assert!(lines.last().unwrap().starts_with("open a new terminal"));
    assert_eq!(
        files(&s.root, ["bin", "libexec"]),
        [
            ("bin/pyenv", PYENV_SH),
            ("bin/pyenv.bat", PYENV_BAT),
            ("bin/pyenv.ps1", PYENV_PS1),
            ("bin/pyv-shim.exe", "shim program v1"),
            ("bin/pyv.exe", "pyv program v1"),
            ("libexec/pyenv.exe", "pyv program v1"),
        ]
        .map(|(p, t)| (p.to_string(), t.to_string()))
    );
    assert!(s.root.join("shims").is_dir(), "rehashed");
    for name in ROOT_VARIABLES {
        assert_eq!(var(&env, name), Some(EnvValue::plain(root_value(&s.root))));
    }
    let entries = path_entries(&s.root);
    assert_eq!(
        var(&env, "Path"),
        Some(EnvValue::plain(format!("{};C:\\Tools", entries.join(";")))),
        "REG_SZ stays REG_SZ"
    );
    assert_eq!(env.notified, 1);
    assert_eq!(
        env.entries()[0].0,
        "PATH",
        "the existing name's spelling is kept"
    );

    let before = env.clone();
    let (n, lines) = run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    assert_eq!(n, 0);
    assert_eq!(lines, ["nothing to change: pyv is installed in <root>"]);
    assert_eq!(env, before, "no broadcast either");
}

#[test]
fn new_build_replaces_the_programs_only() {
    let s = setup();
    let mut env = MemoryEnvironment::new();
    run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    fs::write(&s.pyv, "pyv program v2").unwrap();
    let (_, lines) = run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    let sep = std::path::MAIN_SEPARATOR_STR;
    assert_eq!(
        lines,
        [
            format!("updated <root>{sep}bin{sep}pyv.exe"),
            format!("updated <root>{sep}libexec{sep}pyenv.exe (pyv under the name pyenv)"),
        ]
    );
    assert_eq!(
        fs::read(s.root.join("libexec/pyenv.exe")).unwrap(),
        b"pyv program v2"
    );
    let leftovers: Vec<_> = fs::read_dir(s.root.join("bin"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn new_path_value_is_expandable_and_expanded_entries_count_as_ours() {
    let s = setup();
    let mut env = MemoryEnvironment::new();
    run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    assert_eq!(
        var(&env, "Path"),
        Some(EnvValue::expandable(path_entries(&s.root).join(";")))
    );

    // pyenv-win installed by hand with %USERPROFILE% in an expandable Path.
    let home = s
        .root
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .display()
        .to_string();
    let lookup = move |n: &str| (n == "USERPROFILE").then(|| home.clone());
    let written =
        "%USERPROFILE%\\.pyenv\\pyenv-win\\bin;%USERPROFILE%\\.pyenv\\pyenv-win\\shims;C:\\Go";
    let env = MemoryEnvironment::new().with("Path", EnvValue::expandable(written));
    let plan = plan_install(&req(&s, Flavor::Windows), Some(&env), &lookup).unwrap();
    assert!(
        !plan
            .actions
            .iter()
            .any(|a| matches!(a, Action::SetPath { .. })),
        "{plan:?}"
    );
    let plan = plan_uninstall(&unreq(&s, Flavor::Windows, false), Some(&env), &lookup).unwrap();
    let removed = plan.actions.iter().find_map(|a| match a {
        Action::RemovePath { value, .. } => Some(value.clone()),
        _ => None,
    });
    assert_eq!(removed, Some(Some(EnvValue::expandable("C:\\Go"))));
    // As REG_SZ the %VARS% are literal text, so they are not ours.
    let env = MemoryEnvironment::new().with("Path", EnvValue::plain(written));
    let plan = plan_install(&req(&s, Flavor::Windows), Some(&env), &lookup).unwrap();
    let set = plan.actions.iter().find_map(|a| match a {
        Action::SetPath { value, .. } => Some(value.clone()),
        _ => None,
    });
    assert_eq!(
        set,
        Some(EnvValue::plain(format!(
            "{};{written}",
            path_entries(&s.root).join(";")
        )))
    );
}

#[test]
fn adopting_a_pyenv_win_tree_moves_its_scripts_and_keeps_the_rest() {
    let s = setup();
    pyenv_win_tree(&s.root);
    let root_v = root_value(&s.root);
    let entries = path_entries(&s.root);
    // As pyenv-win's installer leaves the user environment.
    let mut env = MemoryEnvironment::new()
        .with("PYENV", EnvValue::plain(root_v.clone()))
        .with("PYENV_ROOT", EnvValue::plain(root_v.clone()))
        .with("PYENV_HOME", EnvValue::plain(root_v.clone()))
        .with(
            "Path",
            EnvValue::expandable(format!("{};C:\\Tools", entries.join(";"))),
        );
    let plan = plan_install(&req(&s, Flavor::Windows), Some(&env), &no_vars).unwrap();
    let backup = s.root.join(".pyenv-win-backup").join("20240131-235959");
    let moves: Vec<_> = plan
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::MoveAside { from, to } => Some((from.clone(), to.clone())),
            _ => None,
        })
        .collect();
    let rels = ["bin/pyenv.bat", "bin/pyenv.ps1", "bin/pyenv", "libexec"];
    assert_eq!(
        moves,
        rels.iter()
            .map(|r| (s.root.join(r), backup.join(r)))
            .collect::<Vec<_>>()
    );
    assert!(
        !plan
            .actions
            .iter()
            .any(|a| matches!(a, Action::SetVar { .. } | Action::SetPath { .. })),
        "variables and PATH are pyenv-win's already: {plan:#?}"
    );
    let created: Vec<_> = plan
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::CreateDir(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(created, [s.root.join("libexec")], "pyenv-win's moved aside");

    let (_, lines) = run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    for r in rels {
        assert!(backup.join(r).exists(), "{r} backed up");
    }
    assert_eq!(
        fs::read_to_string(backup.join("bin/pyenv.bat")).unwrap(),
        PYENV_WIN_BAT
    );
    assert_eq!(
        files(&s.root, ["bin", "libexec"]),
        [
            ("bin/WiX/dark.exe", "wix"),
            ("bin/pyenv", PYENV_SH),
            ("bin/pyenv.bat", PYENV_BAT),
            ("bin/pyenv.ps1", PYENV_PS1),
            ("bin/pyv-shim.exe", "shim program v1"),
            ("bin/pyv.exe", "pyv program v1"),
            ("libexec/pyenv.exe", "pyv program v1"),
        ]
        .map(|(p, t)| (p.to_string(), t.to_string()))
    );
    for kept in [
        "bin/WiX/dark.exe",
        "versions/3.12.1/python.exe",
        "version",
        ".versions_cache.xml",
        "install_cache/python-3.12.1-amd64.exe",
    ] {
        assert!(s.root.join(kept).is_file(), "{kept} kept");
    }
    // Rehash: pyenv-win's .bat and sh shims make way for exe shims.
    let mut shims: Vec<String> = fs::read_dir(s.root.join("shims"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    shims.sort();
    let shim_name = |c: &str| pyv_core::rehash::shim_file_name(c);
    assert_eq!(shims, [shim_name("pip"), shim_name("python")]);
    assert!(
        lines.iter().any(|l| l.starts_with("rehashed ")),
        "{lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("open a new terminal")),
        "no environment change: {lines:#?}"
    );

    let (n, _) = run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    assert_eq!(n, 0, "idempotent");
    assert_eq!(
        fs::read_dir(s.root.join(".pyenv-win-backup"))
            .unwrap()
            .count(),
        1,
        "no second backup"
    );
}

#[test]
fn uninstall_after_adopting_restores_pyenv_win_and_keeps_its_environment() {
    let s = setup();
    pyenv_win_tree(&s.root);
    let entries = path_entries(&s.root);
    let mut env = MemoryEnvironment::new().with(
        "Path",
        EnvValue::expandable(format!("{};C:\\Tools", entries.join(";"))),
    );
    for name in ROOT_VARIABLES {
        env.set(name, &EnvValue::plain(root_value(&s.root)))
            .unwrap();
    }
    run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    let before = env.clone();

    let (_, lines) = run_uninstall(&s, Flavor::Windows, false, Some(&mut env));
    assert_eq!(env, before, "pyenv-win uses the same variables");
    let sep = std::path::MAIN_SEPARATOR_STR;
    let p = |r: &str| format!("<root>{sep}{}", r.replace('/', sep));
    assert_eq!(
        lines,
        [
            format!("removed {}", p("bin/pyv.exe")),
            format!("removed {}", p("bin/pyv-shim.exe")),
            format!("removed {}", p("bin/pyenv.bat")),
            format!("removed {}", p("bin/pyenv.ps1")),
            format!("removed {}", p("bin/pyenv")),
            format!("removed {}", p("libexec/pyenv.exe")),
            format!("removed {}", p("libexec")),
            format!("removed 2 shims from {}", p("shims")),
            format!("restored pyenv-win's {}", p("bin/pyenv")),
            format!("restored pyenv-win's {}", p("bin/pyenv.bat")),
            format!("restored pyenv-win's {}", p("bin/pyenv.ps1")),
            format!("restored pyenv-win's {}", p("libexec")),
            format!("removed {}", p(".pyenv-win-backup/20240131-235959")),
            format!("removed {}", p(".pyenv-win-backup")),
            "pyenv-win is back: run 'pyenv rehash' in a new terminal to recreate its shims; the user PATH and PYENV variables stay, pyenv-win uses the same".to_string(),
        ]
    );
    assert_eq!(
        fs::read_to_string(s.root.join("bin/pyenv.bat")).unwrap(),
        PYENV_WIN_BAT
    );
    assert!(s.root.join("libexec/libs/pyenv-lib.vbs").is_file());
    assert!(s.root.join("bin/WiX/dark.exe").is_file());
    assert!(s.root.join("versions/3.12.1/python.exe").is_file());
    assert_eq!(fs::read_dir(s.root.join("shims")).unwrap().count(), 0);

    let (n, lines) = run_uninstall(&s, Flavor::Windows, false, Some(&mut env));
    assert_eq!(n, 0);
    assert_eq!(lines, ["nothing to remove: pyv is not installed in <root>"]);
}

#[test]
fn uninstall_after_fresh_install_removes_exactly_ours() {
    let s = setup();
    let other_root = "D:\\other\\pyenv-win\\";
    let mut env =
        MemoryEnvironment::new().with("Path", EnvValue::expandable("C:\\Tools;%GOPATH%\\bin"));
    run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    // Pointed elsewhere since: no longer ours.
    env.set("PYENV_HOME", &EnvValue::plain(other_root)).unwrap();
    fs::write(s.root.join("bin").join(".pyv.exe.4242.0.tmp"), "old").unwrap();
    fs::write(s.root.join("bin").join("notes.txt"), "mine").unwrap();
    // The user added something after pyv's entries meanwhile.
    let mut path = var(&env, "Path").unwrap();
    path.value.push_str(";C:\\Later");
    env.set("Path", &path).unwrap();

    let (_, lines) = run_uninstall(&s, Flavor::Windows, false, Some(&mut env));
    assert_eq!(
        var(&env, "Path"),
        Some(EnvValue::expandable("C:\\Tools;%GOPATH%\\bin;C:\\Later"))
    );
    assert_eq!(var(&env, "PYENV"), None);
    assert_eq!(var(&env, "PYENV_ROOT"), None);
    assert_eq!(
        var(&env, "PYENV_HOME"),
        Some(EnvValue::plain(other_root)),
        "not ours: PYENV_HOME names another root"
    );
    assert_eq!(env.notified, 2);
    assert!(!s.root.join("bin/pyv.exe").exists());
    assert!(!s.root.join("bin/.pyv.exe.4242.0.tmp").exists());
    assert!(s.root.join("bin/notes.txt").is_file(), "not ours, bin kept");
    assert!(!s.root.join("shims").exists());
    assert!(s.root.join("versions").is_dir());
    assert!(lines
        .iter()
        .any(|l| l.starts_with("removed user variable PYENV_ROOT")));
    assert!(lines.iter().any(|l| l.contains("from the user PATH")));
}

#[test]
fn path_holding_only_ours_is_removed() {
    let s = setup();
    let mut env = MemoryEnvironment::new();
    run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    run_uninstall(&s, Flavor::Windows, false, Some(&mut env));
    assert_eq!(env.entries(), []);
    assert!(!s.root.join("bin").exists());
}

#[test]
fn purge_removes_the_root_and_refuses_other_folders() {
    let s = setup();
    let mut env = MemoryEnvironment::new();
    pyenv_win_tree(&s.root);
    run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    let (_, lines) = run_uninstall(&s, Flavor::Windows, true, Some(&mut env));
    assert!(!s.root.exists());
    assert_eq!(env.entries(), []);
    assert_eq!(lines.last().unwrap(), "removed <root> and everything in it");

    let refused = |root: PathBuf, lookup: &dyn Fn(&str) -> Option<String>| {
        let r = UninstallRequest {
            root,
            flavor: Flavor::Windows,
            purge: true,
        };
        match plan_uninstall(&r, None, lookup) {
            Err(SelfInstallError::PurgeRefused { reason, .. }) => reason,
            other => panic!("not refused: {other:?}"),
        }
    };
    let home = s.root.parent().unwrap().parent().unwrap().to_path_buf();
    fs::create_dir_all(home.join("versions")).unwrap();
    let h = home.display().to_string();
    assert_eq!(
        refused(home.clone(), &move |v| (v == "USERPROFILE")
            .then(|| h.clone())),
        "it is your home folder"
    );
    let docs = home.join("Documents");
    fs::create_dir_all(&docs).unwrap();
    assert!(refused(docs, &no_vars).starts_with("it does not look like a pyenv root"));
    assert_eq!(
        refused(PathBuf::from("/"), &no_vars),
        "it is the top of a drive"
    );
}

#[test]
fn unix_install_leaves_pyenv_alone_and_prints_the_profile_lines() {
    let s = setup();
    for (rel, text) in [
        ("bin/pyenv", "#!/usr/bin/env bash\n# pyenv"),
        ("libexec/pyenv", "#!/usr/bin/env bash"),
        ("versions/3.12.1/bin/python", "python"),
    ] {
        write(&s.root.join(rel), text);
    }
    let req = InstallRequest {
        pyv: s.pyv.with_file_name("pyv"),
        shim: s.shim.with_file_name("pyv-shim"),
        ..req(&s, Flavor::Unix)
    };
    fs::copy(&s.pyv, &req.pyv).unwrap();
    fs::copy(&s.shim, &req.shim).unwrap();
    let plan = plan_install(&req, None, &no_vars).unwrap();
    let bin = s.root.join("bin");
    assert_eq!(
        plan.actions,
        [
            Action::Copy {
                from: req.pyv.clone(),
                to: bin.join("pyv"),
                replace: false
            },
            Action::Copy {
                from: req.shim.clone(),
                to: bin.join("pyv-shim"),
                replace: false
            },
        ]
    );
    let mut lines = Vec::new();
    install(&req, None, &no_vars, &s.trash, &mut |l| {
        lines.push(l.to_string())
    })
    .unwrap();
    assert_eq!(
        lines[lines.len() - 3..],
        [
            "add these lines to your shell profile (~/.bashrc, ~/.zshrc or ~/.profile):"
                .to_string(),
            format!("  export PYENV_ROOT=\"{}\"", s.root.display()),
            "  export PATH=\"$PYENV_ROOT/bin:$PYENV_ROOT/shims:$PATH\"".to_string(),
        ]
    );
    // Already on PATH (`:`-separated, so Unix paths only): nothing to say but that
    // nothing changed.
    if cfg!(unix) {
        let path = format!(
            "/usr/bin:{}/bin:{}/shims/",
            s.root.display(),
            s.root.display()
        );
        let lookup = move |v: &str| (v == "PATH").then(|| path.clone());
        let mut lines = Vec::new();
        install(&req, None, &lookup, &s.trash, &mut |l| {
            lines.push(l.to_string())
        })
        .unwrap();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("nothing to change"));
    }

    let plan = plan_uninstall(&unreq(&s, Flavor::Unix, false), None, &no_vars).unwrap();
    assert_eq!(
        plan.actions[..2],
        [
            Action::RemoveFile(bin.join("pyv")),
            Action::RemoveFile(bin.join("pyv-shim")),
        ]
    );
    run_uninstall(&s, Flavor::Unix, false, None);
    assert_eq!(
        fs::read_to_string(bin.join("pyenv")).unwrap(),
        "#!/usr/bin/env bash\n# pyenv"
    );
    assert!(s.root.join("libexec/pyenv").is_file());
    assert!(!bin.join("pyv").exists() && !bin.join("pyv-shim").exists());
}

#[test]
fn missing_shim_is_a_clear_error() {
    let s = setup();
    fs::remove_file(&s.shim).unwrap();
    let err = plan_install(&req(&s, Flavor::Windows), None, &no_vars).unwrap_err();
    assert!(
        err.to_string().contains("needs its shim program beside it"),
        "{err}"
    );
    assert!(!s.root.exists());
}

/// Windows refuses to overwrite or delete a running program: a copy of cmd.exe waiting on
/// its standard input stands in for a running pyv.exe (no timing: it runs until stdin closes).
#[cfg(windows)]
#[test]
fn running_programs_are_replaced_and_removed_by_renaming_them_aside() {
    use std::process::{Command, Stdio};
    let s = setup();
    let mut env = MemoryEnvironment::new();
    run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    let installed = s.root.join("bin").join("pyv.exe");
    let system = std::env::var("SystemRoot").unwrap_or_else(|_| "C:\\Windows".into());
    fs::copy(
        Path::new(&system).join("System32").join("cmd.exe"),
        &installed,
    )
    .unwrap();
    let mut busy = Command::new(&installed)
        .args(["/d", "/c", "set /p x="])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        fs::remove_file(&installed).is_err(),
        "Windows lets a running program be deleted: this test proves nothing here"
    );

    // pyenv.exe is a hard link to pyv.exe: both names are the running program.
    let (_, lines) = run_install(&s, Flavor::Windows, Some(&mut env), &no_vars);
    assert_eq!(
        fs::read(&installed).unwrap(),
        b"pyv program v1",
        "{lines:?}"
    );
    let pyenv = s.root.join("libexec").join("pyenv.exe");
    assert_eq!(fs::read(&pyenv).unwrap(), b"pyv program v1", "{lines:?}");
    let aside: Vec<String> = ["bin", "libexec"]
        .iter()
        .flat_map(|d| plan::leftovers(&s.root.join(d)))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(aside.len(), 2, "the running copies wait beside: {aside:?}");
    assert!(aside[0].starts_with(".pyv.exe.") && aside[1].starts_with(".pyenv.exe."));

    // Uninstall while it still runs: the running copy goes to the trash folder.
    let (_, lines) = run_uninstall(&s, Flavor::Windows, false, Some(&mut env));
    let in_use = lines.iter().filter(|l| l.contains("(in use)")).count();
    assert_eq!(in_use, 2, "{lines:#?}");
    assert!(!s.root.join("bin").exists(), "{lines:#?}");
    assert_eq!(fs::read_dir(&s.trash).unwrap().count(), 2);
    drop(busy.stdin.take());
    busy.wait().unwrap();
}

#[test]
fn unix_install_makes_bin_pyenv_and_updates_and_removes_only_its_own() {
    let s = setup();
    let req = InstallRequest {
        pyv: s.pyv.with_file_name("pyv"),
        shim: s.shim.with_file_name("pyv-shim"),
        ..req(&s, Flavor::Unix)
    };
    fs::copy(&s.pyv, &req.pyv).unwrap();
    fs::copy(&s.shim, &req.shim).unwrap();
    let bin = s.root.join("bin");
    let plan = plan_install(&req, None, &no_vars).unwrap();
    assert_eq!(
        plan.actions,
        [
            Action::CreateDir(bin.clone()),
            Action::CreateDir(s.root.join("versions")),
            Action::Copy {
                from: req.pyv.clone(),
                to: bin.join("pyv"),
                replace: false
            },
            Action::Copy {
                from: req.shim.clone(),
                to: bin.join("pyv-shim"),
                replace: false
            },
            Action::Link {
                from: bin.join("pyv"),
                to: bin.join("pyenv"),
                replace: false
            },
        ]
    );
    let run = |req: &InstallRequest| {
        let mut lines = Vec::new();
        install(req, None, &no_vars, &s.trash, &mut |l| {
            // The Unix layout planned on any OS: paths as the OS joins them, compared as `/`.
            lines.push(
                l.replace(&s.root.display().to_string(), "<root>")
                    .replace('\\', "/"),
            )
        })
        .unwrap();
        lines
    };
    let lines = run(&req);
    assert_eq!(
        lines[4],
        "installed <root>/bin/pyenv (pyv under the name pyenv)"
    );
    assert_eq!(
        files(&s.root, ["bin"]),
        [
            ("bin/pyenv", "pyv program v1"),
            ("bin/pyv", "pyv program v1"),
            ("bin/pyv-shim", "shim program v1"),
        ]
        .map(|(p, t)| (p.to_string(), t.to_string()))
    );
    assert_eq!(
        run(&req)[0],
        "nothing to change: pyv is installed in <root>"
    );

    // A new build: bin/pyenv is the old pyv, so it is pyv's and follows.
    fs::write(&req.pyv, "pyv program v2").unwrap();
    assert_eq!(
        run(&req)[..2],
        [
            "updated <root>/bin/pyv",
            "updated <root>/bin/pyenv (pyv under the name pyenv)"
        ]
    );
    assert_eq!(fs::read(bin.join("pyenv")).unwrap(), b"pyv program v2");

    let (_, lines) = run_uninstall(&s, Flavor::Unix, false, None);
    let lines: Vec<String> = lines.iter().map(|l| l.replace('\\', "/")).collect();
    assert_eq!(
        lines,
        [
            "removed <root>/bin/pyv",
            "removed <root>/bin/pyv-shim",
            "removed <root>/bin/pyenv",
            "removed <root>/shims (0 shims)",
            "removed <root>/bin",
        ]
    );
}

#[test]
fn unix_install_keeps_a_pyenvs_own_bin_pyenv() {
    let s = setup();
    write(&s.root.join("bin/pyenv"), "#!/usr/bin/env bash\n# pyenv");
    let req = InstallRequest {
        pyv: s.pyv.with_file_name("pyv"),
        shim: s.shim.with_file_name("pyv-shim"),
        ..req(&s, Flavor::Unix)
    };
    fs::copy(&s.pyv, &req.pyv).unwrap();
    fs::copy(&s.shim, &req.shim).unwrap();
    let plan = plan_install(&req, None, &no_vars).unwrap();
    assert!(
        !plan
            .actions
            .iter()
            .any(|a| matches!(a, Action::Link { .. } | Action::MoveAside { .. })),
        "{plan:#?}"
    );
    install(&req, None, &no_vars, &s.trash, &mut |_| {}).unwrap();
    let plan = plan_uninstall(&unreq(&s, Flavor::Unix, false), None, &no_vars).unwrap();
    assert!(!plan
        .actions
        .contains(&Action::RemoveFile(s.root.join("bin/pyenv"))));
    assert_eq!(
        fs::read_to_string(s.root.join("bin/pyenv")).unwrap(),
        "#!/usr/bin/env bash\n# pyenv"
    );
}

#[test]
fn an_earlier_pyvs_layout_is_updated_in_place_not_backed_up() {
    let s = setup();
    // What pyv wrote before the scripts: pyenv.exe beside pyv.exe, a one-line pyenv.bat.
    write(&s.root.join("bin/pyv.exe"), "pyv program v0");
    write(&s.root.join("bin/pyv-shim.exe"), "shim program v0");
    write(&s.root.join("bin/pyenv.exe"), "pyv program v0");
    write(&s.root.join("bin/pyenv.bat"), "@\"%~dp0pyenv.exe\" %*\r\n");
    write(&s.root.join("versions/3.12.1/python.exe"), "python");
    let (_, lines) = run_install(&s, Flavor::Windows, None, &no_vars);
    let sep = std::path::MAIN_SEPARATOR_STR;
    let p = |r: &str| format!("<root>{sep}{}", r.replace('/', sep));
    assert_eq!(
        lines[..8],
        [
            format!("updated {}", p("bin/pyv.exe")),
            format!("updated {}", p("bin/pyv-shim.exe")),
            format!("created {}", p("libexec")),
            format!(
                "installed {} (pyv under the name pyenv)",
                p("libexec/pyenv.exe")
            ),
            format!(
                "wrote {} (pyenv in cmd, and for editors that look for pyenv-win)",
                p("bin/pyenv.bat")
            ),
            format!("wrote {} (pyenv in PowerShell)", p("bin/pyenv.ps1")),
            format!("wrote {} (pyenv in Git Bash)", p("bin/pyenv")),
            format!("removed {}", p("bin/pyenv.exe")),
        ]
    );
    assert!(!s.root.join(backup::BACKUP_DIR).exists());
    assert_eq!(
        files(&s.root, ["bin", "libexec"]),
        [
            ("bin/pyenv", PYENV_SH),
            ("bin/pyenv.bat", PYENV_BAT),
            ("bin/pyenv.ps1", PYENV_PS1),
            ("bin/pyv-shim.exe", "shim program v1"),
            ("bin/pyv.exe", "pyv program v1"),
            ("libexec/pyenv.exe", "pyv program v1"),
        ]
        .map(|(p, t)| (p.to_string(), t.to_string()))
    );
}

#[test]
fn a_changed_script_is_written_again_and_pyv_is_not_taken_for_pyenv_win() {
    let s = setup();
    run_install(&s, Flavor::Windows, None, &no_vars);
    assert_eq!(plan::pyenv_win_scripts(&s.root), Vec::<&str>::new());
    fs::write(s.root.join("bin/pyenv"), "#!/bin/sh\n# edited").unwrap();
    let (_, lines) = run_install(&s, Flavor::Windows, None, &no_vars);
    let sep = std::path::MAIN_SEPARATOR_STR;
    assert_eq!(
        lines,
        [format!(
            "wrote <root>{sep}bin{sep}pyenv (pyenv in Git Bash)"
        )]
    );
    assert_eq!(
        fs::read_to_string(s.root.join("bin/pyenv")).unwrap(),
        PYENV_SH
    );
}
