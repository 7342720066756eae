//! Loopback tests of the network layer: real TLS handshakes against generated PKIs, real
//! transfers with misbehaving servers, a real CONNECT proxy. Nothing leaves 127.0.0.1.
//! The servers run on the build host, so these tests are not built for Windows.
#![cfg(not(windows))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed set-up step panics

mod chain;
mod common;
mod proxy;
mod tls;
mod transfer;
