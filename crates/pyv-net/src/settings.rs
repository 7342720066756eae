//! Persistent network settings (the CLI decides where the file lives and exposes the
//! commands): currently the extra CA files trusted on every run. Format: one `key = value`
//! per line, `#` comments; unknown keys are kept untouched on save so newer settings survive
//! an older pyv.
//!
//! ```text
//! # pyv network settings
//! ca-file = C:\corp\root-ca.pem
//! ```

use crate::error::NetError;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetSettings {
    pub ca_files: Vec<PathBuf>,
    other_lines: Vec<String>,
}

impl NetSettings {
    /// Reads `path`; a missing file means no settings.
    pub fn load(path: &Path) -> Result<NetSettings, NetError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(NetSettings::parse(&text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(NetSettings::default()),
            Err(e) => Err(NetError::io(path, e)),
        }
    }

    pub fn parse(text: &str) -> NetSettings {
        let mut s = NetSettings::default();
        for line in text.lines() {
            let t = line.trim();
            match t.split_once('=') {
                Some((k, v)) if k.trim() == "ca-file" && !v.trim().is_empty() => {
                    s.ca_files.push(PathBuf::from(v.trim()))
                }
                _ if t.is_empty() || t.starts_with('#') => {}
                _ => s.other_lines.push(line.to_string()),
            }
        }
        s
    }

    pub fn render(&self) -> String {
        let mut out = String::from("# pyv network settings\n");
        for f in &self.ca_files {
            out.push_str(&format!("ca-file = {}\n", f.display()));
        }
        for l in &self.other_lines {
            out.push_str(l);
            out.push('\n');
        }
        out
    }

    /// Writes atomically (temp file + rename).
    pub fn save(&self, path: &Path) -> Result<(), NetError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| NetError::io(parent, e))?;
        }
        // The io error itself, so the message names the path once (the core's Display
        // would name it too).
        pyv_core::fsutil::write_via_temp(path, |f| {
            std::io::Write::write_all(f, self.render().as_bytes())
        })
        .map_err(|e| NetError::io(path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_unknown_lines() {
        let s =
            NetSettings::parse("# c\nca-file = /a b/root.pem\nfuture-key = 1\nca-file=/x.pem\n");
        assert_eq!(
            s.ca_files,
            vec![PathBuf::from("/a b/root.pem"), PathBuf::from("/x.pem")]
        );
        let again = NetSettings::parse(&s.render());
        assert_eq!(again, s);
        assert!(s.render().contains("future-key = 1"));
    }
}
