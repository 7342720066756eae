//! Every Windows-only call pyv makes, in one crate, each module named for what it owns.
//! The pure decisions (what to write, what a reading means) stay in the crates that own
//! them and are tested on every OS; this crate only talks to Windows. Off Windows it is
//! empty, so a `cfg(windows)` at the `use` site is all a caller needs.
//!
//! Every `unsafe` block says why it is sound, and no failure is dropped here: each call
//! returns its error, and the caller decides what a failure means (most are not fatal).
#![cfg(windows)]

pub mod cmdline;
pub mod console;
pub mod elevation;
pub mod job;
#[cfg(feature = "junction")]
pub mod junction;
pub mod pep514;
pub mod registry;
/// Only pyv-net enables it: the shim links none of SSPI.
#[cfg(feature = "sspi")]
pub mod sspi;
pub mod tls_registry;
pub mod user_env;
pub mod wine;
pub mod winhttp_proxy;
