//! The catalog of installable versions: what `install --list` prints and what
//! `install <version>` resolves against.
//!
//! Sources, best first: python.org's Windows index (hashed runtime zips for 3.11+,
//! NuGet packages for 2.7.18 and 3.5.2–3.10.11; [`index`]), the `/ftp/python/` directory
//! listing and its per-version pages (the MSI and WiX installers pyenv-win uses;
//! [`listing`]), and pyenv-win's `.versions_cache.xml` ([`xml`]). [`merge`] combines
//! them, [`update()`] fetches them, [`store`] keeps them in a root as pyenv-win's XML
//! plus pyv's [`sidecar`] (hashes, packages pyenv-win cannot install, source-only
//! releases), and a snapshot built into the binary serves before the first update.
//!
//! Nothing here does network I/O: functions that need remote data take a fetch
//! callback (`FnMut(&str) -> Result<String, E>`), so the CLI plugs in the real client
//! and tests plug in files.
//!
//! How the CLI uses it:
//!
//! ```no_run
//! use pyv_catalog::{self as catalog, ArchFilter, UpdateOptions};
//! use pyv_core::{Arch, Root};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let root = Root::discover();
//! let xml = root.versions_cache_xml();
//! // install --list [--32only|--64only]
//! let loaded = catalog::load(&xml);
//! // a damaged cache was set aside and the built-in list serves meanwhile
//! if let Some(d) = &loaded.damaged {
//!     eprintln!("warning: {d}; using the built-in list");
//! }
//! for e in loaded.catalog.list(ArchFilter::All) {
//!     println!("{}", e.name);
//! }
//! // install 3.12
//! let entry = loaded.catalog.resolve(&"3.12".parse()?, Arch::detect()?)?;
//! println!("{} from {} ({:?}, sha256 {:?})", entry.name, entry.url, entry.kind, entry.sha256);
//! // update (the closure is the HTTP client's GET returning the body as text)
//! // (the CLI passes pyv-net's resolved mirror: PYTHON_BUILD_MIRROR_URL or python.org)
//! let opts = UpdateOptions::new(catalog::DEFAULT_BASE);
//! let report = catalog::update(&opts, Some(&loaded.catalog), |url: &str| {
//!     Err::<String, _>(format!("no client in this example ({url})"))
//! })?;
//! for w in &report.warnings {
//!     eprintln!("warning: {w}");
//! }
//! catalog::save(&report.catalog, &xml)?;
//! # Ok(())
//! # }
//! ```

pub mod entry;
pub mod error;
pub mod index;
pub mod listing;
mod lookup;
pub mod merge;
pub mod sidecar;
pub mod store;
pub mod update;
pub mod xml;

/// Reads a file of `tests/fixtures/` (real python.org and pyv-win data), for unit tests.
#[cfg(test)]
pub(crate) fn fixture(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub use entry::{Artifact, Entry, PackageKind};
pub use error::{CatalogError, Damaged, LookupError, UpdateError};
pub use store::{load, save, snapshot, CatalogSource, Loaded};
pub use update::{canonical_url, mirror_url, update, UpdateOptions, UpdateReport, DEFAULT_BASE};

use pyv_core::VersionName;
use std::collections::HashMap;

/// The known versions in pyenv-win's order, plus the releases known to have no
/// Windows files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    entries: Vec<Entry>,
    /// The entries' names, for `pyv_core::resolve`.
    names: Vec<VersionName>,
    by_name: HashMap<String, usize>,
    source_only: Vec<String>,
    /// Release folders that hold Windows packages only the index describes (zips, NuGet)
    /// while the index does not list them: not source-only, just not installable here.
    unindexed: Vec<String>,
}

/// `install --list --32only/--64only`: pyenv-win filters on the `x64` attribute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArchFilter {
    #[default]
    All,
    Only32,
    Only64,
}

impl Catalog {
    /// A catalog of `entries` (a name given twice keeps the last entry) sorted in
    /// pyenv-win's order: CPython by version with pre-releases before the final and
    /// `-win32`, `-arm`, x64 within a release, then PyPy, then GraalPy. `source_only`
    /// holds release numbers (`3.10.12`); those that have entries are dropped.
    pub fn new(entries: Vec<Entry>, source_only: impl IntoIterator<Item = String>) -> Catalog {
        let mut last: HashMap<String, usize> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            last.insert(e.name.clone(), i);
        }
        let mut entries: Vec<Entry> = entries
            .into_iter()
            .enumerate()
            .filter(|(i, e)| last.get(&e.name) == Some(i))
            .map(|(_, e)| e)
            .collect();
        // Parsing a name per comparison would dominate `install --list`; parse once.
        entries.sort_by_cached_key(|e| (VersionName::new(e.name.as_str()), e.name.clone()));
        let released: std::collections::HashSet<String> =
            entries.iter().filter_map(Entry::release_dir).collect();
        let mut source_only: Vec<String> = source_only
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && !released.contains(s))
            .collect();
        source_only.sort_by(|a, b| entry::cmp_names(a, b));
        source_only.dedup();
        Catalog {
            names: entries
                .iter()
                .map(|e| VersionName::new(e.name.as_str()))
                .collect(),
            by_name: entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.name.clone(), i))
                .collect(),
            entries,
            source_only,
            unindexed: Vec::new(),
        }
    }

    /// This catalog with `dirs` as its unindexed release folders (see the field); those
    /// that have entries are dropped.
    pub fn with_unindexed(mut self, dirs: impl IntoIterator<Item = String>) -> Catalog {
        let released: std::collections::HashSet<String> =
            self.entries.iter().filter_map(Entry::release_dir).collect();
        let mut dirs: Vec<String> = dirs
            .into_iter()
            .filter(|d| !d.is_empty() && !released.contains(d))
            .collect();
        dirs.sort_by(|a, b| entry::cmp_names(a, b));
        dirs.dedup();
        self.unindexed = dirs;
        self
    }

    pub fn unindexed(&self) -> impl Iterator<Item = &str> {
        self.unindexed.iter().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every entry in catalog order (`install --list`).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries `install --list` shows with `--32only`/`--64only`, in catalog order.
    pub fn list(&self, filter: ArchFilter) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| match filter {
            ArchFilter::All => true,
            ArchFilter::Only32 => !e.x64,
            ArchFilter::Only64 => e.x64,
        })
    }

    /// The entry of exactly this name.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.by_name.get(name).map(|&i| &self.entries[i])
    }

    /// Release numbers python.org published without Windows files, oldest first.
    pub fn source_only(&self) -> impl Iterator<Item = &str> {
        self.source_only.iter().map(String::as_str)
    }

    /// Entries whose name `older` does not have, in catalog order (what `update` added).
    pub fn added_since<'a>(&'a self, older: &Catalog) -> Vec<&'a Entry> {
        self.entries
            .iter()
            .filter(|e| older.get(&e.name).is_none())
            .collect()
    }

    /// The shared `.versions_cache.xml` text of this catalog (see [`xml::write`]).
    pub fn to_xml(&self) -> String {
        xml::write(&self.entries)
    }

    /// The sidecar text of this catalog (see [`sidecar`]).
    pub fn to_sidecar_json(&self) -> String {
        sidecar::write(self)
    }

    /// A catalog from the texts of a `.versions_cache.xml` and its optional sidecar.
    /// The error is a one-line reason, for the caller to name the file.
    pub fn from_texts(xml_text: &str, sidecar_json: Option<&str>) -> Result<Catalog, String> {
        let entries = xml::read(xml_text)?;
        match sidecar_json {
            Some(json) => sidecar::combine(entries, json),
            None => Ok(Catalog::new(entries, Vec::new())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, file: &str) -> Entry {
        Entry::new(
            name,
            Artifact {
                file: file.into(),
                url: format!("https://h/{file}"),
                kind: PackageKind::from_file_name(file).unwrap(),
                sha256: None,
            },
        )
    }

    #[test]
    fn sorts_dedupes_and_filters() {
        let c = Catalog::new(
            vec![
                entry("pypy3.10-v7.3.17-win64", "pypy.zip"),
                entry("3.10.0", "python-3.10.0-amd64.exe"),
                entry("3.10.0-win32", "python-3.10.0.exe"),
                entry("3.9.4", "old.exe"),
                entry("3.10.0a1", "python-3.10.0a1-amd64.exe"),
                entry("graalpy-24.1.0-windows-amd64", "g.zip"),
                entry("3.9.4", "python-3.9.4-amd64.exe"),
                entry("3.10.0-arm", "python-3.10.0-arm64.zip"),
            ],
            [
                "3.10.12".into(),
                "3.10.0".into(),
                " ".into(),
                "3.9.20".into(),
            ],
        );
        let names: Vec<&str> = c.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "3.9.4",
                "3.10.0a1",
                "3.10.0-win32",
                "3.10.0-arm",
                "3.10.0",
                "pypy3.10-v7.3.17-win64",
                "graalpy-24.1.0-windows-amd64"
            ]
        );
        assert_eq!(c.get("3.9.4").unwrap().file, "python-3.9.4-amd64.exe");
        assert_eq!(c.source_only().collect::<Vec<_>>(), ["3.9.20", "3.10.12"]);
        let only32: Vec<&str> = c
            .list(ArchFilter::Only32)
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(only32, ["3.10.0-win32"]);
        assert_eq!(c.list(ArchFilter::Only64).count(), 6);
        assert_eq!(c.list(ArchFilter::All).count(), c.len());
        let older = Catalog::new(vec![entry("3.9.4", "python-3.9.4-amd64.exe")], Vec::new());
        let added: Vec<&str> = c
            .added_since(&older)
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(added, &names[1..]);
    }
}
