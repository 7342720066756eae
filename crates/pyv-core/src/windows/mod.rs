//! Windows-only pieces of the core: which PEP 514 registration is the `system` version.
//! The registry itself is read by `pyv_windows::pep514`.

use crate::system::SystemPython;
use std::path::Path;

/// The newest registered Python that is not one of pyv's own installs (`--register`
/// entries point into the root and are selectable by name already) and whose interpreter
/// exists. Registry order breaks ties (HKCU, then HKLM's 64- and 32-bit views).
pub fn discover_pep514(shims_dir: &Path) -> Option<SystemPython> {
    let root = shims_dir.parent().unwrap_or(shims_dir);
    let mut best: Option<(Vec<u32>, SystemPython)> = None;
    for r in pyv_windows::pep514::registrations() {
        if !r.executable.is_file() || r.executable.starts_with(root) {
            continue;
        }
        let version: Vec<u32> = r
            .version
            .split(['.', '-'])
            .map_while(|p| p.parse().ok())
            .collect();
        if best.as_ref().is_none_or(|(v, _)| version > *v) {
            let prefix = r
                .executable
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            best = Some((
                version,
                SystemPython {
                    executable: r.executable,
                    prefix,
                    found_by: r.key,
                },
            ));
        }
    }
    best.map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyv_windows::pep514::{remove_in, write_in};
    use pyv_windows::registry::{View, CURRENT_USER, LOCAL_MACHINE};
    use std::path::PathBuf;

    fn python_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pyv-pep514-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("python.exe"), "MZ").unwrap();
        d
    }

    const COMPANY: &str = "Software\\Python\\PyvTest";

    /// Registers `dir` as `Software\Python\PyvTest\<tag>` in `hive` and `view`.
    fn register(
        hive: &pyv_windows::registry::Key,
        view: View,
        tag: &str,
        dir: &Path,
    ) -> Result<(), pyv_windows::pep514::WriteError> {
        let dir = dir.display().to_string();
        let key = format!("{COMPANY}\\{tag}");
        write_in(
            hive,
            view,
            &key,
            [("", "SysVersion", tag), ("InstallPath", "", dir.as_str())],
        )
    }

    #[test]
    fn finds_the_newest_registered_python_in_hkcu_and_the_32_bit_view() {
        let shims = std::env::temp_dir().join("pyv-pep514-root").join("shims");
        let (a, b) = (python_dir("a"), python_dir("b"));
        register(CURRENT_USER, View::Native, "3.98", &a).unwrap();
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
        match register(LOCAL_MACHINE, View::Bits32, "3.99", &b) {
            Ok(()) => {
                let found = discover_pep514(&shims).unwrap();
                assert_eq!(found.executable, b.join("python.exe"));
                assert!(
                    found.found_by.starts_with("HKLM (32-bit)"),
                    "{}",
                    found.found_by
                );
                remove_in(LOCAL_MACHINE, View::Bits32, &format!("{COMPANY}\\3.99")).unwrap();
            }
            Err(e) => eprintln!("SKIP: HKLM is not writable here ({e}); HKCU covered"),
        }
        remove_in(CURRENT_USER, View::Native, &format!("{COMPANY}\\3.98")).unwrap();
        // pyv's own installs (registered with --register) are not "system".
        let ours = std::env::temp_dir()
            .join("pyv-pep514-root")
            .join("versions")
            .join("3.97");
        std::fs::create_dir_all(&ours).unwrap();
        std::fs::write(ours.join("python.exe"), "MZ").unwrap();
        register(CURRENT_USER, View::Native, "3.97", &ours).unwrap();
        assert!(discover_pep514(&shims)
            .is_none_or(|f| !f.executable.starts_with(ours.parent().unwrap())));
        remove_in(CURRENT_USER, View::Native, &format!("{COMPANY}\\3.97")).unwrap();
    }
}
