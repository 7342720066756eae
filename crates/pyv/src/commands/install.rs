//! `install` and `update`: the catalog says what to fetch and what kind of package it is;
//! pyv-install's pipeline downloads and verifies it into `install_cache\` and lands it in
//! `versions\`; this prints what the pipeline reports, a bar per version.

use crate::cli::{InstallArgs, NetArgs};
use crate::commands::{manage, net};
use crate::error::CliError;
use crate::output::line;
use crate::progress::{Bar, Progress};
use pyv_catalog::{self as catalog, ArchFilter, Entry, Loaded, PackageKind, UpdateOptions};
use pyv_core::{prog, Context, Env, ProcessEnv, Root, VersionRequest};
use pyv_install::{
    self as install, Event, InstallOptions, PipelineError, PipelineOptions, Reporter, Status,
    Warning,
};
use pyv_net::Client;
use std::path::Path;

/// Downloads and installs running at once.
const PARALLEL_INSTALLS: usize = 4;

pub fn install(ctx: &Context, a: InstallArgs) -> Result<(), CliError> {
    let root = &ctx.root;
    if a.clear {
        clear_cache(root)?;
        if a.versions.is_empty() && !a.all && !a.list {
            return Ok(());
        }
    }
    let loaded = load_catalog(root);
    let cat = &loaded.catalog;
    let filter = match (a.only32, a.only64) {
        (true, _) => ArchFilter::Only32,
        (_, true) => ArchFilter::Only64,
        _ => ArchFilter::All,
    };
    let windows_builds = windows_builds_asked(&ProcessEnv);
    if a.list {
        if ctx.compat.is_pyenv_win() {
            // pyenv-win names the mirror first in every `install`, the list included.
            let opts = net::options(root, &a.net, &ProcessEnv)?;
            let config = pyv_net::config::NetConfig::resolve(&opts, &ProcessEnv)?;
            line(format!(":: [Info] ::  Mirror: {}", config.mirror));
        }
        if !windows_builds {
            crate::output::warn(CliError::WindowsBuildsListed);
        }
        cat.list(filter).for_each(|e| line(&e.name));
        return Ok(());
    }
    if !windows_builds {
        return Err(CliError::WindowsBuildsRefused {
            os: std::env::consts::OS,
            versions: root.versions_dir(),
        });
    }
    if a.register && (a.all || a.only32) {
        return Err(CliError::RegisterRefused);
    }
    // Any text: what is not a name is "definition not found", as in pyenv-win.
    let requests: Vec<VersionRequest> = if a.all {
        cat.list(filter)
            .map(|e| VersionRequest::lenient(&e.name))
            .collect()
    } else if !a.versions.is_empty() {
        a.versions
            .iter()
            .map(|v| VersionRequest::lenient(v))
            .collect()
    } else {
        ctx.request()?
            .map(|r| r.versions)
            .ok_or(CliError::NothingToInstall)?
    };
    // Every request is checked before anything is downloaded, as pyenv-win does.
    let mut entries: Vec<&Entry> = Vec::new();
    let mut unknown = Vec::new();
    for r in &requests {
        match cat.resolve(r, ctx.arch) {
            Ok(e) if !entries.iter().any(|x| x.name == e.name) => entries.push(e),
            Ok(_) => {}
            Err(e) => unknown.push(e.to_string()),
        }
    }
    if let Some(last) = unknown.pop() {
        unknown.iter().for_each(crate::output::error);
        return Err(CliError::Message(last));
    }
    let progress = Progress::new(a.quiet);
    let (todo, present): (Vec<&Entry>, Vec<&Entry>) = entries
        .into_iter()
        .partition(|e| a.force || !install::is_installed(root, &e.name));
    for e in present {
        progress.println(&format!(":: [Info] ::  {} is already installed", e.name));
    }
    if todo.is_empty() {
        return Ok(());
    }
    let client = net::client(root, &a.net)?;
    progress.println(&format!(":: [Info] ::  Mirror: {}", client.config().mirror));
    // A few at a time: `install --all` must not open hundreds of connections at once.
    let mut results: Vec<(String, Vec<String>, Result<(), String>)> = Vec::new();
    for batch in todo.chunks(PARALLEL_INSTALLS) {
        std::thread::scope(|s| {
            let jobs: Vec<_> = batch
                .iter()
                .map(|e| {
                    let bar = progress.bar(&e.name);
                    let (client, a) = (&client, &a);
                    let job = s.spawn(move || {
                        let r = install_one(root, client, e, a, &bar);
                        (bar.take_lines(), r)
                    });
                    (e.name.clone(), job)
                })
                .collect();
            for (name, j) in jobs {
                let (lines, r) = match j.join() {
                    Ok((lines, r)) => (lines, r.map_err(|e| failure(&e, a.net.verbose))),
                    Err(_) => (Vec::new(), Err("the install thread failed".to_string())),
                };
                results.push((name, lines, r));
            }
        });
    }
    let mut failed = false;
    for (name, lines, r) in results {
        lines.iter().for_each(|l| progress.println(l));
        match r {
            Ok(()) => progress.println(&format!(":: [Info] :: completed! {name}")),
            Err(msg) => {
                failed = true;
                crate::output::error(format!("couldn't install {name}: {msg}"));
            }
        }
    }
    // New versions bring new commands; the results above stand whatever happens here.
    if let Err(e) = manage::rehash_now(ctx) {
        failed = true;
        crate::output::error(format!(
            "shims not updated: {e}; run '{} rehash'",
            prog::name()
        ));
    }
    if failed {
        Err(CliError::Exit(1))
    } else {
        Ok(())
    }
}

/// Whether installing python.org's Windows builds is what the user wants: always on
/// Windows; elsewhere only when asked for with `PYENV_FORCE_ARCH` (preparing a tree for
/// Windows machines), since such a build cannot run on this OS. Decided by the OS the
/// binary runs on, not by the compatibility mode.
fn windows_builds_asked(env: &dyn Env) -> bool {
    cfg!(windows) || env.non_empty(pyv_core::arch::FORCE_VAR).is_some()
}

/// The root's catalog for `install` and `latest --known`; a damaged file (set aside by
/// the load) is one warning line, and the built-in list serves meanwhile.
pub(super) fn load_catalog(root: &Root) -> Loaded {
    let loaded = catalog::load(&root.versions_cache_xml());
    if let Some(d) = &loaded.damaged {
        crate::output::warn(format!(
            "{d}; using {p}'s built-in list of versions until '{p} update' rebuilds it",
            p = prog::name()
        ));
    }
    loaded
}

/// The one line after "couldn't install <name>: "; a network failure with its diagnosis.
fn failure(e: &PipelineError, verbose: bool) -> String {
    match e {
        PipelineError::Download(n) => net::report(n, verbose),
        other => other.to_string(),
    }
}

/// What the pipeline tells, on this version's bar; warnings above the bars, on stderr.
struct Shown<'a> {
    bar: &'a Bar,
}

impl Reporter for Shown<'_> {
    fn download_started(&mut self, _url: &str, _dest: &Path) {
        self.bar.message("Downloading");
    }

    fn download_progress(&mut self, done: u64, total: Option<u64>) {
        self.bar.update(done, total);
    }

    fn installing(&mut self, _package: &Path, _kind: &PackageKind) {
        self.bar.message("Installing");
    }

    // Most steps are detail; waiting is what a user needs to hear of.
    fn event(&mut self, event: &Event) {
        if let Event::WaitingForLock { .. } = event {
            self.bar.message("Waiting for another install of it");
        }
    }

    fn warning(&mut self, warning: &Warning) {
        crate::output::warn(warning);
    }
}

fn install_one(
    root: &Root,
    client: &Client,
    e: &Entry,
    a: &InstallArgs,
    bar: &Bar,
) -> Result<(), PipelineError> {
    let opts = PipelineOptions {
        install: InstallOptions {
            force: a.force,
            ..InstallOptions::default()
        },
        // pyenv-win's -f fetches the package anew.
        redownload: a.force,
        register: a.register,
    };
    let done = install::install_entry(root, client, e, &opts, &mut Shown { bar })?;
    bar.finish(match done.installed.status {
        Status::AlreadyInstalled => "already installed",
        _ => "installed",
    });
    Ok(())
}

/// `install --clear`: downloaded packages go; lock files stay (another pyv may hold one).
fn clear_cache(root: &Root) -> Result<(), CliError> {
    let dir = root.install_cache_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".lock") {
            continue;
        }
        let p = e.path();
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.map_err(|err| pyv_core::Error::io(&p, err))?;
    }
    Ok(())
}

pub fn update(ctx: &Context, net: &NetArgs) -> Result<(), CliError> {
    let root = &ctx.root;
    std::fs::create_dir_all(root.dir()).map_err(|e| pyv_core::Error::io(root.dir(), e))?;
    let xml = root.versions_cache_xml();
    // A damaged cache was set aside by the load: update writes both files anew, starting
    // from the built-in list.
    let loaded = catalog::load(&xml);
    if let Some(d) = &loaded.damaged {
        crate::output::warn(format!(
            "{d}; rebuilding it from {}'s built-in list",
            prog::name()
        ));
    }
    let previous = loaded.catalog;
    let client = net::client(root, net)?;
    let opts = UpdateOptions::new(client.config().mirror.clone());
    line(format!(":: [Info] ::  Mirror: {}", client.config().mirror));
    // The index and the listing usually fail alike: the diagnosis is said once, its
    // repeats by their label only.
    let mut first: Option<pyv_net::Diagnosis> = None;
    let report = catalog::update(&opts, Some(&previous), |url: &str| {
        client.get_text(url).map_err(|e| {
            let repeat = match (&first, e.diagnosis()) {
                (Some(f), Some(d)) if !net.verbose && f.same_failure(d) => Some(d.repeated()),
                (None, Some(d)) => {
                    first = Some(d.clone());
                    None
                }
                _ => None,
            };
            repeat.unwrap_or_else(|| net::report(&e, net.verbose))
        })
    })?;
    for w in &report.warnings {
        crate::output::warn(w);
    }
    catalog::save(&report.catalog, &xml)?;
    let added = report.catalog.added_since(&previous);
    line(format!(
        ":: [Info] ::  {} versions known, {} new; saved to {}",
        report.catalog.len(),
        added.len(),
        xml.display()
    ));
    Ok(())
}
