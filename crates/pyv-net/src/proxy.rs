//! Proxy settings from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (either case), with
//! `user:password@` credentials percent-decoded. pyv decides which proxy applies itself
//! (instead of letting reqwest read the process environment) so that the environment can be
//! injected in tests and the same decision serves the client, the diagnosis and the doctor.

use crate::error::NetError;
use percent_encoding::percent_decode_str;
use pyv_core::Env;
use std::net::IpAddr;

/// One proxy: where it is and the credentials to send (never shown in messages).
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyEndpoint {
    /// `http` or `https` (how to talk to the proxy itself).
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for ProxyEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Credentials stay out of logs and panics.
        f.debug_struct("ProxyEndpoint")
            .field("url", &self.url())
            .field("has_credentials", &self.username.is_some())
            .finish()
    }
}

impl ProxyEndpoint {
    /// Parses `http://user:pa%40ss@proxy:8080`, `proxy:8080` (http assumed) or
    /// `https://proxy`. SOCKS is refused: this build has no SOCKS support.
    pub fn parse(value: &str) -> Result<ProxyEndpoint, String> {
        let value = value.trim();
        let with_scheme = if value.contains("://") {
            value.to_string()
        } else {
            format!("http://{value}")
        };
        if let Some(c) = unencoded_in_credentials(&with_scheme) {
            return Err(format!(
                "the user name or password holds an unencoded '{c}', which ends the address part of a URL; percent-encode it (@ as %40, : as %3A, / as %2F, # as %23, ? as %3F, % as %25)"
            ));
        }
        let url = url::Url::parse(&with_scheme).map_err(|e| e.to_string())?;
        let scheme = url.scheme().to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(format!(
                "the '{scheme}' proxy scheme is not supported (use an http:// proxy)"
            ));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("no host name")?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = url
            .port()
            .unwrap_or(if scheme == "https" { 443 } else { 80 });
        let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
        let username = Some(url.username()).filter(|u| !u.is_empty()).map(decode);
        let password = url.password().map(decode);
        Ok(ProxyEndpoint {
            scheme,
            host,
            port,
            username,
            password,
        })
    }

    /// The proxy URL without credentials, for messages and for reqwest.
    pub fn url(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("{}://{}:{}", self.scheme, host, self.port)
    }
}

/// The character that cut the credentials short in `scheme://user:password@host`: a '/',
/// '?' or '#' with an '@' after it. A proxy address has no path, query or fragment, so such an
/// '@' can only end credentials the URL parser has already split wrongly (it would report an
/// "invalid port number", or take part of the password for the host).
fn unencoded_in_credentials(value: &str) -> Option<char> {
    let rest = &value[value.find("://")? + 3..];
    let cut = rest.find(['/', '?', '#'])?;
    rest[cut..]
        .contains('@')
        .then(|| rest[cut..].chars().next())
        .flatten()
}

/// `NO_PROXY`: comma- or space-separated host names, `.domain` / `*.domain` suffixes, IP
/// addresses, CIDR blocks, or `*` for everything. Ports in entries are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoProxy {
    all: bool,
    domains: Vec<String>,
    nets: Vec<(IpAddr, u8)>,
}

impl NoProxy {
    pub fn parse(value: &str) -> NoProxy {
        let mut np = NoProxy::default();
        for raw in value
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if raw == "*" {
                np.all = true;
                continue;
            }
            let (addr, bits) = match raw.split_once('/') {
                Some((a, b)) => (a, b.parse::<u8>().ok()),
                None => (raw, None),
            };
            let bare = addr.trim_start_matches('[').trim_end_matches(']');
            if let Ok(ip) = bare.parse::<IpAddr>() {
                let max = if ip.is_ipv4() { 32 } else { 128 };
                np.nets.push((ip, bits.unwrap_or(max).min(max)));
                continue;
            }
            // Drop a port (`host:8080`) and the wildcard forms of a suffix.
            let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
            let host = host.trim_start_matches("*.").trim_start_matches('.');
            if !host.is_empty() {
                np.domains.push(host.to_ascii_lowercase());
            }
        }
        np
    }

    /// Whether a request to `host` must bypass the proxy.
    pub fn matches(&self, host: &str) -> bool {
        if self.all {
            return true;
        }
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if let Ok(ip) = host.parse::<IpAddr>() {
            return self.nets.iter().any(|(net, bits)| in_net(ip, *net, *bits));
        }
        self.domains
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
    }
}

fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let (a, b, width): (u128, u128, u8) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a).into(), u32::from(b).into(), 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (a.into(), b.into(), 128),
        _ => return false,
    };
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (a >> shift) == (b >> shift)
}

/// The proxies that apply, per URL scheme.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    pub http: Option<ProxyEndpoint>,
    pub https: Option<ProxyEndpoint>,
    /// The variables `http` and `https` came from, as spelled in the environment.
    pub http_var: Option<String>,
    pub https_var: Option<String>,
    pub no_proxy: NoProxy,
}

impl ProxyConfig {
    /// Reads the variables from `env`, lower case first (curl's convention), then upper case.
    /// ALL_PROXY fills in whichever of the two is missing. Upper-case HTTP_PROXY is ignored
    /// under CGI (REQUEST_METHOD set), where a client's `Proxy:` header could inject it.
    pub fn from_env(env: &dyn Env) -> Result<ProxyConfig, NetError> {
        let pick = |names: &[&str]| -> Result<Option<(String, ProxyEndpoint)>, NetError> {
            for name in names {
                if let Some((name, v)) = env.non_empty_entry(name) {
                    let found = name.clone();
                    return ProxyEndpoint::parse(&v)
                        .map(|p| Some((found, p)))
                        .map_err(|reason| NetError::ProxyUrl {
                            var: name,
                            value: redact(&v),
                            reason,
                        });
                }
            }
            Ok(None)
        };
        let cgi = env.non_empty("REQUEST_METHOD").is_some();
        let http_names: &[&str] = if cgi {
            &["http_proxy"]
        } else {
            &["http_proxy", "HTTP_PROXY"]
        };
        let all = pick(&["all_proxy", "ALL_PROXY"])?;
        let (http_var, http) = pick(http_names)?.or_else(|| all.clone()).unzip();
        let (https_var, https) = pick(&["https_proxy", "HTTPS_PROXY"])?.or(all).unzip();
        let no_proxy = NoProxy::parse(
            &env.non_empty("no_proxy")
                .or_else(|| env.non_empty("NO_PROXY"))
                .unwrap_or_default(),
        );
        Ok(ProxyConfig {
            http,
            https,
            http_var,
            https_var,
            no_proxy,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// The proxy to use for `url`, or `None` for a direct connection.
    pub fn for_url(&self, url: &url::Url) -> Option<&ProxyEndpoint> {
        let host = url.host_str()?;
        if self.no_proxy.matches(host) {
            return None;
        }
        match url.scheme() {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => None,
        }
    }
}

/// A proxy value with its password replaced, for error messages.
pub fn redact(value: &str) -> String {
    match (value.find("://"), value.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &value[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &value[..s + 3], &value[at..])
        }
        (None, Some(at)) => {
            let user = value[..at].split(':').next().unwrap_or("");
            format!("{user}:***{}", &value[at..])
        }
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyv_core::MemoryEnv;

    #[test]
    fn parses_credentials_percent_decoded() {
        let p = ProxyEndpoint::parse("http://DOMAIN%5Cjane:p%40ss%3Aword@proxy.corp:3128").unwrap();
        assert_eq!(p.host, "proxy.corp");
        assert_eq!(p.port, 3128);
        assert_eq!(p.username.as_deref(), Some("DOMAIN\\jane"));
        assert_eq!(p.password.as_deref(), Some("p@ss:word"));
        assert_eq!(p.url(), "http://proxy.corp:3128");
        assert!(
            !format!("{p:?}").contains("word"),
            "Debug must not show the password"
        );
    }

    #[test]
    fn unencoded_characters_in_the_password_are_explained() {
        for (value, c) in [
            ("http://jane:p#ss@proxy:3128", '#'),
            ("http://jane:p/ss@proxy:3128", '/'),
            ("jane:p@s?s@proxy:3128", '?'),
        ] {
            let e = ProxyEndpoint::parse(value).unwrap_err();
            assert_eq!(e, format!("the user name or password holds an unencoded '{c}', which ends the address part of a URL; percent-encode it (@ as %40, : as %3A, / as %2F, # as %23, ? as %3F, % as %25)"));
        }
        // An '@' alone is unambiguous: the last one ends the credentials, as in browsers.
        let p = ProxyEndpoint::parse("http://jane:p@ss@proxy:3128").unwrap();
        assert_eq!(
            (p.password.as_deref(), p.host.as_str()),
            (Some("p@ss"), "proxy")
        );
        assert!(ProxyEndpoint::parse("http://proxy:3128/").is_ok());
    }

    #[test]
    fn parses_bare_host_port_and_defaults() {
        let p = ProxyEndpoint::parse("10.0.0.1:8080").unwrap();
        assert_eq!(
            (p.scheme.as_str(), p.host.as_str(), p.port),
            ("http", "10.0.0.1", 8080)
        );
        assert_eq!(p.username, None);
        let p = ProxyEndpoint::parse("https://proxy").unwrap();
        assert_eq!(p.port, 443);
        let p = ProxyEndpoint::parse("http://user@proxy:1").unwrap();
        assert_eq!(
            (p.username.as_deref(), p.password.as_deref()),
            (Some("user"), None)
        );
        assert!(ProxyEndpoint::parse("socks5://proxy:1080")
            .unwrap_err()
            .contains("socks5"));
        assert!(ProxyEndpoint::parse("http://").is_err());
    }

    #[test]
    fn env_either_case_and_all_proxy_fallback() {
        let env = MemoryEnv::from_pairs([
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:2"),
            ("ALL_PROXY", "http://all:3"),
            ("NO_PROXY", "localhost,.corp.example,10.0.0.0/8"),
        ]);
        let c = ProxyConfig::from_env(&env).unwrap();
        assert_eq!(c.https.as_ref().unwrap().host, "lower");
        assert_eq!(c.http.as_ref().unwrap().host, "all");
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert!(c.for_url(&u("https://www.python.org/ftp/")).is_some());
        assert!(c.for_url(&u("https://localhost:8443/x")).is_none());
        assert!(c.for_url(&u("https://a.corp.example/x")).is_none());
        assert!(c.for_url(&u("https://corp.example/x")).is_none());
        assert!(c.for_url(&u("https://notcorp.example/x")).is_some());
        assert!(c.for_url(&u("https://10.1.2.3/x")).is_none());
        assert!(c.for_url(&u("https://11.1.2.3/x")).is_some());
        assert!(c.for_url(&u("file:///tmp/x")).is_none());
    }

    // Windows variable names are case-insensitive: there is no separate upper-case variable.
    #[cfg(not(windows))]
    #[test]
    fn cgi_ignores_upper_case_http_proxy() {
        let env =
            MemoryEnv::from_pairs([("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")]);
        assert!(ProxyConfig::from_env(&env).unwrap().http.is_none());
    }

    #[test]
    fn bad_proxy_url_names_the_variable_without_the_password() {
        let env = MemoryEnv::from_pairs([("HTTPS_PROXY", "socks5://u:secret@h:1")]);
        let e = ProxyConfig::from_env(&env).unwrap_err().to_string();
        assert!(e.contains("HTTPS_PROXY"), "{e}");
        assert!(!e.contains("secret"), "{e}");
    }

    #[test]
    fn no_proxy_forms() {
        let np = NoProxy::parse("*.example.com, host:8080 ::1 [fe80::1]");
        assert!(np.matches("a.example.com") && np.matches("example.com"));
        assert!(np.matches("host") && np.matches("HOST."));
        assert!(np.matches("::1") && np.matches("[fe80::1]"));
        assert!(!np.matches("example.org"));
        assert!(NoProxy::parse("*").matches("anything"));
        assert!(!NoProxy::parse("").matches("anything"));
    }
}
