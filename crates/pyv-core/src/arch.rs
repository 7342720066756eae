//! The machine architecture as pyenv-win sees it, which decides which version names a
//! prefix such as `3.12` may resolve to.

use crate::env::{Env, ProcessEnv};
use crate::error::Error;

/// The variable that overrides the detected architecture (pyenv-win's name).
pub const FORCE_VAR: &str = "PYENV_FORCE_ARCH";

/// pyenv-win's three Windows architectures. The names without a suffix (`3.12.1`) are
/// x64 builds on Windows and the native build on other systems (a pyenv tree has no
/// suffixes), so on a non-Windows OS the default is [`Arch::Amd64`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arch {
    Amd64,
    X86,
    Arm64,
}

impl Arch {
    /// `PYENV_FORCE_ARCH`, else what Windows reports (`PROCESSOR_ARCHITEW6432` first, so
    /// a 32-bit process on 64-bit Windows still picks 64-bit builds), else the default.
    pub fn detect() -> Result<Arch, Error> {
        Self::from_env(&ProcessEnv)
    }

    /// The same from any environment. A `PYENV_FORCE_ARCH` that names no architecture is
    /// an error: ignoring it would quietly pick builds the user asked not to get. Windows'
    /// own variables are only a hint, so an unknown value there falls through.
    pub fn from_env(env: &dyn Env) -> Result<Arch, Error> {
        if let Some(v) = env.non_empty(FORCE_VAR) {
            return Arch::parse(&v).ok_or(Error::BadForcedArch(v));
        }
        if cfg!(windows) {
            for key in ["PROCESSOR_ARCHITEW6432", "PROCESSOR_ARCHITECTURE"] {
                if let Some(a) = env.var(key).and_then(|v| Arch::parse(&v)) {
                    return Ok(a);
                }
            }
        }
        Ok(Arch::Amd64)
    }

    /// Accepts the values Windows uses in `PROCESSOR_ARCHITECTURE` and pyenv-win's suffixes.
    pub fn parse(s: &str) -> Option<Arch> {
        match s.trim().to_ascii_lowercase().as_str() {
            "amd64" | "x64" | "x86_64" => Some(Arch::Amd64),
            "x86" | "win32" | "i386" | "i686" => Some(Arch::X86),
            "arm64" | "arm" | "aarch64" => Some(Arch::Arm64),
            _ => None,
        }
    }

    /// The suffix pyenv-win's catalog uses for this architecture (`-arm`, not `-arm64`).
    pub fn suffix(self) -> &'static str {
        match self {
            Arch::Amd64 => "",
            Arch::X86 => "-win32",
            Arch::Arm64 => "-arm",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::MemoryEnv;

    #[test]
    fn forced_then_windows_variables_then_default() {
        let forced = MemoryEnv::from_pairs([
            ("PYENV_FORCE_ARCH", "win32"),
            ("PROCESSOR_ARCHITECTURE", "ARM64"),
        ]);
        assert_eq!(Arch::from_env(&forced).unwrap(), Arch::X86);
        // A 32-bit process on 64-bit Windows sees x86 here and AMD64 in the W6432 variable.
        let wow = MemoryEnv::from_pairs([
            ("PROCESSOR_ARCHITEW6432", "AMD64"),
            ("PROCESSOR_ARCHITECTURE", "x86"),
        ]);
        assert_eq!(Arch::from_env(&wow).unwrap(), Arch::Amd64);
        let arm = MemoryEnv::from_pairs([("PROCESSOR_ARCHITECTURE", "ARM64")]);
        let want = if cfg!(windows) {
            Arch::Arm64
        } else {
            Arch::Amd64
        };
        assert_eq!(Arch::from_env(&arm).unwrap(), want);
        // Blank is unset, as for every variable pyv reads.
        let blank = MemoryEnv::from_pairs([("PYENV_FORCE_ARCH", " ")]);
        assert_eq!(Arch::from_env(&blank).unwrap(), Arch::Amd64);
        let odd = MemoryEnv::from_pairs([("PROCESSOR_ARCHITECTURE", "IA64")]);
        assert_eq!(Arch::from_env(&odd).unwrap(), Arch::Amd64);
    }

    #[test]
    fn an_unknown_forced_arch_is_an_error_naming_the_valid_values() {
        let bad = MemoryEnv::from_pairs([("PYENV_FORCE_ARCH", "sparc")]);
        assert_eq!(
            Arch::from_env(&bad).unwrap_err().to_string(),
            "PYENV_FORCE_ARCH=\"sparc\" is not an architecture; set it to AMD64, X86 or ARM64, or unset it"
        );
        for alias in [
            "x64", "x86_64", "win32", "i686", "arm", "aarch64", " Amd64 ",
        ] {
            let env = MemoryEnv::from_pairs([("PYENV_FORCE_ARCH", alias)]);
            assert!(Arch::from_env(&env).is_ok(), "{alias}");
        }
    }
}
