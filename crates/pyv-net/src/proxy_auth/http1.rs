//! Just enough HTTP/1.1 for the relay: reading a message head, draining a 407's body so
//! the connection can carry the next round, and writing a request head with the
//! `Proxy-Authorization` of the round.

use std::io::{self, Read, Write};

/// Heads larger than this are refused (squid's default limit is 64 KiB).
const MAX_HEAD: usize = 64 * 1024;

/// Reads until the end of a message head. Returns the head; bytes read past it stay in
/// `buf` (the start of a body, or of the tunnel).
pub fn read_head(stream: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<Vec<u8>> {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find_end(buf) {
            let rest = buf.split_off(end);
            return Ok(std::mem::replace(buf, rest));
        }
        if buf.len() > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "message head too large",
            ));
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed before a complete message head",
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

/// A request as the client (reqwest) sent it to the relay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// Every header but the hop-by-hop ones the relay sets itself.
    pub headers: Vec<(String, String)>,
    /// What the client authenticated to the relay with (never forwarded).
    pub proxy_authorization: Option<String>,
}

/// A response head from the upstream proxy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub raw: Vec<u8>,
}

impl Response {
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn content_length(&self) -> Option<u64> {
        self.header_values("content-length")
            .first()
            .and_then(|v| v.trim().parse().ok())
    }

    /// Whether the connection stays open after this response's body.
    fn keeps_alive(&self) -> bool {
        let says_close = ["connection", "proxy-connection"]
            .iter()
            .flat_map(|h| self.header_values(h))
            .any(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
        !says_close
            && self.header_values("transfer-encoding").is_empty()
            && self.content_length().is_some()
    }

    /// The head with `Connection: close` in place of the proxy's connection headers, so
    /// the client opens a new relay connection (and so a new authenticated upstream one)
    /// for its next request.
    pub fn closing_head(&self) -> Vec<u8> {
        let text = String::from_utf8_lossy(&self.raw);
        let mut lines = text.split("\r\n");
        let mut out = lines
            .next()
            .unwrap_or("HTTP/1.1 502 Bad Gateway")
            .to_string();
        out.push_str("\r\n");
        for (n, v) in &self.headers {
            if !is_connection_header(n) {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
        }
        out.push_str("Connection: close\r\n\r\n");
        out.into_bytes()
    }
}

fn is_connection_header(name: &str) -> bool {
    ["connection", "proxy-connection", "keep-alive"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

pub fn parse_request(head: &[u8]) -> io::Result<Request> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "malformed request head",
            ))
        }
    }
    let proxy_authorization = req
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("proxy-authorization"))
        .map(|h| String::from_utf8_lossy(h.value).into_owned());
    Ok(Request {
        proxy_authorization,
        method: req.method.unwrap_or("GET").to_string(),
        target: req.path.unwrap_or("/").to_string(),
        headers: req
            .headers
            .iter()
            .filter(|h| {
                !is_connection_header(h.name) && !h.name.eq_ignore_ascii_case("proxy-authorization")
            })
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect(),
    })
}

pub fn parse_response(head: &[u8]) -> io::Result<Response> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    match resp.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "malformed response head from the proxy",
            ))
        }
    }
    Ok(Response {
        status: resp.code.unwrap_or(0),
        headers: resp
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect(),
        raw: head.to_vec(),
    })
}

/// The request head for one round, asking the proxy to keep the connection for the next.
pub fn write_request(
    out: &mut impl Write,
    req: &Request,
    authorization: Option<&str>,
) -> io::Result<()> {
    let mut head = format!("{} {} HTTP/1.1\r\n", req.method, req.target);
    for (n, v) in &req.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(a) = authorization {
        head.push_str(&format!("Proxy-Authorization: {a}\r\n"));
    }
    head.push_str("Proxy-Connection: keep-alive\r\nConnection: keep-alive\r\n\r\n");
    out.write_all(head.as_bytes())?;
    out.flush()
}

/// Reads and drops the body of `resp` (a 407 between rounds). `false`: the connection
/// cannot carry another request (closed, or a body without a length).
pub fn drain_body(stream: &mut impl Read, resp: &Response, buf: &mut Vec<u8>) -> bool {
    if !resp.keeps_alive() {
        return false;
    }
    let Some(mut left) = resp.content_length() else {
        return false;
    };
    let from_buf = left.min(buf.len() as u64) as usize;
    buf.drain(..from_buf);
    left -= from_buf as u64;
    let mut chunk = [0u8; 8192];
    while left > 0 {
        let want = left.min(chunk.len() as u64) as usize;
        match stream.read(&mut chunk[..want]) {
            Ok(0) | Err(_) => return false,
            Ok(n) => left -= n as u64,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_and_leftover() {
        let mut src: &[u8] = b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\nContent-Length: 3\r\n\r\nabcNEXT";
        let mut buf = Vec::new();
        let head = read_head(&mut src, &mut buf).unwrap();
        let r = parse_response(&head).unwrap();
        assert_eq!(r.status, 407);
        assert_eq!(r.header_values("proxy-authenticate"), ["NTLM"]);
        assert!(drain_body(&mut src, &r, &mut buf));
        assert_eq!(buf, b"NEXT");
        let closing = String::from_utf8(r.closing_head()).unwrap();
        assert_eq!(closing, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
    }

    #[test]
    fn a_closing_or_unframed_407_is_not_reused() {
        for h in [
            "Connection: close\r\nContent-Length: 0",
            "Transfer-Encoding: chunked",
            "X: y",
        ] {
            let r = parse_response(format!("HTTP/1.1 407 x\r\n{h}\r\n\r\n").as_bytes()).unwrap();
            assert!(!drain_body(&mut &b""[..], &r, &mut Vec::new()), "{h}");
        }
        let mut buf = Vec::new();
        assert!(read_head(&mut &b"HTTP/1.1 200"[..], &mut buf).is_err());
    }

    #[test]
    fn request_rounds_replace_the_hop_by_hop_headers() {
        let req = parse_request(b"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\nProxy-Connection: close\r\nProxy-Authorization: Basic x\r\n\r\n").unwrap();
        let mut out = Vec::new();
        write_request(&mut out, &req, Some("NTLM abc")).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\nProxy-Authorization: NTLM abc\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive\r\n\r\n"
        );
    }
}
