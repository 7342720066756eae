//! Every network access of pyv (catalog, client, downloads, TLS diagnosis).

pub mod catalog;
