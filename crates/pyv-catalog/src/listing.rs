//! python.org's `/ftp/python/` directory listing (Apache-style HTML) and the per-version
//! pages under it, read the way pyenv-win's `pyenv update` reads them: folders named like
//! versions, and installer files matching pyenv-win's file pattern.

use super::entry::{Artifact, Entry, PackageKind};
use regex::Regex;
use std::sync::LazyLock;
use url::Url;

/// Every link target on the page. Apache listings write `<a href="3.12.4/">`; a regex
/// over the anchors is all these machine-made pages need (no HTML parser).
// The patterns are constants, compiled (and so checked) by every test run.
#[allow(clippy::expect_used)]
static HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#)
        .expect("static regex")
});

/// pyenv-win's folder pattern (`pyenv-update.vbs`).
#[allow(clippy::expect_used)]
static DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[a-z]+\d*)?$").expect("static regex")
});

/// pyenv-win's installer file pattern (`regexFile` in `pyenv-install-lib.vbs`).
#[allow(clippy::expect_used)]
static FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^python-(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:([a-z]+)(\d*))?([\.-]amd64)?([\.-]arm64)?(-webinstall)?\.(exe|msi)$",
    )
    .expect("static regex")
});

fn hrefs(html: &str) -> impl Iterator<Item = &str> {
    HREF.captures_iter(html).filter_map(|c| {
        c.get(1)
            .or_else(|| c.get(2))
            .or_else(|| c.get(3))
            .map(|m| m.as_str().trim())
    })
}

/// The last path segment of a link, without query or fragment.
fn last_segment(href: &str) -> &str {
    let href = href.split(['?', '#']).next().unwrap_or("");
    href.rsplit('/').next().unwrap_or("")
}

/// Version folders of the top listing (`3.12.4`, `3.0`, `2.7.18`), in page order and
/// without duplicates; folders of versions before 2.4 are left out (pyenv-win drops
/// their Wise installers).
pub fn parse_directory_listing(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for href in hrefs(html) {
        let Some(dir) = href
            .split(['?', '#'])
            .next()
            .and_then(|h| h.strip_suffix('/'))
        else {
            continue;
        };
        let name = last_segment(dir);
        let Some(c) = DIR.captures(name) else {
            continue;
        };
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        if (num(1), num(2).unwrap_or(0)) < (Some(2), 4) {
            continue;
        }
        if !out.iter().any(|d| d == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// The pyenv-win entry a python.org installer file stands for, with its URL; `None`
/// for files that are not Windows installers or are for versions before 2.4.
/// `python-3.9.4-amd64.exe` → `3.9.4`, `python-3.9.4.exe` → `3.9.4-win32`,
/// `python-3.11.0a5-arm64.exe` → `3.11.0a5-arm`, `python-2.5.amd64.msi` → `2.5`.
pub fn entry_from_file(file: &str, url: String) -> Option<Entry> {
    let c = FILE.captures(file)?;
    let part = |i: usize| c.get(i).map_or("", |m| m.as_str());
    let major: u32 = part(1).parse().ok()?;
    let minor: u32 = part(2).parse().unwrap_or(0);
    if (major, minor) < (2, 4) {
        return None;
    }
    let mut name = part(1).to_string();
    for i in [2, 3] {
        if !part(i).is_empty() {
            name.push('.');
            name.push_str(part(i));
        }
    }
    name.push_str(part(4));
    name.push_str(part(5));
    let (amd64, arm64) = (!part(6).is_empty(), !part(7).is_empty());
    if arm64 {
        name.push_str("-arm");
    } else if !amd64 {
        name.push_str("-win32");
    }
    let kind = if part(9).eq_ignore_ascii_case("msi") {
        PackageKind::Msi
    } else if !part(8).is_empty() {
        PackageKind::WebInstallExe
    } else {
        PackageKind::Exe
    };
    let mut e = Entry::new(
        name,
        Artifact {
            file: file.to_string(),
            url,
            kind,
            sha256: None,
        },
    );
    e.x64 = amd64 || arm64;
    Some(e)
}

/// Whether a version page links any Windows package at all (an installer, an MSI, a zip,
/// a NuGet package), recognised by pyv or not. A release folder with none is source-only;
/// one holding, say, a zip the index does not list is not.
pub fn has_windows_package(html: &str) -> bool {
    const WINDOWS: [&str; 5] = [".exe", ".msi", ".zip", ".nupkg", ".msix"];
    hrefs(html).any(|href| {
        let file = last_segment(href).to_ascii_lowercase();
        WINDOWS.iter().any(|ext| file.ends_with(ext))
    })
}

/// The installers on one version page (`<base>/3.12.4/`), links resolved against
/// `page_url`. A web installer is kept only when the page has no offline installer of
/// the same name, as pyenv-win does; otherwise the first file of a name wins.
pub fn parse_version_page(html: &str, page_url: &str) -> Vec<Entry> {
    let Ok(base) = Url::parse(page_url) else {
        return Vec::new();
    };
    let mut out: Vec<Entry> = Vec::new();
    for href in hrefs(html) {
        let file = last_segment(href);
        if file.is_empty() || !FILE.is_match(file) {
            continue;
        }
        let Ok(url) = base.join(href) else {
            continue;
        };
        let Some(e) = entry_from_file(file, url.to_string()) else {
            continue;
        };
        match out.iter_mut().find(|o| o.name == e.name) {
            Some(o) if o.kind == PackageKind::WebInstallExe && e.kind != o.kind => *o = e,
            Some(_) => {}
            None => out.push(e),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_listing(name: &str) -> String {
        crate::fixture(&format!("listing/{name}"))
    }
    use pyv_core::Arch;

    const BASE: &str = "https://www.python.org/ftp/python";

    #[test]
    fn top_listing_gives_version_folders() {
        let dirs = parse_directory_listing(&fixture_listing("index.html"));
        assert_eq!(
            dirs,
            [
                "2.4", "2.4.3", "2.5", "2.6.9", "2.7.18", "3.0", "3.4.10", "3.5.0", "3.9.13",
                "3.10.0", "3.10.11", "3.10.12", "3.10.18", "3.12.4", "3.12.10", "3.12.11",
                "3.14.4", "3.15.0"
            ]
        );
    }

    #[test]
    fn file_names_map_to_pyenv_win_names() {
        let cases = [
            ("python-3.9.4-amd64.exe", "3.9.4", PackageKind::Exe, true),
            ("python-3.9.4.exe", "3.9.4-win32", PackageKind::Exe, false),
            (
                "python-3.11.0a5-arm64.exe",
                "3.11.0a5-arm",
                PackageKind::Exe,
                true,
            ),
            ("python-2.5.amd64.msi", "2.5", PackageKind::Msi, true),
            (
                "python-2.4.3c1.msi",
                "2.4.3c1-win32",
                PackageKind::Msi,
                false,
            ),
            ("python-3.0a1.msi", "3.0a1-win32", PackageKind::Msi, false),
            (
                "python-3.5.0-amd64-webinstall.exe",
                "3.5.0",
                PackageKind::WebInstallExe,
                true,
            ),
            ("Python-3.6.0-AMD64.EXE", "3.6.0", PackageKind::Exe, true),
        ];
        for (file, name, kind, x64) in cases {
            let e = entry_from_file(file, format!("{BASE}/x/{file}")).unwrap();
            assert_eq!(
                (e.name.as_str(), e.kind, e.x64),
                (name, kind, x64),
                "{file}"
            );
        }
        for not in [
            "python-2.3.5.exe",
            "python-2.3.msi",
            "python-3.12.4-embed-amd64.zip",
            "python-3.12.4-amd64.exe.asc",
            "python-2.6.ia64.msi",
            "Python-3.12.4.tar.xz",
            "python-3.12.4-amd64.zip",
            "python-3.12.4.chm",
        ] {
            assert!(entry_from_file(not, String::new()).is_none(), "{not}");
        }
    }

    #[test]
    fn version_page_keeps_installers_and_drops_web_twins() {
        let url = format!("{BASE}/3.5.0/");
        let entries = parse_version_page(&fixture_listing("3.5.0.html"), &url);
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "3.5.0",
                "3.5.0-win32",
                "3.5.0a1",
                "3.5.0a1-win32",
                "3.5.0rc4"
            ]
        );
        let e = &entries[0];
        assert_eq!(e.file, "python-3.5.0-amd64.exe");
        assert_eq!(e.url, format!("{BASE}/3.5.0/python-3.5.0-amd64.exe"));
        assert_eq!((e.kind.clone(), e.arch), (PackageKind::Exe, Arch::Amd64));
        // A web installer without an offline twin stays.
        assert_eq!(entries[4].kind, PackageKind::WebInstallExe);
        assert_eq!(entries[4].file, "python-3.5.0rc4-amd64-webinstall.exe");
    }

    #[test]
    fn msi_page_and_source_only_page() {
        let entries = parse_version_page(&fixture_listing("2.5.html"), &format!("{BASE}/2.5/"));
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["2.5", "2.5-win32"],
            "page order; ia64 is not pyenv-win's"
        );
        assert_eq!(entries[0].file, "python-2.5.amd64.msi");
        assert!(entries.iter().all(|e| e.kind == PackageKind::Msi));

        let none = parse_version_page(
            &fixture_listing("3.10.12.html"),
            &format!("{BASE}/3.10.12/"),
        );
        assert!(none.is_empty());
        assert!(!has_windows_package(&fixture_listing("3.10.12.html")));
        // A zip pyv's listing does not turn into an entry still makes it a Windows release.
        let zip_only =
            r#"<a href="Python-3.12.99.tgz">s</a> <a href="python-3.12.99-AMD64.ZIP">z</a>"#;
        assert!(parse_version_page(zip_only, &format!("{BASE}/3.12.99/")).is_empty());
        assert!(has_windows_package(zip_only));
    }

    #[test]
    fn links_resolve_against_a_mirror_page() {
        let html = r#"<a href="python-3.12.4-amd64.exe">x</a>
            <a href='/elsewhere/python-3.12.4.exe'>y</a>
            <A HREF=python-3.12.4-arm64.exe>z</A>"#;
        let entries = parse_version_page(html, "https://mirror.example/python/3.12.4/");
        let urls: Vec<&str> = entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://mirror.example/python/3.12.4/python-3.12.4-amd64.exe",
                "https://mirror.example/elsewhere/python-3.12.4.exe",
                "https://mirror.example/python/3.12.4/python-3.12.4-arm64.exe",
            ]
        );
        assert!(parse_version_page(html, "not a url").is_empty());
    }
}
