//! File-system helpers shared by the modules that write: every write lands by rename.

use crate::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `data` to a temporary file beside `path`, then renames it over `path`, so a
/// reader sees the old content or the new one, never a part.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), Error> {
    let tmp = temp_sibling(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// `<dir>/.<name>.<pid>.<n>.tmp`: unique within this process and across processes.
pub fn temp_sibling(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = N.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}
