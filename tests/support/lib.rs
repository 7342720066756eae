//! Helpers for the end-to-end tests: a temporary root under a path with spaces and
//! non-ASCII characters, fake Python versions laid out like real installs, and runs of
//! the built `pyv` and `pyv-shim` with a controlled environment.

// The test server is a Linux-side fixture (empty on Windows), and so is this mirror.
#[cfg(unix)]
pub mod mirror;

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
    /// Paths a test named for its snapshots (see [`TestEnv::redact`]).
    redactions: Filters,
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
            // Off Windows, `install` lands python.org's Windows builds only when asked
            // for (a tree prepared for Windows machines): the install tests ask, so they
            // test the pipeline on any OS. The refusal is tested with this unset.
            ("PYENV_FORCE_ARCH".to_string(), "AMD64".to_string()),
        ];
        if layout == Layout::Windows {
            vars.push(("PATHEXT".to_string(), ".COM;.EXE;.BAT;.CMD".to_string()));
            // A pyenv-win tree is tested in pyenv-win mode on every OS.
            vars.push(("PYV_COMPAT".to_string(), "pyenv-win".to_string()));
        }
        TestEnv {
            _tmp: tmp_dir,
            tmp,
            root,
            cwd,
            layout,
            vars,
            redactions: Filters::default(),
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

    /// `path` (outside the temporary folder, or inside it and more specific) as `label` in
    /// this environment's snapshots, e.g. a CA file from another temporary folder as `[CA]`.
    pub fn redact(&mut self, path: &Path, label: &str) -> &mut Self {
        self.redactions.path(path, label);
        self
    }

    /// The redactions of this environment's snapshots: the paths given to [`TestEnv::redact`],
    /// the temporary folder as `[TMP]`, then [`Filters::common`].
    pub fn filters(&self) -> Filters {
        let mut own = self.redactions.clone();
        own.path(&self.tmp, "[TMP]");
        own.then(&Filters::common())
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

    /// `program` set up to run as [`TestEnv::run`] runs it (folder, environment), for a
    /// test that must start it itself (to signal it while it runs, say): start it with
    /// [`spawn`].
    pub fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.cwd)
            .env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)));
        cmd
    }

    pub fn run_with_stdin<I, S>(&self, program: &Path, args: I, stdin: &str) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command(program);
        cmd.args(args);
        self.output_of(cmd, stdin)
    }

    /// Runs `cmd` (from [`TestEnv::command`], with whatever a test added) with `stdin`, and
    /// collects what it printed.
    pub fn output_of(&self, mut cmd: Command, stdin: &str) -> Output {
        let program = PathBuf::from(cmd.get_program());
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
            filters: self.filters(),
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

/// Starts `cmd` (from [`TestEnv::command`]) the way [`TestEnv::run`] does, without waiting.
pub fn spawn(cmd: &mut Command) -> std::process::Child {
    let _gate = EXEC_GATE.read().unwrap_or_else(|e| e.into_inner());
    cmd.spawn().expect("spawn")
}

/// Copies the program `from` to `to`, safe to start at once from any test thread (see
/// [`EXEC_GATE`]); every start goes through [`TestEnv::run`].
pub fn copy_executable(from: &Path, to: &Path) {
    let _gate = EXEC_GATE.write().unwrap_or_else(|e| e.into_inner());
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
}

/// What one run of a program printed, with the redactions of the [`TestEnv`] it ran in.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    filters: Filters,
}

impl Output {
    /// Exit code, stdout and stderr as one unfiltered text (see [`run_block`]), for failure
    /// messages; [`assert_cli!`] snapshots it through [`Output::filters`].
    pub fn snapshot(&self) -> String {
        run_block(self.code, &self.stdout, &self.stderr)
    }

    /// The insta filters of the environment this ran in.
    pub fn filters(&self) -> &Filters {
        &self.filters
    }

    /// This output with one more filter (after the environment's), e.g. for a value only
    /// this run printed.
    pub fn with_filter(mut self, regex: &str, replacement: &str) -> Self {
        self.filters.add(regex, replacement);
        self
    }
}

/// One run as one text, in uv's snapshot layout:
///
/// ```text
/// success: false
/// exit_code: 1
/// ----- stdout -----
/// ----- stderr -----
/// pyv: ...
/// ```
///
/// insta ignores whitespace at the end of a snapshot, so an output that does not end in
/// exactly one newline says so on a line of its own (`[no newline at end]`, or `[end]` after
/// trailing blank lines): the snapshot then pins the output byte for byte.
pub fn run_block(code: i32, stdout: &str, stderr: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "success: {}", code == 0);
    let _ = writeln!(s, "exit_code: {code}");
    for (name, text) in [("stdout", stdout), ("stderr", stderr)] {
        let _ = writeln!(s, "----- {name} -----");
        s.push_str(text);
        if text.is_empty() {
            continue;
        }
        if !text.ends_with('\n') {
            s.push_str("\n[no newline at end]\n");
        } else if text.trim_end() != text.strip_suffix('\n').unwrap_or(text) {
            s.push_str("[end]\n");
        }
    }
    s
}

/// The redactions of a snapshot, as insta `filters` (regex, replacement), applied in order:
/// the environment's own paths first, then [`Filters::common`]. Outside this crate (pyv-net's
/// tests), [`Filters::common`] alone is the shared set.
#[derive(Debug, Clone, Default)]
pub struct Filters(Vec<(String, String)>);

impl Filters {
    /// What changes on every run or machine but is not what a test checks:
    /// - a loopback port (`localhost:41234`, `127.0.0.1:41234`) → `[PORT]`;
    /// - a local or UTC time as pyv prints it (`2026-01-31 23:59:59 UTC`, `… +01:00`) → `[TIME]`;
    /// - the random serial in the name of pyv-testserver's intermediate CA (`pyv test
    ///   intermediate CA 18ed4a1bb131658b`) → `[ID]`;
    /// - pyv's own version after its name (`pyv 0.1.0`) → `[VERSION]`, the exact version so
    ///   that another one still fails;
    /// - on Windows, `\` → `/`: one snapshot holds on both OSes (Unix keeps its exact text).
    pub fn common() -> Filters {
        let mut f = Filters::default();
        f.add(r"(localhost|127\.0\.0\.1):\d{1,5}\b", "$1:[PORT]");
        f.add(
            r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (UTC|[+-]\d{2}:\d{2})",
            "[TIME]",
        );
        f.add(r"(pyv test intermediate CA) [0-9a-f]+\b", "$1 [ID]");
        // A damaged catalog file set aside under the time it was found.
        f.add(r"\.damaged-\d+(-\d+)?\b", ".damaged-[T]");
        // Install work folders and set-aside versions: `.pyv-<kind>-<pid>-<n>-<name>`.
        f.add(r"\.pyv-([a-z]+)-\d+-\d+-", ".pyv-$1-[P]-");
        f.add(
            &format!(
                r"\b(pyv|pyenv) {}\b",
                regex::escape(env!("CARGO_PKG_VERSION"))
            ),
            "$1 [VERSION]",
        );
        if cfg!(windows) {
            f.add(r"\\", "/");
        }
        f
    }

    /// `path` as `label` wherever it is printed: with either separator (Windows prints `\`,
    /// some messages `/`) and with or without the verbatim prefix `\\?\`.
    pub fn path(&mut self, path: &Path, label: &str) -> &mut Self {
        self.add(&path_regex(path), label);
        self
    }

    /// One more filter, after those already there.
    pub fn add(&mut self, regex: &str, replacement: &str) -> &mut Self {
        self.0.push((regex.to_string(), replacement.to_string()));
        self
    }

    /// These filters followed by `other`'s.
    pub fn then(&self, other: &Filters) -> Filters {
        Filters(self.0.iter().chain(&other.0).cloned().collect())
    }

    /// The filters as `insta::with_settings!({filters => …})` takes them.
    pub fn insta(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(r, s)| (r.as_str(), s.as_str()))
            .collect()
    }
}

/// A regex matching `path` as Windows or Unix may print it: each separator either `\` or
/// `/`, optionally behind the verbatim prefix (`\\?\C:\…`, `//?/C:/…`).
fn path_regex(path: &Path) -> String {
    let text = path.display().to_string();
    let parts: Vec<String> = text.split(['/', '\\']).map(regex::escape).collect();
    format!(r"(?:[\\/][\\/]\?[\\/])?{}", parts.join(r"[\\/]"))
}

/// `insta::assert_snapshot!` of an [`Output`] as a [`run_block`], through its filters.
#[macro_export]
macro_rules! assert_cli {
    ($out:expr, @$snap:literal) => {{
        let out: &$crate::Output = &$out;
        insta::with_settings!({filters => out.filters().insta()}, {
            insta::assert_snapshot!(out.snapshot(), @$snap)
        })
    }};
}

/// `insta::assert_snapshot!` of any text through `filters` (a [`Filters`]), e.g. one section
/// of a longer output or a library error's message.
#[macro_export]
macro_rules! assert_filtered {
    ($filters:expr, $text:expr, @$snap:literal) => {{
        let filters: &$crate::Filters = &$filters;
        insta::with_settings!({filters => filters.insta()}, {
            insta::assert_snapshot!($text, @$snap)
        })
    }};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_shows_where_an_output_does_not_end_in_one_newline() {
        assert_eq!(
            run_block(1, "", "Confirm? (Y/N): "),
            "success: false\nexit_code: 1\n----- stdout -----\n----- stderr -----\n\
             Confirm? (Y/N): \n[no newline at end]\n"
        );
        assert_eq!(
            run_block(0, "a\n\n", "b\n"),
            "success: true\nexit_code: 0\n----- stdout -----\na\n\n[end]\n----- stderr -----\nb\n"
        );
    }

    #[test]
    fn a_path_filter_matches_either_separator_and_the_verbatim_prefix() {
        let mut f = Filters::default();
        f.path(Path::new(r"C:\Users\Jürgen Ü\Temp\pyv e2e (1)"), "[TMP]");
        let re = regex::Regex::new(&f.0[0].0).unwrap();
        for printed in [
            r"C:\Users\Jürgen Ü\Temp\pyv e2e (1)\x",
            "C:/Users/Jürgen Ü/Temp/pyv e2e (1)/x",
            r"\\?\C:\Users\Jürgen Ü\Temp\pyv e2e (1)\x",
        ] {
            assert_eq!(
                re.replace_all(printed, "[TMP]"),
                format!("[TMP]{}", &printed[printed.len() - 2..])
            );
        }
        assert!(!re.is_match(r"C:\Users\Jürgen Ü\Temp\pyv e2e 1"));
    }
}
