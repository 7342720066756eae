//! The loopback relay: reqwest talks to it as to an unauthenticated HTTP proxy, and for each
//! connection it opens one to the real proxy, answers the proxy's 407 rounds on that same
//! connection (NTLM and Negotiate authenticate the connection, which reqwest's proxy
//! support cannot do), then pipes bytes. CONNECT tunnels carry reqwest's TLS end to end:
//! the relay never sees plain text of an https download and verification is untouched.

use super::challenge;
use super::http1::{self, Request, Response};
use super::scheme::{Credentials, Mechanism, Scheme, Target};
use super::AuthFailure;
use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the last failed connection through the relay ran into, for the diagnosis.
#[derive(Debug)]
pub enum Outcome {
    Auth(AuthFailure),
    /// The upstream proxy could not be reached (kept as the error, so it is classified
    /// like a direct failure to reach the proxy).
    Unreachable(io::Error),
}

struct Shared {
    host: String,
    port: u16,
    creds: Option<Credentials>,
    timeout: Duration,
    outcome: Mutex<Option<Outcome>>,
}

impl Shared {
    fn record(&self, o: Option<Outcome>) {
        *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = o;
    }
}

/// One relay for one upstream proxy. Dropping it stops the listener.
pub struct Relay {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl Relay {
    pub fn start(
        host: &str,
        port: u16,
        creds: Option<Credentials>,
        timeout: Duration,
    ) -> io::Result<Relay> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            host: host.to_string(),
            port,
            creds,
            timeout,
            outcome: Mutex::new(None),
        });
        let (stop2, shared2) = (stop.clone(), shared.clone());
        let accept = std::thread::Builder::new()
            .name("pyv-proxy-relay".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if stop2.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(client) = conn else { continue };
                    let shared = shared2.clone();
                    let _ = std::thread::Builder::new()
                        .name("pyv-proxy-conn".into())
                        .spawn(move || serve(client, &shared));
                }
            })?;
        Ok(Relay {
            addr,
            stop,
            shared,
            accept: Some(accept),
        })
    }

    /// `http://127.0.0.1:PORT`, the proxy URL reqwest is given.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// What the last failed connection ran into (taken: asked once per failure).
    pub fn take_outcome(&self) -> Option<Outcome> {
        self.shared
            .outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the blocking accept so the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn connect(shared: &Shared) -> io::Result<TcpStream> {
    let mut last = io::Error::new(
        io::ErrorKind::NotFound,
        format!("{}: no address", shared.host),
    );
    for addr in (shared.host.as_str(), shared.port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, shared.timeout) {
            Ok(s) => {
                s.set_read_timeout(Some(shared.timeout))?;
                s.set_nodelay(true)?;
                return Ok(s);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

const BAD_GATEWAY: &[u8] =
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

fn serve(mut client: TcpStream, shared: &Shared) {
    let _ = client.set_read_timeout(Some(shared.timeout));
    let mut cbuf = Vec::new();
    let Ok(req) = http1::read_head(&mut client, &mut cbuf).and_then(|h| http1::parse_request(&h))
    else {
        let _ = client.write_all(BAD_GATEWAY);
        return;
    };
    let mut up = match connect(shared) {
        Ok(up) => up,
        Err(e) => {
            shared.record(Some(Outcome::Unreachable(e)));
            let _ = client.write_all(BAD_GATEWAY);
            return;
        }
    };
    let (resp, ubuf) = match authenticate(&mut up, &req, shared) {
        Ok(r) => r,
        Err(e) => {
            tracing::debug!(error = %e, "proxy relay: the proxy broke off the exchange");
            shared.record(Some(Outcome::Unreachable(e)));
            let _ = client.write_all(BAD_GATEWAY);
            return;
        }
    };
    let tunnel = req.method.eq_ignore_ascii_case("CONNECT") && (200..300).contains(&resp.status);
    let head = if tunnel {
        b"HTTP/1.1 200 Connection established\r\n\r\n".to_vec()
    } else {
        resp.closing_head()
    };
    if client
        .write_all(&head)
        .and_then(|_| client.write_all(&ubuf))
        .is_err()
        || up.write_all(&cbuf).is_err()
    {
        return;
    }
    pipe(client, up);
}

/// Sends `req` and answers 407s until the proxy lets it through or there is nothing more
/// to try. Returns the final response head (to forward) and any body bytes read with it.
fn authenticate(
    up: &mut TcpStream,
    req: &Request,
    shared: &Shared,
) -> io::Result<(Response, Vec<u8>)> {
    let target = Target {
        method: &req.method,
        uri: &req.target,
        proxy_host: &shared.host,
    };
    let mut buf = Vec::new();
    http1::write_request(up, req, None)?;
    let mut resp = http1::parse_response(&http1::read_head(up, &mut buf)?)?;
    if resp.status != 407 {
        return Ok((resp, buf));
    }
    let mut challenges = challenge::parse(&resp.header_values("proxy-authenticate"));
    let offered = challenge::schemes(&challenges);
    let mut unusable = Vec::new();
    let mut mech = None;
    for s in Scheme::PREFERENCE {
        if s.find(&challenges).is_none() {
            continue;
        }
        match Mechanism::start(s, shared.creds.as_ref(), &shared.host) {
            Ok(m) => {
                mech = Some(m);
                break;
            }
            Err(why) => unusable.push((s, why)),
        }
    }
    let Some(mut mech) = mech else {
        shared.record(Some(Outcome::Auth(AuthFailure::unusable(
            offered,
            shared.creds.is_some(),
            unusable,
            shared.creds.as_ref().map(|c| c.user.as_str()),
        ))));
        return Ok((resp, buf));
    };
    tracing::debug!(
        scheme = mech.scheme().name(),
        "proxy relay: answering the proxy's 407"
    );
    loop {
        let answer = match mech.next(mech.scheme().find(&challenges), &target) {
            Ok(Some(a)) => a,
            Ok(None) => {
                shared.record(Some(Outcome::Auth(AuthFailure::Refused {
                    scheme: mech.scheme().name().to_string(),
                    user: mech.user().map(str::to_string),
                    detail: None,
                })));
                return Ok((resp, buf));
            }
            Err(e) => {
                shared.record(Some(Outcome::Auth(AuthFailure::Broken {
                    scheme: mech.scheme().name().to_string(),
                    reason: match e {
                        super::scheme::RoundError::BadChallenge(s)
                        | super::scheme::RoundError::Local(s) => s,
                    },
                })));
                return Ok((resp, buf));
            }
        };
        if !http1::drain_body(up, &resp, &mut buf) {
            // Basic and Digest authenticate each request, so a new connection will do; a
            // connection-bound scheme then fails its next round and reads as refused.
            *up = connect(shared)?;
            buf.clear();
        }
        http1::write_request(up, req, Some(&answer))?;
        resp = http1::parse_response(&http1::read_head(up, &mut buf)?)?;
        if resp.status != 407 {
            shared.record(None);
            return Ok((resp, buf));
        }
        challenges = challenge::parse(&resp.header_values("proxy-authenticate"));
    }
}

/// Bytes both ways until either side closes; a half-close is passed on so the other side
/// sees the end too.
fn pipe(client: TcpStream, up: TcpStream) {
    let _ = client.set_read_timeout(None);
    let _ = up.set_read_timeout(None);
    let (Ok(mut c_read), Ok(mut u_write)) = (client.try_clone(), up.try_clone()) else {
        return;
    };
    let upward = std::thread::spawn(move || {
        let _ = io::copy(&mut c_read, &mut u_write);
        let _ = u_write.shutdown(Shutdown::Write);
    });
    let (mut u_read, mut c_write) = (up, client);
    let _ = io::copy(&mut u_read, &mut c_write);
    let _ = c_write.shutdown(Shutdown::Write);
    let _ = upward.join();
}
