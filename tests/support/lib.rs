//! Helpers for the end-to-end tests: a temporary root under a path with spaces and
//! non-ASCII characters, fake Python versions laid out like real installs, and runs of
//! the built `pyv` and `pyv-shim` with a controlled environment.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::RwLock;

/// The folder holding the binaries built with the tests (`target/<profile>`), found from this
/// test executable (`target/<profile>/deps/<test>`).
fn build_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf()
}

/// The folder holding the `pyv` and `pyv-shim` under test: `PYV_TEST_BINARIES` when set (CI
/// points it at the release build, linked as it ships), else the ones built with the tests.
fn product_dir() -> PathBuf {
    std::env::var_os("PYV_TEST_BINARIES").map_or_else(build_dir, PathBuf::from)
}

/// A built executable: `pyv` and `pyv-shim` from [`product_dir`], helpers such as
/// `fakepython` from the tests' own build.
pub fn bin(name: &str) -> PathBuf {
    let dir = match name {
        "pyv" | "pyv-shim" => product_dir(),
        _ => build_dir(),
    };
    let p = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        p.is_file(),
        "{} is missing: run `cargo build --workspace --bins` before the tests{}",
        p.display(),
        if std::env::var_os("PYV_TEST_BINARIES").is_some() {
            " (or unset PYV_TEST_BINARIES)"
        } else {
            ""
        }
    );
    p
}

/// How the fake versions are laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// python.org's Windows layout (`python.exe`, `Scripts\pip.exe`), used with PATHEXT.
    Windows,
    /// pyenv's layout on Unix (`bin/python3.12`).
    Unix,
}

pub struct TestEnv {
    _tmp: tempfile::TempDir,
    pub tmp: PathBuf,
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub layout: Layout,
    vars: Vec<(String, String)>,
}

impl TestEnv {
    pub fn new(layout: Layout) -> TestEnv {
        let tmp_dir = tempfile::Builder::new()
            .prefix("pyv e2e ")
            .tempdir()
            .expect("tempdir");
        let tmp = canonical(tmp_dir.path());
        let root = tmp.join("Jürgen Ünïcode").join(".pyenv").join("pyenv-win");
        let cwd = tmp.join("my project");
        std::fs::create_dir_all(root.join("versions")).unwrap();
        std::fs::create_dir_all(&cwd).unwrap();
        let mut vars = vec![
            ("PYENV_ROOT".to_string(), root.display().to_string()),
            ("HOME".to_string(), tmp.join("home").display().to_string()),
            // Only the system's basic tools: no python outside the test's control.
            (
                "PATH".to_string(),
                "/usr/bin/nonexistent-for-tests".to_string(),
            ),
        ];
        if layout == Layout::Windows {
            vars.push(("PATHEXT".to_string(), ".COM;.EXE;.BAT;.CMD".to_string()));
        }
        TestEnv {
            _tmp: tmp_dir,
            tmp,
            root,
            cwd,
            layout,
            vars,
        }
    }

    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_string(), value.into()));
        self
    }

    pub fn unset(&mut self, key: &str) -> &mut Self {
        self.vars.retain(|(k, _)| k != key);
        self
    }

    /// A fake version `name` whose programs print their name, version and arguments.
    pub fn version(&self, name: &str) -> PathBuf {
        let dir = self.root.join("versions").join(name);
        let minor = name.split('.').take(2).collect::<Vec<_>>().join(".");
        let files: Vec<String> = match self.layout {
            Layout::Windows => vec![
                "python.exe".into(),
                "pythonw.exe".into(),
                "Scripts/pip.exe".into(),
                format!("Scripts/pip{minor}.exe"),
            ],
            Layout::Unix => vec![
                "bin/python".into(),
                "bin/python3".into(),
                format!("bin/python{minor}"),
                "bin/pip".into(),
                format!("bin/pip{minor}"),
            ],
        };
        for f in files {
            fake_program(&dir.join(f), name);
        }
        dir
    }

    /// Runs the built `pyv` in the project folder with the test environment.
    pub fn pyv<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run(&bin("pyv"), args)
    }

    pub fn run<I, S>(&self, program: &Path, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_with_stdin(program, args, "")
    }

    pub fn run_with_stdin<I, S>(&self, program: &Path, args: I, stdin: &str) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(&self.cwd)
            .env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)));
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let spawned = {
            let _gate = EXEC_GATE.read().unwrap_or_else(|e| e.into_inner());
            cmd.spawn()
        };
        let mut child = spawned.unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()));
        {
            use std::io::Write;
            let mut input = child.stdin.take().unwrap();
            let _ = input.write_all(stdin.as_bytes());
        }
        let out = child.wait_with_output().expect("wait");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            tmp: self.tmp.clone(),
        }
    }

    /// The shim of command `name` (`shims/<name>.exe` on Windows).
    pub fn shim(&self, name: &str) -> PathBuf {
        self.root
            .join("shims")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    }
}

/// The temporary folder as pyv will print it: symbolic links resolved (macOS' `/var` ->
/// `/private/var`; 8.3 short names on Windows), but on Windows without the `\\?\` prefix
/// `canonicalize` adds, since paths from PYENV_ROOT and the working folder have none.
fn canonical(p: &Path) -> PathBuf {
    let c = p.canonicalize().expect("canonical tmp");
    if cfg!(windows) {
        let s = c.to_string_lossy();
        // Only a drive path (`\\?\C:\...`); a UNC one (`\\?\UNC\...`) stays as it is.
        if let Some(rest) = s.strip_prefix(r"\\?\") {
            if rest.as_bytes().get(1) == Some(&b':') {
                return PathBuf::from(rest);
            }
        }
    }
    c
}

/// A fake program at `path` (a copy of the `fakepython` bin, see tests/src/bin/fakepython.rs)
/// that prints `<its file name> <version>` and then each argument in brackets, copies
/// standard input when `FAKE_STDIN` is set, prints `<VAR>=<value>` for `FAKE_ENV=<VAR>`,
/// exits with `FAKE_EXIT`, and — like pip — makes a new console script
/// `<its folder>/<name><SCRIPT_EXT>` when called as `… install <name>`.
///
/// A copy, not a link: pyv resolves links, and Windows cannot link files without privileges.
pub fn fake_program(path: &Path, version: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    copy_executable(&bin("fakepython"), path);
    // The fake reads its version from `<its path>.version` (see fakepython.rs).
    let mut sidecar = path.as_os_str().to_owned();
    sidecar.push(".version");
    std::fs::write(PathBuf::from(sidecar), version).unwrap();
}

/// Copies of executables and process starts exclude each other. On Linux a child forked
/// (by another test thread) while a copy's write handle is open holds that handle until it
/// execs, and starting the copy meanwhile fails with ETXTBSY ("Text file busy"), more often
/// on a loaded machine. `Command::spawn` returns only once the child has exec'd, so under
/// this lock no child can hold a copy open after `copy_executable` returns.
static EXEC_GATE: RwLock<()> = RwLock::new(());

/// Copies the program `from` to `to`, safe to start at once from any test thread (see
/// [`EXEC_GATE`]); every start goes through [`TestEnv::run`].
pub fn copy_executable(from: &Path, to: &Path) {
    let _gate = EXEC_GATE.write().unwrap_or_else(|e| e.into_inner());
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    tmp: PathBuf,
}

impl Output {
    /// Exit code, stdout and stderr as one text, with the temporary folder as `[TMP]`.
    pub fn snapshot(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "exit: {}", self.code);
        let _ = writeln!(s, "--- stdout");
        s.push_str(&self.stdout);
        let _ = writeln!(s, "--- stderr");
        s.push_str(&self.stderr);
        filter_tmp(&s, &self.tmp)
    }
}

/// `text` with `\` as `/` and the temporary folder `tmp` as `[TMP]`, in both forms Windows
/// may print it (`C:\...` and the verbatim `\\?\C:\...`).
pub fn filter_tmp(text: &str, tmp: &Path) -> String {
    let slashed = |s: &str| s.replace('\\', "/");
    let tmp = slashed(&tmp.display().to_string());
    slashed(text)
        .replace(&format!("//?/{tmp}"), "[TMP]")
        .replace(&tmp, "[TMP]")
}

/// `insta::assert_snapshot!` of an [`Output`], named after the calling test.
#[macro_export]
macro_rules! assert_cli {
    ($out:expr, @$snap:literal) => {
        insta::assert_snapshot!($out.snapshot(), @$snap)
    };
}

/// Whether these tests run under Wine (whose ntdll exports `wine_get_version`; Windows' does
/// not). Wine 8 cannot create reparse points (junctions), so junction-dependent steps skip
/// there, visibly; on real Windows they must pass. Checked in the process itself rather than
/// through WINEPREFIX, which only some ways of starting Wine set.
pub fn is_wine() -> bool {
    #[cfg(windows)]
    {
        pyv_windows::wine::is_wine()
    }
    #[cfg(not(windows))]
    {
        false
    }
}

/// True, after printing a `SKIP:` line, when `out` is a `pyv link` that failed only because
/// Wine cannot create junctions (`ERROR_NOT_SUPPORTED`, os error 50). Never true on Linux or
/// real Windows, nor under Wine when pyv manages without reparse points: the test goes on.
pub fn skip_link_under_wine(out: &Output, what: &str) -> bool {
    let skip = is_wine() && out.code != 0 && out.stderr.contains("(os error 50)");
    if skip {
        eprintln!(
            "SKIP: {what}: Wine cannot create junctions (no reparse points), so `pyv link` \
             failed: {}",
            out.stderr.trim()
        );
    }
    skip
}
