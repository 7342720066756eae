//! Which tool pyv stands in for. Where pyenv-win 3.1.1 and pyenv 2.6 behave differently,
//! pyv follows pyenv-win on Windows and pyenv elsewhere; `PYV_COMPAT` picks one explicitly
//! (Git Bash users on Windows, and tests of either mode on any OS). Commands ask this type
//! rather than `cfg!(windows)`, so each difference is decided in one place.

use crate::env::Env;
use crate::error::Error;
use std::fmt;

/// The variable that picks the mode.
pub const COMPAT_VAR: &str = "PYV_COMPAT";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compat {
    /// pyenv-win 3.1.1: Windows' default.
    PyenvWin,
    /// pyenv 2.6: the default everywhere else.
    Pyenv,
}

impl Compat {
    /// The mode for this OS when `PYV_COMPAT` is not set.
    pub const fn native() -> Compat {
        if cfg!(windows) {
            Compat::PyenvWin
        } else {
            Compat::Pyenv
        }
    }

    /// `PYV_COMPAT` if set (an empty value counts as unset), else [`Compat::native`]. Any
    /// other value is an error: guessing would change outputs a script reads.
    pub fn from_env(env: &dyn Env) -> Result<Compat, Error> {
        match env.non_empty(COMPAT_VAR) {
            None => Ok(Compat::native()),
            Some(v) => Compat::parse(&v).ok_or(Error::BadCompat(v)),
        }
    }

    pub fn parse(s: &str) -> Option<Compat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pyenv-win" => Some(Compat::PyenvWin),
            "pyenv" => Some(Compat::Pyenv),
            _ => None,
        }
    }

    pub fn is_pyenv_win(self) -> bool {
        self == Compat::PyenvWin
    }

    pub fn is_pyenv(self) -> bool {
        self == Compat::Pyenv
    }
}

impl fmt::Display for Compat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compat::PyenvWin => "pyenv-win",
            Compat::Pyenv => "pyenv",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::MemoryEnv;

    #[test]
    fn unset_or_empty_is_the_native_mode() {
        assert_eq!(
            Compat::from_env(&MemoryEnv::new()).unwrap(),
            Compat::native()
        );
        let env = MemoryEnv::from_pairs([(COMPAT_VAR, "")]);
        assert_eq!(Compat::from_env(&env).unwrap(), Compat::native());
    }

    #[test]
    fn both_names_parse_in_any_case() {
        let env = MemoryEnv::from_pairs([(COMPAT_VAR, "PyEnv-Win")]);
        assert_eq!(Compat::from_env(&env).unwrap(), Compat::PyenvWin);
        let env = MemoryEnv::from_pairs([(COMPAT_VAR, " pyenv ")]);
        assert_eq!(Compat::from_env(&env).unwrap(), Compat::Pyenv);
    }

    #[test]
    fn another_value_is_an_error_naming_it() {
        let env = MemoryEnv::from_pairs([(COMPAT_VAR, "pyenv-mac")]);
        let e = Compat::from_env(&env).unwrap_err();
        assert_eq!(
            e.to_string(),
            "PYV_COMPAT='pyenv-mac' is not a mode pyv knows: set it to pyenv-win or pyenv, or unset it"
        );
    }
}
