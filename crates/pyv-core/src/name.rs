//! Version names as they appear in `versions\`, `.python-version` and the catalog, and the
//! numeric ordering between them (3.10 > 3.9, pre-releases before the final release).

use crate::arch::Arch;
use std::cmp::Ordering;
use std::fmt;

/// A pre-release tag; the derived order (`A < B < Rc`) is the release order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pre {
    A(u32),
    B(u32),
    Rc(u32),
}

/// A CPython name: `3.9.4`, `3.9.4-win32`, `3.11.0a5-arm`/`-arm64`, `3.13.0t`, or a
/// partial one (`3.12`, `3`) as used in requests.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CPython {
    /// One to three components; a request may give fewer than three.
    pub release: Vec<u32>,
    pub pre: Option<Pre>,
    pub freethreaded: bool,
    pub arch: Arch,
    /// Whether the name spelled an architecture suffix (a request without one means
    /// "the machine's architecture").
    pub explicit_arch: bool,
}

impl CPython {
    pub fn parse(s: &str) -> Option<CPython> {
        let (body, arch) = match s.rsplit_once('-') {
            Some((body, suffix)) => (body, Some(Arch::parse(suffix)?)),
            None => (s, None),
        };
        let (body, freethreaded) = match body.strip_suffix('t') {
            Some(b) => (b, true),
            None => (body, false),
        };
        // Split "3.11.0a5" into the dotted release and the pre-release tag.
        let tag_at = body
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(body.len());
        let (nums, tag) = body.split_at(tag_at);
        let release = nums
            .split('.')
            .map(|p| {
                if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    p.parse().ok()
                }
            })
            .collect::<Option<Vec<u32>>>()?;
        if release.is_empty() || release.len() > 3 {
            return None;
        }
        let pre = if tag.is_empty() {
            None
        } else {
            let digits_at = tag.find(|c: char| c.is_ascii_digit())?;
            let (kind, n) = tag.split_at(digits_at);
            if !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 9 {
                return None;
            }
            let n: u32 = n.parse().ok()?;
            Some(match kind {
                "a" => Pre::A(n),
                "b" => Pre::B(n),
                // `c1` is how 2.4–2.6 spelled release candidates (2.6.2c1).
                "rc" | "c" => Pre::Rc(n),
                _ => return None,
            })
        };
        Some(CPython {
            release,
            pre,
            freethreaded,
            arch: arch.unwrap_or(Arch::Amd64),
            explicit_arch: arch.is_some(),
        })
    }

    fn release_padded(&self) -> [u32; 3] {
        let mut r = [0; 3];
        for (i, v) in self.release.iter().enumerate() {
            r[i] = *v;
        }
        r
    }

    /// `3.12` of `3.12.4`: the `major.minor` part, when there is one.
    pub fn minor(&self) -> Option<(u32, u32)> {
        match self.release.as_slice() {
            [a, b, ..] => Some((*a, *b)),
            _ => None,
        }
    }

    /// Same build, ignoring how the architecture was spelled (`-arm` and `-arm64` are equal).
    pub fn same_build(&self, other: &CPython) -> bool {
        self.release_padded() == other.release_padded()
            && self.release.len() == other.release.len()
            && self.pre == other.pre
            && self.freethreaded == other.freethreaded
            && self.arch == other.arch
    }

    fn cmp_key(&self) -> impl Ord {
        // Final releases sort after every pre-release of the same number.
        let pre = match self.pre {
            Some(p) => (0, Some(p)),
            None => (1, None),
        };
        // Same order as pyenv-win's catalog within one release: -win32, -arm, x64.
        let arch = match self.arch {
            Arch::X86 => 0,
            Arch::Arm64 => 1,
            Arch::Amd64 => 2,
        };
        (
            self.release_padded(),
            self.release.len(),
            pre,
            self.freethreaded,
            arch,
        )
    }
}

/// What a version name denotes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The Python found outside pyv (or `versions/system` when a user made it).
    System,
    CPython(CPython),
    /// `pypy3.10-v7.3.17-win64`
    PyPy,
    /// `graalpy-24.1.0-windows-amd64`
    GraalPy,
    /// Any other folder name (`conda-3.12`, a virtualenv, …).
    Other,
}

/// A version name: the text as written plus what it parses to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionName {
    raw: String,
    kind: Kind,
}

impl VersionName {
    pub fn new(raw: impl Into<String>) -> VersionName {
        let raw = raw.into();
        let kind = if raw == crate::request::SYSTEM {
            Kind::System
        } else if let Some(c) = CPython::parse(&raw) {
            Kind::CPython(c)
        } else if raw.starts_with("pypy") {
            Kind::PyPy
        } else if raw.starts_with("graalpy") {
            Kind::GraalPy
        } else {
            Kind::Other
        };
        VersionName { raw, kind }
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    pub fn cpython(&self) -> Option<&CPython> {
        match &self.kind {
            Kind::CPython(c) => Some(c),
            _ => None,
        }
    }

    fn rank(&self) -> u8 {
        match self.kind {
            Kind::System => 0,
            Kind::CPython(_) => 1,
            Kind::PyPy => 2,
            Kind::GraalPy => 3,
            Kind::Other => 4,
        }
    }
}

/// Whether `name` is acceptable as a version: a single path component made of the
/// characters pyenv-win allows, so a version can never point outside `versions/`
/// (pyenv's CVE-2022-35861 was a `.python-version` holding `../..`).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'))
}

impl fmt::Display for VersionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Ord for VersionName {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank()
            .cmp(&other.rank())
            .then_with(|| match (&self.kind, &other.kind) {
                (Kind::CPython(a), Kind::CPython(b)) => a.cmp_key().cmp(&b.cmp_key()),
                _ => natural_cmp(&self.raw, &other.raw),
            })
            .then_with(|| self.raw.cmp(&other.raw))
    }
}

impl PartialOrd for VersionName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares runs of digits as numbers, so `pypy3.10` sorts after `pypy3.9`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let la = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let lb = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, db) = (trim_zeros(&a[..la]), trim_zeros(&b[..lb]));
                let ord = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[la..];
                b = &b[lb..];
            }
            (Some(x), Some(y)) => {
                let ord = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|c| **c == b'0').count();
    &d[n.min(d.len().saturating_sub(1))..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<VersionName> = names.iter().map(|n| VersionName::new(*n)).collect();
        v.sort();
        v.into_iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn parses_pyenv_win_names() {
        let c = CPython::parse("3.11.0a5-arm").unwrap();
        assert_eq!(c.release, vec![3, 11, 0]);
        assert_eq!(c.pre, Some(Pre::A(5)));
        assert_eq!(c.arch, Arch::Arm64);
        assert!(c.explicit_arch);
        assert!(CPython::parse("3.11.0a5-arm64").unwrap().same_build(&c));
        let t = CPython::parse("3.13.0t").unwrap();
        assert!(t.freethreaded && t.pre.is_none() && t.arch == Arch::Amd64 && !t.explicit_arch);
        let w = CPython::parse("3.9.4-win32").unwrap();
        assert_eq!(w.arch, Arch::X86);
        assert_eq!(CPython::parse("3.12.0rc2").unwrap().pre, Some(Pre::Rc(2)));
        assert_eq!(CPython::parse("2.6.2c1").unwrap().pre, Some(Pre::Rc(1)));
        assert_eq!(CPython::parse("3").unwrap().release, vec![3]);
        for bad in [
            "",
            "3.",
            ".3",
            "3.9.4.1",
            "3.9x",
            "3.9.4-sparc",
            "3.9a",
            "v3.9",
            "3..9",
        ] {
            assert!(CPython::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(
            VersionName::new("pypy3.10-v7.3.17-win64").kind(),
            &Kind::PyPy
        );
        assert_eq!(
            VersionName::new("graalpy-24.1.0-windows-amd64").kind(),
            &Kind::GraalPy
        );
        assert_eq!(VersionName::new("system").kind(), &Kind::System);
        assert_eq!(VersionName::new("conda-3.12").kind(), &Kind::Other);
    }

    #[test]
    fn orders_numerically_with_prereleases_first() {
        assert_eq!(
            sorted(&[
                "3.10.0",
                "3.9.13",
                "3.10.0rc1",
                "3.10.0a1",
                "3.10.0b2",
                "3.9.4-win32",
                "3.9.4",
                "3.9.4-arm",
                "3.13.0t",
                "3.13.0",
                "2.7.18",
                "system",
                "pypy3.10-v7.3.17-win64",
                "pypy3.9-v7.3.16-win64",
                "graalpy-24.1.0-windows-amd64",
                "conda-3.12"
            ]),
            [
                "system",
                "2.7.18",
                "3.9.4-win32",
                "3.9.4-arm",
                "3.9.4",
                "3.9.13",
                "3.10.0a1",
                "3.10.0b2",
                "3.10.0rc1",
                "3.10.0",
                "3.13.0",
                "3.13.0t",
                "pypy3.9-v7.3.16-win64",
                "pypy3.10-v7.3.17-win64",
                "graalpy-24.1.0-windows-amd64",
                "conda-3.12"
            ]
        );
    }

    #[test]
    fn natural_order_compares_numbers() {
        assert_eq!(natural_cmp("a10", "a9"), Ordering::Greater);
        assert_eq!(natural_cmp("a010", "a10"), Ordering::Equal);
        assert_eq!(natural_cmp("a", "a1"), Ordering::Less);
    }

    #[test]
    fn validates_names() {
        for ok in [
            "3.9.4",
            "system",
            "pypy3.10-v7.3.17-win64",
            "conda_3.12",
            "3.12+local",
        ] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "", ".", "..", "../x", "a/b", "a\\b", "C:", ".hidden", "a b", "3.12\0",
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
