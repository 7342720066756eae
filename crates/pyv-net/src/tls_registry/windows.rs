//! Registry access for [`super`]: reading and writing the values under HKLM in the right
//! WOW64 view, the Windows version, the elevation check, and the Internet Settings proxy.

use super::{Change, FixError, Reading, Setting, Snapshot, View, WindowsVersion};
use std::io;
use winreg::enums::{
    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY, KEY_WRITE,
    REG_DWORD,
};
use winreg::RegKey;

fn view_flag(v: View) -> u32 {
    match v {
        View::Bits64 => KEY_WOW64_64KEY,
        View::Bits32 => KEY_WOW64_32KEY,
    }
}

fn read_one(root: &RegKey, s: Setting) -> Reading {
    let key = match root.open_subkey_with_flags(s.subkey(), KEY_READ | view_flag(s.view())) {
        Ok(k) => k,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Reading::Absent,
        Err(e) => return Reading::Unreadable(e.to_string()),
    };
    // Raw, so that a value of another type is reported as such instead of as missing.
    match key.get_raw_value(s.value_name()) {
        Ok(raw) if raw.vtype == REG_DWORD && raw.bytes.len() == 4 => {
            Reading::Dword(u32::from_le_bytes([
                raw.bytes[0],
                raw.bytes[1],
                raw.bytes[2],
                raw.bytes[3],
            ]))
        }
        Ok(raw) => Reading::Unreadable(format!("{:?}, not a DWORD", raw.vtype)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Reading::Absent,
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
        values: read_values(&hklm),
    }
}

/// The values under `root` (HKLM, or a scratch key in tests).
fn read_values(root: &RegKey) -> Vec<(Setting, Reading)> {
    Setting::ALL
        .iter()
        .map(|s| (*s, read_one(root, *s)))
        .collect()
}

pub fn write(changes: &[Change]) -> Result<(), FixError> {
    write_values(&RegKey::predef(HKEY_LOCAL_MACHINE), changes)
}

fn write_values(root: &RegKey, changes: &[Change]) -> Result<(), FixError> {
    for c in changes {
        let s = c.setting;
        let err = |e: io::Error| FixError::Write {
            setting: s.to_string(),
            reason: e.to_string(),
        };
        let (key, _) = root
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::TlsVersion;
    use crate::tls_registry::{fix_plan, SchannelValue};

    /// Round trip through the same code under a scratch key in HKCU (never HKLM: a test must
    /// not change a developer's machine). HKCU\Software is not WOW64-redirected, so this
    /// proves the reading and writing, not the view selection.
    #[test]
    fn written_values_read_back() {
        let name = format!(r"Software\pyv-tests\tls-registry-{}", std::process::id());
        let hkcu = RegKey::predef(HKEY_CURRENT_USER);
        // Removed even when an assertion fails (and left-overs of a crashed run first).
        struct Cleanup<'a>(&'a RegKey, &'a str);
        impl Drop for Cleanup<'_> {
            fn drop(&mut self) {
                let _ = self.0.delete_subkey_all(self.1);
                // Only when empty: RegDeleteKey refuses a key with subkeys.
                let _ = self.0.delete_subkey(r"Software\pyv-tests");
            }
        }
        let _ = hkcu.delete_subkey_all(&name);
        let _cleanup = Cleanup(&hkcu, &name);
        let (scratch, _) = hkcu.create_subkey(&name).unwrap();
        let windows7 = Snapshot {
            os: Some(WindowsVersion {
                major: 6,
                minor: 1,
                build: 7601,
            }),
            values: read_values(&scratch),
        };
        assert!(windows7.values.iter().all(|(_, r)| *r == Reading::Absent));
        let plan = fix_plan(&windows7);
        assert_eq!(plan.len(), 6);
        write_values(&scratch, &plan).unwrap();
        let back = read_values(&scratch);
        for c in &plan {
            let got = back.iter().find(|(s, _)| *s == c.setting).unwrap();
            assert_eq!(got.1, Reading::Dword(c.to), "{}", c.setting);
        }
        // A value of the wrong type is reported, not taken for absent.
        let t12 = Setting::Schannel(TlsVersion::Tls12, SchannelValue::Enabled);
        scratch
            .open_subkey_with_flags(t12.subkey(), KEY_WRITE)
            .unwrap()
            .set_value(t12.value_name(), &"1".to_string())
            .unwrap();
        assert!(
            matches!(read_one(&scratch, t12), Reading::Unreadable(w) if w.contains("not a DWORD"))
        );
        hkcu.delete_subkey_all(&name).unwrap();
    }

    #[test]
    fn this_windows_is_read() {
        let s = read();
        let os = s.os.expect("Windows version from the registry");
        assert!(os.major >= 6, "{os:?}");
        assert_eq!(s.values.len(), Setting::ALL.len());
    }
}
