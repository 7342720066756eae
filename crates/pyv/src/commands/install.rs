//! `install` and `update`: the catalog says what to fetch, the downloader fetches and
//! verifies it into `install_cache\`, the versions library lands it in `versions\`.

use crate::cli::{InstallArgs, NetArgs};
use crate::commands::{manage, net};
use crate::error::CliError;
use crate::output::line;
use crate::progress::{Bar, Progress};
use pyv_catalog::{self as catalog, ArchFilter, ArtifactKind, CatalogError, Entry, UpdateOptions};
use pyv_core::{prog, Context, Root, VersionRequest};
use pyv_install::{self as install, Event, InstallOptions, PackageKind, PipOutcome, Status};
use pyv_net::Client;

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
    let loaded = catalog::load(&root.versions_cache_xml())?;
    let cat = &loaded.catalog;
    let filter = match (a.only32, a.only64) {
        (true, _) => ArchFilter::Only32,
        (_, true) => ArchFilter::Only64,
        _ => ArchFilter::All,
    };
    if a.list {
        cat.list(filter).for_each(|e| line(&e.name));
        return Ok(());
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
        unknown
            .iter()
            .for_each(|u| eprintln!("{}: {u}", prog::name()));
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
    let mut results: Vec<(String, Vec<String>, Result<(), CliError>)> = Vec::new();
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
                let (lines, r) = j.join().unwrap_or_else(|_| {
                    let e = CliError::Message("the install thread failed".into());
                    (Vec::new(), Err(e))
                });
                results.push((name, lines, r));
            }
        });
    }
    let mut failed = false;
    for (name, lines, r) in results {
        lines.iter().for_each(|l| progress.println(l));
        match r {
            Ok(()) => progress.println(&format!(":: [Info] :: completed! {name}")),
            Err(e) => {
                failed = true;
                let msg = match &e {
                    CliError::Net(n) => net::report(n, a.net.verbose),
                    other => other.to_string(),
                };
                eprintln!("{}: couldn't install {name}: {msg}", prog::name());
            }
        }
    }
    // New versions bring new commands; the results above stand whatever happens here.
    if let Err(e) = manage::rehash_now(ctx) {
        failed = true;
        eprintln!(
            "{}: shims not updated: {e}; run '{} rehash'",
            prog::name(),
            prog::name()
        );
    }
    if failed {
        Err(CliError::Exit(1))
    } else {
        Ok(())
    }
}

fn install_one(
    root: &Root,
    client: &Client,
    e: &Entry,
    a: &InstallArgs,
    bar: &Bar,
) -> Result<(), CliError> {
    let url = catalog::mirror_url(&e.url, &client.config().mirror);
    let dest = root.install_cache_dir().join(&e.file);
    if a.force {
        // pyenv-win's -f fetches the package anew.
        let _ = std::fs::remove_file(&dest);
    }
    bar.message("Downloading");
    client.download(&url, &dest, e.sha256.as_deref(), &mut |done, total| {
        bar.update(done, total)
    })?;
    bar.message("Installing");
    let kind = match &e.kind {
        ArtifactKind::ZipWithRoot { zip_root_dir } => {
            PackageKind::ZipWithRoot(zip_root_dir.clone())
        }
        _ => PackageKind::detect(&dest)?,
    };
    let opts = InstallOptions {
        force: a.force,
        ..InstallOptions::default()
    };
    // Most events are detail; waiting and leftovers are what a user needs to hear of.
    let done = install::install(root, &e.name, &dest, &kind, &opts, &mut |ev| {
        match ev {
        Event::WaitingForLock { .. } => bar.message("Waiting for another install of it"),
        Event::LeftBehind { path, error } => eprintln!(
            "{}: warning: could not remove {} ({error}); the next install or uninstall of {} removes it",
            prog::name(),
            path.display(),
            e.name
        ),
        _ => {}
    }
    })?;
    if let PipOutcome::Failed(w) = &done.pip {
        eprintln!("{}: warning: {w}", prog::name());
    }
    if a.register {
        install::register(root, &e.name)?;
    }
    bar.finish(match done.status {
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
    // The errors for a damaged cache say "run 'pyv update'": update must then get past it.
    // It rewrites both files, starting from the built-in list.
    let previous = match catalog::load(&xml) {
        Ok(loaded) => loaded.catalog,
        Err(CatalogError::BadXml { path, reason } | CatalogError::BadSidecar { path, reason }) => {
            eprintln!(
                "{}: warning: '{}' is damaged ({reason}); rebuilding it",
                prog::name(),
                path.display()
            );
            catalog::snapshot()
        }
        Err(e) => return Err(e.into()),
    };
    let client = net::client(root, net)?;
    let opts = UpdateOptions::new(client.config().mirror.clone());
    line(format!(":: [Info] ::  Mirror: {}", client.config().mirror));
    let report = catalog::update(&opts, Some(&previous), |url: &str| {
        client
            .get_text(url)
            .map_err(|e| net::report(&e, net.verbose))
    })?;
    for w in &report.warnings {
        eprintln!("{}: warning: {w}", prog::name());
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
