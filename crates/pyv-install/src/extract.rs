//! Extracting a zip-format package (zip, nupkg) into an empty folder, refusing every entry
//! that could write outside it or over another entry.

use super::entry_name;
use super::error::{InstallError, Refusal};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// Extracts the entries of `package` under `prefix` (all entries when `None`), prefix
/// removed, into `dest`, which must exist and be empty. Every entry name is checked
/// before anything is written, so a refused package leaves `dest` empty. Returns the
/// number of files written.
pub fn extract(
    package: &Path,
    kind_label: &'static str,
    prefix: Option<&str>,
    dest: &Path,
) -> Result<usize, InstallError> {
    let file = File::open(package).map_err(|e| InstallError::io("open", package, e))?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|source| InstallError::BadArchive {
            path: package.to_path_buf(),
            kind: kind_label,
            source,
        })?;
    let plan = plan(&mut archive, package, kind_label, prefix)?;
    let refuse = |entry: &str, reason| InstallError::RefusedEntry {
        path: package.to_path_buf(),
        entry: entry.to_string(),
        reason,
    };

    let mut files = 0;
    let mut links = Vec::new();
    for item in plan {
        let target = join(dest, &item.parts);
        match item.what {
            What::Dir => create_dirs(&target, &item.name, package)?,
            What::Link => links.push(item),
            What::File => {
                if let Some(parent) = target.parent() {
                    create_dirs(parent, &item.name, package)?;
                }
                let mut entry =
                    archive
                        .by_index(item.index)
                        .map_err(|source| InstallError::BadArchive {
                            path: package.to_path_buf(),
                            kind: kind_label,
                            source,
                        })?;
                let mut out = match OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&target)
                {
                    Ok(f) => f,
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        return Err(refuse(&item.name, Refusal::Overwrite));
                    }
                    Err(e) => return Err(InstallError::io("create", &target, e)),
                };
                copy(&mut entry, &mut out).map_err(|e| match e {
                    Side::Read(source) => InstallError::DamagedEntry {
                        path: package.to_path_buf(),
                        entry: item.name.clone(),
                        source,
                    },
                    Side::Write(source) => InstallError::io("write", &target, source),
                })?;
                #[cfg(unix)]
                keep_executable_bit(entry.unix_mode(), &out, &target)?;
                files += 1;
            }
        }
    }
    files += materialize_links(&mut archive, package, kind_label, dest, links)?;
    if files == 0 {
        return Err(InstallError::EmptyPackage {
            path: package.to_path_buf(),
            where_: prefix.map(|p| format!(" under '{p}/'")).unwrap_or_default(),
        });
    }
    Ok(files)
}

enum What {
    Dir,
    File,
    Link,
}

struct Item {
    index: usize,
    name: String,
    /// Components below `dest`.
    parts: Vec<String>,
    what: What,
}

/// Checks every entry name (the whole package is refused for one bad entry, even one that
/// would be skipped) and lists the entries to write.
fn plan<R: Read + io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    package: &Path,
    kind_label: &'static str,
    prefix: Option<&str>,
) -> Result<Vec<Item>, InstallError> {
    let mut items = Vec::new();
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|source| InstallError::BadArchive {
                path: package.to_path_buf(),
                kind: kind_label,
                source,
            })?;
        let refuse = |entry: String, reason| InstallError::RefusedEntry {
            path: package.to_path_buf(),
            entry,
            reason,
        };
        let name = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(_) => {
                return Err(refuse(
                    String::from_utf8_lossy(entry.name_raw()).into_owned(),
                    Refusal::NotUtf8,
                ));
            }
        };
        let parts = entry_name::components(&name).map_err(|r| refuse(name.clone(), r))?;
        let mut parts: Vec<String> = parts.into_iter().map(str::to_string).collect();
        if let Some(prefix) = prefix {
            if parts.first().map(String::as_str) != Some(prefix) {
                continue;
            }
            parts.remove(0);
        }
        if parts.is_empty() {
            continue;
        }
        let what = if entry.is_symlink() {
            What::Link
        } else if entry.is_dir() {
            What::Dir
        } else {
            What::File
        };
        items.push(Item {
            index,
            name,
            parts,
            what,
        });
    }
    Ok(items)
}

fn join(dest: &Path, parts: &[String]) -> PathBuf {
    let mut p = dest.to_path_buf();
    p.extend(parts);
    p
}

/// `create_dir_all`, reporting a file that stands where a folder must go as a conflict
/// between entries rather than as an I/O failure.
fn create_dirs(dir: &Path, entry: &str, package: &Path) -> Result<(), InstallError> {
    match fs::create_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory
            ) =>
        {
            Err(InstallError::RefusedEntry {
                path: package.to_path_buf(),
                entry: entry.to_string(),
                reason: Refusal::Overwrite,
            })
        }
        Err(e) => Err(InstallError::io("create folder", dir, e)),
    }
}

enum Side {
    Read(io::Error),
    Write(io::Error),
}

/// Copies an entry, telling a damaged package (read side, including a CRC mismatch found
/// at the end) from a full or locked disk (write side).
fn copy(from: &mut impl Read, to: &mut File) -> Result<(), Side> {
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Side::Read(e)),
        };
        to.write_all(&buf[..n]).map_err(Side::Write)?;
    }
    Ok(())
}

#[cfg(unix)]
fn keep_executable_bit(mode: Option<u32>, out: &File, path: &Path) -> Result<(), InstallError> {
    use std::os::unix::fs::PermissionsExt;
    if mode.is_some_and(|m| m & 0o111 != 0) {
        out.set_permissions(fs::Permissions::from_mode(0o755))
            .map_err(|e| InstallError::io("set permissions of", path, e))?;
    }
    Ok(())
}

/// Symbolic links are written as copies of the file they point to, after every regular
/// file exists: no link is ever created on disk, so no later write can go through one,
/// and Windows needs no symlink privilege. Links to links resolve in later rounds.
fn materialize_links<R: Read + io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    package: &Path,
    kind_label: &'static str,
    dest: &Path,
    links: Vec<Item>,
) -> Result<usize, InstallError> {
    let refuse = |entry: &str, reason| InstallError::RefusedEntry {
        path: package.to_path_buf(),
        entry: entry.to_string(),
        reason,
    };
    let mut pending = Vec::new();
    for item in links {
        let mut entry =
            archive
                .by_index(item.index)
                .map_err(|source| InstallError::BadArchive {
                    path: package.to_path_buf(),
                    kind: kind_label,
                    source,
                })?;
        let mut target = String::new();
        entry
            .read_to_string(&mut target)
            .map_err(|source| InstallError::DamagedEntry {
                path: package.to_path_buf(),
                entry: item.name.clone(),
                source,
            })?;
        let resolved =
            entry_name::link_target(&item.parts, &target).map_err(|r| refuse(&item.name, r))?;
        pending.push((item, resolved));
    }
    let mut written = 0;
    while !pending.is_empty() {
        let before = pending.len();
        let mut next = Vec::new();
        for (item, resolved) in pending {
            let source = join(dest, &resolved);
            // symlink_metadata: nothing on disk is a link, but be certain none is followed.
            match fs::symlink_metadata(&source) {
                Ok(m) if m.is_file() => {
                    let target = join(dest, &item.parts);
                    if let Some(parent) = target.parent() {
                        create_dirs(parent, &item.name, package)?;
                    }
                    if fs::symlink_metadata(&target).is_ok() {
                        return Err(refuse(&item.name, Refusal::Overwrite));
                    }
                    fs::copy(&source, &target)
                        .map_err(|e| InstallError::io("create", &target, e))?;
                    written += 1;
                }
                Ok(_) => return Err(refuse(&item.name, Refusal::UnsupportedLink)),
                Err(_) => next.push((item, resolved)),
            }
        }
        if next.len() == before {
            let (item, _) = &next[0];
            return Err(refuse(&item.name, Refusal::UnsupportedLink));
        }
        pending = next;
    }
    Ok(written)
}
