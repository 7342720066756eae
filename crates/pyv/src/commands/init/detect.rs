//! Which shell asked for `init` when none is named: as pyenv 2.6 finds it, the first word
//! of the parent process's command line (the shell evaluating `$(pyenv init -)`), else
//! `$SHELL`.

use pyv_core::Env;

/// The shell's name from the parent's command line, or from `$SHELL`.
pub fn shell(env: &dyn Env) -> String {
    let parent = parent_command_line().unwrap_or_default();
    name_from(&parent, env.var("SHELL").as_deref().unwrap_or(""))
}

/// pyenv's rule: first word, one leading `-` (a login shell) dropped, `$SHELL` when empty,
/// then the file name up to its first `-` (`bash-5.2` is bash).
pub fn name_from(command_line: &str, shell_var: &str) -> String {
    let first = command_line.split(' ').next().unwrap_or("");
    let first = first.strip_prefix('-').unwrap_or(first);
    let chosen = if first.is_empty() { shell_var } else { first };
    let base = chosen.rsplit('/').next().unwrap_or(chosen);
    base.split('-').next().unwrap_or(base).to_string()
}

/// The basename of `$PYENV_SHELL`, else of `$SHELL`: what the `sh-` commands write for.
pub fn current(env: &dyn Env) -> String {
    let v = env
        .non_empty("PYENV_SHELL")
        .or_else(|| env.var("SHELL"))
        .unwrap_or_default();
    v.rsplit('/').next().unwrap_or("").to_string()
}

/// The parent's arguments joined by spaces: `/proc` where there is one, else `ps`.
#[cfg(unix)]
fn parent_command_line() -> Option<String> {
    let ppid = std::os::unix::process::parent_id();
    if let Ok(raw) = std::fs::read(format!("/proc/{ppid}/cmdline")) {
        return Some(String::from_utf8_lossy(&raw).replace('\0', " "));
    }
    let out = std::process::Command::new("ps")
        .args(["-p", &ppid.to_string(), "-o", "args="])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[cfg(not(unix))]
fn parent_command_line() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyv_core::MemoryEnv;

    #[test]
    fn login_shells_paths_and_versions_reduce_to_the_name() {
        assert_eq!(name_from("-zsh", ""), "zsh");
        assert_eq!(name_from("/usr/bin/bash -c eval", "/bin/zsh"), "bash");
        assert_eq!(name_from("/opt/bin/bash-5.2 -l", ""), "bash");
        assert_eq!(name_from("", "/usr/bin/fish"), "fish");
        assert_eq!(name_from("", ""), "");
    }

    #[test]
    fn the_sh_commands_write_for_pyenv_shell_first() {
        let env = MemoryEnv::from_pairs([("PYENV_SHELL", "fish"), ("SHELL", "/bin/bash")]);
        assert_eq!(current(&env), "fish");
        let env = MemoryEnv::from_pairs([("PYENV_SHELL", ""), ("SHELL", "/bin/bash")]);
        assert_eq!(current(&env), "bash");
        assert_eq!(current(&MemoryEnv::new()), "");
    }
}
