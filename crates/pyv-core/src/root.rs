//! Where the pyenv-win tree lives, and the paths inside it.

use crate::env::{Env, ProcessEnv};
use crate::error::Error;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// How the root was found; `pyv doctor` and error messages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootSource {
    /// One of `PYENV_ROOT`, `PYENV`, `PYENV_HOME`.
    Var(&'static str),
    /// `<root>\bin\pyv.exe` or `<root>\libexec\pyenv.exe`, like pyenv-win derives its root
    /// from its own location.
    Executable,
    Default,
}

impl fmt::Display for RootSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RootSource::Var(v) => f.write_str(v),
            RootSource::Executable => f.write_str("the location of the executable"),
            RootSource::Default => f.write_str("the default location"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Root {
    dir: PathBuf,
    source: RootSource,
}

/// The variables that name the root, in the order they are honoured.
pub const ROOT_VARS: [&str; 3] = ["PYENV_ROOT", "PYENV", "PYENV_HOME"];

impl Root {
    pub fn new(dir: impl Into<PathBuf>, source: RootSource) -> Root {
        Root {
            dir: dir.into(),
            source,
        }
    }

    /// Finds the root from the environment of this process and its executable.
    pub fn discover() -> Root {
        Self::discover_with(&ProcessEnv)
    }

    /// The same from any environment: its variables, then its executable's location.
    pub fn discover_with(env: &dyn Env) -> Root {
        for var in ROOT_VARS {
            if let Some(v) = env.var_os(var).filter(|v| !v.is_empty()) {
                return Root::new(trim_trailing_separators(v), RootSource::Var(var));
            }
        }
        let exe = env.current_exe();
        // `libexec\pyenv.exe` is the engine `bin\pyenv.bat` and its siblings run.
        let of_exe =
            |e: &Path| root_of_executable(e, "bin").or_else(|| root_of_executable(e, "libexec"));
        if let Some(root) = exe.as_deref().and_then(of_exe) {
            return Root::new(root, RootSource::Executable);
        }
        Root::new(default_dir(env), RootSource::Default)
    }

    /// The tree a shim at `exe` sits in (`<root>/shims/<exe>` with `<root>/versions`): a
    /// shim serves its own tree, whatever the variables say.
    pub fn of_shim(exe: &Path) -> Option<Root> {
        root_of_executable(exe, "shims").map(|r| Root::new(r, RootSource::Executable))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn source(&self) -> &RootSource {
        &self.source
    }
    pub fn versions_dir(&self) -> PathBuf {
        self.dir.join("versions")
    }
    pub fn version_dir(&self, name: &str) -> PathBuf {
        self.versions_dir().join(name)
    }
    pub fn shims_dir(&self) -> PathBuf {
        self.dir.join("shims")
    }
    pub fn bin_dir(&self) -> PathBuf {
        self.dir.join("bin")
    }
    pub fn install_cache_dir(&self) -> PathBuf {
        self.dir.join("install_cache")
    }
    pub fn global_version_file(&self) -> PathBuf {
        self.dir.join("version")
    }
    pub fn versions_cache_xml(&self) -> PathBuf {
        self.dir.join(".versions_cache.xml")
    }
    /// pyv's own persistent settings (extra CA files), beside pyenv-win's files.
    pub fn settings_file(&self) -> PathBuf {
        self.dir.join(".pyv-settings")
    }

    /// Errors when the root folder is missing, for commands that only read it.
    pub fn require_exists(&self) -> Result<(), Error> {
        if self.dir.is_dir() {
            Ok(())
        } else {
            Err(Error::RootMissing {
                path: self.dir.clone(),
                source_name: self.source.to_string(),
            })
        }
    }
}

/// `C:\x\pyenv-win\` and `C:\x\pyenv-win` are the same root (pyenv-win's installer sets the
/// variables with a trailing backslash); a bare drive or `/` keeps its separator.
fn trim_trailing_separators(v: OsString) -> PathBuf {
    let s = v.to_string_lossy();
    let trimmed = s.trim_end_matches(['/', '\\']);
    if trimmed.is_empty() || trimmed.ends_with(':') || s.len() == trimmed.len() {
        return PathBuf::from(v);
    }
    PathBuf::from(trimmed)
}

/// `<root>/<folder>/<exe>` with `<root>/versions` present.
fn root_of_executable(exe: &Path, folder: &str) -> Option<PathBuf> {
    let parent = exe.parent()?;
    if !parent.file_name()?.eq_ignore_ascii_case(folder) {
        return None;
    }
    let root = parent.parent()?;
    root.join("versions").is_dir().then(|| root.to_path_buf())
}

fn default_dir(env: &dyn Env) -> PathBuf {
    let home_var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    // Without the variable, the OS's own answer (the user database, the known folder).
    #[allow(deprecated)] // fixed on Windows since Rust 1.85; only a fallback here
    let home = env
        .var_os(home_var)
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(std::env::home_dir)
        .unwrap_or_else(|| PathBuf::from("."));
    if cfg!(windows) {
        home.join(".pyenv").join("pyenv-win")
    } else {
        home.join(".pyenv")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::MemoryEnv;

    fn env(pairs: &[(&str, &str)]) -> MemoryEnv {
        MemoryEnv::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn variables_in_order_with_trailing_separators() {
        let r = Root::discover_with(&env(&[("PYENV", "/b/"), ("PYENV_HOME", "/c")]));
        assert_eq!(
            (r.dir(), r.source()),
            (Path::new("/b"), &RootSource::Var("PYENV"))
        );
        let r = Root::discover_with(&env(&[
            ("PYENV_ROOT", "C:\\x\\pyenv-win\\"),
            ("PYENV", "/b"),
        ]));
        assert_eq!(r.dir(), Path::new("C:\\x\\pyenv-win"));
        let r = Root::discover_with(&env(&[("PYENV_ROOT", ""), ("PYENV_HOME", "/c")]));
        assert_eq!(r.source(), &RootSource::Var("PYENV_HOME"));
        assert_eq!(trim_trailing_separators("/".into()), Path::new("/"));
        assert_eq!(trim_trailing_separators("C:\\".into()), Path::new("C:\\"));
    }

    #[test]
    fn executable_location_then_default() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("versions")).unwrap();
        let exe = d.path().join("bin").join("pyv");
        let home = env(&[("HOME", "/h"), ("USERPROFILE", "/h")]);
        let r = Root::discover_with(&home.clone().with_exe(&exe));
        assert_eq!((r.dir(), r.source()), (d.path(), &RootSource::Executable));
        let engine = d.path().join("libexec").join("pyenv.exe");
        let r = Root::discover_with(&home.clone().with_exe(&engine));
        assert_eq!((r.dir(), r.source()), (d.path(), &RootSource::Executable));
        let elsewhere = d.path().join("tools").join("pyv");
        let r = Root::discover_with(&home.with_exe(elsewhere));
        assert_eq!(r.source(), &RootSource::Default);
        let want = if cfg!(windows) {
            "/h/.pyenv/pyenv-win"
        } else {
            "/h/.pyenv"
        };
        assert_eq!(
            r.dir(),
            PathBuf::from("/h").join(want.trim_start_matches("/h/"))
        );
    }
}
