//! The machine architecture as pyenv-win sees it, which decides which version names a
//! prefix such as `3.12` may resolve to.

use std::env;

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
        Self::from_env(|k| env::var(k).ok())
    }

    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Arch {
        if let Some(a) = get("PYENV_FORCE_ARCH").and_then(|v| Arch::parse(&v)) {
            return a;
        }
        if cfg!(windows) {
            for key in ["PROCESSOR_ARCHITEW6432", "PROCESSOR_ARCHITECTURE"] {
                if let Some(a) = get(key).and_then(|v| Arch::parse(&v)) {
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
