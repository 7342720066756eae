//! Helpers for the end-to-end tests: a temporary root under a path with spaces and
//! non-ASCII characters, fake Python versions laid out like real installs, and runs of
//! the built `pyv` and `pyv-shim` with a controlled environment.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The folder holding the built binaries (`target/<profile>`), found from this test
/// executable (`target/<profile>/deps/<test>`).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf();
    for b in ["pyv", "pyv-shim"] {
        let p = dir.join(format!("{b}{}", std::env::consts::EXE_SUFFIX));
        assert!(
            p.is_file(),
            "{} is missing: run `cargo build --workspace --bins` before the tests",
            p.display()
        );
    }
    dir
}

pub fn bin(name: &str) -> PathBuf {
    bin_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
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
        let tmp = tmp_dir.path().canonicalize().expect("canonical tmp");
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
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()));
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

    pub fn shim(&self, name: &str) -> PathBuf {
        self.root.join("shims").join(name)
    }
}

/// A program that prints `<its name> <version>` and then each argument in brackets, copies
/// standard input when `FAKE_STDIN` is set, exits with `FAKE_EXIT`, and — like pip — makes a
/// new console script when called as `pip… install <name>`.
pub fn fake_program(path: &Path, version: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // Shell built-ins only (and /bin/chmod): the tests' PATH holds no tools, so that no
    // Python outside the test's control can be found.
    let script = format!(
        "#!/bin/sh\n\
         echo \"${{0##*/}} {version}\"\n\
         for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n\
         if [ -n \"$FAKE_STDIN\" ]; then while IFS= read -r l; do echo \"$l\"; done; fi\n\
         if [ \"$1\" = install ]; then s=\"${{0%/*}}/$2$SCRIPT_EXT\"; printf '#!/bin/sh\\necho %s\\n' \"$2\" > \"$s\"; /bin/chmod +x \"$s\"; fi\n\
         exit ${{FAKE_EXIT:-0}}\n"
    );
    std::fs::write(path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
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
        s.replace(&self.tmp.display().to_string(), "[TMP]")
            .replace('\\', "/")
    }
}

/// `insta::assert_snapshot!` of an [`Output`], named after the calling test.
#[macro_export]
macro_rules! assert_cli {
    ($out:expr, @$snap:literal) => {
        insta::assert_snapshot!($out.snapshot(), @$snap)
    };
}
