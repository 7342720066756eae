//! Where the catalog comes from on disk: the root's `.versions_cache.xml` (shared with
//! pyenv-win) plus pyv's sidecar, else the snapshot built into the binary, so that
//! `install --list` and `install 3.12` work offline and before the first `update`.
//!
//! The snapshot is `data/catalog-snapshot.xml` + `data/catalog-snapshot.json` of this
//! crate, generated from the real data in `tests/fixtures/` by the test
//! `store::tests::snapshot_is_generated_from_the_fixtures`
//! (`PYV_REGENERATE_SNAPSHOT=1 cargo test -p pyv-catalog snapshot_is_generated` writes it).

use super::{sidecar, Catalog, CatalogError};
use std::path::{Path, PathBuf};

const SNAPSHOT_XML: &str = include_str!("../data/catalog-snapshot.xml");
const SNAPSHOT_JSON: &str = include_str!("../data/catalog-snapshot.json");

/// Where a loaded catalog came from, for `install --list` headers and `doctor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    /// The root's cache, with the sidecar when there was one.
    Root {
        xml: PathBuf,
        sidecar: Option<PathBuf>,
    },
    /// The list built into this binary.
    Snapshot,
}

#[derive(Debug, Clone)]
pub struct Loaded {
    pub catalog: Catalog,
    pub source: CatalogSource,
}

/// The catalog built into the binary.
pub fn snapshot() -> Catalog {
    // The texts are checked by the tests below; an empty list would only mean a
    // broken build, which `install` then reports as "no definitions".
    let c = Catalog::from_texts(SNAPSHOT_XML, Some(SNAPSHOT_JSON));
    debug_assert!(c.is_ok(), "{c:?}");
    c.unwrap_or_default()
}

/// Loads the catalog for a root whose cache is `xml_path` (`Root::versions_cache_xml`):
/// that file and its sidecar when the file exists, else the built-in snapshot.
pub fn load(xml_path: &Path) -> Result<Loaded, CatalogError> {
    let xml_text = match std::fs::read_to_string(xml_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Loaded {
                catalog: snapshot(),
                source: CatalogSource::Snapshot,
            })
        }
        Err(source) => {
            return Err(CatalogError::Read {
                path: xml_path.to_path_buf(),
                source,
            })
        }
    };
    let entries = super::xml::read(&xml_text).map_err(|reason| CatalogError::BadXml {
        path: xml_path.to_path_buf(),
        reason,
    })?;
    let side = sidecar::sidecar_path(xml_path);
    let (catalog, sidecar) = match std::fs::read_to_string(&side) {
        Ok(json) => {
            let c =
                sidecar::combine(entries, &json).map_err(|reason| CatalogError::BadSidecar {
                    path: side.clone(),
                    reason,
                })?;
            (c, Some(side))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (Catalog::new(entries, Vec::new()), None)
        }
        Err(source) => return Err(CatalogError::Read { path: side, source }),
    };
    Ok(Loaded {
        catalog,
        source: CatalogSource::Root {
            xml: xml_path.to_path_buf(),
            sidecar,
        },
    })
}

/// Writes `catalog` as the root's cache at `xml_path` and its sidecar, each by
/// temp file + rename. The sidecar goes first: a reader between the two renames sees
/// the new sidecar over the old XML, which is still a correct catalog.
pub fn save(catalog: &Catalog, xml_path: &Path) -> Result<(), CatalogError> {
    let side = sidecar::sidecar_path(xml_path);
    pyv_core::fsutil::write_atomic(&side, catalog.to_sidecar_json().as_bytes())?;
    pyv_core::fsutil::write_atomic(xml_path, catalog.to_xml().as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{index, merge, update::DEFAULT_BASE, xml, LookupError, PackageKind};
    use pyv_core::Arch;

    fn crate_file(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
    }

    fn read(rel: &str) -> String {
        std::fs::read_to_string(crate_file(rel)).unwrap()
    }

    /// The snapshot is pyenv-win's cache merged with python.org's index chain and the
    /// seed of source-only releases, all committed under `tests/fixtures/` and `data/`.
    fn generate_snapshot() -> Catalog {
        let listing = xml::read(&read("tests/fixtures/versions_cache.xml")).unwrap();
        let mut fetch = |u: &str| -> Result<String, String> {
            let name = u
                .strip_prefix(DEFAULT_BASE)
                .and_then(|n| n.strip_prefix('/'))
                .ok_or_else(|| format!("no fixture for {u}"))?;
            std::fs::read_to_string(crate_file(&format!("tests/fixtures/{name}")))
                .map_err(|e| e.to_string())
        };
        let chain = index::fetch_index_chain(
            &format!("{DEFAULT_BASE}/index-windows.json"),
            &mut fetch,
            index::MAX_INDEX_PAGES,
        );
        assert!(chain.warnings.is_empty(), "{:?}", chain.warnings);
        let seed: Vec<String> = read("data/source-only-seed.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        merge::merge(DEFAULT_BASE, vec![], listing, chain.entries, seed)
    }

    #[test]
    fn snapshot_is_generated_from_the_fixtures() {
        let c = generate_snapshot();
        let (xml_text, json) = (c.to_xml(), c.to_sidecar_json());
        if std::env::var_os("PYV_REGENERATE_SNAPSHOT").is_some() {
            std::fs::write(crate_file("data/catalog-snapshot.xml"), &xml_text).unwrap();
            std::fs::write(crate_file("data/catalog-snapshot.json"), &json).unwrap();
            return;
        }
        assert!(
            xml_text == SNAPSHOT_XML && json == SNAPSHOT_JSON,
            "data/catalog-snapshot.* are stale: run PYV_REGENERATE_SNAPSHOT=1 cargo test -p pyv-catalog snapshot_is_generated"
        );
        // The index adds packages and names but takes nothing from pyenv-win's view.
        assert_eq!(xml_text, read("tests/fixtures/versions_cache.xml"));
        assert_eq!(snapshot(), c);
    }

    #[test]
    fn snapshot_serves_install_before_any_update() {
        let c = snapshot();
        assert!(c.len() > 936, "{}", c.len());
        let e = c.resolve(&"3.12".parse().unwrap(), Arch::Amd64).unwrap();
        assert_eq!(e.name, "3.12.10");
        assert_eq!(e.kind, PackageKind::Zip);
        assert!(e.sha256.is_some());
        assert_eq!(
            e.installer.as_ref().unwrap().file,
            "python-3.12.10-amd64.exe"
        );
        let e = c.resolve(&"3.10".parse().unwrap(), Arch::X86).unwrap();
        assert_eq!(
            (e.name.as_str(), e.kind.clone()),
            ("3.10.11-win32", PackageKind::Nupkg)
        );
        assert_eq!(
            c.resolve(&"3.4".parse().unwrap(), Arch::Amd64)
                .unwrap()
                .kind,
            PackageKind::Msi
        );
        assert_eq!(
            c.resolve(&"3.13t".parse().unwrap(), Arch::Amd64)
                .unwrap()
                .name,
            "3.13.13t"
        );
        assert_eq!(
            c.resolve(&"3.10.12".parse().unwrap(), Arch::Amd64)
                .unwrap_err()
                .to_string(),
            "3.10.12 has no Windows installer; the newest 3.10 with one is 3.10.11"
        );
        assert!(matches!(
            c.resolve(&"3.12.15".parse().unwrap(), Arch::Amd64),
            Err(LookupError::SourceOnly { .. })
        ));
        // Listing order is pyenv-win's, with pyv's extra builds in place.
        let names: Vec<&str> = c.entries().iter().map(|e| e.name.as_str()).collect();
        let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
        assert!(at("3.13.0") < at("3.13.0t") && at("3.13.0t") < at("3.13.1-win32"));
        assert_eq!(names.first(), Some(&"2.4-win32"));
        assert_eq!(names.last(), Some(&"graalpy-25.0.2-windows-amd64"));
    }

    #[test]
    fn load_prefers_the_root_and_save_round_trips() {
        let dir = std::env::temp_dir().join(format!("pyv-catalog-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let xml_path = dir.join(".versions_cache.xml");

        let first = load(&xml_path).unwrap();
        assert_eq!(first.source, CatalogSource::Snapshot);

        save(&first.catalog, &xml_path).unwrap();
        let again = load(&xml_path).unwrap();
        assert_eq!(
            again.source,
            CatalogSource::Root {
                xml: xml_path.clone(),
                sidecar: Some(dir.join(".pyv-catalog.json"))
            }
        );
        assert_eq!(again.catalog, first.catalog);
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");

        // pyenv-win alone (no sidecar): its XML as it is.
        std::fs::remove_file(dir.join(".pyv-catalog.json")).unwrap();
        let plain = load(&xml_path).unwrap();
        assert_eq!(plain.catalog.len(), 936);
        assert_eq!(plain.catalog.get("3.12.10").unwrap().kind, PackageKind::Exe);

        // Broken files are named with the way out.
        std::fs::write(dir.join(".pyv-catalog.json"), "{").unwrap();
        let err = load(&xml_path).unwrap_err().to_string();
        assert!(
            err.contains(".pyv-catalog.json' is not a valid pyv catalog file"),
            "{err}"
        );
        std::fs::write(&xml_path, "<versions><version>").unwrap();
        let err = load(&xml_path).unwrap_err().to_string();
        assert!(
            err.contains(".versions_cache.xml' is not a valid versions cache"),
            "{err}"
        );
        assert!(err.contains("run 'pyv update'"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
