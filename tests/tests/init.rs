//! `init` as pyenv 2.6 has it (pyenv mode): the exact text of `init -` for each shell and
//! option, bare `init`'s instructions, the `sh-` commands its function evaluates, and real
//! bash, zsh and fish sessions that evaluate it; pyv's Windows forms in pyenv-win mode.

use pyv_tests::{assert_cli, bin, Layout, TestEnv};
use std::path::{Path, PathBuf};

/// A root in pyenv mode with two versions, and `pyenv` (a link to the built pyv) in
/// `<tmp>/bin`, as a pyenv user has it on PATH.
fn env() -> (TestEnv, PathBuf) {
    let mut e = TestEnv::new(Layout::Unix);
    e.set("PYV_COMPAT", "pyenv");
    e.version("3.11.9");
    e.version("3.12.4");
    let dir = e.tmp.join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    let pyenv = dir.join(format!("pyenv{}", std::env::consts::EXE_SUFFIX));
    link_or_copy(&bin("pyv"), &pyenv);
    (e, pyenv)
}

#[cfg(unix)]
fn link_or_copy(from: &Path, to: &Path) {
    std::os::unix::fs::symlink(from, to).unwrap();
}

#[cfg(not(unix))]
fn link_or_copy(from: &Path, to: &Path) {
    pyv_tests::copy_executable(from, to);
}

#[test]
fn init_dash_for_bash_zsh_and_fish_is_pyenvs_text_with_its_name() {
    if cfg!(windows) {
        // Windows snapshots turn `\` into `/`, which would rewrite the quoting compared here.
        eprintln!("SKIP: pyenv's shell code is compared on Unix");
        return;
    }
    let (e, pyenv) = env();
    assert_cli!(e.run(&pyenv, ["init", "-", "bash"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        PATH="$(bash --norc -ec 'IFS=:; paths=($PATH); 
        for i in ${!paths[@]}; do 
        if [[ ${paths[i]} == "''[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims''" ]]; then unset '\''paths[i]'\''; 
        fi; done; 
        echo "${paths[*]}"')"
        export PATH="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:${PATH}"
        export PYENV_SHELL=bash
        command pyenv rehash
        pyenv() {
          local command=${1:-}
          [ "$#" -gt 0 ] && shift
          case "$command" in
          rehash|shell)
            eval "$(pyenv "sh-$command" "$@")"
            ;;
          *)
            command pyenv "$command" "$@"
            ;;
          esac
        }
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["init", "-", "zsh"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        PATH="$(bash --norc -ec 'IFS=:; paths=($PATH); 
        for i in ${!paths[@]}; do 
        if [[ ${paths[i]} == "''[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims''" ]]; then unset '\''paths[i]'\''; 
        fi; done; 
        echo "${paths[*]}"')"
        export PATH="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:${PATH}"
        export PYENV_SHELL=zsh
        command pyenv rehash
        pyenv() {
          local command=${1:-}
          [ "$#" -gt 0 ] && shift
          case "$command" in
          rehash|shell)
            eval "$(pyenv "sh-$command" "$@")"
            ;;
          *)
            command pyenv "$command" "$@"
            ;;
          esac
        }
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["init", "-", "fish"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        while set pyenv_index (contains -i -- "[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims" $PATH)
        set -eg PATH[$pyenv_index]; end; set -e pyenv_index
        set -gx PATH '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims' $PATH
        set -gx PYENV_SHELL fish
        command pyenv rehash
        function pyenv
          set command $argv[1]
          set -e argv[1]

          switch "$command"
          case rehash shell
            source (pyenv "sh-$command" $argv|psub)
          case "*"
            command pyenv "$command" $argv
          end
        end
        ----- stderr -----
        "#);
    // Called as pyv, the function and the rehash are pyv's.
    assert_cli!(e.pyv(["init", "-", "bash"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        PATH="$(bash --norc -ec 'IFS=:; paths=($PATH); 
        for i in ${!paths[@]}; do 
        if [[ ${paths[i]} == "''[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims''" ]]; then unset '\''paths[i]'\''; 
        fi; done; 
        echo "${paths[*]}"')"
        export PATH="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:${PATH}"
        export PYENV_SHELL=bash
        command pyv rehash
        pyv() {
          local command=${1:-}
          [ "$#" -gt 0 ] && shift
          case "$command" in
          rehash|shell)
            eval "$(pyv "sh-$command" "$@")"
            ;;
          *)
            command pyv "$command" "$@"
            ;;
          esac
        }
        ----- stderr -----
        "#);
}

#[test]
fn init_options_path_no_push_path_and_no_rehash() {
    if cfg!(windows) {
        // Windows snapshots turn `\` into `/`, which would rewrite the quoting compared here.
        eprintln!("SKIP: pyenv's shell code is compared on Unix");
        return;
    }
    let (e, pyenv) = env();
    assert_cli!(e.run(&pyenv, ["init", "--path", "bash"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        PATH="$(bash --norc -ec 'IFS=:; paths=($PATH); 
        for i in ${!paths[@]}; do 
        if [[ ${paths[i]} == "''[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims''" ]]; then unset '\''paths[i]'\''; 
        fi; done; 
        echo "${paths[*]}"')"
        export PATH="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:${PATH}"
        command pyenv rehash
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["init", "--path", "fish"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        while set pyenv_index (contains -i -- "[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims" $PATH)
        set -eg PATH[$pyenv_index]; end; set -e pyenv_index
        set -gx PATH '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims' $PATH
        command pyenv rehash
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["init", "-", "--no-push-path", "zsh"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        if [[ ":$PATH:" != *':[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:'* ]]; then
        export PATH="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:${PATH}"
        fi
        export PYENV_SHELL=zsh
        command pyenv rehash
        pyenv() {
          local command=${1:-}
          [ "$#" -gt 0 ] && shift
          case "$command" in
          rehash|shell)
            eval "$(pyenv "sh-$command" "$@")"
            ;;
          *)
            command pyenv "$command" "$@"
            ;;
          esac
        }
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["init", "--no-push-path", "-", "fish"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        if not contains -- "[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims" $PATH
        set -gx PATH '[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims' $PATH
        end
        set -gx PYENV_SHELL fish
        command pyenv rehash
        function pyenv
          set command $argv[1]
          set -e argv[1]

          switch "$command"
          case rehash shell
            source (pyenv "sh-$command" $argv|psub)
          case "*"
            command pyenv "$command" $argv
          end
        end
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["init", "--no-rehash", "-", "bash"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        PATH="$(bash --norc -ec 'IFS=:; paths=($PATH); 
        for i in ${!paths[@]}; do 
        if [[ ${paths[i]} == "''[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims''" ]]; then unset '\''paths[i]'\''; 
        fi; done; 
        echo "${paths[*]}"')"
        export PATH="[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:${PATH}"
        export PYENV_SHELL=bash
        pyenv() {
          local command=${1:-}
          [ "$#" -gt 0 ] && shift
          case "$command" in
          rehash|shell)
            eval "$(pyenv "sh-$command" "$@")"
            ;;
          *)
            command pyenv "$command" "$@"
            ;;
          esac
        }
        ----- stderr -----
        "#);
}

#[test]
fn bare_init_prints_instructions_and_exits_1() {
    let (e, pyenv) = env();
    assert_cli!(e.run(&pyenv, ["init", "bash"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        # Load pyenv automatically by appending
        # the following to 
        # ~/.bash_profile if it exists, otherwise ~/.profile (for login shells)
        # and ~/.bashrc (for interactive shells) :

        export PYENV_ROOT="$HOME/.pyenv"
        [[ -d $PYENV_ROOT/bin ]] && export PATH="$PYENV_ROOT/bin:$PATH"
        eval "$(pyenv init - bash)"

        # Restart your shell for the changes to take effect.

        [end]
        "#);
    assert_cli!(e.run(&pyenv, ["init", "fish"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        # Add pyenv executable to PATH by running
        # the following interactively:

        set -Ux PYENV_ROOT $HOME/.pyenv
        set -U fish_user_paths $PYENV_ROOT/bin $fish_user_paths

        # Load pyenv automatically by appending
        # the following to ~/.config/fish/config.fish:

        pyenv init - fish | source


        # Restart your shell for the changes to take effect.

        [end]
        "#);
    assert_cli!(e.pyv(["init", "zsh"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        # Load pyv automatically by appending
        # the following to 
        # ~/.zprofile (for login shells)
        # and ~/.zshrc (for interactive shells) :

        export PYENV_ROOT="$HOME/.pyenv"
        [[ -d $PYENV_ROOT/bin ]] && export PATH="$PYENV_ROOT/bin:$PATH"
        eval "$(pyv init - zsh)"

        # Restart your shell for the changes to take effect.

        [end]
        "#);
    // Nothing is created by the instructions, even in a root that does not exist yet.
    let mut e = e;
    let missing = e.tmp.join("no root yet");
    e.set("PYENV_ROOT", missing.display().to_string());
    assert_eq!(e.run(&pyenv, ["init", "ksh"]).code, 1);
    assert!(!missing.exists());
}

#[test]
fn init_dash_creates_shims_and_versions_in_a_new_root() {
    let (mut e, pyenv) = env();
    let root = e.tmp.join("new root");
    e.set("PYENV_ROOT", root.display().to_string());
    let out = e.run(&pyenv, ["init", "-", "bash"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(root.join("shims").is_dir() && root.join("versions").is_dir());
    // `--path` only prints: pyenv creates the folders for `-` alone.
    let other = e.tmp.join("other root");
    e.set("PYENV_ROOT", other.display().to_string());
    assert_eq!(e.run(&pyenv, ["init", "--path", "bash"]).code, 0);
    assert!(!other.exists());
}

#[test]
fn a_root_the_shell_code_cannot_quote_is_refused() {
    let (mut e, pyenv) = env();
    let odd = e.tmp.join("it's");
    std::fs::create_dir_all(&odd).unwrap();
    e.set("PYENV_ROOT", odd.display().to_string());
    assert_cli!(e.run(&pyenv, ["init", "-", "bash"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyenv: the root [TMP]/it's holds a single quote, which the shell code of 'init' cannot carry; set PYENV_ROOT to a folder whose path has no quotes, '$', backquotes or line breaks
        "#);
}

#[test]
fn sh_shell_and_sh_rehash_write_for_pyenv_shell() {
    let (mut e, pyenv) = env();
    e.set("PYENV_SHELL", "bash");
    assert_cli!(e.run(&pyenv, ["sh-shell", "3.12", "3.11.9"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        PYENV_VERSION_OLD="${PYENV_VERSION-}"
        export PYENV_VERSION="3.12:3.11.9"
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["sh-shell", "--unset"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        PYENV_VERSION_OLD="${PYENV_VERSION-}"
        unset PYENV_VERSION
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["sh-shell", "3.7"]), @"
    success: false
    exit_code: 1
    ----- stdout -----
    false
    ----- stderr -----
    pyenv: version `3.7' not installed
    ");
    assert_cli!(e.run(&pyenv, ["sh-shell"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyenv: no shell-specific version configured
        "#);
    assert_cli!(e.run(&pyenv, ["sh-rehash"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        command pyenv rehash
        hash -r 2>/dev/null || true
        ----- stderr -----
        "#);
    e.set("PYENV_VERSION", "3.12");
    // Already the value: nothing to change, so PYENV_VERSION_OLD keeps the one before.
    assert_cli!(e.run(&pyenv, ["sh-shell", "3.12"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["sh-shell"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        echo "$PYENV_VERSION"
        ----- stderr -----
        "#);
    e.set("PYENV_SHELL", "fish");
    assert_cli!(e.run(&pyenv, ["sh-shell", "3.11"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        set -gu PYENV_VERSION_OLD "$PYENV_VERSION"
        set -gx PYENV_VERSION "3.11"
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["sh-shell", "--unset"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        set -gu PYENV_VERSION_OLD "$PYENV_VERSION"
        set -e PYENV_VERSION
        ----- stderr -----
        "#);
    assert_cli!(e.run(&pyenv, ["sh-rehash"]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        command pyenv rehash
        ----- stderr -----
        "#);
    // Without the function, `shell` cannot reach the shell: pyenv's words.
    assert_cli!(e.run(&pyenv, ["shell", "3.12"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyenv: shell integration not enabled. Run `pyenv init' for instructions.
        "#);
}

#[test]
fn pyenv_win_mode_keeps_pyvs_windows_forms() {
    let (mut e, _) = env();
    e.set("PYV_COMPAT", "pyenv-win");
    assert_cli!(e.pyv(["init"]), @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        ----- stderr -----
        pyv: no shell given; see 'pyv help init'
        "#);
    let out = e.pyv(["init", "powershell"]);
    assert!(
        out.code == 0 && out.stdout.starts_with("function pyv {\n"),
        "{}",
        out.snapshot()
    );
    // pyenv's protocol is there when asked for (Git Bash).
    let out = e.pyv(["init", "-", "bash"]);
    assert!(
        out.code == 0 && out.stdout.contains("export PYENV_SHELL=bash\n"),
        "{}",
        out.snapshot()
    );
}

/// A real shell at one of the usual places, or `None` after saying why the test skips.
fn shell(name: &str) -> Option<PathBuf> {
    let found = ["/usr/bin", "/bin", "/usr/local/bin"]
        .into_iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("SKIP: no {name} on this machine (Debian package {name}; .ci/run installs it)");
    }
    found
}

/// `env()` set up for a shell session: the shell's own tools on PATH after `pyenv`.
fn session_env() -> (TestEnv, PathBuf) {
    let (mut e, pyenv) = env();
    let bin_dir = pyenv.parent().unwrap().display().to_string();
    e.set("PATH", format!("{bin_dir}:/usr/bin:/bin"));
    e.unset("SHELL");
    // A UTF-8 locale, as in a terminal: fish reads the environment through it, and the
    // root's path is not ASCII.
    e.set("LC_ALL", "C.UTF-8");
    (e, pyenv)
}

const POSIX_SESSION: &str = r#"eval "$(pyenv init -)"
eval "$(pyenv init -)"
echo "PATH=$PATH"
echo "PYENV_SHELL=$PYENV_SHELL"
pyenv shell 3.11.9
python -V
pyenv shell 3.12
python -V
pyenv shell -
echo "back to $PYENV_VERSION"
pyenv shell
pyenv shell --unset
echo "unset: ${PYENV_VERSION-yes}"
pyenv shell 3.7 || echo "status $?"
pyenv rehash && echo rehashed
"#;

#[test]
fn bash_session_evaluates_init_and_shell_changes_it() {
    if cfg!(windows) {
        eprintln!("SKIP: the shell sessions run on Unix only");
        return;
    }
    let (e, _) = session_env();
    let Some(bash) = shell("bash") else { return };
    assert_cli!(e.run(&bash, ["-c", POSIX_SESSION]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    PATH=[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:[TMP]/bin:/usr/bin:/bin
    PYENV_SHELL=bash
    python 3.11.9
    [-V]
    python 3.12.4
    [-V]
    back to 3.11.9
    3.11.9
    unset: yes
    status 1
    rehashed
    ----- stderr -----
    pyenv: version `3.7' not installed
    ");
}

#[test]
fn zsh_session_evaluates_init_and_shell_changes_it() {
    if cfg!(windows) {
        eprintln!("SKIP: the shell sessions run on Unix only");
        return;
    }
    let (e, _) = session_env();
    let Some(zsh) = shell("zsh") else { return };
    // No startup files of the machine's user: HOME is the test's.
    assert_cli!(e.run(&zsh, ["-f", "-c", POSIX_SESSION]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    PATH=[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:[TMP]/bin:/usr/bin:/bin
    PYENV_SHELL=zsh
    python 3.11.9
    [-V]
    python 3.12.4
    [-V]
    back to 3.11.9
    3.11.9
    unset: yes
    status 1
    rehashed
    ----- stderr -----
    pyenv: version `3.7' not installed
    ");
}

#[test]
fn fish_session_evaluates_init_and_shell_changes_it() {
    if cfg!(windows) {
        eprintln!("SKIP: the shell sessions run on Unix only");
        return;
    }
    let (e, _) = session_env();
    let Some(fish) = shell("fish") else { return };
    let script = r#"pyenv init - fish | source
pyenv init - | source
echo "PATH="(string join : $PATH)
echo "PYENV_SHELL=$PYENV_SHELL"
pyenv shell 3.11.9
python -V
pyenv shell 3.12
python -V
pyenv shell -
echo "back to $PYENV_VERSION"
pyenv shell
pyenv shell --unset
echo "unset: "(set -q PYENV_VERSION; and echo no; or echo yes)
pyenv shell 3.7; or echo "status $status"
pyenv rehash; and echo rehashed
"#;
    assert_cli!(e.run(&fish, ["--no-config", "-c", script]), @"
    success: true
    exit_code: 0
    ----- stdout -----
    PATH=[TMP]/Jürgen Ünïcode/.pyenv/pyenv-win/shims:[TMP]/bin:/usr/bin:/bin
    PYENV_SHELL=fish
    python 3.11.9
    [-V]
    python 3.12.4
    [-V]
    back to 3.11.9
    3.11.9
    unset: yes
    status 1
    rehashed
    ----- stderr -----
    pyenv: version `3.7' not installed
    ");
}

#[test]
fn a_session_of_pyv_by_its_own_name() {
    if cfg!(windows) {
        eprintln!("SKIP: the shell sessions run on Unix only");
        return;
    }
    let (mut e, _) = session_env();
    let Some(bash) = shell("bash") else { return };
    let pyv_dir = bin("pyv").parent().unwrap().display().to_string();
    e.set("PATH", format!("{pyv_dir}:/usr/bin:/bin"));
    let script = r#"eval "$(pyv init -)"
type pyv | head -1
pyv shell 3.12
python -V
pyv shell --unset
pyenv shell 3.12 2>/dev/null || echo "no pyenv here"
"#;
    assert_cli!(e.run(&bash, ["-c", script]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        pyv is a function
        python 3.12.4
        [-V]
        no pyenv here
        ----- stderr -----
        "#);
}

#[test]
fn the_shell_is_the_one_that_runs_init_as_pyenv_detects_it() {
    if cfg!(windows) {
        eprintln!("SKIP: the shell sessions run on Unix only");
        return;
    }
    let (mut e, _) = session_env();
    let Some(bash) = shell("bash") else { return };
    // `$SHELL` names another shell: the parent process wins, as in pyenv.
    e.set("SHELL", "/usr/bin/fish");
    let script =
        "pyenv init --detect-shell; pyenv init - | grep PYENV_SHELL=; pyenv init 2>&1 | tail -4";
    assert_cli!(e.run(&bash, ["-c", script]), @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        PYENV_SHELL_DETECT=bash
        PYENV_PROFILE_DETECT=~/.profile
        PYENV_RC_DETECT=~/.bashrc
        export PYENV_SHELL=bash
        eval "$(pyenv init - bash)"

        # Restart your shell for the changes to take effect.

        [end]
        ----- stderr -----
        "#);
}
