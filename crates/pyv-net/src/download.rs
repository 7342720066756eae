//! Verified, resumable downloads.
//!
//! Bytes go to `<dest>.part`; `<dest>` appears (by rename) only once the file is complete
//! and, when a checksum is known, verified. An interrupted transfer leaves the `.part`, and
//! the next attempt (a retry, or a later run) asks for the rest with a Range request; the
//! SHA-256 is streamed while writing, and on resume the existing part is hashed first. A
//! server that ignores Range (200 instead of 206) restarts the file. A checksum mismatch
//! deletes the file and fetches it once more before giving up (when and how often each
//! failure is retried is [`crate::retry`]'s decision). `<dest>.lock` (an empty file that is
//! kept) serialises concurrent downloads of the same file across processes.

use crate::client::{file_error, Client};
use crate::diagnose::{Category, Diagnosis, Kept};
use crate::error::NetError;
use crate::retry::Failure;
use crate::source::Source;
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Progress callback: (bytes done, total if known). Called after every chunk.
pub type Progress<'a> = &'a mut dyn FnMut(u64, Option<u64>);

/// What a successful download did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Downloaded {
    pub path: PathBuf,
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// Bytes that were already in `.part` and kept (0 when nothing was resumed).
    pub resumed_from: u64,
    /// The final file was already there (and matched the checksum, if one was given).
    pub reused: bool,
}

impl Client {
    /// Downloads `url` to `dest`. See the module documentation for the guarantees.
    pub fn download(
        &self,
        url: &str,
        dest: &Path,
        expected_sha256: Option<&str>,
        progress: Progress<'_>,
    ) -> Result<Downloaded, NetError> {
        let expected = expected_sha256.map(normalize_sha256).transpose()?;
        let source = Source::parse(url)?;
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| NetError::io(parent, e))?;
        }
        let _lock = lock(dest)?;

        // Another process (or an earlier run) may have finished it while we waited.
        if dest.is_file() {
            let (sha, bytes) = hash_file(dest)?;
            if expected.as_deref().is_none_or(|e| e == sha) {
                return Ok(Downloaded {
                    path: dest.to_path_buf(),
                    bytes,
                    sha256: sha,
                    resumed_from: 0,
                    reused: true,
                });
            }
            std::fs::remove_file(dest).map_err(|e| NetError::io(dest, e))?;
        }

        let part = part_path(dest);
        let result = self.config.retry.run(url, || {
            let got = match &source {
                Source::Http(u) => self.fetch_to_part(u, &part, &mut *progress)?,
                Source::File(p) => copy_to_part(url, p, &part, &mut *progress)?,
            };
            match &expected {
                Some(exp) if *exp != got.sha256 => {
                    let _ = std::fs::remove_file(&part);
                    Err(Failure::Checksum {
                        expected: exp.clone(),
                        actual: got.sha256,
                    })
                }
                _ => Ok(got),
            }
        });
        let got = match result {
            Ok(g) => g,
            Err(e) => {
                // Bytes already fetched stay for the next run to resume, whatever stopped
                // this one (offline, a certificate to add first, a proxy); only a file the
                // server says is gone makes them useless.
                let kept = std::fs::metadata(&part).map_or(0, |m| m.len());
                let gone = e
                    .diagnosis()
                    .is_some_and(|d| d.category == Category::NotFound);
                if kept == 0 || gone {
                    let _ = std::fs::remove_file(&part);
                    return Err(e);
                }
                return Err(with_kept(e, kept, dest));
            }
        };
        pyv_core::fsutil::rename_with_retry(&part, dest).map_err(|e| NetError::io(dest, e))?;
        Ok(Downloaded {
            path: dest.to_path_buf(),
            ..got
        })
    }

    /// One attempt: continue `part` from its current length (or start it). An answer with a
    /// range that was not asked for discards the part and fails with
    /// [`Failure::RangeMismatch`], so that the retry loop starts the file over.
    fn fetch_to_part(
        &self,
        url: &url::Url,
        part: &Path,
        progress: Progress<'_>,
    ) -> Result<Downloaded, Failure> {
        let have = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
        let resp = self.send(url, (have > 0).then_some(have))?;
        let status = resp.status().as_u16();
        let content_range = resp
            .headers()
            .get(reqwest::header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (offset, total) = match status {
            206 if have > 0 => match content_range.as_deref().and_then(parse_content_range) {
                Some((Some(start), total)) if start == have => (have, total),
                // A range we did not ask for: start over rather than guess.
                _ => {
                    drop(resp);
                    remove(part)?;
                    return Err(Failure::RangeMismatch);
                }
            },
            416 if have > 0 => {
                drop(resp);
                let total = content_range.as_deref().and_then(parse_content_range);
                if let Some((None, Some(t))) = total {
                    if t == have {
                        // The part is already complete.
                        let (sha256, bytes) = hash_file(part)?;
                        progress(bytes, Some(bytes));
                        return Ok(Downloaded {
                            path: part.to_path_buf(),
                            bytes,
                            sha256,
                            resumed_from: have,
                            reused: false,
                        });
                    }
                }
                remove(part)?;
                return Err(Failure::RangeMismatch);
            }
            200..=299 => (0, resp.content_length()),
            _ => return Err(self.status_error(resp, url).into()),
        };

        let mut hasher = Sha256::new();
        let mut file = if offset > 0 {
            let mut f = OpenOptions::new()
                .read(true)
                .append(true)
                .open(part)
                .map_err(|e| NetError::io(part, e))?;
            hash_reader(&mut f, &mut hasher).map_err(|e| NetError::io(part, e))?;
            f.seek(SeekFrom::End(0))
                .map_err(|e| NetError::io(part, e))?;
            f
        } else {
            File::create(part).map_err(|e| NetError::io(part, e))?
        };
        let total = total.or_else(|| resp.content_length().map(|l| l + offset));
        let mut done = offset;
        progress(done, total);
        let mut resp = resp;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match resp.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    // What has arrived stays in the part for the next attempt.
                    let _ = file.sync_data();
                    return Err(self.diagnose(&e, url.as_str()).into());
                }
            };
            file.write_all(&buf[..n])
                .map_err(|e| NetError::io(part, e))?;
            hasher.update(&buf[..n]);
            done += n as u64;
            progress(done, total);
        }
        file.sync_all().map_err(|e| NetError::io(part, e))?;
        if let Some(t) = total {
            if done != t {
                let mut d = Diagnosis::new(Category::ConnectionLost, url.as_str());
                d.chain = vec![format!("body ended after {done} of {t} bytes")];
                return Err(Failure::Net(d.into()));
            }
        }
        Ok(Downloaded {
            path: part.to_path_buf(),
            bytes: done,
            sha256: hex(&hasher.finalize()),
            resumed_from: offset,
            reused: false,
        })
    }
}

/// The error, saying how much of the download stays for the next run (see
/// [`crate::diagnose::Kept`]).
fn with_kept(e: NetError, bytes: u64, dest: &Path) -> NetError {
    match e {
        NetError::Transfer(mut d) => {
            let folder = dest
                .parent()
                .and_then(Path::file_name)
                .map_or_else(|| ".".to_string(), |f| f.to_string_lossy().into_owned());
            d.facts.kept = Some(Kept { bytes, folder });
            NetError::Transfer(d)
        }
        other => other,
    }
}

/// Folder/`file://` mirror: copy with the same part/verify/rename path (no resume: a local
/// copy is cheap to restart).
fn copy_to_part(
    url: &str,
    src: &Path,
    part: &Path,
    progress: Progress<'_>,
) -> Result<Downloaded, NetError> {
    let mut input = File::open(src).map_err(|e| file_error(url, src, e))?;
    let total = input.metadata().ok().map(|m| m.len());
    let mut out = File::create(part).map_err(|e| NetError::io(part, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut done = 0u64;
    progress(0, total);
    loop {
        let n = input.read(&mut buf).map_err(|e| NetError::io(src, e))?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n])
            .map_err(|e| NetError::io(part, e))?;
        hasher.update(&buf[..n]);
        done += n as u64;
        progress(done, total);
    }
    out.sync_all().map_err(|e| NetError::io(part, e))?;
    Ok(Downloaded {
        path: part.to_path_buf(),
        bytes: done,
        sha256: hex(&hasher.finalize()),
        resumed_from: 0,
        reused: false,
    })
}

/// `<dest>.part`.
pub fn part_path(dest: &Path) -> PathBuf {
    sibling(dest, ".part")
}

/// `<dest>.lock`.
pub fn lock_path(dest: &Path) -> PathBuf {
    sibling(dest, ".lock")
}

fn sibling(dest: &Path, suffix: &str) -> PathBuf {
    let mut s = dest.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Holds `<dest>.lock` exclusively until dropped (blocking while another holder works).
/// The lock file is left in place: deleting it would let a third process lock a new file
/// while a second still waits on the old one.
fn lock(dest: &Path) -> Result<File, NetError> {
    let path = lock_path(dest);
    let f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| NetError::io(&path, e))?;
    f.lock().map_err(|e| NetError::io(&path, e))?;
    Ok(f)
}

fn remove(path: &Path) -> Result<(), NetError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(NetError::io(path, e)),
        _ => Ok(()),
    }
}

fn hash_reader(r: &mut impl Read, hasher: &mut Sha256) -> std::io::Result<u64> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut n_total = 0u64;
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            return Ok(n_total);
        }
        hasher.update(&buf[..n]);
        n_total += n as u64;
    }
}

/// (lower-case hex SHA-256, length) of a file.
pub fn hash_file(path: &Path) -> Result<(String, u64), NetError> {
    let mut f = File::open(path).map_err(|e| NetError::io(path, e))?;
    let mut h = Sha256::new();
    let n = hash_reader(&mut f, &mut h).map_err(|e| NetError::io(path, e))?;
    Ok((hex(&h.finalize()), n))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn normalize_sha256(s: &str) -> Result<String, NetError> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_prefix("sha256:").unwrap_or(&t).to_string();
    if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(t)
    } else {
        Err(NetError::BadChecksum(s.to_string()))
    }
}

/// `bytes START-END/TOTAL` → (Some(START), Some(TOTAL)); `bytes */TOTAL` → (None, Some(TOTAL)).
fn parse_content_range(v: &str) -> Option<(Option<u64>, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes")?.trim();
    let (range, total) = rest.split_once('/')?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    let start = match range.trim() {
        "*" => None,
        r => Some(r.split_once('-')?.0.trim().parse().ok()?),
    };
    Some((start, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_forms() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((Some(100), Some(200)))
        );
        assert_eq!(parse_content_range("bytes */200"), Some((None, Some(200))));
        assert_eq!(parse_content_range("bytes 0-9/*"), Some((Some(0), None)));
        assert_eq!(parse_content_range("items 0-9/10"), None);
    }

    #[test]
    fn checksum_forms() {
        let h = "A".repeat(64);
        assert_eq!(normalize_sha256(&h).unwrap(), "a".repeat(64));
        assert_eq!(
            normalize_sha256(&format!("sha256:{}", "b".repeat(64))).unwrap(),
            "b".repeat(64)
        );
        assert!(normalize_sha256("abc").is_err());
        assert!(normalize_sha256(&"g".repeat(64)).is_err());
    }

    #[test]
    fn sibling_names() {
        let d = Path::new("cache/python-3.12.0-amd64.exe");
        assert_eq!(
            part_path(d),
            Path::new("cache/python-3.12.0-amd64.exe.part")
        );
        assert_eq!(
            lock_path(d),
            Path::new("cache/python-3.12.0-amd64.exe.lock")
        );
    }
}
