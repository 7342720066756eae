//! The process token's UAC elevation.

use std::io;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use windows_sys::Win32::Foundation::HANDLE;
use windows_sys::Win32::Security::{
    GetTokenInformation, TokenElevation, TOKEN_ELEVATION, TOKEN_QUERY,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

/// Whether this process runs elevated: an administrator's unelevated prompt is `false`.
pub fn is_elevated() -> io::Result<bool> {
    let mut raw: HANDLE = std::ptr::null_mut();
    // SAFETY: the current process's pseudo handle needs no closing; `raw` is a valid
    // place for the token handle.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut raw) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: OpenProcessToken succeeded, so `raw` is a token handle this code owns; the
    // OwnedHandle closes it once.
    let token = unsafe { OwnedHandle::from_raw_handle(raw) };
    let mut elevation = TOKEN_ELEVATION { TokenIsElevated: 0 };
    let size = u32::try_from(std::mem::size_of::<TOKEN_ELEVATION>()).unwrap_or(u32::MAX);
    let mut len = 0u32;
    // SAFETY: the token is live and opened with TOKEN_QUERY; the buffer is a
    // TOKEN_ELEVATION of the size passed, as the TokenElevation class requires.
    let ok = unsafe {
        GetTokenInformation(
            token.as_raw_handle(),
            TokenElevation,
            std::ptr::from_mut(&mut elevation).cast(),
            size,
            &mut len,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(elevation.TokenIsElevated != 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_token_is_readable() {
        super::is_elevated().unwrap();
    }
}
