//! `duplicate <src> <dst>`: an independent copy. A plain copy would keep the source's path in
//! every script pip made (`#!<src>/bin/python`, pip's `.exe` launchers on Windows), so `pip
//! install` under the copy would install into the source. The copy is rewritten before it
//! gets its name, then checked: if a script of the copy still runs the source's Python, no
//! copy is made.

mod rewrite;

use crate::error::CliError;
use pyv_core::fsutil::copy_dir_atomic_then;
use pyv_core::{name::is_valid_name, Context, Error, VersionRequest};
use std::path::{Path, PathBuf};

/// The layouts pyv knows how to make independent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// pyenv's (python-build): `bin/python…`, scripts with shebangs, build settings in
    /// `lib/` that embed the prefix.
    Unix,
    /// python.org's Windows layout: `python.exe`, `Scripts\*.exe` launchers.
    Windows,
}

pub fn duplicate(ctx: &Context, source: &str, destination: &str) -> Result<(), CliError> {
    let src = ctx.installed_prefix(&VersionRequest::parse(source).map_err(Error::from)?)?;
    // The new folder's name, not a request: it must be a name, and is used as written.
    if !is_valid_name(destination) {
        return Err(Error::InvalidVersionName(destination.to_string()).into());
    }
    let dest = ctx.root.version_dir(destination);
    if dest.exists() {
        return Err(CliError::DestinationExists(dest));
    }
    let layout = layout_of(ctx, source, &src)?;
    // The source as scripts may name it: as the root spells it and, if different, resolved.
    let mut froms = vec![src.display().to_string()];
    if let Ok(real) = std::fs::canonicalize(&src) {
        let real = real.display().to_string();
        if !froms.contains(&real) {
            froms.push(real);
        }
    }
    let to = dest.display().to_string();
    copy_dir_atomic_then(&src, &dest, |copy| {
        make_independent(copy, layout, &froms, &to)?;
        check_independent(copy, layout, &froms, source)
    })?;
    super::manage::rehash_now(ctx)
}

/// The layout of `src`, or why pyv will not copy it.
fn layout_of(ctx: &Context, name: &str, src: &Path) -> Result<Layout, CliError> {
    let versions = ctx.root.versions_dir();
    if pyv_core::link::is_link(src) || src.parent() != Some(versions.as_path()) {
        return Err(CliError::DuplicateNotOwned {
            name: name.to_string(),
            path: pyv_core::link::target_of(src).unwrap_or_else(|| src.to_path_buf()),
        });
    }
    if src.join("pyvenv.cfg").is_file() {
        return Err(CliError::DuplicateVenv(name.to_string()));
    }
    if src.join("bin").is_dir() {
        Ok(Layout::Unix)
    } else if src.join("python.exe").is_file() {
        Ok(Layout::Windows)
    } else {
        Err(CliError::DuplicateLayout(name.to_string()))
    }
}

/// The folders whose files name the interpreter.
fn script_dir(copy: &Path, layout: Layout) -> PathBuf {
    match layout {
        Layout::Unix => copy.join("bin"),
        Layout::Windows => copy.join("Scripts"),
    }
}

/// Regular files (not links: a link into the copy follows it anyway) directly in `dir`.
fn files_in(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::io(dir, e))?;
        if e.file_type().is_ok_and(|t| t.is_file()) {
            out.push(e.path());
        }
    }
    out.sort();
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    Ok(std::fs::read(path).map_err(|e| Error::io(path, e))?)
}

/// Written in place: the copy has no name of its own yet, so nothing is half-written under
/// a final name, and the file keeps its permissions (a script stays executable).
fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    Ok(std::fs::write(path, bytes).map_err(|e| Error::io(path, e))?)
}

fn make_independent(
    copy: &Path,
    layout: Layout,
    froms: &[String],
    to: &str,
) -> Result<(), CliError> {
    for file in files_in(&script_dir(copy, layout))? {
        let mut bytes = read(&file)?;
        let mut changed = false;
        for from in froms {
            let new = if layout == Layout::Windows && has_ext(&file, "exe") {
                rewrite::launcher(&bytes, from, to).ok().flatten()
            } else {
                rewrite::script(&bytes, from, to)
            };
            if let Some(new) = new {
                bytes = new;
                changed = true;
            }
        }
        if changed {
            write(&file, &bytes)?;
        }
    }
    if layout == Layout::Unix {
        for file in build_settings(copy)? {
            let mut bytes = read(&file)?;
            // A binary `python3.x-config` (some builds) is not text to edit.
            if bytes.contains(&0) {
                continue;
            }
            let mut changed = false;
            for from in froms {
                if let Some(new) = rewrite::text(&bytes, from, to) {
                    bytes = new;
                    changed = true;
                }
            }
            if changed {
                write(&file, &bytes)?;
            }
        }
    }
    Ok(())
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The files of a python-build install that embed its prefix: `python3.x-config`,
/// `lib/pkgconfig/*.pc`, `lib/python3.x/_sysconfigdata_*.py` and the `config-*` folder's
/// `Makefile` and `python-config.py`.
fn build_settings(copy: &Path) -> Result<Vec<PathBuf>, CliError> {
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut out: Vec<PathBuf> = files_in(&copy.join("bin"))?
        .into_iter()
        .filter(|p| {
            let n = name_of(p);
            n.starts_with("python") && n.ends_with("-config")
        })
        .collect();
    out.extend(
        files_in(&copy.join("lib").join("pkgconfig"))?
            .into_iter()
            .filter(|p| has_ext(p, "pc")),
    );
    let Ok(libs) = std::fs::read_dir(copy.join("lib")) else {
        return Ok(out);
    };
    for lib in libs.filter_map(Result::ok) {
        let lib = lib.path();
        if !name_of(&lib).starts_with("python") || !lib.is_dir() {
            continue;
        }
        out.extend(
            files_in(&lib)?
                .into_iter()
                .filter(|p| name_of(p).starts_with("_sysconfigdata_") && has_ext(p, "py")),
        );
        let Ok(subs) = std::fs::read_dir(&lib) else {
            continue;
        };
        for sub in subs.filter_map(Result::ok) {
            let sub = sub.path();
            if name_of(&sub).starts_with("config-") && sub.is_dir() {
                for f in ["Makefile", "python-config.py"] {
                    if sub.join(f).is_file() {
                        out.push(sub.join(f));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Whether `path` names something under `dir` (Windows paths: in any case).
fn under(path: &str, dir: &str, layout: Layout) -> bool {
    let (p, d) = match layout {
        Layout::Windows => (path.to_ascii_lowercase(), dir.to_ascii_lowercase()),
        Layout::Unix => (path.to_string(), dir.to_string()),
    };
    p.strip_prefix(&d)
        .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('\\'))
}

/// Refuses the copy if any of its scripts would still run the source's Python, by any
/// spelling of the source's path (a link to it included).
fn check_independent(
    copy: &Path,
    layout: Layout,
    froms: &[String],
    source: &str,
) -> Result<(), CliError> {
    let real_froms: Vec<PathBuf> = froms.iter().map(PathBuf::from).collect();
    for file in files_in(&script_dir(copy, layout))? {
        let bytes = read(&file)?;
        let interpreter = if layout == Layout::Windows && has_ext(&file, "exe") {
            rewrite::launcher_interpreter(&bytes)
        } else {
            rewrite::script_interpreter(&bytes)
        };
        let Some(interpreter) = interpreter else {
            continue;
        };
        let resolved = std::fs::canonicalize(&interpreter).ok();
        let runs_source = froms.iter().any(|f| under(&interpreter, f, layout))
            || resolved.is_some_and(|r| real_froms.iter().any(|f| r.starts_with(f)));
        if runs_source {
            return Err(CliError::DuplicateStillSource {
                name: source.to_string(),
                file: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                interpreter,
            });
        }
    }
    Ok(())
}
