//! global, local, shell, version, version-name, versions.

use crate::cli::SetArgs;
use crate::error::CliError;
use crate::output::line;
use pyv_core::link::{is_link, target_of};
use pyv_core::version_file::{self, LOCAL_FILE};
use pyv_core::{Context, Origin, VersionRequest};
use std::path::Path;

pub fn global(ctx: &Context, a: SetArgs) -> Result<(), CliError> {
    set_or_show(
        ctx,
        a,
        &ctx.root.global_version_file(),
        ctx.global_request()?,
        "no global version configured",
    )
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
            Some(r) => r.versions.iter().for_each(|v| line(v.to_string())),
            None => line(none),
        }
        return Ok(());
    }
    let versions = ctx.installed_requests(&a.versions)?;
    Ok(version_file::write(file, &versions)?)
}

pub fn shell(ctx: &Context, a: SetArgs) -> Result<(), CliError> {
    if a.versions.is_empty() && !a.unset {
        let r = ctx.shell_request().ok_or(CliError::NoShellVersion)?;
        line(join(&r.versions));
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

pub fn version(ctx: &Context) -> Result<(), CliError> {
    for_each_active(ctx, |name, origin| {
        line(format!("{name} (set by {origin})"))
    })
}

pub fn version_name(ctx: &Context) -> Result<(), CliError> {
    for_each_active(ctx, |name, _| line(name.to_string()))
}

/// Prints the installed active versions; a selected version that is not installed is an
/// error naming it and its origin (after the others are printed).
fn for_each_active(
    ctx: &Context,
    mut f: impl FnMut(&VersionRequest, &Origin),
) -> Result<(), CliError> {
    let mut missing = None;
    for a in ctx.active()? {
        match ctx.active_prefix(&a) {
            Ok(_) => f(&a.name, &a.origin),
            Err(e) => {
                missing.get_or_insert(e);
            }
        }
    }
    match missing {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

pub fn versions(ctx: &Context, bare: bool, skip_aliases: bool) -> Result<(), CliError> {
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
