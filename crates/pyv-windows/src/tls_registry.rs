//! The raw registry reads and writes behind `pyv doctor`'s TLS report and `--fix-tls`:
//! DWORD values under HKLM in a chosen WOW64 view and the Windows version. What the values
//! mean is pyv-net's `tls_registry`.

use crate::registry::{self, Key, View};
use std::io;

/// What a DWORD value holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dword {
    /// The key or the value does not exist.
    Absent,
    Value(u32),
    /// The key cannot be opened, or the value is of another type (named in the text).
    Unreadable(String),
}

/// Value `name` of `subkey` below `base` (HKLM, or a scratch key in tests) in `view`. A
/// value of another type is reported as such, not taken for missing.
pub fn read_dword(base: &Key, subkey: &str, name: &str, view: View) -> Dword {
    let key = match registry::open(base, subkey, view) {
        Ok(k) => k,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Dword::Absent,
        Err(e) => return Dword::Unreadable(e.to_string()),
    };
    match registry::raw_value(&key, name) {
        Ok(raw) => match <[u8; 4]>::try_from(raw.bytes.as_slice()) {
            Ok(b) if raw.is_dword() => Dword::Value(u32::from_le_bytes(b)),
            _ => Dword::Unreadable(format!("{}, not a DWORD", raw.type_name)),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Dword::Absent,
        Err(e) => Dword::Unreadable(e.to_string()),
    }
}

/// Sets DWORD `name` of `subkey` below `base` in `view`, creating the key.
pub fn write_dword(base: &Key, subkey: &str, name: &str, view: View, value: u32) -> io::Result<()> {
    let key = registry::create(base, subkey, view, false)?;
    registry::io(key.set_u32(name, value))
}

/// The version values of `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion` (64-bit
/// view); each `None` when absent. `None` when the key cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VersionValues {
    /// `CurrentMajorVersionNumber` (Windows 10 and later).
    pub major: Option<u32>,
    pub minor: Option<u32>,
    /// `CurrentVersion`: `6.1` on Windows 7 (and, frozen at `6.3`, on 10 and 11).
    pub current_version: Option<String>,
    pub build: Option<String>,
}

pub fn version_values(hklm: &Key) -> Option<VersionValues> {
    let k = registry::open(
        hklm,
        r"SOFTWARE\Microsoft\Windows NT\CurrentVersion",
        View::Bits64,
    )
    .ok()?;
    Some(VersionValues {
        major: registry::dword(&k, "CurrentMajorVersionNumber").ok(),
        minor: registry::dword(&k, "CurrentMinorVersionNumber").ok(),
        current_version: registry::string(&k, "CurrentVersion").ok(),
        build: registry::string(&k, "CurrentBuildNumber").ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::CURRENT_USER;

    #[test]
    fn dwords_round_trip_and_other_types_are_named() {
        let name = format!(r"Software\pyv-windows-tests\tls-{}", std::process::id());
        let _ = registry::remove_tree(CURRENT_USER, &name);
        let scratch = registry::create(CURRENT_USER, &name, View::Native, true).unwrap();
        assert_eq!(
            read_dword(&scratch, "a\\b", "V", View::Bits64),
            Dword::Absent
        );
        write_dword(&scratch, "a\\b", "V", View::Bits64, 0xA00).unwrap();
        assert_eq!(
            read_dword(&scratch, "a\\b", "V", View::Bits64),
            Dword::Value(0xA00)
        );
        assert_eq!(
            read_dword(&scratch, "a\\b", "W", View::Bits64),
            Dword::Absent
        );
        let k = registry::open_rw(&scratch, "a\\b", View::Bits64).unwrap();
        registry::io(k.set_string("S", "1")).unwrap();
        assert_eq!(
            read_dword(&scratch, "a\\b", "S", View::Bits64),
            Dword::Unreadable("REG_SZ, not a DWORD".to_string())
        );
        drop((k, scratch));
        registry::remove_tree(CURRENT_USER, &name).unwrap();
        let _ = registry::remove_tree(CURRENT_USER, r"Software\pyv-windows-tests");
    }

    #[test]
    fn this_windows_has_a_version() {
        let v = version_values(registry::LOCAL_MACHINE).unwrap();
        assert!(v.major.is_some() || v.current_version.is_some(), "{v:?}");
    }
}
