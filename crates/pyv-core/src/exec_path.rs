//! PATH for a command run in the selected versions as pyenv-win's `bin\pyenv.bat` builds it
//! for `exec` (and so for its shims, which call `pyenv exec`): for each selected version
//! `<v>;<v>\Scripts;<v>\bin;`, then pip's `--user` scripts folder of each
//! (`%APPDATA%\Python\Python<X><Y>[t][-32|-arm64]\Scripts`), then the old PATH without
//! the shims folder, so a command the selection lacks is never found through a shim.
//!
//! Pure: the caller splits and joins PATH for its OS; the separators are data here, so
//! the Windows form is tested on any OS.

use std::ffi::{OsStr, OsString};

/// How an OS spells paths, as far as comparing PATH entries goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    /// The separator put between a folder and a name.
    pub dir_sep: char,
    /// Windows: `\` and `/` both separate, and letter case does not matter.
    pub windows: bool,
}

impl Syntax {
    pub const WINDOWS: Syntax = Syntax {
        dir_sep: '\\',
        windows: true,
    };
    pub const UNIX: Syntax = Syntax {
        dir_sep: '/',
        windows: false,
    };

    /// This OS's syntax.
    pub const fn native() -> Syntax {
        if cfg!(windows) {
            Syntax::WINDOWS
        } else {
            Syntax::UNIX
        }
    }

    fn join(self, dir: &OsStr, names: &[&str]) -> OsString {
        let mut out = dir.to_os_string();
        for n in names {
            out.push(self.dir_sep.encode_utf8(&mut [0; 4]));
            out.push(n);
        }
        out
    }

    /// The entry as compared: separators unified and trailing ones dropped, and on
    /// Windows in lower case (cmd's `if /i` compares so).
    fn key(self, entry: &OsStr) -> String {
        let mut s = entry.to_string_lossy().into_owned();
        if self.windows {
            s = s.replace('/', "\\").to_lowercase();
        }
        let sep = if self.windows { '\\' } else { '/' };
        while s.len() > 1 && s.ends_with(sep) {
            s.pop();
        }
        s
    }
}

/// One selected version: its name (for pip's user folder) and its folder.
#[derive(Debug, Clone, Copy)]
pub struct Selected<'a> {
    pub name: &'a str,
    pub prefix: &'a OsStr,
}

/// The entries of the new PATH, in order; the caller joins them (`std::env::join_paths`).
/// `old` is the current PATH already split; empty entries are dropped, as pyenv.bat does.
pub fn pyenv_win_entries(
    syntax: Syntax,
    selected: &[Selected<'_>],
    appdata: Option<&OsStr>,
    old: impl IntoIterator<Item = OsString>,
    shims: &OsStr,
) -> Vec<OsString> {
    let mut out: Vec<OsString> = Vec::new();
    for s in selected {
        out.push(s.prefix.to_os_string());
        out.push(syntax.join(s.prefix, &["Scripts"]));
        out.push(syntax.join(s.prefix, &["bin"]));
    }
    if let Some(appdata) = appdata.filter(|a| !a.is_empty()) {
        for folder in selected.iter().filter_map(|s| user_scripts_folder(s.name)) {
            out.push(syntax.join(appdata, &["Python", &folder, "Scripts"]));
        }
    }
    let shims = syntax.key(shims);
    out.extend(
        old.into_iter()
            .filter(|e| !e.is_empty() && syntax.key(e) != shims),
    );
    out
}

/// The folder under `%APPDATA%\Python` where `pip install --user` puts a CPython's
/// scripts (`sys.winver` without its dot): `Python312`, `Python312-32` for a `-win32`
/// build, `Python312-arm64` for ARM64 (pyenv-win's `-arm`), `Python313t` for a
/// free-threaded one. `None` for other names (`pypy3.10-…`, `system`, a link's name).
pub fn user_scripts_folder(name: &str) -> Option<String> {
    let (release, arch) = match name.split_once('-') {
        Some((r, a)) => (r, Some(a.to_ascii_lowercase())),
        None => (name, None),
    };
    let mut parts = release.split('.');
    let major = parts.next()?;
    let minor_part = parts.next()?;
    let minor: String = minor_part
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(major) || !digits(&minor) {
        return None;
    }
    let freethreaded = release.ends_with('t');
    let suffix = match arch.as_deref() {
        None => "",
        Some("win32") => "-32",
        Some("arm" | "arm64") => "-arm64",
        Some(_) => return None,
    };
    Some(format!(
        "Python{major}{minor}{}{suffix}",
        if freethreaded { "t" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> OsString {
        s.into()
    }

    fn joined(entries: Vec<OsString>, sep: &str) -> String {
        entries
            .iter()
            .map(|e| e.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(sep)
    }

    #[test]
    fn windows_as_pyenv_bat_builds_it() {
        let v1 = os(r"C:\Users\Jürgen\.pyenv\pyenv-win\versions\3.12.1");
        let v2 = os(r"C:\Users\Jürgen\.pyenv\pyenv-win\versions\3.9.13-win32");
        let selected = [
            Selected {
                name: "3.12.1",
                prefix: &v1,
            },
            Selected {
                name: "3.9.13-win32",
                prefix: &v2,
            },
        ];
        let old = r"C:\Windows\system32;;c:\users\JÜRGEN\.pyenv\pyenv-win\SHIMS\;C:\Users\Jürgen\.pyenv\pyenv-win\bin;C:/Users/Jürgen/.pyenv/pyenv-win/shims";
        let entries = pyenv_win_entries(
            Syntax::WINDOWS,
            &selected,
            Some(OsStr::new(r"C:\Users\Jürgen\AppData\Roaming")),
            old.split(';').map(os),
            OsStr::new(r"C:\Users\Jürgen\.pyenv\pyenv-win\shims"),
        );
        assert_eq!(
            joined(entries, ";"),
            [
                r"C:\Users\Jürgen\.pyenv\pyenv-win\versions\3.12.1",
                r"C:\Users\Jürgen\.pyenv\pyenv-win\versions\3.12.1\Scripts",
                r"C:\Users\Jürgen\.pyenv\pyenv-win\versions\3.12.1\bin",
                r"C:\Users\Jürgen\.pyenv\pyenv-win\versions\3.9.13-win32",
                r"C:\Users\Jürgen\.pyenv\pyenv-win\versions\3.9.13-win32\Scripts",
                r"C:\Users\Jürgen\.pyenv\pyenv-win\versions\3.9.13-win32\bin",
                r"C:\Users\Jürgen\AppData\Roaming\Python\Python312\Scripts",
                r"C:\Users\Jürgen\AppData\Roaming\Python\Python39-32\Scripts",
                r"C:\Windows\system32",
                r"C:\Users\Jürgen\.pyenv\pyenv-win\bin",
            ]
            .join(";")
        );
    }

    #[test]
    fn unix_keeps_case_and_needs_no_appdata() {
        let v = os("/r/versions/3.12.1");
        let selected = [Selected {
            name: "3.12.1",
            prefix: &v,
        }];
        let entries = pyenv_win_entries(
            Syntax::UNIX,
            &selected,
            None,
            "/usr/bin:/r/shims/:/r/Shims:/bin".split(':').map(os),
            OsStr::new("/r/shims"),
        );
        assert_eq!(
            joined(entries, ":"),
            "/r/versions/3.12.1:/r/versions/3.12.1/Scripts:/r/versions/3.12.1/bin:/usr/bin:/r/Shims:/bin"
        );
    }

    #[test]
    fn pip_user_folders_follow_sys_winver() {
        let f = |n: &str| user_scripts_folder(n);
        assert_eq!(f("3.12.1").as_deref(), Some("Python312"));
        assert_eq!(f("3.12").as_deref(), Some("Python312"));
        assert_eq!(f("3.9.13-win32").as_deref(), Some("Python39-32"));
        assert_eq!(f("3.11.0a5-arm").as_deref(), Some("Python311-arm64"));
        assert_eq!(f("3.12.1-arm64").as_deref(), Some("Python312-arm64"));
        assert_eq!(f("3.13.1t").as_deref(), Some("Python313t"));
        assert_eq!(f("3.13.1t-win32").as_deref(), Some("Python313t-32"));
        assert_eq!(f("3.10.0rc2").as_deref(), Some("Python310"));
        for other in [
            "system",
            "pypy3.10-v7.3.17-win64",
            "graalpy-24.1.0-windows-amd64",
            "3",
            "conda-3.12",
            "3.12.1-foo",
        ] {
            assert_eq!(f(other), None, "{other}");
        }
    }
}
