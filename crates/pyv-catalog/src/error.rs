//! Every failure of the catalog, each with the message users see. Messages follow
//! pyenv-win's texts where it has one, with the program name (`pyv` or `pyenv`) the user
//! typed.

use pyv_core::prog::name as prog;
use pyv_core::quote::user_text;
use std::path::PathBuf;

/// Writing the catalog files of a root.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Write(#[from] pyv_core::Error),
}

/// A catalog file of the root that could not be used (see [`crate::load`]): the
/// one-line warning the caller completes with what it does instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Damaged {
    #[error("'{}' cannot be used ({reason}); moved it to '{}'", .path.display(), .moved_to.display())]
    SetAside {
        path: PathBuf,
        reason: String,
        moved_to: PathBuf,
    },
    /// The rename failed too (a read-only root): the file stays where it is.
    #[error("'{}' cannot be used ({reason}) and could not be moved aside ({error})", .path.display())]
    Kept {
        path: PathBuf,
        reason: String,
        error: String,
    },
}

/// A version request the catalog cannot satisfy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("no definitions in local database\n\nPlease update the local database cache with '{p} update'.", p = prog())]
    Empty,

    #[error("definition not found: {}\n\nSee all available versions with '{p} install --list'.\nDoes the list seem out of date? Update it using '{p} update'.", user_text(.request), p = prog())]
    NotFound { request: String },

    /// A release python.org published as source code only (late security releases).
    #[error("{} has no Windows installer{}", user_text(.request), newest_clause(.minor, .newest))]
    SourceOnly {
        request: String,
        /// `3.10`
        minor: String,
        /// The newest release of that minor with a Windows build for the requested
        /// architecture, when there is one.
        newest: Option<String>,
    },

    /// The release's folder holds Windows packages (zips, NuGet) the index does not list.
    #[error("{r} is on the mirror only as Windows packages its index (index-windows.json) does not list, so there is nothing {p} can install; use a mirror whose index lists it, or see the versions there are with '{p} install --list'", p = prog(), r = user_text(.request))]
    NotIndexed { request: String },

    /// A patch number above every one the catalog knows for that minor: either new
    /// (the catalog is out of date) or source-only.
    #[error("definition not found: {r}; the newest {m} known is {newest}\n\nIf {r} is a new release, update the list with '{p} update'. Late security releases are published as source code only, without a Windows installer.", p = prog(), r = user_text(.request), m = user_text(.minor))]
    NewerThanKnown {
        request: String,
        minor: String,
        newest: String,
    },
}

fn newest_clause(minor: &str, newest: &Option<String>) -> String {
    match newest {
        Some(n) => format!("; the newest {} with one is {n}", user_text(minor)),
        None => format!(" (python.org published it as source code only; see '{} install --list' for the {} builds there are)", prog(), user_text(minor)),
    }
}

/// `update` learned nothing: neither the index nor the listing could be read.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("could not read the version list from {} ({reason}); check the network, proxy and certificate settings or PYTHON_BUILD_MIRROR_URL, then run '{p} update' again", user_text(.base), p = prog())]
    NothingFetched { base: String, reason: String },
}
