//! What a diagnosis says. One table ([`text`]) gives, per category, what happened (naming the
//! host and the certificate facts) next to the fix, so a category's wording is changed here
//! and only here; the short labels are next to it. The verbose form adds every fact and the
//! raw error chain.

use super::certinfo::fmt_utc;
use super::{Category, Diagnosis};
use crate::proxy_auth::AuthFailure;
use std::fmt;

impl Category {
    /// Short label, the first words of every message.
    pub fn label(self) -> &'static str {
        match self {
            Category::UntrustedRoot => "untrusted certificate",
            Category::IncompleteChain => "incomplete certificate chain",
            Category::Expired => "expired certificate",
            Category::NotYetValid => "certificate not yet valid",
            Category::HostMismatch => "certificate host name mismatch",
            Category::Revoked => "revoked certificate",
            Category::RevocationUnavailable => "certificate revocation check failed",
            Category::BadCertificate => "invalid certificate",
            Category::Protocol => "TLS protocol mismatch",
            Category::NotTls => "not a TLS server",
            Category::TlsOther => "TLS handshake failed",
            Category::Dns => "host name not found",
            Category::Refused => "connection refused",
            Category::Timeout => "timed out",
            Category::ConnectionLost => "connection lost",
            Category::ProxyAuth => "proxy authentication required",
            Category::Proxy => "proxy error",
            Category::RedirectLoop => "too many redirects",
            Category::HeadersTooLarge => "response headers too large",
            Category::NotFound => "not found on the mirror",
            Category::HttpStatus => "HTTP error",
            Category::Other => "network error",
        }
    }
}

/// Redirects reqwest's default policy follows before giving up.
const REDIRECT_LIMIT: u32 = 10;

/// What happened (without label and URL) and the next step.
struct Text {
    what: String,
    fix: String,
}

/// The table. `windows` picks the Windows wording of fixes (a parameter so both texts are
/// tested everywhere).
fn text(d: &Diagnosis, windows: bool) -> Text {
    let prog = pyv_core::prog::name();
    let store = if windows {
        "the Windows certificate store (certmgr.msc > Trusted Root Certification Authorities)"
    } else {
        "the system CA store"
    };
    let mirror = "or use another mirror (PYTHON_BUILD_MIRROR_URL)";
    let host = d.facts.host.as_deref().unwrap_or("the server");
    let f = &d.facts;
    let leaf = f.peer_chain.first();
    let (what, fix) = match d.category {
        Category::UntrustedRoot => (
            match leaf {
                Some(l) if l.self_issued => format!(
                    "the certificate of {host} is self-signed ({}) and not trusted by this computer",
                    l.subject
                ),
                _ => match f.peer_chain.last() {
                    Some(top) => format!(
                        "the certificate of {host} was issued by '{}', which this computer does not trust",
                        top.issuer
                    ),
                    None => format!("the certificate of {host} does not lead to a root this computer trusts"),
                },
            },
            format!(
                "if your company's proxy or antivirus inspects HTTPS, get its root certificate from IT and add it to {store}, or pass --cacert FILE or set SSL_CERT_FILE (verification stays on)"
            ),
        ),
        Category::IncompleteChain => (
            match leaf {
                Some(l) => format!(
                    "{host} sent its certificate without the intermediate certificate of '{}' that links it to a trusted root",
                    l.issuer
                ),
                None => format!("{host} did not send the intermediate certificate(s) linking its certificate to a trusted root"),
            },
            format!(
                "the server is misconfigured: ask its operator to send the full chain, {mirror}, or add the missing intermediate certificate with --cacert FILE"
            ),
        ),
        Category::Expired => (
            match leaf {
                Some(l) => format!(
                    "the certificate of {host} expired on {}; this computer's clock says {}",
                    fmt_utc(l.not_after),
                    fmt_utc(f.now)
                ),
                None => format!(
                    "the certificate of {host} has expired (or is not valid yet); this computer's clock says {}",
                    fmt_utc(f.now)
                ),
            },
            format!(
                "if the clock above is wrong, correct this computer's date and time; otherwise the server (or an HTTPS-inspecting proxy) must renew its certificate, {mirror}"
            ),
        ),
        Category::NotYetValid => (
            match leaf {
                Some(l) => format!(
                    "the certificate of {host} is valid only from {}; this computer's clock says {}",
                    fmt_utc(l.not_before),
                    fmt_utc(f.now)
                ),
                None => format!(
                    "the certificate of {host} is not valid yet; this computer's clock says {}",
                    fmt_utc(f.now)
                ),
            },
            "set this computer's date and time correctly (the clock is probably behind)".to_string(),
        ),
        Category::HostMismatch => (
            match leaf {
                Some(l) => format!(
                    "the certificate names {}, not '{host}'",
                    l.names.join(", ")
                ),
                None => format!("the certificate does not name '{host}'"),
            },
            format!(
                "check the host in the URL for a typo; a proxy presenting its own certificate also causes this, {mirror}"
            ),
        ),
        Category::Revoked => (
            format!("the certificate of {host} has been revoked by its issuer"),
            format!("do not use this server; {mirror}"),
        ),
        Category::RevocationUnavailable => (
            format!(
                "could not check whether the certificate of {host} was revoked (its revocation list or OCSP server is unreachable)"
            ),
            format!(
                "allow this computer to reach the certificate's revocation list (CRL/OCSP URLs) through the firewall or proxy, then retry, {mirror}"
            ),
        ),
        Category::BadCertificate => (
            format!("the certificate of {host} is unusable"),
            format!("the server's certificate is defective; {mirror}"),
        ),
        Category::Protocol => match &f.server_version {
            Some(v) if is_old_tls(v) => (
                format!("{host} only speaks {v}, and pyv requires TLS 1.2 or newer"),
                format!(
                    "old TLS versions are insecure and stay disabled; {mirror} that supports TLS 1.2"
                ),
            ),
            _ => (
                format!(
                    "this computer and {host} share no TLS version or cipher (pyv offers TLS 1.2 and 1.3)"
                ),
                if windows {
                    format!(
                        "enable TLS 1.2 for Windows: run '{prog} doctor --fix-tls', or set DWORD Enabled=1 and DisabledByDefault=0 under HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client and DefaultSecureProtocols=0xA80 under HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp (Windows 7: install KB3140245), then retry"
                    )
                } else {
                    format!(
                        "run '{prog} doctor' to see which TLS versions the server accepts, {mirror}"
                    )
                },
            ),
        },
        Category::NotTls => (
            format!(
                "{host}:{} answered with something that is not TLS (plain HTTP on an https:// URL?)",
                f.port.unwrap_or(443)
            ),
            format!(
                "check the port and scheme in the URL; if a proxy is required set HTTPS_PROXY, {mirror}"
            ),
        ),
        Category::TlsOther => (
            format!("the TLS handshake with {host} failed"),
            format!(
                "run again with --verbose for the TLS library's message and '{prog} doctor' to test TLS"
            ),
        ),
        Category::Dns => (
            format!("cannot resolve the host name '{host}'"),
            "check the host name and this computer's network/DNS; behind a company proxy set HTTPS_PROXY=http://proxy:port".to_string(),
        ),
        Category::Refused => (
            format!("nothing is listening at {host}:{}", f.port.unwrap_or(0)),
            "check the host and port in the URL (or the proxy address in HTTPS_PROXY)".to_string(),
        ),
        Category::Timeout => (
            match f.timeout_secs {
                Some(s) => format!("no answer from {host} within {s} s"),
                None => format!("no answer from {host} in time"),
            },
            "check the network and proxy settings (HTTPS_PROXY), then retry; a slow link may need a longer timeout".to_string(),
        ),
        Category::ConnectionLost => (
            format!("the connection to {host} broke during the transfer"),
            "run the command again: the download resumes where it stopped".to_string(),
        ),
        Category::ProxyAuth => proxy_auth_text(d, prog),
        Category::Proxy => (
            format!(
                "the proxy {} could not connect to {host}",
                f.proxy.as_deref().unwrap_or("in use")
            ),
            "check HTTPS_PROXY, HTTP_PROXY and NO_PROXY".to_string(),
        ),
        Category::RedirectLoop => (
            format!(
                "{host} kept redirecting the request (a redirect loop, or more than {REDIRECT_LIMIT} redirects)"
            ),
            format!("the server or a proxy in between is misconfigured; check the URL, {mirror}"),
        ),
        Category::HeadersTooLarge => (
            format!("{host} answered with response headers too large to accept"),
            format!(
                "the server or a proxy in between is misbehaving; retry later {mirror}"
            ),
        ),
        Category::NotFound => (
            match f.status {
                Some(s) => format!("HTTP {s}, the version or file is not on the mirror"),
                None => "the version or file is not on the mirror".to_string(),
            },
            format!(
                "check the version with '{prog} install --list' and the mirror URL (PYTHON_BUILD_MIRROR_URL)"
            ),
        ),
        Category::HttpStatus => (
            format!(
                "the server answered HTTP {}",
                f.status.map_or("error".to_string(), |s| s.to_string())
            ),
            match f.status {
                Some(s) if s >= 500 => format!("the server has a problem; retry later {mirror}"),
                Some(401 | 403) => format!("access was denied; check the URL, the proxy, {mirror}"),
                _ => format!("check the URL, {mirror}"),
            },
        ),
        // The library's own words stay in the verbose output.
        Category::Other => (
            format!("unexpected failure while talking to {host}"),
            format!(
                "run again with --verbose for details and '{prog} doctor' to test the network"
            ),
        ),
    };
    Text { what, fix }
}

/// The three ways a 407 stands (none given, refused, no scheme pyv can answer) and a
/// broken exchange, each with its own next step.
fn proxy_auth_text(d: &Diagnosis, prog: &str) -> (String, String) {
    let p = d.facts.proxy.as_deref().unwrap_or("in use");
    let var = if d.url.starts_with("http://") {
        "HTTP_PROXY"
    } else {
        "HTTPS_PROXY"
    };
    let encode = "percent-encode special characters, e.g. @ as %40";
    match &d.facts.proxy_auth {
        None | Some(AuthFailure::NoCredentials { .. }) => {
            let offers = match &d.facts.proxy_auth {
                Some(AuthFailure::NoCredentials { offered }) if !offered.is_empty() => {
                    format!("; it offers {}", offered.join(", "))
                }
                _ => String::new(),
            };
            (
                format!("the proxy {p} requires credentials (HTTP 407{offers}) and none were given"),
                format!("put them in the proxy URL: {var}=http://user:password@host:port ({encode})"),
            )
        }
        Some(AuthFailure::Refused { scheme, user, detail }) => (
            match (user, detail) {
                (Some(u), Some(w)) => format!("the credentials of '{u}' for the proxy {p} were refused ({scheme}; {w})"),
                (Some(u), None) => format!("the proxy {p} refused the credentials of '{u}' ({scheme}, HTTP 407)"),
                (None, _) => format!("the proxy {p} refused this computer's credentials ({scheme}, HTTP 407)"),
            },
            format!(
                "check the user name and password in {var} (a domain account is DOMAIN%5Cuser; {encode})"
            ),
        ),
        Some(AuthFailure::Unsupported { offered, why }) => (
            match (offered.is_empty(), why.is_empty()) {
                (true, _) => format!("the proxy {p} answered HTTP 407 without naming an authentication scheme"),
                (false, true) => format!(
                    "the proxy {p} asks for {} authentication, which {prog} cannot answer",
                    offered.join(", ")
                ),
                (false, false) => format!(
                    "the proxy {p} asks for {} authentication, which {prog} cannot answer here ({})",
                    offered.join(", "),
                    why.join("; ")
                ),
            },
            format!(
                "{prog} answers Basic, Digest, NTLM and Negotiate: ask IT for a proxy address that accepts one of them, or for this mirror to bypass the proxy (NO_PROXY)"
            ),
        ),
        Some(AuthFailure::Broken { scheme, reason }) => (
            format!("{scheme} authentication with the proxy {p} broke off: {reason}"),
            "run again with --verbose for details; if it persists ask IT whether the proxy also accepts Digest or Basic".to_string(),
        ),
    }
}

/// A server version the inspection handshake reported that pyv refuses to use.
fn is_old_tls(v: &str) -> bool {
    matches!(v, "TLSv1" | "TLSv1.1" | "SSLv3" | "TLS 1.0" | "TLS 1.1")
}

impl Diagnosis {
    /// What happened, naming the URL.
    pub fn summary(&self) -> String {
        let what = text(self, cfg!(windows)).what;
        format!("{}: {what} ({})", self.category.label(), self.url)
    }

    /// The next step for the user.
    pub fn fix(&self) -> String {
        text(self, cfg!(windows)).fix
    }

    /// The message, then every fact and the raw error chain.
    pub fn verbose(&self) -> String {
        let f = &self.facts;
        let mut out = format!("{self}\n  category: {:?}", self.category);
        if let Some(c) = &f.code {
            out.push_str(&format!("\n  code: {c}"));
        }
        if let Some(p) = &f.proxy {
            out.push_str(&format!("\n  proxy: {p}"));
        }
        if let Some(v) = &f.server_version {
            out.push_str(&format!("\n  server protocol (inspection): {v}"));
        }
        for (i, c) in f.peer_chain.iter().enumerate() {
            out.push_str(&format!(
                "\n  certificate #{i}: subject '{}', issuer '{}', names [{}], valid {} .. {}",
                c.subject,
                c.issuer,
                c.names.join(", "),
                fmt_utc(c.not_before),
                fmt_utc(c.not_after)
            ));
        }
        if !f.peer_chain.is_empty() && f.peer_chain_complete {
            out.push_str(&format!(
                "\n  the server sent {} certificate(s)",
                f.peer_chain.len()
            ));
        }
        out.push_str(&format!("\n  local clock: {}", fmt_utc(f.now)));
        for (i, c) in self.chain.iter().enumerate() {
            out.push_str(&format!("\n  error[{i}]: {c}"));
        }
        out
    }
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Text { what, fix } = text(self, cfg!(windows));
        write!(f, "{}: {what} ({}); {fix}", self.category.label(), self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::super::certinfo::CertInfo;
    use super::*;

    #[test]
    fn status_messages_are_one_line_and_name_the_url() {
        let d = Diagnosis::from_status(404, "https://m.example/python/9.9.9/x.exe");
        assert_eq!(d.category, Category::NotFound);
        let msg = d.to_string();
        assert!(
            msg.contains("not on the mirror")
                && msg.contains("https://m.example/python/9.9.9/x.exe"),
            "{msg}"
        );
        assert!(!msg.contains('\n'), "one line: {msg}");
        assert_eq!(msg, format!("{}; {}", d.summary(), d.fix()));
    }

    #[test]
    fn the_407_cases_each_say_what_to_do() {
        let with = |url: &str, f: Option<AuthFailure>| {
            let mut d = Diagnosis::from_status(407, url);
            d.facts.proxy = Some("http://proxy.corp:3128".into());
            d.facts.proxy_auth = f;
            d.to_string()
        };
        let u = "https://m.example/x.zip";
        assert_eq!(
            with(u, None),
            "proxy authentication required: the proxy http://proxy.corp:3128 requires credentials (HTTP 407) and none were given (https://m.example/x.zip); put them in the proxy URL: HTTPS_PROXY=http://user:password@host:port (percent-encode special characters, e.g. @ as %40)"
        );
        assert_eq!(
            with("http://m.example/x.zip", Some(AuthFailure::NoCredentials { offered: vec!["Negotiate".into(), "NTLM".into()] })),
            "proxy authentication required: the proxy http://proxy.corp:3128 requires credentials (HTTP 407; it offers Negotiate, NTLM) and none were given (http://m.example/x.zip); put them in the proxy URL: HTTP_PROXY=http://user:password@host:port (percent-encode special characters, e.g. @ as %40)"
        );
        assert_eq!(
            with(u, Some(AuthFailure::Refused { scheme: "NTLM".into(), user: Some("CORP\\jane".into()), detail: None })),
            "proxy authentication required: the proxy http://proxy.corp:3128 refused the credentials of 'CORP\\jane' (NTLM, HTTP 407) (https://m.example/x.zip); check the user name and password in HTTPS_PROXY (a domain account is DOMAIN%5Cuser; percent-encode special characters, e.g. @ as %40)"
        );
        assert_eq!(
            with(u, Some(AuthFailure::Unsupported { offered: vec!["Bearer".into()], why: vec![] })),
            "proxy authentication required: the proxy http://proxy.corp:3128 asks for Bearer authentication, which pyv cannot answer (https://m.example/x.zip); pyv answers Basic, Digest, NTLM and Negotiate: ask IT for a proxy address that accepts one of them, or for this mirror to bypass the proxy (NO_PROXY)"
        );
        assert_eq!(
            with(u, Some(AuthFailure::Unsupported { offered: vec!["Negotiate".into()], why: vec!["Negotiate: no Kerberos ticket".into()] })),
            "proxy authentication required: the proxy http://proxy.corp:3128 asks for Negotiate authentication, which pyv cannot answer here (Negotiate: no Kerberos ticket) (https://m.example/x.zip); pyv answers Basic, Digest, NTLM and Negotiate: ask IT for a proxy address that accepts one of them, or for this mirror to bypass the proxy (NO_PROXY)"
        );
        assert_eq!(
            with(u, Some(AuthFailure::Unsupported { offered: vec![], why: vec![] })),
            "proxy authentication required: the proxy http://proxy.corp:3128 answered HTTP 407 without naming an authentication scheme (https://m.example/x.zip); pyv answers Basic, Digest, NTLM and Negotiate: ask IT for a proxy address that accepts one of them, or for this mirror to bypass the proxy (NO_PROXY)"
        );
    }

    #[test]
    fn windows_protocol_fix_names_the_registry_keys_and_doctor() {
        let d = Diagnosis::new(Category::Protocol, "https://www.python.org/ftp/python/");
        let win = text(&d, true).fix;
        assert!(
            win.contains("SCHANNEL\\Protocols\\TLS 1.2\\Client"),
            "{win}"
        );
        assert!(
            win.contains("WinHttp") && win.contains("doctor --fix-tls"),
            "{win}"
        );
        let other = text(&d, false).fix;
        assert!(!other.contains("SCHANNEL"), "{other}");
        // A server that only speaks old TLS: no local fix, no registry advice.
        let mut old = d.clone();
        old.facts.server_version = Some("TLSv1.1".into());
        assert!(old.summary().contains("only speaks TLSv1.1"));
        assert!(!text(&old, true).fix.contains("SCHANNEL"));
    }

    #[test]
    fn certificate_facts_are_in_the_message() {
        let mut d = Diagnosis::new(Category::Expired, "https://localhost:1/x");
        d.facts.now = 1_767_225_599;
        d.facts.peer_chain.push(CertInfo {
            subject: "CN=localhost".into(),
            issuer: "CN=ca".into(),
            names: vec!["localhost".into()],
            not_before: 0,
            not_after: 951_782_400,
            self_issued: false,
        });
        let m = d.to_string();
        assert!(
            m.contains("2000-02-29 00:00:00 UTC") && m.contains("2025-12-31 23:59:59 UTC"),
            "{m}"
        );
        d.category = Category::HostMismatch;
        d.facts.host = Some("mirror.example".into());
        assert!(d
            .to_string()
            .contains("names localhost, not 'mirror.example'"));
        d.chain = vec!["raw library text".into()];
        assert!(!d.to_string().contains("raw library text"));
        assert!(d.verbose().contains("raw library text"));
    }
}
