//! The process environment as one value: variables (as `OsString`, nothing dropped for not
//! being Unicode), the current folder and the running executable. Everything that reads
//! the environment takes a `&dyn Env`, so tests hand in a [`MemoryEnv`] instead of
//! mutating the process (rustup's `process.rs` is the model).
//!
//! Variable names are case-insensitive on Windows, as the OS treats them; a
//! [`MemoryEnv`] follows the same rule there so tests behave as the real process does.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::PathBuf;

pub trait Env {
    /// The variable's value, empty or not; `None` when unset.
    fn var_os(&self, name: &str) -> Option<OsString>;
    /// Every variable, with its name as spelled.
    fn vars_os(&self) -> Vec<(OsString, OsString)>;
    fn current_dir(&self) -> io::Result<PathBuf>;
    fn current_exe(&self) -> Option<PathBuf>;

    /// The value as text, `None` when unset or not valid Unicode.
    fn var(&self, name: &str) -> Option<String> {
        self.var_os(name).and_then(|v| v.into_string().ok())
    }

    /// A value that is set and not blank: what "the variable is given" means for every
    /// setting pyv reads (pyenv-win treats `set X=` as unset).
    fn non_empty(&self, name: &str) -> Option<String> {
        self.var(name).filter(|v| !v.trim().is_empty())
    }

    /// Like [`Env::non_empty`], with the name as actually spelled (for messages).
    fn non_empty_entry(&self, name: &str) -> Option<(String, String)> {
        let value = self.non_empty(name)?;
        let spelled = self
            .vars_os()
            .into_iter()
            .filter_map(|(k, _)| k.into_string().ok())
            .find(|k| names_match(k, name))
            .unwrap_or_else(|| name.to_string());
        Some((spelled, value))
    }
}

/// Whether two variable names are the same variable on this OS.
pub fn names_match(a: &str, b: &str) -> bool {
    if cfg!(windows) {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// The real process environment.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var_os(&self, name: &str) -> Option<OsString> {
        std::env::var_os(name)
    }
    fn vars_os(&self) -> Vec<(OsString, OsString)> {
        std::env::vars_os().collect()
    }
    fn current_dir(&self) -> io::Result<PathBuf> {
        std::env::current_dir()
    }
    fn current_exe(&self) -> Option<PathBuf> {
        std::env::current_exe().ok()
    }
}

/// An environment made up by a test (or by a caller that overrides a few variables).
#[derive(Clone, Debug, Default)]
pub struct MemoryEnv {
    vars: BTreeMap<OsString, OsString>,
    cwd: Option<PathBuf>,
    exe: Option<PathBuf>,
}

impl MemoryEnv {
    pub fn new() -> MemoryEnv {
        MemoryEnv::default()
    }

    pub fn from_pairs<K: Into<OsString>, V: Into<OsString>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> MemoryEnv {
        let mut env = MemoryEnv::new();
        for (k, v) in pairs {
            env.set(k, v);
        }
        env
    }

    pub fn set(&mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> &mut Self {
        let name = name.into();
        self.remove(&name);
        self.vars.insert(name, value.into());
        self
    }

    pub fn remove(&mut self, name: impl AsRef<OsStr>) -> &mut Self {
        let name = name.as_ref().to_string_lossy().into_owned();
        self.vars
            .retain(|k, _| !names_match(&k.to_string_lossy(), &name));
        self
    }

    pub fn with_cwd(mut self, cwd: impl Into<PathBuf>) -> MemoryEnv {
        self.cwd = Some(cwd.into());
        self
    }

    pub fn with_exe(mut self, exe: impl Into<PathBuf>) -> MemoryEnv {
        self.exe = Some(exe.into());
        self
    }
}

impl Env for MemoryEnv {
    fn var_os(&self, name: &str) -> Option<OsString> {
        self.vars
            .iter()
            .find(|(k, _)| names_match(&k.to_string_lossy(), name))
            .map(|(_, v)| v.clone())
    }
    fn vars_os(&self) -> Vec<(OsString, OsString)> {
        self.vars
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
    fn current_dir(&self) -> io::Result<PathBuf> {
        self.cwd
            .clone()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no current folder"))
    }
    fn current_exe(&self) -> Option<PathBuf> {
        self.exe.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_env_reads_like_the_process_does() {
        let mut env = MemoryEnv::from_pairs([("PYENV_VERSION", "3.12"), ("BLANK", "  ")]);
        assert_eq!(env.var("PYENV_VERSION").as_deref(), Some("3.12"));
        assert_eq!(env.var("BLANK").as_deref(), Some("  "));
        assert_eq!(env.non_empty("BLANK"), None);
        assert_eq!(env.var("UNSET"), None);
        // Windows: one variable whatever the spelling; elsewhere two.
        env.set("Path", "a");
        assert_eq!(env.var_os("PATH").is_some(), cfg!(windows));
        if cfg!(windows) {
            assert_eq!(
                env.non_empty_entry("PATH"),
                Some(("Path".into(), "a".into()))
            );
        }
        env.remove("PYENV_VERSION");
        assert_eq!(env.var("PYENV_VERSION"), None);
    }

    #[cfg(unix)]
    #[test]
    fn values_that_are_not_unicode_are_kept() {
        use std::os::unix::ffi::OsStringExt;
        let raw = OsString::from_vec(vec![b'/', 0xff]);
        let env = MemoryEnv::from_pairs([(OsString::from("PYENV_ROOT"), raw.clone())]);
        assert_eq!(env.var_os("PYENV_ROOT"), Some(raw));
        assert_eq!(env.var("PYENV_ROOT"), None);
    }
}
