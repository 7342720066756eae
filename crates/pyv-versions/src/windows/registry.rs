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
