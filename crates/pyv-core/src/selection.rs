//! Which version(s) are selected, and by what: `PYENV_VERSION`, the nearest
//! `.python-version`, then the global `version` file.

use crate::arch::Arch;
use crate::compat::Compat;
use crate::env::{Env, ProcessEnv};
use crate::error::Error;
use crate::exe;
use crate::name::{is_valid_name, VersionName};
use crate::request::{self, VersionRequest};
use crate::resolve;
use crate::root::Root;
use crate::system::{self, SystemPython};
use crate::version_file::{self, LOCAL_FILE};
use std::cell::OnceCell;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// What set a version; printed as pyenv-win does in `(set by …)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Env,
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Env => f.write_str("%PYENV_VERSION%"),
            Origin::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Versions as written in one source, before prefix resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub versions: Vec<VersionRequest>,
    pub origin: Origin,
}

/// One selected version, its prefix resolved against what is installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Active {
    /// The installed name the request resolved to, or the request as written when
    /// nothing installed matches it (`system` stays `system`).
    pub name: VersionRequest,
    pub origin: Origin,
}

/// Everything selection depends on, read once from the process (or given by tests).
pub struct Context {
    pub root: Root,
    pub cwd: PathBuf,
    pub pyenv_version: Option<String>,
    pub arch: Arch,
    /// Which tool's behaviour to follow where pyenv-win and pyenv differ.
    pub compat: Compat,
    pub exts: Vec<String>,
    pub path_var: Option<OsString>,
    /// `APPDATA` (pip's `--user` scripts go under it), read in pyenv-win mode only.
    pub appdata: Option<OsString>,
    installed: OnceCell<Vec<VersionName>>,
    system: OnceCell<Option<SystemPython>>,
    active: OnceCell<Vec<Active>>,
}

impl Context {
    pub fn new(root: Root, cwd: PathBuf) -> Context {
        Context {
            root,
            cwd,
            pyenv_version: None,
            arch: Arch::Amd64,
            compat: Compat::native(),
            exts: Vec::new(),
            path_var: None,
            appdata: None,
            installed: OnceCell::new(),
            system: OnceCell::new(),
            active: OnceCell::new(),
        }
    }

    /// The context of this process: its root, folder, `PYENV_VERSION`, architecture,
    /// `PATHEXT` and `PATH`.
    pub fn from_process() -> Result<Context, Error> {
        Context::from_env(&ProcessEnv)
    }

    /// The same from any environment (a [`crate::MemoryEnv`] in tests).
    pub fn from_env(env: &dyn Env) -> Result<Context, Error> {
        Context::from_env_in(env, Root::discover_with(env))
    }

    /// The same for a root found otherwise (a shim serves the tree it sits in).
    pub fn from_env_in(env: &dyn Env, root: Root) -> Result<Context, Error> {
        let cwd = env.current_dir().map_err(|e| Error::io(".", e))?;
        let mut c = Context::new(root, cwd);
        c.pyenv_version = env.var("PYENV_VERSION");
        c.arch = Arch::from_env(env)?;
        c.compat = Compat::from_env(env)?;
        c.exts = exe::extensions_in(env);
        c.path_var = env.var_os("PATH");
        if c.compat.is_pyenv_win() {
            c.appdata = env.var_os("APPDATA");
        }
        Ok(c)
    }

    /// Installed versions (folders and links in `versions/`), in version order.
    pub fn installed(&self) -> &[VersionName] {
        self.installed
            .get_or_init(|| installed_in(&self.root.versions_dir()))
    }

    /// The Python outside pyv, found once per process.
    pub fn system(&self) -> Option<&SystemPython> {
        self.system
            .get_or_init(|| {
                system::discover(&self.root.shims_dir(), self.path_var.clone(), &self.exts)
            })
            .as_ref()
    }

    /// The `PYENV_VERSION` request, split on spaces and `:` (pyenv-win splits on spaces,
    /// pyenv on `:`); `3.12:latest` stays one request.
    pub fn shell_request(&self) -> Option<Request> {
        let raw = self.pyenv_version.as_deref()?;
        let versions = request::split_shell(raw);
        (!versions.is_empty()).then_some(Request {
            versions,
            origin: Origin::Env,
        })
    }

    /// The nearest `.python-version` from the current folder up, if any holds versions.
    pub fn local_request(&self) -> Result<Option<Request>, Error> {
        for (depth, dir) in self.cwd.ancestors().enumerate() {
            let file = dir.join(LOCAL_FILE);
            if let Some(versions) = self.read_local(&file, depth)? {
                // pyenv-win stops at the first file even when it is empty.
                return Ok((!versions.is_empty()).then_some(Request {
                    versions,
                    origin: Origin::File(file),
                }));
            }
        }
        Ok(None)
    }

    /// The version file `file`, `depth` folders above the current one. A path longer than
    /// the OS takes (PATH_MAX: a current folder nested deeper than that) is read by the
    /// short relative path `../../.python-version` instead, when this context's folder is
    /// the process's own: `..` walks the same physical parents `cwd.ancestors()` names, as
    /// the current folder came from `getcwd`. Messages still name the absolute path.
    fn read_local(&self, file: &Path, depth: usize) -> Result<Option<Vec<VersionRequest>>, Error> {
        match version_file::read(file) {
            Err(Error::Io { source, .. }) if is_name_too_long(&source) && self.is_process_cwd() => {
                let mut relative: PathBuf = std::iter::repeat_n("..", depth).collect();
                relative.push(LOCAL_FILE);
                version_file::read(&relative).map_err(|e| match e {
                    Error::Io { source, .. } => Error::io(file, source),
                    Error::InvalidVersionInFile { version, .. } => Error::InvalidVersionInFile {
                        version,
                        file: file.to_path_buf(),
                    },
                    other => other,
                })
            }
            other => other,
        }
    }

    /// Whether [`Context::cwd`] is the folder relative paths start from in this process.
    fn is_process_cwd(&self) -> bool {
        std::env::current_dir().is_ok_and(|d| d == self.cwd)
    }

    pub fn global_request(&self) -> Result<Option<Request>, Error> {
        let file = self.root.global_version_file();
        Ok(version_file::read(&file)?
            .filter(|v| !v.is_empty())
            .map(|versions| Request {
                versions,
                origin: Origin::File(file),
            }))
    }

    /// The first source that names versions, in priority order.
    pub fn request(&self) -> Result<Option<Request>, Error> {
        if let Some(r) = self.shell_request() {
            return Ok(Some(r));
        }
        if let Some(r) = self.local_request()? {
            return Ok(Some(r));
        }
        self.global_request()
    }

    /// The selected versions, prefixes resolved; an error when nothing is selected.
    /// Computed once: a shim asks for it to find its command and again to build PATH.
    pub fn active(&self) -> Result<Vec<Active>, Error> {
        if let Some(a) = self.active.get() {
            return Ok(a.clone());
        }
        let a = self.compute_active()?;
        Ok(self.active.get_or_init(|| a).clone())
    }

    fn compute_active(&self) -> Result<Vec<Active>, Error> {
        let req = self.request()?.ok_or(Error::NoVersionSet)?;
        let mut out: Vec<Active> = Vec::new();
        for v in &req.versions {
            let name = self.resolve_installed(v);
            if !out.iter().any(|a| a.name == name) {
                out.push(Active {
                    name,
                    origin: req.origin.clone(),
                });
            }
        }
        Ok(out)
    }

    /// A request resolved against the installed versions, or kept as written.
    pub fn resolve_installed(&self, request: &VersionRequest) -> VersionRequest {
        resolve::resolve_installed(
            request,
            |folder| self.root.version_dir(folder).is_dir(),
            || self.installed(),
            self.arch,
        )
    }

    /// The folder of an installed version: `versions/<name>`, or for `system` without such
    /// a folder, the folder of the Python found outside pyv.
    pub fn prefix(&self, version: &VersionRequest) -> Option<PathBuf> {
        if let Some(folder) = version.exact_folder() {
            let dir = self.root.version_dir(folder);
            if dir.is_dir() {
                return Some(crate::link::resolve_dir(&dir));
            }
            // Between the two renames of `install --force`, or after a crash there.
            if !version.is_system() {
                if let Some(aside) = crate::set_aside::find(&self.root.versions_dir(), folder) {
                    return Some(crate::link::resolve_dir(&aside));
                }
            }
        }
        version
            .is_system()
            .then(|| self.system().map(|s| s.prefix.clone()))
            .flatten()
    }

    /// The folder of the installed version `request` names (a prefix resolves), or the
    /// error naming what is wrong with it.
    pub fn installed_prefix(&self, request: &VersionRequest) -> Result<PathBuf, Error> {
        if let VersionRequest::Other(text) = request {
            return Err(Error::InvalidVersionName(text.clone()));
        }
        let name = self.resolve_installed(request);
        match self.prefix(&name) {
            Some(dir) => Ok(dir),
            None if name.is_system() => Err(system::not_found_error()),
            None => Err(Error::UnknownVersion(request.to_string())),
        }
    }

    /// Parses each text as a request that must name an installed version, checking them
    /// in order: the first that is not a name or not installed is the error.
    pub fn installed_requests(&self, texts: &[String]) -> Result<Vec<VersionRequest>, Error> {
        texts
            .iter()
            .map(|text| {
                let request = VersionRequest::parse(text)?;
                self.installed_prefix(&request)?;
                Ok(request)
            })
            .collect()
    }

    /// The folder of a selected version, or the error for one that is not there.
    pub fn active_prefix(&self, active: &Active) -> Result<PathBuf, Error> {
        match self.prefix(&active.name) {
            Some(dir) => Ok(dir),
            None if active.name.is_system() => Err(system::not_found_error()),
            None => Err(Error::NotInstalled {
                version: active.name.to_string(),
                origin: active.origin.to_string(),
            }),
        }
    }

    /// `pyv which`: the file that runs `cmd` in the first active version that has it.
    pub fn which(&self, cmd: &str) -> Result<PathBuf, Error> {
        for active in self.active()? {
            let prefix = self.active_prefix(&active)?;
            if let Some(found) = self.find_in_prefix(&active.name, &prefix, cmd) {
                return Ok(found);
            }
        }
        Err(Error::CommandNotFound {
            command: cmd.to_string(),
            available_in: self.whence(cmd).into_iter().map(|(v, _)| v).collect(),
        })
    }

    /// `system` on Unix is a folder like `/usr/bin`; only its own entries count there,
    /// never pyv's shims (which would run us again).
    fn find_in_prefix(
        &self,
        version: &VersionRequest,
        prefix: &Path,
        cmd: &str,
    ) -> Option<PathBuf> {
        let found = exe::find_command(prefix, cmd, &self.exts)?;
        let in_shims = version.is_system() && found.parent() == Some(&self.root.shims_dir());
        (!in_shims).then_some(found)
    }

    /// `pyv whence`: every installed version that has `cmd`, with the file.
    pub fn whence(&self, cmd: &str) -> Vec<(String, PathBuf)> {
        self.installed()
            .iter()
            .filter_map(|v| {
                let prefix = crate::link::resolve_dir(&self.root.version_dir(v.as_str()));
                exe::find_command(&prefix, cmd, &self.exts).map(|p| (v.to_string(), p))
            })
            .collect()
    }

    /// PATH for a command run in the selected versions: their folders first (as
    /// pyenv-win's `exec` does), so what the program starts in turn comes from the same
    /// version; then the current PATH. In pyenv-win mode exactly as its `pyenv.bat`
    /// builds it (see [`crate::exec_path`]): pip's user scripts too, and no shims.
    pub fn exec_path(&self) -> Option<OsString> {
        if self.compat.is_pyenv_win() {
            return self.pyenv_win_exec_path();
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        for active in self.active().ok()? {
            if let Some(prefix) = self.prefix(&active.name) {
                dirs.extend(
                    exe::command_dirs(&prefix)
                        .into_iter()
                        .filter(|d| d.is_dir()),
                );
            }
        }
        if let Some(old) = &self.path_var {
            dirs.extend(std::env::split_paths(old));
        }
        std::env::join_paths(dirs).ok()
    }

    fn pyenv_win_exec_path(&self) -> Option<OsString> {
        let active = self.active().ok()?;
        // No stat per folder: pyenv.bat adds the three whether or not they exist.
        let prefixes: Vec<(String, PathBuf)> = active
            .iter()
            .filter_map(|a| Some((a.name.to_string(), self.prefix(&a.name)?)))
            .collect();
        let selected: Vec<crate::exec_path::Selected<'_>> = prefixes
            .iter()
            .map(|(name, prefix)| crate::exec_path::Selected {
                name,
                prefix: prefix.as_os_str(),
            })
            .collect();
        let old: Vec<OsString> = self
            .path_var
            .as_deref()
            .map(|p| {
                std::env::split_paths(p)
                    .map(PathBuf::into_os_string)
                    .collect()
            })
            .unwrap_or_default();
        let entries = crate::exec_path::pyenv_win_entries(
            crate::exec_path::Syntax::native(),
            &selected,
            self.appdata.as_deref(),
            old,
            self.root.shims_dir().as_os_str(),
        );
        std::env::join_paths(entries).ok()
    }

    /// Whether `system` can be selected (a `versions/system` folder or a discovered Python).
    pub fn has_system(&self) -> bool {
        self.prefix(&VersionRequest::System).is_some()
    }
}

/// ENAMETOOLONG (Linux 36, macOS/BSD 63) or ERROR_FILENAME_EXCED_RANGE (Windows 206).
fn is_name_too_long(e: &std::io::Error) -> bool {
    e.raw_os_error()
        .and_then(|c| crate::error::OsCodes::CURRENT.trouble(c))
        == Some(crate::error::IoTrouble::NameTooLong)
}

/// Folder names under `versions/` (links to folders included), sorted by version.
pub fn installed_in(versions_dir: &Path) -> Vec<VersionName> {
    let Ok(entries) = std::fs::read_dir(versions_dir) else {
        return Vec::new();
    };
    let mut out: Vec<VersionName> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| {
            // A version `install --force` has set aside is still that version.
            let n = match crate::set_aside::version_of(&n) {
                Some(version) => version.to_string(),
                None => n,
            };
            is_valid_name(&n).then(|| VersionName::new(n))
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.as_str() == b.as_str());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::root::RootSource;

    fn ctx(root: &Path, cwd: &Path) -> Context {
        Context::new(Root::new(root, RootSource::Default), cwd.to_path_buf())
    }

    fn req(text: &str) -> VersionRequest {
        VersionRequest::parse(text).unwrap()
    }

    #[test]
    fn priority_env_then_nearest_local_then_global() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        for v in ["3.9.13", "3.12.1", "3.12.4", "3.11.9"] {
            std::fs::create_dir_all(root.join("versions").join(v)).unwrap();
        }
        let deep = d.path().join("proj").join("src").join("pkg");
        std::fs::create_dir_all(&deep).unwrap();
        let mut c = ctx(&root, &deep);
        assert!(matches!(c.active(), Err(Error::NoVersionSet)));

        version_file::write(&root.join("version"), &[req("3.9")]).unwrap();
        let c2 = ctx(&root, &deep);
        assert_eq!(
            c2.active().unwrap(),
            [Active {
                name: req("3.9.13"),
                origin: Origin::File(root.join("version"))
            }]
        );

        let local = d.path().join("proj").join(LOCAL_FILE);
        std::fs::write(&local, "\u{feff}3.12\r\n3.11.9\r\n").unwrap();
        let c3 = ctx(&root, &deep);
        let names: Vec<String> = c3
            .active()
            .unwrap()
            .into_iter()
            .map(|a| a.name.to_string())
            .collect();
        assert_eq!(names, ["3.12.4", "3.11.9"]);

        c.pyenv_version = Some("3.11 3.9.13".into());
        let active = c.active().unwrap();
        assert_eq!(
            active[0],
            Active {
                name: req("3.11.9"),
                origin: Origin::Env
            }
        );
        assert_eq!(active.len(), 2);
    }

    #[test]
    fn garbage_local_file_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(LOCAL_FILE), "../../etc\n").unwrap();
        let c = ctx(&d.path().join("root"), d.path());
        assert!(matches!(
            c.active(),
            Err(Error::InvalidVersionInFile { .. })
        ));
    }

    #[test]
    fn reads_the_environment_it_is_given() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        std::fs::create_dir_all(root.join("versions").join("3.12.1")).unwrap();
        let env = crate::MemoryEnv::from_pairs([
            ("PYENV_ROOT", root.as_os_str()),
            ("PYENV_VERSION", "3.12 ../x system".as_ref()),
            ("PATHEXT", ".EXE".as_ref()),
        ])
        .with_cwd(d.path());
        let c = Context::from_env(&env).unwrap();
        assert_eq!((c.root.dir(), c.cwd.as_path()), (root.as_path(), d.path()));
        assert_eq!(
            (c.exts.as_slice(), c.path_var.as_ref()),
            (&[".EXE".into()][..], None)
        );
        let active = c.active().unwrap();
        let names: Vec<String> = active.iter().map(|a| a.name.to_string()).collect();
        assert_eq!(names, ["3.12.1", "../x", "system"]);
        assert_eq!(
            c.active_prefix(&active[0]).unwrap(),
            root.join("versions").join("3.12.1")
        );
        assert_eq!(
            c.active_prefix(&active[1]).unwrap_err().to_string(),
            Error::NotInstalled {
                version: "../x".into(),
                origin: "%PYENV_VERSION%".into()
            }
            .to_string()
        );
        if cfg!(unix) {
            // No PATH: nothing outside pyv to find.
            assert!(matches!(
                c.active_prefix(&active[2]),
                Err(Error::NoSystemPython { .. })
            ));
        }
        assert!(matches!(
            c.installed_prefix(&VersionRequest::lenient("../x")),
            Err(Error::InvalidVersionName(t)) if t == "../x"
        ));
        assert!(matches!(
            c.installed_prefix(&req("3.11:latest")),
            Err(Error::UnknownVersion(t)) if t == "3.11:latest"
        ));
        assert_eq!(
            c.installed_prefix(&req("3:latest")).unwrap(),
            root.join("versions").join("3.12.1")
        );
        let no_folder = crate::MemoryEnv::from_pairs([("PYENV_ROOT", root.as_os_str())]);
        assert!(matches!(
            Context::from_env(&no_folder),
            Err(Error::Io { .. })
        ));
    }
}
