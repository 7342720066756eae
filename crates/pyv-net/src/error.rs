//! Every failure of the network layer. `Display` is the message users see: what happened
//! (naming the URL or file) and the fix, on one line. Library detail is in [`NetError::verbose`].

use crate::config::CaOrigin;
use crate::diagnose::{Category, Diagnosis};
use pyv_core::quote::user_text;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// A transfer failed: TLS, connection, proxy, HTTP status. Classified.
    #[error("{0}")]
    Transfer(Box<Diagnosis>),

    #[error("checksum mismatch for {url}: expected sha256 {expected}, got {actual} twice; the file on the mirror is damaged or was altered, nothing was installed; try later or use another mirror (PYTHON_BUILD_MIRROR_URL)")]
    HashMismatch {
        url: String,
        expected: String,
        actual: String,
    },

    #[error("CA certificate file '{}' (from {origin}): {reason}; give a PEM file (one or more certificates) or a DER .cer file, or remove it from {origin}", .path.display())]
    CaFile {
        path: PathBuf,
        origin: CaOrigin,
        reason: String,
    },

    #[error("invalid proxy setting {var}='{}': {reason}; use http://[user:password@]host:port (percent-encode special characters)", user_text(.value))]
    ProxyUrl {
        var: String,
        value: String,
        reason: String,
    },

    #[error("invalid URL '{}': {reason}", user_text(.url))]
    BadUrl { url: String, reason: String },

    #[error("invalid PYTHON_BUILD_MIRROR_URL='{}': {reason}; correct or unset the variable", user_text(.value))]
    MirrorUrl { value: String, reason: String },

    /// A numeric setting that is not a number in its range (see [`crate::config::Knob`]).
    #[error("{var}=\"{}\" is {problem}; set it to {range}, or unset it", user_text(.value))]
    Setting {
        var: &'static str,
        value: String,
        problem: &'static str,
        range: String,
    },

    #[error("invalid sha256 checksum '{}': expected 64 hexadecimal characters", user_text(.0))]
    BadChecksum(String),

    #[error("{}: {source}{}", .path.display(), io_next_step(.source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot set up the HTTPS client: {0}")]
    ClientInit(String),
}

/// `; <next step>` for a file error whose cause has its own fix (see
/// [`pyv_core::error::io_hint`]); nothing otherwise, as before.
fn io_next_step(e: &std::io::Error) -> String {
    pyv_core::error::io_hint(e).map_or_else(String::new, |hint| format!("; {hint}"))
}

impl NetError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> NetError {
        NetError::Io {
            path: path.into(),
            source,
        }
    }

    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        match self {
            NetError::Transfer(d) => Some(d),
            _ => None,
        }
    }

    /// The failure's category, for transfers.
    pub fn category(&self) -> Option<Category> {
        self.diagnosis().map(|d| d.category)
    }

    /// The message plus everything known: certificate facts, codes, the raw error chain.
    pub fn verbose(&self) -> String {
        match self {
            NetError::Transfer(d) => d.verbose(),
            NetError::Io { source, .. } => format!("{self}\n  caused by: {source:?}"),
            _ => self.to_string(),
        }
    }
}

impl From<Diagnosis> for NetError {
    fn from(d: Diagnosis) -> Self {
        NetError::Transfer(Box::new(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_errors_add_a_next_step_only_where_the_cause_has_one() {
        let msg = |e: std::io::Error| NetError::io("/r/cache/x.zip.part", e).to_string();
        assert_eq!(
            msg(std::io::Error::from(std::io::ErrorKind::ResourceBusy)),
            "/r/cache/x.zip.part: resource busy"
        );
        assert_eq!(
            msg(std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem)),
            "/r/cache/x.zip.part: read-only filesystem or storage medium; the drive is read-only (mounted read-only or write-protected); make it writable or use a folder on another drive"
        );
    }
}
