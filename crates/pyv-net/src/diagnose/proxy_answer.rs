//! What a proxy itself answered, so that its refusals and failures are named as the proxy's
//! and not blamed on the mirror.
//!
//! reqwest (through hyper-util's tunnel) reports a failed CONNECT as "unsuccessful" or "proxy
//! authorization required", without the status, the `Proxy-Authenticate` schemes or the
//! body. After such a failure, [`ask`] makes one *diagnostic* CONNECT over a plain TCP socket
//! (bounded reads, the connect timeout) and reads the proxy's status line, headers and the
//! start of its body. Like the inspection handshake, it only ever feeds an error message: on
//! a 200 the tunnel is closed at once, nothing is sent through it.
//!
//! An intercepting proxy answers inside the TLS session it re-signed, so its error reaches
//! the client as an ordinary response; [`ProxyAnswer::from_response`] recognises those by the
//! proxy's own headers (RFC 9209 `Proxy-Status`, squid's `X-Squid-Error`) or a body that
//! reports a certificate verdict.

use crate::proxy::ProxyEndpoint;
use base64::Engine;
use pyv_core::quote::user_text;
use std::io::{Read, Write};
use std::time::Duration;

/// The most of a proxy's answer that is read: its error pages are a few KiB.
const HEAD_LIMIT: usize = 16 * 1024;
const BODY_LIMIT: usize = 16 * 1024;

/// A proxy's answer to a request it did not pass on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyAnswer {
    /// The HTTP status (403, 407, 502, ...).
    pub status: u16,
    /// The status line's reason phrase (`Forbidden`), as sent.
    pub reason: String,
    /// The schemes of every `Proxy-Authenticate` header, as sent (`Basic`, `NTLM`), in order.
    pub authenticate: Vec<String>,
    /// The first line of the body that explains (see [`explaining_line`]), quoted for a
    /// terminal.
    pub body_line: Option<String>,
    /// squid's `X-Squid-Error` value (`ERR_CONNECT_FAIL 111`), for verbose output.
    pub proxy_error: Option<String>,
}

/// Words in a proxy's error body that report a certificate or TLS verdict on the upstream
/// server (mitmproxy, squid's ERR_SECURE_CONNECT_FAIL page, Zscaler/Bluecoat-style pages).
/// Compared lower-cased, a subject word and a verdict word both present.
const TLS_SUBJECTS: [&str; 4] = ["certificate", "tls", "ssl", "x509"];
const TLS_VERDICTS: [&str; 9] = [
    "expired",
    "verif",
    "untrusted",
    "not trusted",
    "self signed",
    "self-signed",
    "unknown ca",
    "issuer",
    "handshake",
];
/// squid's error name for a failed TLS connection to the upstream server.
const SQUID_SECURE_CONNECT_FAIL: &str = "ERR_SECURE_CONNECT_FAIL";

impl ProxyAnswer {
    /// `HTTP 403 Forbidden`.
    pub fn status_text(&self) -> String {
        if self.reason.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            format!("HTTP {} {}", self.status, self.reason)
        }
    }

    /// The proxy says it could not reach or could not trust the upstream server (502/503/504).
    pub fn is_upstream_failure(&self) -> bool {
        matches!(self.status, 502..=504)
    }

    /// The proxy's body (or squid's error name) reports that the upstream server's
    /// certificate or TLS handshake was rejected: retrying cannot help.
    pub fn reports_tls_verdict(&self) -> bool {
        if self
            .proxy_error
            .as_deref()
            .is_some_and(|e| e.starts_with(SQUID_SECURE_CONNECT_FAIL))
        {
            return true;
        }
        self.body_line.as_deref().is_some_and(|l| {
            let l = l.to_ascii_lowercase();
            TLS_SUBJECTS.iter().any(|s| l.contains(s)) && TLS_VERDICTS.iter().any(|v| l.contains(v))
        })
    }

    /// Parses a proxy's answer: the head (status line and headers) and the start of its body.
    pub fn parse(head: &str, body: &[u8]) -> Option<ProxyAnswer> {
        let mut lines = head.split("\r\n");
        let status_line = lines.next()?;
        let mut parts = status_line.splitn(3, ' ');
        if !parts.next()?.starts_with("HTTP/") {
            return None;
        }
        let status: u16 = parts.next()?.trim().parse().ok()?;
        let reason = user_text(parts.next().unwrap_or("").trim()).to_string();
        let mut answer = ProxyAnswer {
            status,
            reason,
            ..ProxyAnswer::default()
        };
        let mut content_type = String::new();
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "proxy-authenticate" => answer.authenticate.extend(auth_schemes(value)),
                "x-squid-error" => answer.proxy_error = Some(user_text(value).to_string()),
                "content-type" => content_type = value.to_ascii_lowercase(),
                _ => {}
            }
        }
        answer.body_line = explaining_line(body, content_type.contains("html"));
        Some(answer.without_echo())
    }

    /// Drops a body line that only repeats the status (`502 Bad Gateway`): it explains
    /// nothing.
    fn without_echo(mut self) -> ProxyAnswer {
        let echoes = self.body_line.as_deref().is_some_and(|l| {
            let l = l.trim_end_matches('.');
            [
                self.reason.clone(),
                format!("{} {}", self.status, self.reason),
                self.status_text(),
            ]
            .iter()
            .any(|e| l.eq_ignore_ascii_case(e))
        });
        if echoes {
            self.body_line = None;
        }
        self
    }

    /// An error response as a proxy's answer, read from its head and body start. Whose it
    /// is decides [`ProxyAnswer::is_the_proxys`].
    pub fn from_response(
        status: u16,
        reason: &str,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> ProxyAnswer {
        let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
        let content_type = header("content-type").unwrap_or("").to_ascii_lowercase();
        let marked = header("x-squid-error").is_some()
            || header("proxy-status").is_some_and(|v| v.to_ascii_lowercase().contains("error="));
        ProxyAnswer {
            status,
            reason: reason.to_string(),
            authenticate: headers
                .get_all("proxy-authenticate")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(auth_schemes)
                .collect(),
            body_line: explaining_line(body, content_type.contains("html")),
            // squid names its own errors; RFC 9209's `Proxy-Status: name; error=...` is the
            // standard form, kept as the error name.
            proxy_error: header("x-squid-error")
                .or(marked.then(|| header("proxy-status")).flatten())
                .map(|v| user_text(v).to_string()),
        }
        .without_echo()
    }

    /// Whether a response (not a CONNECT answer) is the proxy's own: marked as a proxy error
    /// by its headers (squid's `X-Squid-Error`, RFC 9209 `Proxy-Status` with an error), or,
    /// from an intercepting proxy no setting names, a 502/503/504 whose body reports a TLS
    /// verdict on the server's certificate (see the module comment).
    pub fn is_the_proxys(&self) -> bool {
        self.proxy_error.is_some() || (self.is_upstream_failure() && self.reports_tls_verdict())
    }
}

/// The scheme names in one `Proxy-Authenticate` value. A value may hold several challenges
/// (`Basic realm="x", NTLM`); a scheme is a token that is not a `name=value` parameter.
fn auth_schemes(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut tokens = Vec::new();
    let mut cur = String::new();
    for c in value.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                cur.push(c);
            }
            ',' | ' ' if !in_quotes => {
                tokens.push(std::mem::take(&mut cur));
                if c == ',' {
                    tokens.push(",".to_string());
                }
            }
            _ => cur.push(c),
        }
    }
    tokens.push(cur);
    let mut expect_scheme = true;
    for t in tokens.into_iter().filter(|t| !t.is_empty()) {
        if t == "," {
            expect_scheme = true;
            continue;
        }
        if expect_scheme && !t.contains('=') {
            out.push(user_text(&t).to_string());
            expect_scheme = false;
        } else if !t.contains('=') && !t.starts_with('"') {
            // A token68 (Negotiate's blob) or a new scheme after parameters without a comma.
            expect_scheme = false;
        }
    }
    out
}

/// The line of a proxy's body that says what happened: plain text's first non-empty line;
/// in an HTML page (whose first text is a generic "ERROR" title), the first bold text of the
/// body, else its first paragraph. Whitespace collapsed, quoted for a terminal, cut to a message's length.
pub fn explaining_line(body: &[u8], html: bool) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let line = if html || text.trim_start().starts_with('<') {
        let body_part = match find_ci(&text, "<body") {
            Some(i) => &text[i..],
            None => &text[..],
        };
        ["<b>", "<strong>", "<p>", "<p "]
            .iter()
            .find_map(|tag| element_text(body_part, tag))
            .or_else(|| {
                strip_tags(body_part)
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_string)
            })?
    } else {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())?
            .to_string()
    };
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return None;
    }
    // Quoted and cut to a message's length: the body is the proxy's text, not ours.
    Some(user_text(&line).to_string())
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// The text of the first element opened by `open` (`<b>`) with some text in it.
fn element_text(html: &str, open: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(open) {
        let start = from + i;
        let content_start = start + lower[start..].find('>')? + 1;
        let name = open.trim_start_matches('<').trim_end_matches(['>', ' ']);
        let close = format!("</{name}");
        let end = lower[content_start..]
            .find(&close)
            .map_or(lower.len(), |e| content_start + e);
        let t = strip_tags(&html[content_start..end]);
        let t = t.trim();
        if !t.is_empty() {
            return Some(t.to_string());
        }
        from = end;
    }
    None
}

/// Tags removed, the common entities decoded.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// One diagnostic CONNECT to `host:port` through `proxy` (credentials as reqwest sends them:
/// Basic), read back within `timeout`. `None` when the proxy cannot be reached or does not
/// answer HTTP. Only http:// proxies: an https:// proxy would need its own TLS session.
pub fn ask(proxy: &ProxyEndpoint, host: &str, port: u16, timeout: Duration) -> Option<ProxyAnswer> {
    if proxy.scheme != "http" {
        return None;
    }
    let mut s = super::inspect::connect(&proxy.host, proxy.port, None, timeout).ok()?;
    let target = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut req = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(user) = &proxy.username {
        let creds = format!("{user}:{}", proxy.password.as_deref().unwrap_or(""));
        let b64 = base64::engine::general_purpose::STANDARD.encode(creds);
        req.push_str(&format!("Proxy-Authorization: Basic {b64}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).ok()?;
    // A tunnel that opens now says nothing about the failure before it; it is dropped unused.
    read_answer(&mut s).filter(|a| a.status != 200)
}

/// Reads a head and (unless the status is 200: an open tunnel carries nothing here) up to
/// [`BODY_LIMIT`] bytes of body, bounded by Content-Length, the connection's end or the
/// socket's read timeout.
fn read_answer(s: &mut impl Read) -> Option<ProxyAnswer> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > HEAD_LIMIT {
            return None;
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut body = buf[head_end + 4..].to_vec();
    let content_length = head.split("\r\n").find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())
            .flatten()
    });
    let is_200 = head.split_whitespace().nth(1) == Some("200");
    let want = content_length.unwrap_or(BODY_LIMIT).min(BODY_LIMIT);
    while !is_200 && body.len() < want {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(want);
    ProxyAnswer::parse(&head, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUID_503: &str = "<!DOCTYPE html>\n<html><head><title>ERROR: The requested URL could not be retrieved</title><style>p {}</style></head><body id=ERR_CONNECT_FAIL>\n<div id=\"titles\"><h1>ERROR</h1><h2>The requested URL could not be retrieved</h2></div>\n<p>The following error was encountered while trying to retrieve the URL: <a href=\"localhost:1\">localhost:1</a></p>\n<blockquote id=\"error\"><p><b>Connection to 127.0.0.1\n failed.</b></p></blockquote>\n</body></html>";

    #[test]
    fn parses_status_schemes_and_the_explaining_line() {
        let head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html;charset=utf-8\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\nProxy-Authenticate: Basic realm=\"corp, inc\", NTLM\r\nproxy-authenticate: Negotiate";
        let a = ProxyAnswer::parse(head, SQUID_503.as_bytes()).unwrap();
        assert_eq!(a.status, 503);
        assert_eq!(a.status_text(), "HTTP 503 Service Unavailable");
        assert_eq!(a.authenticate, ["Basic", "NTLM", "Negotiate"]);
        assert_eq!(
            a.body_line.as_deref(),
            Some("Connection to 127.0.0.1 failed.")
        );
        assert_eq!(a.proxy_error.as_deref(), Some("ERR_CONNECT_FAIL 111"));
        assert!(a.is_upstream_failure() && !a.reports_tls_verdict());
        assert_eq!(ProxyAnswer::parse("garbage", b""), None);
        let echo = ProxyAnswer::parse("HTTP/1.1 502 Bad Gateway", b"502 Bad Gateway\n").unwrap();
        assert_eq!(echo.body_line, None);
        assert_eq!(ProxyAnswer::parse("HTTP/1.1 abc x", b""), None);
    }

    #[test]
    fn plain_text_first_line_and_tls_verdicts() {
        let a = ProxyAnswer::parse(
            "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain",
            b"\n  Certificate verify failed: certificate has expired\nmore\n",
        )
        .unwrap();
        assert_eq!(
            a.body_line.as_deref(),
            Some("Certificate verify failed: certificate has expired")
        );
        assert!(a.reports_tls_verdict());
        let squid = ProxyAnswer {
            status: 503,
            proxy_error: Some("ERR_SECURE_CONNECT_FAIL 0".into()),
            ..ProxyAnswer::default()
        };
        assert!(squid.reports_tls_verdict());
        let plain = ProxyAnswer {
            status: 502,
            body_line: Some("upstream connect error".into()),
            ..ProxyAnswer::default()
        };
        assert!(!plain.reports_tls_verdict());
    }

    #[test]
    fn hostile_and_long_bodies_are_tamed() {
        let long = "x".repeat(500);
        let l = explaining_line(long.as_bytes(), false).unwrap();
        assert_eq!(l.chars().count(), pyv_core::quote::MAX_CHARS + 1);
        let esc = explaining_line(b"bad \x1b[31mred\x07", false).unwrap();
        assert!(!esc.contains('\x1b') && !esc.contains('\x07'), "{esc}");
        assert_eq!(explaining_line(b"   \n\n", false), None);
        assert_eq!(explaining_line(b"<html><body></body></html>", true), None);
    }

    #[test]
    fn reads_a_bounded_answer() {
        let wire =
            b"HTTP/1.1 403 Forbidden\r\nContent-Length: 14\r\n\r\nAccess Denied.trailing junk";
        let a = read_answer(&mut &wire[..]).unwrap();
        assert_eq!(
            (a.status, a.body_line.as_deref()),
            (403, Some("Access Denied."))
        );
        assert_eq!(read_answer(&mut &b"HTTP/1.1 200 OK\r\n"[..]), None);
    }
}
