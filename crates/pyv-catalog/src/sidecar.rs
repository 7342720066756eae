//! pyv's sidecar to `.versions_cache.xml`: `.pyv-catalog.json` in the same folder.
//!
//! pyenv-win validates its cache against a fixed schema with no room for hashes or
//! package kinds it cannot install, so what only pyv uses lives beside it:
//!
//! ```json
//! {
//!   "format": "pyv-catalog",
//!   "version": 1,
//!   "packages": [
//!     {"name": "3.12.4", "kind": "zip", "file": "python-3.12.4-amd64.zip",
//!      "url": "https://www.python.org/ftp/python/3.12.4/python-3.12.4-amd64.zip",
//!      "sha256": "35b4…"},
//!     {"name": "3.13.0t", "kind": "zip", "file": "python-3.13.0t-amd64.zip", "url": "…", "sha256": "…"}
//!   ],
//!   "source_only": ["3.10.12", "3.12.11"]
//! }
//! ```
//!
//! A package overrides the XML entry of the same name (whose installer is then kept as
//! the entry's `installer`) or adds a name pyenv-win cannot install (free-threaded and
//! NuGet-only ARM64 builds). `source_only` lists releases python.org published without
//! Windows files. JSON rather than another XML so that pyenv-win's schema check never
//! sees it; one file so that XML + sidecar are two renames, each atomic. A sidecar
//! without its XML is ignored, and an XML without a sidecar is a plain pyenv-win cache,
//! so either tool may rewrite the XML alone without breaking the other.

use super::entry::{is_sha256_hex, Artifact, Entry, PackageKind};
use super::Catalog;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const SIDECAR_FILE: &str = ".pyv-catalog.json";
const FORMAT: &str = "pyv-catalog";
const VERSION: u32 = 1;

/// Where the sidecar of the cache at `xml_path` lives.
pub fn sidecar_path(xml_path: &Path) -> PathBuf {
    xml_path.with_file_name(SIDECAR_FILE)
}

#[derive(Serialize, Deserialize)]
struct SidecarFile {
    format: String,
    version: u32,
    #[serde(default)]
    packages: Vec<Package>,
    #[serde(default)]
    source_only: Vec<String>,
    /// Release folders with Windows packages the index does not list (`Catalog::unindexed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    unindexed: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Package {
    name: String,
    kind: String,
    file: String,
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zip_root_dir: Option<String>,
}

fn kind_str(k: &PackageKind) -> &'static str {
    match k {
        PackageKind::Zip => "zip",
        PackageKind::Nupkg => "nupkg",
        PackageKind::Msi => "msi",
        PackageKind::Exe => "exe",
        PackageKind::WebInstallExe => "webinstall",
        PackageKind::ZipWithRoot { .. } => "zip-root",
    }
}

fn kind_of(p: &Package) -> Option<PackageKind> {
    Some(match p.kind.as_str() {
        "zip" => PackageKind::Zip,
        "nupkg" => PackageKind::Nupkg,
        "msi" => PackageKind::Msi,
        "exe" => PackageKind::Exe,
        "webinstall" => PackageKind::WebInstallExe,
        "zip-root" => PackageKind::ZipWithRoot {
            zip_root_dir: p.zip_root_dir.clone().filter(|r| !r.is_empty())?,
        },
        _ => return None,
    })
}

/// Whether the XML alone cannot carry what pyv knows about `e`.
fn needs_sidecar(e: &Entry) -> bool {
    e.installer.is_some() || !e.kind.pyenv_win_installable() || e.sha256.is_some()
}

/// The sidecar of `catalog`, pretty-printed (one package per few lines, diffable).
pub fn write(catalog: &Catalog) -> String {
    let file = SidecarFile {
        format: FORMAT.into(),
        version: VERSION,
        packages: catalog
            .entries()
            .iter()
            .filter(|e| needs_sidecar(e))
            .map(|e| Package {
                name: e.name.clone(),
                kind: kind_str(&e.kind).into(),
                file: e.file.clone(),
                url: e.url.clone(),
                sha256: e.sha256.clone(),
                zip_root_dir: match &e.kind {
                    PackageKind::ZipWithRoot { zip_root_dir } => Some(zip_root_dir.clone()),
                    _ => None,
                },
            })
            .collect(),
        source_only: catalog.source_only().map(str::to_string).collect(),
        unindexed: catalog.unindexed().map(str::to_string).collect(),
    };
    // Serializing plain strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
    s.push('\n');
    s
}

/// Lays the sidecar `json` over the entries of the XML. The error is a one-line reason.
pub fn combine(xml_entries: Vec<Entry>, json: &str) -> Result<Catalog, String> {
    let file: SidecarFile = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if file.format != FORMAT || file.version != VERSION {
        return Err(format!(
            "format '{}' version {}, expected '{FORMAT}' version {VERSION}",
            file.format, file.version
        ));
    }
    let mut entries = xml_entries;
    let mut at: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.clone(), i))
        .collect();
    for p in file.packages {
        let kind =
            kind_of(&p).ok_or_else(|| format!("package {}: unknown kind '{}'", p.name, p.kind))?;
        if !pyv_core::name::is_valid_name(&p.name) {
            return Err(format!("package name '{}' is not a version name", p.name));
        }
        if !(p.url.starts_with("https://") || p.url.starts_with("http://")) || p.file.is_empty() {
            return Err(format!("package {}: bad url or file", p.name));
        }
        if let Some(h) = &p.sha256 {
            if !is_sha256_hex(h) {
                return Err(format!("package {}: sha256 is not 64 hex digits", p.name));
            }
        }
        let artifact = Artifact {
            file: p.file,
            url: p.url,
            kind,
            sha256: p.sha256.map(|h| h.to_ascii_lowercase()),
        };
        match at.get(&p.name) {
            Some(&i) => {
                let e = &mut entries[i];
                let xml_artifact = e.artifact();
                e.installer = (xml_artifact.url != artifact.url).then_some(xml_artifact);
                e.set_artifact(artifact);
            }
            None => {
                at.insert(p.name.clone(), entries.len());
                entries.push(Entry::new(p.name, artifact));
            }
        }
    }
    Ok(Catalog::new(entries, file.source_only).with_unindexed(file.unindexed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml;

    fn art(file: &str, sha: Option<&str>) -> Artifact {
        Artifact {
            file: file.into(),
            url: format!("https://www.python.org/ftp/python/x/{file}"),
            kind: PackageKind::from_file_name(file).unwrap(),
            sha256: sha.map(str::to_string),
        }
    }

    fn sample() -> Catalog {
        let mut zip = Entry::new(
            "3.12.4",
            art("python-3.12.4-amd64.zip", Some(&"a1".repeat(32))),
        );
        zip.installer = Some(art("python-3.12.4-amd64.exe", None));
        let ft = Entry::new(
            "3.13.0t",
            art("python-3.13.0t-amd64.zip", Some(&"b2".repeat(32))),
        );
        let msi = Entry::new("2.7.18-win32", art("python-2.7.18.msi", None));
        let mut pypy = Entry::new(
            "pypy3.10-v7.3.17-win64",
            art("pypy3.10-v7.3.17-win64.zip", None),
        );
        pypy.kind = PackageKind::ZipWithRoot {
            zip_root_dir: "pypy3.10-v7.3.17-win64".into(),
        };
        let nupkg = Entry::new("3.10.11-arm", art("pythonarm64.3.10.11.nupkg", None));
        Catalog::new(vec![zip, ft, msi, pypy, nupkg], ["3.10.12".to_string()])
    }

    #[test]
    fn xml_plus_sidecar_round_trip() {
        let c = sample();
        let xml_text = xml::write(c.entries());
        // pyenv-win sees only what it can install, with its installer for 3.12.4.
        let codes: Vec<Entry> = xml::read(&xml_text).unwrap();
        let names: Vec<&str> = codes.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["2.7.18-win32", "3.12.4", "pypy3.10-v7.3.17-win64"]);
        assert_eq!(codes[1].file, "python-3.12.4-amd64.exe");

        let json = write(&c);
        assert!(
            json.contains("\"source_only\": [\n    \"3.10.12\"\n  ]"),
            "{json}"
        );
        let back = combine(codes, &json).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn sidecar_survives_pyenv_win_rewriting_the_xml() {
        // pyenv-win's update writes its own entries; the sidecar still applies by name.
        let theirs = vec![
            Entry::new("3.12.4", art("python-3.12.4-amd64.exe", None)),
            Entry::new("3.12.5", art("python-3.12.5-amd64.exe", None)),
        ];
        let c = combine(theirs, &write(&sample())).unwrap();
        assert_eq!(c.get("3.12.4").unwrap().kind, PackageKind::Zip);
        assert_eq!(c.get("3.12.5").unwrap().kind, PackageKind::Exe);
        assert!(c.get("3.13.0t").is_some());
    }

    #[test]
    fn rejects_bad_sidecars() {
        let good = write(&sample());
        for (bad, why) in [
            ("{", "EOF"),
            (r#"{"format": "other", "version": 1}"#, "format"),
            (r#"{"format": "pyv-catalog", "version": 2}"#, "version 2"),
            (
                r#"{"format": "pyv-catalog", "version": 1, "packages": [{"name": "../x", "kind": "zip", "file": "f.zip", "url": "https://h/f.zip"}]}"#,
                "not a version name",
            ),
            (
                r#"{"format": "pyv-catalog", "version": 1, "packages": [{"name": "3.1.1", "kind": "tar", "file": "f", "url": "https://h/f"}]}"#,
                "unknown kind",
            ),
            (
                r#"{"format": "pyv-catalog", "version": 1, "packages": [{"name": "3.1.1", "kind": "zip", "file": "f", "url": "https://h/f", "sha256": "xyz"}]}"#,
                "sha256",
            ),
            (
                r#"{"format": "pyv-catalog", "version": 1, "packages": [{"name": "3.1.1", "kind": "zip", "file": "f", "url": "file:///f"}]}"#,
                "bad url",
            ),
        ] {
            let err = combine(vec![], bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
        assert!(combine(vec![], &good).is_ok());
    }
}
