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
    /// `Basic <base64(pyv:token)>`: what reqwest must send, so that no other local process
    /// can use the relay (and the credentials behind it) while it runs.
    expected: String,
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
    /// The relay's own password (see `Shared::expected`).
    token: String,
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
        let mut raw = [0u8; 16];
        getrandom::fill(&mut raw).map_err(|e| {
            io::Error::other(format!("no random numbers for the relay's token: {e}"))
        })?;
        let token: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        use base64::Engine;
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{RELAY_USER}:{token}"))
        );
        let shared = Arc::new(Shared {
            expected,
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
            token,
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

    /// The (user, password) the client authenticates to the relay with.
    pub fn secret(&self) -> (&'static str, &str) {
        (RELAY_USER, &self.token)
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

const RELAY_USER: &str = "pyv";
const NOT_YOURS: &[u8] = b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"pyv relay\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
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
    if !req
        .proxy_authorization
        .as_deref()
        .is_some_and(|a| same(a, &shared.expected))
    {
        let _ = client.write_all(NOT_YOURS);
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    /// An upstream "proxy" that answers one CONNECT with 200 and says which request it got.
    fn open_upstream() -> (u16, std::thread::JoinHandle<String>) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let t = std::thread::spawn(move || {
            let (mut c, _) = l.accept().unwrap();
            let head = http1::read_head(&mut c, &mut Vec::new()).unwrap();
            c.write_all(b"HTTP/1.1 200 OK\r\n\r\n").unwrap();
            String::from_utf8_lossy(&head).into_owned()
        });
        (port, t)
    }

    fn ask(relay: &Relay, auth: Option<&str>) -> String {
        let mut s = TcpStream::connect(relay.addr).unwrap();
        let auth = auth.map_or(String::new(), |a| format!("Proxy-Authorization: {a}\r\n"));
        write!(
            s,
            "CONNECT m.example:443 HTTP/1.1\r\nHost: m.example:443\r\n{auth}\r\n"
        )
        .unwrap();
        let mut buf = Vec::new();
        let head = http1::read_head(&mut s, &mut buf).unwrap();
        String::from_utf8_lossy(&head)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    }

    #[test]
    fn only_the_client_holding_the_secret_gets_through() {
        let (port, upstream) = open_upstream();
        let relay = Relay::start("127.0.0.1", port, None, Duration::from_secs(5)).unwrap();
        assert_eq!(
            ask(&relay, None),
            "HTTP/1.1 407 Proxy Authentication Required"
        );
        let wrong = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("pyv:guess")
        );
        assert_eq!(
            ask(&relay, Some(&wrong)),
            "HTTP/1.1 407 Proxy Authentication Required"
        );
        let (u, t) = relay.secret();
        let right = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{u}:{t}"))
        );
        assert_eq!(
            ask(&relay, Some(&right)),
            "HTTP/1.1 200 Connection established"
        );
        let seen = upstream.join().unwrap();
        assert!(
            seen.starts_with("CONNECT m.example:443 HTTP/1.1\r\n"),
            "{seen}"
        );
        assert!(
            !seen.to_ascii_lowercase().contains("proxy-authorization"),
            "the relay's secret is not forwarded: {seen}"
        );
    }
}
