//! Combining what the sources say about the same names. python.org's index wins (it has
//! hashes and installs without running an installer); the listing supplies the MSI and
//! WiX installers pyenv-win uses and everything the index lacks (MSIs up to 3.4.4, the
//! .exe-only releases, most pre-releases before 3.14).

use super::entry::{cpython_of, Artifact, Entry, PackageKind};
use super::Catalog;
use pyv_core::{Arch, VersionName};
use std::collections::HashMap;

/// Builds a catalog from the sources, weakest first: `previous` (an earlier catalog),
/// `listing` (installers found on python.org's pages or in a pyenv-win cache), `index`
/// (python.org's Windows index). `base` is the download base the installer of an index
/// package is derived under when no source names it.
pub fn merge(
    base: &str,
    previous: Vec<Entry>,
    listing: Vec<Entry>,
    index: Vec<Entry>,
    source_only: impl IntoIterator<Item = String>,
) -> Catalog {
    let mut out: Vec<Entry> = Vec::with_capacity(previous.len() + listing.len());
    let mut at: HashMap<String, usize> = HashMap::new();
    for e in previous {
        match at.get(&e.name) {
            Some(&i) => out[i] = e,
            None => {
                at.insert(e.name.clone(), out.len());
                out.push(e);
            }
        }
    }
    for l in listing {
        match at.get(&l.name) {
            Some(&i) => {
                let e = &mut out[i];
                if e.kind.pyenv_win_installable() {
                    // Newer news about the same installer.
                    let x64 = l.x64;
                    e.set_artifact(l.artifact());
                    e.x64 = x64;
                    e.installer = None;
                } else {
                    e.installer = Some(l.artifact());
                }
            }
            None => {
                at.insert(l.name.clone(), out.len());
                out.push(l);
            }
        }
    }
    for p in index {
        match at.get(&p.name) {
            Some(&i) => {
                let e = &mut out[i];
                let installer = e.installer.take().or_else(|| {
                    e.kind
                        .pyenv_win_installable()
                        .then(|| e.artifact())
                        .filter(|a| a.url != p.url)
                });
                e.set_artifact(p.artifact());
                e.installer = installer;
            }
            None => {
                at.insert(p.name.clone(), out.len());
                out.push(p);
            }
        }
    }
    for e in &mut out {
        if e.installer.is_none() && !e.kind.pyenv_win_installable() {
            e.installer = derived_installer(base, e);
        }
    }
    Catalog::new(out, source_only)
}

/// The WiX installer python.org publishes beside an index package, named by its
/// pattern (`python-3.12.4-amd64.exe`, `python-3.12.4.exe`, `python-3.12.4-arm64.exe`
/// in `<base>/3.12.4/`): there is one for every 3.5+ release, with ARM64 from 3.11.0a5,
/// and none for free-threaded builds (the regular installer carries them).
/// The first release with ARM64 installers.
const FIRST_ARM64: &str = "3.11.0a5";

pub(crate) fn derived_installer(base: &str, e: &Entry) -> Option<Artifact> {
    if !matches!(e.kind, PackageKind::Zip | PackageKind::Nupkg) || e.freethreaded {
        return None;
    }
    let c = cpython_of(&e.name)?;
    if c.release.len() != 3 || c.release[..2] < [3, 5][..] {
        return None;
    }
    let version = e.name.split('-').next()?;
    let suffix = match c.arch {
        Arch::Amd64 => "-amd64",
        Arch::X86 => "",
        Arch::Arm64 => {
            if VersionName::new(version) < VersionName::new(FIRST_ARM64) {
                return None;
            }
            "-arm64"
        }
    };
    let dir = e.release_dir()?;
    let file = format!("python-{version}{suffix}.exe");
    Some(Artifact {
        url: format!("{}/{dir}/{file}", base.trim_end_matches('/')),
        file,
        kind: PackageKind::Exe,
        sha256: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use crate::{index, xml};

    const BASE: &str = "https://www.python.org/ftp/python";

    fn index_entries() -> Vec<Entry> {
        let mut fetch = |u: &str| -> Result<String, String> {
            Ok(fixture(u.strip_prefix(&format!("{BASE}/")).unwrap()))
        };
        index::fetch_index_chain(&format!("{BASE}/index-windows.json"), &mut fetch, 16).entries
    }

    fn art(file: &str, url: &str) -> Artifact {
        Artifact {
            file: file.into(),
            url: url.into(),
            kind: PackageKind::from_file_name(file).unwrap(),
            sha256: None,
        }
    }

    #[test]
    fn derived_installers_match_pyenv_win_cache() {
        let cache = xml::read(&fixture("versions_cache.xml")).unwrap();
        let by_name: HashMap<&str, &Entry> = cache.iter().map(|e| (e.name.as_str(), e)).collect();
        let mut derived = 0;
        for p in index_entries() {
            match derived_installer(BASE, &p) {
                Some(a) => {
                    derived += 1;
                    let known = by_name.get(p.name.as_str()).unwrap_or_else(|| {
                        panic!("{} derived but not in pyenv-win's cache", p.name)
                    });
                    assert_eq!((&a.url, &a.file), (&known.url, &known.file), "{}", p.name);
                }
                None => assert!(
                    p.freethreaded
                        || p.name.starts_with("2.7.")
                        || (p.arch == Arch::Arm64
                            && VersionName::new(p.name.trim_end_matches("-arm"))
                                < VersionName::new(FIRST_ARM64)),
                    "{} has no installer",
                    p.name
                ),
            }
        }
        assert!(derived > 250, "{derived}");
    }

    #[test]
    fn index_wins_and_listing_fills_in() {
        let listing = vec![
            Entry::new(
                "3.12.4",
                art(
                    "python-3.12.4-amd64.exe",
                    &format!("{BASE}/3.12.4/python-3.12.4-amd64.exe"),
                ),
            ),
            Entry::new(
                "3.12.0a1",
                art(
                    "python-3.12.0a1-amd64.exe",
                    &format!("{BASE}/3.12.0/python-3.12.0a1-amd64.exe"),
                ),
            ),
            Entry::new(
                "3.4.4-win32",
                art(
                    "python-3.4.4.msi",
                    &format!("{BASE}/3.4.4/python-3.4.4.msi"),
                ),
            ),
        ];
        let mut zip = Entry::new(
            "3.12.4",
            art(
                "python-3.12.4-amd64.zip",
                &format!("{BASE}/3.12.4/python-3.12.4-amd64.zip"),
            ),
        );
        zip.sha256 = Some("35".repeat(32));
        let ft = Entry::new(
            "3.13.0t",
            art(
                "python-3.13.0t-amd64.zip",
                &format!("{BASE}/3.13.0/python-3.13.0t-amd64.zip"),
            ),
        );
        let new = Entry::new(
            "3.14.9",
            art(
                "python-3.14.9-amd64.zip",
                &format!("{BASE}/3.14.9/python-3.14.9-amd64.zip"),
            ),
        );
        let c = merge(
            BASE,
            vec![],
            listing,
            vec![zip, ft, new],
            Vec::<String>::new(),
        );
        let names: Vec<&str> = c.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["3.4.4-win32", "3.12.0a1", "3.12.4", "3.13.0t", "3.14.9"]
        );

        let e = c.get("3.12.4").unwrap();
        assert_eq!(
            (e.kind.clone(), e.sha256.as_deref()),
            (PackageKind::Zip, Some(&*"35".repeat(32)))
        );
        assert_eq!(
            e.installer.as_ref().unwrap().file,
            "python-3.12.4-amd64.exe"
        );
        assert_eq!(c.get("3.12.0a1").unwrap().kind, PackageKind::Exe);
        assert_eq!(c.get("3.4.4-win32").unwrap().kind, PackageKind::Msi);
        assert_eq!(c.get("3.13.0t").unwrap().installer, None);
        assert_eq!(
            c.get("3.14.9").unwrap().installer.as_ref().unwrap().url,
            format!("{BASE}/3.14.9/python-3.14.9-amd64.exe")
        );
    }

    #[test]
    fn later_sources_replace_earlier_installers() {
        let old = Entry::new(
            "3.9.4",
            art(
                "python-3.9.4-amd64.exe",
                "https://old/3.9.4/python-3.9.4-amd64.exe",
            ),
        );
        let newer = Entry::new(
            "3.9.4",
            art(
                "python-3.9.4-amd64.exe",
                &format!("{BASE}/3.9.4/python-3.9.4-amd64.exe"),
            ),
        );
        let c = merge(
            BASE,
            vec![old],
            vec![newer.clone()],
            vec![],
            Vec::<String>::new(),
        );
        assert_eq!(c.entries(), [newer]);
    }
}
