//! The shim on the pip path and against loops (Unix). While pip runs, the shim waits to
//! rehash afterwards: a SIGTERM/SIGHUP/SIGINT sent to the shim reaches pip, the shim rehashes
//! and exits with pip's status (128 + n for a signal). A command that leads back to the shim
//! itself is refused at once with exit 126, instead of the shim exec'ing itself until
//! "Argument list too long".
#![cfg(unix)]

use pyv_tests::{assert_cli, spawn, Layout, TestEnv};
use std::path::Path;
use std::time::{Duration, Instant};

fn env() -> TestEnv {
    let e = TestEnv::new(Layout::Unix);
    e.version("3.12.4");
    e.pyv(["global", "3.12.4"]);
    e
}

fn write_script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Waits (bounded) until `path` exists.
fn wait_for(path: &Path) {
    let until = Instant::now() + Duration::from_secs(20);
    while !path.exists() {
        assert!(Instant::now() < until, "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A `pip` that "installs" the console script `black`, says it is ready, then runs until
/// a signal: it records which one and exits as a killed process would (128 + n).
fn signal_recording_pip(e: &TestEnv) {
    let bin = e.root.join("versions/3.12.4/bin");
    write_script(
        &bin.join("pip"),
        &format!(
            "#!/bin/sh\n\
             printf '#!/bin/sh\\n' > '{bin}/black'; chmod +x '{bin}/black'\n\
             trap 'echo TERM > \"$MARK\"; exit 143' TERM\n\
             trap 'echo HUP > \"$MARK\"; exit 129' HUP\n\
             trap 'echo INT > \"$MARK\"; exit 130' INT\n\
             : > \"$READY\"\n\
             while :; do sleep 0.02; done\n",
            bin = bin.display()
        ),
    );
}

fn signalled_pip(signal: &str, expected_code: i32, expected_mark: &str) {
    let mut e = env();
    signal_recording_pip(&e);
    e.pyv(["rehash"]);
    let (ready, mark) = (e.tmp.join("ready"), e.tmp.join("mark"));
    e.set("READY", ready.display().to_string())
        .set("MARK", mark.display().to_string())
        .set("PATH", "/usr/bin:/bin");
    let mut cmd = e.command(&e.shim("pip"));
    cmd.args(["install", "black"]);
    let mut shim = spawn(&mut cmd);
    wait_for(&ready);
    let sent = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &shim.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = shim.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(expected_code),
        "the shim exits with pip's status"
    );
    assert_eq!(std::fs::read_to_string(&mark).unwrap(), expected_mark);
    assert!(
        e.shim("black").is_file(),
        "the shim rehashed after pip ended"
    );
}

#[test]
fn sigterm_to_the_shim_reaches_pip_and_the_rehash_still_runs() {
    signalled_pip("TERM", 143, "TERM\n");
}

#[test]
fn sighup_to_the_shim_reaches_pip() {
    signalled_pip("HUP", 129, "HUP\n");
}

#[test]
fn sigint_sent_to_the_shim_reaches_pip() {
    signalled_pip("INT", 130, "INT\n");
}

#[test]
fn a_version_whose_python_links_to_the_shim_is_a_loop() {
    let e = env();
    e.pyv(["rehash"]);
    let python3 = e.root.join("versions/3.12.4/bin/python3");
    std::fs::remove_file(&python3).unwrap();
    std::os::unix::fs::symlink(e.shim("python3"), &python3).unwrap();
    let started = Instant::now();
    assert_cli!(e.run(&e.shim("python3"), ["-V"]), @"
    success: false
    exit_code: 126
    ----- stdout -----
    ----- stderr -----
    pyv: python3: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.4/bin/python3' leads back to pyv's shims (a loop); point it at a real Python or remove it, then see 'pyv which python3'
    ");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_system_python_on_path_that_links_to_the_shim_is_a_loop() {
    let mut e = env();
    e.pyv(["rehash"]);
    let bin = e.tmp.join("home/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(e.shim("python3"), bin.join("python3")).unwrap();
    let path = format!("{}:{}", e.root.join("shims").display(), bin.display());
    e.set("PATH", path);
    assert_eq!(e.pyv(["global", "system"]).code, 0);
    assert_cli!(e.run(&e.shim("python3"), ["-V"]), @"
    success: false
    exit_code: 126
    ----- stdout -----
    ----- stderr -----
    pyv: python3: '[TMP]/home/bin/python3' leads back to pyv's shims (a loop); point it at a real Python or remove it, then see 'pyv which python3'
    ");
}

#[test]
fn shims_that_keep_starting_each_other_stop_at_the_depth_limit() {
    let mut e = env();
    e.pyv(["rehash"]);
    // A python that runs the python shim again: each level is a real process, not a link.
    let python3 = e.root.join("versions/3.12.4/bin/python3");
    write_script(
        &python3,
        &format!("#!/bin/sh\nexec '{}' \"$@\"\n", e.shim("python3").display()),
    );
    e.set("PATH", "/usr/bin:/bin");
    let out = e.run(&e.shim("python3"), ["-V"]);
    assert_cli!(out, @"
    success: false
    exit_code: 126
    ----- stdout -----
    ----- stderr -----
    pyv: python3: '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/versions/3.12.4/bin/python3' leads back to pyv's shims (a loop); point it at a real Python or remove it, then see 'pyv which python3'
    ");
}
