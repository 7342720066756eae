//! Read-only checks against a real pyenv tree, when this machine has one
//! (`$PYENV_ROOT/versions` or `~/.pyenv/versions`); skipped visibly otherwise.

use std::path::PathBuf;
use std::process::Command;

fn real_root() -> Option<PathBuf> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")))?;
    root.join("versions").is_dir().then_some(root)
}

#[test]
fn versions_and_which_on_a_real_pyenv_tree() {
    let Some(root) = real_root() else {
        eprintln!("SKIP: no pyenv tree ($PYENV_ROOT/versions) on this machine");
        return;
    };
    let mut want: Vec<String> = std::fs::read_dir(root.join("versions"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if want.is_empty() {
        eprintln!("SKIP: the pyenv tree at {} has no versions", root.display());
        return;
    }
    let pyv = pyv_tests::bin("pyv");
    let run = |args: &[&str], version: Option<&str>| {
        let mut c = Command::new(&pyv);
        c.args(args)
            .env("PYENV_ROOT", &root)
            .env_remove("PYENV_VERSION")
            .env_remove("PATHEXT");
        if let Some(v) = version {
            c.env("PYENV_VERSION", v);
        }
        c.output().unwrap()
    };
    let out = run(&["versions", "--bare"], None);
    assert!(out.status.success(), "{out:?}");
    let mut got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    for v in &want {
        let out = run(&["which", "python"], Some(v));
        let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        assert!(out.status.success(), "which python for {v}: {out:?}");
        assert!(
            path.starts_with(root.join("versions").join(v)) && path.is_file(),
            "{v}: {path:?}"
        );
    }
}
