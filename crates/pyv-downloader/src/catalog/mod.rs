//! The catalog of installable versions: what `install --list` prints and what
//! `install <version>` resolves against.
//!
//! Sources, best first: python.org's Windows index (hashed runtime zips for 3.11+,
//! NuGet packages for 2.7.18 and 3.5.2–3.10.11; [`index`]), the `/ftp/python/` directory
//! listing and its per-version pages (the MSI and WiX installers pyenv-win uses;
//! [`listing`]), and pyenv-win's `.versions_cache.xml` ([`xml`]). Nothing here does
//! network I/O: functions that need remote data take a fetch callback.

pub mod entry;
pub mod index;
pub mod listing;
pub mod xml;

pub use entry::{Artifact, ArtifactKind, Entry};
