//! `versions/` as pyenv 2.6 lists it (pyenv mode): every folder, names with spaces
//! included, in GNU `sort --version-sort` order, each followed by the environments in its
//! `envs/` folder (pyenv-virtualenv's and conda's), named `<version>/envs/<env>`.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// As pyenv prints it: `3.12.1`, `3.11 space`, `3.12.4/envs/venv1`.
    pub name: String,
    /// `versions/<name>`.
    pub path: PathBuf,
    /// Where a link points, as written in the link (pyenv prints `name --> target`).
    pub link: Option<PathBuf>,
    /// A link to another version or to an environment, or an environment seen through
    /// such a link (what `--skip-aliases` leaves out).
    pub alias: bool,
    /// An environment under `<version>/envs/` (what `--skip-envs` leaves out).
    pub env: bool,
}

/// The folders of `versions_dir` and their environments, in pyenv's order. Folders whose
/// names start with a dot are listed, as pyenv lists them, except pyv's own work folders
/// (`.pyv-…`, a killed install's), which are never versions.
pub fn list(versions_dir: &Path) -> Vec<Listed> {
    let Ok(entries) = std::fs::read_dir(versions_dir) else {
        return Vec::new();
    };
    let real_dir = versions_dir
        .canonicalize()
        .unwrap_or_else(|_| versions_dir.to_path_buf());
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with(".pyv-"))
        .collect();
    names.sort_by(|a, b| version_sort(a, b));
    let mut out = Vec::new();
    for name in names {
        let path = versions_dir.join(&name);
        // pyv's pointer folders (see `crate::link`) count as links too.
        let link = crate::link::is_link(&path)
            .then(|| crate::link::target_of(&path))
            .flatten();
        let alias = link.is_some() && is_alias(&crate::link::resolve_dir(&path), &real_dir);
        out.push(Listed {
            name: name.clone(),
            path: path.clone(),
            link,
            alias,
            env: false,
        });
        let mut envs: Vec<String> = std::fs::read_dir(crate::link::resolve_dir(&path).join("envs"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        envs.sort_by(|a, b| version_sort(a, b));
        for env in envs {
            let env_path = path.join("envs").join(&env);
            out.push(Listed {
                name: format!("{name}/envs/{env}"),
                link: std::fs::read_link(&env_path).ok(),
                path: env_path,
                alias,
                env: true,
            });
        }
    }
    out
}

/// A link whose real folder is another version (`versions/3.12 -> 3.12.4`) or an
/// environment of one (`versions/venv1 -> 3.12.4/envs/venv1`), as pyenv's `--skip-aliases`.
fn is_alias(target: &Path, real_versions_dir: &Path) -> bool {
    let Ok(target) = target.canonicalize() else {
        return false;
    };
    let parent = target.parent();
    parent == Some(real_versions_dir)
        || (parent.and_then(Path::file_name) == Some("envs".as_ref())
            && parent.and_then(Path::parent).and_then(Path::parent) == Some(real_versions_dir))
}

/// GNU `sort --version-sort` (coreutils' `filevercmp`) for the names pyenv lists: runs of
/// digits compare as numbers, other characters letters first, then the rest; `~` before all.
pub fn version_sort(a: &str, b: &str) -> Ordering {
    verrevcmp(a.as_bytes(), b.as_bytes()).then_with(|| a.cmp(b))
}

fn order(c: Option<&u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(*c),
        Some(b'~') => -1,
        Some(c) => i32::from(*c) + 256,
    }
}

fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (x, y) = (order(a.get(i)), order(b.get(j)));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while a.get(i).is_some_and(u8::is_ascii_digit) && b.get(j).is_some_and(u8::is_ascii_digit) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if a.get(i).is_some_and(u8::is_ascii_digit) {
            return Ordering::Greater;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_gnu_sort_dash_v() {
        // The order `printf '%s\n' … | sort -V` gives.
        let mut names = vec![
            "3.12.4/envs/venv1",
            "venv1",
            "3.12",
            "3.11 space",
            "3.12.1",
            "3.9.13",
            "pypy3.10-7.3.12",
            "3.13.0a1",
            "3.13.0",
            "miniconda3-latest",
            "3.12.10",
        ];
        names.sort_by(|a, b| version_sort(a, b));
        assert_eq!(
            names,
            [
                "3.9.13",
                "3.11 space",
                "3.12",
                "3.12.1",
                "3.12.4/envs/venv1",
                "3.12.10",
                "3.13.0",
                "3.13.0a1",
                "miniconda3-latest",
                "pypy3.10-7.3.12",
                "venv1",
            ]
        );
    }
}
