//! Internet Options' "Do not use proxy server for addresses beginning with" list
//! (`ProxyOverride`, WinHTTP's `lpszProxyBypass`), matched as WinINet and WinHTTP match it:
//!
//! - entries separated by `;` (white space and `,` are accepted too);
//! - `*` matches any run of characters, anywhere (`*.corp.example`, `10.*`, `*intranet*`);
//!   an entry without `*` matches that host name exactly (`corp.example` does not cover
//!   `www.corp.example`), case-insensitively; an entry may carry a scheme (`https://h`) or a
//!   port (`h:8443`), and then matches only URLs with that scheme or port;
//! - `<local>` ("Bypass proxy server for local addresses") matches host names without a
//!   period (`intranet`, not `intranet.corp` nor an IP address);
//! - loopback (`localhost`, `*.localhost`, `127.*`, `::1`) is always direct, as Windows does
//!   since Windows 8, unless the list holds `<-loopback>`.
//!
//! Host names are matched as written in the URL, never resolved.

use std::net::IpAddr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BypassList {
    /// `<local>` is in the list.
    pub local: bool,
    /// `<-loopback>` is in the list: loopback goes through the proxy like any host.
    pub proxy_loopback: bool,
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Pattern {
    scheme: Option<String>,
    /// Lower case, `*` as the wildcard, IPv6 without brackets.
    host: String,
    port: Option<u16>,
}

impl BypassList {
    pub fn parse(value: &str) -> BypassList {
        let mut list = BypassList::default();
        for entry in value
            .split(|c: char| c == ';' || c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
        {
            match entry.to_ascii_lowercase().as_str() {
                "<local>" => list.local = true,
                "<-loopback>" => list.proxy_loopback = true,
                e => list.patterns.push(Pattern::parse(e)),
            }
        }
        list
    }

    /// Whether `url` must bypass the proxy.
    pub fn bypasses(&self, url: &url::Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let ip = host.parse::<IpAddr>().ok();
        if !self.proxy_loopback && is_loopback(&host, ip) {
            return true;
        }
        if self.local && ip.is_none() && !host.contains('.') {
            return true;
        }
        let port = url.port_or_known_default();
        self.patterns.iter().any(|p| {
            p.scheme.as_deref().is_none_or(|s| s == url.scheme())
                && p.port.is_none_or(|want| Some(want) == port)
                && glob(&p.host, &host)
        })
    }
}

impl Pattern {
    /// `entry` is lower case already.
    fn parse(entry: &str) -> Pattern {
        let (scheme, rest) = match entry.split_once("://") {
            Some((s, r)) => (Some(s.to_string()), r),
            None => (None, entry),
        };
        let rest = rest.trim_end_matches('/');
        // `[::1]:8080`, `[::1]`, `::1` (a bare IPv6 address has no port), `host:8080`.
        let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
            match inner.split_once(']') {
                Some((h, tail)) => (h, tail.strip_prefix(':').and_then(|p| p.parse().ok())),
                None => (inner, None),
            }
        } else if rest.matches(':').count() == 1 {
            match rest.split_once(':') {
                Some((h, p)) => match p.parse::<u16>() {
                    Ok(port) => (h, Some(port)),
                    Err(_) => (rest, None),
                },
                None => (rest, None),
            }
        } else {
            (rest, None)
        };
        Pattern {
            scheme,
            host: host.trim_end_matches('.').to_string(),
            port,
        }
    }
}

fn is_loopback(host: &str, ip: Option<IpAddr>) -> bool {
    match ip {
        Some(ip) => ip.is_loopback(),
        None => host == "localhost" || host.ends_with(".localhost"),
    }
}

/// `*` matches any run of characters (also none); everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if text.len() < first.len() + last.len() || !text.starts_with(first) || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}
