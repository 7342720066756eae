//! The shim: one program placed in `shims/` under every command name (`python`, `pip3.12`,
//! `black`, …). It works out which command it stands for from its own name, resolves the
//! selected version exactly as `pyv version-name` does, and runs that version's command
//! with the same arguments, standard streams and exit code.

use pyv_core::{path_check, rehash, run, Context, Env, Error, ProcessEnv, Root};
use std::ffi::OsString;
use std::path::Path;

/// How many shims may be running inside one another (rustup's recursion guard is the
/// model): real nesting (a Python script that runs `pip` through its shim) stays far below
/// this, a loop of shims reaches it within milliseconds.
const MAX_DEPTH: u32 = 20;
/// Counts the shims running inside one another; each passes its own count + 1 down.
const DEPTH_VAR: &str = "PYV_SHIM_DEPTH";

fn main() {
    let mut args = std::env::args_os();
    let argv0 = args.next();
    let args: Vec<OsString> = args.collect();
    std::process::exit(shim(argv0, args));
}

fn shim(argv0: Option<OsString>, args: Vec<OsString>) -> i32 {
    let env = ProcessEnv;
    let me = env.current_exe();
    let Some(command) = command_name(argv0.as_deref(), me.as_deref()) else {
        eprintln!(
            "pyv-shim: run this program through a shim in the shims folder (see 'pyv rehash')"
        );
        return 2;
    };
    let ctx = match context(&env, me.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let target = match ctx.which(&command) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    let depth: u32 = env
        .var(DEPTH_VAR)
        .and_then(|d| d.trim().parse().ok())
        .unwrap_or(0);
    // A target that is this very program (a link to the shim) loops at once; other loops
    // (copies of the shim, scripts that call it) are caught by the count. On Windows shims
    // are copies and links to them are rare, and telling files apart there costs two
    // `canonicalize` calls per start: the count alone guards it.
    if depth >= MAX_DEPTH
        || (cfg!(unix)
            && me
                .as_deref()
                .is_some_and(|me| path_check::same_file(&target, me)))
    {
        return fail(&Error::ShimLoop { command, target });
    }
    // Inherited by the target (exec keeps the environment, and so does a spawned child).
    // The shim is single-threaded, so changing its environment is sound here.
    std::env::set_var(DEPTH_VAR, (depth + 1).to_string());
    if let Some(version) = ctx.exec_version() {
        std::env::set_var("PYENV_VERSION", version);
    }
    let path = ctx.exec_path_for(&target);
    let code = if rehash::needs_rehash_after(&command, &args) {
        // pip may add console scripts: run it as a child, then give them shims at once.
        let code = run::spawn_and_wait(&target, run::Args::Forward(&args), &path);
        if let Some(me) = &me {
            if let Err(e) = rehash::rehash(&ctx.root, me, &ctx.shim_versions(), &ctx.exts) {
                eprintln!(
                    "{}: rehash after {command} failed: {e}",
                    pyv_core::prog::name()
                );
            }
        }
        code
    } else {
        run::replace_process(&target, run::Args::Forward(&args), &path)
    };
    code.unwrap_or_else(|e| {
        eprintln!(
            "{}: cannot run '{}': {e}",
            pyv_core::prog::name(),
            target.display()
        );
        126
    })
}

fn fail(e: &pyv_core::Error) -> i32 {
    eprintln!("{}: {e}", pyv_core::prog::name());
    e.exit_code()
}

/// The command this shim stands for: its file name without Windows' `.exe`. `python3.9`
/// keeps its `.9` (it is not an extension).
fn command_name(argv0: Option<&std::ffi::OsStr>, me: Option<&Path>) -> Option<String> {
    let from = |p: &Path| -> Option<String> {
        let name = p.file_name()?.to_str()?;
        let name = match name.len().checked_sub(4) {
            Some(i) if name.is_char_boundary(i) && name[i..].eq_ignore_ascii_case(".exe") => {
                &name[..i]
            }
            _ => name,
        };
        (!name.is_empty()).then(|| name.to_string())
    };
    let name = argv0
        .map(Path::new)
        .and_then(from)
        .or_else(|| me.and_then(from))?;
    (!name.eq_ignore_ascii_case("pyv-shim")).then_some(name)
}

/// The root the shim belongs to: `<root>/shims/<me>` when `<root>/versions` exists, so a
/// shim always serves its own tree; else the usual discovery (variables, default).
fn context(env: &dyn Env, me: Option<&Path>) -> Result<Context, pyv_core::Error> {
    let root = me
        .and_then(Root::of_shim)
        .unwrap_or_else(|| Root::discover_with(env));
    Context::from_env_in(env, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_name_from_argv0() {
        let n = |a: &str| command_name(Some(std::ffi::OsStr::new(a)), None);
        assert_eq!(n("python").as_deref(), Some("python"));
        assert_eq!(n("python3.9.EXE").as_deref(), Some("python3.9"));
        assert_eq!(n("/r/shims/python3.9").as_deref(), Some("python3.9"));
        assert_eq!(n("pyv-shim.exe"), None);
        assert_eq!(
            command_name(None, Some(Path::new("/r/shims/pip"))).as_deref(),
            Some("pip")
        );
    }

    #[test]
    fn context_comes_from_the_environment_given() {
        // Not inside a root's shims folder: the variables decide.
        let me = Path::new("/nowhere/shims/python");
        let env = pyv_core::MemoryEnv::from_pairs([
            ("PYENV_ROOT", "/r"),
            ("PYENV_VERSION", "3.12"),
            ("PATHEXT", ".EXE"),
        ])
        .with_cwd("/w")
        .with_exe(me);
        let ctx = context(&env, Some(me)).unwrap();
        assert_eq!(ctx.root.dir(), Path::new("/r"));
        assert_eq!(ctx.cwd, Path::new("/w"));
        assert_eq!(ctx.pyenv_version.as_deref(), Some("3.12"));
        assert_eq!(ctx.exts, [".EXE"]);
    }
}
