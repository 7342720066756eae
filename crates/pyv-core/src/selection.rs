//! Which version(s) are selected, and by what: `PYENV_VERSION`, the nearest
//! `.python-version`, then the global `version` file.

use crate::arch::Arch;
use crate::compat::Compat;
use crate::env::{Env, ProcessEnv};
use crate::error::{Error, PyenvError};
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

impl Origin {
    /// The origin as the mode's tool words it in `(set by …)`.
    pub fn text(&self, compat: Compat) -> String {
        match (self, compat) {
            (Origin::Env, Compat::Pyenv) => "PYENV_VERSION environment variable".to_string(),
            _ => self.to_string(),
        }
    }
}

/// What pyenv mode's `which` searches besides the selected versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WhichOptions {
    /// Look on PATH (outside the shims) after the selected versions (`--nosystem` clears it).
    pub system: bool,
    /// List the versions that have the command when none selected does (`--skip-advice`
    /// clears it).
    pub advice: bool,
}

impl Default for WhichOptions {
    fn default() -> WhichOptions {
        WhichOptions {
            system: true,
            advice: true,
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
    /// Where a note goes that does not stop the command (pyenv mode's "invalid version
    /// ignored"): standard error by default; the CLI routes it through its output module.
    pub warn: fn(&str),
    installed: OnceCell<Vec<VersionName>>,
    system: OnceCell<Option<SystemPython>>,
    active: OnceCell<Vec<Active>>,
    /// pyenv mode's local request, read once so that its notes are given once.
    local: OnceCell<Option<Request>>,
}

fn warn_on_stderr(msg: &str) {
    eprintln!("{}: {msg}", crate::prog::name());
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
            warn: warn_on_stderr,
            installed: OnceCell::new(),
            system: OnceCell::new(),
            active: OnceCell::new(),
            local: OnceCell::new(),
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
        let versions = match self.compat {
            Compat::PyenvWin => request::split_shell(raw),
            // pyenv splits on `:` alone: `3.11 space` is one folder's name.
            Compat::Pyenv => request::split_colons(raw),
        };
        (!versions.is_empty()).then_some(Request {
            versions,
            origin: Origin::Env,
        })
    }

    /// The nearest `.python-version` from the current folder up, if any holds versions.
    /// pyenv mode: the nearest that exists, even empty (then it selects `system`).
    pub fn local_request(&self) -> Result<Option<Request>, Error> {
        if self.compat.is_pyenv() {
            if let Some(r) = self.local.get() {
                return Ok(r.clone());
            }
            let r = self.local_request_pyenv()?;
            return Ok(self.local.get_or_init(|| r).clone());
        }
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

    fn local_request_pyenv(&self) -> Result<Option<Request>, Error> {
        for (depth, dir) in self.cwd.ancestors().enumerate() {
            let file = dir.join(LOCAL_FILE);
            if let Some(words) = self.read_local_with(&file, depth, version_file::read_words)? {
                return Ok(Some(Request {
                    versions: self.pyenv_words(words, &file),
                    origin: Origin::File(file),
                }));
            }
        }
        Ok(None)
    }

    /// pyenv's check of a version file's words (CVE-2022-35861): `..` or a path is kept
    /// only when it names a folder below `versions/`; others are noted and skipped.
    /// A word may list several versions itself (`3.12:3.9`): pyenv joins the words with `:`
    /// and splits them again.
    fn pyenv_words(&self, words: Vec<String>, file: &Path) -> Vec<VersionRequest> {
        words
            .into_iter()
            .filter(|w| {
                let safe = !(w == ".." || w.contains('/')) || self.pyenv_folder(w).is_some();
                if !safe {
                    (self.warn)(&format!(
                        "invalid version `{}' ignored in `{}'",
                        crate::quote::user_text(w),
                        file.display()
                    ));
                }
                safe
            })
            .flat_map(|w| {
                w.split(':')
                    .filter(|p| !p.is_empty())
                    .map(VersionRequest::lenient)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The version file `file`, `depth` folders above the current one. A path longer than
    /// the OS takes (PATH_MAX: a current folder nested deeper than that) is read by the
    /// short relative path `../../.python-version` instead, when this context's folder is
    /// the process's own: `..` walks the same physical parents `cwd.ancestors()` names, as
    /// the current folder came from `getcwd`. Messages still name the absolute path.
    fn read_local(&self, file: &Path, depth: usize) -> Result<Option<Vec<VersionRequest>>, Error> {
        self.read_local_with(file, depth, version_file::read)
    }

    /// [`Context::read_local`] with the reader of the mode.
    fn read_local_with<T>(
        &self,
        file: &Path,
        depth: usize,
        read: fn(&Path) -> Result<Option<T>, Error>,
    ) -> Result<Option<T>, Error> {
        match read(file) {
            Err(Error::Io { source, .. }) if is_name_too_long(&source) && self.is_process_cwd() => {
                let mut relative: PathBuf = std::iter::repeat_n("..", depth).collect();
                relative.push(LOCAL_FILE);
                read(&relative).map_err(|e| match e {
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
        if self.compat.is_pyenv() {
            let words = version_file::read_words(&file)?;
            return Ok(words
                .map(|w| self.pyenv_words(w, &file))
                .filter(|v| !v.is_empty())
                .map(|versions| Request {
                    versions,
                    origin: Origin::File(file),
                }));
        }
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
        let req = match self.request()? {
            // pyenv: an empty local file selects `system`, set by that file.
            Some(r) if r.versions.is_empty() => Request {
                versions: vec![VersionRequest::System],
                origin: r.origin,
            },
            Some(r) => r,
            // pyenv: nothing selected is `system`, set by the global file it did not find.
            None if self.compat.is_pyenv() => Request {
                versions: vec![VersionRequest::System],
                origin: Origin::File(self.root.global_version_file()),
            },
            None => return Err(Error::NoVersionSet),
        };
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

    /// A request resolved against the installed versions, or kept as written. pyenv mode
    /// also reads `python-3.12` as `3.12` when no folder has the longer name.
    pub fn resolve_installed(&self, request: &VersionRequest) -> VersionRequest {
        let resolved = self.resolve_as_written(request);
        if self.compat.is_pyenv() && self.prefix(&resolved).is_none() {
            let text = request.to_string();
            if let Some(bare) = text.strip_prefix(PYTHON_PREFIX) {
                let stripped = self.resolve_as_written(&VersionRequest::lenient(bare));
                if self.prefix(&stripped).is_some() {
                    return stripped;
                }
            }
        }
        resolved
    }

    fn resolve_as_written(&self, request: &VersionRequest) -> VersionRequest {
        resolve::resolve_installed(
            request,
            |folder| self.root.version_dir(folder).is_dir(),
            || self.installed(),
            self.arch,
        )
    }

    /// pyenv mode: `versions/<text>` for a name that is not a version name but is a folder
    /// pyenv selects (`3.11 space`, `3.12.4/envs/venv1`). Only plain names below
    /// `versions/`: no `..`, no root, so no text reaches outside it (CVE-2022-35861).
    fn pyenv_folder(&self, text: &str) -> Option<PathBuf> {
        let plain = !text.is_empty()
            && !text.contains('\\')
            && Path::new(text)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        let dir = self.root.version_dir(text);
        (plain && self.compat.is_pyenv() && dir.is_dir()).then_some(dir)
    }

    /// The folder of an installed version: `versions/<name>`, or for `system` without such
    /// a folder, the folder of the Python found outside pyv.
    pub fn prefix(&self, version: &VersionRequest) -> Option<PathBuf> {
        if let VersionRequest::Other(text) = version {
            return self.pyenv_folder(text);
        }
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
        if self.compat.is_pyenv() {
            let name = self.resolve_installed(request);
            return match self.prefix(&name) {
                Some(dir) => Ok(dir),
                None if name.is_system() => Err(PyenvError::NoSystem.into()),
                None => Err(PyenvError::UnknownVersion(request.to_string()).into()),
            };
        }
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
                let request = match self.compat {
                    Compat::PyenvWin => VersionRequest::parse(text)?,
                    // pyenv takes any folder's name; `pyenv_folder` keeps it in `versions/`.
                    Compat::Pyenv => VersionRequest::lenient(text),
                };
                self.installed_prefix(&request)?;
                Ok(request)
            })
            .collect()
    }

    /// The folder of a selected version, or the error for one that is not there.
    pub fn active_prefix(&self, active: &Active) -> Result<PathBuf, Error> {
        match self.prefix(&active.name) {
            Some(dir) => Ok(dir),
            None if self.compat.is_pyenv() => Err(self.not_installed(active)),
            None if active.name.is_system() => Err(system::not_found_error()),
            None => Err(Error::NotInstalled {
                version: active.name.to_string(),
                origin: active.origin.to_string(),
            }),
        }
    }

    /// pyenv mode's error for a selected version that is not there.
    pub fn not_installed(&self, active: &Active) -> Error {
        if active.name.is_system() {
            return PyenvError::NoSystem.into();
        }
        PyenvError::NotInstalled {
            version: active.name.to_string(),
            origin: active.origin.text(self.compat),
        }
        .into()
    }

    /// `pyv which`: the file that runs `cmd` in the first active version that has it.
    pub fn which(&self, cmd: &str) -> Result<PathBuf, Error> {
        self.which_with(cmd, WhichOptions::default())
    }

    /// [`Context::which`] with pyenv's options (pyenv-win mode has none: they change nothing).
    pub fn which_with(&self, cmd: &str, options: WhichOptions) -> Result<PathBuf, Error> {
        if self.compat.is_pyenv() {
            return self.which_pyenv(cmd, options);
        }
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

    /// pyenv's `which`: the selected versions in order, skipping those not installed, then
    /// PATH outside the shims; only when nothing has `cmd` are the missing versions named.
    fn which_pyenv(&self, cmd: &str, options: WhichOptions) -> Result<PathBuf, Error> {
        let mut missing = Vec::new();
        for active in self.active()? {
            let found = match self.prefix(&active.name) {
                // `system` without a `versions/system` folder: anything on PATH.
                _ if active.name.is_system() && !self.has_system_folder() => self.find_on_path(cmd),
                Some(prefix) => self.find_in_prefix(&active.name, &prefix, cmd),
                None => {
                    missing.push(active);
                    None
                }
            };
            if let Some(found) = found {
                return Ok(found);
            }
        }
        if let Some(found) = options.system.then(|| self.find_on_path(cmd)).flatten() {
            return Ok(found);
        }
        let missing = missing
            .iter()
            .map(|a| match self.not_installed(a) {
                Error::Pyenv(e) => e,
                _ => PyenvError::NoSystem,
            })
            .collect();
        Err(PyenvError::CommandNotFound {
            command: cmd.to_string(),
            missing,
            available_in: options.advice.then(|| self.whence_names(cmd)),
        }
        .into())
    }

    fn has_system_folder(&self) -> bool {
        self.root.version_dir(request::SYSTEM).is_dir()
    }

    /// `cmd` in the first folder on PATH that has it, pyv's shims left out (pyenv's
    /// `command -v` with the shims removed from PATH).
    pub fn find_on_path(&self, cmd: &str) -> Option<PathBuf> {
        let shims = self.root.shims_dir();
        std::env::split_paths(self.path_var.as_deref()?)
            .filter(|d| !d.as_os_str().is_empty() && !crate::path_check::same_dir(d, &shims))
            .find_map(|d| exe::find_in_dir(&d, cmd, &self.exts))
    }

    /// pyenv's prefix of `system`: the folder above the `bin` (or `sbin`) that holds the
    /// first `python`, `python3` or `python2` on PATH; `/` for `/bin/python`.
    pub fn system_prefix_pyenv(&self) -> Option<PathBuf> {
        if self.has_system_folder() {
            return self.prefix(&VersionRequest::System);
        }
        let python = ["python", "python3", "python2"]
            .iter()
            .find_map(|n| self.find_on_path(n))?;
        let dir = python.parent()?;
        let top = match dir.file_name().and_then(|n| n.to_str()) {
            Some("bin" | "sbin") => dir.parent()?,
            _ => dir,
        };
        Some(top.to_path_buf())
    }

    /// The versions whose commands get shims, read now (a command may just have changed
    /// `versions/`): the installed ones, and in pyenv mode every listed folder and
    /// environment too (pyenv's `versions --executables`), so that a command only an
    /// environment has still has a shim.
    pub fn shim_versions(&self) -> Vec<VersionName> {
        let mut out = installed_in(&self.root.versions_dir());
        if self.compat.is_pyenv() {
            out.extend(
                self.listing()
                    .into_iter()
                    .filter(|l| !out.iter().any(|v| v.as_str() == l.name))
                    .map(|l| VersionName::new(l.name))
                    .collect::<Vec<_>>(),
            );
        }
        out
    }

    /// pyenv mode's listing of `versions/` (see [`crate::listing`]).
    pub fn listing(&self) -> Vec<crate::listing::Listed> {
        crate::listing::list(&self.root.versions_dir())
    }

    /// pyenv's `whence`: every listed version and environment whose `bin` has `cmd`.
    fn whence_names(&self, cmd: &str) -> Vec<String> {
        self.whence(cmd).into_iter().map(|(name, _)| name).collect()
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

    /// `pyv whence`: every installed version that has `cmd`, with the file. pyenv mode:
    /// every listed folder and environment that has it, as pyenv prints them.
    pub fn whence(&self, cmd: &str) -> Vec<(String, PathBuf)> {
        if self.compat.is_pyenv() {
            return self
                .listing()
                .into_iter()
                // The version's folder and `Scripts` too, for a Windows layout (Git Bash).
                .filter_map(|l| {
                    let prefix = crate::link::resolve_dir(&l.path);
                    exe::find_command(&prefix, cmd, &self.exts).map(|p| (l.name, p))
                })
                .collect();
        }
        self.installed()
            .iter()
            .filter_map(|v| {
                let prefix = crate::link::resolve_dir(&self.root.version_dir(v.as_str()));
                exe::find_command(&prefix, cmd, &self.exts).map(|p| (v.to_string(), p))
            })
            .collect()
    }

    /// pyenv-win mode's PATH, exactly as its `pyenv.bat` builds it (see
    /// [`crate::exec_path`]): each selected version's folders, pip's user scripts, and the
    /// old PATH without the shims.
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

    /// PATH for running `target`, the file [`Context::which`] found: pyenv mode follows
    /// pyenv's `exec` (the target's folder first when it is inside the root, so `system`
    /// and commands found on PATH leave PATH as it was); pyenv-win mode is
    /// [`Context::pyenv_win_exec_path`].
    pub fn exec_path_for(&self, target: &Path) -> Option<OsString> {
        if self.compat.is_pyenv_win() {
            return self.pyenv_win_exec_path();
        }
        let mut dirs: Vec<PathBuf> = target
            .parent()
            .filter(|d| d.starts_with(self.root.dir()))
            .map(Path::to_path_buf)
            .into_iter()
            .collect();
        if let Some(old) = &self.path_var {
            dirs.extend(std::env::split_paths(old));
        }
        std::env::join_paths(dirs).ok()
    }

    /// pyenv mode: the `PYENV_VERSION` pyenv's `exec` passes on (its `version-name -f`), so
    /// that what the command starts in turn, from any folder, uses the same versions.
    pub fn exec_version(&self) -> Option<String> {
        if !self.compat.is_pyenv() {
            return None;
        }
        let names: Vec<String> = self
            .active()
            .ok()?
            .iter()
            .map(|a| a.name.to_string())
            .collect();
        Some(names.join(":"))
    }

    /// Whether `system` can be selected (a `versions/system` folder or a discovered Python).
    pub fn has_system(&self) -> bool {
        if self.compat.is_pyenv() {
            return self.system_prefix_pyenv().is_some();
        }
        self.prefix(&VersionRequest::System).is_some()
    }
}

/// The prefix pyenv strips from a selected version's name (`python-3.12` means `3.12`).
const PYTHON_PREFIX: &str = "python-";

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

    /// A pyenv-win mode context (the tests below check pyenv-win's rules unless they say).
    fn ctx(root: &Path, cwd: &Path) -> Context {
        let mut c = Context::new(Root::new(root, RootSource::Default), cwd.to_path_buf());
        c.compat = Compat::PyenvWin;
        c
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
            ("PYV_COMPAT", "pyenv-win".as_ref()),
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

    #[test]
    fn pyenv_mode_selects_system_by_default_and_folders_pyenv_names() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        for v in ["3.12.4", "3.11 space", "3.12.4/envs/venv1"] {
            std::fs::create_dir_all(root.join("versions").join(v)).unwrap();
        }
        let mut c = ctx(&root, d.path());
        c.compat = Compat::Pyenv;
        assert_eq!(
            c.active().unwrap(),
            [Active {
                name: VersionRequest::System,
                origin: Origin::File(root.join("version"))
            }]
        );
        let mut c = ctx(&root, d.path());
        c.compat = Compat::Pyenv;
        c.pyenv_version = Some("python-3.12:3.11 space:3.12.4/envs/venv1:../../etc".into());
        let names: Vec<String> = c
            .active()
            .unwrap()
            .iter()
            .map(|a| a.name.to_string())
            .collect();
        assert_eq!(
            names,
            ["3.12.4", "3.11 space", "3.12.4/envs/venv1", "../../etc"]
        );
        let prefixes: Vec<Option<PathBuf>> = c
            .active()
            .unwrap()
            .iter()
            .map(|a| c.prefix(&a.name))
            .collect();
        assert_eq!(
            prefixes,
            [
                Some(root.join("versions").join("3.12.4")),
                Some(root.join("versions").join("3.11 space")),
                Some(root.join("versions").join("3.12.4/envs/venv1")),
                // Never a folder outside versions/, whatever exists there.
                None,
            ]
        );
        assert_eq!(
            Origin::Env.text(Compat::Pyenv),
            "PYENV_VERSION environment variable"
        );
        assert_eq!(Origin::Env.text(Compat::PyenvWin), "%PYENV_VERSION%");
    }
}
