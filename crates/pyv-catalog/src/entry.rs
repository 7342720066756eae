//! One installable version of the catalog and the file it is installed from.

use pyv_core::name::CPython;
use pyv_core::{Arch, VersionName};
use std::cmp::Ordering;

/// What kind of package a version is installed from, and so how the downloaded file
/// becomes an installed Python. The catalog's sources decide it (pyenv-win's XML
/// attributes, python.org's index and listings); `pyv-install` lands a package by it and
/// never guesses it again from the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PackageKind {
    /// PyManager's runtime zip (`python-3.12.4-amd64.zip`, 3.11+): the files of an
    /// install at the top level of the archive.
    Zip,
    /// A NuGet package (`python.3.10.11.nupkg`): only the entries under `tools/` are
    /// the install.
    Nupkg,
    /// An MSI installed administratively (`msiexec /a`), 2.4 – 3.4.4.
    Msi,
    /// A WiX Burn offline installer (`python-3.12.4-amd64.exe`), 3.5+.
    Exe,
    /// A WiX Burn web installer; only used when no offline one exists.
    WebInstallExe,
    /// A zip whose install sits in one top folder (PyPy, GraalPy): pyenv-win's `zipRootDir`.
    ZipWithRoot { zip_root_dir: String },
}

impl PackageKind {
    /// Whether pyenv-win knows how to install this kind, so that it may appear in the
    /// `.versions_cache.xml` both tools share.
    pub fn pyenv_win_installable(&self) -> bool {
        matches!(
            self,
            PackageKind::Msi
                | PackageKind::Exe
                | PackageKind::WebInstallExe
                | PackageKind::ZipWithRoot { .. }
        )
    }

    /// The kind a file name implies, for files whose name is all there is to go by.
    pub fn from_file_name(file: &str) -> Option<PackageKind> {
        let lower = file.to_ascii_lowercase();
        if lower.ends_with(".nupkg") {
            Some(PackageKind::Nupkg)
        } else if lower.ends_with(".zip") {
            Some(PackageKind::Zip)
        } else if lower.ends_with(".msi") {
            Some(PackageKind::Msi)
        } else if lower.ends_with("-webinstall.exe") {
            Some(PackageKind::WebInstallExe)
        } else if lower.ends_with(".exe") {
            Some(PackageKind::Exe)
        } else {
            None
        }
    }

    /// How messages name the kind (`'x' is not a readable zip package`).
    pub fn label(&self) -> &'static str {
        match self {
            PackageKind::Zip | PackageKind::ZipWithRoot { .. } => "zip",
            PackageKind::Nupkg => "NuGet",
            PackageKind::Msi => "MSI",
            PackageKind::Exe | PackageKind::WebInstallExe => "installer (.exe)",
        }
    }
}

/// A downloadable file: where it is, what it is, and its hash when the source gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub file: String,
    pub url: String,
    pub kind: PackageKind,
    /// Lower-case hex SHA-256; `None` when the source publishes none (listing, NuGet).
    pub sha256: Option<String>,
}

/// One version pyv can install. The `file`/`url`/`kind`/`sha256` fields are the
/// artifact pyv installs (a hashed zip or NuGet package when python.org's index has
/// one); `installer` keeps pyenv-win's own installer for the same name when it differs,
/// which is what `.versions_cache.xml` records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// pyenv-win's name: `3.9.4`, `3.9.4-win32`, `3.11.0a5-arm`, `3.13.0t`,
    /// `pypy3.10-v7.3.17-win64`.
    pub name: String,
    pub file: String,
    pub url: String,
    pub kind: PackageKind,
    pub sha256: Option<String>,
    /// pyenv-win's `x64` attribute: true for amd64 and arm64 builds.
    pub x64: bool,
    pub arch: Arch,
    pub prerelease: bool,
    pub freethreaded: bool,
    /// pyenv-win's installer (exe/msi) for this name when `kind` is one pyenv-win
    /// cannot use or a different file.
    pub installer: Option<Artifact>,
}

impl Entry {
    /// An entry for `name` installed from `artifact`; architecture, pre-release and
    /// free-threading come from the name.
    pub fn new(name: impl Into<String>, artifact: Artifact) -> Entry {
        let name = name.into();
        let info = NameInfo::of(&name);
        Entry {
            file: artifact.file,
            url: artifact.url,
            kind: artifact.kind,
            sha256: artifact.sha256,
            x64: info.arch != Arch::X86,
            arch: info.arch,
            prerelease: info.prerelease,
            freethreaded: info.freethreaded,
            installer: None,
            name,
        }
    }

    /// The artifact pyv installs.
    pub fn artifact(&self) -> Artifact {
        Artifact {
            file: self.file.clone(),
            url: self.url.clone(),
            kind: self.kind.clone(),
            sha256: self.sha256.clone(),
        }
    }

    pub(crate) fn set_artifact(&mut self, a: Artifact) {
        self.file = a.file;
        self.url = a.url;
        self.kind = a.kind;
        self.sha256 = a.sha256;
    }

    /// What `.versions_cache.xml` records for this name: the installer when there is
    /// one, else the main artifact if pyenv-win can install it; `None` for versions only
    /// pyv can install (free-threaded builds, NuGet-only ARM64 builds).
    pub fn pyenv_win_artifact(&self) -> Option<Artifact> {
        match &self.installer {
            Some(a) => Some(a.clone()),
            None if self.kind.pyenv_win_installable() => Some(self.artifact()),
            None => None,
        }
    }

    /// The folder of python.org's `/ftp/python/` this version's files live in: its
    /// release number (`3.10.0` also holds `3.10.0a1`). `None` for PyPy and GraalPy.
    pub fn release_dir(&self) -> Option<String> {
        release_dir_of(&self.name)
    }

    pub fn version_name(&self) -> VersionName {
        VersionName::new(self.name.as_str())
    }
}

/// The CPython build a name denotes (`None` for PyPy and GraalPy).
pub(crate) fn cpython_of(name: &str) -> Option<CPython> {
    CPython::parse(name)
}

/// pyenv-win's catalog order: CPython by version (pre-releases before the final;
/// `-win32`, `-arm`, x64 within a release), then PyPy, then GraalPy.
pub(crate) fn cmp_names(a: &str, b: &str) -> Ordering {
    VersionName::new(a)
        .cmp(&VersionName::new(b))
        .then_with(|| a.cmp(b))
}

pub(crate) fn release_dir_of(name: &str) -> Option<String> {
    let c = cpython_of(name)?;
    Some(
        c.release
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

struct NameInfo {
    arch: Arch,
    prerelease: bool,
    freethreaded: bool,
}

impl NameInfo {
    fn of(name: &str) -> NameInfo {
        match cpython_of(name) {
            Some(c) => NameInfo {
                arch: c.arch,
                prerelease: c.pre.is_some(),
                freethreaded: c.freethreaded,
            },
            // PyPy and GraalPy names spell their platform (`win64`, `windows-amd64`,
            // `windows-aarch64`).
            None => NameInfo {
                arch: if name.contains("aarch64") || name.contains("arm64") {
                    Arch::Arm64
                } else if name.contains("win32") {
                    Arch::X86
                } else {
                    Arch::Amd64
                },
                prerelease: false,
                freethreaded: false,
            },
        }
    }
}

/// Whether `s` is a SHA-256 in hex.
pub(crate) fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(file: &str) -> Artifact {
        Artifact {
            file: file.into(),
            url: format!("https://example.invalid/{file}"),
            kind: PackageKind::from_file_name(file).unwrap(),
            sha256: None,
        }
    }

    #[test]
    fn entry_facts_come_from_the_name() {
        let e = Entry::new("3.11.0a5-arm", art("python-3.11.0a5-arm64.exe"));
        assert_eq!((e.arch, e.x64, e.prerelease), (Arch::Arm64, true, true));
        let e = Entry::new("3.9.4-win32", art("python-3.9.4.exe"));
        assert_eq!((e.arch, e.x64, e.prerelease), (Arch::X86, false, false));
        let e = Entry::new("3.13.0t", art("python-3.13.0t-amd64.zip"));
        assert!(e.freethreaded && e.x64 && !e.prerelease);
        let e = Entry::new("2.4.3c1-win32", art("python-2.4.3c1.msi"));
        assert_eq!((e.arch, e.prerelease), (Arch::X86, true));
        assert_eq!(e.release_dir().as_deref(), Some("2.4.3"));
        let e = Entry::new("pypy3.10-v7.3.17-win64", art("pypy3.10-v7.3.17-win64.zip"));
        assert_eq!((e.arch, e.x64, e.release_dir()), (Arch::Amd64, true, None));
    }

    #[test]
    fn old_rc_tags_sort_as_release_candidates() {
        let mut v = vec!["2.4.4-win32", "2.4.3-win32", "2.4.3c1-win32", "2.4.2-win32"];
        v.sort_by(|a, b| cmp_names(a, b));
        assert_eq!(
            v,
            ["2.4.2-win32", "2.4.3c1-win32", "2.4.3-win32", "2.4.4-win32"]
        );
    }

    #[test]
    fn kinds_from_file_names() {
        use PackageKind::*;
        for (f, k) in [
            ("python-3.12.4-amd64.zip", Zip),
            ("python.3.10.11.nupkg", Nupkg),
            ("python-2.7.18.amd64.msi", Msi),
            ("python-3.5.0-webinstall.exe", WebInstallExe),
            ("python-3.5.0.exe", Exe),
        ] {
            assert_eq!(PackageKind::from_file_name(f), Some(k), "{f}");
        }
        assert_eq!(PackageKind::from_file_name("Python-3.12.4.tar.xz"), None);
        assert!(!Zip.pyenv_win_installable() && !Nupkg.pyenv_win_installable());
        assert!(PackageKind::ZipWithRoot {
            zip_root_dir: "x".into()
        }
        .pyenv_win_installable());
    }
}
