//! The proxy list of Windows' settings: Internet Options' `ProxyServer`, `netsh winhttp`'s
//! proxy and the answer of a PAC script as WinHTTP reports it. One grammar for all three,
//! as Microsoft documents it for `WINHTTP_PROXY_INFO.lpszProxy`: entries separated by `;`
//! or white space, each `[<scheme>=][<scheme>://]<server>[:<port>]`. An entry without
//! `<scheme>=` serves every protocol that has no entry of its own (`proxy:8080` alone is
//! "use the same proxy server for all protocols"); with per-protocol entries, a protocol
//! that has none goes direct, as Internet Options does. A script's own words are understood
//! too, should a resolver pass them on unconverted: `PROXY p:8080` is `p:8080`, `SOCKS s:1080`
//! is an unusable SOCKS entry, and `DIRECT` ends the list (a direct connection if it comes
//! first; there is no failover to what follows).

use crate::proxy::ProxyEndpoint;

/// A parsed proxy list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyList {
    /// The first entry without `<scheme>=`.
    pub all: Option<ProxyEndpoint>,
    /// `http=`: requests to http:// URLs.
    pub http: Option<ProxyEndpoint>,
    /// `https=` (Internet Options calls it "Secure"): requests to https:// URLs.
    pub https: Option<ProxyEndpoint>,
    /// `socks=`, as written: pyv cannot speak SOCKS (neither can WinHTTP), so it is only
    /// reported.
    pub socks: Option<String>,
    /// Entries that serve nothing pyv fetches or cannot be used, each with the reason, for
    /// `pyv doctor` (`ftp=` is one of them).
    pub ignored: Vec<String>,
}

impl ProxyList {
    pub fn parse(value: &str) -> ProxyList {
        let mut list = ProxyList::default();
        let mut entries: Vec<String> = Vec::new();
        for segment in value.split(';') {
            let words: Vec<&str> = segment.split_whitespace().collect();
            let keyword = words.first().map(|w| w.to_ascii_uppercase());
            match (keyword.as_deref(), words.len()) {
                (None, _) => {}
                (Some("DIRECT"), 1) => break,
                (Some("PROXY" | "HTTP"), 2) => entries.push(words[1].to_string()),
                (Some("SOCKS" | "SOCKS4" | "SOCKS5"), 2) => {
                    entries.push(format!("socks={}", words[1]))
                }
                _ => entries.extend(words.iter().map(|w| w.to_string())),
            }
        }
        for entry in entries.iter().map(String::as_str) {
            // `http=http://p:80`: the `=` before any `://` names the protocol served.
            let keyed = entry
                .split_once('=')
                .filter(|(k, _)| !k.contains("://") && !k.contains(':'));
            let (key, server) = match keyed {
                Some((k, v)) => (Some(k.to_ascii_lowercase()), v),
                None => (None, entry),
            };
            let slot = match key.as_deref() {
                None => &mut list.all,
                Some("http") => &mut list.http,
                Some("https") => &mut list.https,
                Some("socks") => {
                    if list.socks.is_none() {
                        list.socks = Some(server.to_string());
                    }
                    list.ignored.push(format!(
                        "{entry} (pyv cannot use SOCKS proxies; set HTTPS_PROXY to an HTTP proxy)"
                    ));
                    continue;
                }
                Some(other) => {
                    list.ignored
                        .push(format!("{entry} (pyv downloads nothing over {other})"));
                    continue;
                }
            };
            if server.is_empty() {
                list.ignored.push(format!("{entry} (no server)"));
                continue;
            }
            match ProxyEndpoint::parse(server) {
                // The first entry for a protocol wins; WinHTTP has no failover to a second.
                Ok(p) if slot.is_none() => *slot = Some(p),
                Ok(_) => list
                    .ignored
                    .push(format!("{entry} (a second entry for the same protocol)")),
                Err(reason) => list.ignored.push(format!("{entry} ({reason})")),
            }
        }
        list
    }

    /// The proxy for a URL of `scheme` (`http` or `https`); `None`: connect directly.
    pub fn for_scheme(&self, scheme: &str) -> Option<&ProxyEndpoint> {
        let own = match scheme {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => return None,
        };
        own.or(self.all.as_ref())
    }

    /// Whether the list names any proxy pyv can use.
    pub fn is_empty(&self) -> bool {
        self.all.is_none() && self.http.is_none() && self.https.is_none()
    }
}
