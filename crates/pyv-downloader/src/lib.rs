//! Every network access of pyv (catalog, client, downloads, TLS diagnosis).

pub mod ca;
pub mod catalog;
pub mod client;
pub mod config;
pub mod diagnose;
pub mod download;
pub mod error;
pub mod probe;
pub mod proxy;
pub mod settings;
pub mod source;
pub mod tls_registry;

pub use client::Client;
pub use config::{EnvMap, NetConfig, NetOptions};
pub use diagnose::{Category, Diagnosis};
pub use download::Downloaded;
pub use error::NetError;
pub use probe::{probe_tls, TlsVersion};
