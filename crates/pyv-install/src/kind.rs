//! How each kind of package lands in `versions/<name>`. The kind itself is the catalog's
//! ([`PackageKind`]): nothing here guesses it from a file name.

use super::entry_name;
use super::error::InstallError;
pub use pyv_catalog::PackageKind;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// What turns a package of some kind into the version's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Landing<'a> {
    /// A zip-format archive: the entries under `prefix` (every entry when `None`), with the
    /// prefix removed.
    Extract { prefix: Option<Cow<'a, str>> },
    /// A Windows Installer package, installed administratively.
    Msi,
    /// A WiX Burn bundle (offline or web installer): its component MSIs.
    Bundle,
}

/// Whether the kind needs a Windows program (msiexec, the bundle) to land.
pub(crate) fn runs_an_installer(kind: &PackageKind) -> bool {
    matches!(
        kind,
        PackageKind::Msi | PackageKind::Exe | PackageKind::WebInstallExe
    )
}

/// How `package`, of the catalog's `kind`, lands. A runtime zip is read first: the
/// catalog cannot know whether a zip it lists has its files at the top level, and pyv has
/// always extracted one with a single top folder as that folder's content.
pub(crate) fn landing<'a>(
    kind: &'a PackageKind,
    package: &Path,
) -> Result<Landing<'a>, InstallError> {
    Ok(match kind {
        PackageKind::Zip => Landing::Extract {
            prefix: single_top_folder(package, kind.label())?.map(Cow::Owned),
        },
        PackageKind::Nupkg => Landing::Extract {
            prefix: Some(Cow::Borrowed("tools")),
        },
        PackageKind::ZipWithRoot { zip_root_dir } => Landing::Extract {
            prefix: Some(Cow::Borrowed(zip_root_dir)),
        },
        PackageKind::Msi => Landing::Msi,
        PackageKind::Exe | PackageKind::WebInstallExe => Landing::Bundle,
    })
}

/// The one folder every entry of the zip sits under, when that folder holds more than one
/// level (a PyPy/GraalPy-style package); `None` when the zip extracts as is.
fn single_top_folder(package: &Path, label: &'static str) -> Result<Option<String>, InstallError> {
    let bad = |source| InstallError::BadArchive {
        path: package.to_path_buf(),
        kind: label,
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
            return Ok(None);
        };
        let Ok(parts) = entry_name::components(&name) else {
            return Ok(None);
        };
        let Some(first) = parts.first() else {
            continue;
        };
        let is_dir_entry = name.ends_with('/');
        if parts.len() == 1 && !is_dir_entry {
            return Ok(None);
        }
        nested |= parts.len() > 1;
        tops.insert(first.to_string());
    }
    match (tops.len(), nested) {
        (1, true) => Ok(tops.pop_first()),
        _ => Ok(None),
    }
}
