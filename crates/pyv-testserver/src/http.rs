//! A deliberately small HTTP/1.1 responder: GET of in-memory files or a folder, Content-Length,
//! single `bytes=N-` / `bytes=N-M` ranges (206/416), `Connection: close` on every response,
//! and per-path misbehaviours for the client's failure paths.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a path (or `"*"`, every path) does instead of answering normally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Misbehave {
    /// Send the full headers, then only the first N body bytes, then close.
    CutAfter(u64),
    /// Send the headers, then nothing until the server is dropped.
    Stall,
    /// Answer with this status (and a short text body).
    Status(u16),
    /// Answer 200 with the whole file even when a Range was asked for.
    IgnoreRange,
    /// Answer `302 Found` with this `Location` (the path itself: a redirect loop).
    Redirect(String),
    /// Answer 200 with an `X-Filler` header of this many bytes before the body (more than
    /// a client's header limit: hyper's is about 400 KB).
    HugeHeader(usize),
}

/// A misbehaviour and how many requests it applies to (`None`: all of them).
#[derive(Clone, Debug)]
pub struct Rule {
    pub misbehave: Misbehave,
    pub times: Option<u32>,
}

impl Rule {
    pub fn always(misbehave: Misbehave) -> Rule {
        Rule {
            misbehave,
            times: None,
        }
    }
    /// Misbehave for the first `n` requests, then answer normally.
    pub fn first(n: u32, misbehave: Misbehave) -> Rule {
        Rule {
            misbehave,
            times: Some(n),
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub target: String,
    pub range: Option<String>,
    pub proxy_authorization: Option<String>,
    /// The status the server answered with.
    pub status: u16,
}

#[derive(Default)]
pub(crate) struct Site {
    pub files: HashMap<String, Vec<u8>>,
    pub dir: Option<PathBuf>,
    pub rules: HashMap<String, Rule>,
    pub log: Vec<Logged>,
}

/// The parsed head of a request.
pub(crate) struct Head {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Longest stall: long enough for any client timeout under test, short enough that a
/// forgotten server cannot keep a thread alive for long.
const MAX_STALL: Duration = Duration::from_secs(120);

/// Reads a request head. `Ok(None)`: the peer sent something that is not HTTP (the caller
/// has already answered 400) or closed the connection.
pub(crate) fn read_head<S: Read + Write>(stream: &mut S) -> io::Result<Option<Head>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        if stream.read(&mut byte)? == 0 {
            return Ok(None);
        }
        // A TLS ClientHello (0x16…) on a plain port: answer like a real HTTP server would,
        // at once, so the client sees HTTP bytes where it expected a TLS record.
        if buf.is_empty() && !byte[0].is_ascii_uppercase() {
            write_simple(stream, 400, "Bad Request")?;
            return Ok(None);
        }
        buf.push(byte[0]);
        if buf.ends_with(b"\r\n\r\n") {
            break;
        }
        if buf.len() > 64 * 1024 {
            write_simple(stream, 431, "Request Header Fields Too Large")?;
            return Ok(None);
        }
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Some(Head {
        method,
        target,
        headers,
    }))
}

pub(crate) fn write_simple<W: Write>(w: &mut W, status: u16, text: &str) -> io::Result<()> {
    let body = format!("{status} {text}\n");
    write!(
        w,
        "HTTP/1.1 {status} {text}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    w.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        404 => "Not Found",
        407 => "Proxy Authentication Required",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Answers one request on `stream` according to `site`.
pub(crate) fn respond<S: Read + Write>(
    stream: &mut S,
    head: &Head,
    site: &Mutex<Site>,
    stop: &AtomicBool,
) -> io::Result<()> {
    let path = head
        .target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let range = head.header("Range").map(str::to_string);
    let (misbehave, body) = {
        let mut site = site.lock().unwrap_or_else(|e| e.into_inner());
        let misbehave = take_rule(&mut site, &path);
        let body = lookup(&site, &path);
        (misbehave, body)
    };
    let log = |status: u16| {
        let mut site = site.lock().unwrap_or_else(|e| e.into_inner());
        site.log.push(Logged {
            method: head.method.clone(),
            target: head.target.clone(),
            range: range.clone(),
            proxy_authorization: head.header("Proxy-Authorization").map(str::to_string),
            status,
        });
    };

    if let Some(Misbehave::Status(code)) = misbehave {
        log(code);
        return write_simple(stream, code, reason(code));
    }
    if let Some(Misbehave::Redirect(location)) = &misbehave {
        log(302);
        write!(
            stream,
            "HTTP/1.1 302 {}\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            reason(302)
        )?;
        return stream.flush();
    }
    if let Some(Misbehave::HugeHeader(size)) = misbehave {
        log(200);
        write!(
            stream,
            "HTTP/1.1 200 {}\r\nX-Filler: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            reason(200),
            "a".repeat(size)
        )?;
        return stream.flush();
    }
    let Some(body) = body else {
        log(404);
        return write_simple(stream, 404, reason(404));
    };
    let total = body.len() as u64;
    let honour_range = misbehave != Some(Misbehave::IgnoreRange);
    let (status, start) = match range.as_deref().and_then(parse_range) {
        Some((start, _)) if honour_range && start >= total => {
            log(416);
            write!(
                stream,
                "HTTP/1.1 416 {}\r\nContent-Range: bytes */{total}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                reason(416)
            )?;
            return stream.flush();
        }
        Some((start, _)) if honour_range => (206, start),
        _ => (200, 0),
    };
    let end = match range.as_deref().and_then(parse_range) {
        Some((_, Some(end))) if status == 206 => end.min(total - 1),
        _ => total.saturating_sub(1),
    };
    let slice = if total == 0 {
        &body[..0]
    } else {
        &body[start as usize..=end as usize]
    };
    log(status);
    let mut headers = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(status),
        slice.len()
    );
    if status == 206 {
        headers.push_str(&format!("Content-Range: bytes {start}-{end}/{total}\r\n"));
    }
    headers.push_str("\r\n");
    stream.write_all(headers.as_bytes())?;
    match misbehave {
        Some(Misbehave::Stall) => {
            stream.flush()?;
            let since = Instant::now();
            while !stop.load(Ordering::Relaxed) && since.elapsed() < MAX_STALL {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(())
        }
        Some(Misbehave::CutAfter(n)) => {
            let n = (n as usize).min(slice.len());
            stream.write_all(&slice[..n])?;
            stream.flush()
        }
        _ => {
            stream.write_all(slice)?;
            stream.flush()
        }
    }
}

/// The rule for `path` (or `"*"`), counting one use of a limited rule.
fn take_rule(site: &mut Site, path: &str) -> Option<Misbehave> {
    let key = if site.rules.contains_key(path) {
        path
    } else {
        "*"
    };
    let rule = site.rules.get_mut(key)?;
    match &mut rule.times {
        Some(0) => None,
        Some(n) => {
            *n -= 1;
            Some(rule.misbehave.clone())
        }
        None => Some(rule.misbehave.clone()),
    }
}

fn lookup(site: &Site, path: &str) -> Option<Vec<u8>> {
    if let Some(b) = site.files.get(path) {
        return Some(b.clone());
    }
    let dir = site.dir.as_ref()?;
    let rel = path.trim_start_matches('/');
    // Only plain relative components: the bin serves a folder to Wine, nothing outside it.
    if rel
        .split('/')
        .any(|c| c == ".." || c.contains('\\') || c.contains(':'))
    {
        return None;
    }
    let full = dir.join(rel);
    if full.is_dir() {
        return Some(listing(&full).into_bytes());
    }
    std::fs::read(full).ok()
}

/// A minimal Apache-style index, enough for a mirror client that lists folders.
fn listing(dir: &std::path::Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    if e.path().is_dir() {
                        format!("{n}/")
                    } else {
                        n
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut html = String::from("<html><body><pre>\n");
    for n in names {
        html.push_str(&format!("<a href=\"{n}\">{n}</a>\n"));
    }
    html.push_str("</pre></body></html>\n");
    html
}

/// `bytes=N-` or `bytes=N-M` → (N, M).
fn parse_range(v: &str) -> Option<(u64, Option<u64>)> {
    let spec = v.trim().strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let start = a.trim().parse().ok()?;
    let end = match b.trim() {
        "" => None,
        s => Some(s.parse().ok()?),
    };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=10-"), Some((10, None)));
        assert_eq!(parse_range("bytes=0-99"), Some((0, Some(99))));
        assert_eq!(parse_range("items=0-1"), None);
        assert_eq!(parse_range("bytes=-5"), None);
    }
}
