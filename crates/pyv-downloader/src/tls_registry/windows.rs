//! Registry access for [`super`]: reading and writing the values under HKLM in the right
//! WOW64 view, the Windows version, the elevation check, and the Internet Settings proxy.

use super::{Change, FixError, Reading, Setting, Snapshot, View, WindowsVersion};
use std::io;
use winreg::enums::{
    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY, KEY_WRITE,
};
use winreg::RegKey;

fn view_flag(v: View) -> u32 {
    match v {
        View::Bits64 => KEY_WOW64_64KEY,
        View::Bits32 => KEY_WOW64_32KEY,
    }
}

fn read_one(hklm: &RegKey, s: Setting) -> Reading {
    let key = match hklm.open_subkey_with_flags(s.subkey(), KEY_READ | view_flag(s.view())) {
        Ok(k) => k,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Reading::Absent,
        Err(e) => return Reading::Unreadable(e.to_string()),
    };
    match key.get_value::<u32, _>(s.value_name()) {
        Ok(v) => Reading::Dword(v),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Reading::Absent,
        // winreg reports a value of another type as InvalidData.
        Err(e) if e.kind() == io::ErrorKind::InvalidData => match key.get_raw_value(s.value_name())
        {
            Ok(raw) => Reading::Unreadable(format!("{:?}, not a DWORD", raw.vtype)),
            Err(e) => Reading::Unreadable(e.to_string()),
        },
        Err(e) => Reading::Unreadable(e.to_string()),
    }
}

fn os_version(hklm: &RegKey) -> Option<WindowsVersion> {
    let k = hklm
        .open_subkey_with_flags(
            r"SOFTWARE\Microsoft\Windows NT\CurrentVersion",
            KEY_READ | KEY_WOW64_64KEY,
        )
        .ok()?;
    let major = k.get_value::<u32, _>("CurrentMajorVersionNumber").ok();
    let minor = k.get_value::<u32, _>("CurrentMinorVersionNumber").ok();
    let cv = k.get_value::<String, _>("CurrentVersion").ok();
    let build = k.get_value::<String, _>("CurrentBuildNumber").ok();
    WindowsVersion::from_registry(major, minor, cv.as_deref(), build.as_deref())
}

pub fn read() -> Snapshot {
    let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
    Snapshot {
        os: os_version(&hklm),
        values: Setting::ALL
            .iter()
            .map(|s| (*s, read_one(&hklm, *s)))
            .collect(),
    }
}

pub fn write(changes: &[Change]) -> Result<(), FixError> {
    let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
    for c in changes {
        let s = c.setting;
        let err = |e: io::Error| FixError::Write {
            setting: s.to_string(),
            reason: e.to_string(),
        };
        let (key, _) = hklm
            .create_subkey_with_flags(s.subkey(), KEY_WRITE | view_flag(s.view()))
            .map_err(err)?;
        key.set_value(s.value_name(), &c.to).map_err(err)?;
    }
    Ok(())
}

/// The process token's elevation (UAC): an administrator's unelevated prompt is `false`.
pub fn is_elevated() -> bool {
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::Security::{
        GetTokenInformation, TokenElevation, TOKEN_ELEVATION, TOKEN_QUERY,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: the pseudo handle of the current process needs no closing; `token` is closed
    // below; the output buffer is a TOKEN_ELEVATION of the size passed.
    unsafe {
        if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
            return false;
        }
        let mut elevation = TOKEN_ELEVATION { TokenIsElevated: 0 };
        let mut len = 0u32;
        let ok = GetTokenInformation(
            token,
            TokenElevation,
            (&mut elevation as *mut TOKEN_ELEVATION).cast(),
            std::mem::size_of::<TOKEN_ELEVATION>() as u32,
            &mut len,
        );
        CloseHandle(token);
        ok != 0 && elevation.TokenIsElevated != 0
    }
}

pub fn system_proxy() -> Option<super::SystemProxy> {
    let k = RegKey::predef(HKEY_CURRENT_USER)
        .open_subkey(r"Software\Microsoft\Windows\CurrentVersion\Internet Settings")
        .ok()?;
    let server = (k.get_value::<u32, _>("ProxyEnable").ok() == Some(1))
        .then(|| k.get_value::<String, _>("ProxyServer").ok())
        .flatten()
        .map(|s| crate::proxy::redact(s.trim()))
        .filter(|s| !s.is_empty());
    let pac = k
        .get_value::<String, _>("AutoConfigURL")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    (server.is_some() || pac.is_some()).then_some(super::SystemProxy { server, pac })
}
