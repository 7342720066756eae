//! Where a URL points: a server, or a file on disk (`file://` URL or plain path), so that a
//! folder can serve as a mirror through the same download code.

use crate::error::NetError;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Http(url::Url),
    File(PathBuf),
}

impl Source {
    pub fn parse(s: &str) -> Result<Source, NetError> {
        let bad = |reason: String| NetError::BadUrl {
            url: s.to_string(),
            reason,
        };
        let lower = s.trim_start().to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let u = url::Url::parse(s.trim()).map_err(|e| bad(e.to_string()))?;
            if u.host_str().is_none_or(str::is_empty) {
                return Err(bad("no host name".into()));
            }
            return Ok(Source::Http(u));
        }
        if lower.starts_with("file:") {
            let u = url::Url::parse(s.trim()).map_err(|e| bad(e.to_string()))?;
            return u
                .to_file_path()
                .map(Source::File)
                .map_err(|_| bad("not a local file path".into()));
        }
        match lower.split_once("://") {
            // `C:\x` has no "://"; anything else with a scheme is unsupported.
            Some((scheme, _)) if !scheme.is_empty() => Err(bad(format!(
                "the '{scheme}' scheme is not supported (use https://, http://, file:// or a folder path)"
            ))),
            _ => Ok(Source::File(PathBuf::from(s))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert!(matches!(
            Source::parse("https://www.python.org/ftp/python/").unwrap(),
            Source::Http(_)
        ));
        #[cfg(not(windows))]
        assert_eq!(
            Source::parse("file:///srv/mirror/3.12.0/x.exe").unwrap(),
            Source::File("/srv/mirror/3.12.0/x.exe".into())
        );
        assert_eq!(
            Source::parse("mirror/3.12.0/x.exe").unwrap(),
            Source::File("mirror/3.12.0/x.exe".into())
        );
        assert!(Source::parse("ftp://host/x")
            .unwrap_err()
            .to_string()
            .contains("'ftp'"));
        assert!(Source::parse("https://").is_err());
    }
}
