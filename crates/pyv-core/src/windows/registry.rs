//! PEP 514: Pythons registered under `Software\Python\<Company>\<Tag>` in HKCU and in
//! HKLM's 64- and 32-bit views.

use crate::system::SystemPython;
use std::path::{Path, PathBuf};
use winreg::enums::{
    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY,
};
use winreg::RegKey;

/// The newest registered Python that is not one of pyv's own installs (`--register`
/// entries point into the root and are selectable by name already).
pub fn discover_pep514(shims_dir: &Path) -> Option<SystemPython> {
    let root = shims_dir.parent().unwrap_or(shims_dir);
    let views = [
        (HKEY_CURRENT_USER, 0, "HKCU"),
        (HKEY_LOCAL_MACHINE, KEY_WOW64_64KEY, "HKLM"),
        (HKEY_LOCAL_MACHINE, KEY_WOW64_32KEY, "HKLM (32-bit)"),
    ];
    let mut best: Option<(Vec<u32>, SystemPython)> = None;
    for (hive, flags, label) in views {
        let Ok(python) =
            RegKey::predef(hive).open_subkey_with_flags("Software\\Python", KEY_READ | flags)
        else {
            continue;
        };
        for company in python.enum_keys().filter_map(Result::ok) {
            if company.eq_ignore_ascii_case("PyLauncher") {
                continue;
            }
            let Ok(ck) = python.open_subkey_with_flags(&company, KEY_READ | flags) else {
                continue;
            };
            for tag in ck.enum_keys().filter_map(Result::ok) {
                let Ok(tk) = ck.open_subkey_with_flags(&tag, KEY_READ | flags) else {
                    continue;
                };
                let Ok(ip) = tk.open_subkey_with_flags("InstallPath", KEY_READ | flags) else {
                    continue;
                };
                let exe: Option<PathBuf> = ip
                    .get_value::<String, _>("ExecutablePath")
                    .ok()
                    .map(PathBuf::from)
                    .or_else(|| {
                        ip.get_value::<String, _>("")
                            .ok()
                            .map(|d| PathBuf::from(d).join("python.exe"))
                    });
                let Some(exe) = exe.filter(|e| e.is_file()) else {
                    continue;
                };
                if exe.starts_with(root) {
                    continue;
                }
                let version: Vec<u32> = tk
                    .get_value::<String, _>("SysVersion")
                    .unwrap_or_else(|_| tag.clone())
                    .split(['.', '-'])
                    .map_while(|p| p.parse().ok())
                    .collect();
                let prefix = exe.parent().map(Path::to_path_buf).unwrap_or_default();
                let found = SystemPython {
                    executable: exe,
                    prefix,
                    found_by: format!("{label}\\Software\\Python\\{company}\\{tag}"),
                };
                if best.as_ref().map_or(true, |(v, _)| version > *v) {
                    best = Some((version, found));
                }
            }
        }
    }
    best.map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use winreg::enums::{KEY_ALL_ACCESS, KEY_WOW64_32KEY};

    fn python_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pyv-pep514-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("python.exe"), "MZ").unwrap();
        d
    }

    /// Registers `dir` as `Software\Python\PyvTest\<tag>` in `hive` (with `flags` for the view).
    fn register(hive: winreg::HKEY, flags: u32, tag: &str, dir: &Path) -> RegKey {
        let base = RegKey::predef(hive)
            .create_subkey_with_flags("Software\\Python\\PyvTest", KEY_ALL_ACCESS | flags)
            .unwrap()
            .0;
        let (t, _) = base
            .create_subkey_with_flags(tag, KEY_ALL_ACCESS | flags)
            .unwrap();
        t.set_value("SysVersion", &tag.to_string()).unwrap();
        let (ip, _) = t
            .create_subkey_with_flags("InstallPath", KEY_ALL_ACCESS | flags)
            .unwrap();
        ip.set_value("", &dir.display().to_string()).unwrap();
        base
    }

    #[test]
    fn finds_the_newest_registered_python_in_hkcu_and_the_32_bit_view() {
        let shims = std::env::temp_dir().join("pyv-pep514-root").join("shims");
        let (a, b) = (python_dir("a"), python_dir("b"));
        let hkcu = register(HKEY_CURRENT_USER, 0, "3.98", &a);
        let found = discover_pep514(&shims).expect("HKCU entry found");
        assert_eq!(found.executable, a.join("python.exe"));
        assert!(
            found
                .found_by
                .starts_with("HKCU\\Software\\Python\\PyvTest\\3.98"),
            "{}",
            found.found_by
        );
        // A newer one in HKLM's 32-bit view wins.
        match RegKey::predef(HKEY_LOCAL_MACHINE)
            .create_subkey_with_flags("Software\\Python", KEY_ALL_ACCESS | KEY_WOW64_32KEY)
        {
            Ok(_) => {
                let hklm = register(HKEY_LOCAL_MACHINE, KEY_WOW64_32KEY, "3.99", &b);
                let found = discover_pep514(&shims).unwrap();
                assert_eq!(found.executable, b.join("python.exe"));
                assert!(
                    found.found_by.starts_with("HKLM (32-bit)"),
                    "{}",
                    found.found_by
                );
                hklm.delete_subkey_all("3.99").unwrap();
            }
            Err(e) => eprintln!("SKIP: HKLM is not writable here ({e}); HKCU covered"),
        }
        hkcu.delete_subkey_all("3.98").unwrap();
        // pyv's own installs (registered with --register) are not "system".
        let ours = std::env::temp_dir()
            .join("pyv-pep514-root")
            .join("versions")
            .join("3.97");
        std::fs::create_dir_all(&ours).unwrap();
        std::fs::write(ours.join("python.exe"), "MZ").unwrap();
        let k = register(HKEY_CURRENT_USER, 0, "3.97", &ours);
        assert!(discover_pep514(&shims)
            .is_none_or(|f| !f.executable.starts_with(ours.parent().unwrap())));
        k.delete_subkey_all("3.97").unwrap();
    }
}
