//! Where the catalog comes from on disk: the root's `.versions_cache.xml` (shared with
//! pyenv-win) plus pyv's sidecar, else the snapshot built into the binary, so that
//! `install --list` and `install 3.12` work offline and before the first `update`.
//!
//! The snapshot is `data/catalog-snapshot.xml` + `data/catalog-snapshot.json` of this
//! crate, generated from the real data in `tests/fixtures/` by the test
//! `store::tests::snapshot_is_generated_from_the_fixtures`
//! (`PYV_REGENERATE_SNAPSHOT=1 cargo test -p pyv-catalog snapshot_is_generated` writes it).

use super::{sidecar, Catalog, CatalogError, Damaged, Entry};
use pyv_core::name::Pre;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

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
    /// The root's file that could not be used (then `catalog` is the snapshot), for the
    /// caller to warn about.
    pub damaged: Option<Damaged>,
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
///
/// A cache or sidecar that cannot be read or parsed is never a dead end: it is renamed
/// aside (`<file>.damaged-<seconds since 1970>`, kept for a bug report) so that the
/// next `update` writes a fresh pair, and this load serves the snapshot, saying so in
/// [`Loaded::damaged`]. A damaged sidecar over a good XML also falls back to the
/// snapshot: the XML alone would lose the hashes and the packages only pyv installs.
pub fn load(xml_path: &Path) -> Loaded {
    match load_files(xml_path) {
        Ok(Some((catalog, sidecar))) => Loaded {
            catalog: with_snapshot(catalog, sidecar.is_some()),
            source: CatalogSource::Root {
                xml: xml_path.to_path_buf(),
                sidecar,
            },
            damaged: None,
        },
        Ok(None) => from_snapshot(None),
        Err((path, reason)) => {
            let damaged = match set_aside(&path) {
                Ok(moved_to) => Damaged::SetAside {
                    path,
                    reason,
                    moved_to,
                },
                Err(e) => Damaged::Kept {
                    path,
                    reason,
                    error: e.to_string(),
                },
            };
            from_snapshot(Some(damaged))
        }
    }
}

/// The root's catalog merged with the snapshot: every name either knows (a pyenv-win
/// tree adopted with a cache older than this binary must not hide the releases since),
/// and for a name both know, the newer data's entry. The root's data is the newer when
/// it knows a later release than the snapshot, or the same latest one and `pyv update`
/// wrote it (it has a sidecar: the same sources, fetched live); a cache of pyenv-win's
/// alone that knows no later release holds nothing the snapshot lacks for its names.
pub fn with_snapshot(root: Catalog, root_has_sidecar: bool) -> Catalog {
    let snap = snapshot();
    let (root_latest, snap_latest) = (latest_known(&root), latest_known(&snap));
    let root_newer = root_latest > snap_latest || (root_latest == snap_latest && root_has_sidecar);
    let (older, newer) = if root_newer {
        (snap, root)
    } else {
        (root, snap)
    };
    let source_only: Vec<String> = older
        .source_only()
        .chain(newer.source_only())
        .map(str::to_string)
        .collect();
    let unindexed: Vec<String> = older
        .unindexed()
        .chain(newer.unindexed())
        .map(str::to_string)
        .collect();
    // `Catalog::new` keeps the last entry of a name given twice: the newer one.
    let entries: Vec<Entry> = older
        .entries()
        .iter()
        .chain(newer.entries())
        .cloned()
        .collect();
    Catalog::new(entries, source_only).with_unindexed(unindexed)
}

/// The latest CPython release a catalog knows, as (release, final, pre-release): a
/// pre-release counts (it says how recent the data is), below its final. `None` for a
/// catalog without CPython.
fn latest_known(c: &Catalog) -> Option<(Vec<u32>, bool, Option<Pre>)> {
    c.entries()
        .iter()
        .filter_map(|e| crate::entry::cpython_of(&e.name))
        .map(|c| (c.release, c.pre.is_none(), c.pre))
        .max()
}

fn from_snapshot(damaged: Option<Damaged>) -> Loaded {
    Loaded {
        catalog: snapshot(),
        source: CatalogSource::Snapshot,
        damaged,
    }
}

/// The root's catalog and its sidecar's path if it had one; `None` without a cache;
/// the file that cannot be used and why.
#[allow(clippy::type_complexity)]
fn load_files(xml_path: &Path) -> Result<Option<(Catalog, Option<PathBuf>)>, (PathBuf, String)> {
    let bad = |path: &Path| {
        let path = path.to_path_buf();
        move |reason: String| (path, reason)
    };
    let Some(xml_text) = read_text(xml_path).map_err(bad(xml_path))? else {
        return Ok(None);
    };
    let entries = super::xml::read(&xml_text).map_err(bad(xml_path))?;
    let side = sidecar::sidecar_path(xml_path);
    match read_text(&side).map_err(bad(&side))? {
        Some(json) => {
            let c = sidecar::combine(entries, &json).map_err(bad(&side))?;
            Ok(Some((c, Some(side))))
        }
        None => Ok(Some((Catalog::new(entries, Vec::new()), None))),
    }
}

/// The file's text; `None` when there is no file. A folder in its place, a file this
/// user may not read or one that is not UTF-8 are each a one-line reason.
fn read_text(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Renames the damaged `path` to a free `<name>.damaged-<seconds>[-<n>]` beside it.
fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut to = path.with_file_name(format!("{name}.damaged-{secs}"));
    let mut n = 1;
    // Renaming over an earlier set-aside file would lose it on Unix and fail on Windows.
    while std::fs::symlink_metadata(&to).is_ok() {
        n += 1;
        to = path.with_file_name(format!("{name}.damaged-{secs}-{n}"));
    }
    pyv_core::fsutil::rename_with_retry(path, &to)?;
    Ok(to)
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
    use crate::{index, merge, update::DEFAULT_BASE, xml, ArchFilter, LookupError, PackageKind};
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

        let first = load(&xml_path);
        assert_eq!(first.source, CatalogSource::Snapshot);
        assert_eq!(first.damaged, None);

        save(&first.catalog, &xml_path).unwrap();
        let again = load(&xml_path);
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

        // pyenv-win alone (no sidecar) with the data the snapshot was made from: nothing
        // in it is newer, so the snapshot's entries (hashed zips) serve its names too.
        std::fs::remove_file(dir.join(".pyv-catalog.json")).unwrap();
        std::fs::write(&xml_path, read("tests/fixtures/versions_cache.xml")).unwrap();
        let plain = load(&xml_path);
        assert_eq!(plain.catalog, snapshot());
        assert_eq!(plain.catalog.get("3.12.10").unwrap().kind, PackageKind::Zip);

        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// pyenv-win's real cache cut back to what it knew before 3.13.1 (December 2024),
    /// as a tree adopted from an old pyenv-win install holds it.
    fn cache_before_3_13_1() -> Vec<Entry> {
        xml::read(&read("tests/fixtures/versions_cache.xml"))
            .unwrap()
            .into_iter()
            .filter(|e| {
                crate::entry::cpython_of(&e.name).is_none_or(|c| c.release < vec![3, 13, 1])
            })
            .collect()
    }

    #[test]
    fn an_older_pyenv_win_cache_hides_nothing_the_snapshot_knows() {
        let dir = std::env::temp_dir().join(format!("pyv-catalog-older-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let xml_path = dir.join(".versions_cache.xml");
        let mut entries = cache_before_3_13_1();
        assert!(entries.iter().any(|e| e.name == "3.13.0"));
        assert!(!entries.iter().any(|e| e.name == "3.13.1"));
        // A name only this tree knows (a mirror's own build) stays too.
        let mut own = entries.iter().find(|e| e.name == "3.9.13").unwrap().clone();
        own.name = "3.9.99".into();
        own.url = "https://mirror.example/python-3.9.99-amd64.exe".into();
        entries.push(own);
        std::fs::write(&xml_path, xml::write(&entries)).unwrap();
        let loaded = load(&xml_path);
        assert_eq!(loaded.damaged, None);
        let c = &loaded.catalog;
        let e = c.resolve(&"3.13.1".parse().unwrap(), Arch::Amd64).unwrap();
        assert_eq!((e.name.as_str(), &e.kind), ("3.13.1", &PackageKind::Zip));
        assert!(e.sha256.is_some());
        assert_eq!(
            c.resolve(&"3.13".parse().unwrap(), Arch::Amd64)
                .unwrap()
                .name,
            snapshot()
                .resolve(&"3.13".parse().unwrap(), Arch::Amd64)
                .unwrap()
                .name
        );
        assert_eq!(
            c.get("3.9.99").unwrap().url,
            "https://mirror.example/python-3.9.99-amd64.exe"
        );
        assert!(c.list(ArchFilter::All).any(|e| e.name == "3.13.1"));
        assert_eq!(c.len(), snapshot().len() + 1);
        // The snapshot's data is the newer: its entry serves a name both know.
        assert_eq!(c.get("3.12.10").unwrap().kind, PackageKind::Zip);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_cache_newer_than_the_snapshot_wins_for_the_names_both_know() {
        let mut entries = snapshot().entries().to_vec();
        let newer = entries
            .iter()
            .find(|e| e.name == "3.12.10")
            .unwrap()
            .clone();
        let mut moved = newer.clone();
        moved.url = "https://mirror.example/3.12.10/python-3.12.10-amd64.zip".into();
        let mut future = newer;
        future.name = "3.99.0".into();
        entries.retain(|e| e.name != "3.12.10");
        entries.extend([moved, future]);
        let root = Catalog::new(entries, Vec::new());
        let merged = with_snapshot(root.clone(), false);
        // Every name the root has, its entries; the snapshot adds its source-only list.
        assert!(merged.entries() == root.entries());
        assert!(merged.source_only().eq(snapshot().source_only()));
        assert_eq!(
            merged.get("3.12.10").unwrap().url,
            "https://mirror.example/3.12.10/python-3.12.10-amd64.zip"
        );
        // Same latest release: `pyv update` wrote it (a sidecar), so it is the newer.
        let mut same = snapshot().entries().to_vec();
        let at = same.iter().position(|e| e.name == "3.12.10").unwrap();
        same[at].url = "https://mirror.example/x.zip".into();
        let same = Catalog::new(same, Vec::new());
        assert_eq!(
            with_snapshot(same.clone(), true)
                .get("3.12.10")
                .unwrap()
                .url,
            "https://mirror.example/x.zip"
        );
        assert!(with_snapshot(same, false) == snapshot());
    }

    /// What is in `dir`, sorted, with set-aside names' seconds as `[T]`.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .map(|n| match n.split_once(".damaged-") {
                Some((file, _)) => format!("{file}.damaged-[T]"),
                None => n,
            })
            .collect();
        v.sort();
        v
    }

    /// The warning of a load, with the folder as `[DIR]` and the seconds as `[T]`.
    fn warning(loaded: &Loaded, dir: &Path) -> String {
        let text = loaded.damaged.as_ref().unwrap().to_string();
        let text = text.replace(
            &format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR),
            "[DIR]/",
        );
        regex::Regex::new(r"\.damaged-\d+")
            .unwrap()
            .replace_all(&text, ".damaged-[T]")
            .into_owned()
    }

    /// Fails before the fix: each of these made `load` an error that `install` and
    /// `update` both stopped at, so the user had to delete the file by hand.
    #[test]
    fn a_damaged_file_is_set_aside_and_the_snapshot_serves() {
        let dir = std::env::temp_dir().join(format!("pyv-catalog-damaged-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let xml_path = dir.join(".versions_cache.xml");
        let side = dir.join(".pyv-catalog.json");
        let good_xml = snapshot().to_xml();

        let cases: [(&str, &dyn Fn(), &str); 5] = [
            (
                "non-UTF-8 byte",
                &|| std::fs::write(&xml_path, b"<versions>\xff</versions>").unwrap(),
                "'[DIR]/.versions_cache.xml' cannot be used (stream did not contain valid UTF-8); moved it to '[DIR]/.versions_cache.xml.damaged-[T]'",
            ),
            (
                "truncated XML",
                &|| std::fs::write(&xml_path, "<versions><version>").unwrap(),
                "'[DIR]/.versions_cache.xml' cannot be used (ill-formed document: start tag not closed: `</version>` not found before end of input); moved it to '[DIR]/.versions_cache.xml.damaged-[T]'",
            ),
            (
                // Root ignores permissions: a folder is unreadable as a file for anyone.
                "unreadable",
                &|| std::fs::create_dir(&xml_path).unwrap(),
                if cfg!(windows) {
                    Box::leak(format!("'[DIR]/.versions_cache.xml' cannot be used ({}); moved it to '[DIR]/.versions_cache.xml.damaged-[T]'", std::io::Error::from_raw_os_error(5)).into_boxed_str())
                } else {
                    "'[DIR]/.versions_cache.xml' cannot be used (Is a directory (os error 21)); moved it to '[DIR]/.versions_cache.xml.damaged-[T]'"
                },
            ),
            (
                "invalid JSON sidecar",
                &|| {
                    std::fs::write(&xml_path, &good_xml).unwrap();
                    std::fs::write(&side, "{").unwrap();
                },
                "'[DIR]/.pyv-catalog.json' cannot be used (EOF while parsing an object at line 1 column 1); moved it to '[DIR]/.pyv-catalog.json.damaged-[T]'",
            ),
            (
                "unreadable sidecar",
                &|| {
                    std::fs::write(&xml_path, &good_xml).unwrap();
                    std::fs::create_dir(&side).unwrap();
                },
                if cfg!(windows) {
                    // The system's own text for the code (Wine words it differently).
                    Box::leak(format!("'[DIR]/.pyv-catalog.json' cannot be used ({}); moved it to '[DIR]/.pyv-catalog.json.damaged-[T]'", std::io::Error::from_raw_os_error(5)).into_boxed_str())
                } else {
                    "'[DIR]/.pyv-catalog.json' cannot be used (Is a directory (os error 21)); moved it to '[DIR]/.pyv-catalog.json.damaged-[T]'"
                },
            ),
        ];
        for (what, damage, expected) in cases {
            for p in [&xml_path, &side] {
                let _ = std::fs::remove_file(p);
                let _ = std::fs::remove_dir(p);
            }
            damage();
            let loaded = load(&xml_path);
            assert_eq!(warning(&loaded, &dir), expected, "{what}");
            assert_eq!(loaded.source, CatalogSource::Snapshot, "{what}");
            assert_eq!(loaded.catalog, snapshot(), "{what}");
            // Set aside once: the next load reads what is left without a warning.
            let next = load(&xml_path);
            assert_eq!(next.damaged, None, "{what}");
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.to_string_lossy().contains(".damaged-") {
                    if p.is_dir() {
                        std::fs::remove_dir(&p).unwrap();
                    } else {
                        std::fs::remove_file(&p).unwrap();
                    }
                }
            }
        }

        // Two damaged files in one second keep both.
        std::fs::write(&xml_path, "<").unwrap();
        load(&xml_path);
        std::fs::write(&xml_path, "<").unwrap();
        load(&xml_path);
        assert_eq!(
            names_in(&dir),
            [
                ".versions_cache.xml.damaged-[T]",
                ".versions_cache.xml.damaged-[T]"
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
