//! The name the user called us by (`pyv` or `pyenv`), used in every message so that a
//! `pyenv.exe` copy talks like pyenv-win.

use std::sync::OnceLock;

static NAME: OnceLock<String> = OnceLock::new();

/// Sets the program name from `argv[0]`: `pyenv` when the file stem is `pyenv`, else `pyv`.
pub fn set_from_argv0(argv0: Option<&std::ffi::OsStr>) {
    let stem = argv0
        .and_then(|a| std::path::Path::new(a).file_stem())
        .map(|s| s.to_string_lossy().to_ascii_lowercase());
    let name = if stem.as_deref() == Some("pyenv") {
        "pyenv"
    } else {
        "pyv"
    };
    let _ = NAME.set(name.to_string());
}

pub fn name() -> &'static str {
    NAME.get().map(String::as_str).unwrap_or("pyv")
}
