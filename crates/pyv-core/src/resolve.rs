//! Resolution: the version a [`VersionRequest`] names among installed versions or catalog
//! entries. `3.12`, `3.12:latest` or `3` name the highest matching final release for the
//! machine's architecture (pyenv-win's `TryResolveVersion`, pyenv's `:latest`). With
//! `request.rs`, the one place to change how a version is resolved.

use crate::arch::Arch;
use crate::name::{Kind, VersionName};
use crate::request::VersionRequest;

/// Picks the version `request` names among `candidates`: an exact name always wins
/// (`-arm` and `-arm64` spell the same build); otherwise the highest final release that
/// starts with the prefix, for the prefix's own architecture suffix or else `arch`.
/// `:latest` skips the exact name; `system` is only ever `system` itself, as in pyenv.
/// `None` when nothing matches; callers then keep the literal request, as pyenv-win does.
pub fn resolve<'a>(
    request: &VersionRequest,
    candidates: &'a [VersionName],
    arch: Arch,
) -> Option<&'a VersionName> {
    let (prefix, exact) = match request {
        VersionRequest::System => {
            return candidates.iter().find(|c| *c.kind() == Kind::System);
        }
        VersionRequest::Other(_) => return None,
        VersionRequest::Name(n) => (n, true),
        VersionRequest::Latest(n) => (n, false),
    };
    if exact {
        if let Some(found) = candidates.iter().find(|c| c.as_str() == prefix.as_str()) {
            return Some(found);
        }
    }
    let matches = |c: &&VersionName| match (prefix.cpython(), c.cpython()) {
        (Some(p), Some(c)) => {
            if exact && p.same_build(c) {
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
            .strip_prefix(prefix.as_str())
            .is_some_and(|rest| rest.starts_with(['.', '-'])),
    };
    candidates.iter().filter(matches).max()
}

/// What `request` selects among the installed versions: the request itself when a folder
/// of that exact name is installed (`is_installed` is asked first, so a shim starting
/// neither lists nor sorts `versions/`), else the installed name it resolves to among
/// `installed()`, else the request as written. `system` and text that is not a name are
/// never looked up in the list: `versions/system` or the Python outside pyv is the
/// caller's check, and other text matches nothing.
pub fn resolve_installed<'a>(
    request: &VersionRequest,
    is_installed: impl Fn(&str) -> bool,
    installed: impl FnOnce() -> &'a [VersionName],
    arch: Arch,
) -> VersionRequest {
    let as_written = matches!(request, VersionRequest::System | VersionRequest::Other(_))
        || request.exact_folder().is_some_and(is_installed);
    if as_written {
        return request.clone();
    }
    resolve(request, installed(), arch)
        .map(|name| VersionRequest::from(name.clone()))
        .unwrap_or_else(|| request.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<VersionName> {
        v.iter().map(|s| VersionName::new(*s)).collect()
    }

    fn r(req: &str, installed: &[&str], arch: Arch) -> Option<String> {
        resolve(&VersionRequest::lenient(req), &names(installed), arch).map(|v| v.to_string())
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

    #[test]
    fn latest_system_and_other_text() {
        let a = Arch::Amd64;
        let with_system = ["system", "system-old", "3.12.1", "3.12.1a1"];
        assert_eq!(r("system", &with_system, a).as_deref(), Some("system"));
        assert_eq!(r("system", &["system-old"], a), None);
        assert_eq!(
            r("system:latest", &with_system, a).as_deref(),
            Some("system-old")
        );
        // `:latest` is never the pre-release an exact name would pick.
        assert_eq!(r("3.12.1a1", &with_system, a).as_deref(), Some("3.12.1a1"));
        assert_eq!(r("3.12.1a1:latest", &with_system, a), None);
        assert_eq!(
            r("3.12.1:latest", &with_system, a).as_deref(),
            Some("3.12.1")
        );
        assert_eq!(r("../3.12", &with_system, a), None);
        assert_eq!(r("3.12 ", &with_system, a), None);
    }

    #[test]
    fn installed_folder_is_checked_before_listing() {
        let installed = names(&["3.12", "3.12.10", "3.13.0"]);
        let listed = std::cell::Cell::new(0);
        let list = || {
            listed.set(listed.get() + 1);
            installed.as_slice()
        };
        let req = |t: &str| VersionRequest::lenient(t);
        let is_dir = |f: &str| f == "3.12" || f == "system";
        let a = Arch::Amd64;
        // `versions/3.12` (an alias) is the exact name: no listing at all.
        assert_eq!(
            resolve_installed(&req("3.12"), is_dir, list, a),
            req("3.12")
        );
        assert_eq!(
            resolve_installed(&req("system"), is_dir, list, a),
            req("system")
        );
        assert_eq!(
            resolve_installed(&req("../x"), is_dir, list, a),
            req("../x")
        );
        assert_eq!(listed.get(), 0);
        assert_eq!(
            resolve_installed(&req("3.12:latest"), is_dir, list, a),
            req("3.12.10")
        );
        assert_eq!(resolve_installed(&req("3"), is_dir, list, a), req("3.13.0"));
        assert_eq!(
            resolve_installed(&req("3.11"), is_dir, list, a),
            req("3.11")
        );
        assert_eq!(listed.get(), 3);
    }
}
