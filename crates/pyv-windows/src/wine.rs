//! Whether this process runs under Wine, for the steps Wine cannot do (reparse points):
//! they are skipped visibly there and must pass on real Windows.

use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};

/// Wine's ntdll exports `wine_get_version`; Windows' does not. Checked in the process
/// itself rather than through WINEPREFIX, which only some ways of starting Wine set.
pub fn is_wine() -> bool {
    // SAFETY: both calls take NUL-terminated strings that live for the whole call; the
    // module handle is not freed (GetModuleHandle takes no reference) and ntdll stays
    // loaded for the life of the process.
    unsafe {
        let ntdll = GetModuleHandleA(c"ntdll.dll".as_ptr().cast());
        !ntdll.is_null() && GetProcAddress(ntdll, c"wine_get_version".as_ptr().cast()).is_some()
    }
}
