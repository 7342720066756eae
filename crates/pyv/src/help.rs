//! pyenv-win's help texts (from its `libexec\pyenv-*.bat` stubs), with the program name
//! filled in and pyv's additions described.

/// (command, summary shown in the overview, full help). `{p}` is the program name.
const HELP: &[(&str, &str, &str)] = &[
    ("cacert", "List, add or remove extra trusted CA certificates", "Usage: {p} cacert\n       {p} cacert add <file>\n       {p} cacert remove <file>\n\nCA certificates (PEM or DER) trusted on every download in addition to the\nsystem's, e.g. a corporate root that inspects HTTPS. Certificate verification\nis never turned off. For one run: `{p} install --cacert <file> ...` or SSL_CERT_FILE."),
    ("commands", "List all available commands", "Usage: {p} commands\n\nList all available {p} commands"),
    ("doctor", "Check PATH, TLS with the mirror, certificates, proxy and clock", "Usage: {p} doctor [--json] [--cacert FILE]...\n       {p} doctor --fix-tls [--json]\n\n  --json       Print the report as JSON (for scripts)\n  --cacert     Also trust the CA certificates in FILE for the TLS test (repeatable)\n  --fix-tls    Windows: write Microsoft's KB3140245 registry values that let programs\n               using Windows' defaults (WinHTTP) use TLS 1.1/1.2; needs an elevated prompt\n\nChecks the root folder and where it came from; PATH (the shims folder must be on it,\nwith no python, python3 or pip before it, Microsoft Store aliases included); the\nmirror (python.org or PYTHON_BUILD_MIRROR_URL): which TLS versions this computer\nnegotiates with it, the extra CA certificates (--cacert, SSL_CERT_FILE, SSL_CERT_DIR,\n'{p} cacert') and the proxy in effect; the clock; and on Windows the SChannel and\nWinHTTP registry switches for TLS.\n\npyv itself asks for TLS 1.2 explicitly, so the registry switches matter mostly for\nother programs (pyenv-win, PowerShell 5), and for pyv only when TLS 1.2 is switched off.\n\nExits with status 1 when something pyv needs is broken."),
    ("duplicate", "Creates a duplicate python environment", "Usage: {p} duplicate <available_environment> <new_environment>\n\nDuplicate your environment.\n\nex.) {p} duplicate 3.5.3 myapp_env\n\nTo use when you want to create a sandbox and\nthe environment when building application-specific environment."),
    ("exec", "Runs an executable by first preparing PATH so that the selected Python", "Usage: {p} exec <command> [arg1 arg2...]\n\nRuns an executable by first preparing PATH so that the selected Python\nversion's folders are at the front.\n\nFor example, if the currently selected Python version is 3.5.3:\n  {p} exec pip install -r requirements.txt\n\nis equivalent to:\n  PATH=\"$PYENV_ROOT/versions/3.5.3;$PYENV_ROOT/versions/3.5.3/Scripts;$PATH\" pip install -r requirements.txt"),
    ("export", "Export a python environment to a folder", "Usage: {p} export <available_environment> <folder>\n\nExport your environment.\n\nex.) {p} export 3.5.3 ./vendor/python\n\nTo use when you want to build application-specific environment."),
    ("global", "Set or show the global Python version", "Usage: {p} global <version>\n       {p} global --unset\n\nSets the global Python version. You can override the global version at\nany time by setting a directory-specific version with `{p} local'\nor by setting the `PYENV_VERSION' environment variable."),
    ("help", "Show help for a command", "Usage: {p} help [<command>]\n\nShows the overview of commands, or the help of one command."),
    ("init", "Print the shell integration that makes `shell` work", "Usage: {p} init <powershell|cmd|bash|zsh|fish>\n\nPrints the code that lets `{p} shell` change the version of the current shell.\n\n  PowerShell:  add to $PROFILE:   {p} init powershell | Out-String | Invoke-Expression\n  bash/zsh:    add to ~/.bashrc:  eval \"$({p} init bash)\"\n  fish:        add to config.fish: {p} init fish | source\n  cmd:         {p} init cmd > \"%PYENV_ROOT%\\bin\\{p}-shell.cmd\", then run the doskey\n               line it prints (e.g. from a cmd AutoRun script)"),
    ("install", "Install a Python version", "Usage: {p} install [-s] [-f] <version> [<version> ...] [-r|--register]\n       {p} install [-f] [--32only|--64only] -a|--all\n       {p} install [-f] -c|--clear\n       {p} install -l|--list\n\n  -l/--list        List all available versions\n  -a/--all         Installs all known version from the local version DB cache\n  -c/--clear       Removes downloaded installers from the cache to free space\n  -f/--force       Install even if the version appears to be installed already\n  -s/--skip-existing  Skip the installation if the version appears to be installed already\n  -r/--register    Register the version in the Windows registry (PEP 514)\n  -q/--quiet       Install using /quiet. This does not show the UI nor does it prompt for inputs\n  --32only         Installs only 32bit Python using -a/--all switch, no effect on 32-bit windows.\n  --64only         Installs only 64bit Python using -a/--all switch, no effect on 32-bit windows.\n  --cacert <file>  Also trust the CA certificates in <file> (repeatable)\n  -v/--verbose     Show the library detail of network errors\n\nA prefix installs the newest patch: `{p} install 3.12`. Without a version, the\nselected version(s) are installed. Downloads are verified (sha256 where python.org\npublishes it), resumed after an interruption, and installed by rename only when\ncomplete. PYTHON_BUILD_MIRROR_URL replaces python.org (https://, file:// or a folder)."),
    ("latest", "Print the latest installed or known version with the given prefix", "Usage: {p} latest [-k|--known] [-q|--quiet] <prefix>\n\n  -k/--known      Select from all known versions instead of installed\n  -q/--quiet      Do not print an error message on resolution failure\n\nPrints the latest installed (or known) version matching the prefix, e.g. 3.12 or 3.12:latest."),
    ("link", "Point a version name at a Python installed elsewhere", "Usage: {p} link <name> [<path>]\n\nMakes versions\\<name> point at an existing Python installation (a junction on\nWindows, a symlink elsewhere), e.g.\n  {p} link conda-3.12 C:\\Miniconda3\n  {p} link system            (the Python found in the registry or on PATH)\n\n`{p} uninstall <name>` removes the link only, never the files it points at."),
    ("local", "Set or show the local application-specific Python version", "Usage: {p} local <version> <version2> <..>\n       {p} local --unset\n\nSets the local application-specific Python version by writing the\nversion name to a file named `.python-version'.\n\nWhen you run a Python command, {p} will look for a `.python-version'\nfile in the current directory and each parent directory. If no such\nfile is found in the tree, {p} will use the global Python version\nspecified with `{p} global'. A version specified with the\n`PYENV_VERSION' environment variable takes precedence over local\nand global versions.\n\n<version> can be specified multiple times and should be a version\ntag known to {p}.  The special version string `system' will use\nyour default system Python.  Run `{p} versions' for a list of\navailable Python versions.\n\nExample: To enable the python2.7 and python3.7 shims to find their\n         respective executables you could set both versions with:\n\n'{p} local 3.7.0 2.7.15'"),
    ("prefix", "Display the folder of the selected Python version", "Usage: {p} prefix [<version>...]\n\nDisplays the folder where a Python version is installed. If no\nversion is given, displays the location of the selected version."),
    ("rehash", "Rehash shims (run this after installing executables)", "Usage: {p} rehash\n\nRehash {p} shims (run this after installing executables)"),
    ("root", "Display the root folder", "Usage: {p} root\n\nDisplays the root folder where versions and shims are kept."),
    ("self", "Install or uninstall pyv itself (PATH, PYENV variables, pyenv.bat)", "Usage: {p} self install [--root <folder>]\n       {p} self uninstall [--purge [-f]]\n\n  --root <folder>  Where to install (default: PYENV_ROOT, PYENV, PYENV_HOME, else\n                   %USERPROFILE%\\.pyenv\\pyenv-win; ~/.pyenv elsewhere)\n  --purge          Also remove the root with every installed version (asks first)\n  -f/--force       Do not ask\n\n`self install` copies this program and pyv-shim into <root>\\bin, adds pyenv.exe\n(the same program, talking as pyenv) and pyenv.bat (how editors find pyenv-win),\nsets the user variables PYENV, PYENV_ROOT and PYENV_HOME to <root>\\ and puts\n<root>\\bin and <root>\\shims first on the user PATH, then rehashes. An existing\npyenv-win tree is adopted: versions, version and the caches stay; pyenv-win's\nscripts move to <root>\\.pyenv-win-backup. Running it again changes nothing.\nOn Linux it installs pyv and pyv-shim into <root>/bin and prints the lines for\nyour shell profile.\n\n`self uninstall` removes what `self install` added and puts pyenv-win's scripts\nback; versions are kept unless --purge."),
    ("shell", "Set or show the shell-specific Python version", "Usage: {p} shell <version>...\n       {p} shell -\n       {p} shell --unset\n\nSets a shell-specific Python version by setting the `PYENV_VERSION'\nenvironment variable in your shell. This version overrides local\napplication-specific versions and the global version.\n\n<version> should be a string matching a Python version known to {p}.\nThe special version string `system' will use your default system Python.\nRun `{p} versions' for a list of available Python versions.\n\nNeeds the shell integration: see `{p} help init'."),
    ("shims", "List existing shims", "Usage: {p} shims\n       {p} shims --short\n\nList the existing {p} shims"),
    ("uninstall", "Uninstall a specific Python version", "Usage: {p} uninstall [-f|--force] <version> [<version> ...]\n       {p} uninstall [-f|--force] [-a|--all]\n\n  -f/--force  Attempt to remove the specified version without questions\n  -a/--all    Remove all installed versions (asks first unless -f)\n\nA linked version (see `{p} link') is unlinked; its files are kept."),
    ("update", "Update the cached version DB", "Usage: {p} update [--ignore]\n\nReads python.org's Windows index and download folders (or PYTHON_BUILD_MIRROR_URL)\nand writes the list of installable versions to .versions_cache.xml, in pyenv-win's\nformat, with checksums beside it in .pyv-catalog.json."),
    ("version", "Show the current Python version and its origin", "Usage: {p} version\n\nShows the currently selected Python version and how it was selected.\nTo obtain only the version string, use `{p} vname' or `{p} version-name`."),
    ("version-name", "Show the current Python version", "Usage: {p} version-name\n\nShows the currently selected Python version."),
    ("versions", "List all Python versions available", "Usage: {p} versions [--bare] [--skip-aliases]\n\nLists all Python versions found in `$PYENV_ROOT/versions/*'."),
    ("vname", "Show the current Python version", "Usage: {p} vname\n\nShows the currently selected Python version."),
    ("whence", "List all Python versions that contain the given executable", "Usage: {p} whence [--path] <command>\n\nShows the currently given executable contains path\nselected. To obtain python version of executable, use `{p} whence pip'."),
    ("which", "Display the full path to an executable", "Usage: {p} which <command>\n\nShows the full path of the executable\nselected. To obtain the full path, use `{p} which pip'."),
];

/// Commands in the order `commands` lists them (pyenv-win lists its libexec files).
pub fn command_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = HELP.iter().map(|(c, _, _)| *c).collect();
    names.push("--version");
    names.sort_unstable();
    names.dedup();
    names
}

pub fn command_help(prog: &str, command: &str) -> Option<String> {
    HELP.iter()
        .find(|(c, _, _)| *c == command)
        .map(|(_, _, h)| h.replace("{p}", prog))
}

/// The overview printed by `pyv`, `pyv help` and `pyv --help`.
pub fn overview(prog: &str) -> String {
    let mut s = format!(
        "{prog} {}\nUsage: {prog} <command> [<args>]\n\nSome useful {prog} commands are:\n",
        env!("CARGO_PKG_VERSION")
    );
    for (c, summary, _) in HELP {
        s.push_str(&format!("   {c:<13}{summary}\n"));
    }
    s.push_str(&format!(
        "\nSee `{prog} help <command>' for information on a specific command.\nFor full documentation, see the README of pyv."
    ));
    s
}
