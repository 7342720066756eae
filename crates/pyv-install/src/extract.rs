//! Extracting a zip-format package (zip, nupkg) into an empty folder, refusing every entry
//! that could write outside it or over another entry, and every package that would expand
//! beyond what it declares, what any Python needs, or the free space.

use super::entry_name;
use super::error::{InstallError, Refusal};
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The most a package may expand to. The largest python.org packages (a NuGet package of
/// a recent CPython, a PyPy zip) expand to well under 300 MB; 2 GiB leaves room for growth
/// and still stops a zip bomb long before a disk is full.
pub const MAX_PACKAGE_BYTES: u64 = 2 << 30;

/// The most an entry above [`RATIO_FLOOR`] may expand, uncompressed over compressed size.
/// Python's files (code, DLLs, data) compress 2–10 times; deflate's ceiling is ~1000.
pub const MAX_RATIO: u64 = 100;

/// Entries up to this size are not held to [`MAX_RATIO`]: a small file of zeros
/// legitimately compresses 1000 times, and cannot fill a disk.
pub const RATIO_FLOOR: u64 = 1 << 20;

/// A link entry's content is a path; anything longer is not one.
const MAX_LINK_TARGET: u64 = 4096;

/// The limits a package is held to; tests lower them.
#[derive(Clone, Copy)]
struct Limits {
    total: u64,
    ratio: u64,
    ratio_floor: u64,
}

const PACKAGE_LIMITS: Limits = Limits {
    total: MAX_PACKAGE_BYTES,
    ratio: MAX_RATIO,
    ratio_floor: RATIO_FLOOR,
};

/// Free bytes and allocation unit of the disk holding a folder; `None` when the system
/// cannot tell (the writes then fail cleanly on a full disk, as before).
type FreeSpace = fn(&Path) -> Option<(u64, u64)>;

fn free_space(dir: &Path) -> Option<(u64, u64)> {
    fs4::statvfs(dir)
        .ok()
        .map(|s| (s.available_space(), s.allocation_granularity()))
}

/// Extracts the entries of `package` under `prefix` (all entries when `None`), prefix
/// removed, into `dest`, which must exist and be empty. Every entry name and size is
/// checked, and the free space, before anything is written, so most refused packages
/// leave `dest` empty; an entry caught lying about its size stops the extraction midway
/// (the caller discards `dest`). Returns the number of files written.
pub fn extract(
    package: &Path,
    kind_label: &'static str,
    prefix: Option<&str>,
    dest: &Path,
) -> Result<usize, InstallError> {
    extract_with(
        package,
        kind_label,
        prefix,
        dest,
        PACKAGE_LIMITS,
        free_space,
    )
}

fn extract_with(
    package: &Path,
    kind_label: &'static str,
    prefix: Option<&str>,
    dest: &Path,
    limits: Limits,
    free_space: FreeSpace,
) -> Result<usize, InstallError> {
    let file = File::open(package).map_err(|e| InstallError::io("open", package, e))?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|source| InstallError::BadArchive {
            path: package.to_path_buf(),
            kind: kind_label,
            source,
        })?;
    let plan = plan(&mut archive, package, kind_label, prefix, limits)?;
    check_free_space(&plan, package, dest, free_space)?;
    let plan = plan.items;
    let refuse = |entry: &str, reason| InstallError::RefusedEntry {
        path: package.to_path_buf(),
        entry: entry.to_string(),
        reason,
    };

    let mut files = 0;
    let mut written: u64 = 0;
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
                // One byte past the declared size is enough to know the header lied; the
                // rest is never decompressed. The zip crate stops there too, with an error
                // of its own: told apart by its text, as it has no kind of its own.
                let declared = item.size;
                let copied = copy(&mut (&mut entry).take(declared.saturating_add(1)), &mut out)
                    .map_err(|e| match e {
                        Side::Read(source) if is_past_declared_size(&source) => {
                            refuse(&item.name, Refusal::LargerThanDeclared { declared })
                        }
                        Side::Read(source) => InstallError::DamagedEntry {
                            path: package.to_path_buf(),
                            entry: item.name.clone(),
                            source,
                        },
                        Side::Write(source) => InstallError::io("write", &target, source),
                    })?;
                if copied > declared {
                    return Err(refuse(&item.name, Refusal::LargerThanDeclared { declared }));
                }
                written += copied;
                #[cfg(unix)]
                keep_executable_bit(entry.unix_mode(), &out, &target)?;
                files += 1;
            }
        }
    }
    files += materialize_links(
        &mut archive,
        package,
        kind_label,
        dest,
        links,
        (limits.total.saturating_sub(written), limits.total),
    )?;
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
    /// Uncompressed size as the headers declare it.
    size: u64,
    /// Components below `dest`.
    parts: Vec<String>,
    what: What,
}

struct Plan {
    items: Vec<Item>,
    /// What the files take on disk, each rounded up to a whole allocation unit later.
    sizes: Vec<u64>,
}

/// Checks every entry name and size (the whole package is refused for one bad entry, even
/// one that would be skipped) and lists the entries to write.
fn plan<R: Read + io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    package: &Path,
    kind_label: &'static str,
    prefix: Option<&str>,
    limits: Limits,
) -> Result<Plan, InstallError> {
    if archive.has_duplicate_names() {
        // The zip crate keeps one entry per exact name; the central directory names the other.
        let name = repeated_name(package, archive.central_directory_start()).unwrap_or_default();
        return Err(InstallError::RefusedEntry {
            path: package.to_path_buf(),
            entry: name,
            reason: Refusal::Duplicate,
        });
    }
    let mut items = Vec::new();
    let mut sizes = Vec::new();
    let mut total: u64 = 0;
    // Folded names seen, and whether each is a folder (a folder may repeat, a file not).
    let mut seen: HashMap<String, bool> = HashMap::new();
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
        let (size, compressed) = (entry.size(), entry.compressed_size());
        if size > limits.ratio_floor && size / compressed.max(1) > limits.ratio {
            return Err(refuse(name, Refusal::ExpandsTooMuch { size, compressed }));
        }
        let is_dir = !entry.is_symlink() && entry.is_dir();
        if !parts.is_empty() {
            if let Some(was_dir) = seen.insert(entry_name::same_file_key(&parts), is_dir) {
                if !(was_dir && is_dir) {
                    return Err(refuse(name, Refusal::Duplicate));
                }
            }
        }
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
        } else if is_dir {
            What::Dir
        } else {
            total = total.saturating_add(size);
            if total > limits.total {
                return Err(InstallError::PackageTooLarge {
                    path: package.to_path_buf(),
                    entry: name,
                    limit: limits.total,
                });
            }
            sizes.push(size);
            What::File
        };
        items.push(Item {
            index,
            name,
            size,
            parts,
            what,
        });
    }
    Ok(Plan { items, sizes })
}

/// Refuses before the first write when the files cannot fit: a half-extracted version on
/// a full disk helps no one, and the message can say how much is missing.
fn check_free_space(
    plan: &Plan,
    package: &Path,
    dest: &Path,
    free_space: FreeSpace,
) -> Result<(), InstallError> {
    let Some((available, unit)) = free_space(dest) else {
        return Ok(());
    };
    let unit = unit.max(1);
    let needed = plan.sizes.iter().fold(0u64, |sum, &size| {
        sum.saturating_add(size.div_ceil(unit).saturating_mul(unit))
    });
    if needed > available {
        return Err(InstallError::NoSpace {
            path: package.to_path_buf(),
            dest: dest.to_path_buf(),
            needed,
            available,
        });
    }
    Ok(())
}

/// The first name the central directory at `start` lists twice. Read from the file
/// itself, since the zip crate's index keeps only one entry per name.
fn repeated_name(package: &Path, start: u64) -> Option<String> {
    // Signature, 24 bytes of versions/flags/method/time/CRC/sizes, then the name, extra
    // field and comment lengths, then 12 more bytes before the name.
    const HEADER: usize = 46;
    const SIGNATURE: &[u8; 4] = b"PK\x01\x02";
    let mut reader = BufReader::new(File::open(package).ok()?);
    reader.seek(SeekFrom::Start(start)).ok()?;
    let mut seen = std::collections::HashSet::new();
    let mut header = [0u8; HEADER];
    while reader.read_exact(&mut header).is_ok() && header.starts_with(SIGNATURE) {
        let len = |at: usize| usize::from(u16::from_le_bytes([header[at], header[at + 1]]));
        let mut name = vec![0u8; len(28)];
        reader.read_exact(&mut name).ok()?;
        let skip = i64::try_from(len(30) + len(32)).ok()?;
        reader.seek_relative(skip).ok()?;
        if !seen.insert(name.clone()) {
            return Some(String::from_utf8_lossy(&name).into_owned());
        }
    }
    None
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

/// The zip crate's error for an entry whose data goes on past its declared size.
fn is_past_declared_size(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidData
        && e.to_string()
            .contains("larger than its declared uncompressed size")
}

enum Side {
    Read(io::Error),
    Write(io::Error),
}

/// Copies an entry, telling a damaged package (read side, including a CRC mismatch found
/// at the end) from a full or locked disk (write side).
fn copy(from: &mut impl Read, to: &mut File) -> Result<u64, Side> {
    let mut buf = vec![0u8; 256 * 1024];
    let mut copied: u64 = 0;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Side::Read(e)),
        };
        to.write_all(&buf[..n]).map_err(Side::Write)?;
        copied += n as u64;
    }
    Ok(copied)
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
    (mut budget, limit): (u64, u64),
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
            .by_ref()
            .take(MAX_LINK_TARGET + 1)
            .read_to_string(&mut target)
            .map_err(|source| InstallError::DamagedEntry {
                path: package.to_path_buf(),
                entry: item.name.clone(),
                source,
            })?;
        if target.len() as u64 > MAX_LINK_TARGET {
            return Err(refuse(&item.name, Refusal::UnsupportedLink));
        }
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
                    // Copies count towards the package's limit: a thousand links to one
                    // large file are a bomb too.
                    budget = budget.checked_sub(m.len()).ok_or_else(|| {
                        InstallError::PackageTooLarge {
                            path: package.to_path_buf(),
                            entry: item.name.clone(),
                            limit,
                        }
                    })?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::human_size;
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    fn zip_bytes(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
        let mut w = ZipWriter::new(io::Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            if name.ends_with('/') {
                w.add_directory(*name, opts).unwrap();
            } else {
                w.start_file(*name, opts).unwrap();
                w.write_all(data).unwrap();
            }
        }
        w.finish().unwrap().into_inner()
    }

    /// Sets every copy (local and central header) of `name`'s uncompressed size to `size`.
    fn declare_size(zip: &mut [u8], name: &str, size: u32) {
        let find = |zip: &[u8], sig: &[u8], from: usize| {
            zip[from..]
                .windows(4)
                .position(|w| w == sig)
                .map(|p| p + from)
        };
        let mut at = 0;
        while let Some(p) = find(zip, b"PK\x03\x04", at) {
            if zip[p + 30..].starts_with(name.as_bytes()) {
                zip[p + 22..p + 26].copy_from_slice(&size.to_le_bytes());
            }
            at = p + 4;
        }
        at = 0;
        while let Some(p) = find(zip, b"PK\x01\x02", at) {
            if zip[p + 46..].starts_with(name.as_bytes()) {
                zip[p + 24..p + 28].copy_from_slice(&size.to_le_bytes());
            }
            at = p + 4;
        }
    }

    struct Case {
        _dir: tempfile::TempDir,
        package: PathBuf,
        dest: PathBuf,
    }

    fn case(zip: &[u8]) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let package = dir.path().join("python-3.12.1-amd64.zip");
        fs::write(&package, zip).unwrap();
        let dest = dir.path().join("out");
        fs::create_dir(&dest).unwrap();
        Case {
            _dir: dir,
            package,
            dest,
        }
    }

    fn plenty(_: &Path) -> Option<(u64, u64)> {
        Some((u64::MAX, 4096))
    }

    impl Case {
        fn run(&self, limits: Limits, free: FreeSpace) -> Result<usize, String> {
            extract_with(&self.package, "zip", None, &self.dest, limits, free)
                .map_err(|e| e.to_string().replace(&*self.package.to_string_lossy(), "P"))
        }

        fn extract(&self) -> Result<usize, String> {
            self.run(PACKAGE_LIMITS, plenty)
        }

        fn written(&self) -> usize {
            fs::read_dir(&self.dest).unwrap().count()
        }
    }

    const TAIL: &str = "nothing was installed; the file may be malicious, delete it and download it from the official source";

    #[test]
    fn refuses_names_that_collide_after_normalisation_and_case_folding() {
        for (first, second) in [
            ("Lib/os.py", "lib/OS.py"),
            ("Lib/os.py", "Lib/./os.py"),
            ("Lib/os.py", "Lib//os.py"),
            ("python.exe", "Python.EXE"),
        ] {
            let c = case(&zip_bytes(
                &[(first, b"a"), (second, b"b")],
                CompressionMethod::Deflated,
            ));
            assert_eq!(
                c.extract().unwrap_err(),
                format!("package 'P' has an entry pyv will not extract: '{second}' (another entry names the same file, letter case aside); {TAIL}")
            );
            assert_eq!(c.written(), 0, "{second}: nothing written");
        }
        // A folder may be listed twice; a file over a folder may not.
        let c = case(&zip_bytes(
            &[("Lib/", b""), ("lib/", b""), ("Lib/os.py", b"a")],
            CompressionMethod::Deflated,
        ));
        assert_eq!(c.extract(), Ok(1));
        let c = case(&zip_bytes(
            &[("Lib/", b""), ("lib", b"a")],
            CompressionMethod::Deflated,
        ));
        assert!(c
            .extract()
            .unwrap_err()
            .contains("'lib' (another entry names the same file"));
    }

    #[test]
    fn refuses_an_exact_duplicate_name_the_zip_index_would_hide() {
        // The zip writer refuses duplicates: write two names, then make the second the first.
        let mut zip = zip_bytes(
            &[("Lib/aaa.py", b"good"), ("Lib/bbb.py", b"evil")],
            CompressionMethod::Stored,
        );
        let pos: Vec<usize> = zip
            .windows(10)
            .enumerate()
            .filter(|(_, w)| *w == b"Lib/bbb.py")
            .map(|(i, _)| i)
            .collect();
        assert_eq!(pos.len(), 2, "local and central header");
        for p in pos {
            zip[p..p + 10].copy_from_slice(b"Lib/aaa.py");
        }
        let c = case(&zip);
        assert_eq!(
            c.extract().unwrap_err(),
            format!("package 'P' has an entry pyv will not extract: 'Lib/aaa.py' (another entry names the same file, letter case aside); {TAIL}")
        );
        assert_eq!(c.written(), 0);
    }

    #[test]
    fn refuses_a_large_entry_that_expands_over_100_times() {
        let zeros = vec![0u8; 2 << 20];
        let c = case(&zip_bytes(
            &[("python.exe", b"x"), ("bomb.bin", &zeros)],
            CompressionMethod::Deflated,
        ));
        let e = c.extract().unwrap_err();
        let compressed = {
            let mut a = zip::ZipArchive::new(File::open(&c.package).unwrap()).unwrap();
            let n = a.by_name("bomb.bin").unwrap().compressed_size();
            n
        };
        assert_eq!(
            e,
            format!("package 'P' has an entry pyv will not extract: 'bomb.bin' (it expands from {} to 2 MiB, over the 100:1 allowed for entries above 1 MiB); {TAIL}", human_size(compressed))
        );
        assert_eq!(c.written(), 0);
        // Up to 1 MiB, any ratio: small files of zeros are real.
        let c = case(&zip_bytes(
            &[("zeros.bin", &zeros[..1 << 20])],
            CompressionMethod::Deflated,
        ));
        assert_eq!(c.extract(), Ok(1));
    }

    #[test]
    fn refuses_an_entry_whose_data_runs_past_its_declared_size() {
        for method in [CompressionMethod::Stored, CompressionMethod::Deflated] {
            let mut zip = zip_bytes(
                &[("python.exe", b"x"), ("Lib/os.py", &[b'#'; 5000])],
                method,
            );
            declare_size(&mut zip, "Lib/os.py", 10);
            let c = case(&zip);
            assert_eq!(
                c.extract().unwrap_err(),
                format!("package 'P' has an entry pyv will not extract: 'Lib/os.py' (its data runs past the 10 bytes its header declares); {TAIL}"),
                "{method:?}"
            );
            let len = fs::metadata(c.dest.join("Lib/os.py")).unwrap().len();
            assert!(len <= 11, "stopped at most one byte past the declared size");
        }
    }

    #[test]
    fn refuses_a_package_beyond_the_total_limit_before_writing() {
        let limits = Limits {
            total: 1000,
            ..PACKAGE_LIMITS
        };
        let c = case(&zip_bytes(
            &[("a.dll", &[1; 600]), ("b.dll", &[2; 600])],
            CompressionMethod::Stored,
        ));
        assert_eq!(
            c.run(limits, plenty).unwrap_err(),
            "package 'P' expands beyond 1000 bytes at entry 'b.dll'; nothing was installed; no Python package is that large, so the file may be malicious: delete it and download it from the official source"
        );
        assert_eq!(c.written(), 0);
        assert_eq!(human_size(MAX_PACKAGE_BYTES), "2 GiB");
    }

    #[test]
    fn link_copies_count_towards_the_total() {
        let limits = Limits {
            total: 1000,
            ..PACKAGE_LIMITS
        };
        let mut w = ZipWriter::new(io::Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default();
        w.start_file("a.dll", opts).unwrap();
        w.write_all(&[1; 600]).unwrap();
        w.add_symlink("b.dll", "a.dll", opts).unwrap();
        let c = case(&w.finish().unwrap().into_inner());
        assert_eq!(
            c.run(limits, plenty).unwrap_err(),
            "package 'P' expands beyond 1000 bytes at entry 'b.dll'; nothing was installed; no Python package is that large, so the file may be malicious: delete it and download it from the official source"
        );
        let c = case(&c_bytes(&c));
        assert_eq!(c.extract(), Ok(2));
    }

    fn c_bytes(c: &Case) -> Vec<u8> {
        fs::read(&c.package).unwrap()
    }

    #[test]
    fn refuses_a_package_that_does_not_fit_the_free_space_before_writing() {
        fn tight(_: &Path) -> Option<(u64, u64)> {
            Some((8191, 4096))
        }
        fn unknown(_: &Path) -> Option<(u64, u64)> {
            None
        }
        let c = case(&zip_bytes(
            &[("a.dll", &[1; 600]), ("b.dll", &[2; 5000])],
            CompressionMethod::Stored,
        ));
        let dest = c.dest.display().to_string();
        assert_eq!(
            c.run(PACKAGE_LIMITS, tight).unwrap_err(),
            format!("package 'P' needs 12 KiB and only 8 KiB is free at '{dest}'; nothing was installed; free some disk space (or put PYENV_ROOT on a larger disk) and run the command again")
        );
        assert_eq!(c.written(), 0);
        assert_eq!(c.run(PACKAGE_LIMITS, unknown), Ok(2));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1023), "1023 bytes");
        assert_eq!(human_size(1024), "1 KiB");
        assert_eq!(human_size(2150), "2.1 KiB");
        assert_eq!(human_size(1 << 20), "1 MiB");
        assert_eq!(human_size(3 << 40), "3 TiB");
    }
}
