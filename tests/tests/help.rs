//! Help comes from one table: every command answers each help form with the same bytes,
//! and the overview lists the table.

use pyv_tests::{Layout, TestEnv};

#[test]
fn every_command_prints_the_same_help_in_every_form() {
    let e = TestEnv::new(Layout::Windows);
    let commands = e.pyv(["commands"]);
    assert_eq!(commands.code, 0, "{commands:?}");
    let names: Vec<&str> = commands
        .stdout
        .lines()
        .filter(|c| !c.starts_with("--"))
        .collect();
    assert!(names.len() > 20, "{names:?}");
    for c in names {
        let help = e.pyv(["help", c]);
        assert_eq!((help.code, help.stderr.as_str()), (0, ""), "help {c}");
        assert!(help.stdout.starts_with("Usage: pyv "), "help {c}: {help:?}");
        for form in [[c, "--help"], ["--help", c], [c, "-h"], ["-h", c]] {
            let out = e.pyv(form);
            assert_eq!(
                (out.code, &out.stdout, &out.stderr),
                (0, &help.stdout, &help.stderr),
                "{form:?}"
            );
        }
    }
}

#[test]
fn the_overview_lists_every_command_with_its_summary() {
    let e = TestEnv::new(Layout::Windows);
    let help = e.pyv(["help"]);
    assert_eq!((help.code, help.stderr.as_str()), (0, ""));
    for same in [&[][..], &["--help"], &["-h"]] {
        assert_eq!(e.pyv(same).stdout, help.stdout, "{same:?}");
    }
    let overview = help.stdout.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    insta::assert_snapshot!(overview, @"
    Usage: pyv <command> [<args>]

    Some useful pyv commands are:
       cacert       List, add or remove extra trusted CA certificates
       commands     List all available commands
       doctor       Check PATH, TLS with the mirror, certificates, proxy and clock
       duplicate    Creates a duplicate python environment
       exec         Runs an executable by first preparing PATH so that the selected Python
       export       Export a python environment to a folder
       global       Set or show the global Python version
       help         Show help for a command
       init         Print the shell integration that makes `shell` work
       install      Install a Python version
       latest       Print the latest installed or known version with the given prefix
       link         Point a version name at a Python installed elsewhere
       local        Set or show the local application-specific Python version
       prefix       Display the folder of the selected Python version
       rehash       Rehash shims (run this after installing executables)
       root         Display the root folder
       self         Install or uninstall pyv itself (PATH, PYENV variables, pyenv.bat)
       shell        Set or show the shell-specific Python version
       shims        List existing shims
       uninstall    Uninstall a specific Python version
       update       Update the cached version DB
       version      Show the current Python version and its origin
       version-name Show the current Python version
       versions     List all Python versions available
       vname        Show the current Python version
       whence       List all Python versions that contain the given executable
       which        Display the full path to an executable

    See `pyv help <command>' for information on a specific command.
    For full documentation, see the README of pyv.
    ");
}

#[test]
fn install_quiet_is_described_as_what_it_does() {
    let e = TestEnv::new(Layout::Windows);
    let help = e.pyv(["help", "install"]).stdout;
    let quiet = help.lines().find(|l| l.contains("-q/--quiet"));
    insta::assert_snapshot!(quiet.unwrap_or_default(), @"  -q/--quiet       Show no progress and no :: [Info] :: lines (errors and warnings still show)");
}
