//! The user's persistent environment variables in `HKCU\Environment`, and the broadcast
//! that tells Explorer (and so every program started from it afterwards) to read them again.

use crate::registry::{self, Key, View, CURRENT_USER};
use std::io;

/// A variable's text and whether it is `REG_EXPAND_SZ` (`%VARS%` expanded when a process
/// starts) rather than `REG_SZ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub value: String,
    pub expand: bool,
}

/// `HKCU\Environment`, open for reading and writing.
pub struct EnvironmentKey {
    key: Key,
}

impl EnvironmentKey {
    /// Opens the key (creating it, as a fresh profile may lack it).
    pub fn open() -> io::Result<EnvironmentKey> {
        let key = registry::create(CURRENT_USER, "Environment", View::Native, true)?;
        Ok(EnvironmentKey { key })
    }

    /// Variable `name`; `None` when it is not set. A value that is not a string is an
    /// `InvalidData` error naming its type.
    pub fn get(&self, name: &str) -> io::Result<Option<Variable>> {
        let raw = match registry::raw_value(&self.key, name) {
            Ok(v) => v,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        if !raw.is_string() && !raw.is_expand_string() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("it is of type {}, not a string", raw.type_name),
            ));
        }
        Ok(Some(Variable {
            value: registry::decode_string(&raw.bytes),
            expand: raw.is_expand_string(),
        }))
    }

    pub fn set(&self, name: &str, variable: &Variable) -> io::Result<()> {
        registry::io(if variable.expand {
            self.key.set_expand_string(name, &variable.value)
        } else {
            self.key.set_string(name, &variable.value)
        })
    }

    /// Removes variable `name`; not an error when it is not set.
    pub fn remove(&self, name: &str) -> io::Result<()> {
        match registry::io(self.key.remove_value(name)) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

/// `WM_SETTINGCHANGE` with "Environment", as the System Properties dialog sends it. A
/// window that does not answer within a second is skipped; the error is the call's own
/// failure (no window station, e.g. a service).
pub fn broadcast_environment_change() -> io::Result<()> {
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        SendMessageTimeoutW, HWND_BROADCAST, SMTO_ABORTIFHUNG, WM_SETTINGCHANGE,
    };
    let what: Vec<u16> = "Environment".encode_utf16().chain([0]).collect();
    let mut result = 0usize;
    // SAFETY: `what` is a NUL-terminated UTF-16 string that outlives the call (the message
    // is sent, not posted, so no window reads it later); `result` is a valid usize.
    let sent = unsafe {
        SendMessageTimeoutW(
            HWND_BROADCAST,
            WM_SETTINGCHANGE,
            0,
            what.as_ptr() as isize,
            SMTO_ABORTIFHUNG,
            1000,
            &mut result,
        )
    };
    if sent == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Round trip of both string types through the real key, under a name no one uses.
    #[test]
    fn variables_round_trip_with_their_type() {
        let env = EnvironmentKey::open().unwrap();
        let name = format!("PYV_WINDOWS_TEST_{}", std::process::id());
        assert_eq!(env.get(&name).unwrap(), None);
        for expand in [false, true] {
            let v = Variable {
                value: r"%USERPROFILE%\x;C:\y".to_string(),
                expand,
            };
            env.set(&name, &v).unwrap();
            assert_eq!(env.get(&name).unwrap(), Some(v));
        }
        registry::io(env.key.set_u32(&name, 1)).unwrap();
        let e = env.get(&name).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert_eq!(e.to_string(), "it is of type REG_DWORD, not a string");
        env.remove(&name).unwrap();
        env.remove(&name).unwrap();
        assert_eq!(env.get(&name).unwrap(), None);
    }
}
