//! The machine architecture as pyenv-win sees it, which decides which version names a
//! prefix such as `3.12` may resolve to.

use crate::env::{Env, ProcessEnv};

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
    pub fn detect() -> Arch {
        Self::from_env(&ProcessEnv)
    }

    /// The same from any environment.
    pub fn from_env(env: &dyn Env) -> Arch {
        if let Some(a) = env.var("PYENV_FORCE_ARCH").and_then(|v| Arch::parse(&v)) {
            return a;
        }
        if cfg!(windows) {
            for key in ["PROCESSOR_ARCHITEW6432", "PROCESSOR_ARCHITECTURE"] {
                if let Some(a) = env.var(key).and_then(|v| Arch::parse(&v)) {
                    return a;
                }
            }
        }
        Arch::Amd64
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
        assert_eq!(Arch::from_env(&forced), Arch::X86);
        // A 32-bit process on 64-bit Windows sees x86 here and AMD64 in the W6432 variable.
        let wow = MemoryEnv::from_pairs([
            ("PROCESSOR_ARCHITEW6432", "AMD64"),
            ("PROCESSOR_ARCHITECTURE", "x86"),
        ]);
        assert_eq!(Arch::from_env(&wow), Arch::Amd64);
        let arm = MemoryEnv::from_pairs([("PROCESSOR_ARCHITECTURE", "ARM64")]);
        let want = if cfg!(windows) {
            Arch::Arm64
        } else {
            Arch::Amd64
        };
        assert_eq!(Arch::from_env(&arm), want);
        let bad = MemoryEnv::from_pairs([("PYENV_FORCE_ARCH", "sparc")]);
        assert_eq!(Arch::from_env(&bad), Arch::Amd64);
    }
}
