//! Every OS but Windows: none of these switches exist. Same functions as `windows.rs`.

use super::{Change, FixError, Snapshot, NOT_WINDOWS};

/// There is no registry to read.
pub fn read_system() -> Option<Snapshot> {
    None
}

/// There is no UAC.
pub fn is_elevated() -> bool {
    false
}

/// Nothing to fix: pyv uses OpenSSL here.
pub fn apply_system(_changes: &[Change]) -> Result<(), FixError> {
    Err(FixError::NotWindows(NOT_WINDOWS))
}
