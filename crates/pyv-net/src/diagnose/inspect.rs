//! The inspection handshake: after a request has already failed at the TLS layer, connect
//! once more and read the certificates the server presents, *without verifying them*, to
//! show their names and dates in the diagnosis. This connection carries no application data:
//! it is closed right after the handshake, and its result only ever feeds an error message.
//! Verification of real transfers is never turned off.
//!
//! Also here: the plain-HTTP sniff that tells "not TLS at all" from a protocol mismatch when
//! the TLS library cannot (SChannel), and the TCP/CONNECT-tunnel helper shared with the
//! doctor probe.

use super::certinfo::CertInfo;
use crate::proxy::ProxyEndpoint;
use base64::Engine;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// What the server presented.
#[derive(Clone, Debug, Default)]
pub struct Peer {
    /// Leaf first.
    pub chain: Vec<CertInfo>,
    /// `chain` is everything the server sent (OpenSSL), not just the leaf (SChannel).
    pub chain_complete: bool,
    /// Negotiated protocol (`TLSv1.2`), when the TLS library says.
    pub version: Option<String>,
    /// Every protocol version the server accepted, oldest first, when it negotiated one
    /// pyv refuses (`["TLSv1", "TLSv1.1"]`): a server that speaks 1.0 and 1.1 is named so.
    /// Otherwise just `version`.
    pub versions: Vec<String>,
    /// DER of `chain`, same order, for checking signatures (the AIA step).
    pub ders: Vec<Vec<u8>>,
}

/// Inspects `host:port` (through `proxy` if given). `None` when no handshake completes.
pub fn peer(
    host: &str,
    port: u16,
    proxy: Option<&ProxyEndpoint>,
    timeout: Duration,
) -> Option<Peer> {
    let tcp = connect(host, port, proxy, timeout).ok()?;
    let mut peer = handshake(tcp, host, None)?;
    peer.versions = peer.version.iter().cloned().collect();
    #[cfg(not(windows))]
    if peer.version.as_deref().is_some_and(is_refused_version) {
        // The highest version it speaks is an old one: ask for each older one alone, so the
        // message can list them all (at most two more handshakes, only for such servers).
        use openssl::ssl::SslVersion;
        peer.versions.clear();
        for v in [SslVersion::TLS1, SslVersion::TLS1_1] {
            let spoke = connect(host, port, proxy, timeout)
                .ok()
                .and_then(|tcp| handshake(tcp, host, Some(v)))
                .and_then(|p| p.version);
            if let Some(s) = spoke {
                if !peer.versions.contains(&s) {
                    peer.versions.push(s);
                }
            }
        }
    }
    Some(peer)
}

/// Protocol versions pyv never uses (OpenSSL's and SChannel's spellings).
pub fn is_refused_version(v: &str) -> bool {
    matches!(v, "TLSv1" | "TLSv1.1" | "SSLv3" | "TLS 1.0" | "TLS 1.1")
}

#[cfg(not(windows))]
fn handshake(tcp: TcpStream, host: &str, only: Option<openssl::ssl::SslVersion>) -> Option<Peer> {
    use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion};
    let mut b = SslConnector::builder(SslMethod::tls_client()).ok()?;
    // Inspection only (see the module comment): accept any certificate and any protocol
    // version so that even an old or misconfigured server shows what it presents.
    b.set_verify(SslVerifyMode::NONE);
    b.set_min_proto_version(Some(only.unwrap_or(SslVersion::TLS1)))
        .ok()?;
    if only.is_some() {
        b.set_max_proto_version(only).ok()?;
    }
    b.set_security_level(0);
    b.set_cipher_list("DEFAULT:@SECLEVEL=0").ok()?;
    let mut cfg = b.build().configure().ok()?;
    cfg.set_verify_hostname(false);
    let mut s = cfg.connect(host, tcp).ok()?;
    let mut chain = Vec::new();
    let mut ders = Vec::new();
    for der in s
        .ssl()
        .peer_cert_chain()
        .into_iter()
        .flat_map(|st| st.iter())
        .filter_map(|c| c.to_der().ok())
    {
        if let Some(info) = CertInfo::from_der(&der) {
            chain.push(info);
            ders.push(der);
        }
    }
    let version = Some(s.ssl().version_str().to_string());
    let _ = s.shutdown();
    Some(Peer {
        chain,
        chain_complete: true,
        version,
        versions: Vec::new(),
        ders,
    })
}

#[cfg(windows)]
fn handshake(tcp: TcpStream, host: &str, _only: Option<()>) -> Option<Peer> {
    // Inspection only (see the module comment): SChannel must hand over the certificate
    // even when it would reject it. No byte of application data is exchanged.
    let c = native_tls::TlsConnector::builder()
        .danger_accept_invalid_certs(true)
        .danger_accept_invalid_hostnames(true)
        .use_sni(true)
        .build()
        .ok()?;
    let mut s = c.connect(host, tcp).ok()?;
    let leaf = s.peer_certificate().ok()??.to_der().ok()?;
    let _ = s.shutdown();
    Some(Peer {
        chain: CertInfo::from_der(&leaf).into_iter().collect(),
        chain_complete: false,
        version: None,
        versions: Vec::new(),
        ders: vec![leaf],
    })
}

/// Whether `host:port` answers a plain HTTP request with an HTTP response, i.e. there is no
/// TLS on that port. Sends `HEAD / HTTP/1.0` with only a Host header: nothing secret.
pub fn answers_plain_http(host: &str, port: u16, timeout: Duration) -> bool {
    let Ok(mut tcp) = connect(host, port, None, timeout) else {
        return false;
    };
    if write!(tcp, "HEAD / HTTP/1.0\r\nHost: {host}\r\n\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 5];
    let mut got = 0;
    while got < buf.len() {
        match tcp.read(&mut buf[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    &buf[..got] == b"HTTP/"
}

/// Why this module's CONNECT tunnel was not set up, as a type so that the diagnosis does not
/// depend on the wording. Carried inside an `io::Error`.
#[derive(Debug, thiserror::Error)]
pub enum TunnelError {
    #[error("only http:// proxies can be tunnelled here")]
    UnsupportedScheme,
    /// The proxy closed the connection before answering the CONNECT.
    #[error("proxy closed the tunnel")]
    Closed,
    /// HTTP 407.
    #[error("proxy authorization required")]
    ProxyAuth,
    /// Any other answer than 200.
    #[error("unsuccessful tunnel (proxy answered {0})")]
    Refused(String),
}

/// The host name did not resolve (to any address). Carried inside an `io::Error`.
#[derive(Debug, thiserror::Error)]
#[error("dns error: {source}")]
pub struct ResolveError {
    #[source]
    pub source: io::Error,
}

/// A TCP connection to `host:port`, directly or through an HTTP CONNECT tunnel, with
/// read/write timeouts set.
pub fn connect(
    host: &str,
    port: u16,
    proxy: Option<&ProxyEndpoint>,
    timeout: Duration,
) -> io::Result<TcpStream> {
    let Some(p) = proxy else {
        return connect_direct(host, port, timeout);
    };
    if p.scheme != "http" {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            TunnelError::UnsupportedScheme,
        ));
    }
    let mut s = connect_direct(&p.host, p.port, timeout)?;
    let target = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut req = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(auth) = basic_authorization(p) {
        req.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte)? == 0 || head.len() > 16 * 1024 {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                TunnelError::Closed,
            ));
        }
        head.push(byte[0]);
    }
    let status_line = String::from_utf8_lossy(&head);
    let status = status_line.split_whitespace().nth(1).unwrap_or("");
    match status {
        "200" => Ok(s),
        "407" => Err(io::Error::other(TunnelError::ProxyAuth)),
        other => Err(io::Error::other(TunnelError::Refused(other.to_string()))),
    }
}

/// `Basic <base64>` for a proxy URL with credentials.
pub(crate) fn basic_authorization(p: &ProxyEndpoint) -> Option<String> {
    let user = p.username.as_ref()?;
    let creds = format!("{user}:{}", p.password.as_deref().unwrap_or(""));
    Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(creds)
    ))
}

pub(crate) fn connect_direct(host: &str, port: u16, timeout: Duration) -> io::Result<TcpStream> {
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address for host");
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| io::Error::new(e.kind(), ResolveError { source: e }))?;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                s.set_read_timeout(Some(timeout))?;
                s.set_write_timeout(Some(timeout))?;
                return Ok(s);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}
