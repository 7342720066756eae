//! PEP 514: Pythons registered under `Software\Python\<Company>\<Tag>`. Reading every
//! registration (the `system` version, in the shim), and writing and removing one
//! (`install --register`, uninstall). Which registration wins, and what to write, is
//! decided by the callers.

use crate::registry::{self, Key, View, CURRENT_USER, LOCAL_MACHINE};
use std::io;
use std::path::PathBuf;

/// One registered Python with an interpreter path (not checked to exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// Where it is registered, for messages: `HKLM (32-bit)\Software\Python\PythonCore\3.12`.
    pub key: String,
    /// `InstallPath\ExecutablePath`, else `python.exe` in `InstallPath`'s folder.
    pub executable: PathBuf,
    /// `SysVersion`, else the tag (`3.12`, `3.13t`, `3.11-32`).
    pub version: String,
}

/// The registries PEP 514 says to search, in its order, with their labels.
const HIVES: [(&Key, View, &str); 3] = [
    (CURRENT_USER, View::Native, "HKCU"),
    (LOCAL_MACHINE, View::Bits64, "HKLM"),
    (LOCAL_MACHINE, View::Bits32, "HKLM (32-bit)"),
];

/// Every registration with an `InstallPath`, in registry order (HKCU, then HKLM's 64- and
/// 32-bit views). The `PyLauncher` "company" is the py launcher's own settings, no
/// Python. Keys that cannot be read are skipped: another program's broken entry must not
/// hide the others.
pub fn registrations() -> Vec<Registration> {
    let mut found = Vec::new();
    for (hive, view, label) in HIVES {
        let Ok(python) = registry::open(hive, "Software\\Python", view) else {
            continue;
        };
        for company in registry::subkeys(&python) {
            if company.eq_ignore_ascii_case("PyLauncher") {
                continue;
            }
            let Ok(ck) = registry::open(&python, &company, view) else {
                continue;
            };
            for tag in registry::subkeys(&ck) {
                let Ok(tk) = registry::open(&ck, &tag, view) else {
                    continue;
                };
                let Ok(ip) = registry::open(&tk, "InstallPath", view) else {
                    continue;
                };
                let executable = registry::string(&ip, "ExecutablePath")
                    .map(PathBuf::from)
                    .or_else(|_| {
                        registry::string(&ip, "").map(|d| PathBuf::from(d).join("python.exe"))
                    });
                let Ok(executable) = executable else {
                    continue;
                };
                let version = registry::string(&tk, "SysVersion").unwrap_or_else(|_| tag.clone());
                found.push(Registration {
                    key: format!("{label}\\Software\\Python\\{company}\\{tag}"),
                    executable,
                    version,
                });
            }
        }
    }
    found
}

/// A registry write that failed, naming the key.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {key}: {source}")]
pub struct WriteError {
    /// The key written (below the hive).
    pub key: String,
    #[source]
    pub source: io::Error,
}

/// One string value: `(subkey below the key or "", value name or "" for the default, data)`.
pub type Value<'a> = (&'a str, &'a str, &'a str);

/// Writes string `values` under `HKCU\<key>`, creating the keys.
pub fn write<'a>(key: &str, values: impl IntoIterator<Item = Value<'a>>) -> Result<(), WriteError> {
    write_in(CURRENT_USER, View::Native, key, values)
}

/// [`write`] below `hive` in `view` (tests register in HKLM's 32-bit view too).
pub fn write_in<'a>(
    hive: &Key,
    view: View,
    key: &str,
    values: impl IntoIterator<Item = Value<'a>>,
) -> Result<(), WriteError> {
    for (subkey, name, data) in values {
        let path = if subkey.is_empty() {
            key.to_string()
        } else {
            format!("{key}\\{subkey}")
        };
        let written = registry::create(hive, &path, view, true)
            .and_then(|k| registry::io(k.set_string(name, data)));
        written.map_err(|source| WriteError { key: path, source })?;
    }
    Ok(())
}

/// The default value of `HKCU\<key>\InstallPath` (the folder a registration points at);
/// `None` when there is no such key or value.
pub fn install_path(key: &str) -> Option<String> {
    let ip = registry::open(CURRENT_USER, &format!("{key}\\InstallPath"), View::Native).ok()?;
    registry::string(&ip, "").ok()
}

/// Removes `HKCU\<key>` and everything below it.
pub fn remove(key: &str) -> Result<(), WriteError> {
    remove_in(CURRENT_USER, View::Native, key)
}

/// [`remove`] below `hive` in `view`.
pub fn remove_in(hive: &Key, view: View, key: &str) -> Result<(), WriteError> {
    let fail = |source| WriteError {
        key: key.to_string(),
        source,
    };
    // The parent is opened in the view: RegDeleteTree takes no view flag of its own.
    let (parent, name) = key.rsplit_once('\\').unwrap_or(("", key));
    let parent = registry::open_rw(hive, parent, view).map_err(fail)?;
    registry::remove_tree(&parent, name).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_registration_is_read_back_and_removed() {
        let tag = format!("3.96.{}", std::process::id() % 1000);
        let key = format!("Software\\Python\\PyvWindowsTest\\{tag}");
        let dir = r"C:\pyv-windows-test\python";
        write(
            &key,
            [
                ("", "SysVersion", "3.96"),
                ("InstallPath", "", dir),
                (
                    "InstallPath",
                    "ExecutablePath",
                    r"C:\pyv-windows-test\python\py.exe",
                ),
            ],
        )
        .unwrap();
        let found: Vec<_> = registrations()
            .into_iter()
            .filter(|r| r.key == format!("HKCU\\{key}"))
            .collect();
        assert_eq!(
            found,
            [Registration {
                key: format!("HKCU\\{key}"),
                executable: PathBuf::from(r"C:\pyv-windows-test\python\py.exe"),
                version: "3.96".to_string(),
            }]
        );
        assert_eq!(install_path(&key).as_deref(), Some(dir));
        remove(&key).unwrap();
        assert_eq!(install_path(&key), None);
        assert!(registrations()
            .iter()
            .all(|r| r.key != format!("HKCU\\{key}")));
        assert_eq!(
            remove(&key).unwrap_err().source.kind(),
            io::ErrorKind::NotFound
        );
        let _ = remove("Software\\Python\\PyvWindowsTest");
    }
}
