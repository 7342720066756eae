//! The help of every command, in one table: `pyv help <cmd>`, `pyv <cmd> --help`,
//! `pyv --help <cmd>`, the overview and `pyv commands` print from it, and [`apply`] gives
//! clap the same summary, usage and text for each subcommand, so the two cannot drift.
//! The words are pyenv-win's (from its `libexec\pyenv-*.bat` stubs) with the program name
//! filled in and pyv's additions described.

/// One command's help. `{p}` stands for the program name (`pyv`, or `pyenv` when called so).
pub struct Entry {
    pub name: &'static str,
    /// The line in the overview (and clap's `about`).
    pub summary: &'static str,
    /// What follows `Usage: `; continuation lines are indented to line up under it.
    pub usage: &'static str,
    /// The text after the usage and a blank line (and clap's `long_about`).
    pub long: &'static str,
}

/// Every command pyv answers to, by name (pyenv-win lists its `libexec` files sorted).
pub const TABLE: &[Entry] = &[
    Entry {
        name: "cacert",
        summary: "List, add or remove extra trusted CA certificates",
        usage: "{p} cacert\n       {p} cacert add <file>\n       {p} cacert remove <file>",
        long: "CA certificates (PEM or DER) trusted on every download in addition to the\nsystem's, e.g. a corporate root that inspects HTTPS. Certificate verification\nis never turned off. For one run: `{p} install --cacert <file> ...` or SSL_CERT_FILE.",
    },
    Entry {
        name: "commands",
        summary: "List all available commands",
        usage: "{p} commands",
        long: "List all available {p} commands",
    },
    Entry {
        name: "doctor",
        summary: "Check PATH, TLS with the mirror, certificates, proxy and clock",
        usage: "{p} doctor [--json] [-v] [--cacert FILE]...\n       {p} doctor --fix-tls [--json]",
        long: "  --json       Print the report as JSON (for scripts)\n  --cacert     Also trust the CA certificates in FILE for the TLS test (repeatable)\n  -v, --verbose  Show the TLS library's words under each failed handshake\n  --fix-tls    Windows: write Microsoft's KB3140245 registry values that let programs\n               using Windows' defaults (WinHTTP) use TLS 1.1/1.2; needs an elevated prompt\n\nChecks the root folder and where it came from; PATH (the shims folder must be on it,\nwith no python, python3 or pip before it, Microsoft Store aliases included); the\nmirror (python.org or PYTHON_BUILD_MIRROR_URL): which TLS versions this computer\nnegotiates with it, the extra CA certificates (--cacert, SSL_CERT_FILE, SSL_CERT_DIR,\n'{p} cacert') and the proxy in effect; the clock; and on Windows the SChannel and\nWinHTTP registry switches for TLS.\n\npyv itself asks for TLS 1.2 explicitly, so the registry switches matter mostly for\nother programs (pyenv-win, PowerShell 5), and for pyv only when TLS 1.2 is switched off.\n\nExits with status 1 when something pyv needs is broken.",
    },
    Entry {
        name: "duplicate",
        summary: "Creates a duplicate python environment",
        usage: "{p} duplicate <available_environment> <new_environment>",
        long: "Duplicate your environment.\n\nex.) {p} duplicate 3.5.3 myapp_env\n\nTo use when you want to create a sandbox and\nthe environment when building application-specific environment.",
    },
    Entry {
        name: "exec",
        summary: "Runs an executable by first preparing PATH so that the selected Python",
        usage: "{p} exec <command> [arg1 arg2...]",
        long: "Runs an executable by first preparing PATH so that the selected Python\nversion's folders are at the front.\n\nFor example, if the currently selected Python version is 3.5.3:\n  {p} exec pip install -r requirements.txt\n\nis equivalent to:\n  PATH=\"$PYENV_ROOT/versions/3.5.3;$PYENV_ROOT/versions/3.5.3/Scripts;$PATH\" pip install -r requirements.txt",
    },
    Entry {
        name: "export",
        summary: "Export a python environment to a folder",
        usage: "{p} export <available_environment> <folder>",
        long: "Export your environment.\n\nex.) {p} export 3.5.3 ./vendor/python\n\nTo use when you want to build application-specific environment.",
    },
    Entry {
        name: "global",
        summary: "Set or show the global Python version",
        usage: "{p} global <version>\n       {p} global --unset",
        long: "Sets the global Python version. You can override the global version at\nany time by setting a directory-specific version with `{p} local'\nor by setting the `PYENV_VERSION' environment variable.",
    },
    Entry {
        name: "help",
        summary: "Show help for a command",
        usage: "{p} help [<command>]",
        long: "Shows the overview of commands, or the help of one command.",
    },
    Entry {
        name: "init",
        summary: "Print the shell integration that makes `shell` work",
        usage: "{p} init [-|--path] [--no-push-path] [--no-rehash] [<shell>]\n       {p} init <powershell|cmd|bash|zsh|fish>",
        long: "Prints the code that lets `{p} shell` change the version of the current shell.\n\nAs pyenv 2.6 (Linux, macOS; PYV_COMPAT=pyenv): `eval \"$({p} init -)\"` in ~/.bashrc or\n~/.zshrc, `{p} init - fish | source` in config.fish; a bare `{p} init` prints what\nto add and exits 1. As pyenv-win mode has it (Windows):\n\n  PowerShell:  add to $PROFILE:   {p} init powershell | Out-String | Invoke-Expression\n  bash/zsh:    add to ~/.bashrc:  eval \"$({p} init bash)\"\n  fish:        add to config.fish: {p} init fish | source\n  cmd:         {p} init cmd > \"%PYENV_ROOT%\\bin\\{p}-shell.cmd\", then run the doskey\n               line it prints (e.g. from a cmd AutoRun script)",
    },
    Entry {
        name: "install",
        summary: "Install a Python version",
        usage: "{p} install [-s] [-f] <version> [<version> ...] [-r|--register]\n       {p} install [-f] [--32only|--64only] -a|--all\n       {p} install [-f] -c|--clear\n       {p} install -l|--list",
        long: "  -l/--list        List all available versions\n  -a/--all         Installs all known version from the local version DB cache\n  -c/--clear       Removes downloaded installers from the cache to free space\n  -f/--force       Install even if the version appears to be installed already\n  -s/--skip-existing  Skip the installation if the version appears to be installed already\n  -r/--register    Register the version in the Windows registry (PEP 514)\n  -q/--quiet       Show no progress and no :: [Info] :: lines (errors and warnings still show)\n  --32only         Installs only 32bit Python using -a/--all switch, no effect on 32-bit windows.\n  --64only         Installs only 64bit Python using -a/--all switch, no effect on 32-bit windows.\n  --cacert <file>  Also trust the CA certificates in <file> (repeatable)\n  -v/--verbose     Show the library detail of network errors, and log pyv's decisions\n\nA prefix installs the newest patch: `{p} install 3.12`. Without a version, the\nselected version(s) are installed. Downloads are verified (sha256 where python.org\npublishes it), resumed after an interruption, and installed by rename only when\ncomplete. PYTHON_BUILD_MIRROR_URL replaces python.org (https://, file:// or a folder).",
    },
    Entry {
        name: "latest",
        summary: "Print the latest installed or known version with the given prefix",
        usage: "{p} latest [-k|--known] [-q|--quiet] <prefix>",
        long: "  -k/--known      Select from all known versions instead of installed\n  -q/--quiet      Do not print an error message on resolution failure\n\nPrints the latest installed (or known) version matching the prefix, e.g. 3.12 or 3.12:latest.",
    },
    Entry {
        name: "link",
        summary: "Point a version name at a Python installed elsewhere",
        usage: "{p} link <name> [<path>]",
        long: "Makes versions\\<name> point at an existing Python installation (a junction on\nWindows, a symlink elsewhere), e.g.\n  {p} link conda-3.12 C:\\Miniconda3\n  {p} link system            (the Python found in the registry or on PATH)\n\n`{p} uninstall <name>` removes the link only, never the files it points at.",
    },
    Entry {
        name: "local",
        summary: "Set or show the local application-specific Python version",
        usage: "{p} local <version> <version2> <..>\n       {p} local --unset",
        long: "Sets the local application-specific Python version by writing the\nversion name to a file named `.python-version'.\n\nWhen you run a Python command, {p} will look for a `.python-version'\nfile in the current directory and each parent directory. If no such\nfile is found in the tree, {p} will use the global Python version\nspecified with `{p} global'. A version specified with the\n`PYENV_VERSION' environment variable takes precedence over local\nand global versions.\n\n<version> can be specified multiple times and should be a version\ntag known to {p}.  The special version string `system' will use\nyour default system Python.  Run `{p} versions' for a list of\navailable Python versions.\n\nExample: To enable the python2.7 and python3.7 shims to find their\n         respective executables you could set both versions with:\n\n'{p} local 3.7.0 2.7.15'",
    },
    Entry {
        name: "prefix",
        summary: "Display the folder of the selected Python version",
        usage: "{p} prefix [<version>...]",
        long: "Displays the folder where a Python version is installed. If no\nversion is given, displays the location of the selected version.",
    },
    Entry {
        name: "rehash",
        summary: "Rehash shims (run this after installing executables)",
        usage: "{p} rehash",
        long: "Rehash {p} shims (run this after installing executables)",
    },
    Entry {
        name: "root",
        summary: "Display the root folder",
        usage: "{p} root",
        long: "Displays the root folder where versions and shims are kept.",
    },
    Entry {
        name: "self",
        summary: "Install or uninstall pyv itself (PATH, PYENV variables, pyenv.bat)",
        usage: "{p} self install [--root <folder>]\n       {p} self uninstall [--purge [-f]]",
        long: "  --root <folder>  Where to install (default: PYENV_ROOT, PYENV, PYENV_HOME, else\n                   %USERPROFILE%\\.pyenv\\pyenv-win; ~/.pyenv elsewhere)\n  --purge          Also remove the root with every installed version (asks first)\n  -f/--force       Do not ask\n\n`self install` copies this program and pyv-shim into <root>\\bin, adds pyenv.exe\n(the same program, talking as pyenv) and pyenv.bat (how editors find pyenv-win),\nsets the user variables PYENV, PYENV_ROOT and PYENV_HOME to <root>\\ and puts\n<root>\\bin and <root>\\shims first on the user PATH, then rehashes. An existing\npyenv-win tree is adopted: versions, version and the caches stay; pyenv-win's\nscripts move to <root>\\.pyenv-win-backup. Running it again changes nothing.\nOn Linux it installs pyv and pyv-shim into <root>/bin and prints the lines for\nyour shell profile.\n\n`self uninstall` removes what `self install` added and puts pyenv-win's scripts\nback; versions are kept unless --purge.",
    },
    Entry {
        name: "shell",
        summary: "Set or show the shell-specific Python version",
        usage: "{p} shell <version>...\n       {p} shell -\n       {p} shell --unset",
        long: "Sets a shell-specific Python version by setting the `PYENV_VERSION'\nenvironment variable in your shell. This version overrides local\napplication-specific versions and the global version.\n\n<version> should be a string matching a Python version known to {p}.\nThe special version string `system' will use your default system Python.\nRun `{p} versions' for a list of available Python versions.\n\nNeeds the shell integration: see `{p} help init'.",
    },
    Entry {
        name: "shims",
        summary: "List existing shims",
        usage: "{p} shims\n       {p} shims --short",
        long: "List the existing {p} shims",
    },
    Entry {
        name: "uninstall",
        summary: "Uninstall a specific Python version",
        usage: "{p} uninstall [-f|--force] <version> [<version> ...]\n       {p} uninstall [-f|--force] [-a|--all]",
        long: "  -f/--force  Attempt to remove the specified version without questions\n  -a/--all    Remove all installed versions (asks first unless -f)\n\nA linked version (see `{p} link') is unlinked; its files are kept.",
    },
    Entry {
        name: "update",
        summary: "Update the cached version DB",
        usage: "{p} update [--ignore]",
        long: "Reads python.org's Windows index and download folders (or PYTHON_BUILD_MIRROR_URL)\nand writes the list of installable versions to .versions_cache.xml, in pyenv-win's\nformat, with checksums beside it in .pyv-catalog.json.",
    },
    Entry {
        name: "version",
        summary: "Show the current Python version and its origin",
        usage: "{p} version",
        long: "Shows the currently selected Python version and how it was selected.\nTo obtain only the version string, use `{p} vname' or `{p} version-name`.",
    },
    Entry {
        name: "version-name",
        summary: "Show the current Python version",
        usage: "{p} version-name",
        long: "Shows the currently selected Python version.",
    },
    Entry {
        name: "versions",
        summary: "List all Python versions available",
        usage: "{p} versions [--bare] [--skip-aliases]",
        long: "Lists all Python versions found in `$PYENV_ROOT/versions/*'.",
    },
    Entry {
        name: "vname",
        summary: "Show the current Python version",
        usage: "{p} vname",
        long: "Shows the currently selected Python version.",
    },
    Entry {
        name: "whence",
        summary: "List all Python versions that contain the given executable",
        usage: "{p} whence [--path] <command>",
        long: "Shows the currently given executable contains path\nselected. To obtain python version of executable, use `{p} whence pip'.",
    },
    Entry {
        name: "which",
        summary: "Display the full path to an executable",
        usage: "{p} which <command>",
        long: "Shows the full path of the executable\nselected. To obtain the full path, use `{p} which pip'.",
    },
];

fn entry(command: &str) -> Option<&'static Entry> {
    TABLE.iter().find(|e| e.name == command)
}

/// Commands in the order `commands` lists them (pyenv-win lists its libexec files).
pub fn command_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = TABLE.iter().map(|e| e.name).collect();
    names.push("--version");
    names.sort_unstable();
    names.dedup();
    names
}

pub fn command_help(prog: &str, command: &str) -> Option<String> {
    entry(command).map(|e| format!("Usage: {}\n\n{}", e.usage, e.long).replace("{p}", prog))
}

/// Gives each subcommand of `command` its summary, usage and text from [`TABLE`], in place
/// (the order clap keeps stays); one without an entry (the hidden `sh-shell`) keeps what it
/// has. The summary is set now (clap lists it under the parent); the usage and text, with
/// the program name filled in, only once clap builds that subcommand: a run builds only
/// the one it runs, so start-up does not pay for 27 texts it never shows.
pub fn apply(mut command: clap::Command) -> clap::Command {
    for sub in command.get_subcommands_mut() {
        if let Some(e) = entry(sub.get_name()) {
            *sub = std::mem::take(sub).about(e.summary).defer(fill);
        }
    }
    command
}

/// [`apply`]'s deferred part, for one subcommand.
fn fill(sub: clap::Command) -> clap::Command {
    let Some(e) = entry(sub.get_name()) else {
        return sub;
    };
    let prog = pyv_core::prog::name();
    sub.override_usage(e.usage.replace("{p}", prog))
        .long_about(e.long.replace("{p}", prog))
}

/// The overview printed by `pyv`, `pyv help` and `pyv --help`. pyenv-win's `help`
/// begins with the usage line (scripts and its tests read the first line); pyenv's with
/// the program's version.
pub fn overview(prog: &str, compat: pyv_core::Compat) -> String {
    let mut s = String::new();
    if !compat.is_pyenv_win() {
        s.push_str(&format!("{prog} {}\n", env!("CARGO_PKG_VERSION")));
    }
    s.push_str(&format!(
        "Usage: {prog} <command> [<args>]\n\nSome useful {prog} commands are:\n"
    ));
    for e in TABLE {
        s.push_str(&format!("   {:<13}{}\n", e.name, e.summary));
    }
    s.push_str(&format!(
        "\nSee `{prog} help <command>' for information on a specific command.\nFor full documentation, see the README of pyv."
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every name clap answers to: subcommands and their aliases, hidden ones left out.
    fn clap_names() -> Vec<String> {
        let cli = crate::cli::Cli::command();
        let mut names: Vec<String> = cli
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .flat_map(|s| {
                std::iter::once(s.get_name().to_string())
                    .chain(s.get_all_aliases().map(str::to_string))
            })
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_subcommand_has_an_entry_and_every_entry_a_subcommand() {
        let mut table: Vec<String> = TABLE.iter().map(|e| e.name.to_string()).collect();
        table.sort_unstable();
        assert_eq!(clap_names(), table);
        assert!(table.iter().any(|n| n == "vname"), "aliases count too");
    }

    #[test]
    fn the_table_is_sorted_and_each_text_complete() {
        let names: Vec<&str> = TABLE.iter().map(|e| e.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "the overview lists them in this order");
        for e in TABLE {
            assert!(e.usage.starts_with("{p} "), "{}", e.name);
            assert!(!e.summary.is_empty() && !e.long.is_empty(), "{}", e.name);
        }
    }

    #[test]
    fn clap_gets_the_table_texts() {
        let mut cli = apply(crate::cli::Cli::command());
        cli.build();
        let prog = pyv_core::prog::name();
        for e in TABLE {
            let Some(sub) = cli.find_subcommand(e.name) else {
                panic!("no subcommand {}", e.name);
            };
            assert_eq!(
                sub.get_about().map(|s| s.to_string()).as_deref(),
                Some(e.summary)
            );
            assert_eq!(
                sub.get_long_about().map(|s| s.to_string()),
                Some(e.long.replace("{p}", prog))
            );
            let usage = sub.clone().render_usage().to_string();
            assert_eq!(
                usage,
                format!("Usage: {}", e.usage.replace("{p}", prog)),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn the_printed_help_is_usage_then_text() {
        let help = command_help("pyv", "root");
        assert_eq!(
            help.as_deref(),
            Some("Usage: pyv root\n\nDisplays the root folder where versions and shims are kept.")
        );
        assert_eq!(command_help("pyv", "sh-shell"), None);
    }
}
