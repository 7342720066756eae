//! Every socket pyv opens: the TLS-aware client, proxies, CA bundles, verified resumable
//! downloads, the doctor probe and TLS diagnosis. The catalog it downloads is pyv-catalog.

pub mod ca;
pub mod client;
pub mod config;
pub mod diagnose;
pub mod download;
pub mod error;
pub mod probe;
pub mod proxy;
pub mod proxy_auth;
pub mod redirect;
pub mod retry;
pub mod route;
pub mod settings;
pub mod source;
pub mod system_proxy;
pub mod tls_registry;

pub use client::Client;
pub use config::{CaOrigin, MirrorOrigin, NetConfig, NetOptions};
pub use diagnose::{Category, Diagnosis};
pub use download::Downloaded;
pub use error::NetError;
pub use probe::{probe_tls, TlsVersion};
pub use retry::RetryPolicy;
pub use route::{Decider, ProxyDecision};
