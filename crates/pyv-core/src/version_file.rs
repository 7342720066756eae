//! Reading and writing `.python-version` and the global `version` file.
//!
//! Reading must survive what real editors and shells write: UTF-8 with or without a BOM,
//! UTF-16 with a BOM (PowerShell 5's `>`), CRLF, blank lines, `#` comments and stray
//! whitespace. Writing is atomic and uses CRLF on Windows, as pyenv-win's `WriteLine` does.

use crate::error::Error;
use crate::fsutil::write_atomic;
use crate::request::VersionRequest;
use std::io::Read;
use std::path::Path;

/// The file name looked for in the current folder and its parents.
pub const LOCAL_FILE: &str = ".python-version";

/// The largest version file read. Real ones hold a few names (tens of bytes); a bigger
/// file is not a version file, and reading it whole (a repository can ship gigabytes, or
/// a link to a device that never ends) would only fill memory and the terminal.
pub const MAX_FILE_BYTES: u64 = 64 * 1024;

/// The versions listed in `path`, in order. `Ok(None)` when the file does not exist.
pub fn read(path: &Path) -> Result<Option<Vec<VersionRequest>>, Error> {
    match read_bounded(path)? {
        Some(bytes) => parse(&decode(&bytes), path).map(Some),
        None => Ok(None),
    }
}

/// The bytes of `path`, at most [`MAX_FILE_BYTES`]; `Ok(None)` when there is no such file.
fn read_bounded(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| {
        // One byte past the limit tells "exactly at the limit" from "over it".
        f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
    });
    match read {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        // A folder named `.python-version` is not a version file; pyenv skips it too.
        Err(_) if path.is_dir() => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::VersionFileTooLarge {
            file: path.to_path_buf(),
            limit_kib: MAX_FILE_BYTES / 1024,
        });
    }
    Ok(Some(bytes))
}

/// The words of `path` as pyenv 2.6 reads them (pyenv mode): the first word of each line,
/// blank lines and lines starting with `#` skipped, nothing validated yet. `Ok(None)` when
/// the file does not exist.
pub fn read_words(path: &Path) -> Result<Option<Vec<String>>, Error> {
    let Some(bytes) = read_bounded(path)? else {
        return Ok(None);
    };
    let words = decode(&bytes)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(|w| w.trim_matches('\u{feff}'))
        .filter(|w| !w.is_empty() && !w.starts_with('#'))
        .map(str::to_string)
        .collect();
    Ok(Some(words))
}

/// Decodes by byte-order mark; without one the text is UTF-8, with stray bytes replaced
/// (a legacy ANSI file still yields its ASCII version names).
pub fn decode(bytes: &[u8]) -> String {
    let utf16 = |b: &[u8], le: bool| -> String {
        let units = b.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Splits the text into version requests: one or more per line, whitespace-separated,
/// `#` starting a comment. A name that could address a path is an error naming the file.
pub fn parse(text: &str, path: &Path) -> Result<Vec<VersionRequest>, Error> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        for word in line.split_whitespace() {
            let word = word.trim_matches('\u{feff}');
            if word.is_empty() {
                continue;
            }
            let request = VersionRequest::parse(word).map_err(|e| Error::InvalidVersionInFile {
                version: e.into_text(),
                file: path.to_path_buf(),
            })?;
            out.push(request);
        }
    }
    Ok(out)
}

/// Writes one version per line as the user wrote it, replacing the file atomically.
pub fn write(path: &Path, versions: &[VersionRequest]) -> Result<(), Error> {
    let eol = if cfg!(windows) { "\r\n" } else { "\n" };
    let mut text = String::new();
    for v in versions {
        text.push_str(&v.to_string());
        text.push_str(eol);
    }
    write_atomic(path, text.as_bytes())
}

/// Deletes the file; a missing file is not an error (`--unset` twice is fine).
pub fn remove(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Vec<String> {
        texts(parse(text, Path::new("f")).unwrap())
    }

    fn texts(requests: Vec<VersionRequest>) -> Vec<String> {
        requests.iter().map(ToString::to_string).collect()
    }

    fn reqs(texts: &[&str]) -> Vec<VersionRequest> {
        texts
            .iter()
            .map(|t| VersionRequest::parse(t).unwrap())
            .collect()
    }

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn decodes_every_encoding_users_produce() {
        let want = vec!["3.12.1".to_string(), "3.11".to_string()];
        let text = "3.12.1\r\n3.11\r\n";
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend(text.as_bytes());
        for bytes in [
            text.as_bytes().to_vec(),
            bom8,
            utf16(text, true),
            utf16(text, false),
        ] {
            assert_eq!(texts(parse(&decode(&bytes), Path::new("f")).unwrap()), want);
        }
    }

    #[test]
    fn ignores_blank_lines_comments_and_whitespace() {
        assert_eq!(
            p("\n  3.12.1  \r\n\r\n# pinned\n3.11 # old\n\t\n"),
            ["3.12.1", "3.11"]
        );
        assert_eq!(p("3.12 3.11\n"), ["3.12", "3.11"]);
        assert_eq!(p("3.12:latest\n"), ["3.12:latest"]);
        assert_eq!(
            parse("system 3.12:latest\n", Path::new("f")).unwrap(),
            reqs(&["system", "3.12:latest"])
        );
        assert_eq!(p("3.12\r"), ["3.12"]);
        assert!(p("").is_empty());
        assert!(p("# only a comment\n\n").is_empty());
    }

    #[test]
    fn rejects_paths() {
        for bad in [
            "..",
            "../../etc",
            "/usr/bin/python",
            "C:\\Python27",
            "..\\x",
            ".\\3.9",
        ] {
            let e = parse(bad, Path::new("dir/.python-version")).unwrap_err();
            assert!(
                matches!(e, Error::InvalidVersionInFile { ref version, .. } if version == bad),
                "{bad}"
            );
        }
    }

    #[test]
    fn reads_up_to_the_size_limit_and_refuses_more() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join(LOCAL_FILE);
        let mut text = "3.12.1".to_string();
        text.push_str(&" ".repeat(MAX_FILE_BYTES as usize - text.len()));
        std::fs::write(&f, &text).unwrap();
        assert_eq!(read(&f).unwrap().unwrap(), reqs(&["3.12.1"]));
        text.push(' ');
        std::fs::write(&f, &text).unwrap();
        assert_eq!(
            read(&f).unwrap_err().to_string(),
            format!(
                "'{}' is larger than 64 KiB, the most a version file may hold; a version file lists names like 3.12.1: edit or delete it",
                f.display()
            )
        );
    }

    #[test]
    fn write_then_read_round_trips() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join(LOCAL_FILE);
        assert_eq!(read(&f).unwrap(), None);
        let written = reqs(&["3.12.1", "3.11.9", "3.12:latest", "system"]);
        write(&f, &written).unwrap();
        assert_eq!(read(&f).unwrap().unwrap(), written);
        remove(&f).unwrap();
        remove(&f).unwrap();
        assert_eq!(read(&f).unwrap(), None);
    }
}
