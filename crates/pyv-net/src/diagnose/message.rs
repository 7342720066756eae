//! What a diagnosis says. One table ([`text`]) gives, per category, what happened (naming the
//! host and the certificate facts) next to the fix, so a category's wording is changed here
//! and only here; the short labels are next to it. The verbose form adds every fact and the
//! raw error chain.

use super::aia::AiaOutcome;
use super::certinfo::fmt_utc;
use super::proxy_answer::ProxyAnswer;
use super::trust::{Evidence, Trust};
use super::{Category, Diagnosis, Facts};
use std::fmt;

impl Category {
    /// Short label, the first words of every message.
    pub fn label(self) -> &'static str {
        match self {
            Category::UntrustedRoot => "untrusted certificate",
            Category::IncompleteChain => "incomplete certificate chain",
            Category::Interception => "HTTPS inspection",
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
            Category::Unreachable => "network unreachable",
            Category::Timeout => "timed out",
            Category::ConnectionLost => "connection lost",
            Category::ProxyAuth => "proxy authentication required",
            Category::Proxy => "proxy error",
            Category::RedirectLoop => "too many redirects",
            Category::Downgrade => "insecure redirect",
            Category::HeadersTooLarge => "response headers too large",
            Category::NotFound => "not found on the mirror",
            Category::HttpStatus => "HTTP error",
            Category::Other => "network error",
        }
    }
}

use crate::redirect::REDIRECT_LIMIT;

/// What happened (without label and URL) and the next step.
struct Text {
    what: String,
    fix: String,
}

/// Where the message is shown: a command's error, or doctor's report (which must not send
/// the user to doctor).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Command,
    Doctor,
}

/// The table. `windows` picks the Windows wording of fixes (a parameter so both texts are
/// tested everywhere).
fn text(d: &Diagnosis, windows: bool, place: Place) -> Text {
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
    // Every way to trust a root, verification on.
    let trust_it = format!(
        "'{prog} cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to {store}; verification stays on)"
    );
    let (what, fix) = match d.category {
        Category::UntrustedRoot => match (&f.trust, leaf) {
            (Some(Trust::SelfSigned), Some(l)) => (
                format!(
                    "the certificate of {host} is self-signed ({}) and not trusted by this computer",
                    l.subject
                ),
                format!(
                    "if you trust this server, trust its certificate with {trust_it}; otherwise {}",
                    &mirror[3..]
                ),
            ),
            (Some(Trust::PrivateCa { issuer }), _) => (
                format!(
                    "the certificate of {host} was issued by '{issuer}', a private CA this computer does not trust"
                ),
                format!(
                    "if it is your organisation's CA, trust its root certificate with {trust_it}; if you do not know it, something on this network may re-sign HTTPS: ask IT for the inspection root"
                ),
            ),
            _ => (
                match f.peer_chain.last() {
                    Some(top) => format!(
                        "the certificate of {host} was issued by '{}', which this computer does not trust",
                        top.issuer
                    ),
                    None => format!("the certificate of {host} does not lead to a root this computer trusts"),
                },
                format!(
                    "if it is your organisation's CA, or your company's proxy or antivirus inspects HTTPS (ask IT for its root certificate), trust that root with {trust_it}"
                ),
            ),
        },
        Category::Interception => {
            let (evidence, issuer) = match &f.trust {
                Some(Trust::Interception { evidence, issuer }) => (Some(evidence), issuer.as_str()),
                _ => (None, leaf.map_or("an unknown CA", |l| l.issuer.as_str())),
            };
            let what = match evidence {
                Some(Evidence::Proxy(p)) => format!(
                    "the certificate {host} presented through the proxy {p} was issued by '{issuer}', which this computer does not trust: the proxy (or a security product behind it) re-signs HTTPS"
                ),
                Some(Evidence::Product) => format!(
                    "the certificate of {host} was issued by '{issuer}', an HTTPS-inspection product's CA, not one {host} would use: a proxy, firewall or antivirus on this network re-signs HTTPS"
                ),
                _ => format!(
                    "the certificate of {host} was issued by '{issuer}', which this computer does not trust and {host} does not use (its certificates come from public CAs): a proxy, firewall or antivirus on this network re-signs HTTPS"
                ),
            };
            let mut fix = format!(
                "ask IT for the HTTPS-inspection root certificate and trust it with {trust_it}"
            );
            if matches!(evidence, Some(Evidence::Proxy(_))) {
                fix.push_str(
                    "; if that CA is your mirror's own instead, trust its root the same way",
                );
            }
            (what, fix)
        }
        Category::IncompleteChain => match (&f.aia, leaf) {
            (
                Some(AiaOutcome::Trusted {
                    url,
                    intermediate,
                    root,
                }),
                _,
            ) => (
                format!(
                    "{host} sent its certificate without the intermediate certificate '{intermediate}' that links it to a trusted root; that certificate, fetched from {url} as browsers do, is signed by the trusted root '{root}'"
                ),
                format!(
                    "the server is misconfigured: ask its operator to send the full chain (pyv does not complete it; verification stays on), {mirror}"
                ),
            ),
            (aia, Some(l)) => (
                format!(
                    "{host} sent only its certificate, issued by '{}', without an intermediate certificate linking it to a trusted root{}",
                    l.issuer,
                    match aia {
                        Some(AiaOutcome::NoAddress) => {
                            " (the certificate names no address to fetch its issuer from)".to_string()
                        }
                        Some(AiaOutcome::Failed { url, why }) => {
                            format!(" (its issuer could not be fetched from {url}: {why})")
                        }
                        _ => String::new(),
                    }
                ),
                format!(
                    "if that CA is your organisation's, trust its root certificate with {trust_it}; otherwise the server is misconfigured: ask its operator to send the full chain, {mirror}"
                ),
            ),
            (_, None) => (
                format!("{host} did not send the intermediate certificate(s) linking its certificate to a trusted root"),
                format!(
                    "the server is misconfigured: ask its operator to send the full chain, {mirror}"
                ),
            ),
        },
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
            Some(v) if super::inspect::is_refused_version(v) => (
                format!(
                    "{host} only speaks {}, and pyv requires TLS 1.2 or newer",
                    spoken(&f.server_versions, v)
                ),
                format!(
                    "old TLS versions are insecure and stay disabled: {} that supports TLS 1.2",
                    &mirror[3..]
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
                } else if place == Place::Doctor {
                    format!("the results per version above show what the server accepts; {}", &mirror[3..])
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
            match place {
                Place::Doctor => "run again with --verbose for the TLS library's message".to_string(),
                Place::Command => format!(
                    "run again with --verbose for the TLS library's message and '{prog} doctor' to test TLS"
                ),
            },
        ),
        Category::Dns => match proxy_host(f) {
            Some(p) => (
                format!("cannot resolve the host name '{p}' of the proxy {}", f.proxy.as_deref().unwrap_or("")),
                format!("check the proxy address in {}", proxy_vars(&d.url)),
            ),
            None => (
                format!("cannot resolve the host name '{host}'"),
                "check the host name and this computer's network/DNS; behind a company proxy set HTTPS_PROXY=http://proxy:port".to_string(),
            ),
        },
        // Through a proxy, the only connection pyv opens is to the proxy.
        Category::Refused => match &f.proxy {
            Some(p) => (
                format!("nothing is listening at the proxy {p}"),
                format!("check the proxy address in {} and that the proxy is running", proxy_vars(&d.url)),
            ),
            None => (
                format!("nothing is listening at {host}:{}", f.port.unwrap_or(0)),
                "check the host and port in the URL (or the proxy address in HTTPS_PROXY)".to_string(),
            ),
        },
        Category::Unreachable => (
            format!(
                "this computer has no network route to {host}:{}",
                f.port.unwrap_or(0)
            ),
            "check this computer's network connection (and VPN); behind a company proxy set HTTPS_PROXY=http://proxy:port".to_string(),
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
        Category::ProxyAuth => (
            format!(
                "the proxy {} refused the request without valid credentials (HTTP 407)",
                f.proxy.as_deref().unwrap_or("in use")
            ),
            "put the credentials in the proxy URL: HTTPS_PROXY=http://user:password@host:port (percent-encode special characters, e.g. @ as %40)".to_string(),
        ),
        Category::Proxy => match &f.proxy_answer {
            Some(a) => proxy_answer_text(a, f, host, mirror),
            None => (
                format!(
                    "the proxy {} could not connect to {host}",
                    f.proxy.as_deref().unwrap_or("in use")
                ),
                "check HTTPS_PROXY, HTTP_PROXY and NO_PROXY".to_string(),
            ),
        },
        Category::Downgrade => (
            match &f.downgrade {
                Some(g) => format!(
                    "{} redirected to {}, a plain-http address, which pyv does not follow from https (what arrives could have been altered on the way)",
                    g.from, g.to
                ),
                None => "an https address redirected to plain http, which pyv does not follow".to_string(),
            },
            format!("the server (or a proxy in between) is misconfigured; ask its operator to keep https, {mirror}"),
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
            match place {
                Place::Doctor => "run again with --verbose for details".to_string(),
                Place::Command => format!(
                    "run again with --verbose for details and '{prog} doctor' to test the network"
                ),
            },
        ),
    };
    Text {
        what,
        fix: with_kept(d, fix),
    }
}

/// The proxy's own answer: who refused or failed, its status and words, and the step that
/// fits it.
fn proxy_answer_text(a: &ProxyAnswer, f: &Facts, host: &str, mirror: &str) -> (String, String) {
    let proxy = match &f.proxy {
        Some(p) => format!("the proxy {p}"),
        // An intercepting proxy (or security product) no setting names.
        None => "a proxy or security product in between".to_string(),
    };
    let target = match f.port {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    let said = match &a.body_line {
        Some(l) => format!("{}: \"{l}\"", a.status_text()),
        None => a.status_text(),
    };
    if a.is_upstream_failure() && a.reports_tls_verdict() {
        (
            format!("{proxy} inspects HTTPS and rejected the certificate of {host} ({said})"),
            format!("the mirror's certificate is refused by the proxy, not by pyv: retrying will not help; ask IT to check the proxy's verdict on {host}, {mirror}"),
        )
    } else if a.is_upstream_failure() {
        (
            format!("{proxy} could not reach {target} ({said})"),
            format!("the mirror is down or blocked beyond the proxy; retry later, {mirror}"),
        )
    } else if matches!(a.status, 401 | 403) {
        (
            format!("{proxy} refused to connect to {target} ({said})"),
            format!("the proxy's rules do not allow {host}: ask the proxy's administrator to allow it, or, if {host} can be reached without the proxy, add it to NO_PROXY"),
        )
    } else {
        (
            format!("{proxy} refused to connect to {target} ({said})"),
            "check HTTPS_PROXY, HTTP_PROXY and NO_PROXY".to_string(),
        )
    }
}

/// The proxy's host name, when a proxy is in effect.
fn proxy_host(f: &Facts) -> Option<String> {
    let u = url::Url::parse(f.proxy.as_deref()?).ok()?;
    u.host_str()
        .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_string())
}

/// The settings that chose the proxy for `url`.
fn proxy_vars(url: &str) -> &'static str {
    if url.starts_with("http://") {
        "HTTP_PROXY (or ALL_PROXY)"
    } else {
        "HTTPS_PROXY (or ALL_PROXY)"
    }
}

/// The fix, with what a failed download kept for the next run.
fn with_kept(d: &Diagnosis, fix: String) -> String {
    let Some(k) = &d.facts.kept else {
        return fix;
    };
    let size = pyv_core::size::human_size(k.bytes);
    match d.category {
        Category::ConnectionLost | Category::Timeout => format!(
            "{size} already downloaded is kept in {}: run the same command again to resume",
            k.folder
        ),
        _ => format!(
            "{fix}; {size} already downloaded is kept in {}, and the same command resumes it",
            k.folder
        ),
    }
}

/// `TLS 1.0 and TLS 1.1`: every old version the server accepted (the negotiated one when
/// the list is empty), in the words the doctor uses.
fn spoken(versions: &[String], negotiated: &str) -> String {
    let name = |v: &str| match v {
        "TLSv1" => "TLS 1.0".to_string(),
        "TLSv1.1" => "TLS 1.1".to_string(),
        "SSLv3" => "SSL 3.0".to_string(),
        other => other.to_string(),
    };
    let mut all: Vec<String> = versions.iter().map(|v| name(v)).collect();
    if all.is_empty() {
        all.push(name(negotiated));
    }
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => all.join(""),
    }
}

impl Diagnosis {
    /// What happened, naming the URL.
    pub fn summary(&self) -> String {
        let what = text(self, cfg!(windows), Place::Command).what;
        format!("{}: {what} ({})", self.category.label(), self.url)
    }

    /// Whether `other` is this failure again, at another URL of the same host (update reads
    /// the index and the listing: one diagnosis is enough for both).
    pub fn same_failure(&self, other: &Diagnosis) -> bool {
        self.category == other.category
            && self.facts.host == other.facts.host
            && self.facts.port == other.facts.port
            && self.facts.status == other.facts.status
    }

    /// What a repeat of an already reported failure says.
    pub fn repeated(&self) -> String {
        format!("the same failure ({})", self.category.label())
    }

    /// The next step for the user.
    pub fn fix(&self) -> String {
        self.fix_for(Place::Command)
    }

    /// The next step, worded for where it is shown.
    pub fn fix_for(&self, place: Place) -> String {
        text(self, cfg!(windows), place).fix
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
        if let Some(a) = &f.proxy_answer {
            out.push_str(&format!("\n  proxy answered: {}", a.status_text()));
            if !a.authenticate.is_empty() {
                out.push_str(&format!("\n  proxy offers: {}", a.authenticate.join(", ")));
            }
            if let Some(e) = &a.proxy_error {
                out.push_str(&format!("\n  proxy error: {e}"));
            }
        }
        if let Some(v) = &f.server_version {
            out.push_str(&format!("\n  server protocol (inspection): {v}"));
        }
        if let Some(t) = &f.trust {
            out.push_str(&format!("\n  issuer judged: {t:?}"));
        }
        if let Some(a) = &f.aia {
            out.push_str(&format!("\n  AIA issuer: {a:?}"));
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
        let Text { what, fix } = text(self, cfg!(windows), Place::Command);
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
    fn windows_protocol_fix_names_the_registry_keys_and_doctor() {
        let d = Diagnosis::new(Category::Protocol, "https://www.python.org/ftp/python/");
        let win = text(&d, true, Place::Command).fix;
        assert!(
            win.contains("SCHANNEL\\Protocols\\TLS 1.2\\Client"),
            "{win}"
        );
        assert!(
            win.contains("WinHttp") && win.contains("doctor --fix-tls"),
            "{win}"
        );
        let other = text(&d, false, Place::Command).fix;
        assert!(!other.contains("SCHANNEL"), "{other}");
        // A server that only speaks old TLS: no local fix, no registry advice.
        let mut old = d.clone();
        old.facts.server_version = Some("TLSv1.1".into());
        assert!(old.summary().contains("only speaks TLS 1.1,"));
        old.facts.server_versions = vec!["TLSv1".into(), "TLSv1.1".into()];
        assert!(old.summary().contains("only speaks TLS 1.0 and TLS 1.1,"));
        assert!(!text(&old, true, Place::Command).fix.contains("SCHANNEL"));
        // Inside doctor, no advice to run doctor.
        assert!(text(&d, false, Place::Command).fix.contains("doctor"));
        assert!(!text(&d, false, Place::Doctor).fix.contains("doctor"));
        for c in [Category::TlsOther, Category::Other] {
            let d = Diagnosis::new(c, "https://h.example/");
            assert!(!d.fix_for(Place::Doctor).contains("doctor"), "{c:?}");
            assert!(d.fix().contains("doctor"), "{c:?}");
        }
    }

    #[test]
    fn windows_wording_of_a_self_signed_leaf_as_schannel_reports_it() {
        // What windows_tls.rs expects under Wine, checked here on every OS: SChannel gives
        // the leaf only, and the judgement is the shared one.
        let mut d = Diagnosis::new(Category::UntrustedRoot, "https://localhost:1/index.txt");
        let leaf = CertInfo {
            subject: "CN=localhost".into(),
            issuer: "CN=localhost".into(),
            names: vec!["localhost".into()],
            not_before: 0,
            not_after: 0,
            self_issued: true,
            ca_issuers: vec![],
        };
        d.facts.peer_chain = vec![leaf];
        d.facts.trust = Some(super::super::trust::judge(&super::super::trust::Inputs {
            host: "localhost",
            chain: &d.facts.peer_chain,
            chain_complete: false,
            proxy: None,
            aia: None,
        }));
        let t = text(&d, true, Place::Command);
        assert_eq!(
            format!("{}: {} ({}); {}", d.category.label(), t.what, d.url, t.fix),
            "untrusted certificate: the certificate of localhost is self-signed (CN=localhost) and not trusted by this computer (https://localhost:[PORT]/index.txt); if you trust this server, trust its certificate with 'pyv cacert add FILE' (or pass --cacert FILE, set SSL_CERT_FILE, or add it to the Windows certificate store (certmgr.msc > Trusted Root Certification Authorities); verification stays on); otherwise use another mirror (PYTHON_BUILD_MIRROR_URL)".replace("[PORT]", "1")
        );
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
            ca_issuers: vec![],
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
