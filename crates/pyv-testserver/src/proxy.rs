//! An HTTP CONNECT proxy on 127.0.0.1:0, optionally demanding Basic credentials (407 without),
//! optionally *intercepting*: like mitmproxy or a company's inspecting proxy it answers the
//! CONNECT, then terminates TLS itself with a leaf for the target host issued on the spot by
//! its own root, and fetches what the client asks for from the real server over a second,
//! verified TLS connection; or answering every CONNECT with a fixed refusal (a proxy's own
//! error page).

use crate::http::{self, Logged};
use base64::Engine;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What an intercepting proxy needs: the root it re-signs with, and the root it trusts for
/// the real servers behind it.
#[derive(Clone, Debug)]
pub struct Interception {
    pub root: crate::RootCa,
    pub upstream_trust_pem: String,
}

pub struct ConnectProxy {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Logged>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

/// A fixed answer to every CONNECT: what a proxy that refuses or fails upstream sends.
#[derive(Clone, Debug)]
pub struct Refusal {
    /// `502 Bad Gateway`.
    pub status_line: String,
    pub content_type: String,
    pub body: String,
}

impl ConnectProxy {
    /// `credentials`: the (user, password) a client must send, or `None` for an open proxy.
    pub fn start(credentials: Option<(&str, &str)>) -> ConnectProxy {
        Self::spawn(credentials, None, None)
    }

    /// An open proxy that inspects HTTPS (see the module comment).
    pub fn intercepting(interception: Interception) -> ConnectProxy {
        Self::spawn(None, Some(interception), None)
    }

    /// A proxy that answers every CONNECT with `refusal` and closes.
    pub fn refusing(refusal: Refusal) -> ConnectProxy {
        Self::spawn(None, None, Some(refusal))
    }

    fn spawn(
        credentials: Option<(&str, &str)>,
        interception: Option<Interception>,
        refusal: Option<Refusal>,
    ) -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let creds = credentials.map(|(u, p)| (u.to_string(), p.to_string()));
        let (log2, stop2) = (log.clone(), stop.clone());
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(tcp) = conn else { continue };
                let (log, creds, mitm, refusal) = (
                    log2.clone(),
                    creds.clone(),
                    interception.clone(),
                    refusal.clone(),
                );
                std::thread::spawn(move || match refusal {
                    Some(r) => refuse(tcp, &r, &log),
                    None => handle(tcp, creds.as_ref(), mitm.as_ref(), &log),
                });
            }
        });
        ConnectProxy {
            addr,
            log,
            stop,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT` (no credentials).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// Every CONNECT seen, with the status the proxy answered.
    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn refuse(mut client: TcpStream, r: &Refusal, log: &Mutex<Vec<Logged>>) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(15)));
    let Ok(Some(head)) = http::read_head(&mut client) else {
        return;
    };
    let status = r
        .status_line
        .split(' ')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    log.lock().unwrap_or_else(|e| e.into_inner()).push(Logged {
        method: head.method.clone(),
        target: head.target.clone(),
        range: None,
        proxy_authorization: head.header("Proxy-Authorization").map(str::to_string),
        status,
    });
    let _ = write!(
        client,
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        r.status_line,
        r.content_type,
        r.body.len(),
        r.body
    );
    let _ = client.flush();
}

fn handle(
    mut client: TcpStream,
    creds: Option<&(String, String)>,
    mitm: Option<&Interception>,
    log: &Mutex<Vec<Logged>>,
) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(15)));
    let Ok(Some(head)) = http::read_head(&mut client) else {
        return;
    };
    let auth = head.header("Proxy-Authorization").map(str::to_string);
    let authorized = match creds {
        None => true,
        Some((u, p)) => auth.as_deref().and_then(decode_basic) == Some(format!("{u}:{p}")),
    };
    let status = if head.method != "CONNECT" {
        405
    } else if !authorized {
        407
    } else {
        200
    };
    log.lock().unwrap_or_else(|e| e.into_inner()).push(Logged {
        method: head.method.clone(),
        target: head.target.clone(),
        range: None,
        proxy_authorization: auth,
        status,
    });
    match status {
        407 => {
            let _ = client.write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"pyv-test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return;
        }
        405 => {
            let _ = http::write_simple(&mut client, 405, "Method Not Allowed");
            return;
        }
        _ => {}
    }
    let Ok(upstream) = TcpStream::connect_timeout(
        &match resolve(&head.target) {
            Some(a) => a,
            None => {
                let _ = http::write_simple(&mut client, 502, "Bad Gateway");
                return;
            }
        },
        Duration::from_secs(5),
    ) else {
        let _ = http::write_simple(&mut client, 502, "Bad Gateway");
        return;
    };
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    match mitm {
        Some(m) => intercept(client, upstream, &head.target, m),
        None => tunnel(client, upstream),
    }
}

/// Terminates the client's TLS with a made-up leaf, then relays one request to the real
/// server over verified TLS and its whole answer back (the request says Connection: close).
fn intercept(client: TcpStream, upstream: TcpStream, target: &str, m: &Interception) {
    use openssl::pkey::PKey;
    use openssl::ssl::{SslAcceptor, SslConnector, SslMethod};
    use openssl::x509::X509;
    let host = target
        .rsplit_once(':')
        .map_or(target, |(h, _)| h)
        .trim_start_matches('[')
        .trim_end_matches(']');
    let Ok(leaf) = m.root.issue_leaf(host) else {
        return;
    };
    let acceptor = (|| {
        let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server())?;
        let cert = X509::from_pem(leaf.cert_pem.as_bytes())?;
        let key = PKey::private_key_from_pem(leaf.key_pem.as_bytes())?;
        b.set_certificate(&cert)?;
        b.set_private_key(&key)?;
        Ok::<_, openssl::error::ErrorStack>(b.build())
    })();
    let Ok(acceptor) = acceptor else { return };
    // The client refusing the made-up leaf ends it here, as with a real product.
    let Ok(mut tls) = acceptor.accept(client) else {
        return;
    };
    let Ok(Some(req)) = http::read_head(&mut tls) else {
        return;
    };
    let connector = (|| {
        let mut b = SslConnector::builder(SslMethod::tls_client())?;
        b.cert_store_mut()
            .add_cert(X509::from_pem(m.upstream_trust_pem.as_bytes())?)?;
        Ok::<_, openssl::error::ErrorStack>(b.build())
    })();
    let Ok(connector) = connector else { return };
    let Ok(mut up) = connector.connect(host, upstream) else {
        let _ = http::write_simple(&mut tls, 502, "Bad Gateway");
        return;
    };
    let mut out = format!("{} {} HTTP/1.1\r\n", req.method, req.target);
    for (k, v) in &req.headers {
        if !k.eq_ignore_ascii_case("connection") {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    if up.write_all(out.as_bytes()).is_err() {
        return;
    }
    let mut buf = [0u8; 16 * 1024];
    loop {
        match up.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if tls.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = tls.shutdown();
}

/// Loopback only: the proxy must never reach past this machine, whatever a test asks.
fn resolve(target: &str) -> Option<SocketAddr> {
    use std::net::ToSocketAddrs;
    let (host, port) = target.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if !(host == "localhost" || host == "127.0.0.1" || host == "::1") {
        return None;
    }
    ("127.0.0.1", port).to_socket_addrs().ok()?.next()
}

fn tunnel(client: TcpStream, upstream: TcpStream) {
    let (Ok(mut c2), Ok(mut u2)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    let up = std::thread::spawn(move || {
        let mut client = client;
        let mut upstream = upstream;
        copy_then_close(&mut client, &mut upstream);
    });
    copy_then_close(&mut u2, &mut c2);
    let _ = up.join();
}

fn copy_then_close(from: &mut TcpStream, to: &mut TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn decode_basic(header: &str) -> Option<String> {
    let b64 = header.trim().strip_prefix("Basic ")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    String::from_utf8(bytes).ok()
}
