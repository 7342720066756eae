//! global, local, shell, version, version-name, versions.

use crate::cli::SetArgs;
use crate::error::CliError;
use crate::output::{self, line};
use pyv_core::link::{is_link, target_of};
use pyv_core::quote::user_text;
use pyv_core::version_file::{self, LOCAL_FILE};
use pyv_core::{Active, Compat, Context, Origin, PyenvError, VersionRequest};
use std::path::{Path, PathBuf};

pub fn global(ctx: &Context, a: SetArgs) -> Result<(), CliError> {
    set_or_show(
        ctx,
        a,
        &ctx.root.global_version_file(),
        ctx.global_request()?,
        "no global version configured",
    )
}

/// pyenv's answer when `global`/`local` has nothing to show: `system` for global (what is
/// then selected), an error for local.
fn pyenv_none(file: &Path, ctx: &Context) -> Result<(), CliError> {
    if *file == ctx.root.global_version_file() {
        line("system");
        Ok(())
    } else {
        Err(pyv_core::Error::from(PyenvError::NoLocal).into())
    }
}

pub fn local(ctx: &Context, a: SetArgs) -> Result<(), CliError> {
    let file = ctx.cwd.join(LOCAL_FILE);
    set_or_show(
        ctx,
        a,
        &file,
        ctx.local_request()?,
        "no local version configured for this directory",
    )
}

/// Shows the versions a file holds, or validates and writes the new ones as written
/// (pyenv-win keeps `3.11` literally so it follows new patch installs).
fn set_or_show(
    ctx: &Context,
    a: SetArgs,
    file: &Path,
    current: Option<pyv_core::Request>,
    none: &str,
) -> Result<(), CliError> {
    if a.unset {
        return Ok(version_file::remove(file)?);
    }
    if a.versions.is_empty() {
        match current {
            // pyenv: a local file with no version in it prints nothing and fails.
            Some(r) if r.versions.is_empty() => return Err(CliError::Exit(1)),
            Some(r) => r.versions.iter().for_each(|v| line(v.to_string())),
            None if ctx.compat.is_pyenv() => return pyenv_none(file, ctx),
            None => line(none),
        }
        return Ok(());
    }
    let versions = if a.force && ctx.compat.is_pyenv() {
        // pyenv writes any text unchecked; reading it back keeps it inside versions/.
        a.versions
            .iter()
            .map(|v| VersionRequest::lenient(v))
            .collect()
    } else if a.force {
        a.versions
            .iter()
            .map(|v| VersionRequest::parse(v))
            .collect::<Result<_, _>>()
            .map_err(pyv_core::Error::from)?
    } else {
        ctx.installed_requests(&a.versions)?
    };
    Ok(version_file::write(file, &versions)?)
}

pub fn shell(ctx: &Context, a: SetArgs) -> Result<(), CliError> {
    // pyenv has no `shell` program: only the function of `init -` gives it meaning.
    if ctx.compat.is_pyenv() {
        return Err(CliError::ShellNotInitialised);
    }
    if a.versions.is_empty() && !a.unset {
        match ctx.shell_request() {
            Some(r) => line(join(&r.versions)),
            // pyenv-win's `pyenv-shell.bat` says so on stdout and succeeds.
            None if ctx.compat.is_pyenv_win() => line(CliError::NoShellVersion.to_string()),
            None => return Err(CliError::NoShellVersion),
        }
        return Ok(());
    }
    // Reached only without the shell function from `pyv init`, which routes `shell` to
    // `sh-shell`: an exe cannot change its parent shell's variables.
    ctx.installed_requests(&a.versions)?;
    Err(CliError::ShellIntegrationMissing {
        hint: {
            use crate::commands::shell_hint::{detect, enable_hint};
            enable_hint(detect(&pyv_core::ProcessEnv, ctx.compat), ctx.compat)
        },
    })
}

/// Requests as written, space-separated (how `PYENV_VERSION` lists them).
pub fn join(versions: &[VersionRequest]) -> String {
    let texts: Vec<String> = versions.iter().map(ToString::to_string).collect();
    texts.join(" ")
}

pub fn version(ctx: &Context, bare: bool) -> Result<(), CliError> {
    if ctx.compat.is_pyenv() {
        let (found, complete) = pyenv_names(ctx, false)?;
        for a in &found {
            let name = shown(&a.name);
            match bare {
                true => line(name),
                false => line(format!("{name} (set by {})", a.origin.text(ctx.compat))),
            }
        }
        return exit_if(!complete);
    }
    if bare {
        return for_each_active(ctx, |name, _| line(name));
    }
    for_each_active(ctx, |name, origin| {
        line(format!("{name} (set by {origin})"))
    })
}

pub fn version_name(ctx: &Context, force: bool) -> Result<(), CliError> {
    if ctx.compat.is_pyenv() {
        // pyenv joins several with `:`, as PYENV_VERSION lists them.
        let (found, complete) = pyenv_names(ctx, force)?;
        let names: Vec<String> = found.iter().map(|a| shown(&a.name)).collect();
        line(names.join(":"));
        return exit_if(!complete);
    }
    // pyenv-win prints every selected name, installed or not: `-f` changes nothing.
    for_each_active(ctx, |name, _| line(name))
}

/// pyenv's `version-name`: the selected versions that are installed, each missing one
/// reported on standard error as it is met (or, with `force`, kept as written), and whether
/// none was missing.
fn pyenv_names(ctx: &Context, force: bool) -> Result<(Vec<Active>, bool), CliError> {
    let mut found = Vec::new();
    let mut complete = true;
    for a in ctx.active()? {
        // `system` is named even when no Python is on PATH, as pyenv does.
        if a.name.is_system() || ctx.prefix(&a.name).is_some() || force {
            found.push(a);
            continue;
        }
        output::report(&CliError::from(ctx.not_installed(&a)));
        complete = false;
    }
    Ok((found, complete))
}

fn exit_if(failed: bool) -> Result<(), CliError> {
    if failed {
        Err(CliError::Exit(1))
    } else {
        Ok(())
    }
}

/// pyenv's `version-file [dir]`: the nearest `.python-version` from `dir` (or the current
/// folder) up; without `dir`, the global file when there is none (printed even when it
/// does not exist, as pyenv does); with `dir`, exit 1 and nothing printed.
/// A relative `dir` is taken from the current folder, its links resolved (pyenv 2.6 loops
/// for ever on `version-file ..`).
pub fn version_file(ctx: &Context, dir: Option<&Path>) -> Result<(), CliError> {
    let start = match dir {
        None => ctx.cwd.clone(),
        Some(d) if d.is_absolute() => d.to_path_buf(),
        Some(d) => match ctx.cwd.join(d).canonicalize() {
            Ok(real) => real,
            Err(_) => return Err(CliError::Exit(1)),
        },
    };
    let found = start
        .ancestors()
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(LOCAL_FILE))
        .find(|f| f.is_file());
    match (found, dir) {
        (Some(f), _) => line(f.display().to_string()),
        (None, None) => line(ctx.root.global_version_file().display().to_string()),
        (None, Some(_)) => return Err(CliError::Exit(1)),
    }
    Ok(())
}

/// pyenv's `version-origin`: what selects the version, as `(set by …)` names it.
pub fn version_origin(ctx: &Context) -> Result<(), CliError> {
    let origin = match ctx.request()? {
        Some(r) => r.origin,
        None => Origin::File(ctx.root.global_version_file()),
    };
    line(origin.text(ctx.compat));
    Ok(())
}

/// pyenv-win mode's reports: every selected version, installed or not (the commands that
/// need the interpreter judge). A name is shown escaped: it may come from any file or
/// variable, and control characters must not reach the terminal.
fn for_each_active(ctx: &Context, mut f: impl FnMut(&str, &Origin)) -> Result<(), CliError> {
    for a in ctx.active()? {
        f(&shown(&a.name), &a.origin);
    }
    Ok(())
}

/// A selected name as printed: escaped (`-f` prints names no folder vouches for).
fn shown(name: &VersionRequest) -> String {
    user_text(&name.to_string()).to_string()
}

/// `versions`' options.
pub struct ListOptions {
    pub bare: bool,
    pub skip_aliases: bool,
    pub skip_envs: bool,
    pub executables: bool,
}

pub fn versions(ctx: &Context, o: ListOptions) -> Result<(), CliError> {
    if o.executables {
        executables(ctx);
        return Ok(());
    }
    if ctx.compat == Compat::Pyenv {
        return versions_pyenv(ctx, &o);
    }
    let (bare, skip_aliases) = (o.bare, o.skip_aliases);
    // A broken selection must not hide the list: marks are simply left out then.
    let active = ctx.active().unwrap_or_default();
    let mut names: Vec<VersionRequest> = ctx
        .installed()
        .iter()
        .map(|v| VersionRequest::from(v.clone()))
        .collect();
    if !bare && !names.iter().any(VersionRequest::is_system) && ctx.has_system() {
        names.insert(0, VersionRequest::System);
    }
    for name in names {
        let dir = ctx.root.version_dir(&name.to_string());
        let link = is_link(&dir).then(|| target_of(&dir)).flatten();
        // An alias is a link to another version (pyenv's `3.12 -> 3.12.1`).
        let versions_dir = ctx.root.versions_dir();
        if skip_aliases
            && link
                .as_deref()
                .is_some_and(|t| versions_dir.join(t).starts_with(&versions_dir))
        {
            continue;
        }
        if bare {
            line(name.to_string());
            continue;
        }
        let shown = match &link {
            Some(t) => format!("{name} --> {}", t.display()),
            None => name.to_string(),
        };
        match active.iter().find(|a| a.name == name) {
            Some(a) => line(format!("* {shown} (set by {})", a.origin)),
            None => line(format!("  {shown}")),
        }
    }
    Ok(())
}

/// pyenv's `versions`: `system` first when there is one, every folder and environment,
/// the selected ones marked; a missing selected version is reported first.
fn versions_pyenv(ctx: &Context, o: &ListOptions) -> Result<(), CliError> {
    let active = if o.bare {
        Vec::new()
    } else {
        pyenv_names(ctx, false)?.0
    };
    let origin = ctx.request()?.map_or_else(
        || Origin::File(ctx.root.global_version_file()),
        |r| r.origin,
    );
    let mark = |name: &str, shown: &str| {
        if active.iter().any(|a| a.name.to_string() == name) {
            line(format!("* {shown} (set by {})", origin.text(ctx.compat)));
        } else {
            line(format!("  {shown}"));
        }
    };
    let mut count = 0;
    if !o.bare && ctx.has_system() {
        mark("system", "system");
        count += 1;
    }
    for l in ctx.listing() {
        if (o.skip_aliases && l.alias) || (o.skip_envs && l.env) {
            continue;
        }
        count += 1;
        if o.bare {
            line(&l.name);
            continue;
        }
        match &l.link {
            Some(t) => mark(&l.name, &format!("{} --> {}", l.name, t.display())),
            None => mark(&l.name, &l.name),
        }
    }
    if count == 0 && !o.bare {
        output::stderr_bytes(b"Warning: no Python detected on the system\n");
        return Err(CliError::Exit(1));
    }
    Ok(())
}

/// `versions --executables`: the file names in every version's and environment's `bin`,
/// once each, in byte order (what `pyenv rehash` makes shims for).
fn executables(ctx: &Context) {
    let versions = ctx.root.versions_dir();
    let mut names: Vec<String> = Vec::new();
    let bins = |dir: PathBuf| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect()
    };
    for version in bins(versions) {
        let mut dirs = vec![version.join("bin")];
        dirs.extend(
            bins(version.join("envs"))
                .into_iter()
                .map(|e| e.join("bin")),
        );
        for dir in dirs {
            names.extend(
                bins(dir)
                    .iter()
                    .filter_map(|f| f.file_name()?.to_str().map(str::to_string)),
            );
        }
    }
    names.sort();
    names.dedup();
    names.iter().for_each(line);
}
