//! `install --register`: the PEP 514 entry pyenv-win writes under
//! `HKCU\Software\Python\PythonCore\<version-name>`, so that tools which discover Pythons
//! through the registry (IDEs, the `py` launcher) see the version. Computed here as plain
//! data so that it is tested on every OS; `windows.rs` writes and removes it.

use super::error::InstallError;
use pyv_core::arch::Arch;
use pyv_core::name::{Pre, VersionName};

/// One registry value: `subkey` below the version key (`""` for the key itself), value
/// `name` (`""` for the default value), string data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryValue {
    pub subkey: &'static str,
    pub name: &'static str,
    pub data: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pep514Entry {
    /// Below `HKEY_CURRENT_USER`.
    pub key: String,
    pub values: Vec<RegistryValue>,
}

/// The key of version `name`, below `HKEY_CURRENT_USER`.
pub fn key_of(name: &str) -> String {
    format!("Software\\Python\\PythonCore\\{name}")
}

/// The entry for CPython version `name` installed at `install_path` (a Windows path).
/// PyPy, GraalPy and other names are refused, as pyenv-win does.
pub fn entry(name: &str, install_path: &str) -> Result<Pep514Entry, InstallError> {
    let refuse = || InstallError::NotRegistrable(name.to_string());
    let c = VersionName::new(name)
        .cpython()
        .cloned()
        .ok_or_else(refuse)?;
    let (major, minor) = c.minor().ok_or_else(refuse)?;
    let sys_version = format!("{major}.{minor}");
    let (bits, display_arch) = match c.arch {
        Arch::X86 => ("32", "32-bit"),
        Arch::Amd64 => ("64", "64-bit"),
        Arch::Arm64 => ("64", "ARM64"),
    };
    let display_name = format!(
        "Python {sys_version}{} ({display_arch})",
        if c.freethreaded { "t" } else { "" }
    );
    let path = install_path.trim_end_matches('\\');
    let feature = feature_version(&c.release, c.pre);
    let v = |subkey, name, data: String| RegistryValue { subkey, name, data };
    let mut values = vec![
        v("", "DisplayName", display_name),
        v("", "SupportUrl", "https://www.python.org/".into()),
        v("", "SysArchitecture", format!("{bits}bit")),
        v("", "SysVersion", sys_version),
        v(
            "",
            "Version",
            name.strip_suffix("-win32").unwrap_or(name).into(),
        ),
    ];
    for f in ["dev", "exe", "lib", "pip", "tools"] {
        values.push(v("InstalledFeatures", f, feature.clone()));
    }
    values.extend([
        v("InstallPath", "", format!("{path}\\")),
        v(
            "InstallPath",
            "ExecutablePath",
            format!("{path}\\python.exe"),
        ),
        v(
            "InstallPath",
            "WindowedExecutablePath",
            format!("{path}\\pythonw.exe"),
        ),
        v("PythonPath", "", format!("{path}\\Lib\\;{path}\\DLLs\\")),
    ]);
    Ok(Pep514Entry {
        key: key_of(name),
        values,
    })
}

/// The file version python.org's installer records for its features: `3.9.4150.0` for
/// 3.9.4, where 4150 is micro×1000 + release level×10 + serial (level A=10, B=11, rc=12,
/// final=15), as in CPython's `PC/python_ver_rc.h`.
pub fn feature_version(release: &[u32], pre: Option<Pre>) -> String {
    let part = |i: usize| release.get(i).copied().unwrap_or(0);
    let (level, serial) = match pre {
        Some(Pre::A(n)) => (10, n),
        Some(Pre::B(n)) => (11, n),
        Some(Pre::Rc(n)) => (12, n),
        None => (15, 0),
    };
    let field3 = part(2)
        .saturating_mul(1000)
        .saturating_add(level * 10)
        .saturating_add(serial);
    format!("{}.{}.{field3}.0", part(0), part(1))
}

/// Whether a registered `InstallPath` is the version folder `ours`: only then does
/// uninstall remove the key (a key of the same name may belong to another installation).
pub fn is_our_install_path(registered: &str, ours: &str) -> bool {
    let norm = |s: &str| {
        s.trim()
            .trim_end_matches(['\\', '/'])
            .replace('/', "\\")
            .to_lowercase()
    };
    norm(registered) == norm(ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(e: &'a Pep514Entry, subkey: &str, name: &str) -> &'a str {
        &e.values
            .iter()
            .find(|v| v.subkey == subkey && v.name == name)
            .unwrap()
            .data
    }

    #[test]
    fn values_like_pyenv_win() {
        let p = r"C:\Users\me\.pyenv\pyenv-win\versions\3.9.4\";
        let e = entry("3.9.4", p).unwrap();
        assert_eq!(e.key, r"Software\Python\PythonCore\3.9.4");
        assert_eq!(get(&e, "", "DisplayName"), "Python 3.9 (64-bit)");
        assert_eq!(get(&e, "", "SysArchitecture"), "64bit");
        assert_eq!(get(&e, "", "SysVersion"), "3.9");
        assert_eq!(get(&e, "", "Version"), "3.9.4");
        assert_eq!(get(&e, "InstalledFeatures", "exe"), "3.9.4150.0");
        assert_eq!(
            get(&e, "InstallPath", ""),
            r"C:\Users\me\.pyenv\pyenv-win\versions\3.9.4\"
        );
        assert_eq!(
            get(&e, "InstallPath", "ExecutablePath"),
            r"C:\Users\me\.pyenv\pyenv-win\versions\3.9.4\python.exe"
        );
        assert_eq!(
            get(&e, "InstallPath", "WindowedExecutablePath"),
            r"C:\Users\me\.pyenv\pyenv-win\versions\3.9.4\pythonw.exe"
        );
        assert_eq!(
            get(&e, "PythonPath", ""),
            r"C:\Users\me\.pyenv\pyenv-win\versions\3.9.4\Lib\;C:\Users\me\.pyenv\pyenv-win\versions\3.9.4\DLLs\"
        );
        assert_eq!(e.values.len(), 5 + 5 + 4);

        let w = entry("3.10.0rc2-win32", r"D:\v\3.10.0rc2-win32").unwrap();
        assert_eq!(get(&w, "", "DisplayName"), "Python 3.10 (32-bit)");
        assert_eq!(get(&w, "", "SysArchitecture"), "32bit");
        assert_eq!(get(&w, "", "Version"), "3.10.0rc2");
        assert_eq!(get(&w, "InstalledFeatures", "dev"), "3.10.122.0");
        let a = entry("3.11.0a5-arm", r"D:\v\x").unwrap();
        assert_eq!(get(&a, "", "DisplayName"), "Python 3.11 (ARM64)");
        assert_eq!(get(&a, "InstalledFeatures", "lib"), "3.11.105.0");
    }

    #[test]
    fn refuses_what_pyenv_win_refuses() {
        for name in [
            "pypy3.10-v7.3.17-win64",
            "graalpy-24.1.0-windows-amd64",
            "3",
            "conda",
        ] {
            assert!(
                matches!(entry(name, r"C:\x"), Err(InstallError::NotRegistrable(_))),
                "{name}"
            );
        }
    }

    #[test]
    fn compares_install_paths_loosely() {
        assert!(is_our_install_path(
            r"C:\Users\Me\V\3.9.4\",
            r"c:\users\me\v\3.9.4"
        ));
        assert!(!is_our_install_path(
            r"C:\Python39\",
            r"C:\Users\me\v\3.9.4"
        ));
    }
}
