//! python.org's Windows index (`index-windows.json` → `next` → `-recent` → `-legacy`),
//! the feed of PyManager: hashed runtime zips for 3.11+ and NuGet packages for
//! 2.7.18 and 3.5.2–3.10.11. Only `PythonCore` packages are kept (not the embeddable
//! or test ones), under pyenv-win's names.

use super::entry::{is_sha256_hex, Artifact, Entry, PackageKind};
use pyv_core::name::CPython;
use pyv_core::Arch;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use url::Url;

/// One page of the index: its packages and the absolute URL of the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPage {
    pub entries: Vec<Entry>,
    pub next: Option<String>,
    /// Packages of other companies (embeddable, test) and unreadable ones, left out.
    pub skipped: usize,
}

#[derive(Deserialize)]
struct RawIndex {
    #[serde(default)]
    versions: Vec<serde_json::Value>,
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct RawVersion {
    #[serde(default)]
    company: String,
    tag: String,
    #[serde(rename = "sort-version")]
    sort_version: String,
    url: String,
    #[serde(default)]
    hash: HashMap<String, String>,
}

/// Parses one index page fetched from `index_url`; relative `url` and `next` values are
/// resolved against it, as PyManager does. The error is a one-line description.
pub fn parse_index(json: &str, index_url: &str) -> Result<IndexPage, String> {
    let base = Url::parse(index_url).map_err(|e| format!("bad index URL {index_url}: {e}"))?;
    let raw: RawIndex = serde_json::from_str(json).map_err(|e| format!("not an index: {e}"))?;
    let mut page = IndexPage {
        entries: Vec::new(),
        next: None,
        skipped: 0,
    };
    for v in raw.versions {
        match serde_json::from_value::<RawVersion>(v)
            .ok()
            .and_then(|v| entry_of(&v, &base))
        {
            Some(e) => page.entries.push(e),
            None => page.skipped += 1,
        }
    }
    if let Some(next) = raw.next.filter(|n| !n.trim().is_empty()) {
        let next = base
            .join(next.trim())
            .map_err(|e| format!("bad next URL {next}: {e}"))?;
        page.next = Some(next.to_string());
    }
    Ok(page)
}

/// Maps one package to pyenv-win's naming: tag `3.14-64` → `3.14.4`, `3.14-32` →
/// `3.14.4-win32`, `3.14-arm64` → `3.14.4-arm`, `3.14t-64` → `3.14.4t`.
fn entry_of(v: &RawVersion, base: &Url) -> Option<Entry> {
    if v.company != "PythonCore" {
        return None;
    }
    let (tag_version, platform) = v.tag.rsplit_once('-')?;
    let suffix = match platform {
        "64" => Arch::Amd64,
        "32" => Arch::X86,
        "arm64" => Arch::Arm64,
        _ => return None,
    }
    .suffix();
    // `3.15t-dev` and `3.14t`: the first part of the tag says free-threaded.
    let freethreaded = tag_version
        .split('-')
        .next()
        .is_some_and(|t| t.ends_with('t'));
    let sort_version = v.sort_version.trim();
    let plain = CPython::parse(sort_version)?;
    if plain.explicit_arch || plain.freethreaded || plain.release.len() < 2 {
        return None;
    }
    let name = format!(
        "{sort_version}{}{suffix}",
        if freethreaded { "t" } else { "" }
    );
    let url = base.join(v.url.trim()).ok()?;
    if !matches!(url.scheme(), "https" | "http") {
        return None;
    }
    let file = url.path_segments()?.next_back()?.to_string();
    let kind = PackageKind::from_file_name(&file)?;
    if !matches!(kind, PackageKind::Zip | PackageKind::Nupkg) {
        return None;
    }
    let sha256 = match v.hash.get("sha256") {
        // A malformed hash means a broken index: better no entry than an unverifiable one.
        Some(h) if !is_sha256_hex(h) => return None,
        Some(h) => Some(h.to_ascii_lowercase()),
        None => None,
    };
    Some(Entry::new(
        name,
        Artifact {
            file,
            url: url.to_string(),
            kind,
            sha256,
        },
    ))
}

/// The packages of a whole index chain and what went wrong on the way.
#[derive(Debug, Clone, Default)]
pub struct IndexChain {
    pub entries: Vec<Entry>,
    pub warnings: Vec<String>,
    /// Pages fetched (successfully or not).
    pub requests: usize,
    /// Whether the first page could be read; without it the chain gave nothing.
    pub first_page_ok: bool,
    /// Why the first page failed, when it did.
    pub first_error: Option<String>,
}

/// Most pages the chain may have; python.org's has three.
pub const MAX_INDEX_PAGES: usize = 16;

/// Fetches `first_url` and follows `next` links, at most `max_pages` pages and never the
/// same URL twice (a `next` cycle ends the chain with a warning). A name given by
/// several pages keeps the first page's package, as PyManager prefers earlier indexes.
pub fn fetch_index_chain<E: Display>(
    first_url: &str,
    fetch: &mut impl FnMut(&str) -> Result<String, E>,
    max_pages: usize,
) -> IndexChain {
    let mut chain = IndexChain::default();
    let mut seen_urls = HashSet::new();
    let mut seen_names = HashSet::new();
    let mut next = Some(first_url.to_string());
    while let Some(url) = next.take() {
        if !seen_urls.insert(url.clone()) {
            chain.warnings.push(format!(
                "index {url} was already read (a 'next' loop); stopped there"
            ));
            break;
        }
        if chain.requests >= max_pages {
            chain.warnings.push(format!(
                "index chain longer than {max_pages} pages; stopped before {url}"
            ));
            break;
        }
        chain.requests += 1;
        let first = chain.requests == 1;
        let page = fetch(&url)
            .map_err(|e| e.to_string())
            .and_then(|body| parse_index(&body, &url));
        match page {
            Ok(page) => {
                chain.first_page_ok |= first;
                for e in page.entries {
                    if seen_names.insert(e.name.clone()) {
                        chain.entries.push(e);
                    }
                }
                next = page.next;
            }
            Err(e) => {
                let msg = format!("could not read index {url}: {e}");
                if first {
                    chain.first_error = Some(msg.clone());
                }
                chain.warnings.push(msg);
            }
        }
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use pyv_core::Arch;

    const BASE: &str = "https://www.python.org/ftp/python";

    fn fixture_fetch(url: &str) -> Result<String, String> {
        let name = url
            .strip_prefix(BASE)
            .and_then(|p| p.strip_prefix('/'))
            .ok_or_else(|| format!("unexpected URL {url}"))?;
        if name.starts_with("index-windows") {
            Ok(fixture(name))
        } else {
            Err("404 Not Found".into())
        }
    }

    fn find<'a>(entries: &'a [Entry], name: &str) -> &'a Entry {
        entries
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("{name} missing"))
    }

    #[test]
    fn current_index_keeps_core_packages_with_pyenv_win_names() {
        let page = parse_index(
            &fixture("index-windows.json"),
            &format!("{BASE}/index-windows.json"),
        )
        .unwrap();
        assert_eq!(page.entries.len(), 24, "PythonCore only");
        assert_eq!(page.skipped, 30, "15 embeddable + 15 test packages");
        assert_eq!(
            page.next.as_deref(),
            Some("https://www.python.org/ftp/python/index-windows-recent.json")
        );
        let e = find(&page.entries, "3.14.4");
        assert_eq!(e.file, "python-3.14.4-amd64.zip");
        assert_eq!(
            e.url,
            "https://www.python.org/ftp/python/3.14.4/python-3.14.4-amd64.zip"
        );
        assert_eq!(e.kind, PackageKind::Zip);
        assert_eq!(
            e.sha256.as_deref(),
            Some("11a6f5f5e7defeaa67a0b8e797f0eabec6e4499e663815319a0e0d360091f906")
        );
        assert_eq!((e.arch, e.x64, e.freethreaded), (Arch::Amd64, true, false));
        let e = find(&page.entries, "3.14.4t-arm");
        assert_eq!(e.file, "python-3.14.4t-arm64.zip");
        assert!(e.freethreaded && e.arch == Arch::Arm64);
        let e = find(&page.entries, "3.15.0a8-win32");
        assert!(e.prerelease && e.arch == Arch::X86 && !e.x64);
        assert_eq!(e.file, "python-3.15.0a8-win32.zip");
        assert!(page
            .entries
            .iter()
            .all(|e| !e.file.contains("embeddable") && !e.file.contains("-test-")));
    }

    #[test]
    fn legacy_index_gives_nuget_packages_without_hashes() {
        let page = parse_index(
            &fixture("index-windows-legacy.json"),
            &format!("{BASE}/index-windows-legacy.json"),
        )
        .unwrap();
        assert_eq!(
            (page.entries.len(), page.skipped, page.next),
            (135, 0, None)
        );
        let e = find(&page.entries, "3.10.11-win32");
        assert_eq!(
            e.url,
            "https://api.nuget.org/v3-flatcontainer/pythonx86/3.10.11/pythonx86.3.10.11.nupkg"
        );
        assert_eq!(
            (e.kind.clone(), e.sha256.clone()),
            (PackageKind::Nupkg, None)
        );
        let e = find(&page.entries, "3.10.11-arm");
        assert_eq!(e.file, "pythonarm64.3.10.11.nupkg");
        // The package version 3.9.11.1 is still CPython 3.9.11.
        assert_eq!(find(&page.entries, "3.9.11").file, "python.3.9.11.1.nupkg");
        assert_eq!(
            find(&page.entries, "2.7.18").url,
            "https://globalcdn.nuget.org/packages/python2.2.7.18.nupkg"
        );
        assert_eq!(
            find(&page.entries, "2.7.18-win32").file,
            "python2x86.2.7.18.nupkg"
        );
    }

    #[test]
    fn whole_chain_from_the_real_files() {
        let mut fetched = Vec::new();
        let mut fetch = |u: &str| {
            fetched.push(u.to_string());
            fixture_fetch(u)
        };
        let chain = fetch_index_chain(
            &format!("{BASE}/index-windows.json"),
            &mut fetch,
            MAX_INDEX_PAGES,
        );
        assert_eq!(
            fetched,
            [
                format!("{BASE}/index-windows.json"),
                format!("{BASE}/index-windows-recent.json"),
                format!("{BASE}/index-windows-legacy.json"),
            ]
        );
        assert!(chain.first_page_ok && chain.warnings.is_empty());
        // 24 + 276 + 135 PythonCore packages; the current index repeats names of the
        // recent one, which count once.
        let names: HashSet<&str> = chain.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.len(), chain.entries.len());
        assert_eq!(chain.entries.len(), 435);
        assert!(chain
            .entries
            .iter()
            .all(|e| e.sha256.is_some() || e.kind == PackageKind::Nupkg));
    }

    #[test]
    fn relative_urls_resolve_against_the_index() {
        let json = r#"{"versions": [
            {"company": "PythonCore", "tag": "3.13-64", "sort-version": "3.13.1",
             "url": "3.13.1/python-3.13.1-amd64.zip", "hash": {"sha256": "AB00000000000000000000000000000000000000000000000000000000000000"}},
            {"company": "PythonCore", "tag": "3.13-32", "sort-version": "3.13.1",
             "url": "/other/python-3.13.1-win32.zip", "hash": {"sha256": "not-a-hash"}},
            {"company": "PythonCore", "tag": "3.13-sparc", "sort-version": "3.13.1", "url": "x.zip"},
            {"company": "PythonCore", "tag": "3.13-64", "sort-version": "3.13.1"},
            {"company": "PythonCore", "tag": "3.13-64", "sort-version": "3.13.1", "url": "file:///x.zip"},
            "not an object"
        ], "next": "../older/index.json"}"#;
        let page = parse_index(json, "https://mirror.example/py/ftp/index-windows.json").unwrap();
        assert_eq!(page.entries.len(), 1);
        assert_eq!(page.skipped, 5);
        assert_eq!(
            page.entries[0].url,
            "https://mirror.example/py/ftp/3.13.1/python-3.13.1-amd64.zip"
        );
        let lower = format!("ab{}", "0".repeat(62));
        assert_eq!(page.entries[0].sha256.as_deref(), Some(lower.as_str()));
        assert_eq!(
            page.next.as_deref(),
            Some("https://mirror.example/py/older/index.json")
        );
        assert!(parse_index("<html>", "https://x/i.json").is_err());
    }

    #[test]
    fn next_cycle_stops() {
        let mut n = 0;
        let mut fetch = |u: &str| -> Result<String, String> {
            n += 1;
            Ok(if u.ends_with("a.json") {
                r#"{"versions": [], "next": "b.json"}"#.into()
            } else {
                r#"{"versions": [], "next": "a.json"}"#.into()
            })
        };
        let chain = fetch_index_chain("https://h/a.json", &mut fetch, MAX_INDEX_PAGES);
        assert_eq!(chain.requests, 2);
        assert_eq!(chain.warnings.len(), 1);
        assert!(chain.warnings[0].contains("loop"), "{:?}", chain.warnings);

        // A chain that never repeats is cut by the page limit.
        let mut k = 0;
        let mut endless = |_: &str| -> Result<String, String> {
            k += 1;
            Ok(format!(r#"{{"versions": [], "next": "p{k}.json"}}"#))
        };
        let chain = fetch_index_chain("https://h/p0.json", &mut endless, 5);
        assert_eq!(chain.requests, 5);
        assert!(chain.warnings[0].contains("longer than 5"));
    }

    #[test]
    fn failing_pages_are_warnings() {
        let mut fetch = |u: &str| -> Result<String, String> {
            if u.ends_with("index-windows.json") {
                Ok(r#"{"versions": [], "next": "index-windows-recent.json"}"#.into())
            } else {
                Err("connection reset".into())
            }
        };
        let chain = fetch_index_chain(&format!("{BASE}/index-windows.json"), &mut fetch, 16);
        assert!(chain.first_page_ok);
        assert_eq!(chain.warnings.len(), 1);
        assert!(chain.warnings[0].contains("index-windows-recent.json: connection reset"));

        let mut down = |_: &str| -> Result<String, String> { Err("timed out".into()) };
        let chain = fetch_index_chain(&format!("{BASE}/index-windows.json"), &mut down, 16);
        assert!(!chain.first_page_ok);
        assert!(chain.first_error.unwrap().contains("timed out"));
    }
}
