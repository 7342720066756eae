//! pyenv-win's `.versions_cache.xml`: read it, and write it byte for byte the way
//! pyenv-win's own update writes it, so pyenv-win and pyv can share one root.

use super::entry::{Artifact, Entry, PackageKind};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use serde::Deserialize;

#[derive(Deserialize)]
struct Versions {
    #[serde(rename = "version", default)]
    versions: Vec<Version>,
}

/// One `<version>`; the attribute defaults are those of pyenv-win's schema
/// (`strDBSchema`: `x64` and `webInstall` false, `msi` true).
#[derive(Deserialize)]
struct Version {
    #[serde(rename = "@x64", default)]
    x64: bool,
    #[serde(rename = "@webInstall", default)]
    web_install: bool,
    #[serde(rename = "@msi", default = "yes")]
    msi: bool,
    code: String,
    file: String,
    #[serde(rename = "URL")]
    url: String,
    #[serde(rename = "zipRootDir", default)]
    zip_root_dir: Option<String>,
}

fn yes() -> bool {
    true
}

/// Reads the entries of a `.versions_cache.xml` in file order. A name listed twice
/// keeps its first place and its last definition, as pyenv-win's dictionary does.
/// The error is a one-line description of what is wrong.
pub fn read(xml: &str) -> Result<Vec<Entry>, String> {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let doc: Versions = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    let mut out: Vec<Entry> = Vec::with_capacity(doc.versions.len());
    let mut index = std::collections::HashMap::new();
    for (i, v) in doc.versions.into_iter().enumerate() {
        let code = v.code.trim().to_string();
        if code.is_empty() || v.url.trim().is_empty() || v.file.trim().is_empty() {
            return Err(format!(
                "entry {} has an empty <code>, <file> or <URL>",
                i + 1
            ));
        }
        let kind = match v.zip_root_dir {
            Some(root) if !root.trim().is_empty() => PackageKind::ZipWithRoot {
                zip_root_dir: root.trim().to_string(),
            },
            _ if v.msi => PackageKind::Msi,
            _ if v.web_install => PackageKind::WebInstallExe,
            _ => PackageKind::Exe,
        };
        let mut e = Entry::new(
            code.clone(),
            Artifact {
                file: v.file.trim().to_string(),
                url: v.url.trim().to_string(),
                kind,
                sha256: None,
            },
        );
        // Keep the attribute as written: pyenv-win decides it, not the name.
        e.x64 = v.x64;
        match index.get(&code) {
            Some(&at) => out[at] = e,
            None => {
                index.insert(code, out.len());
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// Writes the entries pyenv-win can install (see [`Entry::pyenv_win_artifact`]) in the
/// given order, in the layout of pyenv-win's own file: UTF-8 declaration with
/// `standalone="no"`, tab indentation, LF line ends, a final newline.
pub fn write<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b'\t', 1);
    // Writing into a Vec cannot fail; the results are checked only to satisfy the API.
    let mut ok = w
        .write_event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("utf-8"),
            Some("no"),
        )))
        .is_ok();
    ok &= w
        .create_element("versions")
        .write_inner_content(|w| {
            for e in entries {
                let Some(a) = e.pyenv_win_artifact() else {
                    continue;
                };
                let zip_root = match &a.kind {
                    PackageKind::ZipWithRoot { zip_root_dir } => Some(zip_root_dir.as_str()),
                    _ => None,
                };
                w.create_element("version")
                    .with_attribute(("x64", bool_str(e.x64)))
                    .with_attribute(("webInstall", bool_str(a.kind == PackageKind::WebInstallExe)))
                    .with_attribute(("msi", bool_str(a.kind == PackageKind::Msi)))
                    .write_inner_content(|w| {
                        text(w, "code", &e.name)?;
                        text(w, "file", &a.file)?;
                        text(w, "URL", &a.url)?;
                        if let Some(root) = zip_root {
                            text(w, "zipRootDir", root)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })
        .is_ok();
    debug_assert!(ok);
    let mut s = String::from_utf8(w.into_inner()).unwrap_or_default();
    s.push('\n');
    s
}

fn text(w: &mut Writer<Vec<u8>>, tag: &str, value: &str) -> std::io::Result<()> {
    w.create_element(tag)
        .write_text_content(BytesText::new(value))
        .map(|_| ())
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use pyv_core::Arch;

    #[test]
    fn reads_the_real_pyenv_win_cache() {
        let entries = read(&fixture("versions_cache.xml")).unwrap();
        assert_eq!(entries.len(), 936);
        let e = entries.iter().find(|e| e.name == "3.13.0").unwrap();
        assert_eq!(e.file, "python-3.13.0-amd64.exe");
        assert_eq!(
            e.url,
            "https://www.python.org/ftp/python/3.13.0/python-3.13.0-amd64.exe"
        );
        assert_eq!(
            (e.kind.clone(), e.x64, e.arch),
            (PackageKind::Exe, true, Arch::Amd64)
        );
        let e = entries.iter().find(|e| e.name == "3.11.0a5-arm").unwrap();
        assert_eq!((e.arch, e.x64, e.prerelease), (Arch::Arm64, true, true));
        let e = entries.iter().find(|e| e.name == "2.5").unwrap();
        assert_eq!((e.kind.clone(), e.x64), (PackageKind::Msi, true));
        let e = entries
            .iter()
            .find(|e| e.name == "pypy3.10-v7.3.17-win64")
            .unwrap();
        assert_eq!(
            e.kind,
            PackageKind::ZipWithRoot {
                zip_root_dir: "pypy3.10-v7.3.17-win64".into()
            }
        );
        assert_eq!(entries[0].name, "2.4-win32");
        assert_eq!(entries.last().unwrap().name, "graalpy-25.0.2-windows-amd64");
    }

    #[test]
    fn round_trips_the_real_file_byte_for_byte() {
        let xml = fixture("versions_cache.xml");
        let entries = read(&xml).unwrap();
        assert_eq!(write(&entries), xml);
    }

    #[test]
    fn reads_windows_line_ends_and_a_byte_order_mark() {
        let xml = fixture("versions_cache.xml");
        let windows = format!("\u{feff}{}", xml.replace('\n', "\r\n"));
        assert_eq!(read(&windows).unwrap(), read(&xml).unwrap());
    }

    #[test]
    fn real_file_is_in_catalog_order() {
        let entries = read(&fixture("versions_cache.xml")).unwrap();
        let mut sorted: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        sorted.sort_by(|a, b| crate::entry::cmp_names(a, b));
        let in_file: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(sorted, in_file);
    }

    #[test]
    fn schema_defaults_escapes_and_duplicates() {
        let xml = "<?xml version=\"1.0\"?>\n<versions>\
            <version><code>2.4</code><file>python-2.4.msi</file><URL>https://h/2.4/python-2.4.msi</URL></version>\
            <version x64=\"true\" msi=\"false\"><code>a&amp;b</code><file>f.exe</file><URL>https://h/x?a=1&amp;b=2</URL></version>\
            <version x64=\"true\" msi=\"false\"><code>2.4</code><file>python-2.4.exe</file><URL>https://h/2.4/python-2.4.exe</URL></version>\
            </versions>";
        let entries = read(xml).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name, "2.4");
        assert_eq!(entries[0].kind, PackageKind::Exe, "last definition wins");
        assert_eq!(entries[1].name, "a&b");
        assert_eq!(entries[1].url, "https://h/x?a=1&b=2");
        let out = write(&entries);
        assert!(out.contains("<URL>https://h/x?a=1&amp;b=2</URL>"), "{out}");
        assert_eq!(read(&out).unwrap(), entries);

        let defaults = read("<versions><version><code>3.0</code><file>python-3.0.msi</file><URL>u</URL></version></versions>").unwrap();
        assert_eq!(
            (defaults[0].kind.clone(), defaults[0].x64),
            (PackageKind::Msi, false)
        );
    }

    #[test]
    fn rejects_broken_files_with_a_reason() {
        for bad in [
            "",
            "<versions><version><code>3.0</code></version></versions>",
            "<versions><version><code>3.0</code><file>f</file><URL></URL></version></versions>",
            "<versions><version x64=\"maybe\"><code>3.0</code><file>f</file><URL>u</URL></version></versions>",
            "<versions><version>",
        ] {
            let err = read(bad).unwrap_err();
            assert!(!err.is_empty(), "{bad}");
        }
        assert_eq!(read("<versions/>").unwrap(), vec![]);
    }
}
