//! A python.org-shaped mirror holding one version, 3.12.99: its index with the zip's hash,
//! the folder listings `update` reads, and the zip. For the network tests (proxies, system
//! proxy) that need something real to download and nothing else.

use pyv_testserver::{Fixture, Profile, Server};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;

/// Where the one package lives on the mirror.
pub const ZIP_PATH: &str = "/python/3.12.99/python-3.12.99-amd64.zip";

pub struct Mirror {
    pub server: Server,
    /// The CA file to trust (SSL_CERT_FILE) for an https mirror.
    pub ca: Option<PathBuf>,
    /// The PKI of an https mirror, for servers of other profiles that share its root.
    pub fixture: Option<Fixture>,
    _ca_dir: tempfile::TempDir,
}

/// A stored zip with a python.exe and some filler (big enough to cut mid-body).
pub fn runtime_zip() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .unix_permissions(0o755);
        z.start_file("python.exe", opts).unwrap();
        z.write_all(b"#!/bin/sh\necho \"python 3.12.99\"\n")
            .unwrap();
        z.start_file("Lib/os.py", opts).unwrap();
        z.write_all(&vec![b'#'; 50_000]).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// The mirror over https (with its CA file) or plain http.
pub fn mirror(https: bool) -> Mirror {
    let (fixture, server) = if https {
        let f = Fixture::new();
        let s = f.https(Profile::Good);
        (Some(f), s)
    } else {
        (None, Server::http())
    };
    let zip = runtime_zip();
    let sha: String = Sha256::digest(&zip)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect();
    server.add_file(
        "/python/index-windows.json",
        format!(
            r#"{{"versions": [{{"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
            "tag": "3.12-64", "install-for": ["3.12.99-64"], "display-name": "Python 3.12.99", "executable": ".\\python.exe",
            "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip", "hash": {{"sha256": "{sha}"}}}}]}}"#
        ),
    );
    server.add_file(
        "/python/",
        "<html><body><pre><a href=\"3.12.99/\">3.12.99/</a>   01-Jan-2026 00:00    -\n</pre></body></html>",
    );
    server.add_file(
        "/python/3.12.99/",
        "<a href=\"python-3.12.99-amd64.zip\">python-3.12.99-amd64.zip</a>   01-Jan-2026 00:00   1M\n",
    );
    server.add_file(ZIP_PATH, zip);
    let ca_dir = tempfile::tempdir().unwrap();
    let ca = fixture
        .as_ref()
        .map(|f| f.pki.write_root(ca_dir.path()).unwrap());
    Mirror {
        server,
        ca,
        fixture,
        _ca_dir: ca_dir,
    }
}
