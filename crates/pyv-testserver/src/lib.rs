//! Loopback test servers (stub).
