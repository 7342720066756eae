//! Which shell `pyv shell` was typed in, for the hint it gives when it cannot change that
//! shell's version: an exe cannot, so the hint names what can, in that shell's words.

use pyv_core::{prog, Compat, Env};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Cmd,
    /// Windows PowerShell 5.1 and PowerShell 7.
    Pwsh,
    Posix,
    Fish,
}

/// The calling shell, guessed from its variables (as uv does): Git Bash and MSYS2 set
/// `MSYSTEM`, POSIX shells export `SHELL` (its name tells fish apart), cmd sets `PROMPT` and
/// PowerShell sets neither; without any of them, the mode's usual shell.
pub fn detect(env: &dyn Env, compat: Compat) -> Shell {
    if let Some(sh) = env.non_empty("SHELL") {
        let name = sh.rsplit(['/', '\\']).next().unwrap_or_default();
        return if name.starts_with("fish") {
            Shell::Fish
        } else {
            Shell::Posix
        };
    }
    if env.non_empty("MSYSTEM").is_some() {
        return Shell::Posix;
    }
    if env.non_empty("PROMPT").is_some() {
        return Shell::Cmd;
    }
    match compat {
        Compat::PyenvWin => Shell::Pwsh,
        Compat::Pyenv => Shell::Posix,
    }
}

/// What makes `shell` work in `shell`, for the error `pyv shell` gives without it.
pub fn enable_hint(shell: Shell, compat: Compat) -> String {
    let p = prog::name();
    let enable = |how: &str| format!("enable it with {how} (see '{p} help init')");
    // After `self install`, `pyenv` in cmd and PowerShell is a script that can.
    let scripts = |file: &str, shell: &str| {
        format!("use 'pyenv shell' (bin\\{file} from '{p} self install' sets it in {shell}), or ")
    };
    let scripts_too = compat.is_pyenv_win() && p != "pyenv";
    match shell {
        Shell::Cmd => {
            let how = enable(&format!("'{p} init cmd'"));
            if scripts_too {
                format!("{}{how}", scripts("pyenv.bat", "cmd"))
            } else {
                how
            }
        }
        Shell::Pwsh => {
            let how = enable(&format!(
                "'{p} init powershell | Out-String | Invoke-Expression' in your PowerShell $PROFILE"
            ));
            if scripts_too {
                format!("{}{how}", scripts("pyenv.ps1", "PowerShell"))
            } else {
                how
            }
        }
        Shell::Posix => enable(&format!("'eval \"$({p} init bash)\"' in ~/.bashrc")),
        Shell::Fish => enable(&format!(
            "'{p} init fish | source' in ~/.config/fish/config.fish"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyv_core::MemoryEnv;

    fn shell_of(pairs: &[(&str, &str)], compat: Compat) -> Shell {
        detect(&MemoryEnv::from_pairs(pairs.iter().copied()), compat)
    }

    #[test]
    fn the_shell_comes_from_its_variables_then_from_the_mode() {
        let win = Compat::PyenvWin;
        assert_eq!(shell_of(&[("PROMPT", "$P$G")], win), Shell::Cmd);
        assert_eq!(shell_of(&[], win), Shell::Pwsh);
        assert_eq!(
            shell_of(&[("MSYSTEM", "MINGW64"), ("PROMPT", "$P$G")], win),
            Shell::Posix
        );
        assert_eq!(shell_of(&[("SHELL", "/usr/bin/bash")], win), Shell::Posix);
        assert_eq!(
            shell_of(&[("SHELL", "/usr/bin/fish")], Compat::Pyenv),
            Shell::Fish
        );
        assert_eq!(shell_of(&[], Compat::Pyenv), Shell::Posix);
        assert_eq!(shell_of(&[("SHELL", "")], Compat::Pyenv), Shell::Posix);
    }
}
