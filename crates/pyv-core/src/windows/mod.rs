//! Windows-only pieces: the PEP 514 registry.
pub mod registry;
