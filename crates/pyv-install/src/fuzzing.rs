//! Entry points for the fuzz targets in `fuzz/` (built only with `--cfg fuzzing`), so the
//! extraction and entry-name checks stay private to this crate in every other build.
//! Each function panics when a promise of those modules is broken: that is the finding.

use crate::entry_name;
use std::fs;
use std::path::{Path, PathBuf};

/// Extracts `package` (arbitrary bytes) as a zip and as a NuGet package into an empty
/// folder: it is refused or extracted, and what is written is regular files and folders.
pub fn extract_bytes(package: &[u8]) {
    let work = std::env::temp_dir().join(format!("pyv-fuzz-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    let file = work.join("package.zip");
    let dest = work.join("dest");
    for prefix in [None, Some("tools")] {
        let _ = fs::remove_dir_all(&work);
        if fs::create_dir_all(&dest).is_err() || fs::write(&file, package).is_err() {
            return;
        }
        let _ = crate::extract::extract(&file, "zip", prefix, &dest);
        check_tree(&dest);
    }
    let _ = fs::remove_dir_all(&work);
}

fn check_tree(dir: &Path) {
    let Ok(read) = fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let path: PathBuf = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        assert!(
            !meta.file_type().is_symlink(),
            "a link was written: {path:?}"
        );
        if meta.is_dir() {
            check_tree(&path);
        }
    }
}

/// Checks an entry name and, when it is accepted, a link target from it.
pub fn check_names(name: &str, target: &str) {
    let Ok(parts) = entry_name::components(name) else {
        return;
    };
    for p in &parts {
        assert!(safe_component(p), "{name:?} gave component {p:?}");
    }
    if parts.is_empty() {
        return;
    }
    let link: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    if let Ok(resolved) = entry_name::link_target(&link, target) {
        assert!(!resolved.is_empty());
        for p in &resolved {
            assert!(
                !p.is_empty() && p != "." && p != ".." && !p.contains('/') && !p.contains(':'),
                "{target:?} from {name:?} gave {p:?}"
            );
        }
    }
}

fn safe_component(p: &str) -> bool {
    !p.is_empty()
        && p != "."
        && p != ".."
        && !p.contains(['/', '\\', ':'])
        && !p.chars().any(char::is_control)
}
