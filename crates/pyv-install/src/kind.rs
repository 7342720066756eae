//! The kinds of package a version can come from, and how each lands in `versions/<name>`.

use super::entry_name;
use super::error::InstallError;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageKind {
    /// python.org's PyManager runtime zip (3.11+): the version's files at the zip's root.
    Zip,
    /// NuGet package (python.org legacy index, 3.5–3.10): only `tools/`, prefix removed.
    Nupkg,
    /// A zip with one top folder (PyPy, GraalPy): that folder's content.
    ZipWithRoot(String),
    /// A Windows Installer package (2.4–3.4): administrative install, no registry.
    Msi,
    /// A WiX Burn bundle (3.5+ `python-X.Y.Z-amd64.exe`): its component MSIs.
    Exe,
}

impl PackageKind {
    /// What the package is, from its extension; for a `.zip`, whether it has one top folder.
    pub fn detect(package: &Path) -> Result<PackageKind, InstallError> {
        let ext = package
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("msi") => Ok(PackageKind::Msi),
            Some("exe") => Ok(PackageKind::Exe),
            Some("nupkg") => Ok(PackageKind::Nupkg),
            Some("zip") => detect_zip_layout(package),
            _ => Err(InstallError::UnknownPackageType(package.to_path_buf())),
        }
    }

    /// How messages name the kind.
    pub fn label(&self) -> &'static str {
        match self {
            PackageKind::Zip | PackageKind::ZipWithRoot(_) => "zip",
            PackageKind::Nupkg => "NuGet",
            PackageKind::Msi => "MSI",
            PackageKind::Exe => "installer (.exe)",
        }
    }

    /// The folder inside the archive whose content becomes the version (`None`: the root).
    pub(crate) fn archive_prefix(&self) -> Option<&str> {
        match self {
            PackageKind::Nupkg => Some("tools"),
            PackageKind::ZipWithRoot(r) => Some(r),
            _ => None,
        }
    }
}

/// A zip whose every entry sits under one folder (and that folder holds more than one
/// level) is a PyPy/GraalPy-style package; anything else extracts as is.
fn detect_zip_layout(package: &Path) -> Result<PackageKind, InstallError> {
    let bad = |source| InstallError::BadArchive {
        path: package.to_path_buf(),
        kind: "zip",
        source,
    };
    let file = File::open(package).map_err(|e| InstallError::io("open", package, e))?;
    let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(bad)?;
    let mut tops = BTreeSet::new();
    let mut nested = false;
    for name in archive.file_names() {
        // Unsafe or undecodable names are reported by the extraction itself, with the
        // entry named; a plain zip is the layout that reaches it.
        let Ok(name) = name else {
            return Ok(PackageKind::Zip);
        };
        let Ok(parts) = entry_name::components(&name) else {
            return Ok(PackageKind::Zip);
        };
        let Some(first) = parts.first() else {
            continue;
        };
        let is_dir_entry = name.ends_with('/');
        if parts.len() == 1 && !is_dir_entry {
            return Ok(PackageKind::Zip);
        }
        nested |= parts.len() > 1;
        tops.insert(first.to_string());
    }
    match (tops.len(), nested) {
        (1, true) => Ok(PackageKind::ZipWithRoot(
            tops.pop_first().unwrap_or_default(),
        )),
        _ => Ok(PackageKind::Zip),
    }
}
