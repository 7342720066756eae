//! Windows: this computer's values, read and written through `pyv_windows::tls_registry`
//! (HKLM, in each setting's WOW64 view) and the elevation check. Same functions as
//! `unix.rs`.

use super::{Change, FixError, Reading, Setting, Snapshot, View, WindowsVersion};
use pyv_windows::registry::{self, Key, LOCAL_MACHINE};
use pyv_windows::tls_registry::{self as raw, Dword};

fn view(v: View) -> registry::View {
    match v {
        View::Bits64 => registry::View::Bits64,
        View::Bits32 => registry::View::Bits32,
    }
}

fn read_one(root: &Key, s: Setting) -> Reading {
    match raw::read_dword(root, &s.subkey(), s.value_name(), view(s.view())) {
        Dword::Absent => Reading::Absent,
        Dword::Value(v) => Reading::Dword(v),
        Dword::Unreadable(why) => Reading::Unreadable(why),
    }
}

fn os_version(hklm: &Key) -> Option<WindowsVersion> {
    let v = raw::version_values(hklm)?;
    WindowsVersion::from_registry(
        v.major,
        v.minor,
        v.current_version.as_deref(),
        v.build.as_deref(),
    )
}

/// This computer's values.
pub fn read_system() -> Option<Snapshot> {
    Some(Snapshot {
        os: os_version(LOCAL_MACHINE),
        values: read_values(LOCAL_MACHINE),
    })
}

/// The values under `root` (HKLM, or a scratch key in tests).
fn read_values(root: &Key) -> Vec<(Setting, Reading)> {
    Setting::ALL
        .iter()
        .map(|s| (*s, read_one(root, *s)))
        .collect()
}

/// The process token's elevation (UAC): an administrator's unelevated prompt is `false`,
/// and so is a token that cannot be read (then `--fix-tls` asks for an elevated prompt,
/// which is the way out either way).
pub fn is_elevated() -> bool {
    pyv_windows::elevation::is_elevated().unwrap_or(false)
}

/// Writes `changes` to HKLM, after checking for elevation.
pub fn apply_system(changes: &[Change]) -> Result<(), FixError> {
    if !is_elevated() {
        return Err(FixError::NotElevated);
    }
    write_values(LOCAL_MACHINE, changes)
}

fn write_values(root: &Key, changes: &[Change]) -> Result<(), FixError> {
    for c in changes {
        let s = c.setting;
        raw::write_dword(root, &s.subkey(), s.value_name(), view(s.view()), c.to).map_err(|e| {
            FixError::Write {
                setting: s.to_string(),
                reason: e.to_string(),
            }
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::TlsVersion;
    use crate::tls_registry::{fix_plan, SchannelValue};
    use pyv_windows::registry::CURRENT_USER;

    /// Round trip through the same code under a scratch key in HKCU (never HKLM: a test must
    /// not change a developer's machine). HKCU\Software is not WOW64-redirected, so this
    /// proves the reading and writing, not the view selection.
    #[test]
    fn written_values_read_back() {
        let name = format!(r"Software\pyv-tests\tls-registry-{}", std::process::id());
        // Removed even when an assertion fails (and left-overs of a crashed run first).
        struct Cleanup<'a>(&'a str);
        impl Drop for Cleanup<'_> {
            fn drop(&mut self) {
                let _ = registry::remove_tree(CURRENT_USER, self.0);
                // Only when empty: another run's scratch key may be in it.
                let parent = r"Software\pyv-tests";
                if registry::open(CURRENT_USER, parent, registry::View::Native)
                    .is_ok_and(|k| registry::subkeys(&k).is_empty())
                {
                    let _ = registry::remove_tree(CURRENT_USER, parent);
                }
            }
        }
        let _ = registry::remove_tree(CURRENT_USER, &name);
        let _cleanup = Cleanup(&name);
        let scratch = registry::create(CURRENT_USER, &name, registry::View::Native, true).unwrap();
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
        registry::open_rw(&scratch, &t12.subkey(), registry::View::Native)
            .unwrap()
            .set_string(t12.value_name(), "1")
            .unwrap();
        assert!(
            matches!(read_one(&scratch, t12), Reading::Unreadable(w) if w.contains("not a DWORD"))
        );
    }

    #[test]
    fn this_windows_is_read() {
        let s = read_system().unwrap();
        let os = s.os.expect("Windows version from the registry");
        assert!(os.major >= 6, "{os:?}");
        assert_eq!(s.values.len(), Setting::ALL.len());
    }
}
