//! Making `pip` a command of a new version, as pyenv-win users expect `Scripts\pip.exe`.
//! Decided here as a pure function; run on Windows only (the packages hold Windows
//! programs). It runs after the version has its final name: pip writes the absolute path
//! of `python.exe` into `Scripts\pip.exe`, so a run in a temporary folder would break pip.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipPlan {
    /// `Scripts\pip.exe` is there already.
    Present,
    /// Nothing to run it with (no `python.exe`, no `ensurepip`, no bundled wheel).
    Unavailable,
    /// Run `python` with these arguments.
    Run {
        python: PathBuf,
        args: Vec<OsString>,
    },
}

/// What to run in version folder `dir`:
/// - MSI/installer layouts have no pip: `python -E -s -m ensurepip -U --default-pip`
///   (pyenv-win's command).
/// - python.org zip and NuGet packages carry pip in `Lib\site-packages` (installed from
///   ensurepip's bundled wheel with `--target`) but no `Scripts` launchers, and ensurepip
///   would see pip and do nothing; reinstalling that same bundled wheel writes them.
pub fn plan(dir: &Path) -> PipPlan {
    let python = dir.join("python.exe");
    if dir.join("Scripts").join("pip.exe").is_file() {
        return PipPlan::Present;
    }
    let ensurepip = dir.join("Lib").join("ensurepip");
    if !python.is_file() || !ensurepip.is_dir() {
        return PipPlan::Unavailable;
    }
    let mut args: Vec<OsString> = ["-E", "-s", "-m"].map(OsString::from).into();
    if dir.join("Lib").join("site-packages").join("pip").is_dir() {
        let Some(wheel) = bundled_pip_wheel(&ensurepip.join("_bundled")) else {
            return PipPlan::Unavailable;
        };
        args.extend(
            [
                "pip",
                "install",
                "--no-index",
                "--no-deps",
                "--force-reinstall",
                "--no-warn-script-location",
                "--disable-pip-version-check",
            ]
            .map(OsString::from),
        );
        args.push(wheel.into_os_string());
    } else {
        args.extend(["ensurepip", "-U", "--default-pip"].map(OsString::from));
    }
    PipPlan::Run { python, args }
}

/// `pip-24.0-py3-none-any.whl` in ensurepip's `_bundled` folder (the newest if several).
fn bundled_pip_wheel(bundled: &Path) -> Option<PathBuf> {
    let mut wheels: Vec<PathBuf> = fs::read_dir(bundled)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy().to_ascii_lowercase();
                n.starts_with("pip-") && n.ends_with(".whl")
            })
        })
        .collect();
    wheels.sort_by(|a, b| pyv_core::name::natural_cmp(&a.to_string_lossy(), &b.to_string_lossy()));
    wheels.pop()
}

/// Environment changes for running pip: no `PIP_*` variable (a user's `PIP_TARGET`,
/// `PIP_USER` or `PIP_REQUIRE_VIRTUALENV` would send pip elsewhere or make it refuse) and
/// no configuration file (same reasons), given the current variable names.
pub fn clean_env(
    var_names: impl IntoIterator<Item = OsString>,
) -> (Vec<OsString>, Vec<(OsString, OsString)>) {
    let remove = var_names
        .into_iter()
        .filter(|k| k.to_string_lossy().to_ascii_uppercase().starts_with("PIP_"))
        .collect();
    let devnull = if cfg!(windows) { "nul" } else { "/dev/null" };
    (remove, vec![("PIP_CONFIG_FILE".into(), devnull.into())])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, "").unwrap();
    }

    fn args(plan: &PipPlan) -> Vec<String> {
        match plan {
            PipPlan::Run { args, .. } => args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ensurepip_for_a_layout_without_pip() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(plan(d.path()), PipPlan::Unavailable);
        touch(&d.path().join("python.exe"));
        assert_eq!(plan(d.path()), PipPlan::Unavailable);
        touch(&d.path().join("Lib/ensurepip/__init__.py"));
        let p = plan(d.path());
        assert_eq!(
            args(&p),
            ["-E", "-s", "-m", "ensurepip", "-U", "--default-pip"]
        );
        let PipPlan::Run { python, .. } = p else {
            unreachable!()
        };
        assert_eq!(python, d.path().join("python.exe"));
        touch(&d.path().join("Scripts/pip.exe"));
        assert_eq!(plan(d.path()), PipPlan::Present);
    }

    #[test]
    fn reinstalls_the_bundled_wheel_when_pip_lacks_its_scripts() {
        let d = tempfile::tempdir().unwrap();
        touch(&d.path().join("python.exe"));
        touch(&d.path().join("Lib/site-packages/pip/__init__.py"));
        touch(&d.path().join("Lib/ensurepip/__init__.py"));
        assert_eq!(plan(d.path()), PipPlan::Unavailable);
        let bundled = d.path().join("Lib").join("ensurepip").join("_bundled");
        touch(&bundled.join("setuptools-65.5.0-py3-none-any.whl"));
        touch(&bundled.join("pip-9.0.1-py3-none-any.whl"));
        touch(&bundled.join("pip-24.0-py3-none-any.whl"));
        let a = args(&plan(d.path()));
        assert_eq!(a[..6], ["-E", "-s", "-m", "pip", "install", "--no-index"]);
        assert!(a.contains(&"--force-reinstall".to_string()));
        assert_eq!(
            a.last().unwrap(),
            &bundled.join("pip-24.0-py3-none-any.whl").to_string_lossy()
        );
    }

    #[test]
    fn pip_environment_is_cleaned() {
        let (remove, set) =
            clean_env(["PIP_USER", "PATH", "pip_target", "PIPX_HOME"].map(OsString::from));
        assert_eq!(remove, ["PIP_USER", "pip_target"].map(OsString::from));
        assert_eq!(set[0].0, "PIP_CONFIG_FILE");
    }
}
