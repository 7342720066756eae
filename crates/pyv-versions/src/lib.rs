//! pyenv-win compatible versions: the root layout, version names and their order,
//! selection and `.python-version`, the `system` version, links and shims. No network.

pub mod arch;
pub mod error;
pub mod exe;
pub mod fsutil;
pub mod install;
pub mod link;
pub mod name;
pub mod path_check;
pub mod prog;
pub mod rehash;
pub mod resolve;
pub mod root;
pub mod run;
pub mod selection;
pub mod self_install;
pub mod system;
pub mod version_file;
#[cfg(windows)]
pub mod windows;

pub use arch::Arch;
pub use error::Error;
pub use name::VersionName;
pub use root::{Root, RootSource};
pub use selection::{Active, Context, Origin, Request};
