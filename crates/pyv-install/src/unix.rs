//! Every OS but Windows: the steps that run Windows programs or write the Windows
//! registry, as what they mean here. Same functions as `windows.rs`.

use super::error::InstallError;
use super::pep514::Pep514Entry;
use super::{Event, PackageKind, PipOutcome};
use pyv_core::root::Root;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// MSI and installer bundles hold Windows programs, which cannot run here.
pub(super) fn populate_with_installer(
    _root: &Root,
    _name: &str,
    _package: &Path,
    kind: &PackageKind,
    _target: &Path,
    _on_event: &mut dyn FnMut(Event),
) -> Result<(), InstallError> {
    Err(InstallError::WindowsOnly { kind: kind.label() })
}

/// The packages hold Windows programs, which cannot run here.
pub(super) fn run_pip(
    _dir: &Path,
    _python: PathBuf,
    _args: &[OsString],
    _on_event: &mut dyn FnMut(Event),
) -> PipOutcome {
    PipOutcome::Skipped
}

/// There is no registry to write to.
pub(super) fn register(name: &str, _entry: &Pep514Entry) -> Result<(), InstallError> {
    Err(InstallError::RegisterUnsupported(name.to_string()))
}

/// There is no registry entry to remove.
pub(super) fn unregister_path(_name: &str, _install_path: &Path) -> Result<bool, InstallError> {
    Ok(false)
}
