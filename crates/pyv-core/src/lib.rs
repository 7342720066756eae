//! The core of pyv: what the shim needs and nothing else. The root layout, version names
//! and their order, version requests and their resolution, selection and
//! `.python-version`, the `system` version, finding and running a version's command,
//! rehash and reading links. No network, no archives, no installer code: the shim links
//! this crate alone (and pyv-windows on Windows). Everything reads the environment
//! through [`Env`].

pub mod arch;
pub mod compat;
pub mod env;
pub mod error;
pub mod exe;
pub mod exec_path;
pub mod fsutil;
pub mod link;
pub mod listing;
pub mod name;
pub mod path_check;
pub mod prog;
pub mod quote;
pub mod rehash;
pub mod request;
pub mod resolve;
pub mod root;
pub mod run;
pub mod selection;
pub mod set_aside;
#[cfg(unix)]
pub mod signals;
pub mod size;
pub mod system;
pub mod version_file;
#[cfg(windows)]
pub mod windows;

pub use arch::Arch;
pub use compat::Compat;
pub use env::{Env, MemoryEnv, ProcessEnv};
pub use error::{Error, PyenvError};
pub use name::VersionName;
pub use request::{InvalidRequest, VersionRequest};
pub use root::{Root, RootSource};
pub use selection::{Active, Context, Origin, Request};
