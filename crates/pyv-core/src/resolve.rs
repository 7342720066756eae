//! Prefix resolution: `3.12`, `3.12:latest` or `3` name the highest matching final release
//! for the machine's architecture (pyenv-win's `TryResolveVersion`, pyenv's `:latest`).

use crate::arch::Arch;
use crate::name::{CPython, VersionName};

/// Picks the version `request` names among `candidates`: an exact name always wins
/// (`-arm` and `-arm64` spell the same build); otherwise the highest final release that
/// starts with the prefix, for the prefix's own architecture suffix or else `arch`.
/// `None` when nothing matches; callers then keep the literal request, as pyenv-win does.
pub fn resolve<'a>(
    request: &str,
    candidates: &'a [VersionName],
    arch: Arch,
) -> Option<&'a VersionName> {
    if let Some(exact) = candidates.iter().find(|c| c.as_str() == request) {
        return Some(exact);
    }
    let prefix = request.strip_suffix(":latest").unwrap_or(request);
    let wanted = CPython::parse(prefix);
    let matches = |c: &&VersionName| match (&wanted, c.cpython()) {
        (Some(p), Some(c)) => {
            if prefix == request && p.same_build(c) {
                return true;
            }
            p.pre.is_none()
                && c.pre.is_none()
                && c.freethreaded == p.freethreaded
                && c.arch == if p.explicit_arch { p.arch } else { arch }
                && c.release.len() >= p.release.len()
                && c.release.starts_with(&p.release)
        }
        (Some(_), None) => false,
        // PyPy, GraalPy and other names: plain text prefixes ending at a separator.
        (None, _) => c
            .as_str()
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with(['.', '-'])),
    };
    candidates.iter().filter(matches).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<VersionName> {
        v.iter().map(|s| VersionName::new(*s)).collect()
    }

    fn r(req: &str, installed: &[&str], arch: Arch) -> Option<String> {
        resolve(req, &names(installed), arch).map(|v| v.to_string())
    }

    const INSTALLED: &[&str] = &[
        "3.9.13",
        "3.10.11",
        "3.12.1",
        "3.12.10",
        "3.12.11rc1",
        "3.12.4-win32",
        "3.12.9-arm",
        "3.13.0",
        "3.13.1t",
        "3.14.0a1",
        "pypy3.10-v7.3.17-win64",
        "pypy3.10-v7.3.19-win64",
    ];

    #[test]
    fn prefix_picks_highest_final_for_machine_arch() {
        let a = Arch::Amd64;
        assert_eq!(r("3.12", INSTALLED, a).as_deref(), Some("3.12.10"));
        assert_eq!(r("3.12:latest", INSTALLED, a).as_deref(), Some("3.12.10"));
        assert_eq!(r("3", INSTALLED, a).as_deref(), Some("3.13.0"));
        assert_eq!(
            r("3.12", INSTALLED, Arch::X86).as_deref(),
            Some("3.12.4-win32")
        );
        assert_eq!(
            r("3.12", INSTALLED, Arch::Arm64).as_deref(),
            Some("3.12.9-arm")
        );
        assert_eq!(r("3.12-arm64", INSTALLED, a).as_deref(), Some("3.12.9-arm"));
        assert_eq!(r("3.13t", INSTALLED, a).as_deref(), Some("3.13.1t"));
        assert_eq!(
            r("3.14", INSTALLED, a),
            None,
            "pre-releases are never picked by prefix"
        );
        assert_eq!(r("3.1", INSTALLED, a), None, "3.1 is not a prefix of 3.12");
        assert_eq!(r("3.11", INSTALLED, a), None);
        assert_eq!(
            r("pypy3.10", INSTALLED, a).as_deref(),
            Some("pypy3.10-v7.3.19-win64")
        );
    }

    #[test]
    fn exact_name_wins() {
        let a = Arch::X86;
        assert_eq!(r("3.12.1", INSTALLED, a).as_deref(), Some("3.12.1"));
        assert_eq!(r("3.14.0a1", INSTALLED, a).as_deref(), Some("3.14.0a1"));
        assert_eq!(
            r("3.12.9-arm64", INSTALLED, a).as_deref(),
            Some("3.12.9-arm")
        );
        // A full number without a suffix on a 32-bit machine means the -win32 build.
        assert_eq!(r("3.12.4", INSTALLED, a).as_deref(), Some("3.12.4-win32"));
        assert_eq!(r("3.12.4", INSTALLED, Arch::Amd64), None);
    }
}
