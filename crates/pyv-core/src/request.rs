//! A version as a user asks for it, parsed once from the text of `PYENV_VERSION`, a
//! version file or a command line; [`crate::resolve`] then matches it against what is
//! installed or in the catalog. This module and `resolve.rs` are the only places that
//! know what `system` and `:latest` mean.
//!
//! # The forms
//!
//! | Text as written                                   | Value                          |
//! |---------------------------------------------------|--------------------------------|
//! | `system`                                          | [`VersionRequest::System`]     |
//! | `3.12.1`, `3.12`, `3`, `3.12-arm64`, `3.13t`, `3.14.0a1`, `pypy3.10`, `conda-3.12` | [`VersionRequest::Name`] |
//! | `3.12:latest`, `pypy3.10:latest`                  | [`VersionRequest::Latest`] holding `3.12`, `pypy3.10` |
//! | anything else: `../x`, `C:\Python27`, `a b`, `3.12:latest:latest` | an [`InvalidRequest`], or [`VersionRequest::Other`] where pyenv-win accepts any text |
//!
//! `system` means `versions/system` when a user made one, else the Python found outside
//! pyv. A [`Name`](VersionRequest::Name) means the version of that exact name when there
//! is one, else the newest final release it is a prefix of. Whether `3.12` is exact or a
//! prefix is not decided here on purpose: `versions/3.12` may exist (pyenv's aliases are
//! links named like that), and then it wins, so only resolution against a list can tell.
//! [`Latest`](VersionRequest::Latest) always means the newest match, never the name
//! itself. [`Other`](VersionRequest::Other) matches nothing and has no folder, so a value
//! that could address a path (pyenv's CVE-2022-35861) is never joined to one.
//!
//! # Conversions
//!
//! | From → to                          | How                                          | Fallible |
//! |------------------------------------|----------------------------------------------|----------|
//! | `&str` → `VersionRequest`          | [`VersionRequest::parse`], [`str::parse`] ([`FromStr`]), `TryFrom<&str>`, `TryFrom<String>` | yes: [`InvalidRequest`] for text that is not a name; for command-line arguments and version files |
//! | `&str` → `VersionRequest`          | [`VersionRequest::lenient`]                  | no: such text becomes `Other`; for `PYENV_VERSION` (never validated by pyenv-win: the "not installed" error names it) and catalog lookups (`install ../x` is "definition not found") |
//! | `&str` → `Vec<VersionRequest>`     | [`split_shell`]                              | no: `PYENV_VERSION`'s list syntax, then [`VersionRequest::lenient`] |
//! | `VersionName` → `VersionRequest`   | `From`                                       | no: an installed or catalog name asks for itself (`system` → `System`; a name that is not valid → `Other`) |
//! | `VersionRequest` → text            | [`Display`](fmt::Display) (`to_string`)      | no: exactly the text as written, for messages and version files |
//! | `&VersionRequest` → `&VersionName` | [`VersionRequest::name`]                     | `None` for `System` and `Other` |
//!
//! Round trips: `parse(s)?.to_string() == s` and `lenient(s).to_string() == s` for every
//! `s`; `parse(&r.to_string()) == Ok(r)` for every request `r` but `Other`.

use crate::name::{is_valid_name, Kind, VersionName};
use std::fmt;
use std::str::FromStr;

/// The suffix that asks for the newest match of a prefix (pyenv's `3.12:latest`).
const LATEST_SUFFIX: &str = ":latest";
/// The name of the Python outside pyv (also a folder name, when a user links one).
pub(crate) const SYSTEM: &str = "system";

/// One requested version; see the [module documentation](self) for the forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VersionRequest {
    /// `system`: `versions/system`, else the Python outside pyv.
    System,
    /// A valid version name: that version if it exists, else the newest it prefixes.
    Name(VersionName),
    /// `<name>:latest`: the newest version `<name>` prefixes (the name without the suffix).
    Latest(VersionName),
    /// Text that is not a version name, kept as written for messages; it matches nothing.
    Other(String),
}

/// Text that cannot name a version: it is empty, or holds a character outside letters,
/// digits and `.-_+` (a separator, a drive, a space), or starts with a dot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{}' is not a version name (a name is letters, digits and .-_+, like 3.12.1)", crate::quote::user_text(.text))]
pub struct InvalidRequest {
    text: String,
}

impl InvalidRequest {
    /// The text as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }
}

impl VersionRequest {
    /// Parses text that must name a version (a command-line argument, a version file).
    pub fn parse(text: &str) -> Result<VersionRequest, InvalidRequest> {
        match VersionRequest::lenient(text) {
            VersionRequest::Other(text) => Err(InvalidRequest { text }),
            request => Ok(request),
        }
    }

    /// Parses any text: what is not a version name becomes [`VersionRequest::Other`].
    pub fn lenient(text: &str) -> VersionRequest {
        if text == SYSTEM {
            return VersionRequest::System;
        }
        if let Some(bare) = text.strip_suffix(LATEST_SUFFIX) {
            if is_valid_name(bare) {
                return VersionRequest::Latest(VersionName::new(bare));
            }
        } else if is_valid_name(text) {
            return VersionRequest::Name(VersionName::new(text));
        }
        VersionRequest::Other(text.to_string())
    }

    /// The version name a `Name` or `Latest` carries (without `:latest`).
    pub fn name(&self) -> Option<&VersionName> {
        match self {
            VersionRequest::Name(n) | VersionRequest::Latest(n) => Some(n),
            VersionRequest::System | VersionRequest::Other(_) => None,
        }
    }

    /// The folder name under `versions/` this request is installed as when it is there,
    /// without resolving anything: `system` or a `Name`. Checking that folder first spares
    /// a shim listing `versions/`, since an exact installed name always wins. Never a
    /// name that could leave `versions/`, even for a `Name` built by hand.
    pub fn exact_folder(&self) -> Option<&str> {
        match self {
            VersionRequest::System => Some(SYSTEM),
            VersionRequest::Name(n) => Some(n.as_str()).filter(|n| is_valid_name(n)),
            VersionRequest::Latest(_) | VersionRequest::Other(_) => None,
        }
    }

    pub fn is_system(&self) -> bool {
        matches!(self, VersionRequest::System)
    }
}

impl fmt::Display for VersionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionRequest::System => f.write_str(SYSTEM),
            VersionRequest::Name(n) => f.write_str(n.as_str()),
            VersionRequest::Latest(n) => write!(f, "{n}{LATEST_SUFFIX}"),
            VersionRequest::Other(text) => f.write_str(text),
        }
    }
}

impl FromStr for VersionRequest {
    type Err = InvalidRequest;
    fn from_str(s: &str) -> Result<VersionRequest, InvalidRequest> {
        VersionRequest::parse(s)
    }
}

impl TryFrom<&str> for VersionRequest {
    type Error = InvalidRequest;
    fn try_from(s: &str) -> Result<VersionRequest, InvalidRequest> {
        VersionRequest::parse(s)
    }
}

impl TryFrom<String> for VersionRequest {
    type Error = InvalidRequest;
    fn try_from(s: String) -> Result<VersionRequest, InvalidRequest> {
        VersionRequest::parse(&s)
    }
}

impl From<VersionName> for VersionRequest {
    fn from(name: VersionName) -> VersionRequest {
        if !is_valid_name(name.as_str()) {
            return VersionRequest::lenient(name.as_str());
        }
        match name.kind() {
            Kind::System => VersionRequest::System,
            _ => VersionRequest::Name(name),
        }
    }
}

/// `PYENV_VERSION`'s list: words split on spaces (pyenv-win) and `:` (pyenv), where a
/// `latest` word after a version is that version's `:latest` (`3.12:latest` stays one).
pub fn split_shell(raw: &str) -> Vec<VersionRequest> {
    let mut words: Vec<String> = Vec::new();
    for word in raw.split_whitespace() {
        for part in word.split(':').filter(|p| !p.is_empty()) {
            match words.last_mut() {
                Some(prev) if part == "latest" && !prev.ends_with(LATEST_SUFFIX) => {
                    prev.push_str(LATEST_SUFFIX)
                }
                _ => words.push(part.to_string()),
            }
        }
    }
    words.iter().map(|w| VersionRequest::lenient(w)).collect()
}

/// `PYENV_VERSION`'s list as pyenv reads it: split on `:` alone, so a folder name with a
/// space is one version; a `latest` part after a version is that version's `:latest`.
pub fn split_colons(raw: &str) -> Vec<VersionRequest> {
    let mut words: Vec<String> = Vec::new();
    for part in raw.split(':').filter(|p| !p.is_empty()) {
        match words.last_mut() {
            Some(prev) if part == "latest" && !prev.ends_with(LATEST_SUFFIX) => {
                prev.push_str(LATEST_SUFFIX)
            }
            _ => words.push(part.to_string()),
        }
    }
    words.iter().map(|w| VersionRequest::lenient(w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> VersionRequest {
        VersionRequest::Name(VersionName::new(s))
    }

    #[test]
    fn parses_each_form() {
        assert_eq!(VersionRequest::parse("system"), Ok(VersionRequest::System));
        for n in [
            "3.12.1",
            "3.12",
            "3",
            "3.12-arm64",
            "3.13t",
            "3.14.0a1",
            "pypy3.10",
            "conda-3.12",
            "latest",
            "System",
        ] {
            assert_eq!(VersionRequest::parse(n), Ok(name(n)), "{n}");
        }
        assert_eq!(
            VersionRequest::parse("3.12:latest"),
            Ok(VersionRequest::Latest(VersionName::new("3.12")))
        );
        // `system:latest` asks for names starting with `system-`, not for the system Python.
        assert_eq!(
            VersionRequest::parse("system:latest"),
            Ok(VersionRequest::Latest(VersionName::new("system")))
        );
        for bad in [
            "",
            ".",
            "..",
            "../../etc",
            "/usr/bin/python",
            "C:\\Python27",
            "C:",
            ".\\3.9",
            "a b",
            " 3.12",
            ":latest",
            "3.12:latest:latest",
            "3.12:",
        ] {
            assert_eq!(
                VersionRequest::parse(bad),
                Err(InvalidRequest { text: bad.into() }),
                "{bad:?}"
            );
            assert_eq!(
                VersionRequest::lenient(bad),
                VersionRequest::Other(bad.into())
            );
        }
        assert_eq!("3.12".parse::<VersionRequest>(), Ok(name("3.12")));
        assert!(VersionRequest::try_from(String::from("x/y")).is_err());
    }

    /// Every string over an alphabet that can spell each form and each kind of bad name.
    fn every_text() -> Vec<String> {
        const PIECES: &[&str] = &[
            "3", ".", "12", "-", "arm", "t", "a1", ":latest", ":", "/", "\\", " ", "system",
            "pypy", "",
        ];
        let mut out = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..4 {
            layer = layer
                .iter()
                .flat_map(|s| PIECES.iter().map(move |p| format!("{s}{p}")))
                .collect();
            out.extend(layer.iter().cloned());
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn display_gives_back_the_text_as_written() {
        for text in every_text() {
            let lenient = VersionRequest::lenient(&text);
            assert_eq!(lenient.to_string(), text);
            match VersionRequest::parse(&text) {
                Ok(r) => {
                    assert_eq!(r, lenient, "{text:?}");
                    assert_eq!(r.to_string(), text);
                    assert_eq!(VersionRequest::parse(&r.to_string()), Ok(r));
                }
                Err(e) => {
                    assert_eq!(e.text(), text);
                    assert_eq!(lenient, VersionRequest::Other(text.clone()));
                }
            }
        }
    }

    #[test]
    fn names_convert_to_the_request_for_themselves() {
        for text in every_text() {
            let from_name = VersionRequest::from(VersionName::new(text.as_str()));
            assert_eq!(from_name, VersionRequest::lenient(&text), "{text:?}");
        }
        assert_eq!(
            VersionRequest::from(VersionName::new("system")),
            VersionRequest::System
        );
    }

    #[test]
    fn exact_folders_and_names() {
        assert_eq!(VersionRequest::System.exact_folder(), Some("system"));
        assert_eq!(name("3.12").exact_folder(), Some("3.12"));
        let latest = VersionRequest::parse("3.12:latest").unwrap();
        assert_eq!(latest.exact_folder(), None);
        assert_eq!(latest.name().map(VersionName::as_str), Some("3.12"));
        assert_eq!(VersionRequest::lenient("../x").exact_folder(), None);
        assert_eq!(VersionRequest::System.name(), None);
    }

    #[test]
    fn splits_shell_versions() {
        let texts =
            |raw: &str| -> Vec<String> { split_shell(raw).iter().map(|r| r.to_string()).collect() };
        assert_eq!(texts(" 3.12  3.11:2.7 "), ["3.12", "3.11", "2.7"]);
        assert_eq!(texts("3.12:latest 3.11"), ["3.12:latest", "3.11"]);
        assert_eq!(texts("3.12:latest:latest"), ["3.12:latest", "latest"]);
        assert_eq!(
            split_shell("system ../x"),
            [VersionRequest::System, VersionRequest::Other("../x".into())]
        );
        assert!(split_shell("  ").is_empty());
    }
}
