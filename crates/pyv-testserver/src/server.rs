//! A loopback HTTP or HTTPS server on 127.0.0.1:0, one std thread per connection, stopped
//! and joined when dropped.

use crate::http::{self, Logged, Rule, Site};
use openssl::pkey::PKey;
use openssl::ssl::{SslAcceptor, SslMethod, SslOptions, SslVersion};
use openssl::x509::X509;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Which protocol versions an HTTPS server accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsVersions {
    /// TLS 1.2 and 1.3 (what python.org offers).
    Modern,
    /// TLS 1.0 and 1.1 only, with `@SECLEVEL=0` ciphers (OpenSSL 3 refuses them otherwise).
    LegacyOnly,
}

/// Server-side TLS material.
#[derive(Clone, Debug)]
pub struct TlsSetup {
    /// PEM of the leaf, then of every certificate to send after it (intermediates).
    pub chain_pem: Vec<String>,
    pub key_pem: String,
    pub versions: TlsVersions,
}

/// A running server. Dropping it stops accepting, ends stalls, and joins the accept thread.
pub struct Server {
    addr: SocketAddr,
    tls: bool,
    site: Arc<Mutex<Site>>,
    stop: Arc<AtomicBool>,
    connections: Arc<AtomicUsize>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Plain HTTP on a free port.
    pub fn http() -> Server {
        Server::bind(0, None).expect("bind 127.0.0.1:0")
    }

    /// HTTPS on a free port.
    pub fn https(setup: &TlsSetup) -> Result<Server, String> {
        Server::bind(0, Some(acceptor(setup).map_err(|e| e.to_string())?))
            .map_err(|e| e.to_string())
    }

    /// Plain HTTP (`tls: None`) or HTTPS on a given port (0: any free one).
    pub fn bind_port(port: u16, tls: Option<&TlsSetup>) -> Result<Server, String> {
        let acceptor = match tls {
            Some(s) => Some(acceptor(s).map_err(|e| e.to_string())?),
            None => None,
        };
        Server::bind(port, acceptor).map_err(|e| e.to_string())
    }

    fn bind(port: u16, acceptor: Option<SslAcceptor>) -> std::io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let site = Arc::new(Mutex::new(Site::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let tls = acceptor.is_some();
        let acceptor = acceptor.map(Arc::new);
        let connections = Arc::new(AtomicUsize::new(0));
        let (site2, stop2, conns2) = (site.clone(), stop.clone(), connections.clone());
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(tcp) = conn else { continue };
                conns2.fetch_add(1, Ordering::Relaxed);
                let (site, stop, acceptor) = (site2.clone(), stop2.clone(), acceptor.clone());
                // Detached on purpose: every connection ends by itself (socket timeouts,
                // bounded stalls that also watch `stop`), and the test's exit never waits on it.
                std::thread::spawn(move || serve_conn(tcp, acceptor.as_deref(), &site, &stop));
            }
        });
        Ok(Server {
            addr,
            tls,
            site,
            stop,
            connections,
            accept: Some(accept),
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `https://localhost:PORT` (or `http://`). `localhost`, not the IP: the certificates name
    /// both, and Wine's SChannel matches DNS names only.
    pub fn origin(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://localhost:{}", self.port())
    }

    /// `http://127.0.0.1:PORT` (for the CRL URL, and for clients that must not resolve names).
    pub fn ip_origin(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port())
    }

    /// The origin followed by `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// Serves `bytes` at `path` (e.g. `/3.12.0/python-3.12.0-amd64.exe`).
    pub fn add_file(&self, path: &str, bytes: impl Into<Vec<u8>>) {
        self.lock().files.insert(path.to_string(), bytes.into());
    }

    /// Serves every file under `dir` (after the in-memory files).
    pub fn serve_dir(&self, dir: impl Into<PathBuf>) {
        self.lock().dir = Some(dir.into());
    }

    /// Makes `path` (or `"*"` for every path) misbehave.
    pub fn set_rule(&self, path: &str, rule: Rule) {
        self.lock().rules.insert(path.to_string(), rule);
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<Logged> {
        self.lock().log.clone()
    }

    /// TCP connections accepted so far (failed TLS handshakes included), e.g. to prove that
    /// a client did not retry.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Site> {
        self.site.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the blocking accept() so the thread sees `stop`.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn serve_conn(
    tcp: TcpStream,
    acceptor: Option<&SslAcceptor>,
    site: &Mutex<Site>,
    stop: &AtomicBool,
) {
    if stop.load(Ordering::Relaxed) {
        return;
    }
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(15)));
    let _ = tcp.set_write_timeout(Some(Duration::from_secs(15)));
    match acceptor {
        None => {
            let mut s = tcp;
            if let Ok(Some(head)) = http::read_head(&mut s) {
                let _ = http::respond(&mut s, &head, site, stop);
            }
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
        Some(acc) => {
            // A failed handshake is the expected outcome for most TLS tests: the client
            // reports it; the server just drops the connection.
            let Ok(mut s) = acc.accept(tcp) else { return };
            if let Ok(Some(head)) = http::read_head(&mut s) {
                let _ = http::respond(&mut s, &head, site, stop);
            }
            let _ = s.shutdown();
        }
    }
}

fn acceptor(setup: &TlsSetup) -> Result<SslAcceptor, openssl::error::ErrorStack> {
    let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server())?;
    let mut chain = setup.chain_pem.iter();
    if let Some(leaf) = chain.next() {
        let leaf = X509::from_pem(leaf.as_bytes())?;
        b.set_certificate(&leaf)?;
    }
    for extra in chain {
        b.add_extra_chain_cert(X509::from_pem(extra.as_bytes())?)?;
    }
    let key = PKey::private_key_from_pem(setup.key_pem.as_bytes())?;
    b.set_private_key(&key)?;
    b.check_private_key()?;
    if setup.versions == TlsVersions::LegacyOnly {
        b.clear_options(SslOptions::NO_TLSV1 | SslOptions::NO_TLSV1_1);
        b.set_min_proto_version(Some(SslVersion::TLS1))?;
        b.set_max_proto_version(Some(SslVersion::TLS1_1))?;
        b.set_security_level(0);
        b.set_cipher_list("DEFAULT:@SECLEVEL=0")?;
    } else {
        b.set_min_proto_version(Some(SslVersion::TLS1_2))?;
    }
    Ok(b.build())
}
