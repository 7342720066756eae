//! pyenv 2.6's `init` protocol: what `eval "$(pyenv init -)"`, `pyenv init --path` and a
//! bare `pyenv init` print, word for word, with the program's own name where pyenv prints
//! `pyenv` (so `pyv init -` defines a `pyv` function). Pure text from the options, the root
//! and the shell, so each form is tested without a shell.
//!
//! pyenv also prints `source '<prefix>/completions/pyenv.<shell>'` when that file exists;
//! pyv ships no completion scripts, so that line is never printed.

/// The `sh-` commands the shell function evaluates rather than runs: those that must change
/// the calling shell. pyenv lists them from its `libexec/pyenv-sh-*` files.
const SH_COMMANDS: [&str; 2] = ["rehash", "shell"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No `-` or `--path`: instructions on stderr, exit 1.
    Help,
    /// `-`: the whole integration.
    Print,
    /// `--path`: only the shims on PATH (and the rehash).
    Path,
    /// `--detect-shell`: the shell and its startup files, as variables.
    DetectShell,
    /// `--complete`: the words completion offers.
    Complete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub mode: Mode,
    pub no_push_path: bool,
    pub no_rehash: bool,
    /// The shell named on the command line; detected when absent.
    pub shell: Option<String>,
}

impl Options {
    /// As pyenv reads them: any order, the last mode word wins, any other word is the shell.
    pub fn parse(args: &[String]) -> Options {
        let mut o = Options {
            mode: Mode::Help,
            no_push_path: false,
            no_rehash: false,
            shell: None,
        };
        if args.first().map(String::as_str) == Some("--complete") {
            o.mode = Mode::Complete;
            return o;
        }
        for a in args {
            match a.as_str() {
                "-" => o.mode = Mode::Print,
                "--path" => o.mode = Mode::Path,
                "--detect-shell" => o.mode = Mode::DetectShell,
                "--no-push-path" => o.no_push_path = true,
                "--no-rehash" => o.no_rehash = true,
                _ => o.shell = Some(a.clone()),
            }
        }
        o
    }
}

/// What one run prints: on stdout, or (help) on stderr with exit code 1.
#[derive(Debug, PartialEq, Eq)]
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// The text of `init` for `opts`, the program name `p`, the root as the shell code names it
/// and the (given or detected) shell.
pub fn render(opts: &Options, p: &str, root: &str, shell: &str) -> Printed {
    let mut out = String::new();
    let mut code = 0;
    let mut err = String::new();
    match opts.mode {
        Mode::Complete => {
            for w in [
                "-",
                "--path",
                "--no-push-path",
                "--no-rehash",
                "--detect-shell",
                "bash",
                "fish",
                "ksh",
                "pwsh",
                "zsh",
            ] {
                push(&mut out, w);
            }
        }
        Mode::Help => {
            err = help(p, shell);
            code = 1;
        }
        Mode::Path => {
            path(&mut out, opts.no_push_path, root, shell);
            rehash(&mut out, opts.no_rehash, p, shell);
        }
        Mode::Print => {
            path(&mut out, opts.no_push_path, root, shell);
            env(&mut out, shell);
            rehash(&mut out, opts.no_rehash, p, shell);
            function(&mut out, p, shell);
        }
        Mode::DetectShell => {
            let files = profile(shell);
            push(&mut out, &format!("PYENV_SHELL_DETECT={shell}"));
            push(
                &mut out,
                &format!("PYENV_PROFILE_DETECT={}", files.map_or("", |f| f.profile)),
            );
            push(
                &mut out,
                &format!("PYENV_RC_DETECT={}", files.map_or("", |f| f.rc)),
            );
        }
    }
    Printed {
        stdout: out,
        stderr: err,
        code,
    }
}

fn push(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// The startup files pyenv names for a shell it knows.
#[derive(Clone, Copy)]
struct Profile {
    profile: &'static str,
    /// How the login file is described when it differs from `profile`.
    explain: Option<&'static str>,
    rc: &'static str,
}

fn profile(shell: &str) -> Option<Profile> {
    Some(match shell {
        // pyenv tests for a quoted `'~/.bash_profile'`, which never exists: it always
        // names ~/.profile, and explains both.
        "bash" => Profile {
            profile: "~/.profile",
            explain: Some("~/.bash_profile if it exists, otherwise ~/.profile"),
            rc: "~/.bashrc",
        },
        "pwsh" => Profile {
            profile: "~/.config/powershell/profile.ps1",
            explain: None,
            rc: "~/.config/powershell/profile.ps1",
        },
        "zsh" => Profile {
            profile: "~/.zprofile",
            explain: None,
            rc: "~/.zshrc",
        },
        "ksh" | "ksh93" | "mksh" => Profile {
            profile: "~/.profile",
            explain: None,
            rc: "~/.profile",
        },
        _ => return None,
    })
}

fn help(p: &str, shell: &str) -> String {
    let mut s = String::new();
    match shell {
        "fish" => {
            for l in [
                &format!("# Add {p} executable to PATH by running"),
                "# the following interactively:",
                "",
                "set -Ux PYENV_ROOT $HOME/.pyenv",
                "set -U fish_user_paths $PYENV_ROOT/bin $fish_user_paths",
                "",
                &format!("# Load {p} automatically by appending"),
                "# the following to ~/.config/fish/config.fish:",
                "",
                &format!("{p} init - fish | source"),
                "",
            ] {
                push(&mut s, l);
            }
        }
        "pwsh" => {
            let f = profile(shell).map_or("", |f| f.profile);
            for l in [
                &format!("# Load {p} automatically by appending"),
                &format!("# the following to {f} :"),
                "",
                "$Env:PYENV_ROOT=\"$Env:HOME/.pyenv\"",
                "if (Test-Path -LP \"$Env:PYENV_ROOT/bin\" -PathType Container) {",
                "  $Env:PATH=\"$Env:PYENV_ROOT/bin:$Env:PATH\" }",
                &format!("iex (({p} init -) -join \"`n\")"),
            ] {
                push(&mut s, l);
            }
        }
        _ => {
            push(&mut s, &format!("# Load {p} automatically by appending"));
            let (login, rc) = match profile(shell) {
                Some(f) => (f.explain.unwrap_or(f.profile).to_string(), f.rc),
                None => (
                    "your shell's login startup file".to_string(),
                    "your shell's interactive startup file",
                ),
            };
            let same = profile(shell).is_some_and(|f| f.profile == f.rc);
            if same {
                push(&mut s, &format!("# the following to {rc} :"));
            } else {
                push(&mut s, "# the following to ");
                push(&mut s, &format!("# {login} (for login shells)"));
                push(&mut s, &format!("# and {rc} (for interactive shells) :"));
            }
            push(&mut s, "");
            push(&mut s, "export PYENV_ROOT=\"$HOME/.pyenv\"");
            push(
                &mut s,
                "[[ -d $PYENV_ROOT/bin ]] && export PATH=\"$PYENV_ROOT/bin:$PATH\"",
            );
            push(&mut s, &format!("eval \"$({p} init - {shell})\""));
        }
    }
    push(&mut s, "");
    push(
        &mut s,
        "# Restart your shell for the changes to take effect.",
    );
    push(&mut s, "");
    s
}

/// The shims first on PATH, once: every earlier copy removed, or (`--no-push-path`) added
/// only when missing.
fn path(out: &mut String, no_push_path: bool, root: &str, shell: &str) {
    let shims = format!("{root}/shims");
    if no_push_path {
        match shell {
            "fish" => {
                push(out, &format!("if not contains -- \"{shims}\" $PATH"));
                prepend(out, root, shell);
                push(out, "end");
            }
            "pwsh" => {
                push(out, &format!("if ( $Env:PATH -notmatch \"{shims}\" ) {{"));
                prepend(out, root, shell);
                push(out, "}");
            }
            _ => {
                push(out, &format!("if [[ \":$PATH:\" != *':{shims}:'* ]]; then"));
                prepend(out, root, shell);
                push(out, "fi");
            }
        }
        return;
    }
    match shell {
        "fish" => {
            push(
                out,
                &format!("while set pyenv_index (contains -i -- \"{shims}\" $PATH)"),
            );
            push(out, "set -eg PATH[$pyenv_index]; end; set -e pyenv_index");
        }
        "pwsh" => push(
            out,
            &format!(
                "$Env:PATH=\"$(($Env:PATH -split ':' | where {{ -not ($_ -match '{shims}') }}) -join ':')\""
            ),
        ),
        // A separate `bash --norc` does the filtering whatever the shell (pyenv#2367: a
        // bashrc sourced by a non-interactive bash would loop).
        _ => {
            push(out, "PATH=\"$(bash --norc -ec 'IFS=:; paths=($PATH); ");
            push(out, "for i in ${!paths[@]}; do ");
            push(
                out,
                &format!(
                    "if [[ ${{paths[i]}} == \"''{shims}''\" ]]; then unset '\\''paths[i]'\\''; "
                ),
            );
            push(out, "fi; done; ");
            push(out, "echo \"${paths[*]}\"')\"");
        }
    }
    prepend(out, root, shell);
}

fn prepend(out: &mut String, root: &str, shell: &str) {
    push(
        out,
        &match shell {
            "fish" => format!("set -gx PATH '{root}/shims' $PATH"),
            "pwsh" => format!("$Env:PATH=\"{root}/shims:$Env:PATH\""),
            _ => format!("export PATH=\"{root}/shims:${{PATH}}\""),
        },
    );
}

fn env(out: &mut String, shell: &str) {
    push(
        out,
        &match shell {
            "fish" => format!("set -gx PYENV_SHELL {shell}"),
            "pwsh" => format!("$Env:PYENV_SHELL=\"{shell}\""),
            _ => format!("export PYENV_SHELL={shell}"),
        },
    );
}

fn rehash(out: &mut String, no_rehash: bool, p: &str, shell: &str) {
    if no_rehash {
        return;
    }
    push(
        out,
        &match shell {
            "pwsh" => format!("& {p} rehash"),
            _ => format!("command {p} rehash"),
        },
    );
}

/// The function that sends `shell` and `rehash` through `sh-<command>`, whose output the
/// shell evaluates, and everything else to the program.
fn function(out: &mut String, p: &str, shell: &str) {
    let spaced = SH_COMMANDS.join(" ");
    let text = match shell {
        "fish" => format!(
            "function {p}
  set command $argv[1]
  set -e argv[1]

  switch \"$command\"
  case {spaced}
    source ({p} \"sh-$command\" $argv|psub)
  case \"*\"
    command {p} \"$command\" $argv
  end
end"
        ),
        "pwsh" => format!(
            "function {p} {{
  $command=\"\"
  if ( $args.Count -gt 0 ) {{
    $command, $args = $args
  }}

  if ( (\"{spaced}\" -split ' ') -contains $command ) {{
    $shell_cmds = (& (get-command -commandtype application {p}) sh-$command $args)
    if ( $shell_cmds.Count -gt 0 ) {{
      iex ($shell_cmds -join \"`n\")
    }}
  }} else {{
    & (get-command -commandtype application {p}) $command $args
  }}
}}"
        ),
        _ => {
            let head = match shell {
                "ksh" | "ksh93" | "mksh" => format!("function {p} {{\n  typeset command=${{1:-}}"),
                _ => format!("{p}() {{\n  local command=${{1:-}}"),
            };
            let piped = SH_COMMANDS.join("|");
            format!(
                "{head}
  [ \"$#\" -gt 0 ] && shift
  case \"$command\" in
  {piped})
    eval \"$({p} \"sh-$command\" \"$@\")\"
    ;;
  *)
    command {p} \"$command\" \"$@\"
    ;;
  esac
}}"
            )
        }
    };
    push(out, &text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(args: &[&str]) -> Options {
        Options::parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn words_in_any_order_last_mode_wins() {
        let o = opts(&["--no-rehash", "zsh", "-", "--no-push-path"]);
        assert_eq!(
            o,
            Options {
                mode: Mode::Print,
                no_push_path: true,
                no_rehash: true,
                shell: Some("zsh".into())
            }
        );
        assert_eq!(opts(&["-", "--path"]).mode, Mode::Path);
        assert_eq!(opts(&["bash"]).mode, Mode::Help);
        assert_eq!(opts(&["--complete", "-"]).mode, Mode::Complete);
    }

    #[test]
    fn ksh_gets_a_ksh_function_and_one_startup_file() {
        let r = render(&opts(&["-", "--no-rehash"]), "pyenv", "/r", "mksh");
        assert!(r
            .stdout
            .contains("function pyenv {\n  typeset command=${1:-}\n"));
        let h = render(&opts(&[]), "pyenv", "/r", "ksh");
        assert!(h.stderr.starts_with(
            "# Load pyenv automatically by appending\n# the following to ~/.profile :\n\n"
        ));
        assert_eq!(h.code, 1);
    }
}
