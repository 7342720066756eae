//! `install <request>`: which catalog entry a request names, and why none does.

use super::entry::cpython_of;
use super::{Catalog, Entry, LookupError};
use pyv_core::name::CPython;
use pyv_core::{Arch, VersionRequest};

impl Catalog {
    /// The entry `request` names, with pyenv-win's rules (`pyv_core::resolve`): an
    /// exact name wins; `3.12`, `3.12:latest`, `3` name the newest final release for
    /// the request's architecture suffix or else `arch`; pre-releases only by full name.
    pub fn resolve(&self, request: &VersionRequest, arch: Arch) -> Result<&Entry, LookupError> {
        if self.entries.is_empty() {
            return Err(LookupError::Empty);
        }
        if let Some(name) = pyv_core::resolve::resolve(request, &self.names, arch) {
            if let Some(e) = self.get(name.as_str()) {
                return Ok(e);
            }
        }
        Err(self.explain_missing(request, arch))
    }

    /// Why a full release number is missing: python.org published it as source only
    /// (a known source-only release of that minor, or a later patch than one — binaries
    /// never resume once a minor goes source-only), or it is newer than the catalog.
    fn explain_missing(&self, request: &VersionRequest, arch: Arch) -> LookupError {
        let not_found = || LookupError::NotFound {
            request: request.to_string(),
        };
        // Only a plain release number can be a known gap; `:latest` asks for whatever exists.
        let VersionRequest::Name(name) = request else {
            return not_found();
        };
        let Some(want) = name.cpython() else {
            return not_found();
        };
        let dir = want
            .release
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if want.pre.is_none() && self.unindexed.contains(&dir) {
            return LookupError::NotIndexed {
                request: request.to_string(),
            };
        }
        let (major, minor, patch) = match want.release.as_slice() {
            [a, b, c] if want.pre.is_none() => (*a, *b, *c),
            _ => return not_found(),
        };
        let arch = if want.explicit_arch { want.arch } else { arch };
        let same_minor = |c: &CPython| c.release.len() == 3 && c.release[..2] == [major, minor];
        // The newest final build of this minor for the requested flavour.
        let newest = self
            .entries
            .iter()
            .filter_map(|e| Some((e, cpython_of(&e.name)?)))
            .filter(|(_, c)| {
                same_minor(c)
                    && c.pre.is_none()
                    && c.arch == arch
                    && c.freethreaded == want.freethreaded
            })
            .max_by_key(|(_, c)| c.release[2]);
        let last_binary = self
            .entries
            .iter()
            .filter_map(|e| cpython_of(&e.name))
            .filter(|c| same_minor(c) && c.pre.is_none())
            .map(|c| c.release[2])
            .max();
        let first_source_only = self
            .source_only
            .iter()
            .filter_map(|s| cpython_of(s))
            .filter(|c| same_minor(c) && c.pre.is_none())
            .map(|c| c.release[2])
            .filter(|p| last_binary.is_none_or(|b| *p > b))
            .min();
        let minor_text = format!("{major}.{minor}");
        if first_source_only.is_some_and(|first| patch >= first) {
            return LookupError::SourceOnly {
                request: request.to_string(),
                minor: minor_text,
                newest: newest.map(|(e, _)| e.name.clone()),
            };
        }
        match newest {
            Some((e, c)) if patch > c.release[2] => LookupError::NewerThanKnown {
                request: request.to_string(),
                minor: minor_text,
                newest: e.name.clone(),
            },
            _ => not_found(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Artifact, PackageKind};

    fn entry(name: &str) -> Entry {
        Entry::new(
            name,
            Artifact {
                file: format!("{name}.exe"),
                url: format!("https://h/{name}.exe"),
                kind: PackageKind::Exe,
                sha256: None,
            },
        )
    }

    fn catalog(source_only: &[&str]) -> Catalog {
        Catalog::new(
            [
                "3.10.10",
                "3.10.11-win32",
                "3.10.11",
                "3.12.9",
                "3.12.10-arm",
                "3.12.10",
                "3.13.0",
                "3.13.1t",
                "3.13.13",
                "3.14.0a1",
                "pypy3.10-v7.3.17-win64",
            ]
            .into_iter()
            .map(entry)
            .collect(),
            source_only.iter().map(|s| s.to_string()),
        )
    }

    fn ok(c: &Catalog, req: &str, arch: Arch) -> String {
        c.resolve(&r(req), arch).unwrap().name.clone()
    }

    fn r(text: &str) -> VersionRequest {
        VersionRequest::lenient(text)
    }

    #[test]
    fn resolves_like_pyenv_win() {
        let c = catalog(&[]);
        let a = Arch::Amd64;
        assert_eq!(ok(&c, "3.12", a), "3.12.10");
        assert_eq!(ok(&c, "3.12:latest", a), "3.12.10");
        assert_eq!(ok(&c, "3", a), "3.13.13");
        assert_eq!(ok(&c, "3.12", Arch::Arm64), "3.12.10-arm");
        assert_eq!(ok(&c, "3.10", Arch::X86), "3.10.11-win32");
        assert_eq!(ok(&c, "3.12.10-arm64", a), "3.12.10-arm");
        assert_eq!(ok(&c, "3.14.0a1", a), "3.14.0a1");
        assert_eq!(ok(&c, "3.13t", a), "3.13.1t");
        assert_eq!(ok(&c, "pypy3.10", a), "pypy3.10-v7.3.17-win64");
        assert_eq!(
            c.resolve(&r("3.14"), a).unwrap_err(),
            LookupError::NotFound {
                request: "3.14".into()
            }
        );
    }

    #[test]
    fn source_only_releases_are_explained() {
        let c = catalog(&["3.10.12", "3.12.11"]);
        let err = c.resolve(&r("3.10.12"), Arch::Amd64).unwrap_err();
        assert_eq!(
            err.to_string(),
            "3.10.12 has no Windows installer; the newest 3.10 with one is 3.10.11"
        );
        // Later patches of a minor that went source-only stay source-only.
        let err = c.resolve(&r("3.10.18"), Arch::X86).unwrap_err();
        assert_eq!(
            err.to_string(),
            "3.10.18 has no Windows installer; the newest 3.10 with one is 3.10.11-win32"
        );
        let err = c.resolve(&r("3.12.11-arm"), Arch::Amd64).unwrap_err();
        assert_eq!(
            err,
            LookupError::SourceOnly {
                request: "3.12.11-arm".into(),
                minor: "3.12".into(),
                newest: Some("3.12.10-arm".into())
            }
        );
        // Asking for the newest of a prefix is never a known gap.
        assert_eq!(
            c.resolve(&r("3.10.12:latest"), Arch::Amd64).unwrap_err(),
            LookupError::NotFound {
                request: "3.10.12:latest".into()
            }
        );
        let err = c.resolve(&r("3.10.12"), Arch::Arm64).unwrap_err();
        assert!(
            matches!(err, LookupError::SourceOnly { newest: None, .. }),
            "{err:?}"
        );
        assert!(err
            .to_string()
            .starts_with("3.10.12 has no Windows installer (python.org"));
    }

    #[test]
    fn unindexed_folders_are_explained() {
        // 3.12.11 went source-only, but 3.12.99's folder holds a zip the index lacks.
        let c = catalog(&["3.12.11"]).with_unindexed(["3.12.99".to_string()]);
        let err = c.resolve(&r("3.12.99"), Arch::Amd64).unwrap_err();
        assert_eq!(
            err,
            LookupError::NotIndexed {
                request: "3.12.99".into()
            }
        );
        assert!(!err.to_string().contains("source code only"), "{err}");
        // Its neighbours keep their explanations.
        assert!(matches!(
            c.resolve(&r("3.12.98"), Arch::Amd64).unwrap_err(),
            LookupError::SourceOnly { .. }
        ));
    }

    #[test]
    fn unknown_versions() {
        let c = catalog(&["3.10.12"]);
        let err = c.resolve(&r("3.13.14"), Arch::Amd64).unwrap_err();
        assert_eq!(
            err,
            LookupError::NewerThanKnown {
                request: "3.13.14".into(),
                minor: "3.13".into(),
                newest: "3.13.13".into()
            }
        );
        assert!(err
            .to_string()
            .contains("update the list with 'pyv update'"));
        let err = c.resolve(&r("3.11.4"), Arch::Amd64).unwrap_err();
        assert_eq!(
            err.to_string(),
            "definition not found: 3.11.4\n\nSee all available versions with 'pyv install --list'.\nDoes the list seem out of date? Update it using 'pyv update'."
        );
        // A gap below the newest patch is not "source-only": it is simply unknown.
        assert!(matches!(
            c.resolve(&r("3.12.5"), Arch::Amd64),
            Err(LookupError::NotFound { .. })
        ));
        assert!(matches!(
            c.resolve(&r("2.7.99"), Arch::Amd64),
            Err(LookupError::NotFound { .. })
        ));
        for text in ["../3.12", "system"] {
            assert_eq!(
                c.resolve(&r(text), Arch::Amd64).unwrap_err().to_string(),
                format!("definition not found: {text}\n\nSee all available versions with 'pyv install --list'.\nDoes the list seem out of date? Update it using 'pyv update'.")
            );
        }
        // A marker at or below the last binary (bad data) does not hide releases.
        let odd = catalog(&["3.13.5"]);
        assert!(matches!(
            odd.resolve(&r("3.13.5"), Arch::Amd64),
            Err(LookupError::NotFound { .. })
        ));
        assert_eq!(
            Catalog::default().resolve(&r("3.12"), Arch::Amd64),
            Err(LookupError::Empty)
        );
        assert!(LookupError::Empty
            .to_string()
            .contains("Please update the local database cache with 'pyv update'."));
    }
}
