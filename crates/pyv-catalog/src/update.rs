//! `pyv update`: refresh the catalog from python.org (or a mirror) with few requests.
//!
//! pyenv-win reads ~200 version pages every time (10–15 minutes, #343). Here the index
//! chain (3 requests) gives every 3.11+ release with hashes and every NuGet release,
//! the top listing (1 request) gives the set of release folders, and only the folders
//! neither the index nor the previous catalog already covers are read — on a catalog
//! that started from the built-in snapshot, that is the handful of releases since.

use super::entry::{cmp_names, release_dir_of, Entry};
use super::index::{fetch_index_chain, MAX_INDEX_PAGES};
use super::listing::{has_windows_package, parse_directory_listing, parse_version_page};
use super::{merge, Catalog, UpdateError};
use std::collections::HashSet;
use std::fmt::Display;

/// python.org's release tree: where the catalog comes from unless PYTHON_BUILD_MIRROR_URL says otherwise.
pub const DEFAULT_BASE: &str = "https://www.python.org/ftp/python";
/// Version pages one update may read; a first update without any previous catalog
/// needs about 170.
pub const DEFAULT_MAX_PAGES: usize = 250;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOptions {
    /// The folder holding `index-windows.json` and the version folders, without a
    /// trailing slash.
    pub base_url: String,
    pub max_pages: usize,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions::new(DEFAULT_BASE)
    }
}

impl UpdateOptions {
    /// `base_url` may also be a folder (a copy of python.org's tree): it becomes a
    /// `file://` URL, so the index's relative links resolve against it.
    pub fn new(base_url: impl Into<String>) -> UpdateOptions {
        let base = base_url.into();
        let base = base.trim();
        let base = if base.contains("://") || base.starts_with("file:") {
            base.to_string()
        } else {
            std::path::absolute(base)
                .ok()
                .and_then(|p| url::Url::from_directory_path(p).ok())
                .map(|u| u.to_string())
                .unwrap_or_else(|| base.to_string())
        };
        UpdateOptions {
            base_url: base.trim_end_matches(['/', '\\']).to_string(),
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

/// What an update produced and what went wrong along the way.
#[derive(Debug, Clone)]
pub struct UpdateReport {
    pub catalog: Catalog,
    /// One line per page that failed or limit that was hit; the update still counts.
    pub warnings: Vec<String>,
    /// Requests made, successful or not.
    pub requests: usize,
    /// Version folders left unread because of `max_pages` (a next update reads them).
    pub pages_left: usize,
}

/// `url` moved under the mirror `base`: URLs that start with python.org's default
/// base are rewritten; others (NuGet, PyPy, GraalPy, or already the mirror's) are not.
pub fn mirror_url(url: &str, base: &str) -> String {
    let base = base.trim_end_matches('/');
    if base == DEFAULT_BASE {
        return url.to_string();
    }
    match url.strip_prefix(DEFAULT_BASE) {
        Some(rest) if rest.starts_with('/') => format!("{base}{rest}"),
        _ => url.to_string(),
    }
}

/// The inverse of [`mirror_url`]: a URL under the mirror `base` as python.org's. The
/// catalog keeps canonical URLs, so it reads the same whichever mirror updated it, and
/// `install` applies the mirror in force when it downloads.
pub fn canonical_url(url: &str, base: &str) -> String {
    let base = base.trim_end_matches('/');
    match url.strip_prefix(base) {
        Some(rest) if base != DEFAULT_BASE && rest.starts_with('/') => {
            format!("{DEFAULT_BASE}{rest}")
        }
        _ => url.to_string(),
    }
}

fn canonical(mut e: Entry, base: &str) -> Entry {
    e.url = canonical_url(&e.url, base);
    if let Some(i) = &mut e.installer {
        i.url = canonical_url(&i.url, base);
    }
    e
}

/// Fetches the index chain from `<base>/index-windows.json` and the listing from
/// `<base>/`, reads the version pages nothing else covers (newest first, at most
/// `opts.max_pages`), and merges it all over `previous` (the catalog in use, e.g. the
/// snapshot). Failing pages become warnings; only learning nothing at all is an error.
pub fn update<E: Display>(
    opts: &UpdateOptions,
    previous: Option<&Catalog>,
    mut fetch: impl FnMut(&str) -> Result<String, E>,
) -> Result<UpdateReport, UpdateError> {
    let base = opts.base_url.trim_end_matches('/');
    let mut warnings = Vec::new();

    let chain = fetch_index_chain(
        &format!("{base}/index-windows.json"),
        &mut fetch,
        MAX_INDEX_PAGES,
    );
    let mut requests = chain.requests;
    warnings.extend(chain.warnings);
    let index: Vec<Entry> = chain
        .entries
        .into_iter()
        .map(|e| canonical(e, base))
        .collect();

    let listing_url = format!("{base}/");
    requests += 1;
    let dirs = match fetch(&listing_url) {
        Ok(html) => Ok(parse_directory_listing(&html)),
        Err(e) => {
            let msg = format!("could not read {listing_url}: {e}");
            warnings.push(msg.clone());
            Err(msg)
        }
    };
    if let (false, Err(listing_error)) = (chain.first_page_ok, &dirs) {
        let index_error = chain.first_error.unwrap_or_default();
        return Err(UpdateError::NothingFetched {
            base: base.to_string(),
            reason: format!("{index_error}; {listing_error}"),
        });
    }
    let dirs = dirs.unwrap_or_default();

    // Folders whose files are already known.
    let mut known: HashSet<String> = HashSet::new();
    let previous_entries: Vec<Entry> = previous
        .map(|p| {
            p.entries()
                .iter()
                .cloned()
                .map(|e| canonical(e, base))
                .collect()
        })
        .unwrap_or_default();
    let previous_source_only: Vec<String> = previous
        .map(|p| p.source_only().map(str::to_string).collect())
        .unwrap_or_default();
    let mut unindexed: Vec<String> = previous
        .map(|p| p.unindexed().map(str::to_string).collect())
        .unwrap_or_default();
    known.extend(previous_entries.iter().filter_map(Entry::release_dir));
    known.extend(previous_source_only.iter().cloned());
    // Folders the index covers: its files are on python.org in that folder. An `X.Y.0`
    // folder also holds the pre-releases, which the index has only from 3.14 on, so it
    // counts as covered only when the index has a pre-release in it.
    let (mut in_index, mut pre_in_index) = (HashSet::new(), HashSet::new());
    for e in &index {
        let Some(dir) = index_dir(&e.url, DEFAULT_BASE) else {
            continue;
        };
        if e.prerelease {
            pre_in_index.insert(dir.clone());
        }
        in_index.insert(dir);
    }
    let covered = |d: &String| {
        known.contains(d)
            || (in_index.contains(d) && (!holds_prereleases(d) || pre_in_index.contains(d)))
    };
    let mut to_read: Vec<&String> = dirs.iter().filter(|d| !covered(d)).collect();
    to_read.sort_by(|a, b| cmp_names(b, a));
    let pages_left = to_read.len().saturating_sub(opts.max_pages);
    if pages_left > 0 {
        warnings.push(format!(
            "{pages_left} version folders not read (limit of {} per update); run update again to read them",
            opts.max_pages
        ));
    }

    let mut listed = Vec::new();
    let mut source_only = previous_source_only;
    for dir in to_read.into_iter().take(opts.max_pages) {
        let url = format!("{base}/{dir}/");
        requests += 1;
        match fetch(&url) {
            Ok(html) => {
                let found: Vec<Entry> = parse_version_page(&html, &url)
                    .into_iter()
                    .map(|e| canonical(e, base))
                    .collect();
                // A release folder with no Windows file at all: a source-only release.
                if found.is_empty() && is_release_number(dir) {
                    if has_windows_package(&html) {
                        unindexed.push(dir.clone());
                        // Not source-only: its Windows files are ones only the index
                        // describes (zips, NuGet), and the index does not list this folder.
                        warnings.push(format!(
                            "{url} holds Windows packages that {} installs only when the index (index-windows.json) lists them, and it does not",
                            pyv_core::prog::name()
                        ));
                    } else {
                        source_only.push(dir.clone());
                    }
                }
                listed.extend(found);
            }
            Err(e) => warnings.push(format!("could not read {url}: {e}")),
        }
    }

    let catalog = merge::merge(DEFAULT_BASE, previous_entries, listed, index, source_only)
        .with_unindexed(unindexed);
    Ok(UpdateReport {
        catalog,
        warnings,
        requests,
        pages_left,
    })
}

/// `3.12.4` of `<base>/3.12.4/python-3.12.4-amd64.zip`.
fn index_dir(url: &str, base: &str) -> Option<String> {
    let rest = url.strip_prefix(base)?.strip_prefix('/')?;
    let (dir, _) = rest.split_once('/')?;
    Some(dir.to_string())
}

/// `3.10.0` and two-part folders such as `3.0` hold the pre-releases of their version.
fn holds_prereleases(dir: &str) -> bool {
    match release_dir_of(dir) {
        Some(r) => {
            let parts: Vec<&str> = r.split('.').collect();
            parts.len() < 3 || parts[2] == "0"
        }
        None => false,
    }
}

/// A plain release number (`3.10.12`, `3.0`), not a pre-release folder name.
fn is_release_number(dir: &str) -> bool {
    !dir.is_empty()
        && dir
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{store, xml, LookupError, PackageKind};
    use pyv_core::Arch;
    use std::path::Path;

    fn fixture(rel: &str) -> Option<String> {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(rel),
        )
        .ok()
    }

    /// Serves `base` from the fixtures: the index files, `listing/index.html` for the
    /// folder listing and `listing/<dir>.html` for version pages; anything else is a 404.
    fn fake_server(base: &str) -> impl FnMut(&str) -> Result<String, String> + '_ {
        move |url: &str| {
            let rel = url
                .strip_prefix(base)
                .ok_or_else(|| format!("unexpected host in {url}"))?;
            let file = match rel {
                "/" => "listing/index.html".to_string(),
                r if r.starts_with("/index-windows") => r[1..].to_string(),
                r => format!("listing/{}.html", r.trim_matches('/')),
            };
            fixture(&file).ok_or_else(|| "404 Not Found".to_string())
        }
    }

    fn record<'a>(
        log: &'a mut Vec<String>,
        mut f: impl FnMut(&str) -> Result<String, String> + 'a,
    ) -> impl FnMut(&str) -> Result<String, String> + 'a {
        move |u: &str| {
            log.push(u.to_string());
            f(u)
        }
    }

    #[test]
    fn a_folder_holding_only_a_zip_is_not_source_only() {
        let base = "https://mirror.example/python";
        let r = update(&UpdateOptions::new(base.to_string()), None, |url: &str| {
            match &url[base.len()..] {
                "/" => Ok(r#"<a href="3.12.99/">3.12.99/</a> <a href="3.12.98/">3.12.98/</a>"#.to_string()),
                "/3.12.99/" => Ok(r#"<a href="Python-3.12.99.tgz">s</a> <a href="python-3.12.99-amd64.zip">z</a>"#.to_string()),
                "/3.12.98/" => Ok(r#"<a href="Python-3.12.98.tgz">s</a>"#.to_string()),
                _ => Err("404 Not Found".to_string()),
            }
        })
        .unwrap();
        assert_eq!(r.catalog.source_only().collect::<Vec<_>>(), ["3.12.98"]);
        assert_eq!(r.catalog.unindexed().collect::<Vec<_>>(), ["3.12.99"]);
        // Kept across a save and load, and by the next update.
        let dir =
            std::env::temp_dir().join(format!("pyv-catalog-unindexed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let xml = dir.join(".versions_cache.xml");
        crate::save(&r.catalog, &xml).unwrap();
        let loaded = crate::load(&xml).catalog;
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(loaded.unindexed().collect::<Vec<_>>(), ["3.12.99"]);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.starts_with(&format!("{base}/3.12.99/ holds Windows packages that"))),
            "{:?}",
            r.warnings
        );
        // What `install 3.12.99` says then: lookup.rs `unindexed_folders_are_explained`.
    }

    #[test]
    fn fresh_update_reads_only_uncovered_folders() {
        let mut log = Vec::new();
        let r = update(
            &UpdateOptions::default(),
            None,
            record(&mut log, fake_server(DEFAULT_BASE)),
        )
        .unwrap();
        let pages: Vec<&str> = log[4..].iter().map(|u| &u[DEFAULT_BASE.len()..]).collect();
        // Covered by the index: 3.12.4, 3.12.10, 3.14.4 and 3.15.0 (whose pre-releases it
        // has). Everything else is read newest first.
        assert_eq!(
            pages,
            [
                "/3.12.11/",
                "/3.10.18/",
                "/3.10.12/",
                "/3.10.11/",
                "/3.10.0/",
                "/3.9.13/",
                "/3.5.0/",
                "/3.4.10/",
                "/3.0/",
                "/2.7.18/",
                "/2.6.9/",
                "/2.5/",
                "/2.4.3/",
                "/2.4/"
            ]
        );
        assert_eq!(r.requests, 4 + 14);
        // 3.10.18 and 2.4.3 have no fixture page: warnings, not a failure.
        assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
        assert!(r.warnings[0].contains("3.10.18/: 404 Not Found"));
        let c = &r.catalog;

        // Index packages win, the pages supply the installers pyenv-win needs.
        let e = c.get("3.10.11").unwrap();
        assert_eq!(e.kind, PackageKind::Nupkg);
        assert_eq!(
            e.installer.as_ref().unwrap().file,
            "python-3.10.11-amd64.exe"
        );
        let e = c.get("3.14.4").unwrap();
        assert_eq!(
            (e.kind.clone(), e.sha256.is_some()),
            (PackageKind::Zip, true)
        );
        assert_eq!(
            e.installer.as_ref().unwrap().url,
            format!("{DEFAULT_BASE}/3.14.4/python-3.14.4-amd64.exe")
        );
        // The pages supply what the index lacks.
        assert_eq!(c.get("3.10.0a1").unwrap().kind, PackageKind::Exe);
        assert_eq!(c.get("2.5").unwrap().kind, PackageKind::Msi);
        assert_eq!(c.get("3.0a2").unwrap().file, "python-3.0a2.amd64.msi");
        assert!(c.get("3.5.0").unwrap().kind == PackageKind::Exe);
        assert_eq!(c.get("3.5.0rc4").unwrap().kind, PackageKind::WebInstallExe);
        // Folders without Windows files are source-only markers; failed pages are not.
        assert_eq!(
            c.source_only().collect::<Vec<_>>(),
            ["2.6.9", "3.4.10", "3.10.12", "3.12.11"]
        );
        assert_eq!(
            c.resolve(&"3.10.12".parse().unwrap(), Arch::Amd64)
                .unwrap_err()
                .to_string(),
            "3.10.12 has no Windows installer; the newest 3.10 with one is 3.10.11"
        );
        assert!(matches!(
            c.resolve(&"3.12.11".parse().unwrap(), Arch::Amd64),
            Err(LookupError::SourceOnly { .. })
        ));
        assert_eq!(
            c.resolve(&"3.12".parse().unwrap(), Arch::Amd64)
                .unwrap()
                .name,
            "3.12.10"
        );
    }

    #[test]
    fn update_over_the_snapshot_reads_only_new_folders() {
        let previous = store::snapshot();
        let mut log = Vec::new();
        let r = update(
            &UpdateOptions::default(),
            Some(&previous),
            record(&mut log, fake_server(DEFAULT_BASE)),
        )
        .unwrap();
        let pages: Vec<&str> = log[4..].iter().map(|u| &u[DEFAULT_BASE.len()..]).collect();
        // 3.10.12 and 3.12.11 are source-only in the snapshot's seed; the rest is known.
        assert_eq!(pages, ["/3.10.18/", "/3.4.10/", "/2.6.9/"]);
        assert_eq!(r.catalog.len(), previous.len());
        let added: Vec<&str> = r.catalog.source_only().collect();
        assert!(
            added.contains(&"2.6.9") && added.contains(&"3.4.10"),
            "{added:?}"
        );
        // pyenv-win's view of the catalog is unchanged by an update that found nothing new.
        assert_eq!(xml::write(r.catalog.entries()), previous.to_xml());
    }

    #[test]
    fn mirror_base_is_read_and_the_catalog_keeps_canonical_urls() {
        let mirror = "https://mirror.example/python";
        let opts = UpdateOptions::new(format!("{mirror}/"));
        assert_eq!(opts.base_url, mirror);
        let mut log = Vec::new();
        let r = update(
            &opts,
            Some(&store::snapshot()),
            record(&mut log, fake_server(mirror)),
        )
        .unwrap();
        assert!(log.iter().all(|u| u.starts_with(mirror)), "{log:?}");
        assert_eq!(log[0], format!("{mirror}/index-windows.json"));
        let c = &r.catalog;
        let e = c.get("3.14.4").unwrap();
        // Read from the mirror, stored as python.org's: `install` applies the mirror in force.
        assert_eq!(
            e.url,
            format!("{DEFAULT_BASE}/3.14.4/python-3.14.4-amd64.zip")
        );
        assert_eq!(
            mirror_url(&e.url, mirror),
            format!("{mirror}/3.14.4/python-3.14.4-amd64.zip")
        );
        assert_eq!(
            e.installer.as_ref().unwrap().url,
            format!("{DEFAULT_BASE}/3.14.4/python-3.14.4-amd64.exe")
        );
        // NuGet and PyPy are not python.org's /ftp/python: left alone.
        assert!(c
            .get("3.10.11")
            .unwrap()
            .url
            .starts_with("https://api.nuget.org/"));
        assert!(c
            .get("pypy3.10-v7.3.17-win64")
            .unwrap()
            .url
            .starts_with("https://downloads.python.org/pypy/"));
        assert_eq!(
            canonical_url(&format!("{mirror}/2.4/python-2.4.msi"), mirror),
            format!("{DEFAULT_BASE}/2.4/python-2.4.msi")
        );
        assert_eq!(
            mirror_url("https://www.python.org/ftp/pythonx/a", mirror),
            "https://www.python.org/ftp/pythonx/a"
        );
        assert_eq!(
            mirror_url(&format!("{DEFAULT_BASE}/a"), DEFAULT_BASE),
            format!("{DEFAULT_BASE}/a")
        );
    }

    #[test]
    fn partial_and_total_failures() {
        // No index (an old mirror): the listing alone still updates.
        let mut no_index = |u: &str| -> Result<String, String> {
            if u.contains("index-windows") {
                Err("404 Not Found".into())
            } else {
                fake_server(DEFAULT_BASE)(u)
            }
        };
        let r = update(&UpdateOptions::default(), None, &mut no_index).unwrap();
        assert_eq!(r.catalog.get("3.10.11").unwrap().kind, PackageKind::Exe);
        assert!(r.warnings[0].contains("index-windows.json: 404"));

        // Nothing readable: an error naming the base and both failures.
        let down = |_: &str| -> Result<String, String> { Err("connection refused".into()) };
        let err = update(&UpdateOptions::default(), None, down)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "could not read the version list from https://www.python.org/ftp/python ("
            ),
            "{err}"
        );
        assert!(err.matches("connection refused").count() == 2, "{err}");
    }

    #[test]
    fn page_reads_are_bounded() {
        let mut log = Vec::new();
        let opts = UpdateOptions {
            max_pages: 3,
            ..UpdateOptions::default()
        };
        let r = update(&opts, None, record(&mut log, fake_server(DEFAULT_BASE))).unwrap();
        assert_eq!(log.len(), 4 + 3);
        assert_eq!(r.pages_left, 11);
        assert!(
            r.warnings[0].starts_with("11 version folders not read (limit of 3"),
            "{:?}",
            r.warnings
        );
    }
}
