//! The user environment in `HKCU\Environment`, and the broadcast that tells Explorer (and
//! so every shell started afterwards) to read it again.

use super::{EnvValue, UserEnvironment};
use std::io;
use winreg::enums::{RegType, HKEY_CURRENT_USER, KEY_READ, KEY_WRITE};
use winreg::{RegKey, RegValue};

pub struct RegistryEnvironment {
    key: RegKey,
}

impl RegistryEnvironment {
    pub fn open() -> io::Result<RegistryEnvironment> {
        let (key, _) = RegKey::predef(HKEY_CURRENT_USER)
            .create_subkey_with_flags("Environment", KEY_READ | KEY_WRITE)?;
        Ok(RegistryEnvironment { key })
    }
}

impl UserEnvironment for RegistryEnvironment {
    fn get(&self, name: &str) -> io::Result<Option<EnvValue>> {
        let raw = match self.key.get_raw_value(name) {
            Ok(v) => v,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let expand = match raw.vtype {
            RegType::REG_SZ => false,
            RegType::REG_EXPAND_SZ => true,
            other => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("it is of type {other:?}, not a string"),
                ))
            }
        };
        Ok(Some(EnvValue {
            value: decode(&raw.bytes),
            expand,
        }))
    }

    fn set(&mut self, name: &str, value: &EnvValue) -> io::Result<()> {
        let bytes: Vec<u8> = value
            .value
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        let vtype = if value.expand {
            RegType::REG_EXPAND_SZ
        } else {
            RegType::REG_SZ
        };
        self.key.set_raw_value(name, &RegValue { bytes, vtype })
    }

    fn remove(&mut self, name: &str) -> io::Result<()> {
        match self.key.delete_value(name) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    fn notify_changed(&mut self) {
        broadcast_environment_change();
    }

    fn location(&self) -> &str {
        "HKCU\\Environment"
    }
}

/// UTF-16LE up to the first NUL (values written by other tools may lack it or have more).
fn decode(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

/// `WM_SETTINGCHANGE` with "Environment", as the System Properties dialog sends it. Best
/// effort: a window that does not answer within a second is skipped, nothing fails.
pub fn broadcast_environment_change() {
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        SendMessageTimeoutW, HWND_BROADCAST, SMTO_ABORTIFHUNG, WM_SETTINGCHANGE,
    };
    let what: Vec<u16> = "Environment".encode_utf16().chain([0]).collect();
    let mut result = 0usize;
    // SAFETY: `what` is a NUL-terminated UTF-16 string that outlives the call; the result
    // pointer is a valid usize.
    unsafe {
        SendMessageTimeoutW(
            HWND_BROADCAST,
            WM_SETTINGCHANGE,
            0,
            what.as_ptr() as isize,
            SMTO_ABORTIFHUNG,
            1000,
            &mut result,
        );
    }
}
