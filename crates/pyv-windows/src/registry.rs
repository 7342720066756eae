//! What the registry modules share: WOW64 views, errors as `io::Error` with the Win32
//! code (what messages print, and what `ErrorKind::NotFound` is matched on), and value
//! reads with the type rules pyv has always used.

use std::io;
use windows_registry::{Type, Value};
use windows_sys::Win32::System::Registry::{KEY_WOW64_32KEY, KEY_WOW64_64KEY};

pub use windows_registry::{Key, CURRENT_USER, LOCAL_MACHINE};

/// Which registry view of a key to open (WOW64 redirection).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The view of this process (no flag): HKCU, and keys that are not redirected.
    Native,
    /// `KEY_WOW64_64KEY`: what 64-bit programs read.
    Bits64,
    /// `KEY_WOW64_32KEY`: what 32-bit programs read (`Wow6432Node`).
    Bits32,
}

impl View {
    fn flag(self) -> u32 {
        match self {
            View::Native => 0,
            View::Bits64 => KEY_WOW64_64KEY,
            View::Bits32 => KEY_WOW64_32KEY,
        }
    }
}

/// A failed registry call as the `io::Error` of its Win32 code: windows-registry reports
/// HRESULTs (`0x8007xxxx`), whose `io::Error` would print as a negative "os error" and
/// never be `NotFound`.
pub fn io_error(hresult: i32) -> io::Error {
    const FACILITY_WIN32: u32 = 0x8007_0000;
    let bits = hresult as u32;
    if bits & 0xFFFF_0000 == FACILITY_WIN32 {
        io::Error::from_raw_os_error((bits & 0xFFFF) as i32)
    } else {
        io::Error::from_raw_os_error(hresult)
    }
}

/// [`io_error`] over a windows-registry result.
pub fn io<T>(r: windows_registry::Result<T>) -> io::Result<T> {
    r.map_err(|e| io_error(e.code().0))
}

/// Opens `path` below `parent` for reading in `view`.
pub fn open(parent: &Key, path: &str, view: View) -> io::Result<Key> {
    io(parent.options().read().access(view.flag()).open(path))
}

/// Opens `path` below `parent` for writing in `view`, creating it (and its parents).
pub fn create(parent: &Key, path: &str, view: View, read: bool) -> io::Result<Key> {
    let mut options = parent.options();
    options.write().access(view.flag()).create();
    if read {
        options.read();
    }
    io(options.open(path))
}

/// Opens the existing `path` below `parent` for reading and writing in `view`.
pub fn open_rw(parent: &Key, path: &str, view: View) -> io::Result<Key> {
    io(parent
        .options()
        .read()
        .write()
        .access(view.flag())
        .open(path))
}

/// The names of the subkeys of `key` (none when they cannot be listed).
pub fn subkeys(key: &Key) -> Vec<String> {
    key.keys().map(Iterator::collect).unwrap_or_default()
}

/// ERROR_BAD_FILE_TYPE: what pyv has always reported for a value type it does not know.
const ERROR_BAD_FILE_TYPE: i32 = 222;

/// A value's data and type, as stored.
pub struct RawValue {
    pub type_name: &'static str,
    pub bytes: Vec<u8>,
    ty: Type,
}

impl RawValue {
    pub fn is_dword(&self) -> bool {
        self.ty == Type::U32
    }

    pub fn is_string(&self) -> bool {
        self.ty == Type::String
    }

    pub fn is_expand_string(&self) -> bool {
        self.ty == Type::ExpandString
    }
}

/// `REG_SZ`, `REG_DWORD`, …: the name a value type is shown by. Types above `REG_QWORD`
/// (11) are not registry value types; reading one is ERROR_BAD_FILE_TYPE.
fn type_name(code: u32) -> io::Result<&'static str> {
    const NAMES: [&str; 12] = [
        "REG_NONE",
        "REG_SZ",
        "REG_EXPAND_SZ",
        "REG_BINARY",
        "REG_DWORD",
        "REG_DWORD_BIG_ENDIAN",
        "REG_LINK",
        "REG_MULTI_SZ",
        "REG_RESOURCE_LIST",
        "REG_FULL_RESOURCE_DESCRIPTOR",
        "REG_RESOURCE_REQUIREMENTS_LIST",
        "REG_QWORD",
    ];
    usize::try_from(code)
        .ok()
        .and_then(|i| NAMES.get(i).copied())
        .ok_or_else(|| io::Error::from_raw_os_error(ERROR_BAD_FILE_TYPE))
}

/// Value `name` of `key` (`""`: the default value) with its type.
pub fn raw_value(key: &Key, name: &str) -> io::Result<RawValue> {
    let value: Value = io(key.get_value(name))?;
    let ty = value.ty();
    Ok(RawValue {
        type_name: type_name(u32::from(ty))?,
        bytes: value.to_vec(),
        ty,
    })
}

/// UTF-16LE up to the first NUL (values written by other tools may lack it or have more),
/// unpaired surrogates replaced.
pub fn decode_string(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

/// A `REG_SZ`/`REG_EXPAND_SZ`/`REG_MULTI_SZ` value as text (a multi-string's parts joined
/// by newlines); any other type is ERROR_BAD_FILE_TYPE.
pub fn string(key: &Key, name: &str) -> io::Result<String> {
    let value = raw_value(key, name)?;
    match value.ty {
        Type::String | Type::ExpandString | Type::MultiString => {
            let units: Vec<u16> = value
                .bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let text = String::from_utf16_lossy(&units);
            let text = text.trim_end_matches('\0');
            Ok(if value.ty == Type::MultiString {
                text.replace('\0', "\n")
            } else {
                text.to_string()
            })
        }
        _ => Err(io::Error::from_raw_os_error(ERROR_BAD_FILE_TYPE)),
    }
}

/// A `REG_DWORD` value; any other type or size is ERROR_BAD_FILE_TYPE.
pub fn dword(key: &Key, name: &str) -> io::Result<u32> {
    let value = raw_value(key, name)?;
    match <[u8; 4]>::try_from(value.bytes.as_slice()) {
        Ok(b) if value.is_dword() => Ok(u32::from_le_bytes(b)),
        _ => Err(io::Error::from_raw_os_error(ERROR_BAD_FILE_TYPE)),
    }
}

/// Removes `path` below `parent` with all its subkeys and values.
pub fn remove_tree(parent: &Key, path: &str) -> io::Result<()> {
    io(parent.remove_tree(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hresults_become_win32_errors() {
        // HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND), ERROR_ACCESS_DENIED.
        let e = io_error(0x8007_0002_u32 as i32);
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert_eq!(e.raw_os_error(), Some(2));
        assert_eq!(io_error(0x8007_0005_u32 as i32).raw_os_error(), Some(5));
        // Not a Win32 code: kept as it is.
        assert_eq!(
            io_error(0x8000_4005_u32 as i32).raw_os_error(),
            Some(0x8000_4005_u32 as i32)
        );
    }

    #[test]
    fn type_names_are_the_sdk_names() {
        assert_eq!(type_name(1).unwrap(), "REG_SZ");
        assert_eq!(type_name(4).unwrap(), "REG_DWORD");
        assert_eq!(type_name(11).unwrap(), "REG_QWORD");
        assert_eq!(type_name(12).unwrap_err().raw_os_error(), Some(222));
    }

    #[test]
    fn strings_decode_up_to_the_first_nul() {
        let mut b: Vec<u8> = "C:\\x".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode_string(&b), "C:\\x");
        b.extend([0, 0, b'y', 0]);
        assert_eq!(decode_string(&b), "C:\\x");
    }
}
