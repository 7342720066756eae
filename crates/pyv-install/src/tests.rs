//! Installs and uninstalls end to end, on zips the tests write with the zip crate.

use super::kind::{self, Landing};
use super::staging;
use super::*;
use pyv_core::root::RootSource;
use std::fs::File;
use std::io::Write;
use std::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

enum E<'a> {
    File(&'a str, &'a str),
    Dir(&'a str),
    Link(&'a str, &'a str),
}

fn make_zip(path: &Path, entries: &[E]) {
    let mut w = ZipWriter::new(File::create(path).unwrap());
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for e in entries {
        match e {
            E::File(n, data) => {
                w.start_file(*n, opts).unwrap();
                w.write_all(data.as_bytes()).unwrap();
            }
            E::Dir(n) => w.add_directory(*n, opts).unwrap(),
            E::Link(n, t) => w.add_symlink(*n, *t, opts).unwrap(),
        }
    }
    w.finish().unwrap();
}

/// A python.org runtime zip: the version's files at the root.
const RUNTIME: &[E] = &[
    E::File("python.exe", "python 3.12"),
    E::File("pythonw.exe", "pythonw 3.12"),
    E::File("python312.dll", "dll"),
    E::Dir("Lib/"),
    E::File("Lib/os.py", "import abc"),
    E::File("Lib/venv/scripts/nt/python.exe", "venv launcher"),
    E::File("DLLs/_ctypes.pyd", "pyd"),
];

struct Fixture {
    _dir: tempfile::TempDir,
    root: Root,
    pkgs: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = Root::new(dir.path().join("pyenv-win"), RootSource::Default);
    fs::create_dir_all(root.install_cache_dir()).unwrap();
    let pkgs = root.install_cache_dir();
    Fixture {
        _dir: dir,
        root,
        pkgs,
    }
}

impl Fixture {
    fn zip(&self, file: &str, entries: &[E]) -> PathBuf {
        let p = self.pkgs.join(file);
        make_zip(&p, entries);
        p
    }

    fn install(&self, name: &str, package: &Path, force: bool) -> Result<Installed, InstallError> {
        let file = package.file_name().unwrap().to_str().unwrap();
        let kind = PackageKind::from_file_name(file).unwrap();
        let opts = InstallOptions {
            force,
            ..InstallOptions::default()
        };
        install(&self.root, name, package, &kind, &opts, &mut |_| {})
    }

    /// Everything in `versions/`, sorted: work folders left behind show up here.
    fn versions(&self) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.root.versions_dir())
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    fn read(&self, name: &str, rel: &str) -> String {
        fs::read_to_string(self.root.version_dir(name).join(rel)).unwrap()
    }

    fn work_folders_in_cache(&self) -> Vec<String> {
        fs::read_dir(self.root.install_cache_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".pyv-") && !n.ends_with(".lock"))
            .collect()
    }
}

#[test]
fn runtime_zip_extracts_as_is_with_pyenv_win_aliases() {
    let f = fixture();
    let pkg = f.zip("python-3.12.1-amd64.zip", RUNTIME);
    assert_eq!(
        kind::landing(&PackageKind::Zip, &pkg).unwrap(),
        Landing::Extract { prefix: None }
    );
    let mut events = Vec::new();
    let r = install(
        &f.root,
        "3.12.1",
        &pkg,
        &PackageKind::Zip,
        &InstallOptions::default(),
        &mut |e| events.push(e),
    )
    .unwrap();
    assert_eq!(r.status, Status::Installed);
    assert_eq!(r.dir, f.root.version_dir("3.12.1"));
    assert_eq!(f.versions(), ["3.12.1"]);
    assert_eq!(f.read("3.12.1", "Lib/os.py"), "import abc");
    assert_eq!(f.read("3.12.1", "DLLs/_ctypes.pyd"), "pyd");
    for alias in ["python3.exe", "python312.exe", "python3.12.exe"] {
        assert_eq!(f.read("3.12.1", alias), "python 3.12", "{alias}");
        assert!(r.aliases.contains(&r.dir.join(alias)));
    }
    assert_eq!(f.read("3.12.1", "pythonw3.12.exe"), "pythonw 3.12");
    assert_eq!(
        f.read("3.12.1", "Lib/venv/scripts/nt/python3.12.exe"),
        "venv launcher"
    );
    // Aliases are reported at their final paths, all of which exist.
    assert!(r.aliases.iter().all(|p| p.is_file()));
    assert!(matches!(events[0], Event::Extracting { .. }));
    // No ensurepip in this package: nothing to set pip up with.
    assert_eq!(r.pip, PipOutcome::Unavailable);
    assert!(f.work_folders_in_cache().is_empty());
}

#[test]
fn nupkg_extracts_only_tools_without_the_prefix() {
    let f = fixture();
    let pkg = f.zip(
        "python.3.10.11.nupkg",
        &[
            E::File("_rels/.rels", "rels"),
            E::File("[Content_Types].xml", "types"),
            E::File("python.nuspec", "spec"),
            E::Dir("tools/"),
            E::File("tools/python.exe", "python 3.10"),
            E::File("tools/Lib/os.py", "os"),
            E::File("package/services/metadata/core-properties/x.psmdcp", "meta"),
            E::File("toolsmith.txt", "not under tools/"),
        ],
    );
    f.install("3.10.11", &pkg, false).unwrap();
    let dir = f.root.version_dir("3.10.11");
    let mut top: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            "Lib",
            "python.exe",
            "python3.10.exe",
            "python3.exe",
            "python310.exe"
        ]
    );
    assert_eq!(f.read("3.10.11", "Lib/os.py"), "os");
}

#[test]
fn zip_with_one_top_folder_extracts_that_folders_content() {
    let f = fixture();
    let name = "pypy3.10-v7.3.17-win64";
    let pkg = f.zip(
        "pypy3.10-v7.3.17-win64.zip",
        &[
            E::Dir("pypy3.10-v7.3.17-win64/"),
            E::File("pypy3.10-v7.3.17-win64/pypy3.exe", "pypy"),
            E::File("pypy3.10-v7.3.17-win64/python.exe", "pypy as python"),
            E::File("pypy3.10-v7.3.17-win64/lib/pypy/os.py", "os"),
        ],
    );
    // The catalog says zip: the one top folder is found in the archive.
    assert_eq!(
        kind::landing(&PackageKind::Zip, &pkg).unwrap(),
        Landing::Extract {
            prefix: Some(name.into())
        }
    );
    f.install(name, &pkg, false).unwrap();
    assert_eq!(f.read(name, "pypy3.exe"), "pypy");
    assert_eq!(f.read(name, "lib/pypy/os.py"), "os");
    assert_eq!(f.read(name, "python3.10.exe"), "pypy as python");
    assert!(!f.root.version_dir(name).join(name).exists());

    // Given the wrong root folder, nothing matches: an empty package, not an empty version.
    let e = install(
        &f.root,
        "pypy-other",
        &pkg,
        &PackageKind::ZipWithRoot {
            zip_root_dir: "elsewhere".into(),
        },
        &InstallOptions::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, InstallError::EmptyPackage { .. }), "{e}");
    assert!(e.to_string().contains("under 'elsewhere/'"), "{e}");
    assert_eq!(f.versions(), [name]);
}

#[test]
fn lands_each_kind_its_way_and_reads_a_zips_layout() {
    let f = fixture();
    let any = Path::new("not read");
    for (kind, want) in [
        (PackageKind::Msi, Landing::Msi),
        (PackageKind::Exe, Landing::Bundle),
        (PackageKind::WebInstallExe, Landing::Bundle),
        (
            PackageKind::Nupkg,
            Landing::Extract {
                prefix: Some("tools".into()),
            },
        ),
    ] {
        assert_eq!(kind::landing(&kind, any).unwrap(), want);
    }
    // One folder but also a file at the root: a plain zip.
    let mixed = f.zip(
        "mixed.zip",
        &[E::File("a/b.txt", "x"), E::File("c.txt", "y")],
    );
    assert_eq!(
        kind::landing(&PackageKind::Zip, &mixed).unwrap(),
        Landing::Extract { prefix: None }
    );
    let garbage = f.pkgs.join("garbage.zip");
    fs::write(&garbage, "this is no zip").unwrap();
    assert!(matches!(
        kind::landing(&PackageKind::Zip, &garbage),
        Err(InstallError::BadArchive { kind: "zip", .. })
    ));
    let e = install(
        &f.root,
        "3.12.1",
        &garbage,
        &PackageKind::Zip,
        &InstallOptions::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, InstallError::BadArchive { .. }), "{e}");
    assert!(f.versions().is_empty());
}

#[test]
fn refuses_every_kind_of_escaping_entry_and_writes_nothing() {
    let f = fixture();
    let cases: Vec<(Vec<E>, &str, Refusal)> = vec![
        (
            vec![E::File("/abs/evil.exe", "x")],
            "/abs/evil.exe",
            Refusal::AbsolutePath,
        ),
        (
            vec![E::File("../evil.exe", "x")],
            "../evil.exe",
            Refusal::ParentComponent,
        ),
        (
            vec![E::File("Lib/../../../evil.exe", "x")],
            "Lib/../../../evil.exe",
            Refusal::ParentComponent,
        ),
        (
            vec![E::File("C:/evil.exe", "x")],
            "C:/evil.exe",
            Refusal::DriveOrStream,
        ),
        (
            vec![E::File("..\\..\\evil.exe", "x")],
            "..\\..\\evil.exe",
            Refusal::Backslash,
        ),
        (
            vec![E::Link("python3.exe", "../../../evil.exe")],
            "python3.exe",
            Refusal::LinkOutside,
        ),
        (
            vec![E::Link("Lib/site.py", "/etc/passwd")],
            "Lib/site.py",
            Refusal::LinkOutside,
        ),
        (
            vec![E::Link("Lib/site.py", "C:\\Windows\\win.ini")],
            "Lib/site.py",
            Refusal::LinkOutside,
        ),
        (
            vec![E::File("Lib", "a file"), E::File("Lib/os.py", "x")],
            "Lib/os.py",
            Refusal::Overwrite,
        ),
    ];
    for (i, (bad, entry, reason)) in cases.into_iter().enumerate() {
        // The bad entry comes after good ones: refusing must not leave those behind.
        let mut entries = vec![E::File("python.exe", "py"), E::File("DLLs/a.pyd", "a")];
        entries.extend(bad);
        let pkg = f.zip(&format!("bad{i}.zip"), &entries);
        let e = install(
            &f.root,
            "3.12.1",
            &pkg,
            &PackageKind::Zip,
            &InstallOptions::default(),
            &mut |_| {},
        )
        .unwrap_err();
        match &e {
            InstallError::RefusedEntry {
                entry: got,
                reason: r,
                ..
            } => assert_eq!((got.as_str(), *r), (entry, reason), "case {i}"),
            other => panic!("case {i}: {other}"),
        }
        assert!(e.to_string().contains(entry), "{e}");
        assert!(f.versions().is_empty(), "case {i}: {:?}", f.versions());
    }
    // Nothing landed next to versions/ or the root either.
    assert!(!f.root.dir().join("evil.exe").exists());
    assert!(!f.root.versions_dir().join("evil.exe").exists());
    assert!(!f.root.dir().parent().unwrap().join("evil.exe").exists());
}

#[test]
fn a_bad_entry_outside_the_nupkg_tools_folder_still_refuses_the_package() {
    let f = fixture();
    let pkg = f.zip(
        "python.3.10.11.nupkg",
        &[
            E::File("tools/python.exe", "py"),
            E::File("../outside.txt", "x"),
        ],
    );
    let e = f.install("3.10.11", &pkg, false).unwrap_err();
    assert!(matches!(
        e,
        InstallError::RefusedEntry {
            reason: Refusal::ParentComponent,
            ..
        }
    ));
}

#[test]
fn links_inside_the_package_become_copies() {
    let f = fixture();
    let pkg = f.zip(
        "linked.zip",
        &[
            E::Link("bin/python3", "python3.12"),
            E::Link("bin/python3.12", "../python.exe"),
            E::File("python.exe", "real"),
        ],
    );
    f.install("3.12.2", &pkg, false).unwrap();
    let p = f.root.version_dir("3.12.2").join("bin/python3");
    assert!(!fs::symlink_metadata(&p).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(p).unwrap(), "real");
    // A link to a folder is not supported.
    let pkg = f.zip(
        "dirlink.zip",
        &[E::File("Lib/os.py", "x"), E::Link("lib", "Lib")],
    );
    let e = f.install("3.12.3", &pkg, false).unwrap_err();
    assert!(matches!(
        e,
        InstallError::RefusedEntry {
            reason: Refusal::UnsupportedLink,
            ..
        }
    ));
}

/// Corrupts the stored bytes of one entry so that its CRC check fails while reading.
fn corrupt_entry(pkg: &Path, marker: &str) {
    let mut bytes = fs::read(pkg).unwrap();
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())
        .unwrap();
    bytes[at] ^= 0xff;
    fs::write(pkg, bytes).unwrap();
}

fn stored_zip(path: &Path, entries: &[(&str, &str)]) {
    let mut w = ZipWriter::new(File::create(path).unwrap());
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (n, data) in entries {
        w.start_file(*n, opts).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn failure_mid_extraction_leaves_no_version_and_no_work_folder() {
    let f = fixture();
    let pkg = f.pkgs.join("python-3.12.1-amd64.zip");
    stored_zip(
        &pkg,
        &[
            ("python.exe", "python"),
            ("Lib/os.py", "os"),
            ("Lib/zz_damaged.py", "DAMAGED-CONTENT-MARKER"),
            ("Lib/after.py", "after"),
        ],
    );
    corrupt_entry(&pkg, "DAMAGED-CONTENT-MARKER");
    let e = f.install("3.12.1", &pkg, false).unwrap_err();
    match &e {
        InstallError::DamagedEntry { entry, .. } => assert_eq!(entry, "Lib/zz_damaged.py"),
        other => panic!("{other}"),
    }
    assert!(e.to_string().contains("download it anew"), "{e}");
    assert!(f.versions().is_empty(), "{:?}", f.versions());
}

#[test]
fn force_replaces_only_after_the_new_version_is_complete() {
    let f = fixture();
    let old = f.zip(
        "old.zip",
        &[E::File("python.exe", "old"), E::File("old-only.txt", "o")],
    );
    let new = f.zip("new.zip", &[E::File("python.exe", "new")]);
    assert_eq!(
        f.install("3.11.9", &old, false).unwrap().status,
        Status::Installed
    );

    // Without force an installed version is left alone.
    let r = f.install("3.11.9", &new, false).unwrap();
    assert_eq!(
        (r.status, r.pip),
        (Status::AlreadyInstalled, PipOutcome::Skipped)
    );
    assert_eq!(f.read("3.11.9", "python.exe"), "old");

    // A failing --force keeps the old version whole.
    let broken = f.pkgs.join("broken.zip");
    stored_zip(&broken, &[("python.exe", "BROKEN-NEW-PYTHON")]);
    corrupt_entry(&broken, "BROKEN-NEW-PYTHON");
    f.install("3.11.9", &broken, true).unwrap_err();
    assert_eq!(f.read("3.11.9", "python.exe"), "old");
    assert_eq!(f.versions(), ["3.11.9"]);

    let r = f.install("3.11.9", &new, true).unwrap();
    assert_eq!(r.status, Status::Replaced);
    assert_eq!(f.read("3.11.9", "python.exe"), "new");
    assert_eq!(f.read("3.11.9", "python311.exe"), "new");
    assert!(!f.root.version_dir("3.11.9").join("old-only.txt").exists());
    assert_eq!(f.versions(), ["3.11.9"]);
}

#[test]
fn an_empty_folder_is_not_an_installed_version() {
    let f = fixture();
    fs::create_dir_all(f.root.version_dir("3.12.1")).unwrap();
    let pkg = f.zip("p.zip", RUNTIME);
    assert_eq!(
        f.install("3.12.1", &pkg, false).unwrap().status,
        Status::Installed
    );
    assert_eq!(f.read("3.12.1", "python.exe"), "python 3.12");
}

#[cfg(unix)]
#[test]
fn force_over_a_link_replaces_the_link_not_its_target() {
    let f = fixture();
    let elsewhere = f.root.dir().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("python.exe"), "theirs").unwrap();
    fs::create_dir_all(f.root.versions_dir()).unwrap();
    std::os::unix::fs::symlink(&elsewhere, f.root.version_dir("3.12.1")).unwrap();
    let pkg = f.zip("p.zip", RUNTIME);
    assert_eq!(
        f.install("3.12.1", &pkg, false).unwrap().status,
        Status::AlreadyInstalled
    );
    assert_eq!(
        f.install("3.12.1", &pkg, true).unwrap().status,
        Status::Replaced
    );
    assert!(!pyv_core::link::is_link(&f.root.version_dir("3.12.1")));
    assert_eq!(f.read("3.12.1", "python.exe"), "python 3.12");
    assert_eq!(
        fs::read_to_string(elsewhere.join("python.exe")).unwrap(),
        "theirs"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1);
}

#[test]
fn a_held_lock_makes_install_and_uninstall_report_busy() {
    let f = fixture();
    let pkg = f.zip("p.zip", RUNTIME);
    f.install("3.12.1", &pkg, false).unwrap();
    let held = staging::lock(&f.root, "3.12.1", false, |_| {}).unwrap();
    let opts = InstallOptions {
        force: true,
        wait_for_lock: false,
        ..InstallOptions::default()
    };
    let e = install(
        &f.root,
        "3.12.1",
        &pkg,
        &PackageKind::Zip,
        &opts,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        matches!(&e, InstallError::Busy { name, .. } if name == "3.12.1"),
        "{e}"
    );
    assert!(e.to_string().contains("wait for it to finish"));
    let e = uninstall(&f.root, "3.12.1").unwrap_err();
    assert!(matches!(e, InstallError::Busy { .. }), "{e}");
    // Another version's lock is independent.
    f.install("3.12.2", &pkg, false).unwrap();
    drop(held);
    uninstall(&f.root, "3.12.1").unwrap();
}

#[test]
fn a_second_install_waits_for_the_first_then_finds_the_version() {
    let f = fixture();
    let pkg = f.zip("p.zip", RUNTIME);
    let held = staging::lock(&f.root, "3.12.1", false, |_| {}).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        // The sender moves into the waiter: should it finish without waiting, the channel
        // closes and the test fails instead of hanging.
        let (root, package) = (&f.root, &pkg);
        let waiter = s.spawn(move || {
            install(
                root,
                "3.12.1",
                package,
                &PackageKind::Zip,
                &InstallOptions::default(),
                &mut |e| {
                    if let Event::WaitingForLock { .. } = e {
                        tx.send(()).unwrap();
                    }
                },
            )
        });
        // The waiter is blocked on the lock: install "from the other side" meanwhile,
        // as the holder of the lock, then let it go.
        rx.recv()
            .expect("the second install did not wait for the lock");
        assert!(f.versions().iter().all(|v| !v.starts_with(".pyv-tmp")));
        let work = f.root.versions_dir().join("first");
        fs::create_dir_all(&work).unwrap();
        fs::write(work.join("python.exe"), "first").unwrap();
        fs::rename(&work, f.root.version_dir("3.12.1")).unwrap();
        drop(held);
        let r = waiter.join().unwrap().unwrap();
        assert_eq!(r.status, Status::AlreadyInstalled);
    });
    assert_eq!(f.read("3.12.1", "python.exe"), "first");
}

#[test]
fn two_threads_installing_one_version_do_not_collide() {
    let f = fixture();
    let pkg = f.zip("p.zip", RUNTIME);
    let statuses: Vec<Status> = std::thread::scope(|s| {
        let a = s.spawn(|| f.install("3.12.1", &pkg, false));
        let b = s.spawn(|| f.install("3.12.1", &pkg, false));
        [a, b]
            .into_iter()
            .map(|h| h.join().unwrap().unwrap().status)
            .collect()
    });
    let mut sorted = statuses.clone();
    sorted.sort_by_key(|s| *s == Status::Installed);
    assert_eq!(sorted, [Status::AlreadyInstalled, Status::Installed]);
    assert_eq!(f.versions(), ["3.12.1"]);
}

#[test]
fn leftovers_of_a_killed_run_are_cleaned_and_a_moved_aside_version_restored() {
    let f = fixture();
    let versions = f.root.versions_dir();
    fs::create_dir_all(versions.join(".pyv-tmp-99999-0-3.12.1/Lib")).unwrap();
    fs::write(versions.join(".pyv-tmp-99999-0-3.12.1/Lib/half.py"), "half").unwrap();
    fs::create_dir_all(f.pkgs.join(".pyv-layout-99999-1-3.12.1")).unwrap();
    // Another version's work folder is not ours to touch.
    fs::create_dir_all(versions.join(".pyv-tmp-99999-2-3.12.1-win32")).unwrap();
    let pkg = f.zip("p.zip", RUNTIME);
    let mut events = Vec::new();
    let r = install(
        &f.root,
        "3.12.1",
        &pkg,
        &PackageKind::Zip,
        &InstallOptions::default(),
        &mut |e| events.push(e),
    )
    .unwrap();
    assert_eq!(r.status, Status::Installed);
    assert_eq!(f.versions(), [".pyv-tmp-99999-2-3.12.1-win32", "3.12.1"]);
    assert!(f.work_folders_in_cache().is_empty());
    let removed = events
        .iter()
        .filter(|e| matches!(e, Event::RemovedLeftover(_)))
        .count();
    assert_eq!(removed, 2);

    // Killed between moving the old version aside and moving the new one in.
    fs::rename(
        f.root.version_dir("3.12.1"),
        versions.join(".pyv-old-99999-3-3.12.1"),
    )
    .unwrap();
    fs::create_dir_all(versions.join(".pyv-tmp-99999-4-3.12.1")).unwrap();
    let mut events = Vec::new();
    let r = install(
        &f.root,
        "3.12.1",
        &pkg,
        &PackageKind::Zip,
        &InstallOptions::default(),
        &mut |e| events.push(e),
    )
    .unwrap();
    assert_eq!(r.status, Status::AlreadyInstalled);
    assert!(events.contains(&Event::RestoredPrevious(f.root.version_dir("3.12.1"))));
    assert_eq!(f.read("3.12.1", "python.exe"), "python 3.12");
    assert_eq!(f.versions(), [".pyv-tmp-99999-2-3.12.1-win32", "3.12.1"]);
}

/// Fails before `repair`: what a killed run left was put right only by the next install
/// or uninstall of that same version.
#[test]
fn repair_restores_and_cleans_every_version_but_those_locked_by_a_live_run() {
    let f = fixture();
    let versions = f.root.versions_dir();
    let pkg = f.zip("p.zip", RUNTIME);
    for v in ["3.12.1", "3.11.9", "3.10.4"] {
        f.install(v, &pkg, false).unwrap();
    }
    // 3.12.1 killed between the renames of --force; 3.11.9 killed after them;
    // 3.10.4 is being replaced by a live run that holds its lock.
    fs::rename(
        f.root.version_dir("3.12.1"),
        versions.join(".pyv-old-99999-0-3.12.1"),
    )
    .unwrap();
    fs::create_dir_all(versions.join(".pyv-tmp-99999-1-3.12.1/Lib")).unwrap();
    fs::create_dir_all(versions.join(".pyv-old-99999-2-3.11.9/Lib")).unwrap();
    fs::create_dir_all(f.pkgs.join(".pyv-layout-99999-3-3.11.9")).unwrap();
    fs::create_dir_all(versions.join(".pyv-tmp-99999-4-3.10.4")).unwrap();
    fs::create_dir_all(versions.join(".pyv-del-99999-5-3.9.1")).unwrap();
    let live = staging::lock(&f.root, "3.10.4", false, |_| {}).unwrap();

    let r = repair(&f.root);
    assert_eq!(r.restored, [f.root.version_dir("3.12.1")]);
    let mut removed: Vec<String> = r
        .removed
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    removed.sort();
    assert_eq!(
        removed,
        [
            ".pyv-del-99999-5-3.9.1",
            ".pyv-layout-99999-3-3.11.9",
            ".pyv-old-99999-2-3.11.9",
            ".pyv-tmp-99999-1-3.12.1"
        ]
    );
    assert_eq!(r.failed, []);
    assert_eq!(
        f.versions(),
        [".pyv-tmp-99999-4-3.10.4", "3.10.4", "3.11.9", "3.12.1"]
    );
    assert_eq!(f.read("3.12.1", "python.exe"), "python 3.12");
    drop(live);
    assert_eq!(repair(&f.root).removed.len(), 1);
    assert_eq!(repair(&f.root), Repaired::default());
    assert_eq!(f.versions(), ["3.10.4", "3.11.9", "3.12.1"]);
}

#[test]
fn work_folder_names_belong_to_exactly_one_version() {
    use staging::{work_of, work_path, Work};
    let p = work_path(Path::new("v"), Work::New, "3.12");
    let file = p.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(work_of(&file, "3.12"), Some(Work::New));
    assert_eq!(work_of(&file, "3.1"), None);
    assert_eq!(work_of(".pyv-tmp-1-0-3.12-win32", "3.12"), None);
    assert_eq!(work_of(".pyv-old-1-0-x-1", "x-1"), Some(Work::Old));
    assert_eq!(work_of(".pyv-old-1-0-x-1", "x"), None);
    assert_eq!(
        work_of(".pyv-del-12-3-3.9.4", "3.9.4"),
        Some(Work::Deleting)
    );
    assert_eq!(work_of(".pyv-what-1-0-3.9.4", "3.9.4"), None);
    assert_eq!(work_of("3.9.4", "3.9.4"), None);
    // Selection (pyv-core, which the shim links alone) reads the set-aside name too.
    let old = work_path(Path::new("v"), Work::Old, "3.12.1-win32");
    let old = old.file_name().unwrap().to_str().unwrap();
    assert_eq!(pyv_core::set_aside::version_of(old), Some("3.12.1-win32"));
    assert_eq!(staging::work_name(old), Some((Work::Old, "3.12.1-win32")));
    // Two work paths in one process differ.
    assert_ne!(
        work_path(Path::new("v"), Work::New, "a"),
        work_path(Path::new("v"), Work::New, "a")
    );
}

#[test]
fn uninstall_removes_the_folder_through_a_rename() {
    let f = fixture();
    let pkg = f.zip("p.zip", RUNTIME);
    f.install("3.12.1", &pkg, false).unwrap();
    f.install("3.12.2", &pkg, false).unwrap();
    let u = uninstall(&f.root, "3.12.1").unwrap();
    assert_eq!(
        u,
        Uninstalled {
            name: "3.12.1".into(),
            was_link: false,
            unregistered: false
        }
    );
    assert_eq!(f.versions(), ["3.12.2"]);
    assert!(matches!(
        uninstall(&f.root, "3.12.1"),
        Err(InstallError::NotInstalled(_))
    ));
    assert!(matches!(
        uninstall(&f.root, "../3.12.2"),
        Err(InstallError::InvalidName(_))
    ));
    assert_eq!(f.versions(), ["3.12.2"]);
}

#[cfg(unix)]
#[test]
fn uninstalling_a_link_keeps_the_target_files() {
    let f = fixture();
    let target = f.root.dir().join("Miniconda3");
    fs::create_dir_all(target.join("Lib")).unwrap();
    fs::write(target.join("python.exe"), "conda").unwrap();
    fs::write(target.join("Lib/os.py"), "os").unwrap();
    fs::create_dir_all(f.root.versions_dir()).unwrap();
    std::os::unix::fs::symlink(&target, f.root.version_dir("conda")).unwrap();
    let u = uninstall(&f.root, "conda").unwrap();
    assert!(u.was_link);
    assert!(fs::symlink_metadata(f.root.version_dir("conda")).is_err());
    assert_eq!(
        fs::read_to_string(target.join("python.exe")).unwrap(),
        "conda"
    );
    assert_eq!(fs::read_to_string(target.join("Lib/os.py")).unwrap(), "os");
    assert!(f.versions().is_empty());
}

#[cfg(not(windows))]
#[test]
fn windows_installers_and_registration_are_refused_elsewhere() {
    let f = fixture();
    let msi = f.pkgs.join("python-3.4.4.amd64.msi");
    fs::write(&msi, "msi").unwrap();
    let e = f.install("3.4.4", &msi, false).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("MSI packages can only be installed on Windows"),
        "{e}"
    );
    let exe = f.pkgs.join("python-3.9.13-amd64.exe");
    fs::write(&exe, "exe").unwrap();
    let e = f.install("3.9.13", &exe, false).unwrap_err();
    assert!(matches!(e, InstallError::WindowsOnly { .. }));
    assert!(f.versions().is_empty());

    let pkg = f.zip("p.zip", RUNTIME);
    f.install("3.12.1", &pkg, false).unwrap();
    assert!(matches!(
        register(&f.root, "3.12.1"),
        Err(InstallError::RegisterUnsupported(_))
    ));
    assert!(matches!(
        register(&f.root, "3.12.9"),
        Err(InstallError::NotInstalled(_))
    ));
    f.install("pypy3.10-v7.3.17-win64", &pkg, false).unwrap();
    assert!(matches!(
        register(&f.root, "pypy3.10-v7.3.17-win64"),
        Err(InstallError::NotRegistrable(_))
    ));
    assert!(!unregister(&f.root, "3.12.1").unwrap());
}

#[test]
fn rejects_bad_names_and_missing_packages() {
    let f = fixture();
    let pkg = f.zip("p.zip", RUNTIME);
    for bad in ["", "..", "../x", "a/b", "C:x", ".pyv-tmp-1-0-x"] {
        assert!(
            matches!(
                f.install(bad, &pkg, false),
                Err(InstallError::InvalidName(_))
            ),
            "{bad:?}"
        );
    }
    let e = install(
        &f.root,
        "3.12.1",
        &f.pkgs.join("missing.zip"),
        &PackageKind::Zip,
        &InstallOptions::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, InstallError::PackageMissing { .. }));
    assert!(e.to_string().contains("install 3.12.1"), "{e}");
}

#[test]
fn every_message_is_one_line_with_a_next_step() {
    let io = || std::io::Error::other("boom");
    let p = PathBuf::from("x");
    let errors = [
        InstallError::InvalidName("..".into()),
        InstallError::PackageMissing {
            name: "3.12.1".into(),
            path: p.clone(),
            source: io(),
        },
        InstallError::DamagedEntry {
            path: p.clone(),
            entry: "a".into(),
            source: io(),
        },
        InstallError::RefusedEntry {
            path: p.clone(),
            entry: "../a".into(),
            reason: Refusal::ParentComponent,
        },
        InstallError::EmptyPackage {
            path: p.clone(),
            where_: String::new(),
        },
        InstallError::Busy {
            name: "3.12.1".into(),
            lock: p.clone(),
        },
        InstallError::NotInstalled("3.12.1".into()),
        InstallError::io("write", &p, io()),
        InstallError::WindowsOnly { kind: "MSI" },
        InstallError::Spawn {
            program: p.clone(),
            source: io(),
        },
        InstallError::Msiexec {
            msi: p.clone(),
            code: 1618,
            meaning: "x; wait",
            log: p.clone(),
        },
        InstallError::Layout {
            exe: p.clone(),
            detail: "exit code 1".into(),
        },
        InstallError::Leftover {
            name: "3.12.1".into(),
            path: p.clone(),
            source: io(),
        },
        InstallError::RegisterUnsupported("3.12.1".into()),
        InstallError::NotRegistrable("pypy".into()),
        InstallError::Registry {
            key: "k".into(),
            source: io(),
        },
    ];
    for e in errors {
        let m = e.to_string();
        assert!(!m.contains('\n'), "{m}");
        assert!(
            m.contains("; ") || m.contains(": use "),
            "no next step: {m}"
        );
        assert_eq!(e.exit_code(), 1);
    }
}
