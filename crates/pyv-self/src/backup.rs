//! Where pyenv-win's own scripts go while pyv is installed: `<root>\.pyenv-win-backup\<UTC
//! time>\` with the same relative paths, so `self uninstall` can put them back.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

pub const BACKUP_DIR: &str = ".pyenv-win-backup";

/// `20240131-235959`: sorts by time as text.
pub fn stamp(now: SystemTime) -> String {
    let secs = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A backup folder for `now` that does not exist yet (`-1`, `-2`… when the second is taken).
pub fn new_dir(root: &Path, now: SystemTime) -> PathBuf {
    let base = root.join(BACKUP_DIR);
    let s = stamp(now);
    let mut dir = base.join(&s);
    let mut n = 1;
    while dir.exists() {
        dir = base.join(format!("{s}-{n}"));
        n += 1;
    }
    dir
}

/// The newest backup folder, if any.
pub fn newest(root: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(root.join(BACKUP_DIR)).ok()?;
    let mut dirs: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    // `-N` suffixes: compare the time first, then N as a number.
    dirs.sort_by_key(|(name, _)| {
        let (time, n) = match name.get(15..).and_then(|r| r.strip_prefix('-')) {
            Some(n) => (name[..15].to_string(), n.parse::<u64>().unwrap_or(0)),
            None => (name.clone(), 0),
        };
        (time, n)
    });
    dirs.pop().map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn stamps_are_utc_calendar_times() {
        assert_eq!(stamp(at(0)), "19700101-000000");
        assert_eq!(stamp(at(951_782_400)), "20000229-000000"); // leap day
        assert_eq!(stamp(at(1_706_745_599)), "20240131-235959");
        assert_eq!(stamp(at(4_107_542_400)), "21000301-000000"); // 2100 is no leap year
    }

    #[test]
    fn new_dirs_never_collide_and_newest_sorts_suffixes_numerically() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(newest(d.path()), None);
        let mut made = Vec::new();
        for _ in 0..12 {
            let dir = new_dir(d.path(), at(1_706_745_599));
            std::fs::create_dir_all(&dir).unwrap();
            made.push(dir);
        }
        assert!(made[11].ends_with("20240131-235959-11"));
        assert_eq!(newest(d.path()).as_ref(), Some(&made[11]));
        let later = new_dir(d.path(), at(1_706_745_600));
        std::fs::create_dir_all(&later).unwrap();
        assert_eq!(newest(d.path()), Some(later));
    }
}
