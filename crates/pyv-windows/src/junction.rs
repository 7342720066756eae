//! Directory junctions (mount-point reparse points), what `mklink /J` makes: `pyv link`'s
//! link on Windows, which needs no administrator rights or developer mode, unlike a
//! directory symlink. Behind the `junction` feature: only pyv-install makes them; the
//! shim only reads links (through std).

use std::io;
use std::path::Path;

/// A junction at `link` (which must not exist) pointing at the absolute folder `target`.
pub fn create(target: &Path, link: &Path) -> io::Result<()> {
    junction::create(target, link)
}

/// Whether `path` is a junction.
pub fn exists(path: &Path) -> io::Result<bool> {
    junction::exists(path)
}
