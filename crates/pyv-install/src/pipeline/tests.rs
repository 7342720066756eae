//! The pipeline against a python.org-shaped HTTPS mirror on 127.0.0.1, with a reporter
//! that records what it is told.

use super::*;
use crate::Status;
use pyv_catalog::Artifact;
use pyv_core::root::RootSource;
use pyv_core::MemoryEnv;
use pyv_net::{NetConfig, NetOptions};
use pyv_testserver::{Fixture, Misbehave, Profile, Rule, Server};
use std::io::Write;
use std::time::Duration;

/// What a [`Reporter`] was told, progress left out (see [`Recorder::progress`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rec {
    DownloadStarted(String),
    DownloadDone { bytes: u64, reused: bool },
    Installing(PackageKind),
    Event(Event),
    Registering,
    Warning(Warning),
}

#[derive(Default)]
struct Recorder {
    steps: Vec<Rec>,
    progress: Vec<(u64, Option<u64>)>,
    /// Another install's lock, let go of once the pipeline says it waits for it.
    held_lock: Option<std::fs::File>,
}

impl Reporter for Recorder {
    fn download_started(&mut self, url: &str, _dest: &Path) {
        self.steps.push(Rec::DownloadStarted(url.to_string()));
    }
    fn download_progress(&mut self, done: u64, total: Option<u64>) {
        self.progress.push((done, total));
    }
    fn download_done(&mut self, d: &Downloaded) {
        self.steps.push(Rec::DownloadDone {
            bytes: d.bytes,
            reused: d.reused,
        });
    }
    fn installing(&mut self, _package: &Path, kind: &PackageKind) {
        self.steps.push(Rec::Installing(kind.clone()));
    }
    fn event(&mut self, event: &Event) {
        if matches!(event, Event::WaitingForLock { .. }) {
            self.held_lock = None;
        }
        self.steps.push(Rec::Event(event.clone()));
    }
    fn registering(&mut self) {
        self.steps.push(Rec::Registering);
    }
    fn warning(&mut self, warning: &Warning) {
        self.steps.push(Rec::Warning(warning.clone()));
    }
}

/// A zip of `(name, content)` entries.
fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        for (name, content) in entries {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(content.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

const RUNTIME: &[(&str, &str)] = &[
    ("python.exe", "python 3.12"),
    ("python312.dll", "dll"),
    ("Lib/os.py", "import abc"),
];

struct Mirror {
    fixture: Fixture,
    server: Server,
    dir: tempfile::TempDir,
    root: Root,
}

fn mirror() -> Mirror {
    let fixture = Fixture::new();
    let server = fixture.https(Profile::Good);
    let dir = tempfile::tempdir().unwrap();
    let root = Root::new(dir.path().join("pyenv-win"), RootSource::Default);
    Mirror {
        fixture,
        server,
        dir,
        root,
    }
}

impl Mirror {
    /// Serves `bytes` as `/python/<rel>` and returns the catalog entry for it, with
    /// python.org's URL as the catalog keeps it.
    fn publish(&self, name: &str, rel: &str, kind: PackageKind, bytes: &[u8]) -> Entry {
        self.server
            .add_file(&format!("/python/{rel}"), bytes.to_vec());
        let file = rel.rsplit('/').next().unwrap();
        let scratch = self.dir.path().join("hash-me");
        std::fs::write(&scratch, bytes).unwrap();
        let (sha, _) = pyv_net::download::hash_file(&scratch).unwrap();
        Entry::new(
            name,
            Artifact {
                file: file.into(),
                url: format!("{}/{rel}", pyv_catalog::DEFAULT_BASE),
                kind,
                sha256: Some(sha),
            },
        )
    }

    /// A client whose mirror is this server and that trusts its root.
    fn client(&self) -> Client {
        let opts = NetOptions {
            cacert: vec![self.fixture.pki.write_root(self.dir.path()).unwrap()],
            mirror: Some(self.server.url("/python")),
            retries: Some(0),
            retry_backoff: Some(Duration::from_millis(10)),
            ..Default::default()
        };
        let env = MemoryEnv::new();
        Client::new(NetConfig::resolve(&opts, &env).unwrap()).unwrap()
    }

    fn fetches(&self, rel: &str) -> usize {
        let target = format!("/python/{rel}");
        let n = self.server.requests();
        n.iter().filter(|r| r.target == target).count()
    }

    fn read(&self, name: &str, rel: &str) -> String {
        std::fs::read_to_string(self.root.version_dir(name).join(rel)).unwrap()
    }
}

const ZIP: &str = "3.12.99/python-3.12.99-amd64.zip";

#[test]
fn downloads_verifies_and_lands_an_entry_and_tells_each_step_in_order() {
    let m = mirror();
    let bytes = zip_of(RUNTIME);
    let entry = m.publish("3.12.99", ZIP, PackageKind::Zip, &bytes);
    let mut rec = Recorder::default();
    let out = install_entry(
        &m.root,
        &m.client(),
        &entry,
        &PipelineOptions::default(),
        &mut rec,
    )
    .unwrap();

    let dest = m.root.install_cache_dir().join("python-3.12.99-amd64.zip");
    let dir = m.root.version_dir("3.12.99");
    assert_eq!(
        rec.steps,
        [
            Rec::DownloadStarted(m.server.url(&format!("/python/{ZIP}"))),
            Rec::DownloadDone {
                bytes: bytes.len() as u64,
                reused: false
            },
            Rec::Installing(PackageKind::Zip),
            Rec::Event(Event::Extracting {
                package: dest.clone(),
                kind: PackageKind::Zip
            }),
        ]
    );
    let last = rec.progress.last().copied();
    assert_eq!(last, Some((bytes.len() as u64, Some(bytes.len() as u64))));
    assert!(rec.progress.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(out.downloaded.path, dest);
    assert_eq!(
        (out.installed.status, &out.installed.dir),
        (Status::Installed, &dir)
    );
    assert_eq!(out.installed.pip, PipOutcome::Unavailable);
    assert!(!out.registered);
    assert_eq!(m.read("3.12.99", "Lib/os.py"), "import abc");
    assert_eq!(m.read("3.12.99", "python3.12.exe"), "python 3.12");
}

#[test]
fn the_catalogs_kind_decides_not_the_file_name() {
    let m = mirror();
    let client = m.client();
    // A NuGet package behind a .zip name: only tools/ becomes the version.
    let nupkg = zip_of(&[("python.nuspec", "spec"), ("tools/python.exe", "nuget")]);
    let entry = m.publish("3.10.99", "3.10.99/odd.zip", PackageKind::Nupkg, &nupkg);
    install_entry(&m.root, &client, &entry, &Default::default(), &mut ()).unwrap();
    assert_eq!(m.read("3.10.99", "python.exe"), "nuget");
    assert!(!m.root.version_dir("3.10.99").join("python.nuspec").exists());

    // pyenv-win's zipRootDir: that folder's content, whatever else the zip holds.
    let pypy = zip_of(&[("pypy/python.exe", "pypy"), ("extra/readme.txt", "x")]);
    let kind = PackageKind::ZipWithRoot {
        zip_root_dir: "pypy".into(),
    };
    let entry = m.publish("pypy3.10-v7.3.99-win64", "pypy/p.zip", kind, &pypy);
    install_entry(&m.root, &client, &entry, &Default::default(), &mut ()).unwrap();
    assert_eq!(m.read("pypy3.10-v7.3.99-win64", "python.exe"), "pypy");
    assert!(!m
        .root
        .version_dir("pypy3.10-v7.3.99-win64")
        .join("extra")
        .exists());

    // An MSI needs msiexec: refused here once downloaded, nothing landed.
    let entry = m.publish(
        "3.4.99",
        "3.4.99/python-3.4.99.zip",
        PackageKind::Msi,
        b"msi",
    );
    let err = install_entry(&m.root, &client, &entry, &Default::default(), &mut ()).unwrap_err();
    assert!(
        matches!(
            err,
            PipelineError::Install(InstallError::WindowsOnly { kind: "MSI" })
        ),
        "{err}"
    );
    assert!(!m.root.version_dir("3.4.99").exists());
}

#[test]
fn a_wrong_hash_is_a_download_error_and_nothing_lands() {
    let m = mirror();
    let mut entry = m.publish("3.12.99", ZIP, PackageKind::Zip, &zip_of(RUNTIME));
    entry.sha256 = Some("ab".repeat(32));
    let mut rec = Recorder::default();
    let err =
        install_entry(&m.root, &m.client(), &entry, &Default::default(), &mut rec).unwrap_err();
    assert!(
        matches!(err, PipelineError::Download(NetError::HashMismatch { .. })),
        "{err}"
    );
    assert_eq!(m.fetches(ZIP), 2, "fetched once more, then gave up");
    assert_eq!(
        rec.steps,
        [Rec::DownloadStarted(
            m.server.url(&format!("/python/{ZIP}"))
        )]
    );
    assert!(!m.root.version_dir("3.12.99").exists());
    assert!(!m
        .root
        .install_cache_dir()
        .join("python-3.12.99-amd64.zip")
        .exists());
}

#[test]
fn a_missing_package_is_the_mirrors_404() {
    let m = mirror();
    let entry = m.publish("3.12.99", ZIP, PackageKind::Zip, &zip_of(RUNTIME));
    m.server.set_rule(
        &format!("/python/{ZIP}"),
        Rule::always(Misbehave::Status(404)),
    );
    let err =
        install_entry(&m.root, &m.client(), &entry, &Default::default(), &mut ()).unwrap_err();
    let PipelineError::Download(net) = &err else {
        panic!("{err}");
    };
    assert_eq!(net.category(), Some(pyv_net::Category::NotFound), "{err}");
    assert!(!m.root.version_dir("3.12.99").exists());
}

#[test]
fn the_cached_package_is_reused_unless_asked_to_fetch_it_anew() {
    let m = mirror();
    let client = m.client();
    let entry = m.publish("3.12.99", ZIP, PackageKind::Zip, &zip_of(RUNTIME));
    install_entry(&m.root, &client, &entry, &Default::default(), &mut ()).unwrap();

    let mut rec = Recorder::default();
    let again = install_entry(&m.root, &client, &entry, &Default::default(), &mut rec).unwrap();
    assert_eq!(again.installed.status, Status::AlreadyInstalled);
    assert!(again.downloaded.reused);
    assert_eq!(m.fetches(ZIP), 1);
    assert!(!rec
        .steps
        .iter()
        .any(|s| matches!(s, Rec::Event(Event::Extracting { .. }))));

    let force = PipelineOptions {
        install: InstallOptions {
            force: true,
            ..Default::default()
        },
        redownload: true,
        ..Default::default()
    };
    let forced = install_entry(&m.root, &client, &entry, &force, &mut ()).unwrap();
    assert_eq!(forced.installed.status, Status::Replaced);
    assert!(!forced.downloaded.reused);
    assert_eq!(m.fetches(ZIP), 2);
}

#[test]
fn waiting_for_another_install_is_reported_before_the_landing_goes_on() {
    let m = mirror();
    let entry = m.publish("3.12.99", ZIP, PackageKind::Zip, &zip_of(RUNTIME));
    let cache = m.root.install_cache_dir();
    std::fs::create_dir_all(&cache).unwrap();
    let lock_path = cache.join(".pyv-3.12.99.lock");
    let held = std::fs::File::create(&lock_path).unwrap();
    held.lock().unwrap();
    let mut rec = Recorder {
        held_lock: Some(held),
        ..Default::default()
    };
    let out = install_entry(&m.root, &m.client(), &entry, &Default::default(), &mut rec).unwrap();
    assert_eq!(out.installed.status, Status::Installed);
    let at = |want: &dyn Fn(&Rec) -> bool| rec.steps.iter().position(want).unwrap();
    let waiting = at(&|s| {
        *s == Rec::Event(Event::WaitingForLock {
            lock: lock_path.clone(),
        })
    });
    let extracting = at(&|s| matches!(s, Rec::Event(Event::Extracting { .. })));
    assert!(at(&|s| matches!(s, Rec::Installing(_))) < waiting && waiting < extracting);
}

#[test]
fn registering_off_windows_fails_after_the_install() {
    let m = mirror();
    let entry = m.publish("3.12.99", ZIP, PackageKind::Zip, &zip_of(RUNTIME));
    let opts = PipelineOptions {
        register: true,
        ..Default::default()
    };
    let mut rec = Recorder::default();
    let err = install_entry(&m.root, &m.client(), &entry, &opts, &mut rec).unwrap_err();
    assert!(
        matches!(
            err,
            PipelineError::Register(InstallError::RegisterUnsupported(_))
        ),
        "{err}"
    );
    assert_eq!(rec.steps.last(), Some(&Rec::Registering));
    assert!(crate::is_installed(&m.root, "3.12.99"));
}

#[test]
fn warnings_read_as_the_cli_printed_them() {
    let left = Warning::LeftBehind {
        name: "3.12.1".into(),
        path: PathBuf::from("/r/versions/.pyv-old-3.12.1"),
        error: "Access is denied. (os error 5)".into(),
    };
    assert_eq!(
        left.to_string(),
        "could not remove /r/versions/.pyv-old-3.12.1 (Access is denied. (os error 5)); the next install or uninstall of 3.12.1 removes it"
    );
    let pip = Warning::Pip("pip was not set up for 3.12.1".into());
    assert_eq!(pip.to_string(), "pip was not set up for 3.12.1");
}
